"""Transactions: the supervision list with its filters."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, literal_column, select, text

from db import models as m
from db.enums import CardScheme, EntryMode, TransactionStatus, TransactionType
from db.shortcuts import Record
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


class TransactionRecord(Record):
    """A transaction read for a list: its columns as attributes, from a Core row (a `Record`,
    db/shortcuts.py). The supervision list reads up to 100 transactions per page and writes
    none: Core rows skip the ORM's hydration, which was about a fifth of the page's cost.
    Same attribute names and values as `models.Transaction` (the records below: as theirs)."""

    model = m.Transaction


class TerminalRecord(Record):
    """A terminal read with a transactions page (same attributes as `models.Terminal`)."""

    model = m.Terminal


class ShopRecord(Record):
    """A shop read with a transactions page (same attributes as `models.Shop`)."""

    model = m.Shop


class CompanyRecord(Record):
    """A company read with a transactions page (same attributes as `models.Company`)."""

    model = m.Company


@dataclass
class Places:
    """The terminals, shops and companies of a page's transactions, read with the page."""

    terminals: list[Any] = field(default_factory=list)
    shops: list[Any] = field(default_factory=list)
    companies: list[Any] = field(default_factory=list)


_COLUMNS = tuple(m.Transaction.__table__.columns)
_PLACES: tuple[tuple[type[m.Base], type[Record], str], ...] = (
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
_LAYOUT: list[tuple[slice, tuple[str, ...], type[Record], str]] = []
_start = len(_COLUMNS)
for _model, _kind, _attr in _PLACES:
    _names = tuple(c.key for c in _model.__table__.columns)
    if _names[1] != "id":  # `_with_places` reads a place's id at index 1
        raise RuntimeError(f"{_model.__tablename__}: id is not the second column")
    _LAYOUT.append((slice(_start, _start + len(_names)), _names, _kind, _attr))
    _start += len(_names)
_OWN = slice(0, len(_COLUMNS))
_OWN_NAMES = tuple(c.key for c in _COLUMNS)


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
