"""CSV exports of what a list shows: the list's rows, filter and order, streamed.

An export is a SELECT of the columns the reader may see, read through a server-side cursor
(`AsyncSession.stream`, a few thousand rows at a time) and written as CSV chunks, so memory
stays flat whatever the number of rows. Row-level security scopes it to the tenant as every
read. Each column is a field of the list's GraphQL type, written as the API writes it
(global ids, enum names, ISO 8601 timestamps in UTC, JSON for journal values, empty for null);
which columns a reader gets, and masked how, is the schema's business (schema/exports.py):
this module only reads and writes.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from db.session import Database

#: Rows fetched from the cursor at a time, and written per chunk of the response.
BATCH_ROWS = 5000


def text_cell(value: Any) -> str:
    return "" if value is None else str(value)


def enum_cell(value: Any) -> str:
    """An enum as the API names it (the member's name; stored values are those names)."""
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

    return cell


@dataclass(frozen=True)
class Column:
    """One CSV column: the API field it shows, what it reads, and how a value is written.

    `expr`: a SQL expression read for this column (None for a column computed from others).
    `cell`: the cell's text from the row (`row[name]` unless `compute` is given).
    """

    name: str
    expr: Any = None
    cell: Callable[[Any], str] = text_cell
    compute: Callable[[Any], Any] | None = None


def statement(base: Select[Any], columns: Sequence[Column], extra: Sequence[Any]) -> Select[Any]:
    """The list's SELECT, reading only the exported columns (and `extra` labelled helpers)."""
    exprs = [c.expr.label(c.name) for c in columns if c.expr is not None]
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
    """The header row, then the rows in chunks of `batch_rows`, as UTF-8 CSV bytes.

    One read-only transaction holds a server-side cursor for the whole export."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    yield buffer.getvalue().encode()
    names = [c.name for c in columns]
    cells = [c.cell for c in columns]
    computes = [c.compute for c in columns]
    simple = all(f is None for f in computes)
    async with db.session(claims) as session:
        result = await session.stream(stmt.execution_options(yield_per=batch_rows))
        async for partition in result.mappings().partitions(batch_rows):
            buffer.seek(0)
            buffer.truncate()
            if simple:
                writer.writerows(
                    [cell(row[name]) for cell, name in zip(cells, names, strict=True)]
                    for row in partition
                )
            else:
                writer.writerows(
                    [
                        cell(compute(row) if compute is not None else row[name])
                        for cell, name, compute in zip(cells, names, computes, strict=True)
                    ]
                    for row in partition
                )
            yield buffer.getvalue().encode()
