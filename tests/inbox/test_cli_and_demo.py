"""The inbox from the command line and the demo: file ingest, evaluation, benchmark."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from rich.console import Console
from typer.testing import CliRunner

from sift import db
from sift.api import create_app
from sift.cli import app
from sift.config import get_settings
from sift.inbox import clustering, demo, service

runner = CliRunner()


@pytest.fixture
def on_test_database(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Commands resolve the database from settings: point them at this module's."""
    monkeypatch.setenv("SIFT_DATABASE_URL", database)
    get_settings.cache_clear()
    yield database
    monkeypatch.undo()
    get_settings.cache_clear()
    db.configure(database)


def message(i: int, **changes: object) -> dict:
    return {
        "creator": "cli-creator",
        "channel": f"messaging:cli-{i}",
        "external_id": f"cli-{i}",
        "text": ["What camera do you use?", "Which camera do you film with?"][i % 2],
        **changes,
    }


def test_a_bad_item_stops_the_file_and_nothing_is_written(on_test_database, tmp_path) -> None:
    path = tmp_path / "messages.jsonl"
    path.write_text(json.dumps(message(0)) + "\n" + json.dumps(message(1, text="")) + "\n")
    result = runner.invoke(app, ["inbox", "ingest", str(path)])
    assert result.exit_code != 0
    assert "line 2: text" in str(result.exception)
    db.configure(on_test_database)
    with db.session_scope() as session:
        assert service.get_creator(session, "cli-creator") is None


def test_ingest_a_json_list_then_list_clusters(embedder, on_test_database, tmp_path) -> None:
    path = tmp_path / "messages.json"
    path.write_text(json.dumps([message(0), message(1)]))
    ingested = runner.invoke(app, ["inbox", "ingest", str(path)])
    assert ingested.exit_code == 0, ingested.output
    assert "2 message(s) ingested" in ingested.output
    listed = runner.invoke(app, ["inbox", "clusters", "cli-creator"])
    assert listed.exit_code == 0 and "camera" in listed.output


