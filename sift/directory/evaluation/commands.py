"""`sift eval dedup|extraction|cleanup`: the directory's decisions scored against labels.

A number quoted about the directory ("clean-up pair precision 1.000 on posts_dedup") has to
be reproducible by anyone with the data file, with the exact code the workflow runs, so
each command uses the production code as it is and never tunes anything on the file it
scores: `cleanup` the clean-up's own grouping, `extraction` the extraction passes, `dedup`
the record matcher (`record_matching`) on labelled product pairs.
"""

from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import numpy as np
import typer
from rich.table import Table

from sift.evaluation import (
    EvaluationInputError,
    NoRecord,
    ProgressEmbedder,
    check_output_path,
    numbered_lines,
    record_figures,
    reporting_write_errors,
    write_jsonl,
)
from sift.terminal import console, err_console, progress_bar

if TYPE_CHECKING:
    from sift.directory.extraction import ExtractionEngine
    from sift.directory.extraction.evaluation import Case


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:
        return False


def dedup(
    data: Annotated[Path, typer.Option("--data", help="Labelled pairs to score (Ditto format).")],
    train_file: Annotated[
        Path | None,
        typer.Option("--train", help="Re-learn weights on this file first (never --data)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the figures as one JSON line last.")
    ] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write a precision-recall curve PNG here.")
    ] = None,
) -> None:
    """Score the record matcher's duplicate decision on labelled pairs: precision, recall,
    F1."""
    from sift.directory.evaluation.dedup_scoring import (
        metrics_from_decisions,
        precision_recall_curve_png,
        read_labelled_pairs,
        train,
    )
    from sift.directory.record_matching import DuplicateMatcher, compute_features

    # Every input is checked before any embedding, so a bad file costs no minutes and
    # leaves nothing behind.
    if train_file is not None and _same_file(train_file, data):
        raise EvaluationInputError(
            f"{train_file}: --train and --data are the same file; training on the scored "
            "pairs would overstate every figure"
        )
    pairs, labels = read_labelled_pairs(data)
    train_set = read_labelled_pairs(train_file) if train_file is not None else None
    if train_set is not None and len(np.unique(train_set[1])) < 2:
        raise EvaluationInputError(
            f"{train_file}: needs both duplicate (1) and non-duplicate (0) pairs to train on"
        )
    if plot is not None:
        check_output_path(plot, "PNG file")

    started = time.perf_counter()
    with err_console.status("loading the embedding model…"):
        from sift.ai.embeddings import get_embedder

        embedder = get_embedder()
    with progress_bar() as progress:
        weights = None
        if train_file is not None and train_set is not None:
            weights = train(
                *train_set, ProgressEmbedder(embedder, progress, f"embedding {train_file.name}")
            )
        matcher = DuplicateMatcher(weights, embedder=embedder)
        features = compute_features(
            pairs, ProgressEmbedder(embedder, progress, f"embedding {data.name}")
        )
    scores = matcher.score_features(features)
    threshold = matcher.weights.threshold
    metrics = metrics_from_decisions(scores >= threshold, labels)
    seconds = time.perf_counter() - started
    if plot is not None:
        with reporting_write_errors(plot):
            precision_recall_curve_png(plot, scores, labels, threshold)

    table = Table(title=f"Duplicate decision on {data.name}")
    for column in ("precision", "recall", "F1", "pairs", "threshold", "weights"):
        table.add_column(column, justify="right")
    table.add_row(
        f"{metrics.precision:.3f}",
        f"{metrics.recall:.3f}",
        f"{metrics.f1:.3f}",
        str(metrics.pairs),
        f"{threshold:.4f}",
        f"trained on {train_file.name}" if train_file is not None else "code defaults",
    )
    console.print(table)
    if plot is not None:
        console.print(f"precision-recall curve written to {plot}")
    if as_json:
        summary = {
            "precision": round(metrics.precision, 4),
            "recall": round(metrics.recall, 4),
            "f1": round(metrics.f1, 4),
            "pairs": metrics.pairs,
            "threshold": round(threshold, 4),
            "seconds": round(seconds, 2),
        }
        print(json.dumps(summary), flush=True)


class EngineChoice(StrEnum):
    rules = "rules"
    llm = "llm"


def read_cases(path: Path) -> list[Case]:
    """Every extraction case of a JSONL file, or one error naming the file and line."""
    from sift.directory.extraction.evaluation import parse_case

    cases: list[Case] = []
    seen: set[str] = set()
    for number, line in numbered_lines(path):
        try:
            case = parse_case(json.loads(line))
        except json.JSONDecodeError as error:
            raise EvaluationInputError(f"{path}, line {number}: not JSON ({error.msg})") from None
        except ValueError as error:
            raise EvaluationInputError(f"{path}, line {number}: {error}") from None
        if case.id in seen:
            raise EvaluationInputError(f"{path}, line {number}: case id {case.id!r} repeats")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise EvaluationInputError(f"{path}: no cases (the file is empty)")
    return cases


