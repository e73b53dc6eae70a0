"""Transactions: the supervision list with its filters."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Enum, Select, literal_column, select, text
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from db import models as m
from db.enums import CardScheme, EntryMode, TransactionStatus, TransactionType
from resolvers.errors import BadUserInput, Text
from resolvers.listing import choose, orderings
from resolvers.pagination import ChildList, Page, PageArgs, SessionScope, paginate


@dataclass(frozen=True)
class TransactionFilter:
    company: uuid.UUID | None = None
    shop: uuid.UUID | None = None
    terminal: uuid.UUID | None = None
    contract: uuid.UUID | None = None
    service: uuid.UUID | None = None
    status: list[TransactionStatus] | None = None
    type: list[TransactionType] | None = None
    scheme: list[CardScheme] | None = None
    entry_mode: list[EntryMode] | None = None
    response_code: list[str] | None = None
    occurred_from: dt.datetime | None = None
    occurred_to: dt.datetime | None = None
    amount_min: int | None = None
    amount_max: int | None = None
    currency: str | None = None

    def check(self) -> TransactionFilter:
        if self.occurred_from and self.occurred_to and self.occurred_from > self.occurred_to:
            raise BadUserInput(Text("time_range_order"), argument="filter")
        if (
            self.amount_min is not None
            and self.amount_max is not None
            and self.amount_min > self.amount_max
        ):
            raise BadUserInput(Text("amount_range_order"), argument="filter")
        return self


TRANSACTION_ORDERINGS = orderings(
    {
        "OCCURRED_AT": (m.Transaction.occurred_at, m.Transaction.id),
        "AMOUNT": (m.Transaction.amount, m.Transaction.id),
    },
    "transactions",
)
NEWEST_FIRST = TRANSACTION_ORDERINGS[("OCCURRED_AT", True)]

TERMINAL_TRANSACTIONS = ChildList(m.Transaction, m.Transaction.terminal_id, NEWEST_FIRST)
SHOP_TRANSACTIONS = ChildList(m.Transaction, m.Transaction.shop_id, NEWEST_FIRST)
SERVICE_TRANSACTIONS = ChildList(m.Transaction, m.Transaction.service_id, NEWEST_FIRST)


def transaction_conditions(f: TransactionFilter) -> list[object]:
    t = m.Transaction
    conditions: list[object] = []
    for column, value in (
        (t.company_id, f.company),
        (t.shop_id, f.shop),
        (t.terminal_id, f.terminal),
        (t.contract_id, f.contract),
        (t.service_id, f.service),
    ):
        if value is not None:
            conditions.append(column == value)
    for column, values in (
        (t.status, f.status),
        (t.type, f.type),
        (t.scheme, f.scheme),
        (t.entry_mode, f.entry_mode),
        (t.response_code, f.response_code),
    ):
        if values:
            conditions.append(column.in_(values))
    if f.occurred_from is not None:
        conditions.append(t.occurred_at >= f.occurred_from)
    if f.occurred_to is not None:
        conditions.append(t.occurred_at < f.occurred_to)
    if f.amount_min is not None:
        conditions.append(t.amount >= f.amount_min)
    if f.amount_max is not None:
        conditions.append(t.amount <= f.amount_max)
    if f.currency:
        conditions.append(t.currency == f.currency.upper())
    return conditions


def transaction_query(f: TransactionFilter) -> Select[tuple[m.Transaction]]:
    return select(m.Transaction).where(*transaction_conditions(f.check()))


class TransactionRecord:
    """A transaction read for a list: its columns as attributes, from a Core row.

    The supervision list reads up to 100 transactions per page and writes none: Core rows
    skip the ORM's hydration (instance state, identity map, instrumented attributes), which
    was about a fifth of the page's cost. Same attribute names and values as
    `models.Transaction` (the subclasses below: as their models).
    """

    @classmethod
    def of(cls, columns: dict[str, Any]) -> Any:
        record = cls.__new__(cls)
        record.__dict__ = columns
        return record

    @classmethod
    def many(cls, keys: tuple[str, ...], rows: list[Any]) -> list[Any]:
        """Records of the driver's raw rows (`paginate`): enum columns made members here."""
        readers = _readers(cls, keys)
        of = cls.of
        found = []
        if rows and len(rows[0]) != len(keys):
            raise ValueError(f"rows of {len(rows[0])} columns for {len(keys)} names")
        for row in rows:
            columns = dict(zip(keys, row))  # noqa: B905 (lengths checked above)
            for name, members, process in readers:
                value = columns[name]
                member = members.get(value, _MISSING)
                columns[name] = process(value) if member is _MISSING else member
            found.append(of(columns))
        return found


