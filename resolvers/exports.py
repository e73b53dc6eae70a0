"""CSV exports of what a list shows: the list's rows, filter and order, streamed.

An export is a SELECT of the columns the reader may see. When PostgreSQL can write every
cell (masks included, resolvers/sql_masking.py), it writes each row's whole CSV line and the
COPY's output is passed on (`csv_line`, `_copy`); otherwise a server-side cursor is read a few
thousand rows at a time and Python writes the CSV. Either way memory stays flat whatever the
number of rows. Row-level security scopes it to the tenant as every
read. Each column is a field of the list's GraphQL type, written as the API writes it
(global ids, enum names, ISO 8601 timestamps in UTC, JSON for journal values, empty for null);
which columns a reader gets, and masked how, is the schema's business (schema/exports.py):
this module only reads and writes.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import csv
import io
import json
import re
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Enum,
    Integer,
    Select,
    String,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Uuid

from db.session import Database
from resolvers.sql_masking import sql_mask
from tenancy.policy import Mask

#: Rows fetched from the cursor at a time, and written per chunk of the response.
BATCH_ROWS = 5000


def text_cell(value: Any) -> str:
    return "" if value is None else str(value)


def enum_cell(value: Any) -> str:
    """An enum as the API names it: the member's name (stored values are those names, and
    enum columns are read as text, see `statement`)."""
    if value is None:
        return ""
    return getattr(value, "name", None) or str(value)


def time_cell(value: Any) -> str:
    """A timestamp as the API writes it (ISO 8601, UTC offset)."""
    return "" if value is None else value.isoformat()


def json_cell(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def global_id(type_name: str) -> Callable[[Any], str]:
    """A column of UUIDs written as the API's global ids of `type_name`."""
    prefix = f"{type_name}:"

    def cell(value: Any) -> str:
        if value is None:
            return ""
        return base64.b64encode(f"{prefix}{value}".encode()).decode()

    cell.type_name = type_name  # type: ignore[attr-defined]
    return cell


# PostgreSQL writes the same texts (the fast path: rows come out of the cursor as the CSV's
# cells, and the csv module writes them without a Python call per cell).


def _iso_sql(expr: Any) -> Any:
    """`datetime.isoformat()` of a UTC timestamp: microseconds only when not zero.

    One `to_char` writing the microseconds always, and ".000000" taken out when they are
    zero (the only case it occurs): a third of the CPU of two `to_char` and an `extract`."""
    utc = func.timezone("UTC", expr)
    written = func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')
    return func.replace(written, ".000000+", "+")


def _gid_sql(expr: Any, type_name: str) -> Any:
    """base64("Type:uuid"), as the API's global ids.

    base64 encodes each 3 bytes on their own: the prefix's whole 3-byte groups are encoded
    once, here, and PostgreSQL encodes the rest of the prefix and the UUID's 36 characters
    (at most 38 bytes: under the 57 after which `encode` breaks lines). `textsend` gives the
    text's bytes without `convert_to`'s encoding lookup (a UUID's text is ASCII)."""
    prefix = f"{type_name}:".encode()
    if not isinstance(getattr(expr, "type", None), Uuid):
        # Any other text: PostgreSQL's line breaks removed.
        raw = func.convert_to(literal(prefix.decode(), String()) + cast(expr, String()), "UTF8")
        return func.translate(func.encode(raw, "base64"), "\n", "")
    whole = len(prefix) - len(prefix) % 3
    head = base64.b64encode(prefix[:whole]).decode()
    rest: ColumnElement[str] = cast(expr, String())
    if whole < len(prefix):
        rest = literal(prefix[whole:].decode(), String()) + rest
    return literal(head, String()) + func.encode(func.textsend(rest), "base64")


def sql_cell(column: Column) -> Any | None:
    """The column's cell as PostgreSQL writes it, or None when Python must write it (a
    computed column, or a masking rule without an SQL form). Integers and texts as read;
    a masked column through the policy's rule in SQL (resolvers/sql_masking.py)."""
    if column.compute is not None or column.expr is None:
        return None
    if column.mask is not None:  # set on text columns only (schema/exports.py)
        return sql_mask(column.mask, column.expr)
    if column.cell in (text_cell, enum_cell):
        return _raw(column.expr)
    if column.cell is time_cell:
        return _iso_sql(column.expr)
    type_name = getattr(column.cell, "type_name", None)
    if type_name is not None:
        return _gid_sql(column.expr, type_name)
    return None


