"""Ingestion by the acquiring platform (role SERVICE), through GraphQL, on a real PostgreSQL.

recordTransactions (idempotency, concurrent duplicates, card data, validation, blocked
placements, reversals, one INSERT per batch), recordTerminalEvents (heartbeats, connectivity
pushed live, options acknowledgement, app updates, the technical journal) and
enrollSoftposDevice end to end.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from db import models as m
from resolvers.response_codes import BLOCKED_MERCHANT_CODE
from spring.app import create_app
from spring.settings import Environment, Settings
from tests.api import gid, signed_in, uid
from tests.conftest import TEST_SECRET, GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph
from tests.live import Subscription, held, login, post, running, watched

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
TERMINAL = """
query($id: ID!) { node(id: $id) { ... on Terminal {
  tid kind status lastHeartbeatAt lastSeenAt connectivity optionsStatus appliedOptionsVersion
  optionsAppliedAt appVersion firmwareVersion
  options { versionNumber acknowledgedAt }
  optionsHistory { versionNumber acknowledgedAt } } } }
"""
JOURNAL = """
query($t: ID!) { terminalEvents(filter: {terminal: $t}) { totalCount
  edges { node { kind code message occurredAt terminal { tid } } } } }
"""
OPTIONS = f"""
mutation($i: UpdateTerminalOptionsInput!) {{ updateTerminalOptions(input: $i) {{
  terminal {{ optionsStatus }} options {{ versionNumber acknowledgedAt }} {ERRORS} }} }}
"""
ACTIVATE = f"""
mutation($i: ActivateServiceInput!) {{ activateService(input: $i) {{
  service {{ id status kind }} activationCode {ERRORS} }} }}
"""
ENROLL = f"""
mutation($i: EnrollSoftposDeviceInput!) {{ enrollSoftposDevice(input: $i) {{
  service {{ id status kind terminal {{ id }} }}
  terminal {{ id tid kind status model osVersion appVersion }}
  {ERRORS} }} }}
"""
BLOCK_SERVICE = f"""
mutation($i: BlockServiceInput!) {{ blockService(input: $i) {{
  service {{ status }} {ERRORS} }} }}
"""
STATUS_SUB = """
subscription { terminalStatusChanged {
  terminal { id tid lastHeartbeatAt } connectivity optionsStatus observedAt } }
"""
EVENT_SUB = """
subscription($f: TerminalEventSubscriptionFilter) { terminalEventRecorded(filter: $f) {
  cursor event { kind code message terminal { tid } } } }
