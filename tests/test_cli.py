"""The `sift` command line as a user meets it: one clear line on failure, a JSON summary
from the demo, an embedded database reused across runs and left intact by Ctrl-C."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from sift.cli import ensure_port_free
from sift.config import load_settings
from sift.errors import SiftError
from sift.security import refuse_weak_secrets
from tests.conftest import fresh_database

SIFT = [sys.executable, "-m", "sift.cli"]


def run_sift(
    *args: str, env: dict[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SIFT, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A data folder the embedded server's own system user can enter (not pytest's 0700 tmp)."""
    root = Path(tempfile.mkdtemp(prefix="sift-cli-"))
    root.chmod(0o755)
    yield root / "data"
    shutil.rmtree(root, ignore_errors=True)


def _postgres_running_in(folder: Path) -> bool:
    for proc in psutil.process_iter(attrs=["name", "cmdline"]):
        if proc.info["name"] == "postgres" and str(folder) in " ".join(proc.info["cmdline"] or []):
            return True
    return False


def test_bad_setting_is_one_line_and_exit_2() -> None:
    result = run_sift("db", "status", env={"SIFT_CRAWL_MAX_PAGES": "lots"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: invalid setting SIFT_CRAWL_MAX_PAGES: Input should be a valid integer, "
        "unable to parse string as an integer"
    ]


@pytest.mark.parametrize(
    ("variable", "value", "command", "expected"),
    [
        (
            "SIFT_DATA_DIR",
            "/proc/sift-data",
            ("db", "status"),
            "error: invalid setting SIFT_DATA_DIR: cannot create /proc/sift-data",
        ),
        (
            "SIFT_JWT_TTL_HOURS",
            "1000000000000",
            ("token", "admin"),
            "error: invalid setting SIFT_JWT_TTL_HOURS: Input should be less than or equal",
        ),
    ],
)
def test_a_setting_that_fails_where_it_is_used_is_still_one_line_and_exit_2(
    variable: str, value: str, command: tuple[str, ...], expected: str
) -> None:
    result = run_sift(*command, env={variable: value, "SIFT_DATABASE_URL": ""})
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), result.stderr


def test_a_bad_option_value_is_a_usage_error_not_a_traceback() -> None:
    result = run_sift("inbox", "clusters", "someone", "--status", "bogus")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        result.stderr.strip().splitlines()[-1].startswith("Error: Invalid value for '--status': ")
    )