@dataclass(frozen=True)
class Column:
    """One CSV column: the API field it shows, what it reads, and how a value is written.

    `expr`: a SQL expression read for this column (None for a column computed from others).
    `cell`: the cell's text from the row (`row[name]` unless `compute` is given); for a
    masked column it masks first.
    `mask`: the policy's masking rule the column is written through (None: as read), for
    PostgreSQL to apply it too (`sql_cell`).
    """

    name: str
    expr: Any = None
    cell: Callable[[Any], str] = text_cell
    compute: Callable[[Any], Any] | None = None
    mask: Mask | None = None


def _raw(expr: Any) -> Any:
    """An enum column read as its stored text: no conversion to the Python enum per value."""
    if isinstance(getattr(expr, "type", None), Enum):
        return type_coerce(expr, String())
    return expr


#: COPY's output is gathered into chunks of at least this many bytes (asyncpg hands it
#: over about 23 KiB at a time): each chunk costs a queue hand-over, an ASGI message and a
#: socket write, whatever its size.
COPY_CHUNK = 256 * 1024
#: Chunks buffered ahead of a slow client, at most (memory: about COPY_QUEUE x COPY_CHUNK).
COPY_QUEUE = 8

# The CSV's cells are quoted as PostgreSQL's `COPY … (FORMAT csv)` quotes them (what this
# export wrote before it wrote whole lines, and the csv module alike but for an empty text,
# which both PostgreSQL and this write `""` to tell it from null): a text holding a comma, a
# double quote, CR or LF, or empty, between double quotes, its double quotes doubled. Nothing
# else is changed: a cell starting with =, +, - or @ is written as it is.
_NEEDS_QUOTES = (",", '"', "\r", "\n")

# `COPY … (FORMAT text)` of the one `line` column writes a backslash as \\ and these control
# characters as a backslash and a letter (the row's LF after it is the line's end).
_TEXT_ESCAPES = {
    b"\\": b"\\",
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"b": b"\b",
    b"f": b"\f",
    b"v": b"\v",
}
_ESCAPED = re.compile(rb"\\(.)", re.DOTALL)


def _unescape(match: re.Match[bytes]) -> bytes:
    return _TEXT_ESCAPES.get(match.group(1), match.group(1))


def unescape_text_copy(data: bytes) -> bytes:
    """COPY's text format undone for one column: the bytes of the lines as PostgreSQL made
    them. Chunks without a backslash (nearly all) are passed on as they are."""
    if b"\\" not in data:
        return data
    return _ESCAPED.sub(_unescape, data)


def take_ready(gathered: bytearray) -> bytes:
    """The gathered COPY output, unescaped, taken out of `gathered`, but for a backslash
    that ends it alone: an escape cut in two by asyncpg's chunks waits for its letter."""
    end = len(gathered)
    while end and gathered[end - 1] == 0x5C:
        end -= 1
    keep = (len(gathered) - end) % 2
    ready = bytes(gathered[: len(gathered) - keep])
    del gathered[: len(gathered) - keep]
    return unescape_text_copy(ready)


def _safe(column: Column) -> bool:
    """Whether the column's cells never need quotes: global ids (base64), timestamps, enum
    names and integers."""
    if column.mask is not None:
        return False
    if column.cell in (time_cell, enum_cell) or getattr(column.cell, "type_name", None):
        return True
    return isinstance(getattr(column.expr, "type", None), Integer)


def _quoted(cell: Any) -> Any:
    text = type_coerce(cell, String())
    needs = or_(
        text == literal("", String()),
        *(func.strpos(text, literal(c, String())) > 0 for c in _NEEDS_QUOTES),
    )
    doubled = func.replace(text, literal('"', String()), literal('""', String()), type_=String())
    return case((needs, literal('"', String()) + doubled + literal('"', String())), else_=text)


def csv_line(columns: Sequence[Column]) -> Any:
    """One row's CSV line (without its LF) as PostgreSQL writes it: `concat` of the cells
    (null as empty), separated by commas, each quoted when it must be (`_quoted`)."""
    parts: list[Any] = []
    for column in columns:
        if parts:
            parts.append(literal(",", String()))
        cell = sql_cell(column)
        parts.append(cell if _safe(column) else _quoted(cell))
    return func.concat(*parts)


