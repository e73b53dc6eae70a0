"""The transactions page reads Core rows (TransactionRecord) and encodes cursors directly:
the same values and the same cursor strings as the ORM rows and `json.dumps` gave."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from asyncpg.pgproto.pgproto import UUID as AsyncpgUUID
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from starlette.applications import Starlette

from db import models as m
from db.session import async_url
from resolvers import transactions as rtx
from resolvers.pagination import Ordering, PageArgs, _encode_value, encode_cursor
from tenancy.principal import claims_for
from tenancy.roles import Role


def _reference_cursor(name: str, key: list[Any]) -> str:
    """The cursor as it was always encoded (json.dumps), which clients may hold."""
    raw = json.dumps([name, [_encode_value(v) for v in key]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


KEYS: list[list[Any]] = [
    [dt.datetime(2026, 11, 28, 4, 5, 6, 789012, tzinfo=dt.UTC), uuid.uuid4()],
    [dt.datetime(2026, 1, 2, 3, 4, 5), AsyncpgUUID(str(uuid.uuid4()))],
    [dt.datetime(2026, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=-5, minutes=-30)))],
    [dt.date(2026, 2, 3), 42, -7, 10**20],
    ['Café "Le Zinc"\\ \n\t\u2028 €', "", "ascii"],
    [None, True, False, 1.5],
    [12345, None, "x"],
]


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("name", ["OCCURRED_AT", "LEGAL_NAME", "é\"'"])
def test_cursors_are_the_json_dumps_ones(name: str, key: list[Any]) -> None:
    ordering = Ordering(name, ())
    assert encode_cursor(ordering, key) == _reference_cursor(name, key)


@asynccontextmanager
async def _scope(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    yield session


async def test_page_records_are_the_orm_rows(demo_app: Starlette, demo_owner_url: str) -> None:
    engine = create_async_engine(async_url(demo_owner_url))
    async with engine.connect() as conn:
        tenant = await conn.scalar(text("SELECT id FROM tenants WHERE slug = 'alizes'"))
    await engine.dispose()
    database = demo_app.state.database
    session = database.session(claims_for(uuid.uuid4(), Role.SUPERVISOR, tenant))
    try:
        page = await rtx.list_transactions(
            lambda: _scope(session),
            rtx.TransactionFilter(),
            ("OCCURRED_AT", True),
            PageArgs(first=60),
        )
        assert len(page.rows) == 60 and page.has_next
        assert all(type(r) is rtx.TransactionRecord for r in page.rows)
        ids = [r.id for r in page.rows]
        found = await session.execute(select(m.Transaction).where(m.Transaction.id.in_(ids)))
        orm = {t.id: t for t in found.scalars()}
        columns = [c.key for c in m.Transaction.__table__.columns]
        for record in page.rows:
            row = orm[record.id]
            for column in columns:
                mine, theirs = getattr(record, column), getattr(row, column)
                assert (mine, type(mine)) == (theirs, type(theirs)), column
        ordering = rtx.NEWEST_FIRST
        assert page.cursors == [
            _reference_cursor(ordering.name, ordering.key_of(orm[i])) for i in ids
        ]
    finally:
        await session.close()


PAGE_WITH_PLACES = """
query($n: Int!) { transactions(first: $n) { edges { node {
  id amount ... on Transaction { terminal { tid ...Place } }
} } } }
fragment Place on Terminal { shop { name company { legalName } } }
"""
PAGE_ALONE = "query($n: Int!) { transactions(first: $n) { edges { node { id amount } } } }"


async def test_the_page_reads_terminals_shops_and_companies_in_its_own_statement(
    demo_app: Starlette,
) -> None:
    """terminal { shop { company } } adds no statement to the page: they come with it."""
    import httpx

    database = demo_app.state.database
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=demo_app), base_url="http://t"
    ) as http:
        login = await http.post(
            "/graphql",
            json={
                "query": 'mutation { login(input: {email: "technician@alizes.demo", '
                'password: "spring-demo"}) { token } }'
            },
        )
        http.headers["Authorization"] = f"Bearer {login.json()['data']['login']['token']}"
        counts = {}
        for name, query in (("alone", PAGE_ALONE), ("with places", PAGE_WITH_PLACES)):
            for n in (10, 100):
                before = database.statements
                body = (
                    await http.post("/graphql", json={"query": query, "variables": {"n": n}})
                ).json()
                counts[(name, n)] = database.statements - before
                assert "errors" not in body
                edges = body["data"]["transactions"]["edges"]
                assert len(edges) == n
        assert all(e["node"]["terminal"]["shop"]["company"]["legalName"] for e in edges)
    assert len(set(counts.values())) == 1, counts


PLACE_PAGES: list[tuple[tuple[str, bool], dict[str, Any], rtx.TransactionFilter]] = [
    (("OCCURRED_AT", True), {"first": 100}, rtx.TransactionFilter()),
    (("AMOUNT", False), {"first": 37}, rtx.TransactionFilter()),
    (("OCCURRED_AT", True), {"last": 25, "before": 50}, rtx.TransactionFilter()),
    (("AMOUNT", True), {"first": 20, "after": 10}, rtx.TransactionFilter()),
    (("OCCURRED_AT", False), {"last": 60}, rtx.TransactionFilter(amount_min=1000)),
]


@pytest.mark.parametrize(("order", "window", "where"), PLACE_PAGES)
async def test_places_read_with_the_page_are_the_orm_rows(
    demo_app: Starlette,
    demo_owner_url: str,
    order: tuple[str, bool],
    window: dict[str, Any],
    where: rtx.TransactionFilter,
) -> None:
    """The page with its places (each place's columns on the first row referring to it
    only) has the plain page's rows in its order, and every place of them, as the ORM
    reads it."""
    engine = create_async_engine(async_url(demo_owner_url))
    async with engine.connect() as conn:
        tenant = await conn.scalar(text("SELECT id FROM tenants WHERE slug = 'alizes'"))
    await engine.dispose()
    session = demo_app.state.database.session(claims_for(uuid.uuid4(), Role.SUPERVISOR, tenant))
    try:
        args = dict(window)
        for name in ("before", "after"):
            if name in args:  # the cursor of the n-th row of the list
                whole = await rtx.list_transactions(
                    lambda: _scope(session), where, order, PageArgs(first=args[name] + 1)
                )
                args[name] = whole.cursors[-1]
        places = rtx.Places()
        page = await rtx.list_transactions(
            lambda: _scope(session), where, order, PageArgs(**args), places
        )
        plain = await rtx.list_transactions(lambda: _scope(session), where, order, PageArgs(**args))
        assert len(page.rows) == window.get("first", window.get("last"))
        assert [r.__dict__ for r in page.rows] == [r.__dict__ for r in plain.rows]
        assert (page.cursors, page.has_next, page.has_previous) == (
            plain.cursors,
            plain.has_next,
            plain.has_previous,
        )
        assert await page.count() == await plain.count()
        assert {r.terminal_id for r in page.rows} - {None} <= {t.id for t in places.terminals}
        assert {t.shop_id for t in places.terminals} - {None} == {s.id for s in places.shops}
        assert {s.company_id for s in places.shops} == {c.id for c in places.companies}
        for model, records in (
            (m.Terminal, places.terminals),
            (m.Shop, places.shops),
            (m.Company, places.companies),
        ):
            assert records and len({r.id for r in records}) == len(records)
            found = await session.execute(
                select(model).where(model.id.in_([r.id for r in records]))  # type: ignore[attr-defined]
            )
            orm = {row.id: row for row in found.scalars()}
            for record in records:
                for column in model.__table__.columns:
                    mine, theirs = getattr(record, column.key), getattr(orm[record.id], column.key)
                    assert (mine, type(mine)) == (theirs, type(theirs)), column.key
    finally:
        await session.close()


def test_raw_enum_values_become_the_members_sqlalchemy_gives() -> None:
    """The page reads the driver's raw rows: enum columns are mapped as SQLAlchemy's own
    result processors map them, and a value they do not know fails as it would there."""
    from sqlalchemy.dialects.postgresql.asyncpg import dialect

    names = ("id", "status", "scheme", "type", "entry_mode")
    raw = (uuid.uuid4(), "APPROVED", "VISA", "PURCHASE", None)
    records = rtx.TransactionRecord.many(names, [raw])
    for name, value in zip(names, raw, strict=True):
        column = m.Transaction.__table__.columns[name]
        process = column.type.dialect_impl(dialect()).result_processor(dialect(), None)
        expected = process(value) if process is not None else value
        mine = getattr(records[0], name)
        assert (mine, type(mine)) == (expected, type(expected)), name
    with pytest.raises(LookupError):
        rtx.TransactionRecord.many(names, [(uuid.uuid4(), "NOT_A_STATUS", "VISA", None, None)])


async def test_cursors_are_encoded_only_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's cursors are encoded on demand: each equals the one encoded with the page."""
    import resolvers.pagination as pagination

    rows = [rtx.TransactionRecord.of({"occurred_at": key[0], "id": key[1]}) for key in KEYS[:2]]
    encoded: list[Any] = []
    real = pagination.encode_cursor

    def counting(ordering: Ordering, key: Any) -> str:
        encoded.append(key)
        return real(ordering, key)

    monkeypatch.setattr(pagination, "encode_cursor", counting)

    async def count() -> int:
        return 2

    ordering = rtx.NEWEST_FIRST
    page = pagination.Page(rows=rows, count=count, ordering=ordering)
    assert encoded == []
    expected = [_reference_cursor(ordering.name, ordering.key_of(r)) for r in rows]
    assert [page.cursor(0), page.cursor(1)] == expected
    assert page.cursors == expected
    given = pagination.Page(rows=rows, cursors=["a", "b"], count=count)
    assert (given.cursor(1), given.cursors) == ("b", ["a", "b"])
    with pytest.raises(ValueError):
        pagination.Page(rows=rows, count=count)


