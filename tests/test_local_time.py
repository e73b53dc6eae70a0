"""The tenant's local time: `Tenant.timeZone`, statistics in local days and hours around a
daylight-saving change (Europe/Paris) and in UTC−4 (America/Guadeloupe), createTenant and
updateTenant with a zone, hints and notifications in local time."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from db.session import Database
from resolvers import localtime
from resolvers.accounts import create_user
from tenancy.roles import Role
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, TenantGraph, make_tenant_graph
from tests.test_stats_and_search import STATS, insert_rows, tx

UTC = dt.UTC


def z(text_: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text_)


# --------------------------------------------------------------------------- the module alone


def test_paris_days_around_both_changes_are_23_and_25_hours() -> None:
    spring = localtime.bucket_starts(
        z("2026-03-28T12:00Z"), z("2026-03-30T12:00Z"), daily=True, zone_name="Europe/Paris"
    )
    assert spring == [
        z("2026-03-27T23:00Z"),  # 28 March, 00:00 CET
        z("2026-03-28T23:00Z"),  # 29 March, 00:00 CET
        z("2026-03-29T22:00Z"),  # 30 March, 00:00 CEST: the 29th had 23 hours
        z("2026-03-30T22:00Z"),
    ]
    autumn = localtime.bucket_starts(
        z("2026-10-25T00:30Z"), z("2026-10-25T12:00Z"), daily=True, zone_name="Europe/Paris"
    )
    assert autumn == [z("2026-10-24T22:00Z"), z("2026-10-25T23:00Z")]  # 25 hours
    # By the hour, the repeated 02:00-03:00 of the autumn change is two buckets.
    hours = localtime.bucket_starts(
        z("2026-10-25T00:10Z"), z("2026-10-25T02:00Z"), daily=False, zone_name="Europe/Paris"
    )
    assert hours == [z(f"2026-10-25T0{h}:00Z") for h in range(3)]  # CEST, CET, end
    assert localtime.local_text(z("2026-10-25T00:30Z"), "Europe/Paris") == "2026-10-25 02:30 CEST"
    assert localtime.local_text(z("2026-10-25T01:30Z"), "Europe/Paris") == "2026-10-25 02:30 CET"
    assert localtime.local_text(z("2026-11-05T02:30Z"), "America/Guadeloupe") == (
        "2026-11-04 22:30 AST"
    )
    assert not localtime.is_known_zone("Europe/Atlantis")
    assert not localtime.is_known_zone("../etc/passwd")
    assert localtime.is_known_zone("America/Martinique")


# --------------------------------------------------------------------------- through the API


async def _tenant(owner_engine: AsyncEngine, zone: str) -> TenantGraph:
    g = await make_tenant_graph(owner_engine)
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE tenants SET time_zone = :z WHERE id = :t"), {"z": zone, "t": g.tenant_id}
        )
    return g


async def _stats(client: GraphQLClient, g: TenantGraph, interval: str, f: dict) -> dict[str, Any]:
    other = GraphQLClient(client.http)
    assert (await other.login(f"sup@{g.slug}.test", PASSWORD))["token"]
    body = await other.post(STATS, {"f": f, "i": interval})
    assert "errors" not in body, body
    return body["data"]["transactionStats"]


def _buckets(result: dict[str, Any]) -> list[tuple[dt.datetime, dt.datetime, int]]:
    return [(z(b["start"]), z(b["end"]), b["count"]) for b in result["buckets"]]


async def test_daily_statistics_follow_paris_days_across_the_spring_change(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    g = await _tenant(owner_engine, "Europe/Paris")
    await insert_rows(
        owner_engine,
        m.Transaction,
        [
            tx(g, z("2026-03-28T22:30Z")),  # 28 March 23:30 CET
            tx(g, z("2026-03-28T23:30Z")),  # 29 March 00:30 CET
            tx(g, z("2026-03-29T21:30Z")),  # 29 March 23:30 CEST
            tx(g, z("2026-03-29T22:30Z")),  # 30 March 00:30 CEST
        ],
    )
    result = await _stats(
        client,
        g,
        "DAY",
        {"occurredFrom": "2026-03-28T00:00:00+01:00", "occurredTo": "2026-03-31T00:00:00+02:00"},
    )
    assert _buckets(result) == [
        (z("2026-03-27T23:00Z"), z("2026-03-28T23:00Z"), 1),
        (z("2026-03-28T23:00Z"), z("2026-03-29T22:00Z"), 2),  # a 23-hour day
        (z("2026-03-29T22:00Z"), z("2026-03-30T22:00Z"), 1),
    ]
    assert result["totals"]["count"] == 4


async def test_autumn_change_makes_a_25_hour_day_and_two_hours_at_two(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    g = await _tenant(owner_engine, "Europe/Paris")
    await insert_rows(
        owner_engine,
        m.Transaction,
        [
            tx(g, z("2026-10-24T22:10Z")),  # 25 October 00:10 CEST
            tx(g, z("2026-10-25T00:30Z")),  # 02:30 CEST
            tx(g, z("2026-10-25T01:30Z")),  # 02:30 CET (the same wall-clock time again)
            tx(g, z("2026-10-25T01:40Z")),  # 02:40 CET
            tx(g, z("2026-10-25T22:50Z")),  # 23:50 CET, still the 25th
        ],
    )
    day = await _stats(
        client,
        g,
        "DAY",
        {"occurredFrom": "2026-10-25T00:00:00+02:00", "occurredTo": "2026-10-26T00:00:00+01:00"},
    )
    assert _buckets(day) == [(z("2026-10-24T22:00Z"), z("2026-10-25T23:00Z"), 5)]
    hours = await _stats(
        client,
        g,
        "HOUR",
        {"occurredFrom": "2026-10-25T02:00:00+02:00", "occurredTo": "2026-10-25T03:00:00+01:00"},
    )
    assert _buckets(hours) == [
        (z("2026-10-25T00:00Z"), z("2026-10-25T01:00Z"), 1),  # 02:00-03:00 CEST
        (z("2026-10-25T01:00Z"), z("2026-10-25T02:00Z"), 2),  # 02:00-03:00 CET
    ]


async def test_guadeloupe_days_start_at_local_midnight(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    g = await _tenant(owner_engine, "America/Guadeloupe")
    # A 22:30 télécollecte day: late evening sales belong to the local day, not the UTC one.
    await insert_rows(
        owner_engine,
        m.Transaction,
        [
            tx(g, z("2026-11-05T02:30Z")),
            tx(g, z("2026-11-05T03:59Z")),
            tx(g, z("2026-11-05T04:00Z")),
        ],
    )
    result = await _stats(
        client,
        g,
        "DAY",
        {"occurredFrom": "2026-11-04T00:00:00-04:00", "occurredTo": "2026-11-06T00:00:00-04:00"},
    )
    assert _buckets(result) == [
        (z("2026-11-04T04:00Z"), z("2026-11-05T04:00Z"), 2),
        (z("2026-11-05T04:00Z"), z("2026-11-06T04:00Z"), 1),
    ]
    # Without a range: the last 30 local days, the first starting at a local midnight.
    default = await _stats(client, g, "DAY", {})
    assert len(default["buckets"]) == 30
    first = z(default["buckets"][0]["start"])
    assert first.astimezone(localtime.zone("America/Guadeloupe")).time() == dt.time(0)


TENANT = """
mutation($i: CreateTenantInput!) { createTenant(input: $i) {
  tenant { id timeZone version } userErrors { field code message } } }
