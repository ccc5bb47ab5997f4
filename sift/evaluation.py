"""The `sift eval` and `sift bench` command groups, and what their commands share.

Each domain owns its scorers and benchmarks (`sift/directory/evaluation/`,
`sift/directory/bench/`, `sift/inbox/evaluation.py`, `sift/inbox/bench.py`) and adds them to
these groups from its own `register`; this module holds only the groups and the tools every
scorer needs: one input error type, a plot-path check made before minutes of work, an
embedder that advances a progress bar, and a throwaway database for the scorers that run the
production path.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import sqlalchemy as sa
import typer
from rich.progress import Progress

from sift import db
from sift.config import get_settings
from sift.errors import SiftError
from sift.terminal import err_console

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder


eval_app = typer.Typer(no_args_is_help=True, help="Score Sift's decisions against labelled data.")
bench_app = typer.Typer(
    no_args_is_help=True, help="Measure Sift's throughput on local, generated data."
)

_EMBED_CHUNK = 256
"""Texts per embedding call: small enough for a smooth progress bar, large enough that the
model's own batching (64) stays full."""


class EvaluationInputError(SiftError, ValueError):
    """An input file that cannot be scored; the message names the file (and line)."""


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """The non-blank lines of a data file with their 1-based numbers, every problem one
    `EvaluationInputError` naming the file (and the line).

    Reads bytes and decodes line by line, rather than opening the file in text mode, so a
    stray non-UTF-8 byte is reported with its line number, not as a bare codec error.
    """
    if not path.is_file():
        problem = "no such file" if not path.exists() else "not a file"
        raise EvaluationInputError(f"{path}: {problem}")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise EvaluationInputError(f"{path}: cannot read ({error.strerror or error})") from None
    for number, raw_line in enumerate(raw.splitlines(), start=1):
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise EvaluationInputError(
                f"{path}, line {number}: not UTF-8 text (byte {error.start + 1})"
            ) from None
        if line.strip():
            yield number, line


class BenchmarkError(SiftError):
    """A benchmark that could not produce a meaningful figure."""


NoRecord = Annotated[
    bool,
    typer.Option(
        "--no-record", help="Do not add the figures to the quality history (admin Quality page)."
    ),
]
"""The option of every scorer that records its figures (see `record_figures`)."""


def record_figures(
    suite: str, data: Path, variant: str, figures: Mapping[str, Any], *, skip: bool
) -> None:
    """Add a run's figures to the quality history in Sift's configured database, so the
    Quality page shows them beside earlier runs; `--no-record` (a trial run) skips it."""
    if skip:
        return
    from sift import quality

    quality.record(suite, data, variant, figures)
    err_console.print(f"figures recorded in the quality history ({quality.SUITES[suite]})")


def check_output_path(path: Path, kind: str) -> None:
    """Fail before minutes of scoring, not after, when `path` (a `kind`, e.g. "PNG file")
    could not be written."""
    if path.exists() and path.is_dir():
        raise EvaluationInputError(f"{path}: is a folder, not a {kind} path")
    if not path.parent.is_dir():
        raise EvaluationInputError(f"{path}: folder {path.parent} does not exist")


def write_jsonl(path: Path, rows: Iterable[Mapping[str, Any]]) -> None:
    """Write one JSON object per line (an eval's `--predictions`), a failure one line."""
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    with reporting_write_errors(path):
        path.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def reporting_write_errors(path: Path) -> Iterator[None]:
    """Turn an OSError while writing `path` into one input error naming the file."""
    try:
        yield
    except OSError as error:
        raise EvaluationInputError(f"{path}: cannot write ({error.strerror or error})") from None


class ProgressEmbedder:
    """Wraps an embedder so a long batch advances a progress bar chunk by chunk.

    Texts are sorted by length before chunking so each chunk pads as little as one big call
    would; the result is put back in the caller's order.
    """

    def __init__(self, inner: Embedder, progress: Progress, description: str) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimensions = inner.dimensions
        self._progress = progress
        self._description = description

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        task = self._progress.add_task(self._description, total=len(texts))
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        for start in range(0, len(order), _EMBED_CHUNK):
            idx = order[start : start + _EMBED_CHUNK]
            out[idx] = self.inner.embed([texts[i] for i in idx])
            self._progress.advance(task, len(idx))
        return out


@contextlib.contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """A fresh, migrated database beside Sift's own, dropped afterwards whatever happens."""
    home = sa.make_url(db.resolve_url(get_settings()))
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    db.ensure_database(home, name)
    url = home.set(database=name).render_as_string(hide_password=False)
    try:
        db.upgrade(url)
        db.configure(url)
        yield url
    finally:
        db.dispose()
        db.drop_database(home, name)
