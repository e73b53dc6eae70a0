"""Operations: configuration, request logs, log hygiene, metrics, health, graceful shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import json
import logging
import os
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import structlog
import uvicorn
import websockets
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from typer.testing import CliRunner

from spring.app import CLOSE_GOING_AWAY, GracefulServer, create_app
from spring.cli import app as cli
from spring.logs import formatter, install_record_redaction, redact_text
from spring.settings import DEFAULT_SECRET, ConfigurationError, Environment, Settings
from tests.conftest import TEST_SECRET, GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph
from tests.live import (
    PROTOCOL,
    Subscription,
    free_port,
    held,
    login,
    post,
    running,
    served_subscriptions,
    started,
    until,
    until_sync,
)

GOOD_SECRET = "prod-secret-" + "x" * 40
IBAN = "FR7630006000011234567890189"
IBAN_SPACED = "FR76 3000 6000 0112 3456 7890 189"
PAN = "4970101234567893"  # Luhn-valid: a real-looking card number

COMPANY = """
mutation CreateCompany($i: CreateCompanyInput!) { createCompany(input: $i) {
  company { id iban } userErrors { field code message } } }
"""
RECORD = """
mutation Ingest($i: RecordTransactionsInput!) { recordTransactions(input: $i) {
  created userErrors { field code message } } }
"""
SUBSCRIBE = """
subscription { transactionRecorded { cursor transaction { id externalId } } }
"""


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
async def world(owner_engine: AsyncEngine) -> dict[str, Any]:
    graph = await make_tenant_graph(owner_engine)
    users = {role: await add_user(owner_engine, graph, role) for role in ("SUPERVISOR", "SERVICE")}
    async with owner_engine.connect() as conn:
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    return {"graph": graph, "users": users, "tid": tid}


class Captured:
    """Every log record of the block, rendered as production renders it (JSON lines)."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def requests(self) -> list[dict[str, Any]]:
        return [
            line
            for line in self.lines
            if line.get("logger") == "spring.request" and line["event"] == "request"
        ]


@pytest.fixture
def logs() -> Iterator[Captured]:
    install_record_redaction()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # stricter than production: nothing may leak even at DEBUG
    try:
        yield Captured(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def company_input() -> dict[str, Any]:
    from db.identifiers import luhn_valid

    while True:
        siren = f"{uuid.uuid4().int % 10**9:09d}"
        if luhn_valid(siren):
            break
    return {
        "legalName": "Boulangerie des Logs",
        "siren": siren,
        "legalForm": "SARL",
        "mcc": "5462",
        "address": {"line1": "12 quai Lardenoy", "postalCode": "97110", "city": "Pointe-à-Pitre"},
        "contactName": "Maryse Célestine",
        "contactEmail": "maryse@logs.gp",
        "contactPhone": "+590 690 12 34 56",
        "iban": IBAN_SPACED,
        "bic": "AGRIFRPP",
    }


def transaction(tid: str, **overrides: Any) -> dict[str, Any]:
    external = uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))
    values = {
        "externalId": f"ops-{external}",
        "tid": tid,
        "type": "PURCHASE",
        "amount": 990,
        "currency": "EUR",
        "scheme": "CB",
        "entryMode": "CONTACTLESS",
        "status": "APPROVED",
        "responseCode": "00",
        "authorizationCode": "A1B2C3",
        "maskedPan": "497010******1234",
        "occurredAt": dt.datetime.now(dt.UTC).isoformat(),
    }
    values.update(overrides)
    return values


