"""A creator's bulk reply in a real browser: log in, open a cluster, answer it once, and
see it leave the open list while each channel gets its delivery."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from sift import db
from sift.api import create_app
from sift.config import get_settings
from sift.inbox import service
from sift.inbox.models import DeliveryStatus

from .conftest import fan_message, ingest, new_creator

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed; the browser test needs it"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="module")
def server(app_runtime: str) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(get_settings(), manage_runtime=False), port=port, log_level="warning"
    )
    app_server = uvicorn.Server(config)
    thread = threading.Thread(target=app_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not app_server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    app_server.should_exit = True
    thread.join(timeout=10)


def wait_until_delivered(cluster_id, expected: int, timeout_s: float = 30) -> list:
    deadline = time.monotonic() + timeout_s
    while True:
        with db.session_scope() as session:
            rows = service.delivery_tasks(session, cluster_id)
        delivered = [r for r in rows if r.status is DeliveryStatus.delivered]
        if len(delivered) == expected or time.monotonic() > deadline:
            return delivered
        time.sleep(0.2)


def test_bulk_reply_from_the_inbox_page(chromium: Path, server: str, embedder) -> None:
    from playwright.sync_api import expect, sync_playwright

    creator = new_creator()
    questions = ["Do you ship to Canada?", "Can you ship to Canada?", "do you ship to canada??"]
    results = [ingest(fan_message(creator, f"ch{i}", q)) for i, q in enumerate(questions)]
    cluster_id = results[0].cluster_id
    settings = get_settings()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{server}/login")
        page.fill("input[name=email]", settings.admin_email)
        page.fill("input[name=password]", settings.admin_password.get_secret_value())
        page.click("button[type=submit], form button")
        page.goto(f"{server}/inbox?creator={creator}")
        row = page.locator(f"tr[data-cluster='{cluster_id}']")
        expect(row.locator(".channel-count")).to_have_text("3")
        row.locator("a").click()
        expect(page.locator("tr.message")).to_have_count(3)
        page.fill("#response_text", "Yes, we ship to Canada!")
        page.click("#send-reply")
        expect(page.locator(".banner.ok")).to_contain_text("3 channel(s)")
        expect(page.locator(f"tr[data-cluster='{cluster_id}']")).to_have_count(0)
        browser.close()

    delivered = wait_until_delivered(cluster_id, 3)
    assert len(delivered) == 3 and {d.text for d in delivered} == {"Yes, we ship to Canada!"}
