"""Duplicate detection for the Clean Up Org Posts workflow.

The origin sent every post of an organization to one LLM call, which broke past ~200
posts. Here candidate pairs are found first — every pair in a small organization; in a
large one, nearest neighbours in embedding space plus posts sharing an identifier (phone,
email, URL, code) — and only those candidates are judged: by the large model when an LLM is
configured, else offline by the service-post judgement (`same_service`). Either way the
judgement's vetoes (another audience, role, day, place or edition) have the last word, and
a merge group holds only posts judged duplicates of *each other*: grouping is complete
linkage, so two different services never merge through a third post that resembles both.
"""

from __future__ import annotations

import hashlib
import itertools
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import Session

from sift.ai.embeddings import Embedder
from sift.directory.models import (
    OperationKind,
    ProposalStatus,
    ProposedOperation,
    SyncBatch,
)
from sift.directory.proposals.sync import as_record, completeness
from sift.directory.record_matching import extract_identifiers
from sift.directory.same_service import TUNING, Tuning, judge_post_pairs, vetoes

ALL_PAIRS_UP_TO = 60
"""Organizations with at most this many posts have every pair judged (1,770 cheap pairs);
blocking only starts above, where n² would not scale."""
NEIGHBOURS = 8
"""Nearest neighbours per post considered as candidates (besides shared identifiers)."""
MIN_COSINE = 0.25
"""Below this embedding similarity a pair is only a candidate if it shares an identifier.
Low, because an English and a Spanish post about one session can sit at 0.3."""
MAX_SHARED_ID_GROUP = 50
"""An identifier on more posts than this (the org's main phone) says nothing about pairs."""
LLM_GROUP_LIMIT = 40
"""Posts per large-model call; a bigger candidate group is judged in slices."""
LLM_PROMPT = (
    "You review listings of one organization in a community-resource directory. Group the "
    "listings that describe the same real service for the same audience (a different "
    "audience is a different service; so are volunteering for a service or donating to it "
    "and using it, another day or place, another year's or season's edition, another kind "
    "of offer on the same subject such as a workshop and a class, and a session in another "
    "language; the same session described in two languages is one). Return only sets of "
    "two or more ids, using the ids exactly as given; leave every listing you are unsure "
    "about out."
)


@dataclass(frozen=True)
class PostInfo:
    """What detection needs of a post, detached from the database session."""

    id: str
    content: dict[str, Any]
    active: bool
    source_priority: int

    @property
    def text(self) -> str:
        record = as_record(self.content)
        return f"{record.title}. {record.text}"

    @property
    def audience(self) -> str:
        return (self.content.get("audience") or "").strip().lower()


@dataclass(frozen=True)
class Detection:
    """Merge groups (lists of post ids, each group's members all judged duplicates of each
    other) and how many candidate pairs were judged to find them."""

    groups: list[list[str]]
    candidates: int


AskLLM = Callable[[str], "DuplicateGroups"]
"""Sends one listing of candidate posts to the large model and returns its answer."""


class LLMJudgementInvalid(ValueError):
    """The model named posts it was not shown; nothing it said is applied."""


def candidate_pairs(
    posts: Sequence[PostInfo],
    embed: Callable[[], np.ndarray],
    *,
    neighbours: int = NEIGHBOURS,
) -> set[tuple[int, int]]:
    """Index pairs worth judging. Every pair up to ALL_PAIRS_UP_TO posts; above, each post's
    nearest neighbours above MIN_COSINE and posts sharing a (not too common) identifier, so
    work grows with n x neighbours, not n²; the similarity matrix is computed in row blocks
    to bound memory. `embed` gives the posts' vectors, asked for only above the bound (a
    second embedding of every post, besides the judgement's own)."""
    n = len(posts)
    if n <= ALL_PAIRS_UP_TO:
        return set(itertools.combinations(range(n), 2))
    vectors = embed()
    pairs: set[tuple[int, int]] = set()
    k = min(neighbours, n - 1)
    for start in range(0, n, 1024):
        block = vectors[start : start + 1024] @ vectors.T
        for offset, row in enumerate(block):
            i = start + offset
            row[i] = -1.0
            for j in np.argpartition(-row, k)[:k]:
                if row[j] >= MIN_COSINE:
                    pairs.add((min(i, int(j)), max(i, int(j))))
    owners: dict[str, list[int]] = defaultdict(list)
    for i, post in enumerate(posts):
        record = as_record(post.content)
        for identifier in extract_identifiers(record.full_text):
            owners[identifier].append(i)
    for members in owners.values():
        if 1 < len(members) <= MAX_SHARED_ID_GROUP:
            pairs.update((a, b) for a in members for b in members if a < b)
    return pairs


