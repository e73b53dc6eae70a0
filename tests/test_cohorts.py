"""Cohorts: identical live subscriptions share one execution and one message per event."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import time
import types
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from spring.app import create_app
from spring.settings import Environment, Settings
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, add_user, make_tenant_graph
from tests.ingest.helpers import EVENT_SUB, EVENTS, event
from tests.live import Subscription, held, login, post, running, settled, until
from tests.test_live import RECORD, SUBSCRIBE, tx
from transport import cohorts
from transport import members as cohort_members
from transport.cohorts import CohortRegistry
from transport.view import SpringGraphQL

WALL = """
subscription($f: TransactionFilter) { transactionRecorded(filter: $f) {
  cursor transaction { id amount maskedPan contract { currentFees { __typename } } } } }
"""


@pytest.fixture
async def world(owner_engine: AsyncEngine) -> dict[str, Any]:
    """Two tenants of the test's own: a live feed starts at the commit horizon, so rows an
    earlier test recorded in a shared tenant could still reach this test's subscribers (and
    count as executions) while another database's transaction holds the horizon back."""
    a, b = await make_tenant_graph(owner_engine), await make_tenant_graph(owner_engine)
    users = {}
    for name, graph in (("a", a), ("b", b)):
        for role in ("SUPERVISOR", "SERVICE", "HOTLINE", "TECHNICIAN"):
            users[(name, role)] = await add_user(owner_engine, graph, role)
        await settled(owner_engine, graph.tenant_id)  # its fixture rows are not news
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


#: The module server's live broker, to wait until it holds the cohorts' subscriptions.
SERVED: dict[str, Any] = {}


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
    SERVED["broker"] = app.state.live
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
    await until(
        lambda: sum(len(c.members) for c in registry.cohorts.values()) == members,
        f"{members} cohort members",
    )


async def _held(world: dict, cohorts: int, feed: str = "transactions") -> None:
    """Wait until the broker holds the subscriptions of tenant a's `cohorts` (one each)."""
    await held(SERVED["broker"], world["a"].tenant_id, feed, count=cohorts)


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
        await _held(world, 1)
        before, writes, deferred = registry.executions, registry.writes, registry.deferred
        ids = await _record(base, world, "a", 5)
        for sub in subs:
            events = await sub.take(5)
            got = [e["data"]["transactionRecorded"]["transaction"]["id"] for e in events]
            assert sorted(got) == sorted(ids)
            assert await sub.silent(0.2)
        assert registry.executions - before == 5  # one per event, not one per subscriber
        assert registry.writes - writes == 5 * 20  # one frame per event and member
        assert registry.deferred == deferred  # every write completed at once: no task hop


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
        await _held(world, 3)
        await held(SERVED["broker"], world["b"].tenant_id)
        before = registry.executions
        (tx_id,) = await _record(base, world, "a", 1)
        for role, members in subs.items():
            for sub in members:
                (event,) = await sub.take(1)
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
        await _held(world, 1)
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
        await _held(world, 1)
        first = await _record(base, world, "a", 2)
        events = await live.take(2)
        cursor = events[0]["data"]["transactionRecorded"]["cursor"]
    async with Subscription.open(base, supervisor, SUBSCRIBE, {"a": cursor}) as resumed:
        (event,) = await resumed.take(1)
        assert event["data"]["transactionRecorded"]["transaction"]["id"] == first[1]
        assert registry.cohorts == {}  # not a cohort member
        await _held(world, 1)
        (later,) = await _record(base, world, "a", 1)
        (event,) = await resumed.take(1)
        assert event["data"]["transactionRecorded"]["transaction"]["id"] == later


