"""`diagnoseTerminal` on terminals set up to fail each check."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from db import models as m
from resolvers import diagnosis as rd
from resolvers.response_codes import BLOCKED_MERCHANT_CODE, describe
from tests.api import gid
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph

DIAGNOSE = """
query($id: ID!) { diagnoseTerminal(id: $id) {
  verdict diagnosedAt terminal { id tid }
  checks { code verdict title hint hintFr hintEn details } } }
"""
ALL_CODES = [c.value for c in rd.CheckCode]


def ago(**delta: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(**delta)


async def execute(engine: AsyncEngine, sql: str, **params: Any) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(sql), params)


async def healthy_terminal(
    owner_engine: AsyncEngine, client: GraphQLClient, role: str = "HOTLINE"
) -> tuple[TenantGraph, GraphQLClient]:
    """A tenant whose terminal passes every check, and a logged-in caller of `role`."""
    graph = await make_tenant_graph(owner_engine)
    await execute(
        owner_engine,
        "UPDATE terminals SET last_heartbeat_at = now(), last_seen_at = now(),"
        " applied_options_version = 1, options_applied_at = now() WHERE id = :id",
        id=graph.ids["terminal"],
    )
    caller = GraphQLClient(client.http)
    await caller.login(await add_user(owner_engine, graph, role), PASSWORD)
    return graph, caller


async def add_transactions(
    engine: AsyncEngine, graph: TenantGraph, codes: list[str], *, hours_ago: float = 1
) -> None:
    """One transaction per response code: "00" approved, any other declined."""
    rows = [
        {
            "tenant_id": graph.tenant_id,
            "id": uuid.uuid4(),
            "external_id": uuid.uuid4().hex,
            "terminal_id": graph.ids["terminal"],
            "shop_id": graph.ids["shop"],
            "company_id": graph.ids["company"],
            "contract_id": graph.ids["contract"],
            "service_id": graph.ids["service"],
            "type": "PURCHASE",
            "amount": 1000 + i,
            "currency": "EUR",
            "scheme": "CB",
            "entry_mode": "CONTACTLESS",
            "status": "APPROVED" if code == "00" else "DECLINED",
            "response_code": code,
            "occurred_at": ago(hours=hours_ago, minutes=i),
        }
        for i, code in enumerate(codes)
    ]
    async with engine.begin() as conn:
        await conn.execute(insert(m.Transaction.__table__), rows)


async def add_errors(
    engine: AsyncEngine, graph: TenantGraph, count: int, *, hours_ago: float = 1
) -> None:
    rows = [
        {
            "tenant_id": graph.tenant_id,
            "id": uuid.uuid4(),
            "terminal_id": graph.ids["terminal"],
            "kind": "ERROR",
            "code": "E-PRINTER" if i % 2 else "E-NETWORK",
            "message": "Imprimante" if i % 2 else "Host unreachable",
            "occurred_at": ago(hours=hours_ago, minutes=i),
        }
        for i in range(count)
    ]
    async with engine.begin() as conn:
        await conn.execute(insert(m.TerminalEvent.__table__), rows)


async def diagnose(
    caller: GraphQLClient, terminal_id: uuid.UUID, **headers: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    body = await caller.post(DIAGNOSE, {"id": gid("Terminal", terminal_id)}, **headers)
    assert "errors" not in body, body
    result = body["data"]["diagnoseTerminal"]
    checks = {c["code"]: c for c in result["checks"]}
    assert list(checks) == ALL_CODES
    return result, checks


def verdicts(checks: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {code: c["verdict"] for code, c in checks.items()}


def only(checks: dict[str, dict[str, Any]], **expected: str) -> None:
    """Every check is OK except the ones named, which have the verdict given."""
    assert verdicts(checks) == {code: expected.get(code, "OK") for code in ALL_CODES}


async def audit_count(engine: AsyncEngine, graph: TenantGraph) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(
            text("SELECT count(*) FROM audit_events WHERE tenant_id = :t"), {"t": graph.tenant_id}
        )


async def test_a_healthy_terminal_passes_every_check_with_a_few_statements(
    client: GraphQLClient, owner_engine: AsyncEngine, app: Starlette
) -> None:
    graph, hotline = await healthy_terminal(owner_engine, client)
    await add_transactions(owner_engine, graph, ["00"] * 18 + ["51", "05"])
    before = await audit_count(owner_engine, graph)
    statements = app.state.database.statements
    result, checks = await diagnose(hotline, graph.ids["terminal"])
    spent = app.state.database.statements - statements
    assert result["verdict"] == "OK"
    assert result["terminal"]["id"] == gid("Terminal", graph.ids["terminal"])
    only(checks)
    # French by default, both languages always given.
    heartbeat = checks["HEARTBEAT"]
    assert heartbeat["title"] == "Connexion (dernier signal)"
    assert heartbeat["hint"] == heartbeat["hintFr"] and heartbeat["hint"].startswith("En ligne")
    assert heartbeat["hintEn"].startswith("Online")
    assert checks["DECLINE_RATE"]["details"]["total"] == 21
    assert checks["DECLINE_RATE"]["details"]["declined"] == 2
    top = checks["RESPONSE_CODES"]["details"]["top"]
    assert [(c["code"], c["count"]) for c in top] == [("05", 1), ("51", 1)]
    assert top[1]["labelFr"] == "Provision insuffisante" and top[1]["labelEn"] == (
        "Insufficient funds"
    )
    assert "banque du porteur" in checks["RESPONSE_CODES"]["hint"]
    # Computed from a handful of aggregates (plus the request's own few statements).
    assert spent <= 12, spent
    assert await audit_count(owner_engine, graph) == before


async def test_hints_follow_accept_language(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph, technician = await healthy_terminal(owner_engine, client, "TECHNICIAN")
    _, checks = await diagnose(technician, graph.ids["terminal"], **{"Accept-Language": "en-GB"})
    for check in checks.values():
        assert check["hint"] == check["hintEn"] != check["hintFr"]
    assert checks["CONTRACT"]["title"] == "Contract"


async def test_a_blocked_service_fails_and_says_why_and_until_when(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph, hotline = await healthy_terminal(owner_engine, client)
    await execute(
        owner_engine,
        "UPDATE services SET status = 'BLOCKED', blocked_reason = 'Impayés',"
        " blocked_at = now(), blocked_until = '2099-01-02 03:04+00' WHERE id = :id",
        id=graph.ids["service"],
    )
    result, checks = await diagnose(hotline, graph.ids["terminal"])
    assert result["verdict"] == "FAILED"
    only(checks, SERVICE="FAILED")
    service = checks["SERVICE"]
    # The tenant's local time (Europe/Paris by default): 03:04 UTC is 04:04 CET.
    assert "Impayés" in service["hintFr"] and "2099-01-02 04:04 CET" in service["hintFr"]
    assert "blocked (Impayés) until 2099-01-02 04:04 CET" in service["hintEn"]
    assert service["details"]["status"] == "BLOCKED"
    assert service["details"]["blockedReason"] == "Impayés"


async def test_a_blocked_terminal_fails(client: GraphQLClient, owner_engine: AsyncEngine) -> None:
    graph, hotline = await healthy_terminal(owner_engine, client)
    await execute(
        owner_engine,
        "UPDATE terminals SET status = 'BLOCKED', blocked_reason = 'Terminal volé' WHERE id = :id",
        id=graph.ids["terminal"],
    )
    _, checks = await diagnose(hotline, graph.ids["terminal"])
    only(checks, TERMINAL_STATUS="FAILED")
    assert "Terminal volé" in checks["TERMINAL_STATUS"]["hint"]


async def test_a_suspended_contract_fails(client: GraphQLClient, owner_engine: AsyncEngine) -> None:
    graph, hotline = await healthy_terminal(owner_engine, client)
    await execute(
        owner_engine,
        "UPDATE contracts SET status = 'SUSPENDED', status_reason = 'Dossier incomplet'"
        " WHERE id = :id",
        id=graph.ids["contract"],
    )
    result, checks = await diagnose(hotline, graph.ids["terminal"])
    assert result["verdict"] == "FAILED"
    only(checks, CONTRACT="FAILED")
    contract = checks["CONTRACT"]
    assert "MP-2026-000001" in contract["hint"] and "Dossier incomplet" in contract["hint"]
    assert contract["details"]["status"] == "SUSPENDED"


async def test_a_suspended_company_fails(client: GraphQLClient, owner_engine: AsyncEngine) -> None:
    graph, hotline = await healthy_terminal(owner_engine, client)
    await execute(
        owner_engine,
        "UPDATE companies SET status = 'SUSPENDED' WHERE id = :id",
        id=graph.ids["company"],
    )
    _, checks = await diagnose(hotline, graph.ids["terminal"])
    only(checks, COMPANY="FAILED")


async def test_a_stale_or_missing_heartbeat_fails(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph, hotline = await healthy_terminal(owner_engine, client)
    # The tenant's interval is 60 s: OFFLINE after 120 s without a heartbeat.
    await execute(
        owner_engine,
        "UPDATE terminals SET last_heartbeat_at = now() - interval '10 minutes' WHERE id = :id",
        id=graph.ids["terminal"],
    )
    _, checks = await diagnose(hotline, graph.ids["terminal"])
    only(checks, HEARTBEAT="FAILED")
    heartbeat = checks["HEARTBEAT"]
    assert heartbeat["details"]["connectivity"] == "OFFLINE"
    assert heartbeat["details"]["intervalSeconds"] == 60
    assert heartbeat["hintFr"].startswith("Hors ligne : dernier signal il y a 10 min")

    await execute(
        owner_engine,
        "UPDATE terminals SET last_heartbeat_at = NULL WHERE id = :id",
        id=graph.ids["terminal"],
    )
    _, checks = await diagnose(hotline, graph.ids["terminal"])
    only(checks, HEARTBEAT="FAILED")
    assert "never" in checks["HEARTBEAT"]["hintEn"]

    # Within twice the interval, it is online.
    await execute(
        owner_engine,
        "UPDATE terminals SET last_heartbeat_at = now() - interval '100 seconds' WHERE id = :id",
        id=graph.ids["terminal"],
    )
    _, checks = await diagnose(hotline, graph.ids["terminal"])
    only(checks)


async def test_pending_options_warn_since_when(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph, hotline = await healthy_terminal(owner_engine, client)
    async with owner_engine.begin() as conn:
        await conn.execute(
            insert(m.TerminalOptions.__table__).values(
                tenant_id=graph.tenant_id,
                terminal_id=graph.ids["terminal"],
                version_number=2,
                tipping=True,
                created_at=dt.datetime(2026, 1, 5, 8, 30, tzinfo=dt.UTC),
            )
        )
    result, checks = await diagnose(hotline, graph.ids["terminal"])
    assert result["verdict"] == "WARNING"
    only(checks, OPTIONS="WARNING")
    options = checks["OPTIONS"]
    assert options["details"]["status"] == "PENDING"
    assert (options["details"]["latestVersion"], options["details"]["appliedVersion"]) == (2, 1)
    assert options["details"]["pendingSince"].startswith("2026-01-05T08:30")
    assert "2026-01-05 09:30 CET" in options["hintEn"]  # 08:30 UTC, in Paris
    # The hint points to the command that fixes it (issue 19).
    assert options["details"]["suggestedCommand"] == "DOWNLOAD_PARAMETERS"
    assert "DOWNLOAD_PARAMETERS command (sendTerminalCommand)" in options["hintEn"]


async def test_recent_error_events_warn_then_fail(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph, hotline = await healthy_terminal(owner_engine, client)
    await add_errors(owner_engine, graph, 2, hours_ago=30)  # outside the window
    await add_errors(owner_engine, graph, 3)
    _, checks = await diagnose(hotline, graph.ids["terminal"])
    only(checks, ERROR_EVENTS="WARNING")
    errors = checks["ERROR_EVENTS"]
    assert errors["details"]["count"] == 3
    assert errors["details"]["byCode"][0] == {
        "code": "E-NETWORK",
        "count": 2,
        "lastAt": errors["details"]["byCode"][0]["lastAt"],
    }
    assert errors["details"]["latest"]["code"] == "E-NETWORK"  # the most recent (i = 0)
    assert "Host unreachable" in errors["hintEn"]

    await add_errors(owner_engine, graph, rd.ERRORS_FAILED)
    _, checks = await diagnose(hotline, graph.ids["terminal"])
    only(checks, ERROR_EVENTS="FAILED")


async def test_a_high_decline_rate_fails_and_names_the_top_response_codes(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph, hotline = await healthy_terminal(owner_engine, client)
    # With the graph's one approved transaction: 12 declines out of 21 (57 %).
    blocked = BLOCKED_MERCHANT_CODE
    await add_transactions(
        owner_engine, graph, ["00"] * 8 + ["05"] * 7 + ["51"] * 3 + [blocked] * 2
    )
    await add_transactions(owner_engine, graph, ["05"] * 30, hours_ago=25)  # outside the window
    result, checks = await diagnose(hotline, graph.ids["terminal"], **{"Accept-Language": "en"})
    assert result["verdict"] == "FAILED"
    only(checks, DECLINE_RATE="FAILED")
    rate = checks["DECLINE_RATE"]
    assert (rate["details"]["total"], rate["details"]["declined"]) == (21, 12)
    assert rate["hint"] == "57.1% declined (12 of 21 transactions over 24 h)."
    assert rate["hintFr"].startswith("57,1 % de refus")
    codes = checks["RESPONSE_CODES"]
    assert [(c["code"], c["count"], c["labelEn"]) for c in codes["details"]["top"]] == [
        ("05", 7, "Do not honour"),
        ("51", 3, "Insufficient funds"),
        (blocked, 2, describe(blocked).label_en),  # type: ignore[union-attr]
    ]
    assert codes["hint"].startswith("Top reason: 05")


async def test_a_moderate_decline_rate_warns_and_our_side_codes_are_flagged(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph, hotline = await healthy_terminal(owner_engine, client)
    # 3 declines out of 12 (25 %), mostly "blocked merchant or terminal": our side.
    blocked = BLOCKED_MERCHANT_CODE
    await add_transactions(owner_engine, graph, ["00"] * 8 + [blocked, blocked, "91"])
    _, checks = await diagnose(hotline, graph.ids["terminal"])
    only(checks, DECLINE_RATE="WARNING", RESPONSE_CODES="WARNING")
    assert checks["RESPONSE_CODES"]["details"]["top"][0]["category"] == "MERCHANT_OR_TERMINAL"
    assert "notre côté" in checks["RESPONSE_CODES"]["hintFr"]


async def test_a_few_declines_are_too_few_to_judge(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph, hotline = await healthy_terminal(owner_engine, client)
    await add_transactions(owner_engine, graph, ["05", "05", "51"])
    _, checks = await diagnose(hotline, graph.ids["terminal"])
    only(checks)
    assert checks["DECLINE_RATE"]["details"]["rate"] == 0.75


async def test_a_terminal_in_stock_fails_on_what_it_lacks(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph, hotline = await healthy_terminal(owner_engine, client)
    terminal_id = uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(
            insert(m.Terminal.__table__).values(
                tenant_id=graph.tenant_id,
                id=terminal_id,
                kind="PAX",
                tid=uuid.uuid4().hex[:8].upper(),
                serial_number=uuid.uuid4().hex[:12],
                status="IN_STOCK",
            )
        )
    result, checks = await diagnose(hotline, terminal_id)
    assert result["verdict"] == "FAILED"
    assert verdicts(checks) == {
        "TERMINAL_STATUS": "FAILED",
        "SHOP": "FAILED",
        "SERVICE": "FAILED",
        "CONTRACT": "WARNING",
        "COMPANY": "WARNING",
        "HEARTBEAT": "FAILED",
        "OPTIONS": "WARNING",
        "ERROR_EVENTS": "OK",
        "DECLINE_RATE": "OK",
        "RESPONSE_CODES": "OK",
    }
    assert "en stock" in checks["TERMINAL_STATUS"]["hint"]


async def test_diagnosis_is_for_hotline_technicians_and_supervisors_of_the_tenant(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph, seller = await healthy_terminal(owner_engine, client, "SELLER")
    body = await seller.post(DIAGNOSE, {"id": gid("Terminal", graph.ids["terminal"])})
    assert body["data"]["diagnoseTerminal"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    other, supervisor = await healthy_terminal(owner_engine, client, "SUPERVISOR")
    await diagnose(supervisor, other.ids["terminal"])
    # Another tenant's terminal does not exist for this caller.
    body = await supervisor.post(DIAGNOSE, {"id": gid("Terminal", graph.ids["terminal"])})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await supervisor.post(DIAGNOSE, {"id": gid("Shop", other.ids["shop"])})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = await supervisor.post(DIAGNOSE, {"id": "not-an-id"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_every_hint_and_title_has_french_and_english() -> None:
    for texts in [*rd.HINTS.values(), *rd.TITLES.values()]:
        assert set(texts) == {"fr", "en"}
    assert set(rd.TITLES) == set(rd.CheckCode)
