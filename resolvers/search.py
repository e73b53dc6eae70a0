"""Search across the tenant's companies, shops, contracts, terminals, requests, transactions.

One statement: a UNION ALL of one ranked, limited sub-select per kind, returning
(kind, id, score, label); the rows themselves are then loaded through the per-request loaders
(one statement per kind found), so a search costs at most seven statements, whatever it finds.

Ranking (`score`, from 0 to 1, higher first):
- 1.0: an exact identifier (SIREN, SIRET, contract number, TID, serial number, request
  reference, transaction external id or authorization code). Spaces are ignored; letters are
  compared in upper case, except the external id (an opaque key, compared as typed) and the
  serial number (compared as typed, in upper and in lower case);
- 0.8 to 0.9: an identifier, or a company or shop name, starting with the text (the more of
  the value the text covers, the higher);
- below 0.7: a company (legal or trade) or shop name containing or resembling the text
  (pg_trgm word similarity, times 0.7).
Ties: by kind (company, shop, contract, terminal, request, transaction), then label.

Indexes and row-level security: under RLS, PostgreSQL turns a condition into an index bound
only when its operator is leakproof. `=` and `^@` (starts_with) are, so identifier look-ups use
btree indexes led by tenant_id (the unique constraints, and migration 0002's text_pattern_ops
and C-collation indexes for prefixes). LIKE/ILIKE and pg_trgm's operators are not: names are
matched row by row over the tenant's companies and shops (the GIN trigram indexes cannot be
used by the application role), so a text that can only be a SIREN or SIRET skips names.
Transactions are matched on identifiers only, and their external-id prefix matches are read in
index order, so a prefix shared by millions of rows still stops after `first` rows.

What callers say (migration 0009):
- a company's contact: name (like the company's names), e-mail (exact, 1.0, when the text has
  an "@"; containing it otherwise, as a name) and phone. A phone number in any common French
  writing (0590 12 34 56, +590 590 12 34 56, 0033..., dots, dashes) is normalised to E.164 as
  stored (`resolvers.validation.e164_phone`, the same rule as at write time) and matched
  exactly, by the (tenant_id, contact_phone) index;
- "the card ending 1234" (`search_card`): the last four digits of the masked PAN within a date
  range of at most 31 days, optionally narrowed by amount and shop, newest first, through the
  (tenant_id, pan_last4, occurred_at) index.
Each match needs the field it reads to be readable by the caller, as every other match.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, String, case, func, literal, or_, select, union_all

from db import models as m
from resolvers.errors import BadUserInput, Text
from resolvers.pagination import SessionScope
from resolvers.validation import e164_phone

MIN_LENGTH = 2
MAX_LENGTH = 100
MAX_RESULTS = 50
DEFAULT_RESULTS = 20
#: External-id prefixes shorter than this are not searched (too unselective to be useful).
MIN_EXTERNAL_ID_PREFIX = 4
#: Digits-only texts this long are SIRENs or SIRETs (or their starts), never names.
IDENTIFIER_DIGITS = 9

EXACT = 1.0
PREFIX_BASE, PREFIX_SPAN = 0.8, 0.1
NAME_WEIGHT = 0.7


class SearchKind(enum.StrEnum):
    COMPANY = "Company"
    SHOP = "Shop"
    CONTRACT = "Contract"
    TERMINAL = "Terminal"
    REQUEST = "Request"
    TRANSACTION = "Transaction"


KIND_ORDER = {kind: i for i, kind in enumerate(SearchKind)}


@dataclass(frozen=True)
class SearchText:
    """The text as typed, and the forms identifiers and names are compared with."""

    text: str  # trimmed, inner whitespace collapsed: compared with names
    ident: str  # without any whitespace: compared with identifiers as typed (external id)
    upper: str  # ident in upper case: compared with the other identifiers

    @property
    def digits(self) -> str | None:
        return self.ident if self.ident.isdigit() else None

    @property
    def may_be_a_name(self) -> bool:
        return not (self.digits and len(self.digits) >= IDENTIFIER_DIGITS)


@dataclass(frozen=True)
class SearchHit:
    kind: SearchKind
    id: uuid.UUID
    score: float
    label: str


def parse_text(text: str) -> SearchText:
    cleaned = " ".join(text.split())
    if len(cleaned) < MIN_LENGTH:
        raise BadUserInput(
            Text("search_too_short", minimum=MIN_LENGTH),
            argument="text",
            minimum=MIN_LENGTH,
        )
    if len(cleaned) > MAX_LENGTH:
        raise BadUserInput(
            Text("search_too_long", maximum=MAX_LENGTH),
            argument="text",
            maximum=MAX_LENGTH,
        )
    ident = re.sub(r"\s+", "", cleaned)
    return SearchText(text=cleaned, ident=ident, upper=ident.upper())


def check_first(first: int | None) -> int:
    size = DEFAULT_RESULTS if first is None else first
    if not 1 <= size <= MAX_RESULTS:
        raise BadUserInput(
            Text("page_size", name="first", minimum=1, maximum=MAX_RESULTS, value=size),
            argument="first",
            maximum=MAX_RESULTS,
        )
    return size


def _like(value: str) -> str:
    """`value` with LIKE's wildcards escaped (escape character `\\`)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _starts_with(column: Any, value: str) -> Any:
    """`column ^@ value`: unlike LIKE, `^@` is leakproof, so under row-level security the
    planner may still turn it into a range on a text_pattern_ops or C-collation index."""
    return column.op("^@")(literal(value, String()))