async def test_cohorts_differing_only_by_filter_execute_each_row_once(
    served: tuple[str, CohortRegistry], world: dict
) -> None:
    """Whole tenant, amount ≥ 2,000 and amount ≤ 2,000: three cohorts of one family; each
    row is executed once and written to the cohorts whose filter it passes."""
    base, registry = served
    graph, tid = world["a"], world["tid"]["a"]
    hotline = await login(base, world["users"][("a", "HOTLINE")], PASSWORD)
    filters = {"all": None, "big": {"amountMin": 2000}, "small": {"amountMax": 2000}}
    async with contextlib.AsyncExitStack() as stack:
        subs = {
            name: [
                await stack.enter_async_context(
                    Subscription.open(base, hotline, SUBSCRIBE, {"f": f})
                )
                for _ in range(2)
            ]
            for name, f in filters.items()
        }
        await _settle(registry, 6)
        assert len(registry.cohorts) == 3 and len(registry.families) == 1
        await _held(world, 3)
        before, shared = registry.executions, registry.shared
        service = await login(base, world["users"][("a", "SERVICE")], PASSWORD)
        amounts = [1234, 5000, 1500, 9000]
        body = await post(
            base,
            service,
            RECORD,
            {"i": {"transactions": [tx(graph, tid, amount=a) for a in amounts]}},
        )
        ids = [t["id"] for t in body["data"]["recordTransactions"]["transactions"]]
        expected = {
            "all": ids,
            "big": [i for i, a in zip(ids, amounts, strict=True) if a >= 2000],
            "small": [i for i, a in zip(ids, amounts, strict=True) if a <= 2000],
        }
        received: dict[str, list[Any]] = {}
        for name, members in subs.items():
            for sub in members:
                events = await sub.take(len(expected[name]))
                got = [e["data"]["transactionRecorded"]["transaction"] for e in events]
                assert sorted(t["id"] for t in got) == sorted(expected[name])
                assert all(e.get("errors") is None for e in events)
                assert await sub.silent(0.3)
                received[name] = events
        # The same payload whichever cohort executed it.
        by_id = {e["data"]["transactionRecorded"]["transaction"]["id"]: e for e in received["all"]}
        for name in ("big", "small"):
            for event in received[name]:
                recorded = event["data"]["transactionRecorded"]
                assert by_id[recorded["transaction"]["id"]] == event
        assert registry.executions - before == 4  # one per row, not one per row and cohort
        assert registry.shared - shared == 4  # each row reached one other cohort
        (family,) = registry.families.values()
        kept = [family.results[e["data"]["transactionRecorded"]["cursor"]] for e in received["all"]]
        assert all(isinstance(payload, str) for payload in kept)  # payloads, no futures kept
    await _settle(registry, 0)
    assert registry.cohorts == {} and registry.families == {}


async def test_a_bad_filter_in_a_family_is_refused_alone(
    served: tuple[str, CohortRegistry], world: dict
) -> None:
    base, registry = served
    hotline = await login(base, world["users"][("a", "HOTLINE")], PASSWORD)
    async with Subscription.open(base, hotline, SUBSCRIBE) as good:
        await _settle(registry, 1)
        async with Subscription.open(base, hotline, SUBSCRIBE, {"f": {"shop": "nope"}}) as bad:
            message = await bad.next()
            assert message["type"] == "error", message
            codes = [e["extensions"]["code"] for e in message["payload"]]
            assert codes == ["BAD_USER_INPUT"], message
        await _held(world, 1)
        ids = await _record(base, world, "a", 2)
        events = await good.take(2)
        assert [e["data"]["transactionRecorded"]["transaction"]["id"] for e in events] == ids


