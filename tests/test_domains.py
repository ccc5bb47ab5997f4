"""The domains as the core sees them: one declaration each, listed without importing them,
and every part a declaration names really there."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from sift import contract
from sift.cli import CORE_COMMANDS, app
from sift.domains import DOMAINS
from sift.lazy_commands import real_command

HEAVY = ("sqlalchemy", "dbos", "fastapi", "strawberry", "onnxruntime", "sklearn", "numpy")


def first_paragraph(text: str | None) -> str:
    return " ".join((text or "").split("\n\n")[0].split())


def test_sift_help_lists_every_command_without_importing_heavy_libraries() -> None:
    """`sift --help` reads the declarations only: no database, workflow or model library."""
    probe = (
        "import sys\n"
        "from sift.cli import main\n"
        "sys.argv = ['sift', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    for name in ("serve", "crawl", "eval", "org", "export", "inbox"):
        assert f" {name} " in done.stdout


def test_declared_help_is_the_commands_own() -> None:
    """The help `sift --help` shows from a declaration is the first paragraph of the real
    command's, so the listing cannot drift from the command."""
    entries = [*CORE_COMMANDS, *(entry for domain in DOMAINS for entry in domain.commands)]
    for entry in entries:
        command = real_command(entry)
        assert first_paragraph(entry.help) == first_paragraph(command.help), entry.name
        assert bool(entry.group) == hasattr(command, "list_commands"), entry.name


def test_a_deferred_command_runs_as_itself() -> None:
    result = CliRunner().invoke(app, ["review", "--help"])
    assert result.exit_code == 0, result.output
    assert "Approve, reject or revert proposals." in result.output
    assert "approve" in result.output and "revert" in result.output


def test_every_declared_part_loads() -> None:
    assert contract.installed() == DOMAINS
    for domain in DOMAINS:
        web = domain.web() if domain.web else contract.Web()
        assert web.routers and web.queries, domain.name
        assert domain.workflows is None or domain.workflows() is not None
        for name, function, cron in domain.schedules() if domain.schedules else []:
            assert name.startswith(domain.name) and callable(function) and cron
        for commands in (domain.evaluations, domain.benchmarks):
            assert commands is None or all(callable(f) for f in commands().values())
