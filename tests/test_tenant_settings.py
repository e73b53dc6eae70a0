"""updateTenantSettings: a supervisor sets their tenant's notification delays (a platform
administrator with X-Tenant too); and the database lets a supervisor's transaction change
those two columns of its own tenant's row and nothing else (migration 0009)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.session import Database
from resolvers.accounts import create_user
from tenancy.principal import claims_for, platform_claims
from tenancy.roles import Role
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph

UPDATE = """
mutation($i: UpdateTenantSettingsInput!) { updateTenantSettings(input: $i) {
  tenant { slug version notifyOfflineAfterMinutes notifyOptionsPendingAfterMinutes }
  userErrors { field code message } } }
"""
READ = "{ me { tenant { notifyOfflineAfterMinutes notifyOptionsPendingAfterMinutes } } }"


async def _login(client: GraphQLClient, email: str) -> GraphQLClient:
    other = GraphQLClient(client.http)
    payload = await other.login(email, PASSWORD)
    assert payload["userErrors"] == [], payload
    return other


async def _settings(engine: AsyncEngine, tenant_id: uuid.UUID) -> tuple[int, int, str]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT notify_offline_after_minutes, notify_options_pending_after_minutes,"
                    " name FROM tenants WHERE id = :t"
                ),
                {"t": tenant_id},
            )
        ).one()
    return row[0], row[1], row[2]


async def _journal(engine: AsyncEngine, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT actor_label, before, after FROM audit_events WHERE tenant_id = :t"
                " AND action = 'tenant.settings_updated' ORDER BY occurred_at"
            ),
            {"t": tenant_id},
        )
        return [dict(r) for r in rows.mappings()]


@pytest.fixture
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {r: await add_user(owner_engine, graph, r) for r in ("SUPERVISOR", "TECHNICIAN")}
    return graph, users


async def test_a_supervisor_sets_the_delays_and_the_journal_says_so(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    supervisor = await _login(client, users["SUPERVISOR"])
    body = await supervisor.post(
        UPDATE,
        {
            "i": {
                "notifyOfflineAfterMinutes": 30,
                "notifyOptionsPendingAfterMinutes": 240,
                "expectedVersion": 1,
            }
        },
    )
    payload = body["data"]["updateTenantSettings"]
    assert payload["userErrors"] == [], body
    assert payload["tenant"] == {
        "slug": graph.slug,
        "version": 2,
        "notifyOfflineAfterMinutes": 30,
        "notifyOptionsPendingAfterMinutes": 240,
    }
    assert (await _settings(owner_engine, graph.tenant_id))[:2] == (30, 240)
    (entry,) = await _journal(owner_engine, graph.tenant_id)
    assert entry["before"] == {
        "notifyOfflineAfterMinutes": 15,
        "notifyOptionsPendingAfterMinutes": 60,
    }
    assert entry["after"] == {
        "notifyOfflineAfterMinutes": 30,
        "notifyOptionsPendingAfterMinutes": 240,
    }
    # Only what is given changes, and only what changed is journaled.
    body = await supervisor.post(UPDATE, {"i": {"notifyOfflineAfterMinutes": 45}})
    assert body["data"]["updateTenantSettings"]["tenant"]["notifyOptionsPendingAfterMinutes"] == (
        240
    )
    last = (await _journal(owner_engine, graph.tenant_id))[-1]
    assert (last["before"], last["after"]) == (
        {"notifyOfflineAfterMinutes": 30},
        {"notifyOfflineAfterMinutes": 45},
    )
    # The technicians (who are told) read the delays.
    technician = await _login(client, users["TECHNICIAN"])
    read = await technician.post(READ)
    assert read["data"]["me"]["tenant"] == {
        "notifyOfflineAfterMinutes": 45,
        "notifyOptionsPendingAfterMinutes": 240,
    }


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {"notifyOfflineAfterMinutes": 0},
            [(["input", "notifyOfflineAfterMinutes"], "OUT_OF_RANGE")],
        ),
        (
            {"notifyOfflineAfterMinutes": 10081, "notifyOptionsPendingAfterMinutes": -5},
            [
                (["input", "notifyOfflineAfterMinutes"], "OUT_OF_RANGE"),
                (["input", "notifyOptionsPendingAfterMinutes"], "OUT_OF_RANGE"),
            ],
        ),
        (
            {"notifyOfflineAfterMinutes": None},
            [(["input", "notifyOfflineAfterMinutes"], "REQUIRED")],
        ),
        ({}, [(["input"], "INVALID")]),
        (
            {"notifyOfflineAfterMinutes": 20, "expectedVersion": 7},
            [(["input", "expectedVersion"], "CONFLICT")],
        ),
    ],
)
async def test_bad_input_is_refused_and_writes_nothing(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    tenant: tuple[TenantGraph, dict],
    values: dict[str, Any],
    errors: list[tuple[list[str], str]],
) -> None:
    graph, users = tenant
    supervisor = await _login(client, users["SUPERVISOR"])
    body = await supervisor.post(UPDATE, {"i": values}, **{"Accept-Language": "en"})
    payload = body["data"]["updateTenantSettings"]
    assert payload["tenant"] is None, body
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == errors
    assert all(e["message"] for e in payload["userErrors"])
    assert (await _settings(owner_engine, graph.tenant_id))[:2] == (15, 60)
    assert await _journal(owner_engine, graph.tenant_id) == []


async def test_who_may(
    client: GraphQLClient,
    app_db: Database,
    owner_engine: AsyncEngine,
    tenant: tuple[TenantGraph, dict],
) -> None:
    graph, users = tenant
    technician = await _login(client, users["TECHNICIAN"])
    body = await technician.post(UPDATE, {"i": {"notifyOfflineAfterMinutes": 5}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    email = f"admin-{uuid.uuid4().hex[:6]}@platform.test"
    await create_user(
        app_db,
        tenant_slug=None,
        email=email,
        full_name="Admin",
        role=Role.PLATFORM_ADMIN,
        password=PASSWORD,
        actor="test",
    )
    admin = await _login(client, email)
    # Without naming a tenant, there is no tenant to set.
    body = await admin.post(UPDATE, {"i": {"notifyOfflineAfterMinutes": 5}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    admin.tenant = graph.slug
    body = await admin.post(UPDATE, {"i": {"notifyOfflineAfterMinutes": 5}})
    assert body["data"]["updateTenantSettings"]["userErrors"] == [], body
    assert body["data"]["updateTenantSettings"]["tenant"]["notifyOfflineAfterMinutes"] == 5
    assert (await _settings(owner_engine, graph.tenant_id))[0] == 5
    (entry,) = await _journal(owner_engine, graph.tenant_id)
    assert entry["actor_label"]


# --------------------------------------------------------------------------- the database


async def _update(db: Database, claims: dict[str, str], sql: str, tenant_id: uuid.UUID) -> int:
    async with db.session(claims) as session, session.begin():
        result = await session.execute(text(sql), {"t": tenant_id})
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


SET_DELAY = "UPDATE tenants SET notify_offline_after_minutes = 90 WHERE id = :t"


async def test_the_database_lets_a_supervisor_change_only_the_settings_of_their_tenant(
    app_db: Database, owner_engine: AsyncEngine
) -> None:
    mine = await make_tenant_graph(owner_engine)
    other = await make_tenant_graph(owner_engine)
    supervisor = claims_for(uuid.uuid4(), Role.SUPERVISOR, mine.tenant_id)
    # Its own tenant's settings: yes.
    assert await _update(app_db, supervisor, SET_DELAY, mine.tenant_id) == 1
    assert (await _settings(owner_engine, mine.tenant_id))[0] == 90
    # Another tenant's row is out of its reach (no row), even naming it.
    assert await _update(app_db, supervisor, SET_DELAY, other.tenant_id) == 0
    assert (await _settings(owner_engine, other.tenant_id))[0] == 15
    # Any other column of its own row: refused by the trigger.
    for sql in (
        "UPDATE tenants SET name = 'Renamed' WHERE id = :t",
        "UPDATE tenants SET status = 'SUSPENDED' WHERE id = :t",
        "UPDATE tenants SET heartbeat_interval_s = 5, notify_offline_after_minutes = 20"
        " WHERE id = :t",
    ):
        with pytest.raises(DBAPIError, match="only the notification settings"):
            await _update(app_db, supervisor, sql, mine.tenant_id)
    assert await _settings(owner_engine, mine.tenant_id) == (90, 60, "Test")
    # The range is the database's too.
    with pytest.raises(DBAPIError, match="ck_tenants_notify_offline_after_minutes_range"):
        await _update(
            app_db,
            supervisor,
            "UPDATE tenants SET notify_offline_after_minutes = 0 WHERE id = :t",
            mine.tenant_id,
        )
    # Other roles of the tenant update nothing.
    for role in (Role.SELLER, Role.HOTLINE, Role.TECHNICIAN, Role.SERVICE):
        claims = claims_for(uuid.uuid4(), role, mine.tenant_id)
        assert await _update(app_db, claims, SET_DELAY, mine.tenant_id) == 0, role
    # The platform still manages tenants (renames one here).
    assert (
        await _update(
            app_db,
            platform_claims(),
            "UPDATE tenants SET name = 'Renamed' WHERE id = :t",
            other.tenant_id,
        )
        == 1
    )
    assert (await _settings(owner_engine, other.tenant_id))[2] == "Renamed"
