"""All of Sift's settings in one place.

Every knob is a `SIFT_*` environment variable (or a line in `.env`), so one process
description fits a laptop demo and a fleet of workers alike. Settings are read once per
process; a bad value stops start-up with one line that names the variable.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError as SourceError

from sift.errors import SiftError


class SettingsError(SiftError):
    """A setting is missing or malformed; the message names the `SIFT_*` variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SIFT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        allow_inf_nan=False,  # `inf` seconds of delay or timeout is a typo, not a setting
    )

    # storage
    database_url: str | None = Field(
        default=None, description="Any PostgreSQL 14+ with pgvector; unset = embedded server."
    )
    data_dir: Path = Path("./.sift")
    db_pool_size: int = Field(default=5, ge=1, le=200)
    public_query_slots: int = Field(default=4, ge=1, le=200)
    """Database sessions the public pages and the HSDS API may hold at once per process;
    the rest of the pool stays free for health checks, admins and workflows."""
    public_query_timeout_s: float = Field(default=3.0, gt=0, le=600)
    """Longest a public statement may run (and a visitor may wait for a slot)."""

    # LLM
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model_large: str = "gpt-5"
    llm_model_small: str = "gpt-5-mini"
    llm_timeout_s: float = Field(default=120.0, gt=0)
    llm_max_retries: int = Field(default=3, ge=0, le=10)
    extraction_engine: Literal["rules", "llm"] = "rules"

    # embeddings
    embedding_provider: Literal["local", "openai"] = "local"
    embedding_model: str = "text-embedding-3-small"
    embedding_base_url: str | None = None
    embedding_api_key: SecretStr | None = None
    embedding_batch_size: int = Field(default=64, ge=1, le=2048)
    inbox_embedding_model: Literal["minilm-intent", "minilm"] = "minilm-intent"
    """The local model that embeds fan messages: MiniLM fine-tuned to pull questions of the same
    intent together (`bench/train_intent_embedder.py`), or the stock one. Pages and posts always
    use the stock model, whose vectors the clean-up's matcher weights were learned on."""

    # auth
    admin_email: str = "admin@sift.local"
    admin_password: SecretStr = SecretStr("sift-admin")
    jwt_secret: SecretStr = SecretStr("change-me-in-production-please-32b")
    jwt_ttl_hours: int = Field(default=24, ge=1, le=24 * 366, description="At most a year.")
    webhook_secret: SecretStr = SecretStr("sift-webhook-secret")
    webhook_max_age_s: int = Field(default=300, ge=10, le=7 * 24 * 3600)
    """Oldest a webhook event's `created_at` may be; a replay of an older captured event is
    refused, and events are remembered (to refuse a replay within it) for as long."""

    # crawling
    crawl_max_pages: int = Field(default=40, ge=1, le=100_000)
    crawl_max_depth: int = Field(default=2, ge=0, le=20)
    crawl_concurrency: int = Field(default=4, ge=1, le=64)
    crawl_delay_s: float = Field(default=0.0, ge=0, le=3600)
    crawl_timeout_s: float = Field(default=15.0, gt=0)
    crawl_max_bytes: int = Field(default=2_000_000, ge=1024)
    crawl_allow_private_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hosts/IPs exempt from the SSRF guard (e.g. 127.0.0.1 for the demo).",
    )
    apify_token: SecretStr | None = None
    apify_base_url: str | None = None
    apify_instagram_actor: str = "apify/instagram-post-scraper"
    apify_facebook_actor: str = "apify/facebook-posts-scraper"
    apify_x_actor: str = "apidojo/tweet-scraper"

    # inbox clustering (unset = the defaults tuned on Banking77 train, see ClusteringParams)
    cluster_join_similarity: float | None = Field(default=None, ge=-1, le=1)
    cluster_margin: float | None = Field(default=None, ge=0, le=2)
    cluster_min_member_hits: int | None = Field(default=None, ge=1, le=100)
    cluster_merge_similarity: float | None = Field(default=None, ge=-1, le=1)
    cluster_split_similarity: float | None = Field(default=None, ge=-1, le=1)
    cluster_neighbours: int | None = Field(default=None, ge=1, le=200)

    # inbox
    stream_api_key: str | None = None
    stream_api_secret: SecretStr | None = None
    stream_base_url: str | None = None

    # demo
    demo_site_port: int = Field(
        default=8765, ge=1, le=65535, description="Where `sift demo` serves its demo website."
    )

    # review queue
    review_undo_s: float = Field(
        default=4.0,
        ge=0.5,
        le=60,
        description="How long a reviewer may undo a decision in the queue (keyboard or "
        "button, one proposal or a batch) before it is sent.",
    )

    # public directory
    directory_timezone: str = Field(
        default="UTC",
        description="IANA time zone of the directory's schedules (e.g. America/Chicago): "
        "what 'open now' and the calendar feeds read their times in.",
    )
    directory_locale: str = Field(
        default="en_US",
        description="The directory's locale (CLDR, e.g. en_GB, de_DE): whether its pages "
        "write times on a 12-hour clock (10 am, 2:30 pm) or a 24-hour one (10:00, 14:30).",
    )

    # server
    public_url: str | None = None
    """Where visitors reach Sift (`https://directory.example.org`): absolute links in
    JSON-LD and calendar feeds start with it. Unset, pages link relatively and feeds leave
    links out; the request's `Host` header, which any client chooses, is never used."""
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Addresses (IPs or CIDR networks, comma-separated) of the reverse proxies in front of
    Sift. Only a request whose direct peer is one of them may name the client
    (`X-Forwarded-For`, `Forwarded`), the host (`X-Forwarded-Host`) and the scheme
    (`X-Forwarded-Proto`); from anyone else those headers are ignored, since any client can
    send them (a forged address would dodge the login throttle). Empty by default."""
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_json: bool = False
    dbos_log_level: Literal["debug", "info", "warning", "error"] = "warning"
    """The workflow library's own logger: quiet unless a run's recovery needs looking into."""

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
            raise ValueError("must be a postgresql:// URL (Sift runs on PostgreSQL only)")
        parts = urlsplit(value)
        if "," not in parts.netloc:  # libpq's multi-host form lists several host:port pairs
            try:
                parts.port  # noqa: B018 - reading it validates it
            except ValueError as error:
                raise ValueError(f"bad port ({error})") from None
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        text = value.strip()
        try:
            parts = urlsplit(text)
        except ValueError as error:
            raise ValueError(f"not a URL ({error})") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL with a host, e.g. https://example.org")
        if parts.query or parts.fragment or parts.username:
            raise ValueError("must have no query, fragment or user name")
        return text.rstrip("/")

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        """Checked at start-up so a typo stops the server with one line instead of leaving
        the proxy untrusted (every visitor would then share the proxy's login throttle)."""
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or CIDR network") from None
        return value

    @field_validator("directory_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(value.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            raise ValueError(f"unknown locale {value!r} (use a CLDR name such as en_US)") from None
        return value.replace("-", "_")

    @field_validator("directory_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from None
        return value

    @field_validator("jwt_secret")
    @classmethod
    def _secret_not_empty(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty (tokens signed with no key can be forged)")
        return value

    @field_validator("data_dir")
    @classmethod
    def _usable_folder(cls, value: Path) -> Path:
        """Caught here, not as a traceback from the embedded database's start-up. Writing
        is checked where the folder is first used (`sift.db`), without creating it here."""
        for folder in (value, *value.parents):
            if folder.exists():
                if not folder.is_dir():
                    raise ValueError(f"{folder} is not a folder")
                break
        return value

    @field_validator("crawl_allow_private_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip().startswith("["):
            return [h.strip() for h in value.split(",") if h.strip()]
        return value

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url or self.llm_api_key)

    def secrets_left_at_default(self) -> list[str]:
        """The `SIFT_*` secrets still at their published defaults: fine on one's own
        machine, but anyone who read this file could log in or forge webhooks elsewhere."""
        return [
            f"SIFT_{name.upper()}"
            for name in _SECRETS
            if getattr(self, name) == type(self).model_fields[name].default
        ]


_SECRETS = ("admin_password", "jwt_secret", "webhook_secret")


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "?"
    message = first["msg"].removeprefix("Value error, ")
    return f"invalid setting SIFT_{field.upper()}: {message}"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, turning validation errors into one line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None
    except SourceError as error:
        raise SettingsError(f"invalid settings: {error}") from None
    except UnicodeDecodeError as error:  # .env is read as UTF-8, and only .env is a file
        raise SettingsError(
            f"cannot read .env: it is not UTF-8 text (byte 0x{error.object[error.start]:02x} "
            f"at position {error.start}); save it as UTF-8"
        ) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
