"""`spring simulate`: the traffic it draws, and the simulator against a real server."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import os
import random
import sys
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from db import models as m
from db.identifiers import contains_pan, looks_like_pan
from db.session import async_url
from resolvers.ingest import EXTERNAL_ID, MASKED_PAN
from spring.app import create_app
from spring.settings import Environment, Settings
from spring.simulate import (
    DEMO_PASSWORD,
    SimTerminal,
    SimulationConfig,
    SimulationError,
    Simulator,
    TrafficModel,
    database_fleet,
    demo_fleet,
    parse_tids,
)
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph
from tests.live import running, until

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


# ----------------------------------------------------------------------------- the traffic


def _draw(count: int, fleet: list[SimTerminal]) -> list[tuple[SimTerminal, dict[str, Any]]]:
    model = TrafficModel(random.Random(42))
    drawn = []
    for terminal in model.pick(fleet, count):
        tx = model.transaction(terminal, NOW)
        model.remember(tx, tx["status"])
        drawn.append((terminal, tx))
    return drawn


def test_transactions_carry_no_card_number_and_valid_identifiers() -> None:
    fleet = [SimTerminal("AP000001"), SimTerminal("AS000002", softpos=True)]
    drawn = _draw(5000, fleet)
    ids = [tx["externalId"] for _, tx in drawn]
    assert len(set(ids)) == len(ids)
    for _, tx in drawn:
        assert EXTERNAL_ID.match(tx["externalId"]) and not contains_pan(tx["externalId"])
        assert MASKED_PAN.match(tx["maskedPan"]) and not looks_like_pan(tx["maskedPan"])
        assert tx["maskedPan"][6:12] == "******"
        assert tx["amount"] >= 100 and tx["currency"] == "EUR"
        if tx["status"] == "APPROVED":
            assert tx["responseCode"] == "00" and (
                tx["type"] == "REFUND" or tx["authorizationCode"]
            )
        else:
            assert tx["authorizationCode"] is None


def test_the_mix_looks_like_real_traffic() -> None:
    fleet = [SimTerminal("AP000001"), SimTerminal("AS000002", softpos=True)]
    drawn = _draw(10_000, fleet)
    schemes = collections.Counter(tx["scheme"] for _, tx in drawn)
    assert schemes["CB"] > schemes["VISA"] > 0 and schemes["CB"] > schemes["MASTERCARD"] > 0
    assert schemes["CB"] > 0.5 * len(drawn)
    refused = [tx for _, tx in drawn if tx["status"] != "APPROVED"]
    assert 0.04 < len(refused) / len(drawn) < 0.08
    assert {tx["responseCode"] for tx in refused} == {"05", "51", "55", "61", "91"}
    assert {tx["status"] for tx in refused if tx["responseCode"] == "91"} == {"ERROR"}
    for terminal, tx in drawn:
        expected = ("TAP_TO_PAY",) if terminal.softpos else ("CONTACTLESS", "CHIP")
        assert tx["entryMode"] in expected
    # Above the 50 EUR contactless limit, the card goes in the reader (mostly).
    over_limit = [tx for t, tx in drawn if not t.softpos and tx["amount"] > 5000]
    chip = sum(tx["entryMode"] == "CHIP" for tx in over_limit)
    assert chip > 0.8 * len(over_limit)
    refunds = [tx for _, tx in drawn if tx["type"] == "REFUND"]
    assert refunds and all(tx["originalExternalId"] for tx in refunds)
    # A PAX terminal sells more than a phone.
    per_tid = collections.Counter(t.tid for t, _ in drawn)
    assert per_tid["AP000001"] > 2 * per_tid["AS000002"]


def test_tids_are_parsed_with_their_marks() -> None:
    fleet = parse_tids("ap1a5rge, AS1NPFY1:softpos ,APWWVZR2:v3")
    assert [(t.tid, t.softpos, t.options_version) for t in fleet] == [
        ("AP1A5RGE", False, None),
        ("AS1NPFY1", True, None),
        ("APWWVZR2", False, 3),
    ]
    for bad in ("", "AP1", "AP1A5RGE:blue", "AP1A5RGE,AP1A5RGE", "4970101234567890"):
        with pytest.raises(ValueError):
            parse_tids(bad)


def test_the_demo_fleet_comes_from_the_demo_data_without_a_database() -> None:
    fleet = demo_fleet("alizes", NOW)
    assert len(fleet) >= 10
    assert all(len(t.tid) == 8 and t.tid.startswith("A") for t in fleet)
    assert any(t.softpos for t in fleet) and any(t.blocked for t in fleet)
    assert all(t.options_version for t in fleet if not t.softpos)
    assert demo_fleet("nobody", NOW) == []
    assert DEMO_PASSWORD == __import__("spring.demo.description").demo.description.DEMO_PASSWORD


async def test_a_terminal_goes_silent_then_comes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """No server: what the simulator would send, second by second."""
    sent: list[tuple[float, str, dict[str, Any]]] = []
    loop = asyncio.get_running_loop()

    async def events(self: Simulator, batch: list[dict[str, Any]]) -> set[str]:
        sent.extend((loop.time(), "event", e) for e in batch)
        return set()

    async def transactions(self: Simulator, batch: list[dict[str, Any]]) -> None:
        sent.extend((loop.time(), "tx", t) for t in batch)

    async def nothing(self: Simulator) -> None:
        return None

    monkeypatch.setattr(Simulator, "_send_events", events)
    monkeypatch.setattr(Simulator, "_send_transactions", transactions)
    monkeypatch.setattr(Simulator, "_login", nothing)
    monkeypatch.setattr(Simulator, "_whoami", nothing)

    async def no_gateway(self: Simulator, now: float, wall: object) -> None:
        return None  # no server to collect commands from (it would retry until it answers)

    monkeypatch.setattr(Simulator, "_play_gateway", no_gateway)
    fleet = [SimTerminal(f"AP00000{i}", options_version=1) for i in range(3)]
    config = SimulationConfig(
        rate=20,
        duration=5.5,
        seed=3,
        fleet=fleet,
        heartbeat_every=1.0,
        first_outage=1.5,
        outage_length=2.5,
        outage_every=100,
        ack_every=1.0,
    )
    simulator = Simulator(config)
    silent: list[str] = []

    original_tick = Simulator._tick

    async def tick(self: Simulator) -> None:
        await original_tick(self)
        if self.silent is not None:
            silent.append(self.silent.tid)

    monkeypatch.setattr(Simulator, "_tick", tick)
    await simulator.run()
    assert silent, "no terminal went silent"
    tid = silent[0]
    (back,) = [(t, e) for t, kind, e in sent if kind == "event" and e["kind"] == "REBOOT"]
    assert back[1]["tid"] == tid and back[1]["code"] == "NETWORK_RECOVERY"
    first = min(t for t, kind, e in sent if e.get("kind") == "HEARTBEAT")
    gone = first + 1.5  # first_outage after the start
    while_silent = [e for t, _, e in sent if gone + 0.5 < t < back[0] - 0.1]
    assert while_silent, "the others went on"
    assert tid not in {e["tid"] for e in while_silent}, "the silent terminal spoke"
    after = [e for t, _, e in sent if t > back[0] and e["tid"] == tid]
    assert any(e.get("kind") == "HEARTBEAT" for e in after), "it came back"
    assert any(e.get("kind") == "PARAMETERS_DOWNLOADED" and e["code"] == "1" for _, _, e in sent)


# ----------------------------------------------------------------------------- a real server


@pytest.fixture(scope="module")
async def server(app_url: str) -> AsyncIterator[str]:
    settings = Settings(
        env=Environment.DEVELOPMENT, secret_key=TEST_SECRET, live_poll_interval_s=0.5
    )
    async with running(create_app(settings, app_url)) as base:
        yield base


@pytest.fixture
async def tenant(owner_engine: AsyncEngine) -> dict[str, Any]:
    graph = await make_tenant_graph(owner_engine)
    service = await add_user(owner_engine, graph, "SERVICE")
    async with owner_engine.connect() as conn:
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    return {"graph": graph, "service": service, "tid": tid}


async def _rows(engine: AsyncEngine, graph: TenantGraph) -> list[Any]:
    async with engine.connect() as conn:
        result = await conn.execute(
            text(
                "SELECT external_id, status, response_code, scheme, entry_mode, masked_pan"
                " FROM transactions WHERE tenant_id = :t AND external_id LIKE 'SIM-%'"
            ),
            {"t": graph.tenant_id},
        )
        return list(result.all())


async def _terminal(engine: AsyncEngine, graph: TenantGraph) -> Any:
    async with engine.connect() as conn:
        return (
            await conn.execute(
                text(
                    "SELECT last_heartbeat_at, applied_options_version FROM terminals"
                    " WHERE id = :id"
                ),
                {"id": graph.ids["terminal"]},
            )
        ).one()


async def test_the_simulator_feeds_a_real_server(
    server: str, tenant: dict[str, Any], owner_engine: AsyncEngine
) -> None:
    graph = tenant["graph"]
    assert await _rows(owner_engine, graph) == []
    config = SimulationConfig(
        url=f"http://{server}/graphql",
        email=tenant["service"],
        password=PASSWORD,
        rate=40,
        duration=4,
        seed=11,
        # A TID the server does not know is dropped after the first heartbeat.
        fleet=[SimTerminal(tenant["tid"], options_version=1), SimTerminal("ZZZZ9999")],
        ack_every=1.0,
    )
    simulator = Simulator(config)
    stats = await simulator.run()
    assert [t.tid for t in simulator.fleet] == [tenant["tid"]]
    assert stats.user_errors == 0 and stats.api_errors == 0, stats.last_error
    rows = await _rows(owner_engine, graph)
    assert len(rows) == stats.sent == stats.created >= 60
    statuses = collections.Counter(r.status for r in rows)
    assert statuses["DECLINED"] >= 1 and statuses["APPROVED"] > 0.8 * len(rows)
    assert stats.declined == statuses["DECLINED"] and stats.approved == statuses["APPROVED"]
    assert all(MASKED_PAN.match(r.masked_pan) for r in rows)
    assert stats.heartbeats >= 1 and stats.acknowledgements >= 1
    terminal = await _terminal(owner_engine, graph)
    assert dt.datetime.now(dt.UTC) - terminal.last_heartbeat_at < dt.timedelta(seconds=30)
    assert terminal.applied_options_version == 1


async def test_a_blocked_service_gets_its_payments_declined(
    server: str, tenant: dict[str, Any], owner_engine: AsyncEngine
) -> None:
    graph = tenant["graph"]
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE services SET status = 'BLOCKED', blocked_reason = 'test' WHERE id = :id"),
            {"id": graph.ids["service"]},
        )
    config = SimulationConfig(
        url=f"http://{server}/graphql",
        email=tenant["service"],
        password=PASSWORD,
        rate=30,
        duration=2,
        seed=5,
        fleet=[SimTerminal(tenant["tid"], blocked=True)],
    )
    stats = await Simulator(config).run()
    rows = await _rows(owner_engine, graph)
    assert rows and {r.status for r in rows} == {"DECLINED"}
    assert stats.blocked >= 1 and stats.approved == 0


async def test_options_set_during_the_demo_are_acknowledged(
    server: str, tenant: dict[str, Any], owner_url: str, owner_engine: AsyncEngine
) -> None:
    """`spring demo` reads the fleet from its database: a version staff add is applied."""
    graph = tenant["graph"]
    load, close = database_fleet(owner_url, graph.slug)
    try:
        (terminal,) = await load()
        assert (terminal.tid, terminal.softpos, terminal.pending_version) == (
            tenant["tid"],
            False,
            None,
        )
        async with owner_engine.begin() as conn:
            await conn.execute(
                insert(m.TerminalOptions.__table__).values(
                    tenant_id=graph.tenant_id,
                    terminal_id=graph.ids["terminal"],
                    version_number=2,
                    tipping=True,
                )
            )
        (terminal,) = await load()
        assert terminal.pending_version == 2
        config = SimulationConfig(
            url=f"http://{server}/graphql",
            email=tenant["service"],
            password=PASSWORD,
            rate=1,
            duration=4,
            seed=2,
            fleet_source=load,
            refresh_every=1.0,
            ack_delay=(0.5, 1.0),
        )
        stats = await Simulator(config).run()
    finally:
        await close()
    assert stats.acknowledgements >= 1
    assert (await _terminal(owner_engine, graph)).applied_options_version == 2
    # Only the tenant's own terminals (the owner may be a superuser, whom RLS lets through).
    other = await make_tenant_graph(owner_engine)
    load, close = database_fleet(owner_url, other.slug)
    try:
        (only,) = await load()
        assert only.tid != tenant["tid"]
    finally:
        await close()


async def test_the_simulator_plays_the_gateway_and_commands_complete(
    server: str,
    tenant: dict[str, Any],
    owner_engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 19: commands staff send are collected (SENT) and answered (DONE) by the
    simulator, as the real terminal gateway would; a failure is reported with its reason."""
    import spring.simulate.traffic as sim

    graph = tenant["graph"]
    now = dt.datetime.now(dt.UTC)
    kinds = {
        "REBOOT": uuid.uuid4(),
        "DOWNLOAD_PARAMETERS": uuid.uuid4(),
        "UPDATE_APP": uuid.uuid4(),
    }
    async with owner_engine.begin() as conn:
        for kind, command_id in kinds.items():
            await conn.execute(
                insert(m.TerminalCommand.__table__).values(
                    tenant_id=graph.tenant_id,
                    id=command_id,
                    terminal_id=graph.ids["terminal"],
                    kind=kind,
                    status="QUEUED",
                    requested_by_label="technician@test",
                    created_at=now,
                    expires_at=now + dt.timedelta(minutes=60),
                )
            )
    # Every command succeeds but the app update, which fails.
    monkeypatch.setattr(sim, "COMMAND_FAILURE_RATE", 0.0)
    monkeypatch.setitem(sim.COMMAND_FAILURES, "UPDATE_APP", "Espace de stockage insuffisant")
    original = sim.TrafficModel.answer

    def answer(self: Any, terminal: Any, command: dict[str, Any], at: dt.datetime) -> dict:
        if command["kind"] == "UPDATE_APP":
            monkeypatch.setattr(sim, "COMMAND_FAILURE_RATE", 1.0)
            try:
                return original(self, terminal, command, at)
            finally:
                monkeypatch.setattr(sim, "COMMAND_FAILURE_RATE", 0.0)
        return original(self, terminal, command, at)

    monkeypatch.setattr(sim.TrafficModel, "answer", answer)
    config = SimulationConfig(
        url=f"http://{server}/graphql",
        email=tenant["service"],
        password=PASSWORD,
        rate=1,
        duration=4,
        seed=3,
        fleet=[SimTerminal(tenant["tid"], options_version=1)],
        command_poll_every=0.5,
        command_delay=(0.2, 0.6),
    )
    stats = await Simulator(config).run()
    assert stats.user_errors == 0 and stats.api_errors == 0, stats.last_error
    assert (stats.commands, stats.commands_answered) == (3, 3)
    async with owner_engine.connect() as conn:
        rows = {
            r.kind: r
            for r in (
                await conn.execute(
                    text(
                        "SELECT kind, status, sent_at, failure_reason, event_id"
                        " FROM terminal_commands WHERE id = ANY(:ids)"
                    ),
                    {"ids": list(kinds.values())},
                )
            ).all()
        }
    assert rows["REBOOT"].status == "DONE" and rows["REBOOT"].sent_at is not None
    assert rows["DOWNLOAD_PARAMETERS"].status == "DONE"
    assert rows["UPDATE_APP"].status == "FAILED"
    assert rows["UPDATE_APP"].failure_reason == "Espace de stockage insuffisant"
    assert all(r.event_id is not None for r in rows.values())
    assert (await _terminal(owner_engine, graph)).applied_options_version == 1


