"""Live supervision end to end: a real server on loopback, real WebSocket clients."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.session import Database
from spring.app import create_app
from spring.settings import Environment, Settings
from tenancy.principal import tenant_claims
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph
from tests.live import PATIENCE, Subscription, held, login, post, running, settled, until

RECORD = """
mutation($i: RecordTransactionsInput!) { recordTransactions(input: $i) {
  created transactions { id status } userErrors { field code message } } }
"""
SUBSCRIBE = """
subscription($f: TransactionFilter, $a: String) { transactionRecorded(filter: $f, after: $a) {
  cursor transaction { id externalId amount maskedPan status responseCode
  terminal { tid shop { name } } } } }
"""


def _letters() -> str:
    """A random external id without long digit runs (which could pass for a card number)."""
    return uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))


def tx(graph: TenantGraph, tid: str, external_id: str | None = None, amount: int = 1234) -> dict:
    return {
        "externalId": external_id or f"live-{_letters()}",
        "tid": tid,
        "type": "PURCHASE",
        "amount": amount,
        "currency": "EUR",
        "scheme": "CB",
        "entryMode": "CONTACTLESS",
        "status": "APPROVED",
        "responseCode": "00",
        "authorizationCode": "A1B2C3",
        "maskedPan": "497010******1234",
        "occurredAt": dt.datetime.now(dt.UTC).isoformat(),
    }


@pytest.fixture(scope="module")
async def world(owner_engine: AsyncEngine) -> dict[str, Any]:
    a, b = await make_tenant_graph(owner_engine), await make_tenant_graph(owner_engine)
    users = {}
    for name, graph in (("a", a), ("b", b)):
        for role in ("SUPERVISOR", "SELLER", "SERVICE", "HOTLINE"):
            users[(name, role)] = await add_user(owner_engine, graph, role)
        # Its fixture rows are not news: tenant b must stay silent for its subscribers.
        await settled(owner_engine, graph.tenant_id)
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


@pytest.fixture(autouse=True)
async def _settled(world: dict, owner_engine: AsyncEngine) -> None:
    """Each test subscribes once the rows of the tests before it are below the commit
    horizon: a feed starting then cannot hand them out as news (a burst of them would also
    overflow the module server's 50-row buffer)."""
    for name in ("a", "b"):
        await settled(owner_engine, world[name].tenant_id)


#: The module server's live broker, to wait for readiness instead of a fixed time.
SERVED: dict[str, Any] = {}


@pytest.fixture(scope="module")
async def server(app_url: str) -> AsyncIterator[str]:
    settings = Settings(
        env=Environment.DEVELOPMENT,
        secret_key=TEST_SECRET,
        live_queue_size=50,
        live_poll_interval_s=0.5,
    )
    app = create_app(settings, app_url)
    SERVED["broker"] = app.state.live
    async with running(app) as base:
        yield base


async def test_a_supervisor_receives_transactions_as_they_are_recorded(
    server: str, world: dict
) -> None:
    users, a = world["users"], world["a"]
    supervisor = await login(server, users[("a", "SUPERVISOR")], PASSWORD)
    service = await login(server, users[("a", "SERVICE")], PASSWORD)
    async with Subscription.open(server, supervisor, SUBSCRIBE) as sub:
        await held(SERVED["broker"], a.tenant_id)
        sent = tx(a, world["tid"]["a"])
        body = await post(server, service, RECORD, {"i": {"transactions": [sent]}})
        assert body["data"]["recordTransactions"]["userErrors"] == [], body
        # A live subscription starts at the commit horizon (the oldest transaction still
        # running anywhere on the server), so a row committed just before it may come first.
        recorded = await _until(sub, sent["externalId"])
        assert recorded["transaction"]["amount"] == 1234
        assert recorded["transaction"]["maskedPan"] == "497010******1234"
        assert recorded["transaction"]["terminal"]["tid"] == world["tid"]["a"]
        assert recorded["cursor"]


async def _until(sub: Subscription, external_id: str) -> dict[str, Any]:
    """The event of the transaction `external_id` (rows from before the test come first)."""
    (recorded,) = await _collect(sub, [external_id])
    return recorded


async def _collect(
    sub: Subscription, external_ids: list[str], timeout: float = PATIENCE
) -> list[dict[str, Any]]:
    """The events of the transactions `external_ids`, in the order they arrived.

    A live subscription starts at the commit horizon (the oldest transaction still running
    anywhere on the PostgreSQL server): rows committed before the test, by an earlier test of
    the same tenant, may come first. They are skipped; every wanted row must arrive within
    `timeout` seconds in all, and none twice.
    """
    wanted = set(external_ids)
    got: list[dict[str, Any]] = []
    deadline = asyncio.get_running_loop().time() + timeout
    while len(got) < len(wanted):
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            missing = wanted - {r["transaction"]["externalId"] for r in got}
            raise AssertionError(f"waited {timeout:g} s for {sorted(missing)[:5]}, in vain")
        try:
            (event,) = await sub.take(1, timeout=left)
        except TimeoutError:
            continue
        recorded = event["data"]["transactionRecorded"]
        if recorded["transaction"]["externalId"] in wanted:
            assert recorded not in got, f"delivered twice: {recorded}"
            got.append(recorded)
    return got


async def test_a_seller_may_not_subscribe(server: str, world: dict) -> None:
    """What docs/live.md says a refused subscription receives: one `next` whose payload holds
    the FORBIDDEN error (and no data), then `complete`; the connection stays open."""
    seller = await login(server, world["users"][("a", "SELLER")], PASSWORD)
    async with Subscription.open(server, seller, SUBSCRIBE) as sub:
        message = await sub.next()
        assert message["type"] == "next" and message["id"] == "1", message
        assert message["payload"]["data"] is None
        (error,) = message["payload"]["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN", message
        assert await sub.next() == {"id": "1", "type": "complete"}
        await sub.ws.send(json.dumps({"type": "ping"}))
        assert (await sub.next())["type"] == "pong"


async def test_the_subscription_limit_answers_an_error_message(server: str, world: dict) -> None:
    """Past SPRING_MAX_SUBSCRIPTIONS_PER_CONNECTION (20 here), a subscribe gets an `error`
    message (docs/live.md), and the subscriptions already open keep running."""
    supervisor = await login(server, world["users"][("a", "SUPERVISOR")], PASSWORD)
    async with Subscription.open(server, supervisor, SUBSCRIBE) as sub:
        for op_id in range(2, 22):
            await sub.ws.send(
                json.dumps({"id": str(op_id), "type": "subscribe", "payload": {"query": SUBSCRIBE}})
            )
        message = await sub.next()
        assert message["type"] == "error" and message["id"] == "21", message
        assert message["payload"][0]["message"] == "Subscription limit reached"


async def test_another_tenant_receives_nothing(server: str, world: dict) -> None:
    users = world["users"]
    other = await login(server, users[("b", "SUPERVISOR")], PASSWORD)
    service = await login(server, users[("a", "SERVICE")], PASSWORD)
    async with Subscription.open(server, other, SUBSCRIBE) as sub:
        await held(SERVED["broker"], world["b"].tenant_id)
        await post(
            server, service, RECORD, {"i": {"transactions": [tx(world["a"], world["tid"]["a"])]}}
        )
        assert await sub.silent(1.5)


async def test_a_connection_without_a_valid_token_is_refused(server: str) -> None:
    import websockets

    with pytest.raises(Exception):  # noqa: B017 - closed with 4403 during the handshake
        async with Subscription.open(server, "not-a-token", SUBSCRIBE) as sub:
            await sub.next(3)
    async with websockets.connect(f"ws://{server}/graphql", subprotocols=["graphql-ws"]) as ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), timeout=5)
        assert closed.value.rcvd.code == 4406