def test_a_dotenv_that_is_not_utf8_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"SIFT_LOG_LEVEL=info\nSIFT_ADMIN_PASSWORD=caf\xe9\n")
    result = subprocess.run(
        [*SIFT, "token", "admin"], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and ".env" in lines[0] and "UTF-8" in lines[0], result.stderr


@pytest.mark.parametrize("port", ["99999", "0", "-1"])
def test_a_port_out_of_range_is_one_line(port: str) -> None:
    result = run_sift("serve", "--port", port, env={"SIFT_DATABASE_URL": ""}, timeout=60)
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "port" in lines[0] and "65535" in lines[0], result.stderr


def test_unreachable_database_is_one_line_and_exit_1() -> None:
    result = run_sift(
        "db", "status", env={"SIFT_DATABASE_URL": "postgresql://sift@127.0.0.1:1/sift"}
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot connect to postgresql")


def test_port_in_use_is_one_line_and_exit_1(pg_admin_url: str) -> None:
    url = fresh_database(pg_admin_url, "cli_port")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_sift("serve", "--port", str(port), env={"SIFT_DATABASE_URL": url})
    assert result.returncode == 1
    assert "serving" not in result.stdout  # said only once the port is known to be free
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: port {port} on 127.0.0.1 is already in use "
        "(choose another with --port or SIFT_PORT)"
    )


def test_serving_beyond_this_machine_with_default_secrets_is_refused() -> None:
    secrets = ("SIFT_ADMIN_PASSWORD", "SIFT_JWT_SECRET", "SIFT_WEBHOOK_SECRET")
    env = {k: v for k, v in os.environ.items() if k not in secrets}
    result = subprocess.run(
        [*SIFT, "serve", "--host", "0.0.0.0"], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 1
    default = "is still the published default"
    assert result.stderr.strip().splitlines() == [
        f"error: refusing to serve on 0.0.0.0: SIFT_ADMIN_PASSWORD {default}; "
        f"SIFT_JWT_SECRET {default}; SIFT_WEBHOOK_SECRET {default} "
        "(set them in the environment or .env, or serve on 127.0.0.1)"
    ]
    chosen = load_settings(
        admin_password="a-long-admin-password",
        jwt_secret="j" * 40,
        webhook_secret="w" * 40,
    )
    refuse_weak_secrets(chosen, "0.0.0.0")  # all set: allowed anywhere
    refuse_weak_secrets(load_settings(), "::1")  # defaults: fine on loopback


def test_db_status_reports_the_head_revision(pg_admin_url: str) -> None:
    url = fresh_database(pg_admin_url, "cli_status")
    assert run_sift("db", "upgrade", env={"SIFT_DATABASE_URL": url}).returncode == 0
    status = run_sift("db", "status", env={"SIFT_DATABASE_URL": url})
    assert status.returncode == 0 and "up to date" in status.stdout


DEMO_COUNTS = {"organizations", "sources", "pages", "posts", "proposals", "messages", "clusters"}


def _serve_demo_until_ready(env: dict[str, str], port: int) -> tuple[subprocess.Popen[str], dict]:
    """Start `sift demo --json` serving on `port`; return the process once its UI answers,
    with the counts it printed before serving."""
    proc = subprocess.Popen(
        [*SIFT, "demo", "--json"],
        env={**os.environ, **env, "SIFT_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    seen: list[str] = []
    while not any("Open http" in line for line in seen) and time.monotonic() < deadline:
        seen.append(proc.stdout.readline())
    assert any("Open http" in line for line in seen), "".join(seen)
    (counts,) = [json.loads(line) for line in seen if line.startswith("{")]
    deadline = time.monotonic() + 60
    healthy = False
    while not healthy and time.monotonic() < deadline:
        try:
            healthy = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            time.sleep(0.3)
    assert healthy, "the UI never came up"
    return proc, counts


def test_the_embedded_demo_survives_ctrl_c_and_a_stale_pid_file(data_dir: Path) -> None:
    """One embedded data folder through a user's week: the demo serves and prints its
    counts, Ctrl-C stops it and its server, a pid file left by a killed server does not
    stop the next run, and the data folder is reused, not initialised again. (One test, so
    the demo's minute of work runs twice, not five times.)"""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {"SIFT_DATA_DIR": str(data_dir), "SIFT_DATABASE_URL": ""}
    proc, first = _serve_demo_until_ready(env, port)
    assert set(first) == DEMO_COUNTS and all(isinstance(v, int) for v in first.values())
    assert httpx.get(f"http://127.0.0.1:{port}/login").status_code == 200
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    assert not _postgres_running_in(data_dir), "Ctrl-C must stop the embedded server"
    version_file = data_dir / "pg" / "PG_VERSION"
    created = version_file.stat().st_mtime_ns

    # a server killed without cleanup leaves postmaster.pid pointing at a dead process
    (data_dir / "pg" / "postmaster.pid").write_text("999999\n" + str(data_dir / "pg") + "\n")
    again = run_sift("demo", "--no-serve", "--json", env=env)
    assert again.returncode == 0, again.stderr
    assert version_file.stat().st_mtime_ns == created, "the data folder was initialised again"
    assert json.loads(again.stdout.strip().splitlines()[-1]) == first, "the demo is idempotent"
    assert not _postgres_running_in(data_dir), "the demo must stop its server on exit"


def _ipv6_loopback_port() -> int | None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
            return int(probe.getsockname()[1])
    except OSError:
        return None


def test_serving_on_ipv6_loopback_checks_the_port_in_ipv6() -> None:
    port = _ipv6_loopback_port()
    if port is None:
        pytest.skip("no IPv6 loopback here")
    ensure_port_free("::1", port)  # free: no "port in use" for an IPv6 host
    with socket.socket(socket.AF_INET6) as taken:
        taken.bind(("::1", port))
        taken.listen()
        with pytest.raises(SiftError, match=f"port {port} on ::1 is already in use"):
            ensure_port_free("::1", port)
