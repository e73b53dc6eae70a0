"""Cohorts: identical live subscriptions share one execution and one message per event."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.live.cohorts import CohortRegistry
from schema.view import SpringGraphQL
from spring.app import create_app
from spring.settings import Environment, Settings
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, add_user, make_tenant_graph
from tests.live import Subscription, login, post, running
from tests.test_live import RECORD, SUBSCRIBE, tx

WALL = """
subscription($f: TransactionFilter) { transactionRecorded(filter: $f) {
  cursor transaction { id amount maskedPan contract { currentFees { __typename } } } } }
"""


@pytest.fixture(scope="module")
async def world(owner_engine: AsyncEngine) -> dict[str, Any]:
    a, b = await make_tenant_graph(owner_engine), await make_tenant_graph(owner_engine)
    users = {}
    for name, graph in (("a", a), ("b", b)):
        for role in ("SUPERVISOR", "SERVICE", "HOTLINE", "TECHNICIAN"):
            users[(name, role)] = await add_user(owner_engine, graph, role)
    async with owner_engine.connect() as conn:
        tids = dict(
            (
                await conn.execute(
                    text("SELECT tenant_id, tid FROM terminals WHERE id = ANY(:ids)"),
                    {"ids": [a.ids["terminal"], b.ids["terminal"]]},
                )
            ).all()
        )
    return {"a": a, "b": b, "users": users, "tid": {"a": tids[a.tenant_id], "b": tids[b.tenant_id]}}


@pytest.fixture(scope="module")
async def served(app_url: str) -> AsyncIterator[tuple[str, CohortRegistry]]:
    settings = Settings(
        env=Environment.DEVELOPMENT,
        secret_key=TEST_SECRET,
        live_poll_interval_s=0.5,
        max_connections_per_user=100,
        live_cohorts=True,
    )
    app = create_app(settings, app_url)
    graphql = next(r.app for r in app.routes if isinstance(getattr(r, "app", None), SpringGraphQL))
    assert graphql.cohorts is not None
    async with running(app) as base:
        yield base, graphql.cohorts


async def _record(base: str, world: dict, tenant: str, count: int) -> list[str]:
    service = await login(base, world["users"][(tenant, "SERVICE")], PASSWORD)
    graph, tid = world[tenant], world["tid"][tenant]
    body = await post(
        base, service, RECORD, {"i": {"transactions": [tx(graph, tid) for _ in range(count)]}}
    )
    payload = body["data"]["recordTransactions"]
    assert payload["userErrors"] == [], body
    return [t["id"] for t in payload["transactions"]]


async def _settle(registry: CohortRegistry, members: int) -> None:
    for _ in range(100):
        if sum(len(c.members) for c in registry.cohorts.values()) == members:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {members} cohort members")


async def test_a_wall_of_identical_screens_shares_one_execution_per_event(
    served: tuple[str, CohortRegistry], world: dict
) -> None:
    base, registry = served
    supervisor = await login(base, world["users"][("a", "SUPERVISOR")], PASSWORD)
    async with contextlib.AsyncExitStack() as stack:
        subs = [
            await stack.enter_async_context(Subscription.open(base, supervisor, SUBSCRIBE))
            for _ in range(20)
        ]
        await _settle(registry, 20)
        assert len(registry.cohorts) == 1
        await asyncio.sleep(0.3)
        before = registry.executions
        ids = await _record(base, world, "a", 5)
        for sub in subs:
            events = await sub.take(5, timeout=10)
            got = [e["data"]["transactionRecorded"]["transaction"]["id"] for e in events]
            assert sorted(got) == sorted(ids)
            assert await sub.silent(0.2)
        assert registry.executions - before == 5  # one per event, not one per subscriber


async def test_roles_and_tenants_are_separate_cohorts(
    served: tuple[str, CohortRegistry], world: dict
) -> None:
    base, registry = served
    users = world["users"]
    tokens = {
        role: await login(base, users[("a", role)], PASSWORD)
        for role in ("SUPERVISOR", "HOTLINE", "TECHNICIAN")
    }
    other = await login(base, users[("b", "SUPERVISOR")], PASSWORD)
    async with contextlib.AsyncExitStack() as stack:
        subs = {
            role: [
                await stack.enter_async_context(Subscription.open(base, token, WALL))
                for _ in range(2)
            ]
            for role, token in tokens.items()
        }
        foreign = await stack.enter_async_context(Subscription.open(base, other, WALL))
        await _settle(registry, 7)
        assert len(registry.cohorts) == 4  # three roles of tenant a, one of tenant b
        await asyncio.sleep(0.3)
        before = registry.executions
        (tx_id,) = await _record(base, world, "a", 1)
        for role, members in subs.items():
            for sub in members:
                (event,) = await sub.take(1, timeout=10)
                recorded = event["data"]["transactionRecorded"]["transaction"]
                assert recorded["id"] == tx_id
                assert recorded["maskedPan"] == "497010******1234"
                errors = event.get("errors") or []
                if role == "TECHNICIAN":
                    assert recorded["contract"]["currentFees"] is None
                    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"], event
                else:
                    assert recorded["contract"]["currentFees"] is not None
                    assert errors == [], event
        assert await foreign.silent(1.0)
        assert registry.executions - before == 3


async def test_a_member_that_completes_stops_while_the_others_continue(
    served: tuple[str, CohortRegistry], world: dict
) -> None:
    base, registry = served
    supervisor = await login(base, world["users"][("a", "SUPERVISOR")], PASSWORD)
    async with contextlib.AsyncExitStack() as stack:
        subs = [
            await stack.enter_async_context(Subscription.open(base, supervisor, SUBSCRIBE))
            for _ in range(3)
        ]
        await _settle(registry, 3)
        await asyncio.sleep(0.3)
        await _record(base, world, "a", 1)
        for sub in subs:
            await sub.take(1)
        await subs[0].ws.send('{"id": "1", "type": "complete"}')
        await _settle(registry, 2)
        (second,) = await _record(base, world, "a", 1)
        for sub in subs[1:]:
            (event,) = await sub.take(1)
            assert event["data"]["transactionRecorded"]["transaction"]["id"] == second
        assert await subs[0].silent(1.0)
    await _settle(registry, 0)
    assert registry.cohorts == {}


async def test_after_subscriptions_keep_the_per_subscriber_path(
    served: tuple[str, CohortRegistry], world: dict
) -> None:
    base, registry = served
    supervisor = await login(base, world["users"][("a", "SUPERVISOR")], PASSWORD)
    async with Subscription.open(base, supervisor, SUBSCRIBE) as live:
        await _settle(registry, 1)
        await asyncio.sleep(0.3)
        first = await _record(base, world, "a", 2)
        events = await live.take(2)
        cursor = events[0]["data"]["transactionRecorded"]["cursor"]
    async with Subscription.open(base, supervisor, SUBSCRIBE, {"a": cursor}) as resumed:
        (event,) = await resumed.take(1)
        assert event["data"]["transactionRecorded"]["transaction"]["id"] == first[1]
        assert registry.cohorts == {}  # not a cohort member
        await asyncio.sleep(0.3)
        (later,) = await _record(base, world, "a", 1)
        (event,) = await resumed.take(1)
        assert event["data"]["transactionRecorded"]["transaction"]["id"] == later


async def test_a_slow_member_is_closed_with_its_cursor_and_delays_no_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Per member: a bounded queue and its own writer; a stuck socket is closed (4408)."""
    import datetime as dt
    import types
    import uuid

    from schema.live import cohorts

    monkeypatch.setattr(cohorts, "MEMBER_QUEUE", 3)
    live = types.SimpleNamespace(recheck_before=None, is_revoked=lambda *_: False)
    principal = types.SimpleNamespace(user_id=uuid.uuid4(), is_platform=False)

    class Socket:
        def __init__(self, stuck: bool) -> None:
            self.stuck, self.sent, self.closed = stuck, [], None

        async def send_text(self, text: str) -> None:
            if self.stuck:
                await asyncio.Future()
            self.sent.append(text)

        async def close(self, code: int, reason: str) -> None:
            self.closed = (code, reason)

    async def finish(*, commit: bool) -> None:
        return None

    def handler(stuck: bool) -> Any:
        ws = Socket(stuck)
        adapter = types.SimpleNamespace(ws=ws, close=ws.close, send_json=None)
        context = types.SimpleNamespace(
            token_expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
            principal=principal,
            live=live,
            authenticated_at=dt.datetime.now(dt.UTC),
            finish=finish,
        )
        return types.SimpleNamespace(websocket=adapter, context=context, cohort_members={})

    registry = CohortRegistry(schema=None)  # type: ignore[arg-type]
    removed: list[Any] = []
    cohort = types.SimpleNamespace(registry=registry, remove=removed.append)
    fast = cohorts.Member(cohort, handler(False), "a")  # type: ignore[arg-type]
    slow = cohorts.Member(cohort, handler(True), "b")  # type: ignore[arg-type]
    for i in range(10):
        fast.offer(f'{{"data":{i}}}', f"c{i}")
        slow.offer(f'{{"data":{i}}}', f"c{i}")
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    sent = fast.handler.websocket.ws.sent
    assert sent == [f'{{"type":"next","id":"a","payload":{{"data":{i}}}}}' for i in range(10)]
    assert fast.cursor == "c9"
    assert slow in removed and slow.handler.websocket.ws.closed[0] == 4408
    assert fast not in removed
    fast.task.cancel()
    slow.task.cancel()
