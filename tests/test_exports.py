"""CSV exports compared row by row with the API's lists, on the demo data, for every role:
the same rows in the same order, the same values, the fields the role may not read absent."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url
from starlette.applications import Starlette

from schema.exports import EXPORTS, scalar_fields
from schema.schema import build_schema
from spring.app import create_app
from spring.settings import Settings
from tests.conftest import APP_ROLE

ROLES = ("seller", "hotline", "technician", "supervisor")
NOW = dt.datetime.now(dt.UTC)

#: (export, the list's root field, its type, a filter keeping the list short on the demo data)
CASES: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "transactions",
        "transactions",
        "Transaction",
        # A whole day and more: the demo's shops trade in their opening hours (at 08:00 UTC,
        # the last 6 hours held no transaction in Guadeloupe).
        {"occurredFrom": (NOW - dt.timedelta(hours=30)).isoformat(), "status": ["DECLINED"]},
    ),
    (
        "audit-events",
        "auditEvents",
        "AuditEvent",
        {"occurredFrom": (NOW - dt.timedelta(days=30)).isoformat()},
    ),
    ("terminals", "terminals", "Terminal", {}),
]


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


async def _api_rows(
    http: httpx.AsyncClient, field: str, type_name: str, columns: list[str], f: dict
) -> list[dict[str, Any]]:
    """Every node of the list, page by page, with the exported fields."""
    query = (
        f"query($f: {type_name}Filter, $after: String) {{ {field}(filter: $f, first: 100, "
        f"after: $after) {{ pageInfo {{ hasNextPage endCursor }} edges {{ node {{ "
        f"{' '.join(columns)} }} }} }} }}"
    )
    rows: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await _gql(http, query, {"f": f, "after": after}))[field]
        rows += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return rows
        after = page["pageInfo"]["endCursor"]


def _cell(value: Any) -> str:
    """An API value written as the export writes it."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


async def _export(http: httpx.AsyncClient, name: str, f: dict | None) -> httpx.Response:
    params = {"filter": json.dumps(f)} if f is not None else {}
    return await http.get(f"/exports/{name}.csv", params=params)


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "field", "type_name", "f"), CASES)
async def test_an_export_is_the_list_as_the_role_reads_it(
    demo_app: Starlette, role: str, name: str, field: str, type_name: str, f: dict
) -> None:
    http = await _client(demo_app, role)
    try:
        response = await _export(http, name, f)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
        header, rows = table[0], table[1:]
        assert int(response.headers["x-export-rows"]) == len(rows)

        # The columns: the type's scalar fields, less those the role may not read.
        me = await _gql(http, "{ me { permissions { deniedFields } } }")
        denied = {
            d.split(".", 1)[1]
            for d in me["me"]["permissions"]["deniedFields"]
            if d.startswith(f"{type_name}.")
        }
        schema = build_schema()._schema
        exported = [
            c for c in scalar_fields(schema, type_name) if c not in EXPORTS[name].not_exported
        ]
        assert header == [c for c in exported if c not in denied]

        # Read before and after the export: a terminal may go OFFLINE in between (the demo's
        # heartbeats stop when it is seeded); every cell is one of the two readings.
        before = await _api_rows(http, field, type_name, header, f)
        response = await _export(http, name, f)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))[1:]
        after = await _api_rows(http, field, type_name, header, f)
        assert len(rows) == len(before) == len(after) > 0, (role, name)
        for got, old, new in zip(rows, before, after, strict=True):
            for column, cell in zip(header, got, strict=True):
                assert cell in (_cell(old[column]), _cell(new[column])), (role, name, column)
    finally:
        await http.aclose()


INVALID = [
    ("transactions", "TransactionFilter", {"status": ["NOPE"]}),
    ("transactions", "TransactionFilter", {"shop": "not-a-global-id"}),
    (
        "transactions",
        "TransactionFilter",
        {"occurredFrom": NOW.isoformat(), "occurredTo": "2020-01-01T00:00:00Z"},
    ),
    ("terminals", "TerminalFilter", {"connectivity": "SOMETIMES"}),
    ("audit-events", "AuditEventFilter", {"unknownField": 1}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "type_name", "f"), INVALID)
