"""What the extraction workflow needs around the engines: the pass-1 memo, the allowed tag
values, turning engine output into sync input, and the admin notes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sift.directory.extraction import ExtractedPost, ExtractionEngine, Narrative, PageInput, TagSet
from sift.directory.models import ExtractionMemo, Note, Tag
from sift.directory.proposals.sync import FreshPost

DEFAULT_TAGS: dict[str, list[str]] = {
    "audience": ["youth", "families", "adults", "seniors", "everyone"],
    "category": ["food", "education", "tax", "sports", "volunteering", "health", "community"],
}


def tag_set(session: Session) -> TagSet:
    """The allowed tag values: the `tags` table when an admin filled it, else defaults."""
    rows = session.execute(sa.select(Tag.kind, Tag.value).order_by(Tag.kind, Tag.value)).all()
    return TagSet.from_pairs(rows) if rows else TagSet(kinds=DEFAULT_TAGS)


def memoised_narratives(
    session: Session, *, engine: ExtractionEngine, pages: Sequence[PageInput]
) -> dict[str, list[dict[str, Any]]]:
    """content hash → narratives pass 1 found on that page before (same engine, same
    prompt version). Narratives cite pages by URL so they survive renumbering."""
    hashes = sorted({p.content_hash for p in pages})
    if not hashes:
        return {}
    rows = session.scalars(
        sa.select(ExtractionMemo).where(
            ExtractionMemo.content_hash.in_(hashes),
            ExtractionMemo.engine == engine.name,
            ExtractionMemo.prompt_version == engine.prompt_version,
        )
    )
    return {row.content_hash: list(row.narratives) for row in rows}


def remember_narratives(
    session: Session,
    *,
    engine: ExtractionEngine,
    pages: Sequence[PageInput],
    narratives: Sequence[Narrative],
) -> None:
    """Store each page's share of a batch's narratives (a narrative citing two pages is
    stored under both; pass 2 merges the copies)."""
    url_of = {p.id: p.url for p in pages}
    for page in pages:
        mine = [n.handed_on(url_of) for n in narratives if page.id in n.page_ids]
        session.execute(
            insert(ExtractionMemo)
            .values(
                content_hash=page.content_hash,
                engine=engine.name,
                prompt_version=engine.prompt_version,
                narratives=mine,
            )
            .on_conflict_do_nothing()
        )


def fresh_post(post: ExtractedPost, source_of: dict[str, str]) -> FreshPost:
    return FreshPost(
        title=post.title,
        summary=post.summary,
        description=post.description,
        contact={k: v for k, v in post.contact.model_dump().items() if v},
        location=post.location,
        schedule=[entry.model_dump(mode="json", exclude_none=True) for entry in post.schedule],
        audience=post.audience,
        tags=list(post.tags),
        links=[(source_of[url], url) for url in post.source_urls if url in source_of],
    )


def add_gap_notes(
    session: Session, *, organization_id: uuid.UUID, posts: Sequence[ExtractedPost]
) -> int:
    """Replace the org's extraction notes with what this run could not find."""
    session.execute(
        sa.update(Note)
        .where(Note.organization_id == organization_id, Note.kind == "extraction")
        .where(Note.deleted_at.is_(None))
        .values(deleted_at=sa.func.now())
    )
    count = 0
    for post in posts:
        missing = []
        if not any(post.contact.model_dump().values()):
            missing.append("no contact")
        if not post.schedule:
            missing.append("no schedule")
        if missing:
            session.add(
                Note(
                    organization_id=organization_id,
                    kind="extraction",
                    content=f"{post.title}: {' and '.join(missing)} found on the sources.",
                    source_url=post.source_urls[0] if post.source_urls else None,
                )
            )
            count += 1
    session.flush()
    return count