def test_eval_clustering_reports_every_figure(
    embedder, on_test_database, shared_data, tmp_path
) -> None:
    rows = (shared_data / "banking77" / "train.csv").read_text().splitlines()[:41]
    target = tmp_path / "banking-sample.csv"
    target.write_text("\n".join(rows) + "\n")
    result = runner.invoke(app, ["eval", "clustering", "--data", str(target), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert set(figures) == {
        "nmi",
        "ari",
        "acc",
        "pair_precision",
        "pair_recall",
        "purity",
        "coverage",
        "clusters",
        "messages_per_s",
        "similarity",
    }
    assert 0 < figures["clusters"] <= 40 and figures["messages_per_s"] > 0
    assert figures["similarity"] == clustering.params_for(None).join_similarity, "too few to adapt"


def test_eval_clustering_scores_a_strictness_and_a_simulated_creator(
    embedder, on_test_database, shared_data, tmp_path
) -> None:
    rows = (shared_data / "dstc11" / "development.csv").read_text().splitlines()[:121]
    target = tmp_path / "dstc-sample.csv"
    target.write_text("\n".join(rows) + "\n")
    plot = tmp_path / "strictness.png"
    options = ["--strictness", "1", "--assist", "5", "--plot", str(plot), "--json"]
    result = runner.invoke(app, ["eval", "clustering", "--data", str(target), *options])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert 0 < figures["assist_accepted"] + figures["assist_refused"] <= 5
    assert figures["assist_clusters"] == figures["clusters"] - figures["assist_accepted"]
    assert figures["assist_pair_recall"] >= figures["pair_recall"]
    assert plot.stat().st_size > 0


def test_eval_clustering_refuses_a_strictness_out_of_range(on_test_database, tmp_path) -> None:
    target = tmp_path / "two.csv"
    target.write_text("text,category\nhi there,greeting\nhello,greeting\n")
    result = runner.invoke(
        app, ["eval", "clustering", "--data", str(target), "--strictness", "1.5"]
    )
    assert result.exit_code == 1
    assert "--strictness 1.5: must be from 0 (group most) to 1 (group least)" in str(
        result.exception
    )


def test_bench_inbox_reports_rates_beside_the_embedder(embedder, on_test_database) -> None:
    result = runner.invoke(
        app,
        ["bench", "inbox", "--messages", "200", "--samples", "10", "--grow-to", "400", "--json"],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert figures["stored"] == 200 and figures["ingest_per_s"] > 0 and figures["embed_per_s"] > 0
    assert figures["p95_ms"] >= figures["p50_ms"] > 0
    assert figures["grown_to"] == 400
    assert figures["p95_ms_grown"] >= figures["p50_ms_grown"] > 0
    assert figures["p95_ms_small"] >= figures["p50_ms_small"] > 0
    assert figures["p95_grown_over_p95_small"] > 0
    assert figures["p95_ms_grown_cold"] >= figures["p50_ms_grown_cold"] > 0


def test_demo_streams_a_fan_inbox_through_the_webhook(embedder, database) -> None:
    console = Console(record=True, width=160)
    demo.run(get_settings(), console, create_app=create_app)
    output = console.export_text()
    assert "replay" in output and "Clusters of demo-creator" in output
    with db.session_scope() as session:
        views = service.list_clusters(
            session, creator_external_id=demo.CREATOR, min_channel_count=2
        )
        paid = [
            v for v in service.list_clusters(session, creator_external_id=demo.CREATOR) if v.is_paid
        ]
    assert len(views) >= 3 and all(not v.is_paid for v in views)
    assert len(paid) == 1 and paid[0].channel_count == 1


def test_strictness_is_shown_set_and_refused_from_the_command_line(
    embedder, on_test_database, tmp_path, monkeypatch
) -> None:
    path = tmp_path / "one.json"
    strict = message(0, creator="strict-creator", external_id="strict-0", channel="m:strict-0")
    path.write_text(json.dumps([strict]))
    assert runner.invoke(app, ["inbox", "ingest", str(path)]).exit_code == 0
    shown = runner.invoke(app, ["inbox", "strictness", "strict-creator"])
    assert shown.exit_code == 0 and "strict-creator: default" in shown.output
    set_ = runner.invoke(app, ["inbox", "strictness", "strict-creator", "0.9"])
    assert set_.exit_code == 0 and "0.9 (0 groups most, 1 least)" in set_.output
    assert "re-grouped: 0 merged, 0 split" in set_.output
    for wrong in ["1.5", "loose"]:
        refused = runner.invoke(app, ["inbox", "strictness", "strict-creator", wrong])
        assert refused.exit_code == 1 and "from 0 (group most) to 1" in str(refused.exception)
    unknown = runner.invoke(app, ["inbox", "strictness", "nobody", "0.5"])
    assert unknown.exit_code == 1 and "no creator 'nobody'" in str(unknown.exception)
    again = runner.invoke(app, ["inbox", "strictness", "strict-creator"])
    assert "strict-creator: 0.9" in again.output

    monkeypatch.setattr(clustering, "CALIBRATION_MIN_MESSAGES", 1)
    assert runner.invoke(app, ["inbox", "strictness", "strict-creator", "default"]).exit_code == 0
    adapted = runner.invoke(app, ["inbox", "strictness", "strict-creator"]).output
    with db.session_scope() as session:
        owner = service.get_creator_or_raise(session, "strict-creator")
        similarity = service.creator_params(owner).join_similarity
    assert f"adapted to the inbox: similarity {similarity:.2f} (calibrated on 1 messages)" in (
        " ".join(adapted.split())
    )


def test_clusters_lists_every_open_cluster_paid_dms_first(
    embedder, on_test_database, tmp_path
) -> None:
    """As the inbox page: a one-fan question and the paid DM are listed without options,
    the paid DM first; `--min-channels 2` still narrows the list."""
    owner = {"creator": "triage-creator"}
    path = tmp_path / "triage.json"
    path.write_text(
        json.dumps(
            [
                message(0, **owner, external_id="t-0", channel="m:t-0"),
                message(1, **owner, external_id="t-1", channel="m:t-1"),
                message(2, **owner, external_id="t-2", channel="m:t-2", text="Lisbon tour?"),
                message(3, **owner, external_id="t-3", channel="m:t-3", text="A birthday video?")
                | {"is_paid_dm": True},
            ]
        )
    )
    assert runner.invoke(app, ["inbox", "ingest", str(path)]).exit_code == 0
    listed = runner.invoke(app, ["inbox", "clusters", "triage-creator"], terminal_width=200)
    assert listed.exit_code == 0, listed.output
    rows = [line for line in listed.output.splitlines() if "?" in line]
    assert "paid DM" in rows[0] and "birthday" in rows[0]
    assert any("Lisbon" in row for row in rows) and any("camera" in row for row in rows)
    narrowed = runner.invoke(app, ["inbox", "clusters", "triage-creator", "--min-channels", "2"])
    assert "camera" in narrowed.output and "Lisbon" not in narrowed.output
    assert "paid DM" not in narrowed.output
    bad = runner.invoke(app, ["inbox", "clusters", "triage-creator", "--sort", "loudest"])
    assert bad.exit_code == 1 and "unknown sort 'loudest'" in str(bad.exception)
