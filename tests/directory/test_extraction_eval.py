"""`sift eval extraction`: the scoring rules on hand-made cases, bad input as one line, and
the LLM engine measured end to end against the scripted OpenAI-compatible server."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sift.cli import app
from sift.directory.extraction import Contact, ExtractedPost, ScheduleEntry
from sift.directory.extraction.evaluation import (
    Case,
    GoldPost,
    match_posts,
    parse_case,
    same_phone,
    score_case,
    summarise,
)
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.support.cli import cli_error_line
from tests.support.recording import recorded_runs, settings_database

__all__ = ["settings_database"]  # a fixture

KEYS = {
    "precision", "recall", "f1", "cases", "junk_cases", "junk_cases_with_posts", "junk_posts",
    "phone_acc", "where_acc", "days_acc",
}  # fmt: skip


def post(title: str, summary: str = "", **fields: object) -> ExtractedPost:
    return ExtractedPost(key=title.lower(), title=title, summary=summary, description="", **fields)


def case(*golds: GoldPost) -> Case:
    return Case(id="c", org="Org", today=date(2026, 11, 15), pages=(), posts=golds)


PANTRY = GoldPost(name="pantry", phrases=("food pantry", "groceries"), phone="6125550147",
                  where="2418 Emerson", days=frozenset({"mon", "wed"}))  # fmt: skip
TUTORING = GoldPost(name="tutoring", phrases=("homework help",))
DONATE = GoldPost(name="donations", phrases=("donate",), optional=True)


def test_a_gold_post_matches_at_most_one_predicted_post() -> None:
    predicted = [post("Food Pantry"), post("Pantry hours", "Free groceries on Mondays")]
    score = score_case(case(PANTRY, TUTORING), predicted)
    assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 1, 1)


def test_matching_is_maximal_not_greedy() -> None:
    # The first post could take either gold; a greedy pairing would leave the second unmatched.
    first = post("Food pantry and homework help")
    second = post("Homework help")
    assert match_posts([first, second], [PANTRY, TUTORING]) == {0: 0, 1: 1}


def test_optional_gold_counts_neither_way() -> None:
    found = score_case(case(PANTRY, DONATE), [post("Food Pantry"), post("Donate food")])
    missed = score_case(case(PANTRY, DONATE), [post("Food Pantry")])
    for score in (found, missed):
        assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 0, 0)


def test_every_post_on_a_junk_case_is_false() -> None:
    metrics = summarise([score_case(case(), [post("Pizza"), post("Calzone")])])
    assert metrics.precision == 0.0
    assert (metrics.junk_cases, metrics.junk_cases_with_posts, metrics.junk_posts) == (1, 1, 2)


def test_fields_are_checked_on_matched_posts() -> None:
    right = post(
        "Food Pantry",
        contact=Contact(phone="(612) 555-0147 ext. 2"),
        location="Lower level, 2418 Emerson Ave N",
        schedule=[ScheduleEntry(days=["Monday", "Wednesday"])],
    )
    metrics = summarise([score_case(case(PANTRY), [right])])
    assert (metrics.phone_acc, metrics.where_acc, metrics.days_acc) == (1.0, 1.0, 1.0)
    wrong = right.model_copy(update={"schedule": [ScheduleEntry(days=["Monday"])]})
    assert summarise([score_case(case(PANTRY), [wrong])]).days_acc == 0.0


def test_phones_compare_as_dialled_inside_their_country() -> None:
    assert same_phone("01632 960418", "01632960418")
    assert same_phone("+44 1632 960418", "01632960418")
    assert same_phone("(02) 5550 4477", "0255504477")
    assert same_phone("+1 612-555-0147", "6125550147")
    assert not same_phone("(612) 555-0148", "6125550147")
    assert not same_phone(None, "6125550147")


def test_a_case_without_pages_is_refused() -> None:
    with pytest.raises(ValueError, match="'pages'"):
        parse_case({"id": "x", "org": "O", "today": "2026-11-15", "pages": [], "posts": []})


CASES = [
    {"id": "pantry", "org": "Elm Street Pantry", "today": "2026-11-15",
     "pages": [{"url": "https://elm.example.org/", "source_type": "website", "title": "Pantry",
                "content": "# Food Pantry\n\nFree groceries every Tuesday 10am-2pm at 12 Elm "
                           "Street. Call (555) 010-0150."}],
     "posts": [{"name": "pantry", "kind": "service", "any": ["food pantry"],
                "phone": "5550100150", "days": ["tue"]}]},
    {"id": "menu", "org": "Luigi's", "today": "2026-11-15",
     "pages": [{"url": "https://luigi.example.com/menu", "source_type": "website",
                "title": "Menu", "content": "# Menu\n\n- Margherita - $12\n- Funghi - $14"}],
     "posts": []},
]  # fmt: skip


def write_cases(path: Path, cases: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    return path


def test_bad_line_is_one_error_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "cases.jsonl"
    bad.write_text(json.dumps(CASES[0]) + "\n{not json\n", encoding="utf-8")
    line = cli_error_line("eval", "extraction", "--data", str(bad), "--json")
    assert f"{bad}, line 2: not JSON" in line


def test_llm_engine_is_scored_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = write_cases(tmp_path / "cases.jsonl", CASES)
    predictions = tmp_path / "out.jsonl"
    listing = {
        "title": "Food Pantry", "summary": "Free groceries every Tuesday.",
        "description": "Free groceries.", "audience": None,
        "contact": {"phone": "(555) 010-0150", "email": None, "website": None,
                    "intake_form": None},
        "location": "12 Elm Street",
        "schedule": [{"days": ["Tuesday"], "start": "10:00", "end": "14:00", "note": None}],
        "tags": [],
    }  # fmt: skip
    pantry = {"title": "Food Pantry", "audience": None, "text": "Groceries.", "page_ids": ["p1"]}
    with FakeOpenAIServer() as server:
        server.enqueue(
            Reply.json({"narratives": [pantry]}),
            Reply.json(listing),
            Reply.json({"narratives": []}),
        )
        monkeypatch.setenv("SIFT_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("SIFT_LLM_API_KEY", "sk-fake")
        from sift.ai.llm import get_llm
        from sift.config import get_settings

        get_settings.cache_clear()
        get_llm.cache_clear()  # a client cached by an earlier test knows no endpoint
        try:
            result = CliRunner().invoke(
                app,
                ["eval", "extraction", "--data", str(data), "--engine", "llm",
                 "--predictions", str(predictions), "--json", "--no-record"],
            )  # fmt: skip
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()
            get_llm.cache_clear()
        prompts = [r.prompt for r in server.chat_requests]
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures.keys() >= KEYS
    assert (figures["precision"], figures["recall"], figures["phone_acc"]) == (1.0, 1.0, 1.0)
    assert (figures["junk_cases"], figures["junk_cases_with_posts"]) == (1, 0)
    assert "Today's date: 2026-11-15" in prompts[0]
    lines = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["pantry", "menu"]
    assert lines[0]["posts"][0]["title"] == "Food Pantry" and lines[1]["posts"] == []


def test_each_run_is_recorded_in_the_configured_database_unless_told_not_to(
    tmp_path: Path, settings_database: str, pg_admin_url: str
) -> None:
    """The figures land in the database Sift's settings name, even when this process was
    pointed at another one (as a scorer's scratch database leaves it)."""
    from sqlalchemy import make_url

    from sift import db
    from tests.conftest import fresh_database

    data = write_cases(tmp_path / "cases.jsonl", CASES)
    elsewhere = fresh_database(pg_admin_url, "elsewhere")
    db.configure(elsewhere)
    try:
        recorded = CliRunner().invoke(app, ["eval", "extraction", "--data", str(data), "--json"])
        skipped = CliRunner().invoke(
            app, ["eval", "extraction", "--data", str(data), "--no-record"]
        )
    finally:
        db.configure(settings_database)
        db.drop_database(make_url(pg_admin_url), make_url(elsewhere).database or "")
    assert recorded.exit_code == 0, recorded.output
    assert skipped.exit_code == 0, skipped.output
    [run] = recorded_runs("extraction")
    figures = json.loads(recorded.stdout.strip().splitlines()[-1])
    assert (run.variant, run.dataset, run.precision, run.recall) == (
        "rules", "cases.jsonl", figures["precision"], figures["recall"],
    )  # fmt: skip
    assert run.figures["junk_cases"] == 1 and run.sift_version and run.recorded_at