async def test_terminal_event_cohorts_differing_only_by_filter_share_executions(
    served: tuple[str, CohortRegistry], world: dict
) -> None:
    base, registry = served
    technician = await login(base, world["users"][("a", "TECHNICIAN")], PASSWORD)
    async with contextlib.AsyncExitStack() as stack:
        every = await stack.enter_async_context(Subscription.open(base, technician, EVENT_SUB))
        errors = await stack.enter_async_context(
            Subscription.open(base, technician, EVENT_SUB, {"f": {"kind": ["ERROR"]}})
        )
        await _settle(registry, 2)
        assert len(registry.cohorts) == 2 and len(registry.families) == 1
        await _held(world, 2, "terminal_events")
        before, shared = registry.executions, registry.shared
        service = await login(base, world["users"][("a", "SERVICE")], PASSWORD)
        tid = world["tid"]["a"]
        items = [event(tid, "REBOOT"), event(tid, "ERROR", code="E42", message="Papier")]
        body = await post(base, service, EVENTS, {"i": {"events": items}})
        assert body["data"]["recordTerminalEvents"]["userErrors"] == [], body
        got = await every.take(2)
        assert [e["data"]["terminalEventRecorded"]["event"]["kind"] for e in got] == [
            "REBOOT",
            "ERROR",
        ]
        (error,) = await errors.take(1)
        assert error == got[1]
        assert await errors.silent(0.3)
        assert registry.executions - before == 2 and registry.shared - shared == 1


# ---------------------------------------------------------------------------- write path
# Members have no task or queue of their own: the cohort's task writes each frame to each
# member; only a socket that is behind gets a task (and a bounded backlog) until it catches up.


class _Socket:
    """A member's socket: writes complete at once, unless `gate` is set and not yet open
    (a socket that is behind), or `stuck_after` writes were done (one that never drains)."""

    def __init__(
        self, *, stuck_after: int | None = None, gate: asyncio.Event | None = None
    ) -> None:
        self.stuck_after, self.gate = stuck_after, gate
        self.sent: list[str] = []
        self.closed: tuple[int, str] | None = None
        self.suspended = 0

    async def send_text(self, text: str) -> None:
        if self.stuck_after is not None and len(self.sent) >= self.stuck_after:
            self.suspended += 1
            await asyncio.Future()
        if self.gate is not None and not self.gate.is_set():
            self.suspended += 1
            await self.gate.wait()
        self.sent.append(text)

    async def send_json(self, message: Any) -> None:
        self.sent.append(json.dumps(message))

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)


class _Live:
    def __init__(self) -> None:
        self.recheck_before: dt.datetime | None = None
        self.revoked: dict[uuid.UUID, dt.datetime] = {}

    def is_revoked(self, user_id: uuid.UUID, authenticated_at: dt.datetime) -> bool:
        at = self.revoked.get(user_id)
        return at is not None and at >= authenticated_at


def _cohort(live: _Live | None = None) -> Any:
    registry = CohortRegistry(schema=None)  # type: ignore[arg-type]
    cohort = types.SimpleNamespace(registry=registry, members={}, live=live or _Live())

    def remove(member: Any) -> None:
        cohort.members.pop(member.op_id, None)
        member.gone = True

    cohort.remove = remove
    return cohort


def _member(cohort: Any, op_id: str, socket: _Socket, expires_in: float = 3600) -> Any:
    async def finish(*, commit: bool) -> None:
        return None

    now = dt.datetime.now(dt.UTC)
    context = types.SimpleNamespace(
        token_expires_at=now + dt.timedelta(seconds=expires_in),
        principal=types.SimpleNamespace(user_id=uuid.uuid4(), is_platform=False),
        live=cohort.live,
        authenticated_at=now,
        finish=finish,
    )
    adapter = types.SimpleNamespace(ws=socket, close=socket.close, send_json=socket.send_json)
    handler = types.SimpleNamespace(websocket=adapter, context=context, cohort_members={})
    member = cohort_members.Member(cohort, handler, op_id)
    cohort.members[op_id] = member
    return member


def _frame(op_id: str, i: int) -> str:
    return f'{{"type":"next","id":"{op_id}","payload":{{"data":{i}}}}}'


def _event(cohort: Any, i: int, check: bool = False) -> None:
    for member in list(cohort.members.values()):
        member.deliver(f'{{"data":{i}}}', f"c{i}", time.time(), check)