async def test_an_invalid_filter_is_refused_with_the_apis_message(
    demo_app: Starlette, name: str, type_name: str, f: dict
) -> None:
    field = {"transactions": "transactions", "terminals": "terminals"}.get(name, "auditEvents")
    http = await _client(demo_app, "supervisor")
    try:
        response = await _export(http, name, f)
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        api = (
            await http.post(
                "/graphql",
                json={
                    "query": f"query($filter: {type_name}) {{ {field}(filter: $filter, first: 1)"
                    " { totalCount } }",
                    "variables": {"filter": f},
                },
            )
        ).json()
        assert error["message"] == api["errors"][0]["message"]
    finally:
        await http.aclose()


@pytest.mark.slow
async def test_refusals_before_any_row(demo_app: Starlette) -> None:
    anonymous = httpx.AsyncClient(transport=httpx.ASGITransport(app=demo_app), base_url="http://t")
    try:
        response = await anonymous.get("/exports/transactions.csv")
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    finally:
        await anonymous.aclose()
    http = await _client(demo_app, "supervisor")
    try:
        response = await http.get("/exports/contracts.csv")
        assert response.status_code == 404
        response = await http.get("/exports/transactions.csv", params={"filter": "{not json"})
        assert response.status_code == 400
        assert "JSON" in response.json()["errors"][0]["message"]
    finally:
        await http.aclose()


ORDERED = """
query($o: TransactionOrder, $f: TransactionFilter) {
  transactions(orderBy: $o, filter: $f, first: 100) { edges { node { id amount } } }
}
"""


@pytest.mark.slow
async def test_an_export_follows_the_lists_order_by(demo_app: Starlette) -> None:
    """The list as the screen sorts it: the same `orderBy`, the same rows in the same order;
    refused as the API refuses it."""
    http = await _client(demo_app, "supervisor")
    try:
        order = {"field": "TID", "direction": "DESC"}
        response = await http.get("/exports/terminals.csv", params={"orderBy": json.dumps(order)})
        assert response.status_code == 200, response.text
        exported = [r["tid"] for r in csv.DictReader(io.StringIO(response.text))]
        listed = await _gql(
            http,
            "query($o: TerminalOrder) { terminals(orderBy: $o, first: 100) { edges { node { tid"
            " } } } }",
            {"o": order},
        )
        assert exported == [e["node"]["tid"] for e in listed["terminals"]["edges"]]
        assert len(exported) > 1 and exported == sorted(exported, reverse=True)

        # Transactions by amount over the last day: the export's first 100 are the list's
        # first page (the rest follow in the same order).
        day = {
            "occurredFrom": (NOW - dt.timedelta(days=1)).isoformat(),
            "occurredTo": NOW.isoformat(),
        }
        order = {"field": "AMOUNT", "direction": "ASC"}
        response = await http.get(
            "/exports/transactions.csv",
            params={"orderBy": json.dumps(order), "filter": json.dumps(day)},
        )
        assert response.status_code == 200, response.text
        rows = list(csv.DictReader(io.StringIO(response.text)))
        listed = await _gql(http, ORDERED, {"o": order, "f": day})
        edges = listed["transactions"]["edges"]
        assert len(edges) > 1
        assert [r["id"] for r in rows[: len(edges)]] == [e["node"]["id"] for e in edges]
        amounts = [int(r["amount"]) for r in rows]
        assert amounts == sorted(amounts)

        refused = await http.get(
            "/exports/terminals.csv", params={"orderBy": json.dumps({"field": "COLOR"})}
        )
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert "COLOR" in refused.json()["errors"][0]["message"]
        refused = await http.get("/exports/terminals.csv", params={"orderBy": "{TID"})
        assert refused.status_code == 400
        assert "orderBy" in refused.json()["errors"][0]["message"]
        refused = await http.get(
            "/exports/audit-events.csv", params={"orderBy": json.dumps(order)}
        )  # the journal has one order: newest first
        assert refused.status_code == 400
        assert "orderBy" in refused.json()["errors"][0]["message"]
    finally:
        await http.aclose()


@pytest.fixture(scope="module")
async def small_limit_app(settings: Settings, demo_owner_url: str) -> AsyncIterator[Starlette]:
    url = make_url(demo_owner_url).set(username=APP_ROLE, password=None)
    application = create_app(
        settings.model_copy(update={"export_max_rows": 5}), url.render_as_string(False)
    )
    yield application
    await application.state.database.dispose()


