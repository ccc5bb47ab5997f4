"""Who is asking: admin, one creator, or nobody.

Both the GraphQL API and the web UI read the same signed JWT (a bearer header for the API,
a cookie for the UI), so one token format and one check serve every entry point.
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import jwt
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Mapped, mapped_column

from sift import db, security
from sift.config import Settings
from sift.errors import SiftError

if TYPE_CHECKING:
    from starlette.requests import Request

ALGORITHM = "HS256"
COOKIE_NAME = "sift_token"
REQUIRED_CLAIMS = ["exp", "iat", "sub", "role", "jti"]


class Role(StrEnum):
    admin = "admin"
    creator = "creator"
    anonymous = "anonymous"


class NotAuthorized(SiftError, PermissionError):
    """The caller's token does not allow this; the message says what is needed."""


class InvalidClaim(SiftError):
    """A token would carry an id no request could use (empty, padded, unstorable)."""


MAX_ID_CHARS = 200
"""The longest creator id: the inbox stores no longer one (`InboundMessage.creator`)."""


def id_problem(value: object, name: str) -> str | None:
    """Why `value` cannot be a subject or creator id of a token, or None when it can: it is
    compared with stored ids and sent to PostgreSQL, so it must be text PostgreSQL can hold
    (no NUL, no lone surrogate), non-empty, unpadded (stored ids are stripped) and short."""
    if not isinstance(value, str) or not value.strip():
        return f"{name} must not be empty"
    if value != value.strip():
        return f"{name} must not start or end with spaces"
    if len(value) > MAX_ID_CHARS:
        return f"{name} is at most {MAX_ID_CHARS} characters"
    return security.unstorable(value)


@dataclass(frozen=True)
class Principal:
    role: Role
    subject: str = ""
    creator_id: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    @property
    def actor(self) -> str:
        """Who acts, as proposals record it (reviewer, requester)."""
        return self.subject or "admin"

    def require_admin(self) -> Principal:
        if not self.is_admin:
            raise NotAuthorized("admin token required")
        return self

    def require_creator(self, creator_id: str) -> Principal:
        """Admins see every inbox; a creator token sees only its own creator's data."""
        if self.is_admin or (self.role is Role.creator and self.creator_id == str(creator_id)):
            return self
        raise NotAuthorized("this token may not access that creator's inbox")


ANONYMOUS = Principal(Role.anonymous)


class RevokedToken(db.Base):
    """A signed-out token, refused until it would have expired anyway (then purged)."""

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    revoked_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=db.utcnow)


def issue_token(
    settings: Settings, *, role: Role, subject: str, creator_id: str | None = None
) -> str:
    for value, name in ((creator_id, "creator id"), (subject, "subject")):
        if (value is not None or name == "subject") and (problem := id_problem(value, name)):
            raise InvalidClaim(f"cannot issue a token: {problem}")
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": subject,
        "role": role.value,
        "iat": now,
        "exp": now + timedelta(hours=settings.jwt_ttl_hours),
        "jti": uuid.uuid4().hex,
    }
    if creator_id is not None:
        claims["creator_id"] = str(creator_id)
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=ALGORITHM)


def principal_of(request: Request, settings: Settings) -> Principal:
    """Who sent `request`: the bearer token of an API call, else the UI's cookie."""
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else None
    return principal_from_token(settings, token or request.cookies.get(COOKIE_NAME))


def principal_from_token(settings: Settings, token: str | None) -> Principal:
    """Decode a token; a missing, expired, revoked, forged or malformed one is anonymous
    rather than an error, so public queries keep working and protected ones say "admin
    token required"."""
    claims = verified_claims(settings, token)
    if claims is None or _revoked(claims["jti"]):
        return ANONYMOUS
    return Principal(
        role=Role(claims["role"]), subject=claims["sub"], creator_id=claims.get("creator_id")
    )


def verified_claims(settings: Settings, token: str | None) -> dict[str, Any] | None:
    """The claims of a token Sift could have issued: signed with the secret, with every
    claim present (a token without `exp` would never expire) and of the right type (a
    number where an id belongs would reach SQL); None for anything else."""
    if not token:
        return None
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[ALGORITHM],
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError:
        return None
    return claims if _well_typed(claims) else None


def _well_typed(claims: dict[str, Any]) -> bool:
    """Ids as `issue_token` writes them: a NUL or lone surrogate would fail in PostgreSQL
    (a 500 on every page that reads the inbox), an empty or padded id would match nothing."""
    creator_id = claims.get("creator_id")
    return (
        claims["role"] in (Role.admin.value, Role.creator.value)
        and id_problem(claims["sub"], "subject") is None
        and isinstance(claims["jti"], str)
        and 0 < len(claims["jti"]) <= 64
        and security.unstorable(claims["jti"]) is None
        and (creator_id is None or id_problem(creator_id, "creator id") is None)
        and (claims["role"] != Role.creator.value or creator_id is not None)
    )


def _revoked(jti: str) -> bool:
    with db.session_scope() as session:
        return session.get(RevokedToken, jti) is not None


def revoke(settings: Settings, token: str | None) -> None:
    """Sign a token out for good (logout): it is refused from now on, in every process.
    Rows of tokens past their expiry are purged here, so the table stays small."""
    claims = verified_claims(settings, token)
    if claims is None:
        return
    expires_at = datetime.fromtimestamp(claims["exp"], UTC)
    with db.session_scope() as session:
        session.execute(sa.delete(RevokedToken).where(RevokedToken.expires_at < db.utcnow()))
        session.execute(
            pg_insert(RevokedToken)
            .values(jti=claims["jti"], expires_at=expires_at)
            .on_conflict_do_nothing()
        )


def check_admin_password(settings: Settings, email: str, password: str) -> bool:
    """Constant-time comparison of UTF-8 bytes (`compare_digest` refuses non-ASCII `str`,
    which would turn a password like "Straße" into a server error). An empty configured
    password lets nobody in: it is a setting left blank, not a password."""
    expected = settings.admin_password.get_secret_value()
    email_ok = hmac.compare_digest(
        email.strip().lower().encode(), settings.admin_email.lower().encode()
    )
    password_ok = hmac.compare_digest(password.encode(), expected.encode())
    return email_ok and password_ok and expected != ""