async def test_a_slow_member_is_closed_with_its_cursor_while_the_others_keep_receiving(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cohort_members, "MEMBER_QUEUE", 3)
    cohort = _cohort()
    fast = _member(cohort, "a", _Socket())
    slow = _member(cohort, "b", _Socket(stuck_after=2))
    for i in range(10):
        _event(cohort, i)
        # Every frame of the fast member is written as the event is dispatched: no hop.
        assert fast.socket.sent == [_frame("a", j) for j in range(i + 1)]
    await until(lambda: slow.socket.closed is not None, "the slow member to be closed")
    assert fast.cursor == "c9" and fast.sent == 10 and not fast.gone
    # The slow one: two writes, then its third waits, three more frames wait behind it, the
    # seventh finds its backlog full: it is closed as too slow, with the cursor it had reached.
    assert slow.gone and "b" not in cohort.members
    assert slow.socket.sent == [_frame("b", 0), _frame("b", 1)]
    assert slow.socket.closed == (4408, "subscriber too slow: resume with `after` after=c1")
    assert slow.socket.suspended == 1
    registry = cohort.registry
    assert registry.writes == 12 and registry.deferred == 1


async def test_a_member_behind_gets_its_frames_in_order_then_writes_at_once_again() -> None:
    gate = asyncio.Event()
    cohort = _cohort()
    behind = _member(cohort, "b", _Socket(gate=gate))
    other = _member(cohort, "o", _Socket())
    for i in range(5):
        _event(cohort, i)
    assert behind.busy is not None and len(behind.backlog) == 4
    assert behind.socket.sent == [] and len(other.socket.sent) == 5
    gate.set()
    await until(lambda: behind.busy is None, "the member behind to catch up")
    assert behind.socket.sent == [_frame("b", i) for i in range(5)]
    assert behind.busy is None and behind.backlog == [] and behind.cursor == "c4"
    _event(cohort, 5)  # caught up: the next write completes at once again
    assert behind.socket.sent[-1] == _frame("b", 5) and behind.busy is None
    assert cohort.registry.deferred == 1 and cohort.registry.writes == 12


async def test_a_member_finishing_while_behind_gets_its_frames_then_complete() -> None:
    gate = asyncio.Event()
    cohort = _cohort()
    member = _member(cohort, "m", _Socket(gate=gate))
    for i in range(3):
        _event(cohort, i)
    member.finish({"id": "m", "type": "complete"})
    gate.set()
    await until(lambda: len(member.socket.sent) == 4, "the frames and the complete")
    assert member.socket.sent == [
        *(_frame("m", i) for i in range(3)),
        json.dumps({"id": "m", "type": "complete"}),
    ]


async def test_an_expired_member_is_closed_at_its_next_event_without_a_write() -> None:
    cohort = _cohort()
    expired = _member(cohort, "x", _Socket(), expires_in=-1)
    valid = _member(cohort, "v", _Socket())
    _event(cohort, 0)
    await until(lambda: expired.socket.closed is not None, "the expired member to be closed")
    assert expired.socket.sent == [] and expired.socket.closed is not None
    assert expired.socket.closed[0] == 4401 and expired.gone
    assert valid.socket.sent == [_frame("v", 0)]