class TerminalRecord(TransactionRecord):
    """A terminal read with a transactions page (same attributes as `models.Terminal`)."""


class ShopRecord(TransactionRecord):
    """A shop read with a transactions page (same attributes as `models.Shop`)."""


class CompanyRecord(TransactionRecord):
    """A company read with a transactions page (same attributes as `models.Company`)."""


@dataclass
class Places:
    """The terminals, shops and companies of a page's transactions, read with the page."""

    terminals: list[Any] = field(default_factory=list)
    shops: list[Any] = field(default_factory=list)
    companies: list[Any] = field(default_factory=list)


_COLUMNS = tuple(m.Transaction.__table__.columns)
_PLACES: tuple[tuple[type[m.Base], type[TransactionRecord], str], ...] = (
    (m.Terminal, TerminalRecord, "terminals"),
    (m.Shop, ShopRecord, "shops"),
    (m.Company, CompanyRecord, "companies"),
)


#: Each place's columns, labelled `<table>.<column>` (unique), each only on the first row of
#: the page that refers to that place (NULL on the others). Constant SQL: as text, the
#: statement's cache key stays as small as the page's own (about 60 window expressions
#: made SQLAlchemy's per-request cache key and construction cost more than they saved).
_FIRST_PLACES_SQL = ", ".join(
    f"CASE WHEN row_number() OVER (PARTITION BY {table}.id) = 1 THEN {table}.{column} END"
    f' AS "{table}.{column}"'
    for table, column in (
        (model.__tablename__, column.name)
        for model, _, _ in _PLACES
        for column in model.__table__.columns
    )
)
#: The joins to each transaction's terminal, its shop and the shop's company.
_PLACES_ON = (
    (
        m.Terminal.__table__,
        text("terminals.tenant_id = page.tenant_id AND terminals.id = page.terminal_id"),
    ),
    (
        m.Shop.__table__,
        text("shops.tenant_id = terminals.tenant_id AND shops.id = terminals.shop_id"),
    ),
    (
        m.Company.__table__,
        text("companies.tenant_id = shops.tenant_id AND companies.id = shops.company_id"),
    ),
)


def _around_page(page: Select[Any], order: list[tuple[str, bool]]) -> Select[Any]:
    """The limited page, joined to each transaction's terminal, its shop and the shop's
    company, in the page's order; each place's columns only on the first row that refers
    to it. A page of 100 refers to a few dozen places: decoding the same terminal, shop
    and company again on every row was most of the statement's decoding."""
    joined: Any = page.subquery("page")
    for table, on in _PLACES_ON:
        joined = joined.outerjoin(table, on)
    ordered = ", ".join(f"page.{key} {'DESC' if desc else 'ASC'}" for key, desc in order)
    return (
        select(literal_column("page.*"), literal_column(_FIRST_PLACES_SQL))
        .select_from(joined)
        .order_by(text(ordered))
    )


#: (slice of a joined row, the column names in it, record class, Places attribute).
_LAYOUT: list[tuple[slice, tuple[str, ...], type[TransactionRecord], str]] = []
_start = len(_COLUMNS)
for _model, _kind, _attr in _PLACES:
    _names = tuple(c.key for c in _model.__table__.columns)
    if _names[1] != "id":  # `_with_places` reads a place's id at index 1
        raise RuntimeError(f"{_model.__tablename__}: id is not the second column")
    _LAYOUT.append((slice(_start, _start + len(_names)), _names, _kind, _attr))
    _start += len(_names)
_OWN = slice(0, len(_COLUMNS))
_OWN_NAMES = tuple(c.key for c in _COLUMNS)


_DIALECT = asyncpg_dialect()
_MISSING = object()
#: Per column name: (its enum's {stored value: member}, SQLAlchemy's own processor).
_ENUMS: dict[tuple[type[m.Base], str], tuple[dict[Any, Any], Callable[[Any], Any]]] = {}