# ------------------------------------------------------------------------------ configuration


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("SPRING_") or name in ("DATABASE_URL", "PORT"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env file
    return monkeypatch


def production(**values: Any) -> Settings:
    base: dict[str, Any] = {
        "env": Environment.PRODUCTION,
        "secret_key": GOOD_SECRET,
        "database_url": "postgresql://owner:ownerpw@db.internal/spring",
        "db_app_password": "app-password-123",
    }
    base.update(values)
    return Settings(_env_file=None, **base)  # type: ignore[call-arg]


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


# ------------------------------------------------------------------------------ logs


def test_redaction_masks_secrets_in_keys_and_in_any_text() -> None:
    install_record_redaction()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    logger = logging.getLogger("spring.test.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl"
        logger.info(
            "login with password=%s iban %s card %s header Bearer %s url %s",
            PASSWORD,
            IBAN_SPACED,
            PAN,
            token,
            "postgresql://spring_app:db-secret-pw@db/spring",
        )
        structlog.get_logger("spring.test.redaction").info(
            "event",
            authorization=f"Bearer {token}",
            password=PASSWORD,
            nested={"Card-Number": PAN, "note": f"paid with {PAN}", "iban": IBAN},
            text=f"iban {IBAN.lower()} then {IBAN}",
        )
        try:
            raise ValueError(f"refused {PAN}")
        except ValueError:
            logger.exception("failed for %s", IBAN)
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    for secret in (PASSWORD, IBAN, IBAN.lower(), IBAN_SPACED, PAN, token, "db-secret-pw"):
        assert secret not in output, secret
    lines = [json.loads(line) for line in output.splitlines()]
    assert len(lines) == 3
    assert "497010******7893" in lines[0]["event"]  # first 6 and last 4, as PCI DSS allows
    assert lines[1]["password"] == "[redacted]"
    assert lines[1]["nested"]["Card-Number"] == "[redacted]"
    assert "FR" in lines[1]["text"] and "0189" in lines[1]["text"]
    assert "ValueError" in lines[2]["exception"]
    # Our own identifiers are left readable (a UUID's digits may pass for a card number).
    assert redact_text("request 0f1e2d3c4b5a69788796a5b4c3d2e1f0 ok").endswith("f0 ok")
    tenant = "16408ade-edf8-43b2-8f65-640069677545"
    assert redact_text(f"tenant {tenant}, card {PAN}") == f"tenant {tenant}, card 497010******7893"


async def test_one_json_line_per_request_with_who_what_and_how(
    client: GraphQLClient, world: dict[str, Any], logs: Captured
) -> None:
    graph: TenantGraph = world["graph"]
    await client.login(world["users"]["SUPERVISOR"], PASSWORD)
    body = await client.post(
        "query Companies { companies(first: 5) { totalCount edges { node { legalName } } } }",
        **{"X-Request-Id": "ops-request-000001"},
    )
    assert "errors" not in body, body
    refused = await client.post(COMPANY, {"i": {**company_input(), "siren": "123456789"}})
    assert refused["data"]["createCompany"]["userErrors"]
    await client.http.get("/healthz")

    lines = logs.requests()
    assert len(lines) == 4, lines  # login, query, mutation, health check: one line each
    login_line, query_line, refused_line, health_line = lines
    assert login_line["fields"] == ["login"] and login_line["outcome"] == "ok"
    assert login_line["operation"] is None  # an unnamed operation
    assert query_line["request_id"] == "ops-request-000001"
    assert query_line["method"] == "POST"
    assert query_line["path"] == "/graphql"
    assert query_line["status"] == 200
    assert query_line["duration_ms"] > 0
    assert query_line["user_id"]
    assert query_line["tenant_id"] == str(graph.tenant_id)
    assert query_line["operation"] == "Companies"
    assert query_line["outcome"] == "ok"
    assert query_line["sql_statements"] >= 2  # the principal, then the page
    assert query_line["level"] == "info" and query_line["timestamp"]
    assert refused_line["operation"] == "CreateCompany"
    assert refused_line["outcome"] == "user_error"
    assert health_line["path"] == "/healthz" and health_line["level"] == "debug"
    # Every line logged while a request ran carries its id.
    during = [line for line in logs.lines if line.get("logger") != "spring.request"]
    assert all(
        "request_id" in line for line in during if line.get("logger", "").startswith("spring")
    )


async def test_the_request_id_is_in_the_header_the_log_line_and_error_extensions(
    client: GraphQLClient, logs: Captured
) -> None:
    response = await client.http.post(
        "/graphql",
        json={"query": "{ me { email } }"},
        headers={"X-Request-Id": "ops-request-000002"},
    )
    assert response.headers["x-request-id"] == "ops-request-000002"
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["extensions"]["requestId"] == "ops-request-000002"
    (line,) = logs.requests()
    assert line["request_id"] == "ops-request-000002"
    assert line["outcome"] == "user_error"
    # Routes outside GraphQL get a request id too.
    assert len((await client.http.get("/healthz")).headers["x-request-id"]) == 32


async def test_a_request_id_holding_a_card_number_is_replaced(
    client: GraphQLClient, logs: Captured
) -> None:
    """A caller's X-Request-Id is logged and journaled as is, so one that reads as a card
    number (well-formed otherwise) is replaced by a new id, never written anywhere."""
    response = await client.http.post(
        "/graphql",
        json={"query": "{ me { email } }"},
        headers={"X-Request-Id": "req-4111111111111111"},
    )
    chosen = response.headers["x-request-id"]
    assert chosen != "req-4111111111111111" and len(chosen) == 32
    assert response.json()["errors"][0]["extensions"]["requestId"] == chosen
    (line,) = logs.requests()
    assert line["request_id"] == chosen


async def test_no_token_password_iban_or_card_number_in_any_log_line(
    client: GraphQLClient, world: dict[str, Any], logs: Captured
) -> None:
    users = world["users"]
    failed = GraphQLClient(client.http)
    assert (await failed.login(users["SUPERVISOR"], PASSWORD + "-wrong"))["userErrors"]
    supervisor = GraphQLClient(client.http)
    await supervisor.login(users["SUPERVISOR"], PASSWORD)
    body = await supervisor.post("query Me { me { email role } }")
    assert body["data"]["me"]["role"] == "SUPERVISOR"
    body = await supervisor.post(COMPANY, {"i": company_input()})
    assert body["data"]["createCompany"]["userErrors"] == [], body
    assert body["data"]["createCompany"]["company"]["iban"] == IBAN
    service = GraphQLClient(client.http)
    await service.login(users["SERVICE"], PASSWORD)
    body = await service.post(
        RECORD, {"i": {"transactions": [transaction(world["tid"], maskedPan=PAN)]}}
    )
    (error,) = body["data"]["recordTransactions"]["userErrors"]
    assert error["code"] == "CARD_DATA_REFUSED"
    # A card number in a malformed variable: graphql-core echoes the value in its error.
    body = await service.post(
        RECORD, {"i": {"transactions": [transaction(world["tid"], scheme=PAN)]}}
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

    output = logs.text
    assert len(logs.requests()) == 7
    assert "497010******7893" in output  # the echoed value, masked
    secrets = [PASSWORD, supervisor.token, service.token, IBAN, IBAN_SPACED, PAN]
    for secret in secrets:
        assert secret and secret not in output, f"a secret reached the log: {secret[:8]}..."


# ------------------------------------------------------------------------------ metrics


def sample(app: Starlette, name: str, **labels: str) -> float:
    return app.state.metrics.registry.get_sample_value(name, labels) or 0.0


async def test_metrics_are_exposed_and_count_requests(
    app: Starlette, client: GraphQLClient, world: dict[str, Any]
) -> None:
    users = world["users"]
    before = {
        "companies": sample(app, "spring_graphql_requests_total", operation="Fleet", outcome="ok"),
        "failures": sample(app, "spring_login_failures_total"),
        "ingested": sample(app, "spring_ingested_rows_total", kind="transactions"),
        "latency": sample(
            app, "spring_graphql_request_duration_seconds_count", operation="Fleet", outcome="ok"
        ),
    }
    wrong = GraphQLClient(client.http)
    await wrong.login(users["SUPERVISOR"], "not the password")
    await client.login(users["SUPERVISOR"], PASSWORD)
    await client.post("query Fleet { terminals(first: 3) { totalCount } }")
    service = GraphQLClient(client.http)
    await service.login(users["SERVICE"], PASSWORD)
    sent = [transaction(world["tid"]), transaction(world["tid"])]
    body = await service.post(RECORD, {"i": {"transactions": sent}})
    assert body["data"]["recordTransactions"]["created"] == 2, body
    await service.post(RECORD, {"i": {"transactions": sent}})  # repeats: nothing new

    response = await client.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    exposed = response.text
    for name in (
        "spring_graphql_requests_total",
        "spring_graphql_request_duration_seconds_bucket",
        "spring_sql_statements_per_request_bucket",
        "spring_login_failures_total",
        "spring_ingested_rows_total",
        "spring_websocket_connections",
        "spring_websocket_authenticated_connections",
        "spring_live_subscriptions",
        "spring_live_events_delivered_total",
        "spring_live_listen_up",
        "spring_live_listen_reconnects_total",
        "spring_live_broker_lag_seconds_bucket",
    ):
        assert f"\n{name}" in exposed, name
    assert 'spring_graphql_requests_total{operation="Fleet",outcome="ok"}' in exposed
    assert 'spring_graphql_requests_total{operation="login",outcome="user_error"}' in exposed
    after = sample(app, "spring_graphql_requests_total", operation="Fleet", outcome="ok")
    assert after == before["companies"] + 1
    latency = sample(
        app, "spring_graphql_request_duration_seconds_count", operation="Fleet", outcome="ok"
    )
    assert latency == before["latency"] + 1
    assert sample(app, "spring_login_failures_total") == before["failures"] + 1
    ingested = sample(app, "spring_ingested_rows_total", kind="transactions")
    assert ingested == before["ingested"] + 2
    assert sample(app, "spring_sql_statements_per_request_count", operation="Fleet") >= 1


async def test_metrics_can_require_a_token_or_be_off(app_url: str) -> None:
    guarded = create_app(
        Settings(secret_key=TEST_SECRET, metrics_token="scrape-token-0123456789"), app_url
    )
    off = create_app(Settings(secret_key=TEST_SECRET, metrics=False), app_url)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=guarded), base_url="http://spring.test"
        ) as http:
            assert (await http.get("/metrics")).status_code == 401
            bad = await http.get("/metrics", headers={"Authorization": "Bearer wrong"})
            assert bad.status_code == 401
            good = await http.get(
                "/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"}
            )
            assert good.status_code == 200
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=off), base_url="http://spring.test"
        ) as http:
            assert (await http.get("/metrics")).status_code == 404
    finally:
        await guarded.state.database.dispose()
        await off.state.database.dispose()


