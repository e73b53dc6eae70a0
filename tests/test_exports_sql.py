"""The exports PostgreSQL writes line by line (resolvers/exports.csv_line): the same bytes as
before (PostgreSQL's own CSV writing), the policy's masks in SQL equal to Python's, each role's
export byte for byte the API's list, and a client that goes away leaves nothing behind."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from typing import Any

import pytest
from sqlalchemy import BigInteger, String, column, create_engine, literal, select, table
from starlette.applications import Starlette

from resolvers import exports as rx
from resolvers import sql_masking
from tenancy import policy
from tenancy.masking import MASKERS
from tests.api import http_scope
from tests.conftest import APP_ROLE
from tests.live import until
from tests.test_exports import ROLES, _api_rows, _cell, _client, _export

NOW = dt.datetime.now(dt.UTC)

#: Texts that need quotes or escapes, or look like spreadsheet formulas (written as they are:
#: the exports have never changed a cell's first character).
AWKWARD: list[str | None] = [
    None,
    "",
    "plain",
    "a,b",
    'say "hi"',
    '"',
    ",",
    "two\nlines",
    "cr\rhere",
    "crlf\r\n",
    "back\\slash",
    "back\\nnot a newline",
    "\\",
    "\\\\",
    "tab\there",
    "\\.",
    "=SUM(A1:A2)",
    "+33 6 12 34 56 78",
    "-12",
    "@cmd",
    " leading and trailing ",
    "é•€ 日本",
    "\x01\x08\x0b\x0c\x1f control",
]


def _pg_quoted(text: str) -> str:
    """A cell as PostgreSQL's COPY (FORMAT csv) writes a text (an empty one quoted)."""
    if text == "" or any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


async def test_lines_are_the_bytes_postgresqls_csv_wrote(owner_engine: Any) -> None:
    """`csv_line` through COPY's text format, unescaped, gives the bytes `COPY … (FORMAT csv)`
    gave for the same columns (what the export wrote before), for every awkward text, nulls
    and integers."""
    rows = list(enumerate(zip(AWKWARD, list(reversed(AWKWARD)), strict=True)))
    t = table(
        "export_cells", column("a", String()), column("n", BigInteger()), column("b", String())
    )
    columns = [rx.Column("a", t.c.a), rx.Column("n", t.c.n), rx.Column("b", t.c.b)]
    dialect = create_engine("postgresql+asyncpg://").dialect
    stmt = select(rx.csv_line(columns).label("line")).select_from(t).order_by(t.c.n)
    lines = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    outputs: dict[str, bytearray] = {"csv": bytearray(), "text": bytearray()}
    async with owner_engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        await driver.execute("CREATE TEMP TABLE export_cells (a text, n bigint, b text)")
        await driver.executemany(
            "INSERT INTO export_cells VALUES ($1, $2, $3)", [(a, i, b) for i, (a, b) in rows]
        )
        for fmt, sql in (("csv", "SELECT a, n, b FROM export_cells ORDER BY n"), ("text", lines)):
            await driver.copy_from_query(sql, output=_collect(outputs[fmt]), format=fmt)
        await driver.execute("DROP TABLE export_cells")
    before = bytes(outputs["csv"])
    now = rx.unescape_text_copy(bytes(outputs["text"]))
    assert now == before
    # And what that is: PostgreSQL's quoting, nothing done to formula-like cells.
    expected = "".join(
        ",".join(["" if a is None else _pg_quoted(a), str(i), "" if b is None else _pg_quoted(b)])
        + "\n"
        for i, (a, b) in rows
    )
    assert now == expected.encode()
    assert b"\n=SUM(A1:A2)," in now and b"\n@cmd," in now


def _collect(into: bytearray) -> Any:
    async def output(chunk: bytes) -> None:
        into.extend(chunk)

    return output


def test_escapes_cut_between_chunks_wait_for_their_letter() -> None:
    """COPY's text escapes (\\\\, \\n, \\r, \\t…) are undone whatever chunk boundary asyncpg
    puts in them."""
    escaped = b"a\\\\b\\nc\\\\\\nd\\te\\\\\\\\\\rf\\\\\n"
    whole = rx.unescape_text_copy(escaped)
    assert whole == b"a\\b\nc\\\nd\te\\\\\rf\\\n"
    for cut in range(len(escaped) + 1):
        gathered = bytearray()
        got = b""
        for part in (escaped[:cut], escaped[cut:]):
            gathered.extend(part)
            got += rx.take_ready(gathered)
        got += rx.unescape_text_copy(bytes(gathered))
        assert got == whole, cut


async def test_every_masking_rule_has_an_sql_form_equal_to_pythons(owner_engine: Any) -> None:
    """The policy's rules (tenancy.policy.Mask, the rules MASKS names) each have an SQL form in
    resolvers/sql_masking.py, and it masks every value as tenancy.masking does."""
    assert set(sql_masking.SQL_MASKERS) == set(policy.Mask) == set(MASKERS)
    assert set(policy.MASKS.values()) <= set(sql_masking.SQL_MASKERS)
    samples = [None, "", "a", "abc", "abcd", "abcde", "FR7630006000011234567890189"]
    samples += ["GB82 WEST 1234 5698 7654 32", "é•€日本語のIBAN", "=1+2", 'a,"b"\nc']
    async with owner_engine.connect() as conn:
        for mask, masker in sql_masking.SQL_MASKERS.items():
            for value in samples:
                got = await conn.scalar(select(masker(literal(value, String()))))
                assert got == MASKERS[mask](value), (mask, value)


