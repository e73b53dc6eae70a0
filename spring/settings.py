"""Configuration from environment variables (and an optional `.env` file)."""

from __future__ import annotations

import enum
from functools import cached_property
from pathlib import Path

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
    db_pool_size: int = 10
    db_max_overflow: int = 10
    statement_timeout_ms: int = 15_000
    data_dir: Path = Field(
        default=Path(".spring"), validation_alias=AliasChoices("SPRING_DATA_DIR", "data_dir")
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, validation_alias=AliasChoices("PORT", "SPRING_PORT", "port"))
    #: Comma-separated; the first signs tokens, all verify (key rotation).
    secret_key: str = DEFAULT_SECRET
    token_lifetime_minutes: int = 60
    allowed_origins: list[str] = Field(default_factory=list)
    graphiql: bool | None = None
    introspection: bool | None = None
    log_level: str = "INFO"
    #: Live feeds: events a subscriber may have waiting before it is closed as too slow,
    #: and how often feeds look for rows even without a notification (safety net).
    live_queue_size: int = 1000
    live_poll_interval_s: float = 1.0
    max_subscriptions_per_connection: int = 20
    max_connections_per_user: int = 10

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

    def app_url_for(self, owner_url: str) -> str:
        """The application role's URL: explicit, or the owner's URL with the role's credentials."""
        if self.app_database_url:
            return self.app_database_url
        url = make_url(owner_url).set(username=self.db_app_role, password=self.db_app_password)
        return url.render_as_string(hide_password=False)
