"""Configuration from environment variables (and an optional `.env` file)."""

from __future__ import annotations

import enum
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

#: The secret used when none is configured. Accepted in demo and development only.
DEFAULT_SECRET = "spring-insecure-demo-secret-change-me-0123456789"  # noqa: S105


class Environment(enum.StrEnum):
    DEMO = "demo"
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class ConfigurationError(Exception):
    """The configuration cannot run; the message names the variable to set."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SPRING_", env_file=".env", extra="ignore", populate_by_name=True
    )

    env: Environment = Environment.DEVELOPMENT
    #: The owner's connection (migrations). Unset: an embedded PostgreSQL in data_dir.
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "SPRING_DATABASE_URL")
    )
    #: The application's connection. Unset: database_url with the application role's user name.
    app_database_url: str | None = None
    db_app_role: str = "spring_app"
    db_app_password: str | None = None
    #: Connections per process kept open (each in-flight request holds one; more requests
    #: wait for one), and how many more may be opened at a peak. Overflow connections are
    #: closed again when given back, each costing a new PostgreSQL backend next time: under a
    #: steady concurrency above the pool that churn halved throughput (P3 in
    #: docs/performance.md), so by default the pool is 20 and there is no overflow.
    db_pool_size: int = 20
    db_max_overflow: int = 0
    #: Ping each pooled connection before use (three round trips with asyncpg). Off: a
    #: connection the server closed is replaced without a ping (db/session.py).
    db_pool_pre_ping: bool = False
    statement_timeout_ms: int = 15_000
    #: An HTTP GraphQL request taking longer is cancelled (504) and writes nothing.
    request_timeout_s: float = 30.0
    #: A CSV export (GET /exports/<list>.csv) of more rows than this is refused (400) before
    #: anything is written: narrow the filter. Exports stream, so this bounds time, not memory.
    export_max_rows: int = Field(default=1_000_000, ge=1)
    data_dir: Path = Field(
        default=Path(".spring"), validation_alias=AliasChoices("SPRING_DATA_DIR", "data_dir")
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, validation_alias=AliasChoices("PORT", "SPRING_PORT", "port"))
    #: Comma-separated; the first signs tokens, all verify (key rotation).
    secret_key: str = DEFAULT_SECRET
    token_lifetime_minutes: int = 60
    refresh_token_lifetime_hours: int = 12
    #: Query limits, checked before execution (QUERY_TOO_COMPLEX beyond them).
    max_query_depth: int = 10
    max_query_aliases: int = 30
    max_query_cost: int = 5_000
    max_query_root_fields: int = 20
    allowed_origins: list[str] = Field(default_factory=list)
    graphiql: bool | None = None
    introspection: bool | None = None
    log_level: str = "INFO"
    #: `json` (one JSON object per line) or `console` (readable); unset: json in production.
    log_format: Literal["json", "console"] | None = None
    #: Prometheus metrics on /metrics; with a token, scrapers must send it as a bearer token.
    metrics: bool = True
    metrics_token: str | None = None
    #: Largest request body accepted (bytes); larger ones are answered 413.
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    #: On SIGTERM: seconds to let in-flight requests finish before they are cancelled.
    shutdown_timeout_s: float = Field(default=20.0, ge=0)
    #: Live feeds: events a subscriber may have waiting before it is closed as too slow,
    #: and how often feeds look for rows even without a notification (safety net).
    live_queue_size: int = 1000
    live_poll_interval_s: float = 1.0
    #: How often terminals whose heartbeats stopped are looked for (OFFLINE pushed).
    live_offline_check_interval_s: float = 5.0
    #: How often blocks whose `until` has come are lifted (and the periodic pruning runs).
    unblock_interval_s: float = 30.0
    #: Live subscribers with the same document, variables, role and tenant share one
    #: execution and one serialized message per event (transport/cohorts.py).
    live_cohorts: bool = True
    #: After a burst of WebSocket connections, move what is alive out of the garbage
    #: collector's sight (`gc.freeze()`): full collections then no longer walk every open
    #: connection's objects (seconds of pause at 10,000 subscribers: transport/sockets.py).
    live_gc_freeze: bool = True
    max_subscriptions_per_connection: int = 20
    max_connections_per_user: int = 10
    #: E-mail of notifications: off unless set. `smtp://user:password@host:25`,
    #: `smtp://host:587?starttls=true`, or `smtps://host:465` (TLS from the start).
    smtp_url: str | None = None
    smtp_from: str = "Spring <no-reply@spring.invalid>"
    #: How often terminals long OFFLINE or with options long PENDING are looked for (and old
    #: notifications pruned).
    notifier_interval_s: float = Field(default=30.0, gt=0)
    #: Largest document accepted by uploadCompanyDocument (bytes). A multipart request may be
    #: this much larger than max_body_bytes; a file above it is refused with a user error.
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    #: Trusted documents (transport/documents.py, docs/security.md): `off`, `allow` (known
    #: ids and free queries), `require` (the console's cookie sessions run only its documents).
    trusted_documents: Literal["off", "allow", "require"] = "allow"
    #: The manifest; by default the console build's spring/console_dist/trusted-documents.json.
    trusted_documents_file: str | None = None
    #: Largest logo accepted by setTenantLogo (bytes); a larger one is refused with a user error.
    max_logo_bytes: int = Field(default=512 * 1024, ge=1024)
    #: `spring purge-documents` deletes the identity documents of companies CLOSED for longer
    #: than this many days (5 years by default).
    identity_retention_days: int = Field(default=1825, ge=0)

    @field_validator("db_app_role")
    @classmethod
    def _role_is_identifier(cls, value: str) -> str:
        if not value.replace("_", "").isalnum() or not value[0].isalpha():
            raise ValueError("SPRING_DB_APP_ROLE must be a plain SQL identifier")
        return value

    @cached_property
    def secrets(self) -> list[str]:
        return [s.strip() for s in self.secret_key.split(",") if s.strip()]

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else self.env != Environment.PRODUCTION

    @property
    def introspection_enabled(self) -> bool:
        if self.introspection is not None:
            return self.introspection
        return self.env != Environment.PRODUCTION

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("SPRING_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value.upper()

    @property
    def log_renderer(self) -> Literal["json", "console"]:
        if self.log_format is not None:
            return self.log_format
        return "json" if self.env == Environment.PRODUCTION else "console"

    def check(self) -> None:
        """Refuse configurations that must not run; the message says which variable to set."""
        if self.env == Environment.PRODUCTION:
            if not self.secrets or DEFAULT_SECRET in self.secrets:
                raise ConfigurationError(
                    "SPRING_SECRET_KEY must be set to a secret of your own in production "
                    "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
                )
            if any(len(s) < 32 for s in self.secrets):
                raise ConfigurationError("SPRING_SECRET_KEY: each key needs at least 32 characters")
            if not self.database_url:
                raise ConfigurationError(
                    "DATABASE_URL must name the PostgreSQL server in production"
                )
            if not self.app_database_url and not self.db_app_password:
                raise ConfigurationError(
                    "SPRING_DB_APP_PASSWORD must be set in production: the service logs in as "
                    f"{self.db_app_role} with it (or give the whole SPRING_APP_DATABASE_URL)"
                )
            if self.metrics_token is not None and len(self.metrics_token) < 16:
                raise ConfigurationError(
                    "SPRING_METRICS_TOKEN: use at least 16 characters (or leave it unset)"
                )

    def app_url_for(self, owner_url: str) -> str:
        """The application role's URL: explicit, or the owner's URL with the role's credentials."""
        if self.app_database_url:
            return self.app_database_url
        url = make_url(owner_url).set(username=self.db_app_role, password=self.db_app_password)
        return url.render_as_string(hide_password=False)


