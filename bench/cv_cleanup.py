"""Cross-validate the clean-up's "same service?" judgement by organization.

Usage:
    python bench/cv_cleanup.py [--data DEV.jsonl] [--hard HARD.jsonl] [--cost C]

The judgement's rules (vetoes, clues) are code; its fitted part is the similarity bar per
amount of evidence (`service_matching.BARS`). A figure on the posts the bars were chosen on
says little about posts nobody here wrote, so each organization is scored by bars fitted on
the *other* organizations only (leave-one-organization-out), with the same fitting
procedure that chose the shipped bars; `shipped` shows the code's bars on every fold, for
comparison (a fitted figure). Pairs are grouped as the clean-up groups them (complete
linkage) and scored pairwise, like `sift eval cleanup`.

It also prints how many look-alike pairs (`hard_negatives.jsonl`) the evidence alone would
merge if no veto stopped them: a judgement that generalises should not rest on one line of
defence. Embeddings are cached under /tmp (see `tune_dedup.py`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tune_dedup import DiskCachedEmbedder

from sift.directory.cleanup import PostInfo, candidate_pairs, complete_linkage_groups, embed_posts
from sift.directory.cleanup_scoring import CleanupCase, merge_pairs, read_cases
from sift.directory.matching import precision_recall_f1
from sift.directory.service_matching import BARS, PairEvidence, decide

DATA = Path("/work/shared/data/posts_dedup")
GRID = [round(0.20 + 0.01 * k, 2) for k in range(81)] + [1.01]
"""Similarity bars tried per evidence level; 1.01 means "never on this evidence alone"."""


@dataclass(frozen=True)
class Org:
    """One organization's judged pairs: (i, j) → evidence, gold label, hard-negative flag."""

    case: CleanupCase
    pairs: list[tuple[int, int]]
    evidence: list[PairEvidence]
    gold: list[bool]
    hard: list[bool]


def load(data: Path, hard_path: Path, embedder: DiskCachedEmbedder) -> list[Org]:
    from sift.directory.service_matching import pair_evidence

    hard_by_org: dict[str, set[frozenset[str]]] = {}
    if hard_path.exists():
        for line in hard_path.read_text().splitlines():
            record = json.loads(line)
            hard_by_org[record["org"]] = {frozenset(p[:2]) for p in record["pairs"]}
    orgs = []
    for case in read_cases(data):
        posts = [PostInfo(p["id"], p, True, 0) for p in case.posts]
        pairs = sorted(candidate_pairs(posts, embed_posts(posts, embedder)))
        evidence = pair_evidence(case.posts, pairs, embedder=embedder)
        gold_pairs = merge_pairs(case.duplicates)
        keys = [frozenset((posts[i].id, posts[j].id)) for i, j in pairs]
        hard = hard_by_org.get(case.org, set())
        orgs.append(
            Org(case, pairs, evidence, [k in gold_pairs for k in keys], [k in hard for k in keys])
        )
    return orgs


def levels(orgs: Sequence[Org]) -> list[float]:
    """The evidence levels a bar is fitted for: the shipped ones (more than two clues' worth
    is rare, so it shares the bar of two rather than getting a noisy one of its own)."""
    return [level for level, _ in BARS]


def fit_bars(orgs: Sequence[Org], cost: float, at: Sequence[float]) -> list[tuple[float, float]]:
    """One bar per evidence level, each maximising (right merges - cost x wrong merges) over
    the unvetoed pairs of that level (ties: the higher bar); a level without pairs gets the
    bar of the level below. A pair is judged by the lowest bar at or below its weight."""
    bars: list[tuple[float, float]] = []
    for k, level in enumerate(at):
        upper = at[k + 1] if k + 1 < len(at) else float("inf")
        rows = [
            (e.similarity, g)
            for o in orgs
            for e, g in zip(o.evidence, o.gold, strict=True)
            if not e.veto and not e.cross_language and level <= e.weight < upper
        ]
        if not rows:
            bars.append((level, bars[-1][1] if bars else GRID[-1]))
            continue
        gain = {
            bar: sum(g for v, g in rows if v >= bar)
            - cost * sum(not g for v, g in rows if v >= bar)
            for bar in GRID
        }
        # The highest of the best bars: just under the weakest right merge seen, so that
        # precision, not recall, takes the benefit of the doubt.
        bars.append((level, max(GRID, key=lambda bar: (gain[bar], bar))))
    return bars


def groups_of(org: Org, bars: Sequence[tuple[float, float]]) -> list[list[str]]:
    accepted = {
        pair: e.similarity
        for pair, e in zip(org.pairs, org.evidence, strict=True)
        if decide(e, bars).duplicate
    }
    ids = [p["id"] for p in org.case.posts]
    return [[ids[i] for i in g] for g in complete_linkage_groups(accepted)]


def counts(org: Org, groups: list[list[str]]) -> tuple[int, int, int]:
    """(correct, proposed, gold) merge pairs of one organization."""
    gold, guessed = merge_pairs(org.case.duplicates), merge_pairs(groups)
    return len(gold & guessed), len(guessed), len(gold)


def report(name: str, per_fold: list[tuple[str, tuple[int, int, int]]], verbose: bool) -> None:
    if verbose:
        for org, (c, p, g) in per_fold:
            pr, rc, _ = precision_recall_f1(c, p, g)
            print(f"  {org[:34]:<34} P={pr:.2f} R={rc:.2f}  ({c} right of {p} proposed, {g} gold)")
    c, p, g = (sum(x[1][k] for x in per_fold) for k in range(3))
    pr, rc, f1 = precision_recall_f1(c, p, g)
    print(f"{name:<28} pooled P={pr:.3f} R={rc:.3f} F1={f1:.3f}  ({c}/{p} proposed, {g} gold)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA / "dev.jsonl")
    parser.add_argument("--hard", type=Path, default=DATA / "hard_negatives.jsonl")
    parser.add_argument("--cost", type=float, default=3.0, help="a wrong merge costs C right ones")
    parser.add_argument("--quiet", action="store_true", help="pooled figures only")
    args = parser.parse_args()

    orgs = load(args.data, args.hard, DiskCachedEmbedder())
    at = levels(orgs)
    print(f"{len(orgs)} organizations, {sum(map(len, (o.pairs for o in orgs)))} pairs judged")

    print("\nshipped bars on every organization (fitted: the bars were chosen on these posts)")
    report("shipped", [(o.case.org, counts(o, groups_of(o, BARS))) for o in orgs], not args.quiet)

    print(f"\nleave-one-organization-out (bars re-fitted without the scored org, cost {args.cost})")
    folds = []
    for k, held in enumerate(orgs):
        bars = fit_bars(orgs[:k] + orgs[k + 1 :], args.cost, at)
        folds.append((held.case.org, counts(held, groups_of(held, bars))))
    report("cross-validated", folds, not args.quiet)
    print(f"bars fitted on all organizations: {fit_bars(orgs, args.cost, at)}")

    leaks = [
        (o.case.org, o.case.posts[i]["id"], o.case.posts[j]["id"], e)
        for o in orgs
        for (i, j), e, h in zip(o.pairs, o.evidence, o.hard, strict=True)
        if h and decide(PairEvidence("", e.clues, e.similarity, e.cross_language)).duplicate
    ]
    total_hard = sum(sum(o.hard) for o in orgs)
    print(f"\nlook-alike pairs the evidence alone would merge: {len(leaks)} of {total_hard}")
    for org, a, b, e in leaks:
        print(f"  {org[:30]:<30} {a}-{b} sim={e.similarity:.2f} {', '.join(e.clues)} ({e.veto})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