async def test_accounts_are_looked_up_only_when_the_broker_heard_of_a_revocation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    looked_up: list[Any] = []
    verdicts: dict[Any, Any] = {}

    async def still_allowed(context: Any) -> Any:
        looked_up.append(context.principal.user_id)
        context.authenticated_at = dt.datetime.now(dt.UTC)
        return verdicts.get(context.principal.user_id)

    monkeypatch.setattr(cohort_members, "still_allowed", still_allowed)
    cohort = _cohort()
    kept = _member(cohort, "k", _Socket())
    revoked = _member(cohort, "r", _Socket())
    for i in range(3):
        _event(cohort, i, check=False)
    assert looked_up == []  # nothing revoked: no look-up at all
    # The broker hears that both accounts changed: each is looked up once, before its write.
    cohort.live.revoked[kept.context.principal.user_id] = dt.datetime.now(dt.UTC)
    cohort.live.revoked[revoked.context.principal.user_id] = dt.datetime.now(dt.UTC)
    verdicts[revoked.context.principal.user_id] = (4403, "account changed or deactivated")
    _event(cohort, 3, check=True)
    _event(cohort, 4, check=True)  # waits behind the look-up, in order
    await until(
        lambda: revoked.socket.closed is not None and len(kept.socket.sent) == 5,
        "both look-ups and their writes",
    )
    assert sorted(map(str, looked_up)) == sorted(
        str(m.context.principal.user_id) for m in (kept, revoked)
    )
    assert kept.socket.sent == [_frame("k", i) for i in range(5)]
    assert revoked.socket.sent == [_frame("r", i) for i in range(3)]
    assert revoked.socket.closed == (4403, "account changed or deactivated")
    _event(cohort, 5, check=True)  # checked since the revocation: no new look-up
    assert len(looked_up) == 2 and kept.socket.sent[-1] == _frame("k", 5)


async def test_a_cohort_whose_last_member_is_gone_at_a_write_stops() -> None:
    """The last member dropped by the cohort's own task (its socket refused the write): the
    cohort's stream stops too (no execution keeps running for nobody)."""
    from strawberry.types.execution import ExecutionResult

    rows: asyncio.Queue[int] = asyncio.Queue()
    closed = asyncio.Event()

    class Schema:
        async def stream(self, *_: Any, **__: Any) -> Any:
            async def results() -> Any:
                try:
                    while True:
                        n = await rows.get()
                        yield ExecutionResult(data={"r": {"cursor": f"c{n}"}}, errors=None)
                finally:
                    closed.set()

            return results()

    class Gone(_Socket):
        async def send_text(self, text: str) -> None:
            raise RuntimeError("disconnected")

    registry = CohortRegistry(Schema())  # type: ignore[arg-type]
    live = _Live()
    template = types.SimpleNamespace(
        request=types.SimpleNamespace(scope={"type": "websocket", "headers": []}),
        db=None,
        auth=None,
        request_id="r",
        live=live,
        principal=None,
        token_expires_at=None,
        authenticated_at=dt.datetime.now(dt.UTC),
    )
    socket = Gone()
    handler = types.SimpleNamespace(
        websocket=types.SimpleNamespace(ws=socket, close=socket.close, send_json=socket.send_json),
        context=template,
        cohort_members={},
    )
    key = cohorts.CohortKey("subscription", "{}", None, "HOTLINE", uuid.uuid4())
    registry.join(key, handler, {"id": "1", "payload": {"query": "subscription"}})
    (cohort,) = registry.cohorts.values()
    await rows.put(1)
    await asyncio.wait_for(closed.wait(), 2)
    assert cohort.task is not None
    await until(cohort.task.done, "the cohort's task to stop")
    assert registry.cohorts == {} and handler.cohort_members == {}


async def test_a_failed_account_check_closes_with_1011_not_as_too_slow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(context: Any) -> Any:
        raise RuntimeError("database gone")

    monkeypatch.setattr(cohort_members, "still_allowed", broken)
    cohort = _cohort()
    member = _member(cohort, "m", _Socket())
    _event(cohort, 0, check=False)
    cohort.live.revoked[member.context.principal.user_id] = dt.datetime.now(dt.UTC)
    _event(cohort, 1, check=True)
    await until(lambda: member.socket.closed is not None, "the member to be closed")
    assert member.socket.sent == [_frame("m", 0)]
    code, reason = member.socket.closed
    assert code == 1011 and "internal error" in reason and "after=c0" in reason