#: Settings whose value is a secret: `spring config` prints *** instead.
SECRET_FIELDS = frozenset({"secret_key", "db_app_password", "metrics_token"})
#: Settings holding a URL whose password must be hidden.
URL_FIELDS = frozenset({"database_url", "app_database_url", "smtp_url"})
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/?#@\s]*:)(?P<pw>[^@/?#\s]*)@", re.I)
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&](?:password|sslpassword)=)[^&#\s]*", re.I)


def hide_url_password(url: str) -> str:
    """The URL with its password (if any, also `?password=`) replaced by ***."""
    url = _URL_PASSWORD.sub(lambda m: f"{m.group('head')}***@" if m.group("pw") else m[0], url)
    return _QUERY_PASSWORD.sub(lambda m: f"{m.group('head')}***", url)


def public_view(settings: Settings) -> dict[str, Any]:
    """The effective configuration with every secret hidden (for `spring config`)."""
    shown: dict[str, Any] = {}
    for name, value in settings.model_dump().items():
        if name == "secret_key" and value == DEFAULT_SECRET:
            shown[name] = "(the built-in demo secret: set your own)"
        elif name in SECRET_FIELDS:
            shown[name] = "***" if value else "(unset)"
        elif name in URL_FIELDS and value:
            shown[name] = hide_url_password(str(value))
        elif isinstance(value, Path):
            shown[name] = str(value)
        elif isinstance(value, enum.Enum):
            shown[name] = value.value
        else:
            shown[name] = value
    shown["log_format"] = settings.log_renderer
    shown["graphiql"] = settings.graphiql_enabled
    shown["introspection"] = settings.introspection_enabled
    return shown