async def test_unknown_terminals_or_a_wrong_password_stop_it(
    server: str, tenant: dict[str, Any]
) -> None:
    base = {"url": f"http://{server}/graphql", "email": tenant["service"], "duration": 1}
    with pytest.raises(SimulationError, match="known"):
        await Simulator(
            SimulationConfig(**base, password=PASSWORD, fleet=[SimTerminal("ZZZZ9999")])
        ).run()
    with pytest.raises(SimulationError, match="login refused") as refused:
        await Simulator(
            SimulationConfig(**base, password="wrong password", fleet=parse_tids(tenant["tid"]))
        ).run()
    assert "wrong password" not in str(refused.value)
    # A tenant that is not a demo tenant needs --tids.
    with pytest.raises(SimulationError, match="--tids"):
        await Simulator(SimulationConfig(**base, password=PASSWORD)).run()


async def test_the_spring_simulate_command(
    server: str, tenant: dict[str, Any], owner_engine: AsyncEngine
) -> None:
    env = {**os.environ, "SPRING_SIMULATE_PASSWORD": PASSWORD, "COLUMNS": "120"}
    args = [
        "-m",
        "spring.cli",
        "simulate",
        "--url",
        f"http://{server}/graphql",
        "--email",
        tenant["service"],
        "--tids",
        f"{tenant['tid']}:v1",
        "--rate",
        "10",
        "--duration",
        "3",
        "--seed",
        "1",
    ]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        if process.returncode is None:
            process.kill()
    text_out = output.decode()
    assert process.returncode == 0, text_out
    assert "Done:" in text_out and "transactions sent" in text_out
    assert PASSWORD not in text_out
    assert len(await _rows(owner_engine, tenant["graph"])) > 5

    # Refused login: exit 1, and the password is not echoed.
    env["SPRING_SIMULATE_PASSWORD"] = f"not-{uuid.uuid4().hex}"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 1, output.decode()
    assert "login refused" in output.decode()
    assert env["SPRING_SIMULATE_PASSWORD"] not in output.decode()


