"""Inbox commands: `sift inbox ingest|clusters|strictness`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.table import Table

from sift import db, runtime
from sift.config import get_settings
from sift.errors import SiftError
from sift.inbox import ingest, service
from sift.inbox.models import (
    ClusterStatus,
    Creator,
    InboundMessage,
    first_problem,
)
from sift.terminal import console

inbox_app = typer.Typer(no_args_is_help=True, help="The creator inbox.")


class InboxInputError(SiftError):
    """An input file that cannot be ingested; the message names the file and the item."""


# --- sift inbox ingest / clusters -----------------------------------------------------------


def read_messages(path: Path) -> list[InboundMessage]:
    """Every message of a JSON list or JSON-lines file, validated before anything is stored."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InboxInputError(f"{path}: cannot read ({error})") from None
    items: list[tuple[str, Any]]
    if text.lstrip().startswith("["):
        try:
            items = [(f"item {i}", v) for i, v in enumerate(json.loads(text), start=1)]
        except json.JSONDecodeError as error:
            raise InboxInputError(f"{path}: not JSON ({error.msg}, line {error.lineno})") from None
    else:
        items = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append((f"line {number}", json.loads(line)))
            except json.JSONDecodeError as error:
                raise InboxInputError(f"{path}, line {number}: not JSON ({error.msg})") from None
    if not items:
        raise InboxInputError(f"{path}: no messages")
    return [_validated(path, where, item) for where, item in items]


def _validated(path: Path, where: str, item: Any) -> InboundMessage:
    try:
        return InboundMessage.model_validate(item)
    except ValidationError as error:
        raise InboxInputError(f"{path}, {where}: {first_problem(error)}") from None


@inbox_app.command("ingest")
def ingest_file(
    file: Annotated[Path, typer.Argument(help="JSON list or JSON lines of messages.")],
) -> None:
    """Ingest fan messages (fields: creator, channel, external_id, text, is_paid_dm,
    sender_id, visitor_name, visitor_avatar_url, created_at, raw) in one transaction."""
    messages = read_messages(file)
    runtime.start(get_settings(), with_workflows=False)
    with db.session_scope() as session:
        results = [ingest.ingest(session, m) for m in messages]
    replayed = sum(r.replayed for r in results)
    console.print(
        f"{len(results) - replayed} message(s) ingested, {replayed} already known, "
        f"{sum(r.new_cluster for r in results)} new cluster(s)"
    )


@inbox_app.command("clusters")
def clusters(
    creator: str,
    min_channels: Annotated[
        int,
        typer.Option(
            "--min-channels", min=0, help="Only clusters with at least this many channels."
        ),
    ] = service.DEFAULT_MIN_CHANNELS,
    status: Annotated[ClusterStatus, typer.Option(help="Which clusters.")] = ClusterStatus.open,
    sort: Annotated[
        str, typer.Option(help=f"After paid DMs: {', '.join(service.SORTS)}.")
    ] = "size",
    search: Annotated[
        str | None, typer.Option(help="Only clusters whose questions say or mean this.")
    ] = None,
) -> None:
    """List a creator's clusters as the inbox page does: every open cluster, paid DMs first,
    each titled by its most representative question."""
    runtime.start(get_settings(), with_workflows=False)
    with db.session_scope() as session:
        service.get_creator_or_raise(session, creator)
        views = service.list_clusters(
            session,
            creator_external_id=creator,
            status=status,
            min_channel_count=min_channels,
            search=search,
            sort=sort,
        )
    console.print(cluster_table(views, title=f"Clusters of {creator}"))


@inbox_app.command("strictness")
def strictness(
    creator: str,
    value: Annotated[
        str | None,
        typer.Argument(
            metavar="[S]",
            help="0 (group most) to 1 (group least), or 'default'; omit to print the current.",
        ),
    ] = None,
) -> None:
    """Show or set how readily a creator's messages are grouped; a new value re-groups
    their open clusters with it at once."""
    wanted = None if value is None else service.parse_strictness(value)
    runtime.start(get_settings(), with_workflows=False)
    with db.session_scope() as session:
        owner = service.get_creator_or_raise(session, creator)
        if value is not None:
            service.set_grouping_strictness(session, creator_external_id=creator, strictness=wanted)
        text = _strictness_text(owner)
    console.print(f"grouping strictness of {creator}: {text}")
    if value is not None:
        with db.session_scope() as session:
            changes = service.regroup(session, creator_external_id=creator)
        console.print(f"re-grouped: {changes['merged']} merged, {changes['split']} split")


def _strictness_text(creator: Creator) -> str:
    if creator.grouping_strictness is not None:
        return f"{creator.grouping_strictness:g} (0 groups most, 1 least)"
    if creator.calibrated_similarity is None:
        return "default (adapts to the inbox once it holds enough messages)"
    similarity = service.creator_params(creator).join_similarity
    return (
        f"default, adapted to the inbox: similarity {similarity:.2f} "
        f"(calibrated on {creator.calibrated_messages:,} messages)"
    )


def cluster_table(views: list[service.ClusterView], *, title: str) -> Table:
    """One row per cluster in the list's order: a paid DM says so, and each is titled as
    the page titles it (the LLM's label, else the most representative question)."""
    table = Table("channels", "question", "who asked", "latest", title=title)
    for view in views:
        table.add_row(
            "paid DM" if view.is_paid else str(view.channel_count),
            view.title[:70],
            view.visitors_line,
            service.age_of(view.latest_at),
        )
    return table