"""


# --------------------------------------------------------------------------- helpers


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


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
async def world(owner_engine: AsyncEngine) -> dict[str, Any]:
    graph = await make_tenant_graph(owner_engine)
    users = {
        role: await add_user(owner_engine, graph, role)
        for role in ("SERVICE", "SUPERVISOR", "TECHNICIAN", "HOTLINE", "SELLER")
    }
    async with owner_engine.connect() as conn:
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    return {"graph": graph, "users": users, "tid": tid}


@pytest.fixture
async def service(client: GraphQLClient, world: dict[str, Any]) -> GraphQLClient:
    return await signed_in(client, world["users"]["SERVICE"])


@pytest.fixture(scope="module")
async def live_app(app_url: str) -> AsyncIterator[tuple[Starlette, str]]:
    """A real server on loopback whose offline detector looks every half second."""
    settings = Settings(
        env=Environment.DEVELOPMENT, secret_key=TEST_SECRET, live_poll_interval_s=0.5
    )
    application = create_app(settings, app_url)
    application.state.live.offline_check_interval = 0.5
    async with running(application) as base:
        yield application, base


async def record(client: GraphQLClient, items: list[dict[str, Any]]) -> dict[str, Any]:
    body = await client.post(RECORD, {"i": {"transactions": items}})
    assert "errors" not in body, body
    return body["data"]["recordTransactions"]


async def record_events(client: GraphQLClient, items: list[dict[str, Any]]) -> dict[str, Any]:
    body = await client.post(EVENTS, {"i": {"events": items}})
    assert "errors" not in body, body
    return body["data"]["recordTerminalEvents"]


async def terminal_view(staff: GraphQLClient, terminal_id: uuid.UUID) -> dict[str, Any]:
    body = await staff.post(TERMINAL, {"id": gid("Terminal", terminal_id)})
    assert "errors" not in body, body
    return body["data"]["node"]


# --------------------------------------------------------------------------- idempotency


async def test_the_same_batch_twice_returns_the_same_rows_and_creates_nothing(
    service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    graph, tid = world["graph"], world["tid"]
    batch = [tx(tid, amount=100 + i) for i in range(3)]
    first = await record(service, batch)
    assert first["userErrors"] == [] and first["created"] == 3
    assert [t["externalId"] for t in first["transactions"]] == [t["externalId"] for t in batch]
    assert [t["amount"] for t in first["transactions"]] == [100, 101, 102]

    again = await record(service, batch)
    assert again["userErrors"] == [] and again["created"] == 0
    assert [t["id"] for t in again["transactions"]] == [t["id"] for t in first["transactions"]]
    # A repeat mixed with a new one: only the new one is created.
    fresh = tx(tid)
    mixed = await record(service, [batch[1], fresh])
    assert mixed["created"] == 1
    assert mixed["transactions"][0]["id"] == first["transactions"][1]["id"]
    rows = await stored(owner_engine, graph.tenant_id, [t["externalId"] for t in [*batch, fresh]])
    assert len(rows) == 4


async def test_the_same_external_id_twice_in_one_batch_is_stored_once(
    service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    item = tx(world["tid"])
    payload = await record(service, [item, item])
    assert payload["userErrors"] == [] and payload["created"] == 1
    assert payload["transactions"][0]["id"] == payload["transactions"][1]["id"]
    other = {**item, "amount": 999}
    payload = await record(service, [tx(world["tid"]), {**other, "externalId": "dup-" + letters()}])
    assert payload["created"] == 2
    twice = tx(world["tid"])
    payload = await record(service, [twice, {**twice, "amount": 1}])
    assert problems(payload) == [(["input", "transactions", "1", "externalId"], "CONFLICT")]
    assert await stored(owner_engine, world["graph"].tenant_id, [twice["externalId"]]) == {}


@pytest.mark.parametrize(
    "change",
    [
        {"amount": 1251},
        {"currency": "USD"},
        {"scheme": "VISA"},
        {"type": "REFUND"},
        {"entryMode": "CHIP"},
        {"status": "DECLINED", "responseCode": "51", "authorizationCode": None},
        {"maskedPan": "497010******9999"},
        {"authorizationCode": "ZZZZZZ"},
        {"occurredAt": (now() - dt.timedelta(minutes=3)).isoformat()},
    ],
)
async def test_the_same_external_id_with_other_content_is_a_conflict_and_writes_nothing(
    service: GraphQLClient, world: dict, owner_engine: AsyncEngine, change: dict
) -> None:
    graph, tid = world["graph"], world["tid"]
    original = tx(tid)
    assert (await record(service, [original]))["created"] == 1
    fresh = tx(tid)
    before = await count_rows(owner_engine, "transactions", graph.tenant_id)
    payload = await record(service, [fresh, {**original, **change}])
    assert payload["transactions"] is None and payload["created"] == 0
    assert problems(payload) == [(["input", "transactions", "1", "externalId"], "CONFLICT")]
    assert await count_rows(owner_engine, "transactions", graph.tenant_id) == before
    rows = await stored(owner_engine, graph.tenant_id, [original["externalId"]])
    assert rows[original["externalId"]].amount == 1250
    assert rows[original["externalId"]].masked_pan == "497010******1234"


async def test_the_same_occurrence_in_another_time_zone_is_the_same_content(
    service: GraphQLClient, world: dict
) -> None:
    at = now().replace(microsecond=123000)
    original = tx(world["tid"], occurredAt=at.isoformat())
    first = await record(service, [original])
    shifted = at.astimezone(dt.timezone(dt.timedelta(hours=-4))).isoformat()
    again = await record(service, [{**original, "occurredAt": shifted}])
    assert again["userErrors"] == [] and again["created"] == 0
    assert again["transactions"][0]["id"] == first["transactions"][0]["id"]


async def test_ten_concurrent_identical_batches_make_exactly_one_row_per_external_id(
    live_app: tuple[Starlette, str], world: dict, owner_engine: AsyncEngine
) -> None:
    _, base = live_app
    graph = world["graph"]
    token = await login(base, world["users"]["SERVICE"], PASSWORD)
    batch = [tx(world["tid"], amount=500 + i) for i in range(8)]
    bodies = await asyncio.gather(
        *(post(base, token, RECORD, {"i": {"transactions": batch}}) for _ in range(10))
    )
    payloads = [b["data"]["recordTransactions"] for b in bodies]
    assert all(p["userErrors"] == [] for p in payloads), payloads
    assert sum(p["created"] for p in payloads) == 8
    ids = {tuple(t["id"] for t in p["transactions"]) for p in payloads}
    assert len(ids) == 1  # every caller got the same stored rows
    rows = await stored(owner_engine, graph.tenant_id, [t["externalId"] for t in batch])
    assert len(rows) == 8
    assert {str(r.id) for r in rows.values()} == {str(uid(i)) for i in next(iter(ids))}


async def test_overlapping_batches_in_opposite_orders_do_not_deadlock(
    live_app: tuple[Starlette, str], world: dict, owner_engine: AsyncEngine
) -> None:
    _, base = live_app
    token = await login(base, world["users"]["SERVICE"], PASSWORD)
    batch = [tx(world["tid"]) for _ in range(30)]
    orders = [batch, list(reversed(batch))] * 4
    bodies = await asyncio.gather(
        *(post(base, token, RECORD, {"i": {"transactions": items}}) for items in orders)
    )
    for body in bodies:
        assert "errors" not in body, body
        assert body["data"]["recordTransactions"]["userErrors"] == []
    assert sum(b["data"]["recordTransactions"]["created"] for b in bodies) == 30
    rows = await stored(owner_engine, world["graph"].tenant_id, [t["externalId"] for t in batch])
    assert len(rows) == 30


async def test_concurrent_batches_sharing_an_original_link_their_reversals_to_it(
    live_app: tuple[Starlette, str], world: dict, owner_engine: AsyncEngine
) -> None:
    """Each batch sends the same sale and its own refund of it: whichever batch stores the
    sale, every refund links to the one stored row."""
    _, base = live_app
    token = await login(base, world["users"]["SERVICE"], PASSWORD)
    sale = tx(world["tid"])
    refunds = [
        tx(world["tid"], type="REFUND", amount=100, originalExternalId=sale["externalId"])
        for _ in range(10)
    ]
    bodies = await asyncio.gather(
        *(post(base, token, RECORD, {"i": {"transactions": [sale, r]}}) for r in refunds)
    )
    for body in bodies:
        assert "errors" not in body, body
        assert body["data"]["recordTransactions"]["userErrors"] == []
    rows = await stored(
        owner_engine,
        world["graph"].tenant_id,
        [sale["externalId"], *(r["externalId"] for r in refunds)],
    )
    assert len(rows) == 11
    sale_id = rows[sale["externalId"]].id
    assert {rows[r["externalId"]].original_transaction_id for r in refunds} == {sale_id}


# --------------------------------------------------------------------------- card data


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"maskedPan": PAN}, "maskedPan"),
        ({"maskedPan": "4970 1012 3456 7893"}, "maskedPan"),
        ({"externalId": PAN}, "externalId"),
        ({"externalId": f"tx-{PAN}"}, "externalId"),
        ({"externalId": f"tx_{PAN}_1"}, "externalId"),
        ({"externalId": "4970-1012-3456-7893"}, "externalId"),
        ({"originalExternalId": PAN, "type": "REVERSAL"}, "originalExternalId"),
        # More than the first 6 and the last 4 digits shown.
        ({"maskedPan": "4970101******893"}, "maskedPan"),
        ({"maskedPan": "497010******67893"}, "maskedPan"),
        ({"maskedPan": "4970101234******"}, "maskedPan"),
        ({"maskedPan": "******1234567893"}, "maskedPan"),
        ({"maskedPan": "497010**34**7893"}, "maskedPan"),
    ],
)
async def test_card_data_is_refused_and_nothing_is_written(
    service: GraphQLClient,
    world: dict,
    owner_engine: AsyncEngine,
    caplog: pytest.LogCaptureFixture,
    change: dict,
    field: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    graph = world["graph"]
    before = await count_rows(owner_engine, "transactions", graph.tenant_id)
    bad = tx(world["tid"], **change)
    body = await service.post(RECORD, {"i": {"transactions": [tx(world["tid"]), bad]}})
    payload = body["data"]["recordTransactions"]
    assert payload["transactions"] is None
    assert (["input", "transactions", "1", field], "CARD_DATA_REFUSED") in problems(payload)
    assert await count_rows(owner_engine, "transactions", graph.tenant_id) == before
    # The refused number is echoed nowhere: not in the response, not in the server's logs.
    digits = "".join(ch for ch in json.dumps(change) if ch.isdigit())
    shown = json.dumps(body)
    for secret in {PAN, "4970 1012 3456 7893", "4970-1012-3456-7893", change.get("maskedPan")}:
        if secret and sum(ch.isdigit() for ch in secret) > 10:
            assert secret not in shown and secret not in caplog.text
    assert PAN not in caplog.text and (len(digits) <= 10 or digits not in caplog.text)


@pytest.mark.parametrize(
    ("masked", "expected"),
    [
        ("497010******1234", "497010******1234"),
        ("497010XXXXXX1234", "497010XXXXXX1234"),
        ("497010xxxxxx1234", "497010XXXXXX1234"),
        ("4970 10** **** 1234", "497010******1234"),
        ("497010*********1234", "497010*********1234"),  # 19-digit card
        ("******1234", "******1234"),
        ("497010******", "497010******"),
        (None, None),
    ],
)
async def test_well_formed_masked_pans_are_accepted(
    service: GraphQLClient, world: dict, owner_engine: AsyncEngine, masked: str, expected: str
) -> None:
    item = tx(world["tid"], maskedPan=masked)
    payload = await record(service, [item])
    assert payload["userErrors"] == [] and payload["created"] == 1
    rows = await stored(owner_engine, world["graph"].tenant_id, [item["externalId"]])
    assert rows[item["externalId"]].masked_pan == expected


@pytest.mark.parametrize(
    "payload",
    [
        {"cvv": "123"},
        {"CVV2": "123"},
        {"emv": {"card": {"Cvc": "123"}}},
        {"card_cvv": "123"},
        {"cardSecurityCode": "123"},
        {"track2": ";4970101234567893=25121011000012345678?"},
        {"track_2_data": "abc"},
        {"card_number": "xxx"},
        {"pinBlock": "0412AC89ABCDEF67"},
        {"log": f"declined card {PAN[:4]} {PAN[4:8]} {PAN[8:12]} {PAN[12:]}"},
        {"values": [1, 2, {"pan_like": int(PAN)}]},
        {"reader": f"tx-{PAN}"},
        {PAN: "as a key"},
    ],
)
async def test_card_data_in_a_terminal_event_payload_is_refused(
    service: GraphQLClient,
    world: dict,
    owner_engine: AsyncEngine,
    caplog: pytest.LogCaptureFixture,
    payload: dict,
) -> None:
    caplog.set_level(logging.DEBUG)
    graph = world["graph"]
    before = await count_rows(owner_engine, "terminal_events", graph.tenant_id)
    items = [
        event(world["tid"], "ERROR", code="E01", message="ok"),
        event(world["tid"], "ERROR", code="E02", payload=payload),
    ]
    body = await service.post(EVENTS, {"i": {"events": items}})
    result = body["data"]["recordTerminalEvents"]
    assert result["events"] is None
    assert problems(result) == [(["input", "events", "1", "payload"], "CARD_DATA_REFUSED")]
    assert await count_rows(owner_engine, "terminal_events", graph.tenant_id) == before
    assert PAN not in json.dumps(body) and PAN not in caplog.text


async def test_card_data_in_a_terminal_event_message_or_code_is_refused(
    service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    graph = world["graph"]
    before = await count_rows(owner_engine, "terminal_events", graph.tenant_id)
    for field, value in (("message", f"card {PAN} declined"), ("code", PAN)):
        body = await service.post(
            EVENTS, {"i": {"events": [event(world["tid"], "ERROR", **{field: value})]}}
        )
        result = body["data"]["recordTerminalEvents"]
        assert problems(result) == [(["input", "events", "0", field], "CARD_DATA_REFUSED")]
        assert PAN not in json.dumps(body)
    assert await count_rows(owner_engine, "terminal_events", graph.tenant_id) == before


async def test_a_harmless_payload_is_accepted(service: GraphQLClient, world: dict) -> None:
    payload = {
        "battery": 81,
        "signal": -70,
        "serial": "1850123456",
        "card": "inserted",
        "pinPadConnected": True,  # "pin" only as a whole key
        "cellCid": 20345,
        "trackingId": "abc",
        "panLength": 16,
        "maskedPan": "497010******1234",
        "siren": "732829320",
    }
    result = await record_events(
        service, [event(world["tid"], "LOW_BATTERY", code="B81", payload=payload)]
    )
    assert result["userErrors"] == [] and len(result["events"]) == 1


# --------------------------------------------------------------------------- validation


async def test_an_unknown_terminal_is_named_at_its_index_and_nothing_is_written(
    service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    graph = world["graph"]
    before = await count_rows(owner_engine, "transactions", graph.tenant_id)
    other = await make_tenant_graph(owner_engine)
    async with owner_engine.connect() as conn:
        foreign_tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": other.ids["terminal"]}
        )
    items = [tx(world["tid"]), tx("ZZZZ9999"), tx(world["tid"]), tx(foreign_tid)]
    payload = await record(service, items)
    assert payload["transactions"] is None
    assert problems(payload) == [
        (["input", "transactions", "1", "tid"], "NOT_FOUND"),
        (["input", "transactions", "3", "tid"], "NOT_FOUND"),  # another tenant's terminal
    ]
    assert await count_rows(owner_engine, "transactions", graph.tenant_id) == before


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"currency": "EUX"}, "currency", "INVALID_CURRENCY"),
        ({"currency": "€"}, "currency", "INVALID_CURRENCY"),
        ({"amount": -1}, "amount", "OUT_OF_RANGE"),
        ({"occurredAt": (now() + dt.timedelta(days=1)).isoformat()}, "occurredAt", "OUT_OF_RANGE"),
        (
            {"occurredAt": (now() - dt.timedelta(days=800)).isoformat()},
            "occurredAt",
            "OUT_OF_RANGE",
        ),
        ({"responseCode": "000"}, "responseCode", "INVALID"),
        ({"authorizationCode": "12"}, "authorizationCode", "INVALID"),
        ({"externalId": "has space"}, "externalId", "INVALID"),
        ({"externalId": ""}, "externalId", "INVALID"),
        ({"tid": "bad"}, "tid", "INVALID"),
        (
            {"originalExternalId": "unknown-" + letters(), "type": "REVERSAL"},
            "originalExternalId",
            "NOT_FOUND",
        ),
    ],
)
async def test_invalid_transactions_are_refused_at_their_index(
    service: GraphQLClient,
    world: dict,
    owner_engine: AsyncEngine,
    change: dict,
    field: str,
    code: str,
) -> None:
    graph = world["graph"]
    before = await count_rows(owner_engine, "transactions", graph.tenant_id)
    payload = await record(service, [tx(world["tid"]), {**tx(world["tid"]), **change}])
    assert payload["transactions"] is None
    assert problems(payload) == [(["input", "transactions", "1", field], code)]
    assert await count_rows(owner_engine, "transactions", graph.tenant_id) == before


async def test_batches_are_limited_to_500(
    service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    graph = world["graph"]
    before = await count_rows(owner_engine, "transactions", graph.tenant_id)
    payload = await record(service, [tx(world["tid"]) for _ in range(501)])
    assert problems(payload) == [(["input", "transactions"], "TOO_MANY")]
    payload = await record(service, [])
    assert problems(payload) == [(["input", "transactions"], "REQUIRED")]
    assert await count_rows(owner_engine, "transactions", graph.tenant_id) == before
    result = await record_events(service, [event(world["tid"]) for _ in range(501)])
    assert problems(result) == [(["input", "events"], "TOO_MANY")]
    result = await record_events(service, [event(world["tid"]), event("ZZZZ9999")])
    assert problems(result) == [(["input", "events", "1", "tid"], "NOT_FOUND")]
    future = (now() + dt.timedelta(hours=2)).isoformat()
    result = await record_events(service, [event(world["tid"], occurredAt=future)])
    assert problems(result) == [(["input", "events", "0", "occurredAt"], "OUT_OF_RANGE")]


async def test_only_the_service_account_records(client: GraphQLClient, world: dict) -> None:
    for role in ("SUPERVISOR", "TECHNICIAN", "HOTLINE", "SELLER"):
        staff = await signed_in(client, world["users"][role])
        body = await staff.post(RECORD, {"i": {"transactions": [tx(world["tid"])]}})
        assert body["data"]["recordTransactions"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", role
        body = await staff.post(EVENTS, {"i": {"events": [event(world["tid"])]}})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", role


# --------------------------------------------------------------------------- blocked


@pytest.mark.parametrize(
    "states",
    [
        {"service_status": "BLOCKED"},
        {"terminal_status": "BLOCKED"},
        {"contract_status": "SUSPENDED"},
        {"contract_status": "TERMINATED"},
        {"service_status": "DEACTIVATED"},  # no live service at all
    ],
)
async def test_a_blocked_placement_records_declined_whatever_the_input_said(
    service: GraphQLClient, world: dict, owner_engine: AsyncEngine, states: dict
) -> None:
    graph = world["graph"]
    place = await placement(owner_engine, graph, **states)
    items = [tx(place["tid"]), tx(place["tid"], status="DECLINED", responseCode="51")]
    payload = await record(service, items)
    assert payload["userErrors"] == [] and payload["created"] == 2
    assert [t["status"] for t in payload["transactions"]] == ["DECLINED", "DECLINED"]
    rows = await stored(owner_engine, graph.tenant_id, [t["externalId"] for t in items])
    for item in items:
        row = rows[item["externalId"]]
        assert (row.status, row.response_code, row.authorization_code) == (
            "DECLINED",
            BLOCKED_MERCHANT_CODE,
            None,
        )
    # Sending it again is a repeat, not a conflict, though the stored status differs.
    again = await record(service, items)
    assert again["userErrors"] == [] and again["created"] == 0


async def test_a_healthy_placement_keeps_what_the_platform_said(
    service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    place = await placement(owner_engine, world["graph"])
    items = [
        tx(place["tid"]),
        tx(place["tid"], status="DECLINED", responseCode="51", authorizationCode=None),
    ]
    payload = await record(service, items)
    assert [t["status"] for t in payload["transactions"]] == ["APPROVED", "DECLINED"]
    rows = await stored(owner_engine, world["graph"].tenant_id, [t["externalId"] for t in items])
    first, second = (rows[t["externalId"]] for t in items)
    assert (first.status, first.response_code, first.authorization_code) == (
        "APPROVED",
        "00",
        "A1B2C3",
    )
    assert (second.response_code, second.authorization_code) == ("51", None)


async def test_blocking_a_service_through_the_api_declines_its_next_transactions(
    client: GraphQLClient, service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    place = await placement(owner_engine, world["graph"])
    assert (await record(service, [tx(place["tid"])]))["transactions"][0]["status"] == "APPROVED"
    hotline = await signed_in(client, world["users"]["HOTLINE"])
    body = await hotline.post(
        BLOCK_SERVICE,
        {"i": {"id": gid("Service", place["service"]), "reason": "Suspicion de fraude"}},
    )
    assert body["data"]["blockService"]["service"]["status"] == "BLOCKED", body
    item = tx(place["tid"])
    assert (await record(service, [item]))["transactions"][0]["status"] == "DECLINED"
    rows = await stored(owner_engine, world["graph"].tenant_id, [item["externalId"]])
    assert rows[item["externalId"]].response_code == BLOCKED_MERCHANT_CODE


# --------------------------------------------------------------------------- reversals


async def test_a_reversal_links_its_original(
    service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    tid = world["tid"]
    purchase = tx(tid)
    first = await record(service, [purchase])
    reversal = tx(tid, type="REVERSAL", originalExternalId=purchase["externalId"])
    payload = await record(service, [reversal])
    linked = payload["transactions"][0]["originalTransaction"]
    assert linked == {
        "id": first["transactions"][0]["id"],
        "externalId": purchase["externalId"],
    }
    # The original and its reversal in one batch.
    sale = tx(tid)
    undo = tx(tid, type="REVERSAL", originalExternalId=sale["externalId"])
    payload = await record(service, [undo, sale])
    assert payload["userErrors"] == []
    by_ext = {t["externalId"]: t for t in payload["transactions"]}
    assert (
        by_ext[undo["externalId"]]["originalTransaction"]["id"] == by_ext[sale["externalId"]]["id"]
    )
    # Repeating the reversal is a repeat.
    again = await record(service, [reversal])
    assert again["created"] == 0 and again["userErrors"] == []
    # A chain in one batch, in any order: pre-authorization, completion, its reversal.
    pre = tx(tid, type="PRE_AUTHORIZATION")
    done = tx(tid, type="COMPLETION", originalExternalId=pre["externalId"])
    undone = tx(tid, type="REVERSAL", originalExternalId=done["externalId"])
    payload = await record(service, [undone, done, pre])
    assert payload["userErrors"] == [] and payload["created"] == 3
    by_ext = {t["externalId"]: t for t in payload["transactions"]}
    assert (
        by_ext[undone["externalId"]]["originalTransaction"]["id"]
        == (by_ext[done["externalId"]]["id"])
    )
    assert (
        by_ext[done["externalId"]]["originalTransaction"]["id"] == by_ext[pre["externalId"]]["id"]
    )
    again = await record(service, [pre, done, undone])
    assert again["created"] == 0 and again["userErrors"] == []
    # Two new transactions naming each other are refused, and nothing is written.
    one, two = tx(tid, type="REVERSAL"), tx(tid, type="REVERSAL")
    one["originalExternalId"], two["originalExternalId"] = two["externalId"], one["externalId"]
    payload = await record(service, [tx(tid), one, two])
    assert problems(payload) == [
        (["input", "transactions", "1", "originalExternalId"], "INVALID"),
        (["input", "transactions", "2", "originalExternalId"], "INVALID"),
    ]
    assert await stored(owner_engine, world["graph"].tenant_id, [one["externalId"]]) == {}
    # A transaction cannot be its own original.
    selfish = tx(tid, type="REVERSAL")
    selfish["originalExternalId"] = selfish["externalId"]
    payload = await record(service, [selfish])
    assert problems(payload) == [(["input", "transactions", "0", "originalExternalId"], "INVALID")]


# --------------------------------------------------------------------------- one statement


async def test_a_batch_costs_the_same_statements_for_10_or_200_rows(
    service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    transport = service.http._transport
    database = transport.app.state.database  # type: ignore[attr-defined]
    costs = {}
    for n in (10, 200):
        batch = [tx(world["tid"], amount=i) for i in range(n)]
        before = database.statements
        payload = await record(service, batch)
        costs[n] = database.statements - before
        assert payload["userErrors"] == [] and payload["created"] == n
        # A repeat of the whole batch costs no more either.
        before = database.statements
        payload = await record(service, batch)
        assert payload["created"] == 0
        costs[(n, "again")] = database.statements - before
    assert costs[10] == costs[200], costs
    assert costs[(10, "again")] == costs[(200, "again")], costs
    # Terminal events too, however many events and terminals: heartbeats (each terminal
    # coming online), errors, app updates and options acknowledgements.
    event_costs = {}
    for terminals, per_terminal in ((1, 2), (6, 20)):
        places = [await placement(owner_engine, world["graph"]) for _ in range(terminals)]
        items = [
            event(p["tid"], kind, code=code)
            for p in places
            for _ in range(per_terminal // 2)
            for kind, code in (
                ("HEARTBEAT", None),
                ("ERROR", "E1"),
                ("APP_UPDATED", "1.2.3"),
                ("PARAMETERS_DOWNLOADED", "1"),
            )
        ]
        before = database.statements
        result = await record_events(service, items)
        event_costs[terminals] = database.statements - before
        assert result["userErrors"] == [] and result["acknowledged"] == terminals
    assert event_costs[1] == event_costs[6], event_costs


# --------------------------------------------------------------------------- terminal events


async def test_heartbeats_move_last_seen_and_connectivity(
    client: GraphQLClient, service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    place = await placement(owner_engine, world["graph"])
    tech = await signed_in(client, world["users"]["TECHNICIAN"])
    view = await terminal_view(tech, place["terminal"])
    assert view["connectivity"] == "OFFLINE" and view["lastHeartbeatAt"] is None
    beat = now().replace(microsecond=0)
    result = await record_events(service, [event(place["tid"], occurredAt=beat.isoformat())])
    assert result["userErrors"] == [] and result["heartbeats"] == 1 and result["events"] == []
    view = await terminal_view(tech, place["terminal"])
    assert dt.datetime.fromisoformat(view["lastHeartbeatAt"]) == beat
    assert dt.datetime.fromisoformat(view["lastSeenAt"]) == beat
    assert view["connectivity"] == "ONLINE"
    # An older heartbeat arriving late does not move the clock back.
    late = (beat - dt.timedelta(minutes=1)).isoformat()
    await record_events(service, [event(place["tid"], occurredAt=late)])
    view = await terminal_view(tech, place["terminal"])
    assert dt.datetime.fromisoformat(view["lastHeartbeatAt"]) == beat
    # Another event moves last-seen, not the heartbeat; heartbeats stay out of the journal.
    later = beat + dt.timedelta(seconds=30)
    await record_events(service, [event(place["tid"], "REBOOT", occurredAt=later.isoformat())])
    view = await terminal_view(tech, place["terminal"])
    assert dt.datetime.fromisoformat(view["lastSeenAt"]) == later
    assert dt.datetime.fromisoformat(view["lastHeartbeatAt"]) == beat
    body = await tech.post(JOURNAL, {"t": gid("Terminal", place["terminal"])})
    assert [e["node"]["kind"] for e in body["data"]["terminalEvents"]["edges"]] == ["REBOOT"]


async def test_parameters_downloaded_acknowledges_the_latest_options(
    client: GraphQLClient, service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    place = await placement(owner_engine, world["graph"])
    tech = await signed_in(client, world["users"]["TECHNICIAN"])
    body = await tech.post(
        OPTIONS, {"i": {"id": gid("Terminal", place["terminal"]), "tipping": True}}
    )
    options = body["data"]["updateTerminalOptions"]
    assert options["userErrors"] == [] and options["options"]["versionNumber"] == 2
    view = await terminal_view(tech, place["terminal"])
    assert view["optionsStatus"] == "PENDING" and view["optionsAppliedAt"] is None

    # An options version the terminal never had is refused.
    result = await record_events(service, [event(place["tid"], "PARAMETERS_DOWNLOADED", code="7")])
    assert problems(result) == [(["input", "events", "0", "code"], "NOT_FOUND")]
    result = await record_events(service, [event(place["tid"], "PARAMETERS_DOWNLOADED", code="v2")])
    assert problems(result) == [(["input", "events", "0", "code"], "INVALID")]

    at = now().replace(microsecond=0)
    result = await record_events(
        service,
        [event(place["tid"], "PARAMETERS_DOWNLOADED", code="2", occurredAt=at.isoformat())],
    )
    assert result["userErrors"] == [] and result["acknowledged"] >= 1
    assert [e["kind"] for e in result["events"]] == ["PARAMETERS_DOWNLOADED"]
    view = await terminal_view(tech, place["terminal"])
    assert view["optionsStatus"] == "APPLIED" and view["appliedOptionsVersion"] == 2
    assert dt.datetime.fromisoformat(view["optionsAppliedAt"]) == at
    assert view["options"]["versionNumber"] == 2
    assert dt.datetime.fromisoformat(view["options"]["acknowledgedAt"]) == at
    # Acknowledging an older version afterwards changes nothing.
    await record_events(service, [event(place["tid"], "PARAMETERS_DOWNLOADED", code="1")])
    view = await terminal_view(tech, place["terminal"])
    assert view["appliedOptionsVersion"] == 2 and view["optionsStatus"] == "APPLIED"
    # A new version is pending again.
    await tech.post(OPTIONS, {"i": {"id": gid("Terminal", place["terminal"]), "cashback": True}})
    assert (await terminal_view(tech, place["terminal"]))["optionsStatus"] == "PENDING"


async def test_app_updates_and_errors_reach_the_terminal_and_its_journal(
    client: GraphQLClient, service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    place = await placement(owner_engine, world["graph"], kind="SOFTPOS")
    tech = await signed_in(client, world["users"]["TECHNICIAN"])
    at = now().replace(microsecond=0)
    result = await record_events(
        service,
        [
            event(place["tid"], "APP_UPDATED", code=" 3.4.1 ", occurredAt=at.isoformat()),
            event(
                place["tid"],
                "ERROR",
                code="NFC_TIMEOUT",
                message="Lecteur NFC : délai dépassé",
                payload={"attempt": 2},
                occurredAt=(at + dt.timedelta(seconds=1)).isoformat(),
            ),
        ],
    )
    assert result["userErrors"] == []
    assert [(e["kind"], e["code"]) for e in result["events"]] == [
        ("APP_UPDATED", "3.4.1"),
        ("ERROR", "NFC_TIMEOUT"),
    ]
    view = await terminal_view(tech, place["terminal"])
    assert view["appVersion"] == "3.4.1"
    body = await tech.post(JOURNAL, {"t": gid("Terminal", place["terminal"])})
    journal = body["data"]["terminalEvents"]
    kinds = {(e["node"]["kind"], e["node"]["code"]) for e in journal["edges"]}
    assert kinds == {("APP_UPDATED", "3.4.1"), ("ERROR", "NFC_TIMEOUT")}
    error = next(e["node"] for e in journal["edges"] if e["node"]["kind"] == "ERROR")
    assert error["message"] == "Lecteur NFC : délai dépassé"
    assert error["terminal"]["tid"] == place["tid"]
    async with owner_engine.connect() as conn:
        payload = await conn.scalar(
            text("SELECT payload FROM terminal_events WHERE terminal_id = :t AND kind = 'ERROR'"),
            {"t": place["terminal"]},
        )
    assert payload == {"attempt": 2}


# --------------------------------------------------------------------------- live


async def test_connectivity_is_pushed_online_then_offline_without_an_event_then_online(
    live_app: tuple[Starlette, str], owner_engine: AsyncEngine
) -> None:
    application, base = live_app
    graph = await make_tenant_graph(owner_engine)  # its own tenant: a 1 s heartbeat interval
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE tenants SET heartbeat_interval_s = 1 WHERE id = :t"),
            {"t": graph.tenant_id},
        )
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    supervisor = await login(base, await add_user(owner_engine, graph, "SUPERVISOR"), PASSWORD)
    machine = await login(base, await add_user(owner_engine, graph, "SERVICE"), PASSWORD)
    terminal_gid = gid("Terminal", graph.ids["terminal"])
    async with Subscription.open(base, supervisor, STATUS_SUB) as sub:
        await watched(application.state.live, graph.tenant_id)
        body = await post(base, machine, EVENTS, {"i": {"events": [event(tid)]}})
        assert body["data"]["recordTerminalEvents"]["userErrors"] == [], body
        (online,) = await sub.take(1)
        change = online["data"]["terminalStatusChanged"]
        assert change["terminal"]["id"] == terminal_gid
        assert change["connectivity"] == "ONLINE" and change["optionsStatus"] == "PENDING"
        # A second heartbeat while online changes nothing: no message. Timed from before it
        # was made: the server may only say OFFLINE once 2 x 1 s have passed since.
        started = asyncio.get_running_loop().time()
        await post(base, machine, EVENTS, {"i": {"events": [event(tid)]}})
        # Heartbeats stop: more than 2 x 1 s later the server says so by itself.
        (offline,) = await sub.take(1)
        waited = asyncio.get_running_loop().time() - started
        change = offline["data"]["terminalStatusChanged"]
        assert change["terminal"]["id"] == terminal_gid
        assert change["connectivity"] == "OFFLINE", change
        # Not before the interval has passed (how much later depends on the machine's load).
        assert waited >= 1.9, waited  # 2 s, less the clocks' granularity
        # And back online at the next heartbeat.
        await post(base, machine, EVENTS, {"i": {"events": [event(tid)]}})
        (back,) = await sub.take(1)
        assert back["data"]["terminalStatusChanged"]["connectivity"] == "ONLINE"
        # The options acknowledgement is pushed too.
        await post(
            base,
            machine,
            EVENTS,
            {"i": {"events": [event(tid, "PARAMETERS_DOWNLOADED", code="1")]}},
        )
        (applied,) = await sub.take(1)
        assert applied["data"]["terminalStatusChanged"]["optionsStatus"] == "APPLIED"


async def test_error_events_are_pushed_to_terminal_event_subscribers(
    live_app: tuple[Starlette, str], owner_engine: AsyncEngine
) -> None:
    application, base = live_app
    # Its own tenant: a live feed starts at the commit horizon, so events other tests recorded
    # in a shared tenant could come first while another database holds the horizon back.
    graph = await make_tenant_graph(owner_engine)
    async with owner_engine.connect() as conn:
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    technician = await login(base, await add_user(owner_engine, graph, "TECHNICIAN"), PASSWORD)
    machine = await login(base, await add_user(owner_engine, graph, "SERVICE"), PASSWORD)
    terminal_gid = gid("Terminal", graph.ids["terminal"])
    variables = {"f": {"terminal": terminal_gid, "kind": ["ERROR"]}}
    async with Subscription.open(base, technician, EVENT_SUB, variables) as sub:
        await held(application.state.live, graph.tenant_id, "terminal_events")
        items = [
            event(tid),  # a heartbeat: not journaled
            event(tid, "REBOOT"),  # filtered out by kind
            event(tid, "ERROR", code="E42", message="Imprimante : plus de papier"),
        ]
        body = await post(base, machine, EVENTS, {"i": {"events": items}})
        assert body["data"]["recordTerminalEvents"]["userErrors"] == [], body
        (received,) = await sub.take(1)
        recorded = received["data"]["terminalEventRecorded"]
        assert recorded["event"] == {
            "kind": "ERROR",
            "code": "E42",
            "message": "Imprimante : plus de papier",
            "terminal": {"tid": tid},
        }
        assert recorded["cursor"]
        assert await sub.silent(1.0)


# --------------------------------------------------------------------------- SoftPOS


async def test_a_softpos_device_enrolls_with_its_one_time_code(
    client: GraphQLClient, service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    graph = world["graph"]
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE contracts SET service_kinds = ARRAY['PAY_ON_SITE', 'PAYWISH_SOFTPOS']"
                " WHERE id = :id"
            ),
            {"id": graph.ids["contract"]},
        )
    tech = await signed_in(client, world["users"]["TECHNICIAN"])
    body = await tech.post(
        ACTIVATE,
        {
            "i": {
                "contractId": gid("Contract", graph.ids["contract"]),
                "shopId": gid("Shop", graph.ids["shop"]),
                "kind": "PAYWISH_SOFTPOS",
            }
        },
    )
    activated = body["data"]["activateService"]
    assert activated["userErrors"] == [], activated
    code = activated["activationCode"]
    assert code and activated["service"]["status"] == "PENDING"

    # Staff may not enroll devices, even with a good code; nothing happens.
    device = {"model": "Galaxy S24", "osVersion": "Android 15", "appVersion": "2.8.0"}
    body = await tech.post(ENROLL, {"i": {"activationCode": code, "device": device}})
    assert body["data"]["enrollSoftposDevice"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    body = await service.post(ENROLL, {"i": {"activationCode": code, "device": device}})
    enrolled = body["data"]["enrollSoftposDevice"]
    assert enrolled["userErrors"] == [], body
    assert (enrolled["service"]["status"], enrolled["service"]["kind"]) == (
        "ACTIVE",
        "PAYWISH_SOFTPOS",
    )
    terminal = enrolled["terminal"]
    assert (terminal["kind"], terminal["status"]) == ("SOFTPOS", "ACTIVE")
    assert (terminal["model"], terminal["osVersion"], terminal["appVersion"]) == (
        "Galaxy S24",
        "Android 15",
        "2.8.0",
    )
    assert enrolled["service"]["terminal"]["id"] == terminal["id"]

    # Single use.
    body = await service.post(ENROLL, {"i": {"activationCode": code, "device": device}})
    again = body["data"]["enrollSoftposDevice"]
    assert again["service"] is None
    assert problems(again) == [(["input", "activationCode"], "INVALID")]

    # The phone takes payments at once.
    item = tx(terminal["tid"], entryMode="TAP_TO_PAY", scheme="VISA")
    payload = await record(service, [item])
    assert payload["transactions"][0]["status"] == "APPROVED"
    rows = await stored(owner_engine, graph.tenant_id, [item["externalId"]])
    assert rows[item["externalId"]].authorization_code == "A1B2C3"


# --------------------------------------------------------------------------- domain faults

DEACTIVATE = f"""
mutation($i: DeactivateServiceInput!) {{ deactivateService(input: $i) {{
  terminal {{ status }} {ERRORS} }} }}
