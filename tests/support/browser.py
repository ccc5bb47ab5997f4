"""Shared pieces of the browser tests: the app served by uvicorn in a thread, and headless
Debian Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require_chromium() -> None:
    """Skip with the reason where Chromium is missing; in CI its absence is a failure."""
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    message = "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def served_app(app: object | None = None) -> Iterator[str]:
    """The real app (or `app`) on a free port; its database and workflow runtime are the
    test's."""
    import uvicorn

    from sift.api import create_app
    from sift.config import get_settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        app or create_app(get_settings(), manage_runtime=False),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def browser_page(base_url: str, browser: Any) -> Iterator[object]:
    """A page in a fresh context of `browser` (no cookies or storage of another test) where
    every request to a host other than Sift's own (`base_url`) is refused and, once the
    test is done, asserted never to have been made."""
    context = browser.new_context(bypass_csp=True)  # axe is injected inline
    try:
        foreign = block_foreign_hosts(context, base_url)
        yield context.new_page()
        assert foreign == [], f"requests to other hosts: {foreign}"
    finally:
        context.close()


@contextmanager
def chromium_browser() -> Iterator[object]:
    """Debian's Chromium under Playwright, for one test module: launched once for its
    tests, and gone before the next module runs, since Playwright's sync API keeps an event
    loop on the thread that other tests need free."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            yield browser
        finally:
            browser.close()


def log_in(page, base_url: str) -> None:
    from sift.config import get_settings

    settings = get_settings()
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", settings.admin_email)
    page.fill("input[name=password]", settings.admin_password.get_secret_value())
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/orgs")


ARTIFACTS = Path(os.environ.get("SIFT_TEST_ARTIFACTS", "test-artifacts")) / "screenshots"
"""Where browser tests leave their screenshots (kept by the test run, ignored by git)."""
AXE = Path(__file__).with_name("axe.min.js")
"""axe-core, vendored unchanged from npm (MPL-2.0): the accessibility rules run in the page."""


def launch_browser(playwright) -> object:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)


def block_foreign_hosts(context, base_url: str) -> list[str]:
    """Abort every request to a host other than Sift's own and return the list they are
    recorded in, so a test can assert that no page asked for one."""
    own = urlsplit(base_url).netloc
    foreign: list[str] = []

    def route(route_) -> None:
        url = route_.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own:
            foreign.append(url)
            route_.abort()
        else:
            route_.continue_()

    context.route("**/*", route)
    return foreign


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def open_proposal(article) -> None:
    """Open a proposal of the review queue by its headline button, unless it is open
    already (a click on an open one's headline closes it, as its aria-expanded says)."""
    toggle = article.locator("button.toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
