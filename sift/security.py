"""Defences shared by the HTTP entry points: what a decoded payload may hold, how fast one
client may guess the admin password (counted in PostgreSQL, for every process at once),
and which secrets are too weak to serve with.

(The HTTP guard itself, NUL bytes and cross-site requests, is `sift.web.middleware`.)
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from sift import db
from sift.config import Settings
from sift.errors import SiftError

MAX_JSON_DEPTH = 64
MIN_JWT_SECRET_BYTES = 32
MAX_CLIENT_KEY = 64
"""Longest client key the throttle stores (an IPv6 address with a zone takes under 64)."""
THROTTLE_LOCK_CLASS = 0x51F7
"""First key of the throttle's two-key advisory locks (a key space apart from the one-key
locks of `sift.workflows`): the second is the client key's hash."""


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


class LoginFailure(db.Base):
    """One failed (or still undecided) sign-in of a client, kept for the throttle's window.

    In PostgreSQL rather than in each process's memory, so every `sift serve` behind a load
    balancer counts the same tries: two servers must not allow twice the guesses."""

    __tablename__ = "login_failures"
    __table_args__ = (
        sa.Index("ix_login_failures_client_key_failed_at", "client_key", "failed_at"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    client_key: Mapped[str] = mapped_column(sa.String(MAX_CLIENT_KEY))
    failed_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), index=True
    )


class LoginThrottle:
    """At most `limit` failed logins per client in any `window_s` seconds, across every
    process that shares the database.

    A try is counted *before* the password is checked (`reserve`) and forgotten only when
    it succeeds (`release`): counting after the check would let many parallel requests
    all see "9 failures so far" and all guess. The count and the insert run under a
    transaction-scoped advisory lock per client, so concurrent tries queue for a moment
    instead of racing. Times come from the database's clock, the one clock all processes
    share. A success does not reset the count, so the right password found by luck still
    waits out the window; rows older than the window are purged as tries come in.
    """

    def __init__(self, limit: int = 10, window_s: float = 60.0) -> None:
        self.limit = limit
        self.window_s = window_s

    def reserve(self, client: str) -> tuple[int, int | None]:
        """(seconds to wait, None) when `client` is throttled; else (0, the counted try's id),
        the try counting as a failure until `release`d."""
        key = client[:MAX_CLIENT_KEY]
        window = sa.func.make_interval(0, 0, 0, 0, 0, 0, self.window_s)
        recent = LoginFailure.failed_at > sa.func.now() - window
        with db.session_scope() as session:
            lock = sa.func.pg_advisory_xact_lock(THROTTLE_LOCK_CLASS, sa.func.hashtext(key))
            session.execute(sa.select(lock))
            count, wait = session.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.extract(
                        "epoch", sa.func.min(LoginFailure.failed_at) + window - sa.func.now()
                    ),
                ).where(LoginFailure.client_key == key, recent)
            ).one()
            if count >= self.limit:
                return max(1, math.ceil(float(wait or 0))), None
            session.execute(sa.delete(LoginFailure).where(~recent))
            attempt = session.execute(
                sa.insert(LoginFailure).values(client_key=key).returning(LoginFailure.id)
            ).scalar_one()
        return 0, attempt

    def release(self, attempt: int) -> None:
        """The try succeeded: it no longer counts against its client."""
        with db.session_scope() as session:
            session.execute(sa.delete(LoginFailure).where(LoginFailure.id == attempt))


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
