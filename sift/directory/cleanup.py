"""Duplicate detection for the Clean Up Org Posts workflow.

The origin sent every post of an organization to one LLM call, which broke past ~200
posts. Here candidate pairs are found first by *blocking* — nearest neighbours in
embedding space plus posts sharing an identifier (phone, email, URL, code) — and only
those candidates are judged: by the large model when an LLM is configured, else by the
offline duplicate matcher. Different audiences are never duplicates (identity =
organization x service x audience).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel

from sift.ai.embeddings import Embedder
from sift.directory.matching import DuplicateMatcher, extract_identifiers
from sift.directory.sync import as_record, completeness

NEIGHBOURS = 8
"""Nearest neighbours per post considered as candidates (besides shared identifiers)."""
MIN_COSINE = 0.55
"""Below this embedding similarity a pair is only a candidate if it shares an identifier."""
MAX_SHARED_ID_GROUP = 50
"""An identifier on more posts than this (the org's main phone) says nothing about pairs."""


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


def candidate_pairs(
    posts: Sequence[PostInfo], vectors: np.ndarray, *, neighbours: int = NEIGHBOURS
) -> set[tuple[int, int]]:
    """Index pairs worth judging: each post's nearest neighbours above MIN_COSINE, and
    posts sharing a (not too common) identifier. Work grows with n x neighbours, not n²
    judgements; the similarity matrix is computed in row blocks to bound memory."""
    pairs: set[tuple[int, int]] = set()
    n = len(posts)
    if n < 2:
        return pairs
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
    return {(a, b) for a, b in pairs if posts[a].audience == posts[b].audience}


def groups_from_pairs(n: int, pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected components (size ≥ 2) of the accepted duplicate pairs."""
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


def judge_offline(
    posts: Sequence[PostInfo], pairs: Sequence[tuple[int, int]], matcher: DuplicateMatcher
) -> list[tuple[int, int]]:
    if not pairs:
        return []
    records = [(as_record(posts[a].content), as_record(posts[b].content)) for a, b in pairs]
    decisions = matcher.is_duplicate(records)
    return [pair for pair, same in zip(pairs, decisions, strict=True) if same]


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
