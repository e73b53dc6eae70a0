"""Keyset (cursor) pagination for Relay connections, at the root and nested.

A cursor encodes the ordering's name and the row's sort key (the ordering's columns, the
last of which is unique), so a page starts exactly after the last row seen, whatever was
inserted or deleted meanwhile: no offsets. `first`/`last` are capped at MAX_PAGE_SIZE.

Nested connections (a company's shops, a terminal's transactions) are loaded for all parents
of a page at once with a window function, so a list of N parents with their children costs
one statement, not N.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Awaitable, Callable, Hashable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased
from strawberry.dataloader import DataLoader

from db.shortcuts import raw_rows
from resolvers.errors import BadUserInput, Text

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

M = TypeVar("M")
SessionScope = Callable[[], AbstractAsyncContextManager[AsyncSession]]


@dataclass(frozen=True)
class Ordering:
    """A way to sort a list: columns (the last one unique), all in one direction."""

    name: str
    columns: tuple[InstrumentedAttribute[Any], ...]
    descending: bool = False

    def order_by(self, reverse: bool = False) -> list[Any]:
        descending = self.descending != reverse
        return [c.desc() if descending else c.asc() for c in self.columns]

    def key_of(self, row: Any) -> list[Any]:
        return [getattr(row, c.key) for c in self.columns]


@dataclass(frozen=True)
class PageArgs:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def validated(self) -> PageArgs:
        for name, value in (("first", self.first), ("last", self.last)):
            if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
                raise BadUserInput(
                    Text("page_size", name=name, minimum=0, maximum=MAX_PAGE_SIZE, value=value),
                    argument=name,
                    maximum=MAX_PAGE_SIZE,
                )
        if self.first is not None and self.last is not None:
            raise BadUserInput(Text("first_or_last"), argument="last")
        return self

    @property
    def backward(self) -> bool:
        return self.last is not None

    @property
    def size(self) -> int:
        if self.last is not None:
            return self.last
        return self.first if self.first is not None else DEFAULT_PAGE_SIZE


class Page(Generic[M]):
    """A page of rows. Its cursors are encoded when first read (`cursor(i)`, `cursors`):
    a page whose edges do not select `cursor` encodes none of its 100."""

    __slots__ = ("_cursors", "count", "has_next", "has_previous", "ordering", "rows")

    def __init__(
        self,
        rows: list[M],
        cursors: list[str] | None = None,
        has_next: bool = False,
        has_previous: bool = False,
        count: Callable[[], Awaitable[int]] | None = None,
        ordering: Ordering | None = None,
    ) -> None:
        if cursors is None and ordering is None:
            raise ValueError("a page needs its cursors or its ordering")
        if count is None:
            raise ValueError("a page needs its count")
        self.rows = rows
        self._cursors = cursors
        self.has_next = has_next
        self.has_previous = has_previous
        self.count = count
        self.ordering = ordering

    def cursor(self, index: int) -> str:
        """The cursor of `rows[index]`."""
        if self._cursors is not None:
            return self._cursors[index]
        ordering: Ordering = self.ordering  # type: ignore[assignment]
        return encode_cursor(ordering, ordering.key_of(self.rows[index]))

    @property
    def cursors(self) -> list[str]:
        if self._cursors is None:
            ordering: Ordering = self.ordering  # type: ignore[assignment]
            self._cursors = [encode_cursor(ordering, ordering.key_of(r)) for r in self.rows]
        return self._cursors

    def __repr__(self) -> str:
        return (
            f"Page(rows={self.rows!r}, has_next={self.has_next}, has_previous={self.has_previous})"
        )


# --------------------------------------------------------------------------- cursors


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | uuid.UUID):
        return str(value) if isinstance(value, uuid.UUID) else value.isoformat()
    return value


def _decode_value(column: InstrumentedAttribute[Any], value: Any) -> Any:
    python_type = column.type.python_type
    if value is None:
        return None
    if python_type is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if python_type is dt.date:
        return dt.date.fromisoformat(value)
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if python_type is int:
        return int(value)
    if isinstance(value, str) and issubclass(python_type, str):
        return python_type(value) if python_type is not str else value
    return value


#: json's own string encoder (C): the quoted, ASCII-escaped form `json.dumps` writes.
_json_string: Callable[[str], str] = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]


def _json_key(key: Sequence[Any]) -> str | None:
    """`json.dumps` of a cursor's values, written directly for the usual ones (a page encodes
    a cursor per row): ISO datetimes, UUIDs, strings, ints, nulls. None: anything else."""
    parts = []
    for value in key:
        kind = type(value)
        if kind is dt.datetime:
            parts.append(_json_string(value.isoformat()))
        elif kind is str:
            parts.append(_json_string(value))
        elif kind is int:
            parts.append(int.__repr__(value))
        elif value is None:
            parts.append("null")
        elif isinstance(value, uuid.UUID):  # asyncpg's UUID is a subclass
            parts.append('"' + str(value) + '"')
        else:
            return None
    return ",".join(parts)


def encode_cursor(ordering: Ordering, key: Sequence[Any]) -> str:
    values = _json_key(key)
    if values is None:
        raw = json.dumps([ordering.name, [_encode_value(v) for v in key]], separators=(",", ":"))
    else:
        raw = "[" + _json_string(ordering.name) + ",[" + values + "]]"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(ordering: Ordering, cursor: str, argument: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if name != ordering.name or len(values) != len(ordering.columns):
            raise ValueError("cursor of another ordering")
        return [_decode_value(c, v) for c, v in zip(ordering.columns, values, strict=True)]
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadUserInput(Text("cursor_of_list", argument=argument), argument=argument) from exc


def _beyond(ordering: Ordering, key: list[Any], *, after: bool) -> Any:
    """Rows strictly after (or before) the key, in the ordering's direction."""
    columns = tuple_(*ordering.columns)
    values = tuple_(*key)
    forward = after != ordering.descending
    return columns > values if forward else columns < values