async def test_a_request_body_over_the_limit_is_refused(app_url: str) -> None:
    small = create_app(Settings(secret_key=TEST_SECRET, max_body_bytes=2048), app_url)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=small), base_url="http://spring.test"
        ) as http:
            response = await http.post("/graphql", json={"query": "{ __typename }" + " " * 4096})
            assert response.status_code == 413
            assert response.headers["x-request-id"]
            ok = await http.post("/graphql", json={"query": "{ __typename }"})
            assert ok.status_code == 200
    finally:
        await small.state.database.dispose()


# ------------------------------------------------------------------------------ health


async def test_healthz_and_readyz_with_the_listen_connection(app_url: str) -> None:
    application = create_app(Settings(secret_key=TEST_SECRET), app_url)
    async with running(application) as base, httpx.AsyncClient() as http:
        assert (await http.get(f"http://{base}/healthz")).json() == {"status": "ok"}
        ready = await http.get(f"http://{base}/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"] == {"database": "ok", "migrations": "ok", "listen": "ok"}
        # Draining (SIGTERM received): not ready, so the load balancer stops sending.
        application.state.draining = True
        draining = await http.get(f"http://{base}/readyz")
        assert draining.status_code == 503
        assert draining.json()["checks"]["shutdown"] == "draining"
        application.state.draining = False
        metrics = (await http.get(f"http://{base}/metrics")).text
        assert "spring_live_listen_up 1.0" in metrics


