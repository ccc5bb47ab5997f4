"""`sift eval cleanup`: pairwise figures on hand-made organizations, predictions written per
organization, and one clear line naming the file and line on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sift.cli import app
from sift.directory.evaluation.cleanup_scoring import CleanupCase, read_cases, score
from tests.support.cli import cli_error_line
from tests.support.recording import recorded_runs, settings_database

__all__ = ["settings_database"]  # a fixture


def case(org: str, ids: list[str], duplicates: list[list[str]]) -> CleanupCase:
    return CleanupCase(org, [{"id": i, "title": i} for i in ids], duplicates)


def test_pairs_inside_groups_are_scored_pairwise() -> None:
    cases = [
        case("a", ["p1", "p2", "p3", "p4"], [["p1", "p2", "p3"]]),
        case("b", ["p1", "p2"], [["p1", "p2"]]),
    ]
    # Org a: one right pair and one stranger in a group of three (1 right, 2 wrong); org b:
    # nothing proposed. Gold: 3 + 1 pairs.
    metrics = score(cases, [[["p1", "p2", "p4"]], []])
    assert (metrics.pairs, metrics.proposed, metrics.correct) == (4, 3, 1)
    assert metrics.precision == pytest.approx(1 / 3)
    assert metrics.recall == pytest.approx(1 / 4)
    assert metrics.f1 == pytest.approx(2 * (1 / 3) * (1 / 4) / (1 / 3 + 1 / 4))


def test_the_same_ids_in_two_organizations_are_different_posts() -> None:
    cases = [case("a", ["p1", "p2"], [["p1", "p2"]]), case("b", ["p1", "p2"], [])]
    metrics = score(cases, [[], [["p1", "p2"]]])
    assert (metrics.precision, metrics.recall, metrics.proposed) == (0.0, 0.0, 1)


def write_cases(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


GOOD = json.dumps(
    {
        "org": "Maplewood Arts",
        "posts": [
            {
                "id": "a",
                "title": "Maplewood Community Choir",
                "summary": "Rehearsals every Thursday evening in the Fellowship Hall.",
                "schedule": [{"days": ["Thursday"], "start": "19:00", "end": "20:30"}],
            },
            {
                "id": "b",
                "title": "Come sing with us!",
                "summary": "Choir practice Thursdays at 7pm in the hall, all voices welcome.",
                "schedule": [{"days": ["Thursday"], "start": "19:00", "end": None}],
            },
            {"id": "c", "title": "Donate Sheet Music", "summary": "Give music you no longer use."},
        ],
        "duplicates": [["a", "b"]],
    }
)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ('{"org": "x", "posts": []}', '"posts" must be a non-empty list'),
        ('{"org": "x", "posts": [{"id": "a"}]}', "has no \"title\" string"),
        ('{"org": "x", "posts": [{"id": "a", "title": "A"}], "duplicates": [["a", "z"]]}',
         "unknown post id 'z'"),
    ],
)  # fmt: skip
def test_bad_lines_name_the_file_and_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = write_cases(tmp_path / "cases.jsonl", GOOD, line)
    with pytest.raises(ValueError, match=message) as caught:
        read_cases(path)
    assert str(caught.value).startswith(f"{path}, line 2: ")


def test_cli_scores_the_clean_ups_own_decision_and_writes_predictions(
    tmp_path: Path, settings_database: str
) -> None:
    data = write_cases(tmp_path / "cases.jsonl", GOOD)
    out = tmp_path / "groups.jsonl"
    result = CliRunner().invoke(
        app, ["eval", "cleanup", "--data", str(data), "--predictions", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["precision"], summary["recall"], summary["pairs"]) == (1.0, 1.0, 1)
    assert json.loads(out.read_text()) == {"org": "Maplewood Arts", "groups": [["a", "b"]]}
    [run] = recorded_runs("cleanup")
    assert (run.dataset, run.variant, run.precision, run.f1) == ("cases.jsonl", "offline", 1.0, 1.0)
    assert run.figures["pairs"] == 1 and run.dataset_path == str(data.resolve())


def test_real_cli_prints_one_line_and_exits_1(tmp_path: Path) -> None:
    bad = write_cases(tmp_path / "bad.jsonl", GOOD, "just some text")
    line = cli_error_line("eval", "cleanup", "--data", str(bad), "--json")
    assert f"{bad}, line 2" in line
