"""Recording transactions: a batch is idempotent (repeats, concurrent batches, the same
occurrence in another time zone), reversals link their original, and a batch costs the same
statements for 10 or 200 rows.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from tests.api import uid
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD
from tests.ingest.helpers import (
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
from tests.live import login, post


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
