"""Configuration: production refuses a missing or default secret, `spring config` prints the
configuration with its secrets hidden.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from typer.testing import CliRunner

from spring.cli import app as cli
from spring.settings import DEFAULT_SECRET, ConfigurationError, Settings
from tests.operations.helpers import (
    GOOD_SECRET,
    production,
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("SPRING_") or name in ("DATABASE_URL", "PORT"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env file
    return monkeypatch


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({"secret_key": DEFAULT_SECRET}, "SPRING_SECRET_KEY"),
        ({"secret_key": ""}, "SPRING_SECRET_KEY"),
        ({"secret_key": "short-secret"}, "SPRING_SECRET_KEY"),
        ({"secret_key": f"{GOOD_SECRET},{DEFAULT_SECRET}"}, "SPRING_SECRET_KEY"),
        ({"database_url": None}, "DATABASE_URL"),
        ({"db_app_password": None}, "SPRING_DB_APP_PASSWORD"),
        ({"metrics_token": "short"}, "SPRING_METRICS_TOKEN"),
    ],
)
def test_production_refuses_a_missing_or_default_secret_naming_the_variable(
    clean_env: pytest.MonkeyPatch, values: dict[str, Any], variable: str
) -> None:
    with pytest.raises(ConfigurationError) as refused:
        production(**values).check()
    assert variable in str(refused.value)


def test_a_complete_production_configuration_runs(clean_env: pytest.MonkeyPatch) -> None:
    settings = production()
    settings.check()
    assert settings.log_renderer == "json"
    assert not settings.graphiql_enabled and not settings.introspection_enabled
    explicit = production(db_app_password=None, app_database_url="postgresql://a:b@db/spring")
    explicit.check()  # the application's URL carries its own credentials
    # Development and demo run with the built-in secret, and log readably.
    development = Settings(_env_file=None)  # type: ignore[call-arg]
    development.check()
    assert development.log_renderer == "console"
    assert Settings(_env_file=None, log_format="json").log_renderer == "json"  # type: ignore[call-arg]


def test_spring_config_prints_the_configuration_with_secrets_hidden(
    clean_env: pytest.MonkeyPatch,
) -> None:
    env = {
        "SPRING_ENV": "production",
        "SPRING_SECRET_KEY": GOOD_SECRET,
        "DATABASE_URL": "postgresql://owner:owner-pw-9876@db.internal:5432/spring",
        "SPRING_APP_DATABASE_URL": "postgresql://spring_app:app-pw-5432@db.internal/spring"
        "?sslmode=require&password=query-pw-1111",
        "SPRING_DB_APP_PASSWORD": "app-password-123",
        "SPRING_METRICS_TOKEN": "scrape-token-abcdefgh",
        "SPRING_LOG_LEVEL": "warning",
    }
    result = CliRunner().invoke(cli, ["config"], env=env)
    assert result.exit_code == 0, result.output
    for secret in (
        GOOD_SECRET,
        "owner-pw-9876",
        "app-pw-5432",
        "query-pw-1111",
        "app-password-123",
        "scrape-token-abcdefgh",
    ):
        assert secret not in result.output
    shown = dict(line.split(" = ", 1) for line in result.output.splitlines() if " = " in line)
    assert shown["env"] == "production"
    assert shown["secret_key"] == "***"
    assert shown["database_url"] == "postgresql://owner:***@db.internal:5432/spring"
    assert shown["app_database_url"].startswith("postgresql://spring_app:***@db.internal/spring")
    assert "password=***" in shown["app_database_url"]
    assert shown["log_level"] == "WARNING"
    assert shown["log_format"] == "json"
    assert shown["metrics_token"] == "***"

    as_json = CliRunner().invoke(cli, ["config", "--json"], env=env)
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["db_app_password"] == "***"


def test_spring_config_names_the_missing_variable(clean_env: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(
        cli, ["config"], env={"SPRING_ENV": "production", "SPRING_SECRET_KEY": GOOD_SECRET}
    )
    assert result.exit_code == 2
    assert "DATABASE_URL" in result.output
    result = CliRunner().invoke(cli, ["serve"], env={"SPRING_ENV": "production"})
    assert result.exit_code == 2
    assert "SPRING_SECRET_KEY" in result.output