async def test_readyz_says_not_ready_when_the_database_is_unreachable() -> None:
    nowhere = f"postgresql://spring_app@127.0.0.1:{free_port()}/spring"
    application = create_app(Settings(secret_key=TEST_SECRET), nowhere)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://spring.test"
        ) as http:
            assert (await http.get("/healthz")).status_code == 200  # alive, though
            ready = await http.get("/readyz")
            assert ready.status_code == 503
            assert ready.json() == {"status": "not ready", "checks": {"database": "unreachable"}}
    finally:
        await application.state.database.dispose()


async def test_readyz_during_a_rolling_deploy(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    """Behind (the code needs a migration) is not ready; ahead (a newer release migrated
    first, this instance is about to be rolled) still is."""
    async with owner_engine.connect() as conn:
        head = await conn.scalar(text("SELECT version_num FROM alembic_version"))

    async def set_revision(revision: str) -> None:
        async with owner_engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})

    try:
        await set_revision("0001")
        behind = await client.http.get("/readyz")
        assert behind.status_code == 503
        assert behind.json()["checks"]["migrations"] == "behind"
        await set_revision("9999_from_a_newer_release")
        ahead = await client.http.get("/readyz")
        assert ahead.status_code == 200, ahead.json()
    finally:
        await set_revision(head)
    assert (await client.http.get("/readyz")).status_code == 200


