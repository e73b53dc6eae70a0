"""Transactions: the supervision list with its filters."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from db import models as m
from db.enums import CardScheme, EntryMode, TransactionStatus, TransactionType
from resolvers.errors import BadUserInput
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
            raise BadUserInput("`occurredFrom` is after `occurredTo`.", argument="filter")
        if (
            self.amount_min is not None
            and self.amount_max is not None
            and self.amount_min > self.amount_max
        ):
            raise BadUserInput("`amountMin` is above `amountMax`.", argument="filter")
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
    `models.Transaction`.
    """

    @classmethod
    def of(cls, columns: dict[str, Any]) -> TransactionRecord:
        record = cls.__new__(cls)
        record.__dict__ = columns
        return record


_COLUMNS = tuple(m.Transaction.__table__.columns)


async def list_transactions(
    scope: SessionScope, f: TransactionFilter, order: tuple[str, bool], args: PageArgs
) -> Page[TransactionRecord]:
    query = select(*_COLUMNS).where(*transaction_conditions(f.check()))
    ordering = choose(TRANSACTION_ORDERINGS, *order)
    return await paginate(scope, query, ordering, args, TransactionRecord.of)


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