def connected_groups(n: int, pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected components (size ≥ 2) of candidate pairs: what is *shown* to the model
    together, never what is merged (that is `complete_linkage_groups`)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def complete_linkage_groups(scored: Mapping[tuple[int, int], float]) -> list[list[int]]:
    """Groups (size ≥ 2) in which every pair is an accepted duplicate pair.

    Pairs are taken strongest first; two groups join only when every cross pair was
    accepted. So A≈B and B≈C with A≉C gives {A, B} and leaves C alone, instead of the
    chain {A, B, C} that union-find would build and that would erase a real listing.
    """
    accepted = {(min(a, b), max(a, b)) for a, b in scored}
    group_of: dict[int, list[int]] = {}
    for a, b in sorted(scored, key=lambda pair: (-scored[pair], pair)):
        left, right = group_of.get(a, [a]), group_of.get(b, [b])
        if left is right:
            continue
        if all((min(x, y), max(x, y)) in accepted for x in left for y in right):
            joined = sorted(left + right)
            for member in joined:
                group_of[member] = joined
    unique = {id(g): g for g in group_of.values()}
    return sorted(unique.values(), key=lambda g: g[0])


def judge_offline(
    posts: Sequence[PostInfo],
    pairs: Sequence[tuple[int, int]],
    embedder: Embedder,
    tuning: Tuning = TUNING,
) -> dict[tuple[int, int], float]:
    """Accepted pairs with their similarity, by the service-post judgement over the whole
    organization (what all its posts share is the org's, not evidence)."""
    verdicts = judge_post_pairs([p.content for p in posts], pairs, embedder=embedder, tuning=tuning)
    return {
        pair: verdict.similarity
        for pair, verdict in zip(pairs, verdicts, strict=True)
        if verdict.duplicate
    }


def judge_with_llm(
    posts: Sequence[PostInfo], pairs: Sequence[tuple[int, int]], ask: AskLLM
) -> dict[tuple[int, int], float]:
    """Show each candidate group (not the whole org) to the large model through `ask`
    (listing text → DuplicateGroups); accept only ids it was shown, every pair inside one of
    its sets, and only pairs the judgement does not veto (the model is not told the org's
    rules as reliably as code applies them)."""
    accepted: dict[tuple[int, int], float] = {}
    index_of = {p.id: i for i, p in enumerate(posts)}
    for group in connected_groups(len(posts), sorted(pairs)):
        for start in range(0, len(group), LLM_GROUP_LIMIT):
            members = group[start : start + LLM_GROUP_LIMIT]
            shown = {posts[i].id for i in members}
            answer: DuplicateGroups = ask(_listing(posts, members))
            for ids in answer.duplicate_sets:
                unknown = set(ids) - shown
                if unknown:
                    raise LLMJudgementInvalid(
                        f"the model named posts it was not shown: {', '.join(sorted(unknown))}"
                    )
                chosen = sorted({index_of[i] for i in ids})
                accepted.update({pair: 1.0 for pair in itertools.combinations(chosen, 2)})
    refused = vetoes([p.content for p in posts], list(accepted))
    return {pair: score for pair, score in accepted.items() if not refused[pair]}


def ask_large_model(listing: str) -> DuplicateGroups:
    """The production `AskLLM`: one candidate group to the configured large model."""
    from sift.ai.llm import get_llm

    return get_llm().structured(
        [{"role": "user", "content": listing}],
        DuplicateGroups,
        model="large",
        system=LLM_PROMPT,
    )


def _listing(posts: Sequence[PostInfo], members: Sequence[int]) -> str:
    return "\n\n".join(
        f"id: {posts[i].id}\nstatus: {'active' if posts[i].active else 'pending'}\n"
        f"audience: {posts[i].audience or 'unspecified'}\n{posts[i].text}"
        for i in members
    )


def find_duplicate_groups(
    posts: Sequence[PostInfo],
    *,
    embedder: Embedder,
    ask_llm: AskLLM | None = None,
    tuning: Tuning = TUNING,
) -> Detection:
    """The clean-up's decision, end to end: candidates → pair judgements (the large model
    through `ask_llm` when given, else offline) → complete-linkage groups of post ids. The
    workflow and `sift eval cleanup` both call exactly this; the cross-validation bench
    passes another `tuning` of the offline judgement."""
    if len(posts) < 2:
        return Detection(groups=[], candidates=0)
    pairs = sorted(candidate_pairs(posts, lambda: embed_posts(posts, embedder)))
    if ask_llm is not None:
        scored = judge_with_llm(posts, pairs, ask_llm)
    else:
        scored = judge_offline(posts, pairs, embedder, tuning)
    groups = complete_linkage_groups(scored)
    return Detection(
        groups=[[posts[i].id for i in group] for group in groups], candidates=len(pairs)
    )


def merge_key(versions: Mapping[str, int]) -> str:
    """A deterministic key for a staged merge: its posts and the versions it was computed
    from. The same group found again (a re-executed step, a second run) has the same key,
    so it is not staged twice; after any of its posts changed it is a new proposal."""
    text = ",".join(f"{post_id}:{versions[post_id]}" for post_id in sorted(versions))
    return hashlib.sha256(text.encode()).hexdigest()


def pending_merge_keys(session: Session, *, organization_id: uuid.UUID) -> dict[str, str]:
    """Keys (`merge_key`) of the organization's merge proposals still awaiting review, each
    with its batch id: what a new clean-up must not stage again."""
    proposals = session.scalars(
        sa.select(ProposedOperation)
        .join(SyncBatch, SyncBatch.id == ProposedOperation.batch_id)
        .where(
            SyncBatch.entity_type == "organization",
            SyncBatch.entity_id == organization_id,
            ProposedOperation.operation == OperationKind.merge,
            ProposedOperation.status == ProposalStatus.pending,
        )
    )
    keys = {}
    for proposal in proposals:
        versions = {str(s.post_id): s.expected_version for s in proposal.merge_sources}
        versions[str(proposal.target_post_id)] = proposal.expected_version or 0
        keys[merge_key(versions)] = str(proposal.batch_id)
    return keys


class DuplicateGroups(BaseModel):
    """The large model's answer for one candidate group: sets of post ids that are the
    same service for the same audience."""

    duplicate_sets: list[list[str]]


def canonical_first(group: Sequence[PostInfo]) -> list[PostInfo]:
    """Active over pending, then website > facebook > instagram > tiktok > x, then the
    most complete."""
    return sorted(group, key=lambda p: (not p.active, p.source_priority, -completeness(p.content)))


def merged_content(ordered: Sequence[PostInfo]) -> dict[str, Any]:
    """The canonical's content, with what only the duplicates knew filled in."""
    merged = dict(ordered[0].content)
    contact = dict(merged.get("contact") or {})
    for other in ordered[1:]:
        for key, value in (other.content.get("contact") or {}).items():
            contact.setdefault(key, value)
        for key in ("location", "summary", "audience"):
            if not merged.get(key) and other.content.get(key):
                merged[key] = other.content[key]
        if not merged.get("schedule") and other.content.get("schedule"):
            merged["schedule"] = other.content["schedule"]
        merged["tags"] = sorted(
            set(merged.get("tags") or []) | set(other.content.get("tags") or [])
        )
    merged["contact"] = contact
    return merged


def template_reason(ordered: Sequence[PostInfo], labels: Sequence[str]) -> str:
    """The offline merge reason an admin reads (the small model writes one when online)."""
    kept = ordered[0].content["title"]
    where = " and ".join(sorted(set(labels))) or "the same source"
    return f"{len(ordered)} posts describe the same service ({where}); keeping {kept!r}."


def embed_posts(posts: Sequence[PostInfo], embedder: Embedder) -> np.ndarray:
    if not posts:
        return np.zeros((0, 384), dtype=np.float32)
    return embedder.embed([p.text for p in posts])