@pytest.mark.slow
async def test_an_export_above_the_row_limit_is_refused(small_limit_app: Starlette) -> None:
    http = await _client(small_limit_app, "supervisor")
    try:
        response = await _export(http, "transactions", {})
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "EXPORT_TOO_LARGE"
        assert error["extensions"]["maxRows"] == 5 and error["extensions"]["rows"] > 5
        assert "5" in error["message"]
        response = await _export(http, "terminals", {"text": "no terminal has this"})
        assert response.status_code == 200
        assert response.text.splitlines()[0].startswith("id,kind,tid")
    finally:
        await http.aclose()


def test_every_scalar_field_of_an_exported_type_has_a_column() -> None:
    """A new scalar field of Transaction, AuditEvent or Terminal must be exported (or listed
    as not exported): reader_columns raises KeyError otherwise."""
    from schema.exports import ExportContext

    schema = build_schema()._schema
    for export in EXPORTS.values():
        ctx = ExportContext(None, NOW, 60, lambda _: frozenset())  # type: ignore[arg-type]
        columns = export.columns(ctx)
        for name in scalar_fields(schema, export.type_name):
            assert name in columns or name in export.not_exported, (export.name, name)


def test_a_masked_field_is_written_masked_by_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    """No field of these types is masked today (Company.iban is): were one masked, its column
    would be masked as the API masks it, by PostgreSQL through the rule's SQL form
    (resolvers/sql_masking.py; tests/test_exports_sql.py compares it with Python's), and by
    Python when the rule has none."""
    import uuid

    from resolvers import exports as rx
    from resolvers import sql_masking
    from schema.exports import ExportContext, reader_columns
    from tenancy import policy
    from tenancy.principal import Principal
    from tenancy.roles import Role

    monkeypatch.setitem(
        policy.FIELDS, "Transaction.externalId", {Role.SUPERVISOR: policy.Access.MASKED}
    )
    monkeypatch.setitem(policy.MASKS, "Transaction.externalId", policy.Mask.IBAN_LAST4)
    supervisor = Principal(uuid.uuid4(), "s@x.test", "S", Role.SUPERVISOR, uuid.uuid4())
    seller = Principal(uuid.uuid4(), "v@x.test", "V", Role.SELLER, uuid.uuid4())
    schema = build_schema()._schema
    ctx = ExportContext(supervisor, NOW, 60, lambda _: frozenset())
    columns = {c.name: c for c in reader_columns(EXPORTS["transactions"], schema, ctx)}
    assert columns["externalId"].cell("ext-000123456") == "•••••••••3456"
    assert columns["externalId"].mask is policy.Mask.IBAN_LAST4
    assert rx.rendered_by_sql(list(columns.values()))
    monkeypatch.setattr(sql_masking, "SQL_MASKERS", {})
    assert not rx.rendered_by_sql(list(columns.values()))
    # A role the rule leaves out does not get the column at all.
    ctx = ExportContext(seller, NOW, 60, lambda _: frozenset())
    names = [c.name for c in reader_columns(EXPORTS["transactions"], schema, ctx)]
    assert "externalId" not in names and "maskedPan" not in names


async def test_postgresql_writes_cells_as_python_does(owner_engine: Any) -> None:
    """The cells PostgreSQL writes for the COPY path (resolvers/exports.sql_cell) are the
    bytes Python writes: timestamps with and without microseconds, and global ids of type
    names whose "Type:" prefix is, and is not, a whole number of base64's 3-byte groups."""
    import uuid

    from sqlalchemy import DateTime, literal, select
    from sqlalchemy.types import Uuid

    from resolvers import exports as rx

    times = [
        dt.datetime(2026, 3, 29, 1, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 1, 0, 0, 500_000, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 5, 2, 30, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 25, 0, 59, 59, 123_456, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    ]
    ids = [uuid.UUID(int=0), uuid.UUID(int=2**128 - 1), uuid.uuid4()]
    # "Transaction:" is 12 bytes (4 groups), "Terminal:" 9, "AuditEvent:" 11, "Shop:" 5.
    names = ["Transaction", "Terminal", "AuditEvent", "Shop"]
    async with owner_engine.connect() as conn:
        for value in times:
            column = rx.Column("t", literal(value, DateTime(timezone=True)), rx.time_cell)
            # asyncpg reads timestamps in UTC: Python writes them so.
            expected = rx.time_cell(value.astimezone(dt.UTC))
            assert await conn.scalar(select(rx.sql_cell(column))) == expected
        for name in names:
            for value in ids:
                cell = rx.global_id(name)
                column = rx.Column("id", literal(value, Uuid()), cell)
                assert await conn.scalar(select(rx.sql_cell(column))) == cell(value), name