"""
TERMINATE = f"""
mutation($i: TerminateContractInput!) {{ terminateContract(input: $i) {{
  contract {{ status }} {ERRORS} }} }}
"""
RESTOCK = f"""
mutation($i: RestockTerminalInput!) {{ restockTerminal(input: $i) {{
  terminal {{ status }} {ERRORS} }} }}
"""
DIAGNOSE = """
query($id: ID!) { diagnoseTerminal(id: $id) { checks { code verdict } } }
"""


async def terminal_row(engine: AsyncEngine, terminal_id: uuid.UUID) -> Any:
    async with engine.connect() as conn:
        return (
            await conn.execute(
                text("SELECT status, shop_id FROM terminals WHERE id = :id"), {"id": terminal_id}
            )
        ).one()


@pytest.mark.parametrize("ending", ["deactivateService", "terminateContract"])
async def test_a_repeat_is_answered_with_the_stored_row_whatever_became_of_its_terminal(
    client: GraphQLClient,
    service: GraphQLClient,
    world: dict,
    owner_engine: AsyncEngine,
    ending: str,
) -> None:
    """Issue 12, item 9: "already stored" comes before any check of where the terminal is."""
    place = await placement(owner_engine, world["graph"])
    sent = [tx(place["tid"]), tx(place["tid"], amount=99)]
    first = await record(service, sent)
    assert first["userErrors"] == [] and first["created"] == 2
    supervisor = await signed_in(client, world["users"]["SUPERVISOR"])
    if ending == "deactivateService":
        body = await supervisor.post(
            DEACTIVATE, {"i": {"id": gid("Service", place["service"]), "reason": "Fin"}}
        )
    else:
        body = await supervisor.post(
            TERMINATE, {"i": {"id": gid("Contract", place["contract"]), "reason": "Fin"}}
        )
    assert body["data"][ending]["userErrors"] == [], body
    assert tuple(await terminal_row(owner_engine, place["terminal"])) == ("RETURNED", None)

    again = await record(service, sent)
    assert again["userErrors"] == [] and again["created"] == 0
    assert [t["id"] for t in again["transactions"]] == [t["id"] for t in first["transactions"]]
    # A new transaction of the returned terminal is still refused, at its index only, and
    # nothing of the batch is written.
    fresh = tx(place["tid"])
    mixed = await record(service, [sent[0], fresh])
    assert problems(mixed) == [(["input", "transactions", "1", "tid"], "INVALID")]
    assert await stored(owner_engine, world["graph"].tenant_id, [fresh["externalId"]]) == {}
    # The same id with other content is still a conflict.
    changed = await record(service, [{**sent[1], "amount": 100}])
    assert problems(changed) == [(["input", "transactions", "0", "externalId"], "CONFLICT")]
    # Back in stock (no shop either): still a repeat.
    body = await supervisor.post(
        RESTOCK, {"i": {"id": gid("Terminal", place["terminal"]), "reason": "Contrôlé"}}
    )
    assert body["data"]["restockTerminal"]["terminal"]["status"] == "IN_STOCK", body
    again = await record(service, sent)
    assert again["userErrors"] == [] and again["created"] == 0


@pytest.mark.parametrize("blocked", ["services", "terminals"])
async def test_an_expired_block_no_longer_declines_though_no_sweep_ran(
    client: GraphQLClient,
    service: GraphQLClient,
    world: dict,
    owner_engine: AsyncEngine,
    blocked: str,
) -> None:
    """Issue 12, item 11: ingestion honours `until` itself; the sweep only records it."""
    states = {"service_status": "BLOCKED"} if blocked == "services" else {}
    if blocked == "terminals":
        states = {"terminal_status": "BLOCKED"}
    place = await placement(owner_engine, world["graph"], **states)
    row_id = place["service" if blocked == "services" else "terminal"]

    async def until(delta: dt.timedelta) -> None:
        async with owner_engine.begin() as conn:
            await conn.execute(
                text(f"UPDATE {blocked} SET blocked_until = :u WHERE id = :id"),
                {"u": now() + delta, "id": row_id},
            )

    await until(dt.timedelta(hours=1))  # still in force: declined
    payload = await record(service, [tx(place["tid"])])
    assert payload["transactions"][0]["status"] == "DECLINED"
    await until(-dt.timedelta(seconds=1))  # over, not swept yet
    payload = await record(service, [tx(place["tid"])])
    assert payload["userErrors"] == []
    assert payload["transactions"][0]["status"] == "APPROVED"
    # No sweep ran: the row still says BLOCKED, and the diagnosis agrees with ingestion.
    async with owner_engine.connect() as conn:
        status = await conn.scalar(
            text(f"SELECT status FROM {blocked} WHERE id = :id"), {"id": row_id}
        )
    assert status == "BLOCKED"
    tech = await signed_in(client, world["users"]["TECHNICIAN"])
    body = await tech.post(DIAGNOSE, {"id": gid("Terminal", place["terminal"])})
    checks = {c["code"]: c["verdict"] for c in body["data"]["diagnoseTerminal"]["checks"]}
    assert checks["TERMINAL_STATUS"] == "OK" and checks["SERVICE"] == "OK", checks


@pytest.mark.parametrize("blocked", ["Service", "Terminal"])
async def test_an_expired_block_can_be_blocked_again_before_the_sweep(
    client: GraphQLClient, world: dict, owner_engine: AsyncEngine, blocked: str
) -> None:
    """A new block on an expired one: the expiry is journaled (as the sweep would), then
    the new block."""
    states = {"service_status" if blocked == "Service" else "terminal_status": "BLOCKED"}
    place = await placement(owner_engine, world["graph"], **states)
    row_id = place[blocked.lower()]
    table = f"{blocked.lower()}s"
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(f"UPDATE {table} SET blocked_until = :u WHERE id = :id"),
            {"u": now() - dt.timedelta(minutes=1), "id": row_id},
        )
    hotline = await signed_in(client, world["users"]["HOTLINE"])
    mutation = f"""mutation($i: Block{blocked}Input!) {{ block{blocked}(input: $i) {{
      {blocked.lower()} {{ status blockedReason blockedUntil }} {ERRORS} }} }}"""
    body = await hotline.post(mutation, {"i": {"id": gid(blocked, row_id), "reason": "Fraude"}})
    payload = body["data"][f"block{blocked}"]
    assert payload["userErrors"] == [], body
    assert payload[blocked.lower()] == {
        "status": "BLOCKED",
        "blockedReason": "Fraude",
        "blockedUntil": None,
    }
    async with owner_engine.connect() as conn:
        entries = (
            await conn.execute(
                text(
                    "SELECT action, actor_label FROM audit_events WHERE entity_id = :id"
                    " ORDER BY occurred_at, id"
                ),
                {"id": row_id},
            )
        ).all()
    assert [tuple(e) for e in entries][-2:] == [
        (f"{blocked.lower()}.unblocked", "auto-unblock"),
        (f"{blocked.lower()}.blocked", world["users"]["HOTLINE"]),
    ]


async def test_an_options_acknowledgement_dated_before_its_version_existed_is_refused(
    client: GraphQLClient, service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    """Issue 12, item 12."""
    place = await placement(owner_engine, world["graph"])
    tech = await signed_in(client, world["users"]["TECHNICIAN"])
    body = await tech.post(
        OPTIONS, {"i": {"id": gid("Terminal", place["terminal"]), "tipping": True}}
    )
    assert body["data"]["updateTerminalOptions"]["options"]["versionNumber"] == 2
    before = await count_rows(owner_engine, "terminal_events", world["graph"].tenant_id)
    early = (now() - dt.timedelta(minutes=10)).isoformat()
    result = await record_events(
        service,
        [
            event(place["tid"]),
            event(place["tid"], "PARAMETERS_DOWNLOADED", code="2", occurredAt=early),
        ],
    )
    assert problems(result) == [(["input", "events", "1", "occurredAt"], "OUT_OF_RANGE")]
    assert await count_rows(owner_engine, "terminal_events", world["graph"].tenant_id) == before
    view = await terminal_view(tech, place["terminal"])
    assert view["optionsStatus"] == "PENDING" and view["appliedOptionsVersion"] is None
    # The older version existed then: its acknowledgement at that time is accepted.
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE terminal_options SET created_at = now() - interval '1 hour'"
                " WHERE terminal_id = :t AND version_number = 1"
            ),
            {"t": place["terminal"]},
        )
    result = await record_events(
        service, [event(place["tid"], "PARAMETERS_DOWNLOADED", code="1", occurredAt=early)]
    )
    assert result["userErrors"] == []
    assert (await terminal_view(tech, place["terminal"]))["appliedOptionsVersion"] == 1


async def test_staff_changing_applied_options_is_pushed_as_pending(
    live_app: tuple[Starlette, str], owner_engine: AsyncEngine
) -> None:
    """Issue 12, item 10: every options status change is pushed, whoever causes it."""
    application, base = live_app
    graph = await make_tenant_graph(owner_engine)
    async with owner_engine.connect() as conn:
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    technician = await login(base, await add_user(owner_engine, graph, "TECHNICIAN"), PASSWORD)
    machine = await login(base, await add_user(owner_engine, graph, "SERVICE"), PASSWORD)
    terminal_gid = gid("Terminal", graph.ids["terminal"])
    broker = application.state.live
    async with Subscription.open(base, technician, STATUS_SUB) as sub:
        await watched(broker, graph.tenant_id)  # ready when the server holds the subscriber
        # The device applies the options: APPLIED is pushed (as before).
        body = await post(
            base,
            machine,
            EVENTS,
            {"i": {"events": [event(tid, "PARAMETERS_DOWNLOADED", code="1")]}},
        )
        assert body["data"]["recordTerminalEvents"]["userErrors"] == [], body
        (applied,) = await sub.take(1)
        assert applied["data"]["terminalStatusChanged"]["optionsStatus"] == "APPLIED"
        # Staff change them: a new version, PENDING on the device, pushed at once.
        body = await post(base, technician, OPTIONS, {"i": {"id": terminal_gid, "tipping": True}})
        assert body["data"]["updateTerminalOptions"]["userErrors"] == [], body
        (pending,) = await sub.take(1)
        change = pending["data"]["terminalStatusChanged"]
        assert change["terminal"]["id"] == terminal_gid
        assert change["optionsStatus"] == "PENDING"
        # Another change while PENDING is no status change: nothing is pushed for it, and
        # the next acknowledgement is (the first message after it is APPLIED).
        await post(base, technician, OPTIONS, {"i": {"id": terminal_gid, "cashback": True}})
        await post(
            base,
            machine,
            EVENTS,
            {"i": {"events": [event(tid, "PARAMETERS_DOWNLOADED", code="3")]}},
        )
        (again,) = await sub.take(1)
        assert again["data"]["terminalStatusChanged"]["optionsStatus"] == "APPLIED"
