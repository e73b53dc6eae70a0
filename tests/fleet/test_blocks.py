"""Blocks: the hotline blocks and unblocks services and terminals, deactivating the last live
service returns its terminal, and expired blocks are lifted by the sweeps.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.session import Database
from resolvers import terminals as rt
from spring.app import create_app
from spring.settings import Settings
from spring.unblocker import Unblocker
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph, make_tenant_graph
from tests.fleet.helpers import (
    BLOCK_SERVICE,
    BLOCK_TERMINAL,
    DEACTIVATE_SERVICE,
    UNBLOCK_SERVICE,
    UNBLOCK_TERMINAL,
    add_service,
    add_terminal,
    count,
    counts,
    in_hours,
    journal_of,
    row,
)
from tests.live import until


async def test_hotline_blocks_and_unblocks_a_service_with_a_reason_and_an_end(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    hotline = await signed_in(client, users["HOTLINE"])
    terminal_id = await add_terminal(owner_engine, graph, status="ACTIVE")
    service_id = await add_service(owner_engine, graph, terminal_id=terminal_id)
    sid = gid("Service", service_id)
    before = await counts(owner_engine, graph.tenant_id)

    body = await hotline.post(
        BLOCK_SERVICE,
        {"i": {"id": sid, "reason": "  ", "until": in_hours(-1).isoformat()}},
    )
    errors = body["data"]["blockService"]["userErrors"]
    assert {(tuple(e["field"]), e["code"]) for e in errors} == {
        (("input", "reason"), "REQUIRED"),
        (("input", "until"), "INVALID"),
    }
    body = await hotline.post(
        BLOCK_SERVICE, {"i": {"id": sid, "reason": "Fraude", "expectedVersion": 7}}
    )
    assert body["data"]["blockService"]["userErrors"][0]["code"] == "CONFLICT"
    assert await counts(owner_engine, graph.tenant_id) == before

    until = in_hours(2).replace(microsecond=0)
    body = await hotline.post(
        BLOCK_SERVICE,
        {
            "i": {
                "id": sid,
                "reason": "Suspicion de fraude",
                "until": until.isoformat(),
                "expectedVersion": 1,
            }
        },
    )
    payload = body["data"]["blockService"]
    assert payload["userErrors"] == []
    service = payload["service"]
    assert (service["status"], service["blockedReason"]) == ("BLOCKED", "Suspicion de fraude")
    assert dt.datetime.fromisoformat(service["blockedUntil"]) == until
    stored = await row(owner_engine, "services", service_id)
    assert stored["blocked_at"] is not None and stored["blocked_by"] is not None
    entry = (await journal_of(owner_engine, service_id))[-1]
    assert entry["action"] == "service.blocked" and entry["reason"] == "Suspicion de fraude"
    assert entry["actor_label"] == users["HOTLINE"]
    assert entry["before"] == {"status": "ACTIVE"}
    assert entry["after"] == {"status": "BLOCKED", "blockedUntil": until.isoformat()}
    # The terminal is not blocked by a service's block.
    assert (await row(owner_engine, "terminals", terminal_id))["status"] == "ACTIVE"

    body = await hotline.post(
        UNBLOCK_SERVICE,
        {"i": {"id": sid, "expectedVersion": service["version"], "reason": "Levée de doute"}},
    )
    payload = body["data"]["unblockService"]
    assert payload["userErrors"] == []
    assert payload["service"]["status"] == "ACTIVE"
    assert payload["service"]["blockedReason"] is None
    assert payload["service"]["blockedUntil"] is None
    entry = (await journal_of(owner_engine, service_id))[-1]
    assert entry["action"] == "service.unblocked" and entry["reason"] == "Levée de doute"
    assert entry["before"] == {
        "status": "BLOCKED",
        "blockedReason": "Suspicion de fraude",
        "blockedUntil": until.isoformat(),
    }


async def test_hotline_blocks_and_unblocks_a_terminal(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    hotline = await signed_in(client, users["HOTLINE"])
    terminal_id = await add_terminal(owner_engine, graph, status="ACTIVE")
    tid = gid("Terminal", terminal_id)
    body = await hotline.post(BLOCK_TERMINAL, {"i": {"id": tid, "reason": ""}})
    assert body["data"]["blockTerminal"]["userErrors"][0]["code"] == "REQUIRED"
    body = await hotline.post(
        BLOCK_TERMINAL, {"i": {"id": tid, "reason": "Terminal volé", "expectedVersion": 1}}
    )
    payload = body["data"]["blockTerminal"]
    assert payload["userErrors"] == []
    assert (payload["terminal"]["status"], payload["terminal"]["blockedReason"]) == (
        "BLOCKED",
        "Terminal volé",
    )
    assert payload["terminal"]["blockedUntil"] is None
    body = await hotline.post(UNBLOCK_TERMINAL, {"i": {"id": tid}})
    payload = body["data"]["unblockTerminal"]
    assert payload["userErrors"] == []
    assert payload["terminal"]["status"] == "ACTIVE"
    assert [e["action"] for e in await journal_of(owner_engine, terminal_id)] == [
        "terminal.blocked",
        "terminal.unblocked",
    ]


async def test_deactivating_the_last_live_service_returns_its_terminal(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    tech = await signed_in(client, users["TECHNICIAN"])
    terminal_id = await add_terminal(owner_engine, graph, status="ACTIVE")
    first = await add_service(owner_engine, graph, terminal_id=terminal_id)
    second = await add_service(owner_engine, graph, terminal_id=terminal_id, status="BLOCKED")

    body = await tech.post(DEACTIVATE_SERVICE, {"i": {"id": gid("Service", first), "reason": " "}})
    assert body["data"]["deactivateService"]["userErrors"][0]["code"] == "REQUIRED"
    body = await tech.post(
        DEACTIVATE_SERVICE, {"i": {"id": gid("Service", first), "reason": "Fin d'activité"}}
    )
    payload = body["data"]["deactivateService"]
    assert payload["userErrors"] == []
    assert payload["service"]["status"] == "DEACTIVATED"
    assert payload["terminal"]["status"] == "ACTIVE"  # the second service still uses it

    body = await tech.post(
        DEACTIVATE_SERVICE, {"i": {"id": gid("Service", second), "reason": "Fin d'activité"}}
    )
    payload = body["data"]["deactivateService"]
    assert payload["userErrors"] == []
    assert payload["terminal"]["status"] == "RETURNED"
    stored = await row(owner_engine, "services", second)
    assert stored["blocked_reason"] is None and stored["deactivated_at"] is not None
    entry = (await journal_of(owner_engine, terminal_id))[-1]
    assert (entry["action"], entry["reason"]) == ("terminal.returned", "Fin d'activité")

    # A pending SoftPOS code dies with its service.
    code = rt.new_activation_code()
    pending = await add_service(
        owner_engine,
        graph,
        status="PENDING",
        kind="PAYWISH_SOFTPOS",
        code_hash=rt.hash_activation_code(code),
        code_expires_at=in_hours(1),
    )
    body = await tech.post(
        DEACTIVATE_SERVICE, {"i": {"id": gid("Service", pending), "reason": "Annulé"}}
    )
    assert body["data"]["deactivateService"]["terminal"] is None
    assert (await row(owner_engine, "services", pending))["activation_code_hash"] is None


async def test_expired_blocks_are_lifted_once_by_concurrent_sweeps_and_journaled_as_system(
    owner_engine: AsyncEngine, app_db: Database
) -> None:
    graph = await make_tenant_graph(owner_engine)
    past, future = in_hours(-0.1), in_hours(3)
    expired_services = [
        await add_service(owner_engine, graph, status="BLOCKED", blocked_until=past)
        for _ in range(12)
    ]
    expired_terminals = [
        await add_terminal(owner_engine, graph, status="BLOCKED", blocked_until=past)
        for _ in range(6)
    ]
    later_service = await add_service(owner_engine, graph, status="BLOCKED", blocked_until=future)
    later_terminal = await add_terminal(owner_engine, graph, status="BLOCKED", blocked_until=future)
    open_ended = await add_service(owner_engine, graph, status="BLOCKED")

    lifted = await asyncio.gather(*(rt.lift_expired_blocks(app_db) for _ in range(4)))
    assert sum(lifted) >= len(expired_services) + len(expired_terminals)

    for service_id in expired_services:
        stored = await row(owner_engine, "services", service_id)
        assert stored["status"] == "ACTIVE"
        assert stored["blocked_reason"] is None and stored["blocked_until"] is None
    for terminal_id in expired_terminals:
        stored = await row(owner_engine, "terminals", terminal_id)
        assert (stored["status"], stored["blocked_until"]) == ("ACTIVE", None)
    for service_id in (later_service, open_ended):
        assert (await row(owner_engine, "services", service_id))["status"] == "BLOCKED"
    assert (await row(owner_engine, "terminals", later_terminal))["status"] == "BLOCKED"

    async with owner_engine.connect() as conn:
        entries = (
            (
                await conn.execute(
                    text(
                        "SELECT entity_id, action, actor_kind, actor_label, actor_id, reason,"
                        " before, after FROM audit_events"
                        " WHERE tenant_id = :t AND action LIKE '%.unblocked'"
                    ),
                    {"t": graph.tenant_id},
                )
            )
            .mappings()
            .all()
        )
    by_entity: dict[uuid.UUID, list[Any]] = {}
    for entry in entries:
        by_entity.setdefault(entry["entity_id"], []).append(entry)
    assert set(by_entity) == {*expired_services, *expired_terminals}
    assert all(len(found) == 1 for found in by_entity.values())
    for entry in entries:
        assert (entry["actor_kind"], entry["actor_label"], entry["actor_id"]) == (
            "SYSTEM",
            "auto-unblock",
            None,
        )
        assert entry["reason"] == "block expired"
        assert entry["before"]["status"] == "BLOCKED" and entry["after"] == {"status": "ACTIVE"}
    assert {e["action"] for e in entries if e["entity_id"] in expired_terminals} == {
        "terminal.unblocked"
    }

    # A later sweep finds nothing more to do here.
    await rt.lift_expired_blocks(app_db)
    assert await count(owner_engine, "audit_events", graph.tenant_id) == 1 + len(entries)


async def _active(owner_engine: AsyncEngine, service_id: uuid.UUID) -> bool:
    return (await row(owner_engine, "services", service_id))["status"] == "ACTIVE"


async def test_the_unblocker_task_sweeps_periodically_and_survives_errors(
    owner_engine: AsyncEngine, app_db: Database
) -> None:
    calls: list[int] = []

    async def flaky(db: Database) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return 0

    unblocker = Unblocker(app_db, interval_s=0.01, sweep=flaky)
    unblocker.start()
    await until(lambda: len(calls) >= 3, "three sweeps, the first failing")
    await unblocker.stop()
    assert len(calls) >= 3 and not unblocker.running

    graph = await make_tenant_graph(owner_engine)
    service_id = await add_service(
        owner_engine, graph, status="BLOCKED", blocked_until=in_hours(-0.01)
    )
    real = Unblocker(app_db, interval_s=0.05)
    real.start()
    try:
        await until(lambda: _active(owner_engine, service_id), "the expired block to be swept")
    finally:
        await real.stop()
    assert (await row(owner_engine, "services", service_id))["status"] == "ACTIVE"


async def test_the_app_sweeps_expired_blocks_during_its_lifespan(
    settings: Settings, app_url: str, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    service_id = await add_service(
        owner_engine, graph, status="BLOCKED", blocked_until=in_hours(-0.01)
    )
    application = create_app(settings, app_url)
    async with application.router.lifespan_context(application):
        await until(lambda: _active(owner_engine, service_id), "the expired block to be swept")
    assert (await row(owner_engine, "services", service_id))["status"] == "ACTIVE"