async def test_a_page_without_cursors_encodes_none(
    demo_app: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The supervision list does not select `cursor`: none of its 100 is encoded; with
    `cursor` and `pageInfo` selected, the cursors are those of the page's rows."""
    import httpx

    import resolvers.pagination as pagination

    calls: list[Any] = []
    real = pagination.encode_cursor

    def counting(ordering: Ordering, key: Any) -> str:
        calls.append(key)
        return real(ordering, key)

    monkeypatch.setattr(pagination, "encode_cursor", counting)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=demo_app), base_url="http://t"
    ) as http:
        login = await http.post(
            "/graphql",
            json={
                "query": 'mutation { login(input: {email: "supervisor@alizes.demo", '
                'password: "spring-demo"}) { token } }'
            },
        )
        http.headers["Authorization"] = f"Bearer {login.json()['data']['login']['token']}"
        body = (
            await http.post("/graphql", json={"query": PAGE_ALONE, "variables": {"n": 100}})
        ).json()
        assert len(body["data"]["transactions"]["edges"]) == 100
        assert calls == []
        query = (
            "{ transactions(first: 3) { pageInfo { startCursor endCursor }"
            " edges { cursor node { id } } } }"
        )
        body = (await http.post("/graphql", json={"query": query})).json()
        connection = body["data"]["transactions"]
        cursors = [edge["cursor"] for edge in connection["edges"]]
        assert len(calls) == 5 and len(set(cursors)) == 3
        assert connection["pageInfo"] == {"startCursor": cursors[0], "endCursor": cursors[-1]}
        after = (
            await http.post(
                "/graphql",
                json={
                    "query": "query($a: String) { transactions(first: 2, after: $a) {"
                    " edges { cursor } } }",
                    "variables": {"a": cursors[0]},
                },
            )
        ).json()
        assert [e["cursor"] for e in after["data"]["transactions"]["edges"]] == cursors[1:]


def test_records_refuse_rows_of_another_width() -> None:
    with pytest.raises(ValueError):
        rtx.TransactionRecord.many(("id", "amount"), [(uuid.uuid4(),)])