# ------------------------------------------------------------------------------ instances


async def test_two_instances_serve_and_share_live_traffic(
    app_url: str, world: dict[str, Any]
) -> None:
    """No sticky sessions: a token from one instance works on the other, and a transaction
    recorded through one reaches subscribers of both (the database's NOTIFY is the bus)."""
    users, tid = world["users"], world["tid"]
    first, second = create_app(_settings(), app_url), create_app(_settings(), app_url)
    async with running(first) as a, running(second) as b, httpx.AsyncClient() as http:
        for base in (a, b):
            assert (await http.get(f"http://{base}/readyz")).status_code == 200
        supervisor = await login(a, users["SUPERVISOR"], PASSWORD)
        service = await login(b, users["SERVICE"], PASSWORD)
        me = await post(b, supervisor, "{ me { role } }")
        assert me["data"]["me"]["role"] == "SUPERVISOR"
        async with (
            Subscription.open(a, supervisor, SUBSCRIBE) as on_a,
            Subscription.open(b, supervisor, SUBSCRIBE) as on_b,
        ):
            tenant = world["graph"].tenant_id
            await held(first.state.live, tenant)
            await held(second.state.live, tenant)
            for via in (b, a):
                sent = transaction(tid)
                body = await post(via, service, RECORD, {"i": {"transactions": [sent]}})
                assert body["data"]["recordTransactions"]["created"] == 1, body
                for sub in (on_a, on_b):
                    await sub.first(_recorded(sent), f"{sent['externalId']} on both instances")


# ------------------------------------------------------------------------------ shutdown


@contextlib.asynccontextmanager
async def graceful(application: Starlette) -> AsyncIterator[tuple[str, GracefulServer]]:
    """Like tests.live.running, with the server `spring serve` uses."""
    port = free_port()
    server = GracefulServer(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    await started(server, task)
    try:
        yield f"127.0.0.1:{port}", server
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=30)


async def closed(ws: Any, timeout: float = 10) -> websockets.frames.Close:
    """Read until the server closes the connection; return its close frame."""
    with pytest.raises(websockets.ConnectionClosed) as info:
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=timeout))
            if message.get("type") == "ping":
                await ws.send(json.dumps({"type": "pong"}))
    assert info.value.rcvd is not None, "closed without a close frame"
    return info.value.rcvd


def _recorded(sent: dict[str, Any]) -> Any:
    """Is a transactionRecorded payload the one of `sent`?"""
    return lambda payload: (
        payload["data"]["transactionRecorded"]["transaction"]["externalId"] == sent["externalId"]
    )


def _settings() -> Settings:
    return Settings(secret_key=TEST_SECRET, live_poll_interval_s=0.3)


