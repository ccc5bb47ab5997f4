"""How far the clean-up's offline judgement generalises: leave-one-organization-out.

Usage:
    .venv/bin/python bench/cross_validate_cleanup.py [--data DEV.jsonl] [--look-alikes HN.jsonl]
        [--errors]

`sift eval cleanup` scores the shipped judgement on the very organizations it was written
against, so its figures are *fitted*. Here every fitted number of the judgement (the
similarity bars, the clue weights, the start-time gap, how rare a shared marker must be,
how unlike two audiences must read: `sift.directory.same_service.Tuning`) is refitted on
all organizations but one, over a grid around the shipped values, and the held-out
organization is scored with the refit: summed over the folds, that is the cross-validated
pair precision and recall, and the number of annotated look-alike pairs the refit merged.
The word lists (roles, genders, ages, kinds of offer) are not refitted here: they are read
against the labelling decisions, not against the pairs.

Each fold picks the tuning with the best F0.5 on its training organizations (precision
weighs more: a wrong merge destroys a listing, a miss leaves a duplicate a person sees),
ties going to the strictest grid point. Groups are computed by the
clean-up's own code (`cleanup_scoring.case_groups`, what `sift eval cleanup` runs), with
embeddings cached in memory, so the grid costs regex work only.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from sift.ai.embeddings import Embedder, get_embedder
from sift.directory.evaluation.cleanup_scoring import (
    CleanupCase,
    case_groups,
    merged_look_alikes,
    read_cases,
    read_look_alikes,
)
from sift.directory.same_service import TUNING, Tuning, judge_post_pairs
from sift.metrics import pairs_in_groups, precision_recall_f1

DATA = Path(__file__).resolve().parents[2] / "shared/data/posts_dedup"


class CachedEmbedder:
    """The configured embedder, each distinct text embedded once for the whole grid."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimensions = inner.dimensions
        self.cache: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self.cache})
        if missing:
            self.cache.update(zip(missing, self.inner.embed(missing), strict=True))
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])


@dataclass(frozen=True)
class Outcome:
    """One organization under one tuning: pair counts and what went wrong."""

    gold: int
    proposed: int
    correct: int
    wrong: tuple[tuple[str, str], ...]
    missed: tuple[tuple[str, str], ...]
    look_alikes: tuple[tuple[str, str, str], ...]


def outcome(
    case: CleanupCase, groups: list[list[str]], look_alikes: list[tuple[str, str, str]]
) -> Outcome:
    gold = pairs_in_groups(case.duplicates)
    guessed = pairs_in_groups(groups)
    return Outcome(
        gold=len(gold),
        proposed=len(guessed),
        correct=len(gold & guessed),
        wrong=tuple(sorted(tuple(sorted(p)) for p in guessed - gold)),  # type: ignore[misc]
        missed=tuple(sorted(tuple(sorted(p)) for p in gold - guessed)),  # type: ignore[misc]
        look_alikes=tuple(merged_look_alikes(groups, look_alikes)),
    )


def grid() -> list[Tuning]:
    """The shipped tuning first, then a grid around it."""
    tunings = [TUNING]
    for none, half, one, two, word, contact, gap, share, audience in itertools.product(
        (0.74, 0.78, 0.82),
        (0.64, 0.68),
        (0.50, 0.55, 0.65),
        (0.25, 0.40),
        (0.0, 0.5, 1.0),
        (0.5, 1.0),
        (30, 60),
        (3, 4),
        (0.0, 0.25, 0.4),
    ):
        bars = (
            (0.0, none),
            (0.5, half),
            (1.0, one),
            (1.5, (one + two) / 2),
            (2.0, two),
        )
        weights = {
            **TUNING.clue_weights,
            "title word only they use": word,
            "contact only they share": contact,
        }
        tunings.append(
            replace(
                TUNING,
                bars=bars,
                clue_weights=weights,
                max_start_gap_minutes=gap,
                rare_share=share,
                audience_floor=audience,
            )
        )
    return tunings


def strictness(tuning: Tuning) -> float:
    """Ties go to the strictest grid point (higher bars, lighter clues, a wider audience
    veto, a tighter time veto), never to the shipped one: a fold must not learn from the
    organization it holds out through what the shipped tuning was fitted to."""
    return (
        sum(needed for _, needed in tuning.bars)
        - sum(tuning.clue_weights.values())
        + tuning.audience_floor
        - tuning.max_start_gap_minutes / 60
        - tuning.rare_share
    )


