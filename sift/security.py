"""Defences shared by the HTTP entry points: what a decoded payload may hold, how fast one
client may guess the admin password, and which secrets are too weak to serve with.

(The HTTP guard itself, NUL bytes and cross-site requests, is `sift.web.middleware`.)
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import deque

from sift.config import Settings
from sift.errors import SiftError

MAX_JSON_DEPTH = 64
MIN_JWT_SECRET_BYTES = 32


def unstorable(value: object, *, max_depth: int = MAX_JSON_DEPTH) -> str | None:
    """Why a decoded JSON value cannot be stored, or None when it can.

    PostgreSQL keeps no NUL in text or JSONB, and a lone surrogate (`"\\ud800"`, valid JSON
    but not Unicode) cannot be encoded as UTF-8; both would fail at the database. Nesting is
    bounded so no later recursive walk (JSONB encoding, templates) can exhaust the stack.
    The walk is iterative for the same reason.
    """
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > max_depth:
            return f"nested deeper than {max_depth} levels"
        if isinstance(item, dict):
            pending.extend((k, depth) for k in item)
            pending.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            pending.extend((v, depth + 1) for v in item)
        elif isinstance(item, str) and (problem := _unstorable_text(item)):
            return problem
    return None


def _unstorable_text(text: str) -> str | None:
    if "\x00" in text:
        return "text contains a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "text contains a lone surrogate (not valid Unicode)"
    return None


class LoginThrottle:
    """At most `limit` failed logins per client in any `window_s` seconds.

    Per process and in memory: enough to turn a password-guessing run from hundreds of
    tries per second into a handful per minute, with no table to clean up. A success does
    not reset the count, so the right password found by luck still waits out the window.
    """

    def __init__(self, limit: int = 10, window_s: float = 60.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """Seconds until `client` may try again; 0 when it may try now."""
        with self._lock:
            recent = self._recent(client, time.monotonic())
            if len(recent) < self.limit:
                return 0
            return max(1, int(recent[0] + self.window_s - time.monotonic()) + 1)

    def failed(self, client: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(client, now).append(now)
            self._forget_idle(now)

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._failures.setdefault(client, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times

    def _forget_idle(self, now: float) -> None:
        """Keeps memory bounded when many addresses each fail a few times."""
        if len(self._failures) > 10_000:
            for client in [
                c for c, t in self._failures.items() if not t or t[-1] <= now - self.window_s
            ]:
                del self._failures[client]


class WeakSecrets(SiftError):
    """Serving with these settings would let anyone in; the message names the variables."""


def weak_secrets(settings: Settings) -> list[str]:
    """Problems that make the server unsafe anywhere but on one's own machine."""
    problems = [
        f"{name} is still the published default" for name in settings.secrets_left_at_default()
    ]
    if not settings.admin_password.get_secret_value():
        problems.append("SIFT_ADMIN_PASSWORD is empty")
    if len(settings.jwt_secret.get_secret_value().encode()) < MIN_JWT_SECRET_BYTES:
        problems.append(f"SIFT_JWT_SECRET is shorter than {MIN_JWT_SECRET_BYTES} bytes")
    return problems


def refuse_weak_secrets(settings: Settings, host: str) -> None:
    """Start-up check of every server (`sift serve`, `create_app()` under any ASGI server):
    off loopback, weak secrets stop it with one line."""
    if not is_loopback(host) and (problem := weak_secrets_line(settings, host)):
        raise WeakSecrets(problem)


def weak_secrets_line(settings: Settings, host: str) -> str | None:
    """The one-line refusal to serve on `host` with weak secrets, or None if they are fine."""
    if problems := weak_secrets(settings):
        return (
            f"refusing to serve on {host}: {'; '.join(problems)} "
            "(set them in the environment or .env, or serve on 127.0.0.1)"
        )
    return None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
