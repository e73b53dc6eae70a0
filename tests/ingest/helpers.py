"""What the ingest tests share (no fixtures: conftest.py holds those)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph

PAN = "4970101234567893"  # a Luhn-valid 16-digit card number (a test BIN)


ERRORS = "userErrors { field code message }"


RECORD = f"""
mutation($i: RecordTransactionsInput!) {{ recordTransactions(input: $i) {{
  created transactions {{ id externalId status type amount
    originalTransaction {{ id externalId }} }}
  {ERRORS} }} }}
"""


EVENTS = f"""
mutation($i: RecordTerminalEventsInput!) {{ recordTerminalEvents(input: $i) {{
  heartbeats acknowledged events {{ id kind code message }} {ERRORS} }} }}
"""


EVENT_SUB = """
subscription($f: TerminalEventSubscriptionFilter) { terminalEventRecorded(filter: $f) {
  cursor event { kind code message terminal { tid } } } }
"""


def letters() -> str:
    """A random id without digit runs (a long one could pass for a card number)."""
    return uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_tid() -> str:
    return ("I" + uuid.uuid4().hex.upper())[:8]


def tx(tid: str, **overrides: Any) -> dict[str, Any]:
    values = {
        "externalId": f"ing-{letters()}",
        "tid": tid,
        "type": "PURCHASE",
        "amount": 1250,
        "currency": "EUR",
        "scheme": "CB",
        "entryMode": "CONTACTLESS",
        "status": "APPROVED",
        "responseCode": "00",
        "authorizationCode": "A1B2C3",
        "maskedPan": "497010******1234",
        "occurredAt": now().isoformat(),
    }
    values.update(overrides)
    return values


def event(tid: str, kind: str = "HEARTBEAT", **overrides: Any) -> dict[str, Any]:
    return {"tid": tid, "kind": kind, "occurredAt": now().isoformat(), **overrides}


def problems(payload: dict[str, Any]) -> list[tuple[list[str], str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def stored(engine: AsyncEngine, tenant_id: uuid.UUID, ids: list[str]) -> dict[str, Any]:
    """The tenant's transactions with these external ids, by external id (as the owner)."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT external_id, id, status, response_code, authorization_code, amount,"
                " masked_pan, original_transaction_id FROM transactions"
                " WHERE tenant_id = :t AND external_id = ANY(:e)"
            ),
            {"t": tenant_id, "e": ids},
        )
        return {r.external_id: r for r in rows}


async def count_rows(engine: AsyncEngine, table: str, tenant_id: uuid.UUID) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(
            text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": tenant_id}
        )


async def placement(
    engine: AsyncEngine,
    graph: TenantGraph,
    *,
    terminal_status: str = "ACTIVE",
    service_status: str = "ACTIVE",
    contract_status: str = "ACTIVE",
    kind: str = "PAX",
) -> dict[str, Any]:
    """A contract covering the graph's shop, with a service on a terminal, in these states."""
    t = graph.tenant_id
    ids = {"contract": uuid.uuid4(), "terminal": uuid.uuid4(), "service": uuid.uuid4()}
    tid = new_tid()
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Contract.__table__).values(
                tenant_id=t,
                id=ids["contract"],
                number=f"MP-2026-{uuid.uuid4().int % 10**6:06d}",
                company_id=graph.ids["company"],
                status=contract_status,
                service_kinds=["PAY_ON_SITE", "PAYWISH_SOFTPOS"],
            )
        )
        await conn.execute(
            insert(m.ContractShop.__table__).values(
                tenant_id=t, contract_id=ids["contract"], shop_id=graph.ids["shop"]
            )
        )
        await conn.execute(
            insert(m.Terminal.__table__).values(
                tenant_id=t,
                id=ids["terminal"],
                kind=kind,
                tid=tid,
                serial_number=uuid.uuid4().hex[:12].upper() if kind == "PAX" else None,
                model="A920Pro" if kind == "PAX" else "Pixel 8",
                shop_id=graph.ids["shop"],
                status=terminal_status,
                blocked_reason="Test" if terminal_status == "BLOCKED" else None,
            )
        )
        if kind == "PAX":
            await conn.execute(
                insert(m.TerminalOptions.__table__).values(
                    tenant_id=t, terminal_id=ids["terminal"], version_number=1
                )
            )
        await conn.execute(
            insert(m.Service.__table__).values(
                tenant_id=t,
                id=ids["service"],
                contract_id=ids["contract"],
                shop_id=graph.ids["shop"],
                kind="PAY_ON_SITE" if kind == "PAX" else "PAYWISH_SOFTPOS",
                terminal_id=ids["terminal"],
                status=service_status,
                blocked_reason="Test" if service_status == "BLOCKED" else None,
                activated_at=now(),
            )
        )
    return {"tid": tid, **ids}


async def record(client: GraphQLClient, items: list[dict[str, Any]]) -> dict[str, Any]:
    body = await client.post(RECORD, {"i": {"transactions": items}})
    assert "errors" not in body, body
    return body["data"]["recordTransactions"]


async def record_events(client: GraphQLClient, items: list[dict[str, Any]]) -> dict[str, Any]:
    body = await client.post(EVENTS, {"i": {"events": items}})
    assert "errors" not in body, body
    return body["data"]["recordTerminalEvents"]
