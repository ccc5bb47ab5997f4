"""The clean-up workflow: find an organization's duplicate posts, stage their merges for
review, and purge the posts reviewers rejected.

Every side effect is a named DBOS step, so a crash resumes after the last finished one.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from dbos import DBOS
from pydantic import BaseModel

from sift import db, workflows
from sift.ai.embeddings import get_embedder
from sift.ai.llm import get_llm, usage_scope
from sift.config import get_settings
from sift.directory.cleanup import service as cleanup
from sift.directory.models import BatchKind, Post, PostStatus
from sift.directory.proposals import sync
from sift.directory.registry import service
from sift.directory.registry.flows import organization_subject
from sift.errors import SiftError

log = logging.getLogger(__name__)


def cleanup_key(org_id: str | uuid.UUID) -> str:
    return f"cleanup:{org_id}"


def start_cleanup(org_id: str | uuid.UUID) -> str:
    """Queue a clean-up of one organization unless one is already queued or running."""
    return workflows.start_once(
        clean_up_org_posts, cleanup_key(org_id), str(org_id), subject=organization_subject(org_id)
    )


@DBOS.step()
def load_cleanup_posts(org_id: str) -> dict[str, Any]:
    with db.session_scope() as session:
        org = service.get_organization_or_raise(session, ref=org_id)
        posts = sync.org_posts(session, organization_id=org.id)
        infos = [
            {
                "id": str(p.id),
                "version": p.version,
                "content": sync.post_content(p),
                "active": p.status is PostStatus.active,
                "source_priority": sync.canonical_order(p)[1],
                "labels": sorted({s.source_type.value for s in p.sources}),
            }
            for p in posts
        ]
        return {"id": str(org.id), "name": org.name, "posts": infos}


def _infos(posts: list[dict[str, Any]]) -> list[cleanup.PostInfo]:
    return [
        cleanup.PostInfo(
            id=p["id"],
            content=p["content"],
            active=p["active"],
            source_priority=p["source_priority"],
        )
        for p in posts
    ]


@DBOS.step()
def detect_duplicates(posts: list[dict[str, Any]]) -> dict[str, Any]:
    with usage_scope() as meter:
        found = cleanup.find_duplicate_groups(
            _infos(posts),
            embedder=get_embedder(),
            ask_llm=cleanup.ask_large_model if get_settings().llm_configured else None,
        )
    return {
        "groups": found.groups,
        "candidates": found.candidates,
        "tokens": meter.usage.total_tokens,
    }


class MergeReason(BaseModel):
    reason: str


def _merge_reason(ordered: list[cleanup.PostInfo], labels: list[str]) -> str:
    if not get_settings().llm_configured:
        return cleanup.template_reason(ordered, labels)
    titles = "\n".join(f"- {p.content['title']}" for p in ordered)
    try:
        answer = get_llm().structured(
            [{"role": "user", "content": f"Kept: {ordered[0].content['title']}\n{titles}"}],
            MergeReason,
            model="small",
            system="In one short sentence for a directory admin, say why these listings "
            "are merged into the kept one.",
        )
        return answer.reason.strip() or cleanup.template_reason(ordered, labels)
    except SiftError:
        return cleanup.template_reason(ordered, labels)


@DBOS.step()
def stage_cleanup_merges(
    org_id: str, posts: list[dict[str, Any]], groups: list[list[str]]
) -> dict[str, Any]:
    """Stage one merge per group in one clean-up batch. A group already pending with the
    same posts and versions (a re-executed step, a second run) is not staged again, and
    no batch is made when nothing is new."""
    by_id = {p["id"]: p for p in posts}
    infos = {info.id: info for info in _infos(posts)}
    with db.session_scope() as session:
        pending = cleanup.pending_merge_keys(session, organization_id=uuid.UUID(org_id))
        keys = [cleanup.merge_key({i: by_id[i]["version"] for i in group}) for group in groups]
        fresh = [group for group, key in zip(groups, keys, strict=True) if key not in pending]
        already = [pending[key] for key in keys if key in pending]
        if not fresh:
            return {"batch_id": already[0] if already else None, "proposals": 0,
                    "already_pending": len(already)}  # fmt: skip
        batch = sync.new_batch(
            session,
            organization_id=uuid.UUID(org_id),
            kind=BatchKind.cleanup,
            workflow_id=DBOS.workflow_id,
        )
        for group in fresh:
            ordered = cleanup.canonical_first([infos[i] for i in group])
            labels = [label for i in group for label in by_id[i]["labels"]]
            canonical = session.get_one(Post, uuid.UUID(ordered[0].id))
            duplicates = [session.get_one(Post, uuid.UUID(p.id)) for p in ordered[1:]]
            sync.add_merge(
                session,
                batch=batch,
                canonical=canonical,
                duplicates=duplicates,
                content=cleanup.merged_content(ordered),
                links=[],
                reason=_merge_reason(ordered, labels),
                read_at={uuid.UUID(i): by_id[i]["version"] for i in group},
            )
        batch.summary = f"{len(fresh)} duplicate groups to merge"
        session.flush()
        return {"batch_id": str(batch.id), "proposals": len(fresh), "already_pending": len(already)}


@DBOS.step()
def purge_rejected_posts(org_id: str) -> int:
    with db.session_scope() as session:
        return service.purge_rejected_posts(session, organization_id=uuid.UUID(org_id))


@DBOS.workflow()
def clean_up_org_posts(org_id: str) -> dict[str, Any]:
    """Detect duplicates (best effort) → stage merges in one clean-up batch → purge
    rejected posts. A failed detection still purges."""
    result: dict[str, Any] = {
        "duplicates_found": 0,
        "proposals_staged": 0,
        "rejected_purged": 0,
        "status": "completed",
        "batch_id": None,
        "already_pending": 0,
        "tokens_used": 0,
        "error": None,
    }
    workflows.publish_progress("Loading posts…")
    org = load_cleanup_posts(org_id)
    posts = org["posts"]
    if len(posts) > 1:
        workflows.publish_progress(f"Looking for duplicates among {len(posts)} posts…")
        try:
            found = detect_duplicates(posts)
            result["tokens_used"] = found["tokens"]
            groups = found["groups"]
            result["duplicates_found"] = sum(len(g) - 1 for g in groups)
            if groups:
                workflows.publish_progress(f"Staging {len(groups)} merge proposals…")
                staged = stage_cleanup_merges(org["id"], posts, groups)
                result["batch_id"], result["proposals_staged"] = (
                    staged["batch_id"],
                    staged["proposals"],
                )
                result["already_pending"] = staged["already_pending"]
        except Exception as error:  # best effort: the purge below still runs
            log.warning("duplicate detection failed", extra={"org_id": org_id, "error": str(error)})
            result["status"], result["error"] = "partial", f"duplicate detection failed: {error}"
    workflows.publish_progress("Purging rejected posts…")
    result["rejected_purged"] = purge_rejected_posts(org["id"])
    workflows.publish_progress(
        f"Done: {result['proposals_staged']} merges proposed, "
        f"{result['rejected_purged']} rejected posts purged"
    )
    return result
