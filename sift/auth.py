"""Who is asking: admin, one creator, or nobody.

Both the GraphQL API and the web UI read the same signed JWT (a bearer header for the API,
a cookie for the UI), so one token format and one check serve every entry point.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt

from sift.config import Settings
from sift.errors import SiftError

ALGORITHM = "HS256"
COOKIE_NAME = "sift_token"


class Role(StrEnum):
    admin = "admin"
    creator = "creator"
    anonymous = "anonymous"


class NotAuthorized(SiftError, PermissionError):
    """The caller's token does not allow this; the message says what is needed."""


@dataclass(frozen=True)
class Principal:
    role: Role
    subject: str = ""
    creator_id: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

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


def issue_token(
    settings: Settings, *, role: Role, subject: str, creator_id: str | None = None
) -> str:
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": subject,
        "role": role.value,
        "iat": now,
        "exp": now + timedelta(hours=settings.jwt_ttl_hours),
    }
    if creator_id is not None:
        claims["creator_id"] = str(creator_id)
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=ALGORITHM)


def principal_from_token(settings: Settings, token: str | None) -> Principal:
    """Decode a token; a missing, expired or forged one is anonymous rather than an error,
    so public queries keep working and protected ones say "admin token required"."""
    if not token:
        return ANONYMOUS
    try:
        claims = jwt.decode(token, settings.jwt_secret.get_secret_value(), algorithms=[ALGORITHM])
        role = Role(claims.get("role", "anonymous"))
    except (jwt.PyJWTError, ValueError):
        return ANONYMOUS
    return Principal(
        role=role, subject=str(claims.get("sub", "")), creator_id=claims.get("creator_id")
    )


def check_admin_password(settings: Settings, email: str, password: str) -> bool:
    """Constant-time comparison of UTF-8 bytes (`compare_digest` refuses non-ASCII `str`,
    which would turn a password like "Straße" into a server error)."""
    email_ok = hmac.compare_digest(
        email.strip().lower().encode(), settings.admin_email.lower().encode()
    )
    password_ok = hmac.compare_digest(
        password.encode(), settings.admin_password.get_secret_value().encode()
    )
    return email_ok and password_ok
