"""The record matcher (sift.directory.record_matching) and its scoring and training
(sift.directory.evaluation.dedup_scoring): identifiers, Ditto parsing, decisions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sift.ai.embeddings import get_embedder
from sift.directory.evaluation.dedup_scoring import (
    evaluate,
    parse_ditto_line,
    precision_recall_curve_png,
    read_labelled_pairs,
    train,
)
from sift.directory.record_matching import (
    FEATURE_NAMES,
    DuplicateMatcher,
    MatcherWeights,
    Record,
    compute_features,
    extract_identifiers,
)
from sift.evaluation import EvaluationInputError


def post(title: str, text: str = "", **extra: str) -> Record:
    return Record(title=title, text=text, extra=dict(extra))


# Same real thing, posted twice with different wording (shared phone / e-mail / date / URL).
DUPLICATES = [
    (
        post(
            "Free tax help for seniors",
            "Volunteers file your 2023 return for free. Saturdays at the library.",
            contact="Call (555) 123-4567",
        ),
        post(
            "Free Tax Help for Seniors - Saturdays",
            "Free tax return filing for seniors at the library. Call 555-123-4567.",
        ),
    ),
    (
        post(
            "Community food bank distribution",
            "Fresh produce and pantry staples, no ID needed. 2024-05-04 at 10am.",
            contact="food@eastsidehelps.org",
        ),
        post(
            "Food bank distribution day",
            "Pantry staples and fresh produce for everyone on 04/05/2024, 10:00.",
            contact="FOOD@eastsidehelps.org",
        ),
    ),
    (
        post(
            "Youth soccer league registration",
            "Sign up at https://www.eastside-soccer.org/register before March 1.",
        ),
        post(
            "Register now: youth soccer league",
            "Registration for the youth soccer league: eastside-soccer.org/register",
        ),
    ),
]

# Different real things from the same organisation.
NON_DUPLICATES = [
    (
        post(
            "Free tax help for seniors",
            "Volunteers file your return for free. Saturdays at the library.",
            contact="Call (555) 123-4567",
        ),
        post(
            "Knitting circle",
            "Bring your yarn and needles, tea provided. Thursdays in the community room.",
            contact="Call (555) 987-6543",
        ),
    ),
    (
        post(
            "Community food bank distribution",
            "Fresh produce and pantry staples. 2024-05-04 at 10am.",
            contact="food@eastsidehelps.org",
        ),
        post(
            "Community food bank distribution",
            "Fresh produce and pantry staples. 2024-06-01 at 10am.",
            contact="food@eastsidehelps.org",
        ),
    ),
    (
        post("Yoga in the park", "Gentle morning yoga for all levels, bring a mat."),
        post("Used book sale", "Hardcovers $2, paperbacks $1, all proceeds to the library."),
    ),
]


# --------------------------------------------------------------------------- identifiers


def test_model_numbers_are_normalised_across_spellings() -> None:
    assert "lc32d64u" in extract_identifiers("Sharp Aquos LC-32D64U 32in LCD TV")
    assert "mb591lla" in extract_identifiers("AppleCare for iPod mb591ll/a")
    assert extract_identifiers("garmin 010-00718-40") == extract_identifiers("garmin 0100071840")


def test_specs_and_quantities_are_not_identifiers() -> None:
    ids = extract_identifiers("16gb 1080p 4x zoom 2-line phone 24-port 10/100 switch price 1999.0")
    assert ids == set()


def test_contact_identifiers_are_extracted() -> None:
    ids = extract_identifiers(
        "Mail Info@Example.org, see https://www.example.org/events/ or call +1 (555) 123-4567"
    )
    assert "email:info@example.org" in ids
    assert "url:example.org/events" in ids
    assert "5551234567" in ids
    assert extract_identifiers("call 555.123.4567") & extract_identifiers("phone 555-123-4567")
    # A sentence's full stop after the number still leaves a phone number.
    assert "5552013344" in extract_identifiers("Call (555) 201-3344.")
    assert "5552013344" in extract_identifiers("Pantry: +1 (555) 201-3344. Open Tuesdays")
    assert extract_identifiers("Call 555.123.4567.8") & {"5551234567"} == set()


def test_dates_are_normalised() -> None:
    assert "date:20240504" in extract_identifiers("on 2024-05-04")
    assert "date:20240504" in extract_identifiers("on 04/05/2024")


# --------------------------------------------------------------------------- parsing


def test_parse_ditto_line() -> None:
    line = (
        "COL name VAL sony rmv310 COL description VAL remote COL price VAL 14.72 \t"
        "COL name VAL sony remote control rmv310 COL description VAL  COL price VAL  \t1\n"
    )
    left, right, label = parse_ditto_line(line)
    assert label == 1
    assert left == Record("sony rmv310", "remote", {"price": "14.72"})
    assert right.title == "sony remote control rmv310"
    assert right.text == ""


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("COL name VAL a\tCOL name VAL b", "expected 3 tab-separated fields"),
        ("COL name VAL a\tCOL name VAL b\tyes", "label must be 0 or 1"),
        ("name a\tCOL name VAL b\t0", "left record does not start with 'COL <name> VAL'"),
        ("COL name VAL a\tjunk COL name VAL b\t1", "right record"),
    ],
)
def test_parse_errors_are_clear(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_ditto_line(line)


def test_read_file_reports_line_number(tmp_path: Path) -> None:
    path = tmp_path / "pairs.txt"
    path.write_text("COL name VAL a\tCOL name VAL a\t1\nbroken line\n", encoding="utf-8")
    with pytest.raises(EvaluationInputError, match=r"pairs\.txt, line 2: expected 3"):
        read_labelled_pairs(path)


# --------------------------------------------------------------------------- matching


def test_default_weights_are_trained_values() -> None:
    weights = MatcherWeights()
    assert weights.vector().shape == (len(FEATURE_NAMES),)
    assert np.any(weights.vector() != 0.0)
    assert 0.0 < weights.threshold < 1.0


def test_code_defaults_separate_obvious_post_duplicates() -> None:
    matcher = DuplicateMatcher(embedder=get_embedder())
    dup_scores = matcher.score_pairs(DUPLICATES)
    non_scores = matcher.score_pairs(NON_DUPLICATES)
    assert dup_scores.min() > non_scores.max()
    assert matcher.is_duplicate(DUPLICATES).all()
    assert not matcher.is_duplicate(NON_DUPLICATES).any()
    metrics = evaluate(DUPLICATES + NON_DUPLICATES, [1, 1, 1, 0, 0, 0], matcher)
    assert (metrics.precision, metrics.recall, metrics.f1, metrics.pairs) == (1.0, 1.0, 1.0, 6)


def test_empty_input_scores_nothing() -> None:
    matcher = DuplicateMatcher(embedder=get_embedder())
    assert matcher.score_pairs([]).shape == (0,)
    assert compute_features([], get_embedder()).shape == (0, len(FEATURE_NAMES))


def _synthetic_pairs() -> tuple[list[tuple[Record, Record]], list[int]]:
    """Items with codes: matches share the code, non-matches are other items."""
    items = [
        ("cordless drill", "dr"),
        ("garden hose", "gh"),
        ("rice cooker", "rc"),
        ("desk lamp", "dl"),
        ("winter jacket", "wj"),
        ("coffee grinder", "cg"),
        ("yoga mat", "ym"),
        ("bike helmet", "bh"),
    ]
    pairs: list[tuple[Record, Record]] = []
    labels: list[int] = []
    for i, (name, code) in enumerate(items):
        ident = f"{code}{100 + i}x"
        left = Record(f"acme {name} {ident}", f"the acme {name}, model {ident}")
        pairs.append((left, Record(f"{name} by acme {ident.upper()}", "")))
        labels.append(1)
        other_name, other_code = items[(i + 3) % len(items)]
        other = f"{other_code}{200 + i}z"
        pairs.append((left, Record(f"acme {other_name} {other}", f"model {other}")))
        labels.append(0)
    return pairs, labels


def test_training_on_synthetic_pairs_classifies_them(tmp_path: Path) -> None:
    pairs, labels = _synthetic_pairs()
    weights = train(pairs, labels, get_embedder(), folds=4)
    assert isinstance(weights, MatcherWeights)
    matcher = DuplicateMatcher(weights, get_embedder())
    metrics = evaluate(pairs, labels, matcher)
    assert metrics.precision == 1.0
    assert metrics.recall == 1.0
    png = precision_recall_curve_png(
        tmp_path / "pr.png", matcher.score_pairs(pairs), np.asarray(labels), weights.threshold
    )
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
