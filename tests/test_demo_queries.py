"""On the demo data: filters and statistics agree with plain SQL, for every staff role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette

from db.session import async_url

ROLES = ("seller", "hotline", "technician", "supervisor")

#: GraphQL filter → the SQL condition it means (on transactions of tenant alizes).
TRANSACTION_FILTERS: list[tuple[str, dict[str, Any], str]] = [
    ("declined", {"status": ["DECLINED"]}, "status = 'DECLINED'"),
    (
        "visa contactless",
        {"scheme": ["VISA"], "entryMode": ["CONTACTLESS"]},
        "scheme = 'VISA' AND entry_mode = 'CONTACTLESS'",
    ),
    ("refunds", {"type": ["REFUND"]}, "type = 'REFUND'"),
    ("insufficient funds", {"responseCode": ["51"]}, "response_code = '51'"),
    ("amounts 10-50 EUR", {"amountMin": 1000, "amountMax": 5000}, "amount BETWEEN 1000 AND 5000"),
]


@pytest.fixture(scope="module")
async def sql(demo_owner_url: str) -> Any:
    engine = create_async_engine(async_url(demo_owner_url))

    async def scalar(query: str, **params: Any) -> Any:
        async with engine.connect() as conn:
            return await conn.scalar(text(query), params)

    yield scalar
    await engine.dispose()


async def _client(app: Starlette, role: str) -> httpx.AsyncClient:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    response = await http.post(
        "/graphql",
        json={
            "query": "mutation($e: String!) { login(input: {email: $e, password: "
            '"spring-demo"}) { token } }',
            "variables": {"e": f"{role}@alizes.demo"},
        },
    )
    http.headers["Authorization"] = f"Bearer {response.json()['data']['login']['token']}"
    return http


async def _gql(http: httpx.AsyncClient, query: str, variables: dict | None = None) -> Any:
    body = (await http.post("/graphql", json={"query": query, "variables": variables or {}})).json()
    assert "errors" not in body, body
    return body["data"]


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
async def test_transaction_filters_agree_with_sql(demo_app: Starlette, sql: Any, role: str) -> None:
    alizes = await sql("SELECT id FROM tenants WHERE slug = 'alizes'")
    company = await sql(
        "SELECT company_id FROM transactions WHERE tenant_id = :t GROUP BY company_id"
        " ORDER BY count(*) DESC LIMIT 1",
        t=alizes,
    )
    week_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
    http = await _client(demo_app, role)
    try:
        cases = [
            *TRANSACTION_FILTERS,
            ("last 7 days", {"occurredFrom": week_ago.isoformat()}, "occurred_at >= :since"),
            ("one company", {"company": f"Company:{company}"}, "company_id = :company"),
        ]
        for name, graphql_filter, condition in cases:
            if "responseCode" in graphql_filter and role == "seller":
                continue  # the filter would reveal a field the seller may not read
            if "company" in graphql_filter:
                from strawberry import relay

                graphql_filter = {"company": str(relay.GlobalID("Company", str(company)))}
            data = await _gql(
                http,
                "query($f: TransactionFilter) { transactions(filter: $f) { totalCount } }",
                {"f": graphql_filter},
            )
            expected = await sql(
                f"SELECT count(*) FROM transactions WHERE tenant_id = :t AND {condition}",
                t=alizes,
                since=week_ago,
                company=company,
            )
            assert data["transactions"]["totalCount"] == expected, name
            assert expected > 0, f"the demo data should have {name}"
    finally:
        await http.aclose()


@pytest.mark.slow
async def test_stats_totals_and_fleet_counts_agree_with_sql(demo_app: Starlette, sql: Any) -> None:
    alizes = await sql("SELECT id FROM tenants WHERE slug = 'alizes'")
    http = await _client(demo_app, "supervisor")
    try:
        data = await _gql(
            http,
            "{ transactionStats(interval: DAY) { occurredFrom occurredTo"
            " totals { count approvedCount declinedCount } buckets { count } } }",
        )
        stats = data["transactionStats"]
        since = dt.datetime.fromisoformat(stats["occurredFrom"])
        until = dt.datetime.fromisoformat(stats["occurredTo"])
        for field, condition in (
            ("count", "true"),
            ("approvedCount", "status = 'APPROVED'"),
            ("declinedCount", "status = 'DECLINED'"),
        ):
            expected = await sql(
                "SELECT count(*) FROM transactions WHERE tenant_id = :t"
                f" AND occurred_at >= :a AND occurred_at < :b AND {condition}",
                t=alizes,
                a=since,
                b=until,
            )
            assert stats["totals"][field] == expected, field
        assert sum(b["count"] for b in stats["buckets"]) == stats["totals"]["count"]

        interval = await sql("SELECT heartbeat_interval_s FROM tenants WHERE id = :t", t=alizes)
        online = await sql(
            "SELECT count(*) FROM terminals WHERE tenant_id = :t AND last_heartbeat_at >="
            " now() - make_interval(secs => :s)",
            t=alizes,
            s=2 * interval,
        )
        pending = await sql(
            "SELECT count(*) FROM terminals t WHERE tenant_id = :t AND EXISTS ("
            " SELECT 1 FROM terminal_options o WHERE o.tenant_id = t.tenant_id"
            " AND o.terminal_id = t.id AND o.version_number >"
            " coalesce(t.applied_options_version, 0))",
            t=alizes,
        )
        data = await _gql(
            http,
            "{ online: terminals(filter: {connectivity: ONLINE}) { totalCount }"
            " pending: terminals(filter: {optionsStatus: PENDING}) { totalCount }"
            " active: companies(filter: {status: [ACTIVE]}) { totalCount } }",
        )
        assert data["online"]["totalCount"] == online
        assert data["pending"]["totalCount"] == pending
        active = await sql(
            "SELECT count(*) FROM companies WHERE tenant_id = :t AND status = 'ACTIVE'", t=alizes
        )
        assert data["active"]["totalCount"] == active > 0
    finally:
        await http.aclose()


@pytest.mark.slow
async def test_an_ocean_user_sees_nothing_of_alizes(demo_app: Starlette, sql: Any) -> None:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=demo_app), base_url="http://t")
    try:
        token = (
            await http.post(
                "/graphql",
                json={
                    "query": 'mutation { login(input: {email: "supervisor@ocean.demo",'
                    ' password: "spring-demo"}) { token } }'
                },
            )
        ).json()["data"]["login"]["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        for field in ("companies", "shops", "contracts", "terminals", "transactions"):
            data = await _gql(http, f"{{ {field}(first: 100) {{ totalCount }} }}")
            ocean = await sql(
                f"SELECT count(*) FROM {field} WHERE tenant_id ="
                " (SELECT id FROM tenants WHERE slug = 'ocean')"
            )
            assert data[field]["totalCount"] == ocean
    finally:
        await http.aclose()
