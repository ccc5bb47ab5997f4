"""The sign-in throttle across two real `sift serve` processes on one database: together
they allow the limit, not twice it, and an `X-Forwarded-For` sent from 127.0.0.1 (which
uvicorn's own proxy-header handling would believe) gives a guesser no fresh address."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from sift.config import get_settings
from sift.security import LoginThrottle

LIMIT = LoginThrottle().limit


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def servers(database: str) -> Iterator[list[str]]:
    """Two `sift serve` processes on this module's database, each on its own port."""
    started: list[tuple[subprocess.Popen[bytes], str]] = []
    try:
        for _ in range(2):
            port = free_port()
            env = {**os.environ, "SIFT_DATABASE_URL": database, "SIFT_PORT": str(port)}
            env.pop("SIFT_TRUSTED_PROXIES", None)
            process = subprocess.Popen(
                [sys.executable, "-m", "sift.cli", "serve"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            started.append((process, f"http://127.0.0.1:{port}"))
        for process, url in started:
            wait_until_healthy(process, url)
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until_healthy(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            pytest.fail(f"sift serve exited: {error[-2000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    pytest.fail(f"{url} never answered /healthz")


def credentials(password: str | None = None) -> dict[str, str]:
    settings = get_settings()
    return {
        "email": settings.admin_email,
        "password": password or settings.admin_password.get_secret_value(),
    }


def test_two_servers_with_forged_forwarded_for_allow_only_the_limit(servers: list[str]) -> None:
    answers = []
    for n in range(2 * LIMIT):
        forged = {"X-Forwarded-For": f"203.0.113.{n}"}
        answer = httpx.post(
            f"{servers[n % 2]}/login", data=credentials(f"guess-{n}"), headers=forged
        )
        answers.append(answer.status_code)
    assert answers.count(200) == LIMIT and answers.count(429) == LIMIT, answers
    for url in servers:
        right = httpx.post(
            f"{url}/login", data=credentials(), headers={"X-Forwarded-For": "198.51.100.250"}
        )
        assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1