"""
UPDATE_TENANT = """
mutation($i: UpdateTenantInput!) { updateTenant(input: $i) {
  tenant { id timeZone version } userErrors { field code message } } }
"""


@pytest.fixture(scope="module")
async def admin_email(app_db: Database) -> str:
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
    return email


async def test_platform_admin_sets_and_changes_a_tenants_zone(
    client: GraphQLClient, owner_engine: AsyncEngine, admin_email: str
) -> None:
    admin = GraphQLClient(client.http)
    assert (await admin.login(admin_email, PASSWORD))["token"]
    slug = f"tz-{uuid.uuid4().hex[:6]}"
    body = await admin.post(TENANT, {"i": {"slug": slug, "name": "Paris par défaut"}})
    assert body["data"]["createTenant"]["tenant"]["timeZone"] == "Europe/Paris"

    bad = await admin.post(
        TENANT,
        {"i": {"slug": f"tz-{uuid.uuid4().hex[:6]}", "name": "X", "timeZone": "Mars/Olympus"}},
    )
    payload = bad["data"]["createTenant"]
    assert payload["tenant"] is None
    assert payload["userErrors"][0]["field"] == ["input", "timeZone"]
    assert payload["userErrors"][0]["code"] == "INVALID"

    slug = f"tz-{uuid.uuid4().hex[:6]}"
    body = await admin.post(
        TENANT, {"i": {"slug": slug, "name": "Antilles", "timeZone": "America/Guadeloupe"}}
    )
    tenant = body["data"]["createTenant"]["tenant"]
    assert tenant["timeZone"] == "America/Guadeloupe"

    # An unknown zone: a user error, and nothing written.
    body = await admin.post(UPDATE_TENANT, {"i": {"id": tenant["id"], "timeZone": "UTC-4"}})
    assert body["data"]["updateTenant"]["userErrors"][0]["field"] == ["input", "timeZone"]
    stale = await admin.post(
        UPDATE_TENANT,
        {"i": {"id": tenant["id"], "timeZone": "America/Martinique", "expectedVersion": 99}},
    )
    assert stale["data"]["updateTenant"]["userErrors"][0]["code"] == "CONFLICT"
    async with owner_engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT time_zone FROM tenants WHERE slug = :s"), {"s": slug}
        )
    assert stored == "America/Guadeloupe"

    body = await admin.post(
        UPDATE_TENANT,
        {
            "i": {
                "id": tenant["id"],
                "timeZone": "America/Martinique",
                "expectedVersion": tenant["version"],
            }
        },
    )
    payload = body["data"]["updateTenant"]
    assert payload["userErrors"] == [], payload
    assert payload["tenant"]["timeZone"] == "America/Martinique"
    async with owner_engine.connect() as conn:
        journal = (
            await conn.execute(
                text(
                    "SELECT a.action, a.before, a.after FROM audit_events a"
                    " JOIN tenants t ON t.id = a.tenant_id"
                    " WHERE t.slug = :s AND a.action = 'tenant.updated'"
                ),
                {"s": slug},
            )
        ).one()
    assert journal.before == {"timeZone": "America/Guadeloupe"}
    assert journal.after == {"timeZone": "America/Martinique"}


async def test_staff_may_not_change_the_zone(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    g = await make_tenant_graph(owner_engine)
    supervisor = GraphQLClient(client.http)
    assert (await supervisor.login(f"sup@{g.slug}.test", PASSWORD))["token"]
    body = await supervisor.post(UPDATE_TENANT, {"i": {"id": f"{g.tenant_id}", "timeZone": "UTC"}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