def _expected_csv(header: list[str], rows: list[dict[str, Any]]) -> bytes:
    """The export of the API's rows as PostgreSQL writes it: a header row (the csv module's),
    then each cell quoted as COPY's CSV quotes it (nulls empty)."""
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join("" if row[c] is None else _pg_quoted(_cell(row[c])) for c in header))
    return ("\n".join(lines) + "\n").encode()


TRANSACTIONS = {"occurredFrom": (NOW - dt.timedelta(hours=30)).isoformat()}


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
async def test_a_transactions_export_is_the_apis_list_byte_for_byte(
    demo_app: Starlette, role: str
) -> None:
    """Every role's export of a day of transactions: the bytes of the API's list written as
    CSV (its fields the role may read, in the API's order and values; denied ones absent)."""
    http = await _client(demo_app, role)
    try:
        response = await _export(http, "transactions", TRANSACTIONS)
        assert response.status_code == 200, response.text
        header = response.content.split(b"\n", 1)[0].decode().split(",")
        denied = {"seller": {"maskedPan", "authorizationCode", "responseCode"}}.get(role, set())
        assert not denied & set(header) and "amount" in header
        rows = await _api_rows(http, "transactions", "Transaction", header, TRANSACTIONS)
        assert len(rows) > 10
        assert response.content == _expected_csv(header, rows)
    finally:
        await http.aclose()


@pytest.mark.slow
async def test_a_masked_field_is_masked_alike_by_postgresql_and_python(
    demo_app: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were a transaction's field masked for a role, PostgreSQL's export (the rule's SQL form)
    and Python's (the API's masker) write the same bytes: the API's values, masked."""
    monkeypatch.setitem(
        policy.FIELDS,
        "Transaction.externalId",
        {policy.HOTLINE: policy.Access.MASKED, policy.SUPERVISOR: policy.Access.FULL},
    )
    monkeypatch.setitem(policy.MASKS, "Transaction.externalId", policy.Mask.IBAN_LAST4)
    http = await _client(demo_app, "hotline")
    try:
        by_sql = await _export(http, "transactions", TRANSACTIONS)
        with monkeypatch.context() as python_only:
            python_only.setattr(sql_masking, "SQL_MASKERS", {})
            by_python = await _export(http, "transactions", TRANSACTIONS)
        assert by_sql.status_code == by_python.status_code == 200
        assert by_sql.content == by_python.content
        table_ = list(csv.reader(io.StringIO(by_sql.text)))
        header, rows = table_[0], table_[1:]
        api = await _api_rows(http, "transactions", "Transaction", header, TRANSACTIONS)
        position = header.index("externalId")
        assert [r[position] for r in rows] == [
            MASKERS[policy.Mask.IBAN_LAST4](a["externalId"]) for a in api
        ]
        assert all("•" in r[position] for r in rows)
    finally:
        await http.aclose()


@pytest.mark.slow
async def test_a_client_gone_mid_export_leaves_no_transaction_or_connection(
    demo_app: Starlette, demo_owner_url: str
) -> None:
    """The client goes away after the first chunks of a long export (all the demo's
    transactions, more than COPY_QUEUE chunks): the COPY is cancelled, its transaction rolled
    back and its connection given back to the pool; PostgreSQL shows no backend of the app's
    role still working or idle in a transaction."""
    import asyncpg

    http = await _client(demo_app, "supervisor")
    token = http.headers["Authorization"]
    await http.aclose()
    database = demo_app.state.database
    gone = asyncio.Event()
    bodies: list[bytes] = []
    started: list[int] = []

    async def receive() -> dict[str, Any]:
        if not started:
            started.append(1)
            return {"type": "http.request", "body": b"", "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            assert message["status"] == 200
        elif message["type"] == "http.response.body":
            bodies.append(message.get("body", b""))
            if len(bodies) >= 3:
                gone.set()

    scope = http_scope(
        "GET", "/exports/transactions.csv", [(b"host", b"t"), (b"authorization", token.encode())]
    )
    await asyncio.wait_for(demo_app(scope, receive, send), 60)
    assert gone.is_set() and len(bodies) >= 3
    assert not any(b"" == body for body in bodies[1:3])
    assert sum(len(b) for b in bodies) < 4 * rx.COPY_CHUNK  # it did stop early
    assert database.engine.sync_engine.pool.checkedout() == 0

    conn = await asyncpg.connect(demo_owner_url.replace("postgresql+asyncpg", "postgresql"))
    try:

        async def idle() -> bool:  # the backend reports idle once its rollback is done
            busy = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND usename = $1 AND state <> 'idle'",
                APP_ROLE,
            )
            return busy == 0

        await until(idle, "the export's backend to be idle after the client left")
    finally:
        await conn.close()
    # The pool's connections still work: the next export is whole.
    http = await _client(demo_app, "supervisor")
    try:
        response = await _export(http, "transactions", TRANSACTIONS)
        assert response.status_code == 200
        assert response.content.count(b"\n") == int(response.headers["x-export-rows"]) + 1
    finally:
        await http.aclose()