def _extraction_engine(choice: EngineChoice) -> ExtractionEngine:
    """The engine the workflow would build with `SIFT_EXTRACTION_ENGINE` set to `choice`."""
    from sift.config import get_settings
    from sift.directory.extraction import build_engine

    settings = get_settings().model_copy(update={"extraction_engine": choice.value})
    return build_engine(settings)


def extraction(
    data: Annotated[Path, typer.Option("--data", help="Extraction cases with gold posts (JSONL).")],
    engine_choice: Annotated[
        EngineChoice, typer.Option("--engine", help="rules (offline) or llm (SIFT_LLM_*).")
    ] = EngineChoice.rules,
    predictions: Annotated[
        Path | None,
        typer.Option("--predictions", help="Write each case's extracted posts here (JSONL)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the figures as one JSON line last.")
    ] = False,
    no_record: NoRecord = False,
) -> None:
    """Score the extraction workflow's three passes against gold posts, case by case, and
    record the figures in the quality history."""
    from sift.directory.extraction import TagSet, extract_posts
    from sift.directory.extraction.evaluation import score_case, summarise

    cases = read_cases(data)
    if predictions is not None:
        check_output_path(predictions, "JSONL file")
    engine = _extraction_engine(engine_choice)
    started = time.perf_counter()
    scores = []
    lines = []
    with progress_bar() as progress:
        task = progress.add_task(f"extracting {data.name} ({engine.name})", total=len(cases))
        for case in cases:
            posts = extract_posts(
                engine, case.pages, org_name=case.org, tags=TagSet(), today=case.today
            )
            scores.append(score_case(case, posts))
            lines.append({"id": case.id, "posts": [p.model_dump(mode="json") for p in posts]})
            progress.advance(task)
    metrics = summarise(scores)
    if predictions is not None:
        write_jsonl(predictions, lines)

    table = Table(title=f"Extraction ({engine.name} engine) on {data.name}")
    figures = metrics.as_dict()
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        table.add_row(key, _cell(value))
    console.print(table)
    record_figures("extraction", data, engine.name, figures, skip=no_record)
    if as_json:
        print(
            json.dumps({**figures, "seconds": round(time.perf_counter() - started, 2)}), flush=True
        )


def _cell(value: object) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def cleanup(
    data: Annotated[
        Path, typer.Option("--data", help="Organizations with posts and gold duplicate groups.")
    ],
    predictions: Annotated[
        Path | None,
        typer.Option("--predictions", help="Write each organization's merge groups here."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the figures as one JSON line last.")
    ] = False,
    no_record: NoRecord = False,
) -> None:
    """Score the clean-up's merge groups against gold duplicate groups, pairwise, and
    record the figures in the quality history."""
    from sift.config import get_settings
    from sift.directory.cleanup import service as detection
    from sift.directory.evaluation.cleanup_scoring import case_groups, read_cases, score

    cases = read_cases(data)
    if predictions is not None:
        check_output_path(predictions, "JSONL file")

    started = time.perf_counter()
    with err_console.status("loading the embedding model…"):
        from sift.ai.embeddings import get_embedder

        embedder = get_embedder()
    ask = detection.ask_large_model if get_settings().llm_configured else None
    predicted: list[list[list[str]]] = []
    with progress_bar() as progress:
        task = progress.add_task(f"cleaning up {data.name}", total=len(cases))
        for case in cases:
            predicted.append(case_groups(case, embedder=embedder, ask_llm=ask))
            progress.advance(task)
    metrics = score(cases, predicted)
    if predictions is not None:
        write_jsonl(
            predictions,
            ({"org": c.org, "groups": g} for c, g in zip(cases, predicted, strict=True)),
        )

    variant = "llm" if ask else "offline"
    table = Table(title=f"Clean-up merge groups on {data.name} ({variant})")
    for column in ("precision", "recall", "F1", "gold pairs", "proposed", "correct"):
        table.add_column(column, justify="right")
    table.add_row(
        f"{metrics.precision:.3f}",
        f"{metrics.recall:.3f}",
        f"{metrics.f1:.3f}",
        str(metrics.pairs),
        str(metrics.proposed),
        str(metrics.correct),
    )
    console.print(table)
    figures = {
        "precision": round(metrics.precision, 4),
        "recall": round(metrics.recall, 4),
        "f1": round(metrics.f1, 4),
        "pairs": metrics.pairs,
        "proposed": metrics.proposed,
    }
    record_figures("cleanup", data, variant, figures, skip=no_record)
    if as_json:
        print(
            json.dumps({**figures, "seconds": round(time.perf_counter() - started, 2)}), flush=True
        )