def _score(value: float) -> Any:
    return literal(value, Float())


def _prefix_score(typed: str, column: Any) -> Any:
    """0.8 to 0.9: how much of the value the typed prefix covers."""
    ratio = _score(len(typed)) / func.greatest(func.char_length(column), 1, type_=Float())
    return _score(PREFIX_BASE) + _score(PREFIX_SPAN) * func.least(ratio, _score(1.0))


#: Every field a search matches on ("Type.field", as the API names it). The caller passes
#: those it may read (`tenancy.policy.search_fields`): a match on any other would confirm a
#: value the caller may not see, so it is never tried.
SEARCH_FIELDS: frozenset[str] = frozenset(
    {
        "Company.siren",
        "Company.legalName",
        "Company.tradeName",
        "Company.contactName",
        "Company.contactEmail",
        "Company.contactPhone",
        "Shop.siret",
        "Shop.name",
        "Contract.number",
        "Terminal.tid",
        "Terminal.serialNumber",
        "Request.reference",
        "Transaction.externalId",
        "Transaction.authorizationCode",
        "Transaction.maskedPan",
    }
)

#: A card search covers at most this many days.
CARD_MAX_RANGE = dt.timedelta(days=31)
LAST_FOUR = re.compile(r"^[0-9]{4}$")


class _Branch:
    """The matches of one kind: (condition, score) pairs; a row scores its best match.

    Each match names the field it reads; a field the caller may not read is not matched.
    """

    def __init__(self, readable: frozenset[str]) -> None:
        self.readable = readable
        self.matches: list[tuple[Any, Any]] = []
        self.filters: list[Any] = []

    def may(self, *fields: str) -> bool:
        unknown = set(fields) - SEARCH_FIELDS
        if unknown:
            raise KeyError(f"{sorted(unknown)}: add them to SEARCH_FIELDS")
        return all(f in self.readable for f in fields)

    def add(self, condition: Any, score: Any, *, filters: bool = True) -> None:
        self.matches.append((condition, score))
        if filters:
            self.filters.append(condition)

    def exact(self, field: str, column: Any, *values: str) -> None:
        if self.may(field):
            self.add(column.in_(sorted(set(values))), _score(EXACT))

    def starts(self, field: str, column: Any, *values: str) -> None:
        if not self.may(field):
            return
        for value in sorted(set(values)):
            self.add(_starts_with(column, value), _prefix_score(value, column))

    def names(self, t: SearchText, fields: tuple[str, ...], *columns: Any) -> None:
        """Names starting with, containing, or resembling the text (case-insensitive).

        ILIKE and pg_trgm's operators are not leakproof: under row-level security they are
        evaluated row by row on the tenant's rows, not through the trigram indexes. The names
        are therefore joined into one string, so each row costs one trigram comparison.
        """
        if not self.may(*fields):
            return
        for column in columns:
            # Implied by `contains` below: scores, but need not filter twice.
            starts = column.ilike(_like(t.text) + "%", escape="\\")
            self.add(starts, _prefix_score(t.text, column), filters=False)
        joined = func.concat_ws(" ", *columns) if len(columns) > 1 else columns[0]
        contains = joined.ilike("%" + _like(t.text) + "%", escape="\\")
        resembles = literal(t.text, String()).op("<%")(joined)
        self.add(
            or_(contains, resembles), _score(NAME_WEIGHT) * func.word_similarity(t.text, joined)
        )

    def select(self, kind: SearchKind, model: Any, label: Any, limit: int) -> Any:
        if not self.matches:
            return None
        scores = [case((condition, score), else_=_score(0.0)) for condition, score in self.matches]
        score = (func.greatest(*scores) if len(scores) > 1 else scores[0]).label("score")
        return (
            select(
                literal(kind.value, String()).label("kind"),
                model.id.label("id"),
                score,
                label.label("label"),
            )
            .where(or_(*self.filters))
            .order_by(score.desc(), label, model.id)
            .limit(limit)
        )


