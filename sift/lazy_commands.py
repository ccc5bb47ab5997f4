"""Commands that `sift --help` lists from their declarations and imports only when they run.

A Typer command is built from its function's signature, so registering every command the
usual way imports every command module, and with them SQLAlchemy, DBOS, scikit-learn and
the rest: three seconds before `sift --help` could print a line. Here a declared command
(`sift.contract.Command`) is listed by a stand-in carrying its name and help text; the
stand-in builds the real command (importing its module) only when it is invoked, and then
hands over parsing, help and execution to it entirely.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from sift.contract import Command


@functools.cache
def real_command(entry: Command) -> TyperCommand | TyperGroup:
    """The click command of `entry`, built once per process: a Typer app becomes a group
    (even with one command, as `add_typer` makes it), a function becomes one command."""
    target = entry.load()
    if isinstance(target, typer.Typer):
        command: TyperCommand | TyperGroup = typer.main.get_group(target)
    else:
        holder = typer.Typer()
        holder.command(entry.name)(target)
        command = typer.main.get_command(holder)  # type: ignore[assignment]
    command.name = entry.name
    return command


class DeferredCommand(TyperCommand):
    """Stands in for a declared command: listed by its declared help, replaced by the real
    command as soon as it is asked to parse arguments."""

    def __init__(self, entry: Command) -> None:
        super().__init__(entry.name, help=entry.help)
        self.entry = entry

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Any = None,
        **extra: Any,
    ) -> Any:
        # The context names the real command, so `--help`, parsing and `invoke` are its own.
        return real_command(self.entry).make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        return real_command(self.entry).invoke(ctx)


class DeferringGroup(TyperGroup):
    """The `sift` group: its own Typer commands, then the declared ones, in the order
    `ordered` gives (commands before groups, as Typer lists them)."""

    def deferred(self) -> Sequence[Command]:
        """The declared commands; a subclass names them."""
        return ()

    def _stand_ins(self) -> dict[str, DeferredCommand]:
        return {entry.name: DeferredCommand(entry) for entry in self.deferred()}

    def list_commands(self, ctx: Any) -> list[str]:
        own = super().list_commands(ctx)
        commands = [n for n in own if not isinstance(self.commands[n], TyperGroup)]
        groups = [n for n in own if n not in commands]
        entries = self.deferred()
        return (
            commands
            + [e.name for e in entries if not e.group]
            + groups
            + [e.name for e in entries if e.group]
        )

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        own = super().get_command(ctx, cmd_name)
        return own if own is not None else self._stand_ins().get(cmd_name)
