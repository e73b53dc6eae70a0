"""`transactionStats` and `search`, over HTTP through the real app and a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from db import models as m
from tests.api import gid
from tests.conftest import GraphQLClient
from tests.factories import _HASH, TenantGraph, make_tenant_graph

PASSWORD = "correct horse battery"
UTC = dt.UTC

#: Midnight (UTC) five days ago: the start of the fixed test window, clear of "now" rows.
BASE = (dt.datetime.now(UTC) - dt.timedelta(days=5)).replace(
    hour=0, minute=0, second=0, microsecond=0
)


def iso(value: dt.datetime) -> str:
    return value.isoformat()


def parse(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def tx(
    g: TenantGraph,
    at: dt.datetime,
    *,
    status: str = "APPROVED",
    code: str | None = None,
    type: str = "PURCHASE",
    amount: int = 1000,
    currency: str = "EUR",
    auth: str | None = None,
    original: uuid.UUID | None = None,
    id: uuid.UUID | None = None,
    external_id: str | None = None,
) -> dict[str, Any]:
    return {
        "tenant_id": g.tenant_id,
        "id": id or uuid.uuid4(),
        "external_id": external_id or uuid.uuid4().hex,
        "terminal_id": g.ids["terminal"],
        "shop_id": g.ids["shop"],
        "company_id": g.ids["company"],
        "contract_id": g.ids["contract"],
        "service_id": g.ids["service"],
        "type": type,
        "amount": amount,
        "currency": currency,
        "scheme": "CB",
        "entry_mode": "CHIP",
        "status": status,
        "response_code": code or ("00" if status == "APPROVED" else "05"),
        "authorization_code": auth,
        "original_transaction_id": original,
        "occurred_at": at,
    }


async def insert_rows(engine: AsyncEngine, model: type[m.Base], rows: list[dict[str, Any]]) -> None:
    async with engine.begin() as conn:
        await conn.execute(insert(model.__table__), rows)


async def add_seller(engine: AsyncEngine, g: TenantGraph) -> str:
    email = f"seller-{uuid.uuid4().hex[:8]}@{g.slug}.test"
    await insert_rows(
        engine,
        m.User,
        [
            {
                "tenant_id": g.tenant_id,
                "id": uuid.uuid4(),
                "email": email,
                "full_name": "Seller",
                "role": "SELLER",
                "password_hash": _HASH,
            }
        ],
    )
    return email


async def login(client: GraphQLClient, email: str) -> None:
    payload = await client.login(email, PASSWORD)
    assert payload["token"], payload


def error_codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
async def world(owner_engine: AsyncEngine) -> dict[str, Any]:
    """Two tenants with transactions in the same hours, and a few extra search targets."""
    a = await make_tenant_graph(owner_engine)
    b = await make_tenant_graph(owner_engine)
    # These figures are written in UTC days; local days are tests/test_local_time.py's.
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE tenants SET time_zone = 'UTC' WHERE id = :t"), {"t": a.tenant_id}
        )
    h = dt.timedelta(hours=1)
    purchase, preauth = uuid.uuid4(), uuid.uuid4()
    rows = [
        # Hour 0: 1 approved, 3 declined (05, 05, 51), 1 error (91).
        tx(a, BASE + dt.timedelta(minutes=10), amount=1000),
        tx(a, BASE + dt.timedelta(minutes=11), status="DECLINED", code="05"),
        tx(a, BASE + dt.timedelta(minutes=12), status="DECLINED", code="05"),
        tx(a, BASE + dt.timedelta(minutes=13), status="DECLINED", code="51"),
        tx(a, BASE + dt.timedelta(minutes=14), status="ERROR", code="91"),
        # Hour 1: purchase 2000, refund 300, pre-authorization 5000 completed for 4000,
        # and 3 declined (51, 51, 05).
        tx(a, BASE + h * 1 + dt.timedelta(minutes=1), amount=2000, id=purchase),
        tx(a, BASE + h * 1 + dt.timedelta(minutes=2), type="REFUND", amount=300),
        tx(
            a,
            BASE + h * 1 + dt.timedelta(minutes=3),
            type="PRE_AUTHORIZATION",
            amount=5000,
            id=preauth,
        ),
        tx(
            a,
            BASE + h * 1 + dt.timedelta(minutes=4),
            type="COMPLETION",
            amount=4000,
            original=preauth,
        ),
        tx(a, BASE + h * 1 + dt.timedelta(minutes=5), status="DECLINED", code="51"),
        tx(a, BASE + h * 1 + dt.timedelta(minutes=6), status="DECLINED", code="51"),
        tx(a, BASE + h * 1 + dt.timedelta(minutes=7), status="DECLINED", code="05"),
        # Hour 2: nothing. Hour 3: the purchase and the pre-authorization are reversed.
        tx(a, BASE + h * 3, type="REVERSAL", amount=2000, original=purchase),
        tx(
            a,
            BASE + h * 3 + dt.timedelta(minutes=1),
            type="REVERSAL",
            amount=5000,
            original=preauth,
        ),
        # Day 1: two currencies, and seven refusals over six codes.
        tx(a, BASE + dt.timedelta(days=1, hours=2), amount=700, currency="USD"),
        tx(a, BASE + dt.timedelta(days=1, hours=2), amount=100),
        *(
            tx(a, BASE + dt.timedelta(days=1, hours=3), status="DECLINED", code=c)
            for c in ("14", "14", "12", "13", "54", "57", "61")
        ),
        # Another tenant, the same hours: never counted for the first.
        *(tx(b, BASE + dt.timedelta(minutes=20 + i), amount=99_999) for i in range(6)),
        tx(b, BASE + h * 1, status="DECLINED", code="05"),
    ]
    await insert_rows(owner_engine, m.Transaction, rows)

    # A second terminal whose serial number starts with the first one's TID: an exact TID
    # match must rank above this prefix match.
    async with owner_engine.connect() as conn:
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE tenant_id = :t AND id = :i"),
            {"t": a.tenant_id, "i": a.ids["terminal"]},
        )
    twin = uuid.uuid4()
    many = [uuid.uuid4() for _ in range(12)]
    await insert_rows(
        owner_engine,
        m.Terminal,
        [
            {
                "tenant_id": a.tenant_id,
                "id": twin,
                "kind": "PAX",
                "tid": uuid.uuid4().hex[:8].upper(),
                "serial_number": f"{tid}77",
                "shop_id": a.ids["shop"],
                "status": "IN_STOCK",
            },
            *(
                {
                    "tenant_id": a.tenant_id,
                    "id": i,
                    "kind": "PAX",
                    "tid": uuid.uuid4().hex[:8].upper(),
                    "serial_number": f"ZZSER{n:04d}",
                    "shop_id": a.ids["shop"],
                    "status": "IN_STOCK",
                }
                for n, i in enumerate(many)
            ),
        ],
    )
    return {
        "a": a,
        "b": b,
        "tid": tid,
        "twin": twin,
        "many": many,
        "seller": await add_seller(owner_engine, a),
    }


# --------------------------------------------------------------------------- transactionStats

STATS = """
query($f: TransactionFilter, $i: StatsInterval!) {
  transactionStats(filter: $f, interval: $i) {
    interval occurredFrom occurredTo
    buckets { start end count approvedCount declinedCount errorCount approvalRate
              amountApproved currency topResponseCodes { code count responseMessage { labelEn } } }
    totals { start end count approvedCount declinedCount errorCount approvalRate
             amountApproved currency topResponseCodes { code count } }
  }
}
"""

STATS_NO_CODES = """
query($f: TransactionFilter, $i: StatsInterval!) {
  transactionStats(filter: $f, interval: $i) {
    buckets { start count approvedCount approvalRate amountApproved }
    totals { count approvedCount }
  }
}
"""


def window(hours: int) -> dict[str, str]:
    return {"occurredFrom": iso(BASE), "occurredTo": iso(BASE + dt.timedelta(hours=hours))}


async def stats(
    client: GraphQLClient, interval: str, f: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = await client.post(STATS, {"f": f, "i": interval})
    assert "errors" not in body, body
    return body["data"]["transactionStats"]


def codes_of(bucket: dict[str, Any]) -> list[tuple[str, int]]:
    return [(c["code"], c["count"]) for c in bucket["topResponseCodes"]]


async def test_hourly_buckets_counts_rates_amounts_and_top_codes(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    a = world["a"]
    await login(client, f"sup@{a.slug}.test")
    result = await stats(client, "HOUR", window(4))

    assert result["interval"] == "HOUR"
    assert parse(result["occurredFrom"]) == BASE
    starts = [parse(b["start"]) for b in result["buckets"]]
    assert starts == [BASE + dt.timedelta(hours=i) for i in range(4)]
    assert all(
        parse(b["end"]) - parse(b["start"]) == dt.timedelta(hours=1) for b in result["buckets"]
    )
    h0, h1, h2, h3 = result["buckets"]

    assert (h0["count"], h0["approvedCount"], h0["declinedCount"], h0["errorCount"]) == (
        5,
        1,
        3,
        1,
    )
    assert h0["approvalRate"] == pytest.approx(0.2)
    assert (h0["amountApproved"], h0["currency"]) == (1000, "EUR")
    assert codes_of(h0) == [("05", 2), ("51", 1), ("91", 1)]
    assert h0["topResponseCodes"][0]["responseMessage"] == {"labelEn": "Do not honour"}

    # Purchase 2000 - refund 300 + completion 4000; the pre-authorization moves no money.
    assert (h1["count"], h1["approvedCount"], h1["declinedCount"]) == (7, 4, 3)
    assert h1["approvalRate"] == pytest.approx(4 / 7)
    assert h1["amountApproved"] == 5700
    assert codes_of(h1) == [("51", 2), ("05", 1)]

    # An empty bucket is there, with no rate.
    assert (h2["count"], h2["approvalRate"], h2["amountApproved"], h2["currency"]) == (
        0,
        None,
        0,
        None,
    )
    assert h2["topResponseCodes"] == []

    # Reversing the purchase takes 2000 back; reversing a pre-authorization moves nothing.
    assert (h3["count"], h3["approvedCount"], h3["amountApproved"]) == (2, 2, -2000)

    totals = result["totals"]
    assert parse(totals["start"]) == BASE
    assert parse(totals["end"]) == BASE + dt.timedelta(hours=4)
    assert (totals["count"], totals["approvedCount"], totals["declinedCount"]) == (14, 7, 6)
    assert totals["errorCount"] == 1
    assert totals["approvalRate"] == pytest.approx(0.5)
    assert totals["amountApproved"] == 1000 + 5700 - 2000
    # 05 and 51 both 3 times: ties are ordered by code.
    assert codes_of(totals) == [("05", 3), ("51", 3), ("91", 1)]


PLAIN_SQL = text(
    "SELECT date_trunc(:unit, occurred_at AT TIME ZONE 'UTC'),"
    "       count(*), count(*) FILTER (WHERE status = 'APPROVED'),"
    "       count(*) FILTER (WHERE status = 'DECLINED')"
    "  FROM transactions"
    " WHERE tenant_id = :t AND occurred_at >= :s AND occurred_at < :e"
    " GROUP BY 1"
)


async def test_buckets_agree_with_plain_sql_by_hour_and_by_day(
    client: GraphQLClient, world: dict[str, Any], owner_engine: AsyncEngine
) -> None:
    a = world["a"]
    start, end = BASE - dt.timedelta(days=1), BASE + dt.timedelta(days=3)
    await login(client, f"sup@{a.slug}.test")
    for interval, unit, step in (
        ("HOUR", "hour", dt.timedelta(hours=1)),
        ("DAY", "day", dt.timedelta(days=1)),
    ):
        async with owner_engine.connect() as conn:
            rows = await conn.execute(
                PLAIN_SQL, {"unit": unit, "t": a.tenant_id, "s": start, "e": end}
            )
            expected = {bucket.replace(tzinfo=UTC): tuple(figures) for bucket, *figures in rows}
        result = await stats(client, interval, {"occurredFrom": iso(start), "occurredTo": iso(end)})
        got = {
            parse(b["start"]): (b["count"], b["approvedCount"], b["declinedCount"])
            for b in result["buckets"]
            if b["count"]
        }
        assert got == expected, interval
        assert len(result["buckets"]) == (end - start) // step
        assert result["totals"]["count"] == sum(n for n, _, _ in expected.values())


async def test_daily_buckets_currencies_and_top_five_codes(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    a = world["a"]
    await login(client, f"sup@{a.slug}.test")
    f = {"occurredFrom": iso(BASE), "occurredTo": iso(BASE + dt.timedelta(days=2))}
    result = await stats(client, "DAY", f)
    day0, day1 = result["buckets"]
    assert parse(day0["start"]) == BASE
    assert parse(day1["end"]) == BASE + dt.timedelta(days=2)
    assert (day0["count"], day0["amountApproved"], day0["currency"]) == (14, 4700, "EUR")
    # USD and EUR in one bucket: no sum of different currencies.
    assert (day1["count"], day1["amountApproved"], day1["currency"]) == (9, None, None)
    assert result["totals"]["amountApproved"] is None
    # Seven refusals over six codes: the five most frequent, ties by code.
    assert codes_of(day1) == [("14", 2), ("12", 1), ("13", 1), ("54", 1), ("57", 1)]

    eur = await stats(client, "DAY", {**f, "currency": "eur"})
    assert (eur["buckets"][1]["count"], eur["buckets"][1]["amountApproved"]) == (8, 100)
    assert (eur["totals"]["amountApproved"], eur["totals"]["currency"]) == (4800, "EUR")


async def test_filter_is_applied(client: GraphQLClient, world: dict[str, Any]) -> None:
    a = world["a"]
    await login(client, f"sup@{a.slug}.test")
    result = await stats(client, "HOUR", {**window(4), "status": ["DECLINED"]})
    assert [b["count"] for b in result["buckets"]] == [3, 3, 0, 0]
    assert result["totals"]["approvalRate"] == 0.0

    other_terminal = gid("Terminal", world["twin"])
    result = await stats(client, "HOUR", {**window(4), "terminal": other_terminal})
    assert result["totals"]["count"] == 0
    assert result["totals"]["approvalRate"] is None


async def test_default_ranges_end_now(client: GraphQLClient, world: dict[str, Any]) -> None:
    a = world["a"]
    await login(client, f"sup@{a.slug}.test")
    for interval, buckets, step in (
        ("HOUR", 24, dt.timedelta(hours=1)),
        ("DAY", 30, dt.timedelta(days=1)),
    ):
        result = await stats(client, interval)
        assert len(result["buckets"]) == buckets
        to = parse(result["occurredTo"])
        assert abs(dt.datetime.now(UTC) - to) < dt.timedelta(minutes=1)
        last = result["buckets"][-1]
        assert parse(last["start"]) <= to < parse(last["end"])
        assert parse(result["occurredFrom"]) == parse(result["buckets"][0]["start"])
        assert parse(result["buckets"][1]["start"]) - parse(result["buckets"][0]["start"]) == step
        # The factory's transaction, recorded "now", is in the range.
        assert result["totals"]["count"] >= 1
    # Only occurredTo: the 24 hours before it.
    result = await stats(client, "HOUR", {"occurredTo": iso(BASE + dt.timedelta(hours=4))})
    assert len(result["buckets"]) == 24
    assert result["totals"]["count"] == 14


@pytest.mark.parametrize(
    ("interval", "f"),
    [
        ("HOUR", {"occurredFrom": iso(BASE - dt.timedelta(days=32))}),
        (
            "HOUR",
            {
                "occurredFrom": iso(BASE - dt.timedelta(days=31, seconds=1)),
                "occurredTo": iso(BASE),
            },
        ),
        ("DAY", {"occurredFrom": iso(BASE - dt.timedelta(days=367))}),
        ("DAY", {"occurredFrom": iso(BASE), "occurredTo": iso(BASE - dt.timedelta(hours=1))}),
        ("DAY", {"amountMin": 10, "amountMax": 5}),
        ("DAY", {"shop": gid("Company", uuid.uuid4())}),
    ],
)
async def test_unbounded_or_bad_ranges_are_refused(
    client: GraphQLClient, world: dict[str, Any], interval: str, f: dict[str, Any]
) -> None:
    await login(client, f"sup@{world['a'].slug}.test")
    body = await client.post(STATS, {"f": f, "i": interval})
    assert body["data"] == {"transactionStats": None}
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_longest_allowed_ranges_are_accepted(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    await login(client, f"sup@{world['a'].slug}.test")
    month = {"occurredFrom": iso(BASE - dt.timedelta(days=31)), "occurredTo": iso(BASE)}
    assert len((await stats(client, "HOUR", month))["buckets"]) == 31 * 24
    year = {"occurredFrom": iso(BASE - dt.timedelta(days=366)), "occurredTo": iso(BASE)}
    assert len((await stats(client, "DAY", year))["buckets"]) == 366


async def test_another_tenants_transactions_are_never_counted(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    b = world["b"]
    await login(client, f"sup@{b.slug}.test")
    result = await stats(client, "HOUR", window(4))
    assert [x["count"] for x in result["buckets"]] == [6, 1, 0, 0]
    assert result["totals"]["amountApproved"] == 6 * 99_999
    assert codes_of(result["totals"]) == [("05", 1)]


async def test_a_seller_gets_stats_but_not_response_codes(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    await login(client, world["seller"])
    body = await client.post(STATS_NO_CODES, {"f": window(4), "i": "HOUR"})
    assert "errors" not in body, body
    assert body["data"]["transactionStats"]["totals"] == {"count": 14, "approvedCount": 7}

    body = await client.post(STATS, {"f": window(4), "i": "HOUR"})
    totals = body["data"]["transactionStats"]["totals"]
    assert totals["count"] == 14
    assert totals["topResponseCodes"] is None
    forbidden = [e for e in body["errors"] if e["extensions"]["code"] == "FORBIDDEN"]
    assert forbidden
    assert {tuple(e["path"][-2:]) for e in forbidden} >= {("totals", "topResponseCodes")}


async def test_stats_need_a_token(client: GraphQLClient) -> None:
    body = await client.post(STATS, {"i": "DAY"})
    assert body["data"] == {"transactionStats": None}
    assert error_codes(body) == ["UNAUTHENTICATED"]


# --------------------------------------------------------------------------- search

SEARCH = """
query($t: String!, $n: Int) {
  search(text: $t, first: $n) {
    score
    node {
      __typename
      ... on Company { id legalName siren }
      ... on Shop { id name siret }
      ... on Contract { id number }
      ... on Terminal { id tid serialNumber shop { name company { legalName } } }
      ... on Request { id reference }
      ... on Transaction { id externalId shop { name } }
    }
  }
}
"""


async def search(client: GraphQLClient, value: str, first: int | None = None) -> list[Any]:
    body = await client.post(SEARCH, {"t": value, "n": first})
    assert "errors" not in body, body
    return body["data"]["search"]


def nodes(hits: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(h["node"]["__typename"], h["node"]["id"]) for h in hits]


async def test_search_by_siren_puts_the_exact_match_first(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    a = world["a"]
    await login(client, f"sup@{a.slug}.test")
    hits = await search(client, " 732 829 320 ")
    # Every tenant of the test database has this SIREN: only the caller's company is found.
    assert nodes(hits)[0] == ("Company", gid("Company", a.ids["company"]))
    assert hits[0]["score"] == 1.0
    # The shop's SIRET starts with the SIREN: a prefix match, ranked below.
    assert ("Shop", gid("Shop", a.ids["shop"])) in nodes(hits)[1:]
    assert all(h["score"] < 1.0 for h in hits[1:])
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


async def test_search_by_name_fragment_and_with_a_typo(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    a = world["a"]
    await login(client, f"sup@{a.slug}.test")
    company = ("Company", gid("Company", a.ids["company"]))
    for value in ("boulang", "angerie te", "Boulangrie"):
        hits = await search(client, value)
        assert company in nodes(hits), value
    prefix = await search(client, "boulang")
    assert 0.8 <= prefix[0]["score"] < 1.0
    typo = await search(client, "Boulangrie")
    assert 0 < typo[0]["score"] < 0.7


async def test_search_by_tid_ranks_exact_tid_above_serial_prefix(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    a = world["a"]
    await login(client, f"sup@{a.slug}.test")
    hits = await search(client, world["tid"].lower())
    assert nodes(hits)[:2] == [
        ("Terminal", gid("Terminal", a.ids["terminal"])),
        ("Terminal", gid("Terminal", world["twin"])),
    ]
    assert hits[0]["score"] == 1.0
    assert 0.8 <= hits[1]["score"] < 0.9
    assert hits[0]["node"]["shop"] == {"name": "Shop", "company": {"legalName": "Boulangerie Test"}}


async def test_search_by_serial_number_contract_number_and_reference(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    a = world["a"]
    await login(client, f"sup@{a.slug}.test")
    hits = await search(client, f"{world['tid']}77".lower())
    assert nodes(hits)[0] == ("Terminal", gid("Terminal", world["twin"]))
    assert hits[0]["score"] == 1.0

    contract = ("Contract", gid("Contract", a.ids["contract"]))
    hits = await search(client, "mp-2026-000001")
    assert (nodes(hits)[0], hits[0]["score"]) == (contract, 1.0)
    hits = await search(client, "MP-2026")
    assert contract in nodes(hits)
    assert all(0.8 <= h["score"] < 1.0 for h in hits)

    hits = await search(client, "djyvvv158ac")
    assert (nodes(hits), hits[0]["score"]) == ([("Request", gid("Request", a.ids["request"]))], 1.0)


async def test_search_transactions_by_authorization_code_and_external_id(
    client: GraphQLClient, world: dict[str, Any], owner_engine: AsyncEngine
) -> None:
    a = world["a"]
    await login(client, f"sup@{a.slug}.test")
    transaction = ("Transaction", gid("Transaction", a.ids["tx"]))
    hits = await search(client, "a1b2c3")
    assert (nodes(hits), hits[0]["score"]) == ([transaction], 1.0)
    assert hits[0]["node"]["shop"] == {"name": "Shop"}

    async with owner_engine.connect() as conn:
        external_id = await conn.scalar(
            text("SELECT external_id FROM transactions WHERE tenant_id = :t AND id = :i"),
            {"t": a.tenant_id, "i": a.ids["tx"]},
        )
    hits = await search(client, external_id)
    assert (nodes(hits), hits[0]["score"]) == ([transaction], 1.0)
    hits = await search(client, external_id[:10])
    assert transaction in nodes(hits)
    assert next(h["score"] for h in hits if nodes([h])[0] == transaction) < 1.0


async def test_search_never_shows_another_tenants_rows(
    client: GraphQLClient, world: dict[str, Any], owner_engine: AsyncEngine
) -> None:
    a, b = world["a"], world["b"]
    async with owner_engine.connect() as conn:
        b_external_id, b_tid = (
            await conn.execute(
                text(
                    "SELECT x.external_id, t.tid FROM transactions x"
                    "  JOIN terminals t ON t.tenant_id = x.tenant_id AND t.id = x.terminal_id"
                    " WHERE x.tenant_id = :t AND x.id = :i"
                ),
                {"t": b.tenant_id, "i": b.ids["tx"]},
            )
        ).one()
    await login(client, f"sup@{a.slug}.test")
    assert await search(client, b_external_id) == []
    assert await search(client, b_tid) == []
    b_ids = {gid(k, b.ids[n]) for k, n in (("Company", "company"), ("Shop", "shop"))}
    for value in ("732829320", "Boulangerie", "MP-2026-000001", "DJYVVV158AC", "A1B2C3"):
        found = {node_id for _, node_id in nodes(await search(client, value))}
        assert not found & b_ids, value
        assert found, value


@pytest.mark.parametrize(
    ("value", "first"),
    [
        ("a", None),
        ("   ", None),
        (" b ", 5),
        ("x" * 101, None),
        ("boulangerie", 51),
        ("boulangerie", 0),
        ("boulangerie", -1),
    ],
)
async def test_search_refuses_bad_input(
    client: GraphQLClient, world: dict[str, Any], value: str, first: int | None
) -> None:
    await login(client, f"sup@{world['a'].slug}.test")
    body = await client.post(SEARCH, {"t": value, "n": first})
    assert body["data"] == {"search": None}
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_search_first_caps_the_results(client: GraphQLClient, world: dict[str, Any]) -> None:
    await login(client, f"sup@{world['a'].slug}.test")
    assert len(await search(client, "zzser")) == 12
    assert len(await search(client, "zzser", 5)) == 5
    assert len(await search(client, "zzser", 50)) == 12


async def test_search_costs_the_same_statements_for_one_hit_or_many(
    client: GraphQLClient, world: dict[str, Any], app: Starlette
) -> None:
    await login(client, f"sup@{world['a'].slug}.test")
    database = app.state.database

    async def statements(value: str) -> tuple[int, int]:
        before = database.statements
        hits = await search(client, value)
        return len(hits), database.statements - before

    one = await statements("zzser0001")
    many = await statements("zzser")
    assert (one[0], many[0]) == (1, 12)
    assert one[1] == many[1]
    # Claims, the search, one statement per kind of hit (the terminal loader brings shops and
    # companies along): no statement per hit.
    assert many[1] <= 6


async def test_a_seller_can_search_but_not_by_authorization_code(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    a = world["a"]
    await login(client, world["seller"])
    hits = await search(client, "732829320")
    assert nodes(hits)[0] == ("Company", gid("Company", a.ids["company"]))
    # Sellers may not read authorization codes, so they cannot find transactions by them.
    assert await search(client, "A1B2C3") == []