# ----------------------------------------------------------------------------- spring demo


@pytest.mark.slow
async def test_spring_demo_feeds_both_demo_tenants_in_the_background(pg: Any) -> None:
    """What `spring demo` runs: a thread, one simulator per demo tenant, the fleet read from
    the seeded database; and the TIDs `spring simulate` would take without --tids match."""
    from sqlalchemy.engine import make_url

    from db.migrate import migrate
    from spring.demo import seed_demo
    from spring.simulate import BackgroundSimulation
    from tests.conftest import APP_ROLE

    url = await pg.create_database("spring_sim_demo")
    await migrate(url, app_role=APP_ROLE)
    seeded_at = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    await seed_demo(url, now=seeded_at)
    app_url = make_url(url).set(username=APP_ROLE, password=None).render_as_string(False)
    settings = Settings(env=Environment.DEVELOPMENT, secret_key=TEST_SECRET)
    async with running(create_app(settings, app_url)) as base:
        simulation = BackgroundSimulation(
            f"http://{base}", url, traffic=(("alizes", 10.0), ("ocean", 5.0)), report_every=2
        ).start()
        try:
            await until(
                lambda: (
                    len(simulation.simulators) == 2
                    and all(s.stats.sent >= 10 for s in simulation.simulators)
                ),
                "both simulators to send 10 transactions",
                timeout=60,
                interval=0.2,
            )
        finally:
            # The thread's requests need this loop to be answered: do not block it.
            await asyncio.to_thread(simulation.stop)
    assert not simulation._thread.is_alive()
    by_tenant = {s.tenant: s for s in simulation.simulators}
    assert set(by_tenant) == {"alizes", "ocean"}
    for slug, simulator in by_tenant.items():
        stats = simulator.stats
        assert stats.sent >= 10 and stats.user_errors == 0, (slug, stats.last_error)
        assert stats.heartbeats >= len(simulator.fleet)
        # The same terminals as the demo data's description (computed without a database).
        expected = demo_fleet(slug, seeded_at)
        assert sorted(t.tid for t in simulator.fleet) == [t.tid for t in expected]
        assert {t.tid for t in simulator.fleet if t.blocked} == {
            t.tid for t in expected if t.blocked
        }
    # The demo's silent terminals stayed silent: they are still OFFLINE.
    engine = create_async_engine(async_url(url))
    try:
        async with engine.connect() as conn:
            stale = await conn.scalar(
                text(
                    "SELECT count(*) FROM terminals WHERE status = 'ACTIVE'"
                    " AND last_heartbeat_at < now() - interval '1 hour'"
                )
            )
    finally:
        await engine.dispose()
    assert stale >= 2
