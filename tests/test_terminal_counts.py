"""`terminalCounts`: the fleet's figures at a glance in one reading, by role, per tenant (RLS),
and always the same numbers as the `terminals` list's `totalCount` for the same filter."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from db.session import Database
from resolvers.accounts import create_user
from tenancy.roles import Role
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph

COUNTS = """
query($f: TerminalFilter) { terminalCounts(filter: $f) {
  total online offline optionsPending blocked byStatus { status count } } }
"""
TOTAL = "query($f: TerminalFilter) { terminals(filter: $f, first: 1) { totalCount } }"
ROWS = """
query($f: TerminalFilter, $after: String) { terminals(filter: $f, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } edges { node { status connectivity optionsStatus } } } }
"""
STATUSES = ["IN_STOCK", "ASSIGNED", "ACTIVE", "BLOCKED", "RETURNED"]


async def add_terminals(engine: AsyncEngine, graph: TenantGraph, prefix: str, n: int) -> None:
    """`n` terminals of every status, connectivity and options status (owner, no API)."""
    now = dt.datetime.now(dt.UTC)
    t = graph.tenant_id
    terminals: list[dict[str, Any]] = []
    options: list[dict[str, Any]] = []
    for i in range(n):
        status = STATUSES[i % len(STATUSES)]
        terminal = uuid.uuid4()
        heartbeat = (None, now, now - dt.timedelta(hours=3))[i % 3]
        applied = (None, 1, 1, None)[i % 4]
        terminals.append(
            {
                "tenant_id": t,
                "id": terminal,
                "kind": "PAX",
                "tid": f"{prefix}{i:06d}",
                "serial_number": uuid.uuid4().hex[:12],
                "model": "A920Pro",
                "shop_id": None if status == "IN_STOCK" else graph.ids["shop"],
                "status": status,
                "last_heartbeat_at": heartbeat,
                "last_seen_at": heartbeat,
                "applied_options_version": applied,
            }
        )
        # none; v1 applied (APPLIED); v1 and v2, v1 applied (PENDING); v1 unacknowledged (PENDING)
        for version in ((), (1,), (1, 2), (1,))[i % 4]:
            options.append({"tenant_id": t, "terminal_id": terminal, "version_number": version})
    async with engine.begin() as conn:
        await conn.execute(insert(m.Terminal.__table__), terminals)
        await conn.execute(insert(m.TerminalOptions.__table__), options)


@pytest.fixture(scope="module")
async def fleets(owner_engine: AsyncEngine) -> dict[str, Any]:
    """Two tenants with different fleets, each with its staff and a machine account."""
    a = await make_tenant_graph(owner_engine)
    b = await make_tenant_graph(owner_engine)
    await add_terminals(owner_engine, a, "KA", 37)
    await add_terminals(owner_engine, b, "KB", 11)
    users = {role: await add_user(owner_engine, a, role) for role in (*STAFF, "SERVICE")}
    return {"a": a, "b": b, "users": users, "b_user": await add_user(owner_engine, b, "SELLER")}


STAFF = ("SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR")


async def _counts(caller: GraphQLClient, f: dict[str, Any] | None = None) -> dict[str, Any]:
    body = await caller.post(COUNTS, {"f": f})
    assert "errors" not in body, body
    return body["data"]["terminalCounts"]


async def _total(caller: GraphQLClient, f: dict[str, Any]) -> int:
    body = await caller.post(TOTAL, {"f": f})
    assert "errors" not in body, body
    return int(body["data"]["terminals"]["totalCount"])


async def _sql_count(engine: AsyncEngine, tenant_id: uuid.UUID) -> int:
    async with engine.connect() as conn:
        found = await conn.scalar(
            text("SELECT count(*) FROM terminals WHERE tenant_id = :t"), {"t": tenant_id}
        )
    return int(found or 0)


async def test_staff_count_their_own_tenants_fleet_only(
    client: GraphQLClient, owner_engine: AsyncEngine, fleets: dict[str, Any]
) -> None:
    a, b = fleets["a"], fleets["b"]
    in_a, in_b = (
        await _sql_count(owner_engine, a.tenant_id),
        await _sql_count(owner_engine, b.tenant_id),
    )
    assert in_a != in_b
    seen = []
    for role in STAFF:
        counts = await _counts(await signed_in(client, fleets["users"][role]))
        assert counts["total"] == in_a, role
        seen.append(counts)
    assert all(c == seen[0] for c in seen)
    other = await _counts(await signed_in(client, fleets["b_user"]))
    assert other["total"] == in_b
    assert other != seen[0]


async def test_machine_accounts_and_strangers_may_not_count(
    client: GraphQLClient, app_db: Database, fleets: dict[str, Any]
) -> None:
    machine = await signed_in(client, fleets["users"]["SERVICE"])
    body = await machine.post(COUNTS)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["data"] == {"terminalCounts": None}

    anonymous = GraphQLClient(client.http)
    body = await anonymous.post(COUNTS)
    assert body["errors"][0]["extensions"]["code"] in {"UNAUTHENTICATED", "FORBIDDEN"}
    assert body["data"] == {"terminalCounts": None}

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
    admin = GraphQLClient(client.http)
    assert (await admin.login(email, PASSWORD))["token"]
    body = await admin.post(COUNTS)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # no tenant chosen
    admin.tenant = fleets["b"].slug
    assert (await _counts(admin))["total"] == (
        await _counts(await signed_in(client, fleets["b_user"]))
    )["total"]


FILTERS: list[dict[str, Any] | None] = [
    None,
    {"text": "ka00001"},
    {"status": ["ACTIVE", "BLOCKED"]},
    {"kind": "PAX"},
    {"connectivity": "ONLINE"},
    {"connectivity": "OFFLINE"},
    {"optionsStatus": "PENDING"},
    {"optionsStatus": "APPLIED"},
]


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: str(f))
async def test_counts_agree_with_the_lists_total_for_the_same_filter(
    client: GraphQLClient, fleets: dict[str, Any], f: dict[str, Any] | None
) -> None:
    caller = await signed_in(client, fleets["users"]["TECHNICIAN"])
    base = dict(f or {})
    counts = await _counts(caller, f)
    assert counts["total"] == await _total(caller, base)
    assert (
        counts["offline"] == await _total(caller, {**base, "connectivity": "OFFLINE"})
        if (base.get("connectivity") != "ONLINE")
        else counts["offline"] == 0
    )
    assert counts["online"] == counts["total"] - counts["offline"]
    if base.get("connectivity") != "OFFLINE":
        assert counts["online"] == await _total(caller, {**base, "connectivity": "ONLINE"})
    if base.get("optionsStatus") != "APPLIED":
        pending = await _total(caller, {**base, "optionsStatus": "PENDING"})
        assert counts["optionsPending"] == pending
    else:
        assert counts["optionsPending"] == 0
    assert [c["status"] for c in counts["byStatus"]] == STATUSES
    for entry in counts["byStatus"]:
        wanted = base.get("status")
        if wanted is None or entry["status"] in wanted:
            assert entry["count"] == await _total(caller, {**base, "status": [entry["status"]]})
        else:
            assert entry["count"] == 0
    assert sum(c["count"] for c in counts["byStatus"]) == counts["total"]
    blocked = next(c["count"] for c in counts["byStatus"] if c["status"] == "BLOCKED")
    assert counts["blocked"] == blocked


async def test_counts_agree_with_each_terminals_own_connectivity_and_options(
    client: GraphQLClient, fleets: dict[str, Any]
) -> None:
    """The offline figure is `Terminal.connectivity`'s OFFLINE, whatever the status (a
    terminal in stock or returned is offline too): the tile and the filter it sets agree."""
    caller = await signed_in(client, fleets["users"]["HOTLINE"])
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        body = await caller.post(ROWS, {"f": None, "after": after})
        page = body["data"]["terminals"]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    counts = await _counts(caller)
    assert counts["total"] == len(nodes)
    assert counts["offline"] == sum(n["connectivity"] == "OFFLINE" for n in nodes)
    assert counts["optionsPending"] == sum(n["optionsStatus"] == "PENDING" for n in nodes)
    assert counts["blocked"] == sum(n["status"] == "BLOCKED" for n in nodes)
    offline_in_stock = [
        n for n in nodes if n["connectivity"] == "OFFLINE" and n["status"] == "IN_STOCK"
    ]
    assert offline_in_stock  # the fixture has some: they count as offline


async def test_a_company_filter_from_another_tenant_counts_nothing(
    client: GraphQLClient, fleets: dict[str, Any]
) -> None:
    caller = await signed_in(client, fleets["users"]["SUPERVISOR"])
    foreign = gid("Company", fleets["b"].ids["company"])
    counts = await _counts(caller, {"company": foreign})
    assert counts["total"] == 0 and counts["offline"] == 0
    assert all(c["count"] == 0 for c in counts["byStatus"])