def totals(outcomes: Sequence[Outcome]) -> tuple[float, float, float, int, int, int, int]:
    """Precision, recall, F0.5, gold pairs, proposed, correct, look-alikes merged."""
    gold = sum(o.gold for o in outcomes)
    proposed = sum(o.proposed for o in outcomes)
    correct = sum(o.correct for o in outcomes)
    precision, recall, _ = precision_recall_f1(correct, proposed, gold)
    beta2 = 0.25
    denominator = beta2 * precision + recall
    f_half = (1 + beta2) * precision * recall / denominator if denominator else 0.0
    merged = sum(len(o.look_alikes) for o in outcomes)
    return precision, recall, f_half, gold, proposed, correct, merged


def line(label: str, outcomes: Sequence[Outcome]) -> str:
    precision, recall, f_half, gold, proposed, correct, merged = totals(outcomes)
    return (
        f"{label}: precision {precision:.3f} recall {recall:.3f} F0.5 {f_half:.3f} "
        f"({correct} of {proposed} proposed pairs right, {gold} gold pairs; "
        f"{merged} look-alike pairs merged)"
    )


def describe(tuning: Tuning) -> str:
    bars = "/".join(f"{needed:.2f}" for _, needed in tuning.bars)
    weights = tuning.clue_weights
    return (
        f"bars {bars}, title word {weights['title word only they use']}, "
        f"contact {weights['contact only they share']}, gap {tuning.max_start_gap_minutes}, "
        f"rare {tuning.rare_share}, audience {tuning.audience_floor}"
    )


def held_apart_by_rule(
    cases: Sequence[CleanupCase],
    look_alikes: dict[str, list[tuple[str, str, str]]],
    embedder: CachedEmbedder,
) -> tuple[int, int, list[str]]:
    """How many annotated look-alikes a veto (role, audience, edition, kind, day, place...)
    keeps apart, not only too little similarity: wording is what changes on organizations
    the judgement never saw, so a look-alike kept apart by wording alone is at risk there."""
    vetoed, total, by_wording = 0, 0, []
    for case in cases:
        index = {post["id"]: k for k, post in enumerate(case.posts)}
        pairs = [(index[a], index[b]) for a, b, _ in look_alikes.get(case.org, [])]
        verdicts = judge_post_pairs(case.posts, pairs, embedder=embedder)
        for (a, b, why), verdict in zip(look_alikes.get(case.org, []), verdicts, strict=True):
            total += 1
            vetoed += verdict.vetoed
            if not verdict.vetoed:
                by_wording.append(f"{case.org} {a}-{b} ({verdict.similarity:.2f}): {why}")
    return vetoed, total, by_wording


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA / "dev.jsonl")
    parser.add_argument("--look-alikes", type=Path, default=DATA / "hard_negatives.jsonl")
    parser.add_argument("--errors", action="store_true", help="List every wrong and missed pair.")
    args = parser.parse_args(argv)

    cases = read_cases(args.data)
    look_alikes = read_look_alikes(args.look_alikes)
    embedder = CachedEmbedder(get_embedder())
    tunings = grid()
    print(f"{len(cases)} organizations, {len(tunings)} tunings", file=sys.stderr)
    table = [
        [
            outcome(
                case, case_groups(case, embedder=embedder, tuning=t), look_alikes.get(case.org, [])
            )
            for case in cases
        ]
        for t in tunings
    ]

    print(line("fitted (shipped tuning, every organization)", table[0]))
    vetoed, total, by_wording = held_apart_by_rule(cases, look_alikes, embedder)
    print(f"look-alike pairs kept apart by a rule, not only by wording: {vetoed} of {total}")
    if args.errors:
        for pair in by_wording:
            print(f"  by wording only: {pair}")
    strict = [strictness(t) for t in tunings]
    best_all = max(range(len(tunings)), key=lambda k: (totals(table[k])[2], strict[k], -k))
    print(line("best grid point on every organization", table[best_all]))
    print(f"  = {describe(tunings[best_all])}")

    held_out: list[Outcome] = []
    for k, case in enumerate(cases):
        train = [j for j in range(len(cases)) if j != k]
        chosen = max(
            range(len(tunings)),
            key=lambda t: (totals([table[t][j] for j in train])[2], strict[t], -t),
        )
        result = table[chosen][k]
        held_out.append(result)
        print(
            f"  fold {case.org}: {result.correct}/{result.proposed} right of {result.gold}; "
            f"tuning {'shipped' if chosen == 0 else describe(tunings[chosen])}"
        )
        if args.errors:
            for a, b in result.wrong:
                print(f"    WRONG {a}-{b}")
            for a, b in result.missed:
                print(f"    MISSED {a}-{b}")
            for a, b, why in result.look_alikes:
                print(f"    LOOK-ALIKE {a}-{b}: {why}")
    print(line("cross-validated (leave one organization out)", held_out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