async def _write_out_of_order(
    app_db: Database, graph: TenantGraph, count: int, feed: Any = None
) -> list[str]:
    """Two writers; the first keeps its transaction open while the second commits.

    With a live `feed`, the first commits only once the feed has looked since the second
    committed (and found the first's rows still pending): the out-of-order window is seen.
    """
    rows = [f"ooo-{uuid.uuid4().hex}" for _ in range(count)]
    first, second = rows[: count // 2], rows[count // 2 :]
    insert = text(
        "INSERT INTO transactions (tenant_id, id, external_id, terminal_id, shop_id, company_id,"
        " contract_id, service_id, type, amount, currency, scheme, entry_mode, status,"
        " response_code, occurred_at) SELECT :t, gen_random_uuid(), e, :term, :shop, :co, :ct,"
        " :sv, 'PURCHASE', 500, 'EUR', 'VISA', 'CHIP', 'APPROVED', '00', now()"
        " FROM unnest(CAST(:ext AS text[])) e"
    )
    params = {
        "t": graph.tenant_id,
        "term": graph.ids["terminal"],
        "shop": graph.ids["shop"],
        "co": graph.ids["company"],
        "ct": graph.ids["contract"],
        "sv": graph.ids["service"],
    }
    notify = text("SELECT pg_notify('spring_transactions', :p)")
    payload = {"p": f'{{"t":"{graph.tenant_id}"}}'}
    async with app_db.session(tenant_claims(graph.tenant_id)) as slow:
        await slow.execute(insert, {**params, "ext": first})  # xid assigned now, commit later
        async with app_db.session(tenant_claims(graph.tenant_id)) as fast:
            await fast.execute(insert, {**params, "ext": second})
            await fast.execute(notify, payload)
            await fast.commit()
        if feed is not None:
            looked = feed.polls
            await until(lambda: feed.polls > looked, "the feed to look after the fast commit")
        await slow.execute(notify, payload)
        await slow.commit()
    return rows


async def test_out_of_order_commits_are_delivered_once_live_and_on_resume(
    server: str, world: dict, app_db: Database
) -> None:
    users, a = world["users"], world["a"]
    supervisor = await login(server, users[("a", "HOTLINE")], PASSWORD)
    service = await login(server, users[("a", "SERVICE")], PASSWORD)
    async with Subscription.open(server, supervisor, SUBSCRIBE) as sub:
        broker = SERVED["broker"]
        await held(broker, a.tenant_id)
        warm = tx(a, world["tid"]["a"])
        body = await post(server, service, RECORD, {"i": {"transactions": [warm]}})
        assert body["data"]["recordTransactions"]["userErrors"] == [], body
        cursor = (await _until(sub, warm["externalId"]))["cursor"]
        # Live: both writers' rows arrive, each once, though they committed out of order.
        feed = broker.feeds[("transactions", a.tenant_id)]
        written = await _write_out_of_order(app_db, a, 40, feed)
        live = await sub.take(40)
        got = [e["data"]["transactionRecorded"]["transaction"]["externalId"] for e in live]
        assert sorted(got) == sorted(written)
    # Disconnected: 200 more, out of order; resuming from the cursor gives exactly the missing.
    written_while_away = await _write_out_of_order(app_db, a, 200)
    async with Subscription.open(server, supervisor, SUBSCRIBE, {"a": cursor}) as sub:
        replay = await sub.take(240)
        got = [e["data"]["transactionRecorded"]["transaction"]["externalId"] for e in replay]
        assert len(got) == len(set(got)) == 240
        assert set(got) == set(written) | set(written_while_away)
        assert await sub.silent(1.0)


async def test_subscribers_keep_receiving_when_the_listen_connection_is_killed(
    server: str, world: dict, owner_engine: AsyncEngine
) -> None:
    users, a = world["users"], world["a"]
    supervisor = await login(server, users[("a", "SUPERVISOR")], PASSWORD)
    service = await login(server, users[("a", "SERVICE")], PASSWORD)
    sent = []
    async with Subscription.open(server, supervisor, SUBSCRIBE) as sub:
        await held(SERVED["broker"], a.tenant_id)
        for round_ in range(6):
            batch = [tx(a, world["tid"]["a"]) for _ in range(5)]
            sent += [t["externalId"] for t in batch]
            body = await post(server, service, RECORD, {"i": {"transactions": batch}})
            assert body["data"]["recordTransactions"]["created"] == 5
            if round_ == 2:
                async with owner_engine.begin() as conn:
                    killed = await conn.scalar(
                        text(
                            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                            " WHERE application_name = 'spring-listener'"
                            " AND datname = current_database()"
                        )
                    )
                assert killed >= 1
        received = await _collect(sub, sent)
        assert [r["transaction"]["externalId"] for r in received] == sent


async def test_a_subscriber_that_falls_behind_is_closed_with_its_cursor_and_resumes(
    app_url: str, world: dict
) -> None:
    """A server keeping at most 5 waiting events per subscriber, and a burst of 100."""
    settings = Settings(env=Environment.DEVELOPMENT, secret_key=TEST_SECRET, live_queue_size=5)
    users, a = world["users"], world["a"]
    application = create_app(settings, app_url)
    async with running(application) as base:
        token = await login(base, users[("a", "SUPERVISOR")], PASSWORD)
        service = await login(base, users[("a", "SERVICE")], PASSWORD)
        batch = [tx(a, world["tid"]["a"]) for _ in range(100)]
        sent = [t["externalId"] for t in batch]
        received: list[str] = []
        import websockets

        async with Subscription.open(base, token, SUBSCRIBE) as sub:
            await held(application.state.live, a.tenant_id)
            await post(base, service, RECORD, {"i": {"transactions": batch}})
            with pytest.raises(websockets.ConnectionClosed) as closed:
                while True:
                    message = await sub.next()
                    received.append(
                        message["payload"]["data"]["transactionRecorded"]["transaction"][
                            "externalId"
                        ]
                    )
        frame = closed.value.rcvd
        assert frame is not None and frame.code == 4408
        cursor = frame.reason.split("after=")[1]
        assert len(received) < 100
        async with Subscription.open(base, token, SUBSCRIBE, {"a": cursor}) as sub:
            # Rows of earlier tests (before the horizon) may have come first: only ours count.
            received = [r for r in received if r in sent]
            rest = await _collect(sub, sent[len(received) :])
            received += [r["transaction"]["externalId"] for r in rest]
            assert await sub.silent(1.0)
        assert received == sent


async def test_a_slow_subscriber_does_not_delay_the_others(
    app_db: Database, app_url: str, owner_engine: AsyncEngine
) -> None:
    """At the broker: one subscriber stops reading, the other gets every row, in order."""
    from db.session import plain_url
    from subscriptions.broker import TRANSACTIONS, LiveBroker
    from subscriptions.feeds import SubscriberClosed

    # Its own tenant, settled: no earlier row can come first and take room in the buffer.
    a = await make_tenant_graph(owner_engine)
    await settled(owner_engine, a.tenant_id)
    broker = LiveBroker(app_db, plain_url(app_url), queue_size=300, poll_interval=0.2)
    await broker.start()
    try:
        slow = broker.rows(TRANSACTIONS, a.tenant_id, lambda row: True)
        fast = broker.rows(TRANSACTIONS, a.tenant_id, lambda row: True)
        first_slow = asyncio.create_task(slow.__anext__())
        got: list[Any] = []

        async def consume() -> None:
            async for row in fast:
                got.append(row)

        consumer = asyncio.create_task(consume())

        def arrived(rows: list[str]) -> bool:
            if consumer.done():
                consumer.result()  # raises why the fast subscriber stopped
            return set(rows) <= {r.external_id for r in got}

        await held(broker, a.tenant_id, count=2)
        feed = broker.feeds[("transactions", a.tenant_id)]
        written: list[str] = []
        for _ in range(4):
            batch = await _write_out_of_order(app_db, a, 100, feed)
            written += batch
            # The fast one has them before the next batch: while another database holds the
            # horizon back, rows become final together, and never more than the buffer holds.
            await until(functools.partial(arrived, batch), "the fast subscriber's rows")
        consumer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await consumer
        assert sorted(r.external_id for r in got) == sorted(written)
        assert len({r.id for r in got}) == 400
        await first_slow  # the slow one took one row, then never read again
        with pytest.raises(SubscriberClosed) as closed:
            while True:
                await slow.__anext__()
        assert "too slow" in closed.value.reason
        assert closed.value.cursor is not None  # where to resume
        await fast.aclose()
    finally:
        await broker.stop()


async def test_a_deactivated_subscriber_is_closed_at_the_next_event(
    server: str, world: dict, owner_engine: AsyncEngine
) -> None:
    import websockets

    a = world["a"]
    email = await add_user(owner_engine, a, "HOTLINE")
    watcher = await login(server, email, PASSWORD)
    supervisor = await login(server, world["users"][("a", "SUPERVISOR")], PASSWORD)
    service = await login(server, world["users"][("a", "SERVICE")], PASSWORD)
    async with Subscription.open(server, watcher, SUBSCRIBE) as sub:
        await held(SERVED["broker"], a.tenant_id)
        sent = tx(a, world["tid"]["a"])
        await post(server, service, RECORD, {"i": {"transactions": [sent]}})
        await _until(sub, sent["externalId"])
        me = await post(server, watcher, "{ me { id } }")
        body = await post(
            server,
            supervisor,
            "mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) {"
            " user { status } userErrors { code } } }",
            {"i": {"id": me["data"]["me"]["id"], "reason": "Départ"}},
        )
        assert body["data"]["deactivateUser"]["user"]["status"] == "DEACTIVATED"
        # The deactivation reaches the server through the broker (NOTIFY): wait for it.
        async with owner_engine.connect() as conn:
            user_id = await conn.scalar(text("SELECT id FROM users WHERE email = :e"), {"e": email})
        await until(
            lambda: user_id in SERVED["broker"].revoked, "the broker to hear of the deactivation"
        )
        await post(server, service, RECORD, {"i": {"transactions": [tx(a, world["tid"]["a"])]}})
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await sub.next()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_a_subscriber_whose_session_is_revoked_is_closed_at_the_next_event(
    server: str, world: dict, owner_engine: AsyncEngine
) -> None:
    import websockets

    a = world["a"]
    email = await add_user(owner_engine, a, "TECHNICIAN")
    watcher = await login(server, email, PASSWORD)
    elsewhere = await login(server, email, PASSWORD)  # the same person, another device
    service = await login(server, world["users"][("a", "SERVICE")], PASSWORD)
    async with Subscription.open(server, watcher, SUBSCRIBE) as sub:
        await held(SERVED["broker"], a.tenant_id)
        sent = tx(a, world["tid"]["a"])
        await post(server, service, RECORD, {"i": {"transactions": [sent]}})
        await _until(sub, sent["externalId"])
        sessions = await post(server, elsewhere, "{ me { sessions { id current } } }")
        [watching] = [s for s in sessions["data"]["me"]["sessions"] if not s["current"]]
        body = await post(
            server,
            elsewhere,
            "mutation($i: RevokeSessionInput!) { revokeSession(input: $i) {"
            " userErrors { code } } }",
            {"i": {"id": watching["id"]}},
        )
        assert body["data"]["revokeSession"]["userErrors"] == []
        # The revocation reaches the server through the broker: each new event is checked
        # against it, so events are sent until the subscriber is closed (no fixed wait).
        with pytest.raises(websockets.ConnectionClosed) as closed:
            for _ in range(50):
                await post(
                    server, service, RECORD, {"i": {"transactions": [tx(a, world["tid"]["a"])]}}
                )
                with contextlib.suppress(TimeoutError):
                    while True:
                        await sub.next(0.2)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
        assert "session" in closed.value.rcvd.reason


async def test_two_subscriptions_on_one_connection_each_get_their_own_transaction(
    app_url: str, world: dict
) -> None:
    """A screen often has several subscriptions on one socket: each event of each runs in
    its own context (session, loaders), so they never close each other's session."""
    import json

    import websockets

    settings = Settings(env=Environment.DEVELOPMENT, secret_key=TEST_SECRET, live_cohorts=False)
    users, a = world["users"], world["a"]
    application = create_app(settings, app_url)
    async with running(application) as base:
        token = await login(base, users[("a", "SUPERVISOR")], PASSWORD)
        service = await login(base, users[("a", "SERVICE")], PASSWORD)
        async with websockets.connect(
            f"ws://{base}/graphql", subprotocols=["graphql-transport-ws"]
        ) as ws:
            await ws.send(
                json.dumps(
                    {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
                )
            )
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            for op in ("1", "2"):
                await ws.send(
                    json.dumps({"id": op, "type": "subscribe", "payload": {"query": SUBSCRIBE}})
                )
            await held(application.state.live, a.tenant_id, count=2)
            sent = []
            for _ in range(5):
                batch = [tx(a, world["tid"]["a"]) for _ in range(10)]
                sent += [t["externalId"] for t in batch]
                await post(base, service, RECORD, {"i": {"transactions": batch}})
            got: dict[str, list[str]] = {"1": [], "2": []}
            while len(got["1"]) + len(got["2"]) < 2 * len(sent):
                message = json.loads(await asyncio.wait_for(ws.recv(), timeout=PATIENCE))
                assert message["type"] == "next", message
                assert "errors" not in message["payload"], message
                node = message["payload"]["data"]["transactionRecorded"]["transaction"]
                assert node["terminal"]["shop"]["name"]
                if node["externalId"] in sent:  # rows of earlier tests may come first
                    got[message["id"]].append(node["externalId"])
        assert got["1"] == sent and got["2"] == sent
