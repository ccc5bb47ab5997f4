"""Scoring the clean-up's merge groups against gold duplicate groups (`sift eval cleanup`).

Pure functions over plain data (but `case_groups`, which runs the clean-up), so the
figures can be checked by hand: a file of organizations (each with its posts and gold
`duplicates` groups, format in `shared/data/extraction/README.md`, Part B) is read and
checked completely first; the
clean-up's groups are then scored *pairwise* — every pair of posts inside one group is a
merge the clean-up proposes — because a pair is what an admin approves or loses: a group of
three with one stranger in it is two wrong merges, not a third of a mistake.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sift.directory.cleanup.service import AskLLM, PostInfo, find_duplicate_groups
from sift.directory.same_service import TUNING, Tuning
from sift.evaluation import EvaluationInputError, numbered_lines
from sift.metrics import pairs_in_groups, precision_recall_f1

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder

__all__ = [
    "CleanupCase",
    "CleanupMetrics",
    "case_groups",
    "merged_look_alikes",
    "read_cases",
    "read_look_alikes",
    "score",
]

_TEXT_FIELDS = ("summary", "description", "audience", "location")


@dataclass(frozen=True)
class CleanupCase:
    """One organization: its posts (contents keyed by their `id`) and gold duplicate groups."""

    org: str
    posts: list[dict[str, Any]]
    duplicates: list[list[str]]


@dataclass(frozen=True)
class CleanupMetrics:
    """Pairwise precision/recall/F1; `pairs` is the number of gold duplicate pairs."""

    precision: float
    recall: float
    f1: float
    pairs: int
    proposed: int
    correct: int


def case_groups(
    case: CleanupCase,
    *,
    embedder: Embedder,
    ask_llm: AskLLM | None = None,
    tuning: Tuning = TUNING,
) -> list[list[str]]:
    """The clean-up's own merge groups for one organization's posts (the one impure
    function here): `sift eval cleanup` and the cross-validation bench both call it, so
    they score exactly what the workflow would stage."""
    posts = [PostInfo(id=p["id"], content=p, active=True, source_priority=0) for p in case.posts]
    return find_duplicate_groups(posts, embedder=embedder, ask_llm=ask_llm, tuning=tuning).groups


def score(
    cases: Sequence[CleanupCase], predicted: Sequence[Sequence[Sequence[str]]]
) -> CleanupMetrics:
    """Score predicted groups (one list of groups per case, in order) against the gold."""
    gold_total = proposed = correct = 0
    for case, groups in zip(cases, predicted, strict=True):
        gold = {(case.org, pair) for pair in pairs_in_groups(case.duplicates)}
        guessed = {(case.org, pair) for pair in pairs_in_groups(groups)}
        gold_total += len(gold)
        proposed += len(guessed)
        correct += len(gold & guessed)
    scores = precision_recall_f1(correct, proposed, gold_total)
    return CleanupMetrics(*scores, gold_total, proposed, correct)


def read_cases(path: Path) -> list[CleanupCase]:
    """Read and check a whole file; a problem raises `EvaluationInputError` (a ValueError)
    naming the file and the 1-based line, so nothing is scored from a file that is only
    partly readable."""
    cases = []
    for number, line in numbered_lines(path):
        try:
            cases.append(_case(line))
        except ValueError as error:
            raise EvaluationInputError(f"{path}, line {number}: {error}") from None
    if not cases:
        raise EvaluationInputError(f"{path}: no organizations (the file is empty)")
    return cases


def _case(line: str) -> CleanupCase:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object with org, posts and duplicates")
    org = record.get("org")
    if not isinstance(org, str) or not org.strip():
        raise ValueError('"org" must be a non-empty string')
    posts = record.get("posts")
    if not isinstance(posts, list) or not posts:
        raise ValueError('"posts" must be a non-empty list')
    ids = [_check_post(post, k) for k, post in enumerate(posts, start=1)]
    if len(set(ids)) != len(ids):
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"post id {repeated[0]!r} is used twice")
    return CleanupCase(org=org, posts=posts, duplicates=_check_groups(record, set(ids)))


def _check_post(post: Any, k: int) -> str:
    if not isinstance(post, dict):
        raise ValueError(f"post {k} is not an object")
    post_id, title = post.get("id"), post.get("title")
    if not isinstance(post_id, str) or not post_id:
        raise ValueError(f'post {k} has no "id" string')
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f'post {post_id!r} has no "title" string')
    for name in _TEXT_FIELDS:
        if post.get(name) is not None and not isinstance(post[name], str):
            raise ValueError(f'post {post_id!r}: "{name}" must be a string or null')
    if post.get("contact") is not None and not isinstance(post["contact"], dict):
        raise ValueError(f'post {post_id!r}: "contact" must be an object or null')
    schedule = post.get("schedule")
    if schedule is not None and not (
        isinstance(schedule, list) and all(isinstance(s, dict) for s in schedule)
    ):
        raise ValueError(f'post {post_id!r}: "schedule" must be a list of objects')
    return post_id


def _check_groups(record: dict[str, Any], ids: set[str]) -> list[list[str]]:
    groups = record.get("duplicates", [])
    if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
        raise ValueError('"duplicates" must be a list of lists of post ids')
    seen: set[str] = set()
    for group in groups:
        if len(group) < 2:
            raise ValueError(f"duplicate group {group} has fewer than two ids")
        for post_id in group:
            if post_id not in ids:
                raise ValueError(f"duplicate group names unknown post id {post_id!r}")
            if post_id in seen:
                raise ValueError(f"post id {post_id!r} is in two duplicate groups")
            seen.add(post_id)
    return groups


def read_look_alikes(path: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Annotated look-alike pairs (`hard_negatives.jsonl`: org, pairs of two ids and the
    reason they must not merge), by organization."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for number, line in numbered_lines(path):
        try:
            record = json.loads(line)
            found[record["org"]] = [(str(a), str(b), str(why)) for a, b, why in record["pairs"]]
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise EvaluationInputError(f"{path}, line {number}: {error}") from None
    return found


def merged_look_alikes(
    groups: Sequence[Sequence[str]], look_alikes: Sequence[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """The look-alike pairs that landed in one merge group: listings a merge would destroy."""
    merged = pairs_in_groups(groups)
    return [(a, b, why) for a, b, why in look_alikes if frozenset((a, b)) in merged]
