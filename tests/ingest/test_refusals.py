"""What recording refuses or rewrites: card data, unknown terminals, invalid or oversized
batches, other roles than the service account, and transactions on a blocked placement.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.response_codes import BLOCKED_MERCHANT_CODE
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.factories import make_tenant_graph
from tests.ingest.helpers import (
    ERRORS,
    EVENTS,
    PAN,
    RECORD,
    count_rows,
    event,
    letters,
    now,
    placement,
    problems,
    record,
    record_events,
    stored,
    tx,
)

BLOCK_SERVICE = f"""
mutation($i: BlockServiceInput!) {{ blockService(input: $i) {{
  service {{ status }} {ERRORS} }} }}
"""


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
