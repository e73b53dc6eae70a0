"""Logs and metrics: redaction, one JSON line per request (who, what, how, its outcome), the
request id, the metrics endpoint and the body limit.
"""

from __future__ import annotations

import io
import json
import logging
import uuid
from typing import Any

import httpx
import structlog
from starlette.applications import Starlette

from spring.app import create_app
from spring.logs import formatter, install_record_redaction, redact_text
from spring.settings import Settings
from tests.conftest import TEST_SECRET, GraphQLClient
from tests.factories import PASSWORD, TenantGraph
from tests.operations.helpers import (
    RECORD,
    Captured,
    transaction,
)

IBAN = "FR7630006000011234567890189"


IBAN_SPACED = "FR76 3000 6000 0112 3456 7890 189"


PAN = "4970101234567893"  # Luhn-valid: a real-looking card number


COMPANY = """
mutation CreateCompany($i: CreateCompanyInput!) { createCompany(input: $i) {
  company { id iban } userErrors { field code message } } }
"""


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