async def test_shutdown_closes_subscribers_with_1001_and_their_cursor_to_resume(
    app_url: str, world: dict[str, Any]
) -> None:
    """A roll: instance A stops while a subscriber listens; the subscriber gets 1001 with its
    cursor, resumes on instance B, and receives what was recorded meanwhile."""
    users, tid = world["users"], world["tid"]
    first = create_app(_settings(), app_url)
    second = create_app(_settings(), app_url)
    async with running(second) as other:
        async with graceful(first) as (base, server):
            supervisor = await login(base, users["SUPERVISOR"], PASSWORD)
            service = await login(base, users["SERVICE"], PASSWORD)
            async with Subscription.open(base, supervisor, SUBSCRIBE) as sub:
                await held(first.state.live, world["graph"].tenant_id)
                sent = transaction(tid)
                await post(base, service, RECORD, {"i": {"transactions": [sent]}})
                event = await sub.first(_recorded(sent), sent["externalId"])
                got = event["data"]["transactionRecorded"]
                assert got["transaction"]["externalId"] == sent["externalId"]
                idle = await websockets.connect(f"ws://{base}/graphql", subprotocols=[PROTOCOL])
                await idle.send(
                    json.dumps(
                        {
                            "type": "connection_init",
                            "payload": {"Authorization": f"Bearer {supervisor}"},
                        }
                    )
                )
                assert json.loads(await idle.recv())["type"] == "connection_ack"

                server.should_exit = True  # what SIGTERM does
                frame = await closed(sub.ws)
                idle_frame = await closed(idle)
                await idle.close()
        assert frame.code == CLOSE_GOING_AWAY, frame
        assert "reconnect" in frame.reason and "after=" in frame.reason, frame.reason
        cursor = frame.reason.rsplit("after=", 1)[1]
        assert cursor == got["cursor"]
        assert idle_frame.code == CLOSE_GOING_AWAY
        assert "reconnect" in idle_frame.reason
        # The pool and the LISTEN connection were closed by the lifespan shutdown.
        assert not first.state.live.healthy
        assert first.state.database.engine.pool.checkedout() == 0

        # Meanwhile on B; the subscriber resumes there with its cursor and misses nothing.
        service_b = await login(other, users["SERVICE"], PASSWORD)
        missed = transaction(tid)
        await post(other, service_b, RECORD, {"i": {"transactions": [missed]}})
        resume = """subscription($a: String) { transactionRecorded(after: $a) {
          cursor transaction { externalId } } }"""
        supervisor_b = await login(other, users["SUPERVISOR"], PASSWORD)
        async with Subscription.open(other, supervisor_b, resume, {"a": cursor}) as sub:
            (event,) = await sub.take(1)
            assert (
                event["data"]["transactionRecorded"]["transaction"]["externalId"]
                == missed["externalId"]
            )


async def test_plain_uvicorn_closes_subscribers_with_1012(
    app_url: str, world: dict[str, Any]
) -> None:
    """Without GracefulServer uvicorn closes WebSockets itself (1012 "service restart", no
    reason) before the app's shutdown runs: clients still reconnect, with the last cursor
    they received."""
    application = create_app(_settings(), app_url)
    async with running(application) as base:
        supervisor = await login(base, world["users"]["SUPERVISOR"], PASSWORD)
        sub_cm = Subscription.open(base, supervisor, SUBSCRIBE)
        sub = await sub_cm.__aenter__()
        await held(application.state.live, world["graph"].tenant_id)
    try:
        frame = await closed(sub.ws)
        assert frame.code == 1012
    finally:
        with contextlib.suppress(Exception):
            await sub_cm.__aexit__(None, None, None)


def _wait_http(url: str, process: subprocess.Popen[str], seconds: float = 30) -> None:
    def answering() -> bool:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        with contextlib.suppress(httpx.HTTPError):
            return httpx.get(url, timeout=1).status_code == 200
        return False

    until_sync(answering, f"spring serve to answer {url}", seconds)