def _companies(t: SearchText, limit: int, readable: frozenset[str]) -> Any:
    c, b = m.Company, _Branch(readable)
    if t.digits:
        if len(t.digits) == 9:
            b.exact("Company.siren", c.siren, t.digits)
        elif len(t.digits) < 9:
            b.starts("Company.siren", c.siren, t.digits)
    if t.may_be_a_name:
        b.names(t, ("Company.legalName", "Company.tradeName"), c.legal_name, c.trade_name)
        b.names(t, ("Company.contactName",), c.contact_name)
    if "@" in t.ident and b.may("Company.contactEmail"):
        # lower() is not leakproof: matched row by row over the tenant's companies, as names.
        b.add(func.lower(c.contact_email) == t.ident.lower(), _score(EXACT))
    phone = e164_phone(t.text)
    if phone is not None:
        b.exact("Company.contactPhone", c.contact_phone, phone)
    return b.select(SearchKind.COMPANY, c, c.legal_name, limit)


def _shops(t: SearchText, limit: int, readable: frozenset[str]) -> Any:
    s, b = m.Shop, _Branch(readable)
    if t.digits:
        if len(t.digits) == 14:
            b.exact("Shop.siret", s.siret, t.digits)
        elif len(t.digits) < 14:
            b.starts("Shop.siret", s.siret, t.digits)
    if t.may_be_a_name:
        b.names(t, ("Shop.name",), s.name)
    return b.select(SearchKind.SHOP, s, s.name, limit)


def _contracts(t: SearchText, limit: int, readable: frozenset[str]) -> Any:
    c, b = m.Contract, _Branch(readable)
    b.exact("Contract.number", c.number, t.upper)
    b.starts("Contract.number", c.number, t.upper)
    return b.select(SearchKind.CONTRACT, c, c.number, limit)


def _terminals(t: SearchText, limit: int, readable: frozenset[str]) -> Any:
    term, b = m.Terminal, _Branch(readable)
    b.exact("Terminal.tid", term.tid, t.upper)
    b.starts("Terminal.tid", term.tid, t.upper)
    # upper() is not leakproof either: try the serial number as typed, in upper and lower case.
    serials = (t.ident, t.upper, t.ident.lower())
    b.exact("Terminal.serialNumber", term.serial_number, *serials)
    b.starts("Terminal.serialNumber", term.serial_number, *serials)
    return b.select(SearchKind.TERMINAL, term, term.tid, limit)


def _requests(t: SearchText, limit: int, readable: frozenset[str]) -> Any:
    r, b = m.Request, _Branch(readable)
    b.exact("Request.reference", r.reference, t.upper)
    b.starts("Request.reference", r.reference, t.upper)
    return b.select(SearchKind.REQUEST, r, r.reference, limit)


def _transactions(t: SearchText, limit: int, readable: frozenset[str]) -> list[Any]:
    """Exact matches, then external-id prefix matches read in index order (C collation)."""
    tx = m.Transaction
    exact = _Branch(readable)
    exact.exact("Transaction.externalId", tx.external_id, t.ident)
    if len(t.ident) <= 6:
        exact.exact("Transaction.authorizationCode", tx.authorization_code, t.ident, t.upper)
    selects = [exact.select(SearchKind.TRANSACTION, tx, tx.external_id, limit)]
    if len(t.ident) >= MIN_EXTERNAL_ID_PREFIX and exact.may("Transaction.externalId"):
        ordered = tx.external_id.collate("C")
        selects.append(
            select(
                literal(SearchKind.TRANSACTION.value, String()).label("kind"),
                tx.id.label("id"),
                _prefix_score(t.ident, tx.external_id).label("score"),
                tx.external_id.label("label"),
            )
            .where(_starts_with(ordered, t.ident), tx.external_id != t.ident)
            .order_by(ordered, tx.id)
            .limit(limit)
        )
    return selects


