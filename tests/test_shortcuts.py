"""Each SQLAlchemy shortcut of db/shortcuts.py, by name, gives what SQLAlchemy gives; a column
type a shortcut cannot read is refused with an error that names it."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Column, MetaData, Numeric, event, exc, select
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from db import models as m
from db import shortcuts
from db.enums import TransactionStatus
from db.session import async_url
from resolvers import loaders
from resolvers import transactions as rtx

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
async def conn(demo_owner_url: str) -> AsyncIterator[AsyncConnection]:
    engine = create_async_engine(async_url(demo_owner_url))
    try:
        async with engine.connect() as connection:
            yield connection
    finally:
        await engine.dispose()


def _same(mine: dict[str, Any], theirs: dict[str, Any]) -> None:
    assert mine.keys() == theirs.keys()
    for key in mine:
        assert (mine[key], type(mine[key])) == (theirs[key], type(theirs[key])), key


async def test_shortcut_first_row_and_driver_rows(conn: AsyncConnection) -> None:
    """`first_row` / `driver_rows`: driver SQL on the DBAPI cursor gives exec_driver_sql's
    rows, is heard by the statement listeners, and its errors are SQLAlchemy's."""
    sql, params = "SELECT x, x::text FROM generate_series(1, $1) AS x", (3,)
    heard: list[str] = []

    def listen(_c: Any, _cursor: Any, statement: str, *_: Any) -> None:
        heard.append(statement)

    event.listen(conn.sync_engine, "before_cursor_execute", listen)
    try:
        first = await conn.run_sync(lambda c: shortcuts.first_row(c, sql, params))
        rows = await conn.run_sync(lambda c: shortcuts.driver_rows(c, sql, params))
    finally:
        event.remove(conn.sync_engine, "before_cursor_execute", listen)
    expected = (await conn.exec_driver_sql(sql, params)).all()
    assert tuple(first) == tuple(expected[0])
    assert [tuple(r) for r in rows] == [tuple(r) for r in expected]
    assert heard == [sql, sql]
    with pytest.raises(exc.DBAPIError):
        await conn.run_sync(lambda c: shortcuts.driver_rows(c, "SELECT 1 / $1", (0,)))


async def test_shortcut_raw_rows_with_column_readers(conn: AsyncConnection) -> None:
    """`raw_rows` + `ColumnReaders`: the driver's rows, decoded, are Core's processed rows."""
    table = m.Transaction.__table__
    query = select(table).order_by(table.c.id).limit(50)
    expected = [dict(r) for r in (await conn.execute(query)).mappings()]
    result = await conn.execute(query)
    keys = tuple(result.keys())
    decoded = shortcuts.ColumnReaders(table.columns).rows(keys, shortcuts.raw_rows(result))
    assert len(decoded) == len(expected) == 50
    for mine, theirs in zip(decoded, expected, strict=True):
        _same(mine, theirs)
    assert isinstance(decoded[0]["status"], TransactionStatus)


async def test_shortcut_plan(conn: AsyncConnection) -> None:
    """`Plan`: a Core select compiled once, run on the cursor, gives Core's rows."""
    table = m.Terminal.__table__
    ids = list((await conn.scalars(select(table.c.id).limit(5))).all())
    statement = loaders._TERMINAL_ROWS
    plan = shortcuts.Plan.of(statement, conn.dialect)
    assert [name for name, _ in plan.parameters] == ["ids"]
    mine = await conn.run_sync(lambda c: plan.rows(c, {"ids": ids}))
    theirs = [dict(r) for r in (await conn.execute(statement, {"ids": ids})).mappings()]
    assert len(mine) == len(theirs) == 5
    by_id = {row["id"]: row for row in theirs}
    for row in mine:
        _same(row, by_id[row["id"]])


async def test_shortcut_detached_and_record(conn: AsyncConnection) -> None:
    """`detached` and `Record`: a Core row as an ORM instance outside any session, and as a
    plain record, with the ORM instance's attributes and values."""
    from sqlalchemy.ext.asyncio import AsyncSession

    table = m.Terminal.__table__
    row = dict((await conn.execute(select(table).limit(1))).mappings().one())
    async with AsyncSession(bind=conn) as session:
        orm = await session.get(m.Terminal, (row["tenant_id"], row["id"]))
        assert orm is not None
        instance = shortcuts.detached(m.Terminal, row)
        record = rtx.TerminalRecord.of(dict(row))
        assert isinstance(instance, m.Terminal) and sa.inspect(instance).session is None
        for column in table.columns:
            theirs = getattr(orm, column.key)
            for made in (instance, record):
                mine = getattr(made, column.key)
                assert (mine, type(mine)) == (theirs, type(theirs)), column.key


@pytest.mark.parametrize("model", [m.Transaction, m.Terminal, m.Shop, m.Company])
def test_a_column_without_a_reader_is_refused_by_name(model: type[m.Base]) -> None:
    """A Numeric column (SQLAlchemy's asyncpg processor needs the driver's type code, which
    raw rows do not carry) is refused with MissingReader naming the column and the fix."""
    table = model.__table__.to_metadata(MetaData())  # type: ignore[attr-defined]
    table.append_column(Column("fee_rate", Numeric(10, 4)))
    with pytest.raises(shortcuts.MissingReader) as refused:
        shortcuts.ColumnReaders(table.columns)
    text = str(refused.value)
    assert f"{table.name}.fee_rate" in text and "NUMERIC(10, 4)" in text
    assert "db/shortcuts.py" in text and "ColumnReaders" in text


def test_a_numeric_column_added_to_transactions_fails_at_import_with_that_error() -> None:
    """The model as a developer would change it: the import that builds the page's records
    fails at once with MissingReader (it was a TypeError about '%d format' before)."""
    code = (
        "from sqlalchemy import Column, Numeric\n"
        "from db import models as m\n"
        "m.Transaction.__table__.append_column(Column('fee_rate', Numeric(10, 4)))\n"
        "import resolvers.transactions\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("db.shortcuts.MissingReader: column transactions.fee_rate"), last


def test_enum_readers_are_sqlalchemy_s_processors() -> None:
    """`ColumnReaders` (enum tables): every stored value maps to the member SQLAlchemy's own
    processor gives; an unknown value fails as it would there."""
    readers = shortcuts.ColumnReaders(m.Transaction.__table__.columns)
    assert set(readers.by_key) >= {"status", "type", "scheme", "entry_mode"}
    for key, reader in readers.by_key.items():
        column = m.Transaction.__table__.columns[key]
        for value in [*column.type.enums, None]:
            assert reader(value) is (reader.process(value) if value is not None else None)
        with pytest.raises(LookupError):
            reader("NOT_A_" + key.upper())
    assert readers.rows(("id", "status"), [(uuid.UUID(int=1), "APPROVED")]) == [
        {"id": uuid.UUID(int=1), "status": TransactionStatus.APPROVED}
    ]