@pytest.mark.slow
async def test_spring_serve_on_sigterm_closes_with_1001_and_logs_json(
    owner_url: str, app_url: str, world: dict[str, Any]
) -> None:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SPRING_")},
        "SPRING_ENV": "production",
        "DATABASE_URL": owner_url,
        "SPRING_APP_DATABASE_URL": app_url,
        "SPRING_SECRET_KEY": TEST_SECRET,
        "SPRING_SHUTDOWN_TIMEOUT_S": "5",
        "PORT": str(port),
    }
    spring = os.path.join(os.path.dirname(sys.executable), "spring")
    process = subprocess.Popen(  # noqa: ASYNC220 - waited for in a thread
        [spring, "serve", "--host", "127.0.0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        await asyncio.to_thread(_wait_http, f"http://127.0.0.1:{port}/readyz", process)
        base = f"127.0.0.1:{port}"
        supervisor = await login(base, world["users"]["SUPERVISOR"], PASSWORD)
        async with Subscription.open(base, supervisor, SUBSCRIBE) as sub:
            await until(lambda: served_subscriptions(base), "spring serve to hold the subscription")
            process.send_signal(signal.SIGTERM)
            frame = await closed(sub.ws)
        assert frame.code == CLOSE_GOING_AWAY
        assert "reconnect" in frame.reason
        code = await asyncio.to_thread(process.wait, 30)
        assert code == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = process.stderr.read() if process.stderr else ""
    records = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    requests = [r for r in records if r.get("event") == "request"]
    assert any(r.get("fields") == ["login"] and r["status"] == 200 for r in requests), stderr
    assert any(r.get("event") == "websocket closed" for r in records)
    assert PASSWORD not in stderr and supervisor not in stderr
    assert not re.search(r"INFO:\s+\d", stderr)  # no uvicorn access log: the request line says it


async def test_cors_follows_the_allowed_origins(app_url: str) -> None:
    """Browsers on a configured origin may call the API; others get no CORS grant."""
    import httpx

    from spring.app import create_app
    from spring.settings import Environment, Settings
    from tests.conftest import TEST_SECRET

    app = create_app(
        Settings(
            env=Environment.DEVELOPMENT,
            secret_key=TEST_SECRET,
            allowed_origins=["https://backoffice.alizes.example"],
        ),
        app_url,
    )
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://spring.test"
        ) as http:
            allowed = await http.options(
                "/graphql",
                headers={
                    "Origin": "https://backoffice.alizes.example",
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization, content-type",
                },
            )
            assert allowed.status_code == 200
            assert allowed.headers["access-control-allow-origin"] == (
                "https://backoffice.alizes.example"
            )
            refused = await http.options(
                "/graphql",
                headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
            )
            assert "access-control-allow-origin" not in refused.headers
    finally:
        await app.state.database.dispose()


async def test_a_request_over_its_time_limit_is_cancelled_and_writes_nothing(
    app_url: str, owner_engine: Any
) -> None:
    """SPRING_REQUEST_TIMEOUT_S: past it the request answers 504 with a GraphQL error."""
    import httpx
    from sqlalchemy import text as sql

    from spring.app import create_app
    from spring.settings import Environment, Settings
    from tests.conftest import TEST_SECRET

    app = create_app(
        Settings(env=Environment.DEVELOPMENT, secret_key=TEST_SECRET, request_timeout_s=0.001),
        app_url,
    )
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://spring.test"
        ) as http:
            # Argon2 alone takes tens of milliseconds: the login cannot finish in 1 ms.
            response = await http.post(
                "/graphql",
                json={
                    "query": 'mutation { login(input: {email: "x@y.test", password: "z"})'
                    " { token } }"
                },
            )
        assert response.status_code == 504
        body = response.json()
        assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert "annulée" in body["errors"][0]["message"]
        assert response.headers["x-request-id"]
        async with owner_engine.connect() as conn:
            idle_in_transaction = await conn.scalar(
                sql(
                    # This test database's connections only: a shared server runs others.
                    "SELECT count(*) FROM pg_stat_activity WHERE usename = 'spring_app'"
                    " AND datname = current_database() AND state = 'idle in transaction'"
                )
            )
        assert idle_in_transaction == 0
    finally:
        await app.state.database.dispose()