def search_statement(t: SearchText, limit: int, *, readable: frozenset[str]) -> Any:
    branches = [
        _companies(t, limit, readable),
        _shops(t, limit, readable),
        _contracts(t, limit, readable),
        _terminals(t, limit, readable),
        _requests(t, limit, readable),
        *_transactions(t, limit, readable),
    ]
    parts = [b.subquery().select() for b in branches if b is not None]
    if not parts:
        return None
    found = union_all(*parts).subquery("found")
    # A row matched twice (e.g. by authorization code and external-id prefix) counts once.
    hits = (
        select(
            found.c.kind,
            found.c.id,
            func.max(found.c.score).label("score"),
            func.min(found.c.label).label("label"),
        )
        .group_by(found.c.kind, found.c.id)
        .subquery("hits")
    )
    kind_rank = case(
        {kind.value: rank for kind, rank in KIND_ORDER.items()}, value=hits.c.kind, else_=99
    )
    return (
        select(hits.c.kind, hits.c.id, hits.c.score, hits.c.label)
        .order_by(hits.c.score.desc(), kind_rank, hits.c.label, hits.c.id)
        .limit(limit)
    )


async def search(
    scope: SessionScope, text: str, first: int | None, *, readable: frozenset[str]
) -> list[SearchHit]:
    """The best `first` matches of `text` in the caller's tenant, best first.

    `readable`: the fields of SEARCH_FIELDS the caller may read; the others are not searched
    (a match would reveal them).
    """
    limit = check_first(first)
    parsed = parse_text(text)
    statement = search_statement(parsed, limit, readable=readable)
    if statement is None:
        return []
    async with scope() as session:
        rows: Sequence[Any] = (await session.execute(statement)).all()
    return [
        SearchHit(kind=SearchKind(r.kind), id=r.id, score=float(r.score), label=r.label)
        for r in rows
    ]


@dataclass(frozen=True)
class CardSearch:
    """ "The card ending 1234": the last four digits and a date range, maybe an amount, a shop."""

    last_four: str
    occurred_from: dt.datetime | None
    occurred_to: dt.datetime | None
    amount: int | None = None
    shop: uuid.UUID | None = None

    def check(self) -> CardSearch:
        if not LAST_FOUR.match(self.last_four or ""):
            raise BadUserInput(Text("card_last_four"), argument="card.lastFour")
        if self.occurred_from is None or self.occurred_to is None:
            raise BadUserInput(
                Text("card_range", days=CARD_MAX_RANGE.days),
                argument="card",
                maximumDays=CARD_MAX_RANGE.days,
            )
        start, end = _aware(self.occurred_from), _aware(self.occurred_to)
        if start >= end or end - start > CARD_MAX_RANGE:
            raise BadUserInput(
                Text("card_range", days=CARD_MAX_RANGE.days),
                argument="card",
                maximumDays=CARD_MAX_RANGE.days,
            )
        if self.amount is not None and self.amount < 0:
            raise BadUserInput(Text("card_amount"), argument="card.amount")
        return CardSearch(self.last_four, start, end, self.amount, self.shop)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def card_statement(card: CardSearch, limit: int) -> Any:
    """Transactions of the card ending `last_four` in the range, newest first (index order)."""
    tx = m.Transaction
    conditions = [
        tx.pan_last4 == card.last_four,
        tx.occurred_at >= card.occurred_from,
        tx.occurred_at < card.occurred_to,
    ]
    if card.amount is not None:
        conditions.append(tx.amount == card.amount)
    if card.shop is not None:
        conditions.append(tx.shop_id == card.shop)
    return (
        select(tx.id, tx.external_id)
        .where(*conditions)
        .order_by(tx.occurred_at.desc(), tx.id.desc())
        .limit(limit)
    )


async def search_card(
    scope: SessionScope, card: CardSearch, first: int | None, *, readable: frozenset[str]
) -> list[SearchHit]:
    """Transactions by the card's last four digits within a date range (at most 31 days).

    A caller who may not read `Transaction.maskedPan` finds nothing: a match would confirm
    digits it may not see."""
    limit = check_first(first)
    card = card.check()
    if "Transaction.maskedPan" not in readable:
        return []
    async with scope() as session:
        rows: Sequence[Any] = (await session.execute(card_statement(card, limit))).all()
    return [
        SearchHit(kind=SearchKind.TRANSACTION, id=r.id, score=EXACT, label=r.external_id)
        for r in rows
    ]