def _windowed(stmt: Select[Any], ordering: Ordering, args: PageArgs) -> Select[Any]:
    if args.after is not None:
        stmt = stmt.where(
            _beyond(ordering, decode_cursor(ordering, args.after, "after"), after=True)
        )
    if args.before is not None:
        stmt = stmt.where(
            _beyond(ordering, decode_cursor(ordering, args.before, "before"), after=False)
        )
    return stmt


def _page(rows: list[M], ordering: Ordering, args: PageArgs, count: Any) -> Page[M]:
    size = args.size
    more = len(rows) > size
    rows = rows[:size]
    if args.backward:
        rows.reverse()
        has_previous, has_next = more, args.before is not None
    else:
        has_next, has_previous = more, args.after is not None
    return Page(
        rows=rows, has_next=has_next, has_previous=has_previous, count=count, ordering=ordering
    )


# --------------------------------------------------------------------------- root lists


async def paginate(
    scope: SessionScope,
    stmt: Select[Any],
    ordering: Ordering,
    args: PageArgs,
    records: Callable[[tuple[str, ...], list[Any]], list[Any]] | None = None,
    around: Callable[[Select[Any], list[tuple[str, bool]]], Select[Any]] | None = None,
) -> Page[Any]:
    """One page of `stmt`, already filtered: a select of one ORM entity, or, with `records`
    (which makes the rows' objects from the result's keys and the driver's raw rows: no
    SQLAlchemy result processing, so `records` converts enum columns itself), a Core select
    of columns, run on the session's connection without the ORM's loading (a page reads, it
    writes nothing). `around` (with `records`): the statement to run around the limited
    page (given it and its order, as column keys and whether descending), e.g. to join what
    the page's rows refer to after the limit; it must keep the page's rows in that order."""
    args = args.validated()
    query = _windowed(stmt, ordering, args).order_by(*ordering.order_by(reverse=args.backward))
    async with scope() as session:
        if records is None:
            rows = list((await session.execute(query.limit(args.size + 1))).scalars())
        else:
            connection = await session.connection()
            limited = query.limit(args.size + 1)
            if around is not None:
                descending = ordering.descending != args.backward
                limited = around(limited, [(c.key, descending) for c in ordering.columns])
            result = await connection.execute(limited)
            keys = tuple(result.keys())
            # The driver's rows as they came (db/shortcuts.py, `raw_rows`): `records`
            # converts what SQLAlchemy's processors would have (`Record.many`).
            rows = records(keys, raw_rows(result))

    async def count() -> int:
        query = select(func.count()).select_from(stmt.order_by(None).subquery())
        async with scope() as session:
            return int((await session.execute(query)).scalar_one())

    return _page(rows, ordering, args, count)


# --------------------------------------------------------------------------- nested lists


@dataclass(frozen=True)
class ChildList:
    """How to list a parent's children: the child model, its parent column, an ordering."""

    model: type[Any]
    parent_column: InstrumentedAttribute[Any]
    ordering: Ordering
    where: tuple[Any, ...] = ()


class ChildPageLoader(DataLoader[tuple[Hashable, PageArgs], Page[Any]]):
    """Pages of children for many parents in one statement (ROW_NUMBER per parent)."""

    def __init__(self, scope: SessionScope, spec: ChildList) -> None:
        super().__init__(load_fn=self._load, cache_key_fn=lambda key: key)
        self.scope = scope
        self.spec = spec
        self.counts = ChildCountLoader(scope, spec)

    async def _load(self, keys: Sequence[tuple[Hashable, PageArgs]]) -> list[Page[Any]]:
        by_args: dict[PageArgs, list[Hashable]] = {}
        for parent, args in keys:
            by_args.setdefault(args.validated(), []).append(parent)
        found: dict[tuple[Hashable, PageArgs], list[Any]] = {}
        for args, parents in by_args.items():
            spec = self.spec
            base = select(spec.model).where(spec.parent_column.in_(parents), *spec.where)
            base = _windowed(base, spec.ordering, args)
            rank = (
                func.row_number()
                .over(
                    partition_by=spec.parent_column,
                    order_by=spec.ordering.order_by(reverse=args.backward),
                )
                .label("rank")
            )
            inner = base.add_columns(rank).subquery()
            entity = aliased(spec.model, inner)
            query = (
                select(entity)
                .where(inner.c.rank <= args.size + 1)
                .order_by(inner.c[spec.parent_column.key], inner.c.rank)
            )
            async with self.scope() as session:
                rows = list((await session.execute(query)).scalars())
            for parent in parents:
                found[(parent, args)] = []
            for row in rows:
                found[(getattr(row, spec.parent_column.key), args)].append(row)
        pages = []
        for parent, args in keys:
            args = args.validated()

            async def count(parent: Hashable = parent) -> int:
                return await self.counts.load(parent)

            pages.append(_page(found[(parent, args)], self.spec.ordering, args, count))
        return pages


class ChildCountLoader(DataLoader[Hashable, int]):
    """Number of children per parent, for many parents in one grouped statement."""

    def __init__(self, scope: SessionScope, spec: ChildList) -> None:
        super().__init__(load_fn=self._load)
        self.scope = scope
        self.spec = spec

    async def _load(self, parents: Sequence[Hashable]) -> list[int]:
        column = self.spec.parent_column
        query = (
            select(column, func.count())
            .where(column.in_(parents), *self.spec.where)
            .group_by(column)
        )
        async with self.scope() as session:
            counts = {row[0]: row[1] for row in await session.execute(query)}
        return [int(counts.get(p, 0)) for p in parents]
