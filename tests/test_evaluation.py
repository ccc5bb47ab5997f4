"""`sift eval dedup` as a user runs it: figures from the real matcher, one clear line on bad
input, nothing written when the input is bad."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from sift.cli import app
from sift.errors import SiftError
from tests.conftest import require_shared_data
from tests.support.cli import cli_error_line

REQUIRED_KEYS = {"precision", "recall", "f1", "pairs"}
ALLOWED_KEYS = REQUIRED_KEYS | {"threshold", "seconds"}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# (left title, left description, right title, right description): same thing, told apart
# from the non-duplicates by a shared model number, phone or e-mail.
DUPLICATES = [
    ("sony bravia 40 inch lcd hdtv kdl-40v5100", "full hd 1080p lcd television",
     "sony kdl40v5100 bravia 40' full hd lcd television", "1080p lcd tv"),
    ("canon powershot sd1100 is digital camera 2086b001", "8 megapixel compact camera",
     "canon powershot sd1100is 8mp digital camera 2086b001", "8.0 megapixels 3x optical zoom"),
    ("panasonic lumix dmc-fz28k digital camera", "10 megapixel 18x zoom",
     "panasonic lumix dmcfz28k 10mp digital camera", "10.1 megapixel 18x optical zoom"),
    ("logitech harmony 890 advanced universal remote 966190-0403", "rf remote control",
     "logitech harmony 890 universal remote control 966190-0403", "advanced universal remote"),
    ("samsung 52 inch lcd hdtv ln52a650", "touch of color 1080p",
     "samsung ln52a650 52' lcd hdtv", "touch of color series 1080p"),
    ("garmin nuvi 260w portable gps navigator 010-00622-01", "widescreen gps",
     "garmin nuvi 260w 4.3 inch gps 010-00622-01", "portable navigator"),
    ("bose companion 2 series ii multimedia speakers 40095", "computer speakers",
     "bose companion 2 series ii speaker system 40095", "multimedia speaker system"),
    ("pioneer elite vsx-92txh 7.1 av receiver", "home theater receiver",
     "pioneer elite vsx92txh 7.1 channel receiver", "a/v receiver with hdmi"),
    ("whirlpool duet front load washer wfw9200sq", "white front loading washer",
     "whirlpool duet wfw9200sq front-load washer", "front load washing machine white"),
    ("kenwood kdc-x694 cd receiver", "car stereo with usb",
     "kenwood kdcx694 car cd receiver", "in-dash cd receiver usb input"),
    ("riverside repair cafe",
     "free repair of bicycles and small appliances every saturday, call 555-201-4477",
     "repair cafe at riverside library",
     "bring broken bikes and appliances, volunteers fix them for free. phone 555 201 4477"),
    ("oakwood legal advice clinic",
     "free legal advice on housing, book at legal@oakwood-clinic.org",
     "free legal clinic - oakwood",
     "housing and tenancy advice, appointments via legal@oakwood-clinic.org"),
]  # fmt: skip
DIFFERENT = [
    ("sony bravia 40 inch lcd hdtv kdl-40v5100", "full hd 1080p",
     "bose companion 2 series ii multimedia speakers 40095", "computer speakers"),
    ("canon powershot sd1100 is digital camera 2086b001", "compact camera",
     "whirlpool duet front load washer wfw9200sq", "front loading washer"),
    ("panasonic lumix dmc-fz28k digital camera", "18x zoom",
     "kenwood kdc-x694 cd receiver", "car stereo"),
    ("logitech harmony 890 universal remote 966190-0403", "rf remote",
     "samsung 52 inch lcd hdtv ln52a650", "touch of color"),
    ("garmin nuvi 260w portable gps navigator 010-00622-01", "widescreen gps",
     "pioneer elite vsx-92txh 7.1 av receiver", "home theater receiver"),
    ("frigidaire 30 inch electric range fef352fs", "stainless steel range",
     "apple ipod nano 8gb mb598ll/a", "portable media player"),
    ("lg 42 inch plasma hdtv 42pg20", "720p plasma television",
     "canon pixma mp620 all-in-one printer 2924b002", "wireless inkjet printer"),
    ("netgear rangemax wireless router wnr834b", "802.11n router",
     "sharp aquos 46 inch lcd lc-46d64u", "1080p lcd tv"),
    ("yamaha rx-v663 7.1 home theater receiver", "hdmi receiver",
     "kitchenaid artisan stand mixer ksm150psob", "5 quart mixer onyx black"),
    ("tomtom one xl gps 1ex00.022", "4.3 inch gps",
     "maytag 18 cu ft top freezer refrigerator m8rxeg", "white refrigerator"),
    ("riverside repair cafe",
     "free repair of bicycles and small appliances every saturday, call 555-201-4477",
     "youth football training", "weekly training for under 12s at the park, call 555-870-3321"),
    ("oakwood legal advice clinic",
     "free legal advice on housing, book at legal@oakwood-clinic.org",
     "community garden volunteering", "help grow vegetables on sundays, garden@greenfield.org"),
]  # fmt: skip


def ditto_line(left: str, left_text: str, right: str, right_text: str, label: int) -> str:
    return (
        f"COL name VAL {left} COL description VAL {left_text} COL price VAL \t"
        f"COL name VAL {right} COL description VAL {right_text} COL price VAL \t{label}\n"
    )


@pytest.fixture
def hand_file(tmp_path: Path) -> Path:
    path = tmp_path / "hand.txt"
    lines = [ditto_line(*p, 1) for p in DUPLICATES] + [ditto_line(*p, 0) for p in DIFFERENT]
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def abt_buy() -> Path:
    return require_shared_data("abt_buy")


def slice_of(source: Path, target: Path, lines: int) -> Path:
    with source.open(encoding="utf-8") as handle:
        target.write_text("".join(handle.readline() for _ in range(lines)), encoding="utf-8")
    return target


def eval_dedup(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["eval", "dedup", *(str(a) for a in args)])


def json_summary(result: Result) -> dict[str, float]:
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert REQUIRED_KEYS <= summary.keys() <= ALLOWED_KEYS
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= summary[key] <= 1.0
    return summary


# --- figures --------------------------------------------------------------------------------


def test_hand_written_pairs_are_all_decided_right(hand_file: Path) -> None:
    result = eval_dedup("--data", hand_file, "--json")
    summary = json_summary(result)
    assert summary["pairs"] == len(DUPLICATES) + len(DIFFERENT)
    assert summary["precision"] == 1.0
    assert summary["recall"] == 1.0
    assert summary["f1"] == 1.0
    assert "precision" in result.stdout and "recall" in result.stdout  # the Rich table


def test_plot_writes_a_png(hand_file: Path, tmp_path: Path) -> None:
    plot = tmp_path / "pr.png"
    result = eval_dedup("--data", hand_file, "--plot", plot)
    assert result.exit_code == 0, result.output
    assert plot.read_bytes()[:8] == PNG_MAGIC


def test_abt_buy_slice_scores_in_range(abt_buy: Path, tmp_path: Path) -> None:
    data = slice_of(abt_buy / "valid.txt", tmp_path / "valid100.txt", 100)
    summary = json_summary(eval_dedup("--data", data, "--json"))
    assert summary["pairs"] == 100
    # A sanity floor far below the measured figure (~0.93), not a quality target: it only
    # catches a matcher that has stopped working.
    assert summary["f1"] > 0.5


def test_weights_trained_on_another_file(abt_buy: Path, tmp_path: Path) -> None:
    data = slice_of(abt_buy / "valid.txt", tmp_path / "valid100.txt", 100)  # cached: above
    train = slice_of(abt_buy / "train.txt", tmp_path / "train150.txt", 150)
    result = eval_dedup("--data", data, "--train", train, "--json")
    assert json_summary(result)["pairs"] == 100
    assert "trained on train150.txt" in result.stdout


# --- bad input ------------------------------------------------------------------------------

GOOD = ditto_line(*DUPLICATES[0], 1)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (GOOD + GOOD + "COL name VAL lonely\n", "line 3: expected 3 tab-separated fields"),
        (GOOD + GOOD.replace("\t1\n", "\tyes\n"), "line 2: label must be 0 or 1"),
        (GOOD + "name VAL a\tCOL name VAL b\t1\n", "line 2: left record does not start"),
        ("", "no labelled pairs"),
        ("\n\n", "no labelled pairs"),
    ],
    ids=["fields", "label", "record", "empty", "blank"],
)
def test_bad_file_is_one_line_naming_file_and_line(
    tmp_path: Path, content: str, expected: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(content, encoding="utf-8")
    plot = tmp_path / "pr.png"
    result = eval_dedup("--data", bad, "--json", "--plot", plot)
    assert result.exit_code == 1
    assert isinstance(result.exception, SiftError)
    message = str(result.exception)
    assert str(bad) in message and expected in message
    assert "\n" not in message
    assert not plot.exists()
    assert result.stdout == ""


def test_non_utf8_line_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(GOOD.encode() + GOOD.replace("sony", "sóny").encode("latin-1"))
    result = eval_dedup("--data", bad)
    assert isinstance(result.exception, SiftError)
    assert f"{bad}, line 2: not UTF-8" in str(result.exception)


def test_missing_file_is_named(tmp_path: Path) -> None:
    result = eval_dedup("--data", tmp_path / "nope.txt")
    assert isinstance(result.exception, SiftError)
    assert str(tmp_path / "nope.txt") in str(result.exception)


def test_bad_training_file_fails_before_any_work(hand_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "train.txt"
    bad.write_text(GOOD + "oops\n", encoding="utf-8")
    result = eval_dedup("--data", hand_file, "--train", bad)
    assert isinstance(result.exception, SiftError)
    assert f"{bad}, line 2" in str(result.exception)


def test_training_on_the_scored_file_is_refused(hand_file: Path) -> None:
    result = eval_dedup("--data", hand_file, "--train", hand_file)
    assert isinstance(result.exception, SiftError)
    assert "same file" in str(result.exception)


def test_plot_into_a_missing_folder_fails_before_embedding(hand_file: Path, tmp_path: Path) -> None:
    result = eval_dedup("--data", hand_file, "--plot", tmp_path / "no" / "pr.png")
    assert isinstance(result.exception, SiftError)
    assert "does not exist" in str(result.exception)


def test_real_cli_prints_one_line_and_exits_1(tmp_path: Path) -> None:
    """Through `sift.cli.main`, which maps SiftError to one stderr line (CliRunner does not)."""
    bad = tmp_path / "bad.txt"
    bad.write_text(GOOD + "just some text\n", encoding="utf-8")
    line = cli_error_line("eval", "dedup", "--data", str(bad), "--json")
    assert f"{bad}, line 2" in line