async def _copy(db: Database, claims: dict[str, str], stmt: Select[Any]) -> AsyncIterator[bytes]:
    """`COPY (stmt) TO STDOUT` of the rows' CSV lines (one text column, text format) in a
    transaction with the caller's claims (so row-level security applies), its output handed
    over through a bounded queue, unescaped (`unescape_text_copy`)."""
    async with db.session(claims) as session:
        connection = await session.connection()  # begins: the claims are set
        # One COPY is one statement: the per-statement timeout (SPRING_STATEMENT_TIMEOUT_MS)
        # would cut a long export. Its size is bounded by SPRING_EXPORT_MAX_ROWS instead, and a
        # client that stops reading cancels it (below).
        await connection.execute(select(func.set_config("statement_timeout", "0", True)))
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        # Values are rendered by SQLAlchemy's PostgreSQL dialect (quoted and escaped).
        sql = str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
        queue: asyncio.Queue[bytes | None] = asyncio.Queue(COPY_QUEUE)
        gathered = bytearray()

        async def output(chunk: bytes) -> None:
            gathered.extend(chunk)
            if len(gathered) >= COPY_CHUNK:
                await queue.put(take_ready(gathered))

        async def run() -> None:
            try:
                await driver.copy_from_query(sql, output=output, format="text")
                if gathered:  # the output is whole: nothing is cut any more
                    await queue.put(unescape_text_copy(bytes(gathered)))
            finally:
                await queue.put(None)

        task = asyncio.create_task(run())
        try:
            while (chunk := await queue.get()) is not None:
                yield chunk
            await task  # raises what COPY raised
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


def rendered_by_sql(columns: Sequence[Column]) -> bool:
    return all(sql_cell(c) is not None for c in columns)


def statement(base: Select[Any], columns: Sequence[Column], extra: Sequence[Any]) -> Select[Any]:
    """The list's SELECT, reading only the exported columns (and `extra` labelled helpers).
    When PostgreSQL can write every cell, it does (`sql_cell`); else Python writes them."""
    if rendered_by_sql(columns):
        return base.with_only_columns(csv_line(columns).label("line"), maintain_column_froms=True)
    exprs = [_raw(c.expr).label(c.name) for c in columns if c.expr is not None]
    return base.with_only_columns(*exprs, *extra, maintain_column_froms=True)


async def count_rows(db: Database, claims: dict[str, str], stmt: Select[Any]) -> int:
    """How many rows the export would write (for the row limit)."""
    counted = select(func.count()).select_from(stmt.order_by(None).subquery())
    async with db.session(claims) as session:
        return int(await session.scalar(counted) or 0)


async def stream_csv(
    db: Database,
    claims: dict[str, str],
    stmt: Select[Any],
    columns: Sequence[Column],
    *,
    batch_rows: int = BATCH_ROWS,
) -> AsyncIterator[bytes]:
    """The header row, then the rows, as UTF-8 CSV bytes (lines end with LF).

    When PostgreSQL writes every cell, it writes the CSV's lines too (`csv_line`, one text
    column: `COPY (SELECT line …) TO STDOUT`), its chunks passed on as they come, at most
    COPY_QUEUE of them waiting for the client;
    otherwise one transaction holds a server-side cursor and Python writes `batch_rows` rows
    at a time. Either way memory stays flat whatever the number of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    yield buffer.getvalue().encode()
    if rendered_by_sql(columns):
        async for chunk in _copy(db, claims, stmt):
            yield chunk
        return
    async with db.session(claims) as session:
        connection = await session.connection()
        # Core rows (tuples), not ORM objects: the cursor's columns are known by position.
        result = await connection.stream(stmt.execution_options(yield_per=batch_rows))
        keys = list(result.keys())
        plan = [
            (c.cell, keys.index(c.name) if c.compute is None else None, c.compute) for c in columns
        ]
        computed = any(compute is not None for _, _, compute in plan)
        positions = [(cell, i) for cell, i, _ in plan]
        async for partition in result.partitions(batch_rows):
            buffer.seek(0)
            buffer.truncate()
            if not computed:
                writer.writerows([cell(row[i]) for cell, i in positions] for row in partition)
            else:
                for row in partition:
                    named = row._mapping
                    writer.writerow(
                        [
                            cell(compute(named) if compute is not None else row[i])
                            for cell, i, compute in plan
                        ]
                    )
            yield buffer.getvalue().encode()