def _enum_reader(column: Any) -> tuple[dict[Any, Any], Callable[[Any], Any]] | None:
    """What SQLAlchemy's result processing does to a column's raw value, as a table.

    Only enums are processed under asyncpg (it decodes the rest itself): a table of every
    stored value (and None) gives the same members without a call per value; a value the
    table lacks goes through SQLAlchemy's processor, which raises its own LookupError.
    """
    process = column.type.dialect_impl(_DIALECT).result_processor(_DIALECT, None)
    if process is None:
        return None
    if not isinstance(column.type, Enum):
        raise RuntimeError(f"{column}: a result processor the page records do not apply")
    members = {value: process(value) for value in column.type.enums}
    members[None] = None
    return members, process


for _model in (m.Transaction, m.Terminal, m.Shop, m.Company):
    for _column in _model.__table__.columns:
        _reader = _enum_reader(_column)
        if _reader is not None:
            _ENUMS[(_model, _column.key)] = _reader
_RECORD_MODELS: dict[type[TransactionRecord], type[m.Base]] = {
    TransactionRecord: m.Transaction,
    **{kind: model for model, kind, _ in _PLACES},
}


@functools.cache
def _readers(
    kind: type[TransactionRecord], names: tuple[str, ...]
) -> list[tuple[str, dict[Any, Any], Callable[[Any], Any]]]:
    model = _RECORD_MODELS[kind]
    return [(name, *_ENUMS[(model, name)]) for name in names if (model, name) in _ENUMS]


def _with_places(places: Places) -> Callable[[tuple[str, ...], list[Any]], list[Any]]:
    def records(_keys: tuple[str, ...], rows: list[Any]) -> list[Any]:
        seen: set[Any] = set()
        found = TransactionRecord.many(_OWN_NAMES, [row[_OWN] for row in rows])
        for row in rows:
            for part, names, kind, attr in _LAYOUT:
                place_id = row[part.start + 1]  # the place's id: NULL but on its first row
                if place_id is not None and (kind, place_id) not in seen:
                    seen.add((kind, place_id))
                    getattr(places, attr).extend(kind.many(names, [row[part]]))
        return found

    return records


async def list_transactions(
    scope: SessionScope,
    f: TransactionFilter,
    order: tuple[str, bool],
    args: PageArgs,
    places: Places | None = None,
) -> Page[TransactionRecord]:
    """A page of transactions. With `places`, the page's statement also joins each one's
    terminal, that terminal's shop and the shop's company, and fills `places` with them
    (the caller primes its loaders): one statement instead of two for the supervision list."""
    conditions = transaction_conditions(f.check())
    ordering = choose(TRANSACTION_ORDERINGS, *order)
    query = select(*_COLUMNS).where(*conditions)
    if places is None:
        return await paginate(scope, query, ordering, args, TransactionRecord.many)
    return await paginate(scope, query, ordering, args, _with_places(places), around=_around_page)


def transaction_predicate(f: TransactionFilter) -> Callable[[m.Transaction], bool]:
    """The same filter as `transaction_conditions`, for rows already in memory (live feeds)."""
    f = f.check()
    ids = [
        ("company_id", f.company),
        ("shop_id", f.shop),
        ("terminal_id", f.terminal),
        ("contract_id", f.contract),
        ("service_id", f.service),
    ]
    ids = [(name, value) for name, value in ids if value is not None]
    sets = [
        ("status", set(f.status or ())),
        ("type", set(f.type or ())),
        ("scheme", set(f.scheme or ())),
        ("entry_mode", set(f.entry_mode or ())),
        ("response_code", set(f.response_code or ())),
    ]
    sets = [(name, values) for name, values in sets if values]
    currency = f.currency.upper() if f.currency else None

    def matches(row: m.Transaction) -> bool:
        if any(getattr(row, name) != value for name, value in ids):
            return False
        if any(getattr(row, name) not in values for name, values in sets):
            return False
        if f.occurred_from is not None and row.occurred_at < f.occurred_from:
            return False
        if f.occurred_to is not None and row.occurred_at >= f.occurred_to:
            return False
        if f.amount_min is not None and row.amount < f.amount_min:
            return False
        if f.amount_max is not None and row.amount > f.amount_max:
            return False
        return currency is None or row.currency == currency

    return matches
