"""Ingestion from the acquiring platform (role SERVICE): transactions and terminal events.

- One statement per batch (a multi-row INSERT from arrays), not one per row; terminal events
  too (one INSERT, one UPDATE of the terminals named), however many rows and terminals.
- Idempotent by (tenant, externalId): the database decides (ON CONFLICT DO NOTHING), so
  concurrent duplicates still make one row; the same id with other content is refused. Rows
  go in in external-id order, so overlapping batches wait for each other, never deadlock.
  A repeat is answered with the stored row (`created: 0`) before anything is checked about
  where its terminal is now: a terminal moved, returned or restocked since does not make a
  re-sent transaction fail.
- Card data never gets in: a full PAN anywhere (ids, masked PAN, event code, message and
  payload, its keys included), CVV/track/PIN keys in a payload, or a masked PAN showing more
  than the first 6 and last 4 digits, refuses the batch. Nothing refused is echoed or logged.
- A transaction from a blocked service or terminal, a suspended or terminated contract, or a
  suspended or closed company, is recorded DECLINED with the blocked-merchant response code
  and no authorization code, whatever the input said.
- One NOTIFY per committed batch and topic tells every process's live feeds.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    CardScheme,
    CompanyStatus,
    ContractStatus,
    EntryMode,
    ServiceStatus,
    TerminalEventKind,
    TerminalStatus,
    TransactionStatus,
    TransactionType,
)
from db.identifiers import contains_pan
from db.ids import uuid7
from resolvers import commands
from resolvers.errors import UserErrorCode as C
from resolvers.lifecycles import SERVICE, TERMINAL, current_state
from resolvers.response_codes import BLOCKED_MERCHANT_CODE
from resolvers.usecase import Actor
from resolvers.validation import Validator
from subscriptions.publisher import announce
from subscriptions.topics import Topic

MAX_BATCH = 500
#: The shape the database accepts (transactions.masked_pan_format): at most the first 6 and
#: the last 4 digits, 2 to 9 masking characters in between.
MASKED_PAN = re.compile(r"^([0-9]{0,6})([*X]{2,9})([0-9]{0,4})$")
#: Digits and masking characters only, the digits anywhere: what a masked PAN may look like
#: before its shape is checked.
MASK_LIKE = re.compile(r"^[0-9*X]+$")
AUTH_CODE = re.compile(r"^[A-Z0-9]{6}$")
RESPONSE_CODE = re.compile(r"^[0-9A-Z]{2}$")
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")
#: Keys that betray sensitive authentication data in a free-form payload, compared
#: lower-cased without separators (`Card-Number` is `cardnumber`).
FORBIDDEN_KEYS = frozenset(
    {
        "cvv",
        "cvv2",
        "cvc",
        "cvc2",
        "cid",
        "csc",
        "cav2",
        "track",
        "track1",
        "track2",
        "trackdata",
        "pan",
        "cardnumber",
        "pin",
        "pinblock",
        "securitycode",
        "cardsecuritycode",
        "cardverificationcode",
        "cardverificationvalue",
    }
)
#: Fragments that betray card data wherever they appear in a key (`card_cvv`, `track2Data`);
#: short words such as `pin` or `cid` only count as whole keys (`pinPadConnected` and a
#: cell's `cid` are harmless).
FORBIDDEN_KEY_PARTS = (
    "cvv",
    "cvc",
    "track1",
    "track2",
    "trackdata",
    "pinblock",
    "cardnumber",
    "securitycode",
    "cardverification",
)
MAX_CLOCK_SKEW = dt.timedelta(minutes=5)
MAX_AGE = dt.timedelta(days=400)


@dataclass(frozen=True)
class TransactionData:
    external_id: str
    tid: str
    type: TransactionType
    amount: int
    currency: str
    scheme: CardScheme
    entry_mode: EntryMode
    status: TransactionStatus
    response_code: str
    occurred_at: dt.datetime
    masked_pan: str | None = None
    authorization_code: str | None = None
    original_external_id: str | None = None


@dataclass(frozen=True)
class TerminalEventData:
    tid: str
    kind: TerminalEventKind
    occurred_at: dt.datetime
    code: str | None = None
    message: str | None = None
    payload: dict[str, Any] | None = None
    #: The command this event answers (resolvers/commands.py), and why it failed if it did.
    command_id: uuid.UUID | None = None
    failure_reason: str | None = None


@dataclass
class Placement:
    """Where a terminal takes payments, and whether it may approve them now."""

    terminal: m.Terminal
    shop_id: uuid.UUID | None
    company_id: uuid.UUID | None
    contract_id: uuid.UUID | None
    service_id: uuid.UUID | None
    blocked: bool


@dataclass
class Recorded:
    transactions: list[m.Transaction] = field(default_factory=list)
    created: int = 0


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def card_number_in(text: str) -> bool:
    """A card number in `text`, under the one rule of `db.identifiers.find_pans` (any whole
    groups of a run of digit groups holding 13 to 19 digits that start like a card of that
    length and pass Luhn: "tx-4970…", "5-4970…", "A920 5351 1073 9224 3694" too)."""
    return contains_pan(text)


def _forbidden_key(key: str) -> bool:
    compact = re.sub(r"[^a-z0-9]", "", key.lower())
    return compact in FORBIDDEN_KEYS or any(part in compact for part in FORBIDDEN_KEY_PARTS)


#: How deep a terminal event's JSON payload may nest (deeper is refused, not walked).
MAX_PAYLOAD_DEPTH = 16


def _depth(value: Any, limit: int = MAX_PAYLOAD_DEPTH) -> int:
    """Nesting depth of a JSON-like value, counting no further than `limit` + 1."""
    depth, level = 0, [value]
    while level and depth <= limit:
        depth += 1
        children: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                children.extend(item.values())
            elif isinstance(item, list | tuple):
                children.extend(item)
        level = children
    return depth if not level else depth + 1


def _card_data_in(value: Any) -> bool:
    """A forbidden key or a card number anywhere in a JSON-like value (keys included).

    Call it on values whose depth was checked (`_depth`): it recurses."""
    if isinstance(value, dict):
        return any(
            _forbidden_key(str(k)) or card_number_in(str(k)) or _card_data_in(v)
            for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return any(_card_data_in(v) for v in value)
    if isinstance(value, bool):
        return False
    if isinstance(value, str | int | float):
        return card_number_in(str(value))
    return False


def check_masked_pan(v: Validator, path: list[str], value: str | None) -> str | None:
    """The masked PAN as stored (spaces and dashes dropped, `x` as `X`), or None.

    A full card number, or a mask showing more than the first 6 and the last 4 digits, is
    card data (CARD_DATA_REFUSED); a mask of another shape is INVALID.
    """
    if value is None or not value.strip():
        return None
    if MASKED_PAN.fullmatch(value):
        # Already in the stored shape (at most 10 digits: no card number): nothing to drop.
        return value
    if card_number_in(value):
        v.add(path, C.CARD_DATA_REFUSED, "card_data")
        return None
    compact = re.sub(r"[\s\-]", "", value).replace("x", "X")
    if not MASK_LIKE.match(compact):
        v.add(path, C.INVALID, "masked_pan_format")
        return None
    shown = re.fullmatch(r"([0-9]*)[*X]+([0-9]*)", compact)
    if shown is None or len(shown.group(1)) > 6 or len(shown.group(2)) > 4:
        # Digits inside the mask, or more than the first 6 or the last 4: too much shown.
        v.add(path, C.CARD_DATA_REFUSED, "masked_pan")
        return None
    if not MASKED_PAN.match(compact):
        v.add(path, C.INVALID, "masked_pan_format")
        return None
    return compact


def _validate_transactions(v: Validator, items: Sequence[TransactionData]) -> list[dict[str, Any]]:
    now = dt.datetime.now(dt.UTC)
    if not items:
        v.add(["input", "transactions"], C.REQUIRED, "required")
    if len(items) > MAX_BATCH:
        v.add(["input", "transactions"], C.TOO_MANY, "too_many", max=MAX_BATCH)
        return []
    clean = []
    for i, item in enumerate(items):
        p = ["input", "transactions", str(i)]
        external_id = item.external_id.strip() if item.external_id else ""
        if card_number_in(external_id):
            v.add([*p, "externalId"], C.CARD_DATA_REFUSED, "card_data")
        elif not EXTERNAL_ID.match(external_id):
            v.add([*p, "externalId"], C.INVALID, "external_id")
        tid = v.tid([*p, "tid"], item.tid)
        amount = v.amount([*p, "amount"], item.amount)
        currency = v.currency([*p, "currency"], item.currency)
        masked = check_masked_pan(v, [*p, "maskedPan"], item.masked_pan)
        auth = item.authorization_code.strip().upper() if item.authorization_code else None
        if auth is not None and not AUTH_CODE.match(auth):
            v.add([*p, "authorizationCode"], C.INVALID, "authorization_code")
        code = (item.response_code or "").strip().upper()
        if not RESPONSE_CODE.match(code):
            v.add([*p, "responseCode"], C.INVALID, "response_code")
        occurred = _aware(item.occurred_at)
        if occurred > now + MAX_CLOCK_SKEW or occurred < now - MAX_AGE:
            v.add([*p, "occurredAt"], C.OUT_OF_RANGE, "occurred_at")
        original = item.original_external_id.strip() if item.original_external_id else None
        if original is not None:
            if card_number_in(original):
                v.add([*p, "originalExternalId"], C.CARD_DATA_REFUSED, "card_data")
            elif not EXTERNAL_ID.match(original):
                v.add([*p, "originalExternalId"], C.INVALID, "external_id")
            elif original == external_id:
                v.add([*p, "originalExternalId"], C.INVALID, "original_is_itself")
        clean.append(
            {
                "external_id": external_id,
                "tid": tid,
                "type": item.type,
                "amount": amount,
                "currency": currency,
                "scheme": item.scheme,
                "entry_mode": item.entry_mode,
                "status": item.status,
                "response_code": code,
                "authorization_code": auth,
                "masked_pan": masked,
                "occurred_at": occurred,
                "original_external_id": original,
            }
        )
    # The same external id twice in one batch must carry the same content.
    seen: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(clean):
        previous = seen.get(row["external_id"])
        if previous is not None and previous != row:
            v.add(["input", "transactions", str(i), "externalId"], C.CONFLICT, "external_id_reused")
        seen.setdefault(row["external_id"], row)
    return clean


def _placements_query() -> sa.Select[Any]:
    """Terminals (by TID, the `tids` array) with their live service, contract, shop and
    company status. Built once: the statement is the same for every batch."""
    service = sa.orm.aliased(m.Service)
    live_service = (
        sa.select(service.id)
        .where(
            service.tenant_id == m.Terminal.tenant_id,
            service.terminal_id == m.Terminal.id,
            service.status.in_([ServiceStatus.ACTIVE, ServiceStatus.BLOCKED]),
        )
        .order_by(service.activated_at.desc().nulls_last(), service.created_at.desc())
        .limit(1)
        .correlate(m.Terminal)
        .scalar_subquery()
    )
    return (
        sa.select(m.Terminal, m.Service, m.Contract, m.Shop, m.Company.status)
        .select_from(m.Terminal)
        .outerjoin(
            m.Service,
            (m.Service.tenant_id == m.Terminal.tenant_id) & (m.Service.id == live_service),
        )
        .outerjoin(
            m.Contract,
            (m.Contract.tenant_id == m.Service.tenant_id)
            & (m.Contract.id == m.Service.contract_id),
        )
        .outerjoin(
            m.Shop, (m.Shop.tenant_id == m.Terminal.tenant_id) & (m.Shop.id == m.Terminal.shop_id)
        )
        .outerjoin(
            m.Company,
            (m.Company.tenant_id == m.Shop.tenant_id) & (m.Company.id == m.Shop.company_id),
        )
        .where(m.Terminal.tid == sa.any_(sa.bindparam("tids", type_=_TEXT_ARRAY)))
    )


#: A list of strings sent as one array parameter (`= ANY(:p)`): one bind, whatever its
#: length, where `IN` would expand into a parameter per value (compiled per batch).
_TEXT_ARRAY = sa.ARRAY(sa.Text())
_PLACEMENTS = _placements_query()
#: Transactions by external id (the batch's, as one array).
_BY_EXTERNAL_ID = sa.select(m.Transaction).where(
    m.Transaction.external_id == sa.any_(sa.bindparam("external_ids", type_=_TEXT_ARRAY))
)

_ORIGINALS = sa.select(m.Transaction.external_id, m.Transaction.id).where(
    m.Transaction.external_id == sa.any_(sa.bindparam("external_ids", type_=_TEXT_ARRAY))
)


async def placements(session: AsyncSession, tids: Sequence[str]) -> dict[str, Placement]:
    """Each terminal (by TID) with its live service, contract, shop and company: one query.

    It may approve payments only while the terminal, its service and the contract are ACTIVE
    (a block whose `until` has passed counts as lifted) and the company is neither SUSPENDED
    nor CLOSED; otherwise the placement is blocked."""
    found = {}
    now = dt.datetime.now(dt.UTC)
    for terminal, svc, contract, shop, company_status in (
        await session.execute(_PLACEMENTS, {"tids": sorted(set(tids))})
    ).all():
        # A block whose `until` has come no longer declines, swept or not.
        blocked = (
            current_state(TERMINAL, terminal, now) is not TerminalStatus.ACTIVE
            or svc is None
            or current_state(SERVICE, svc, now) is not ServiceStatus.ACTIVE
            or contract is None
            or contract.status is not ContractStatus.ACTIVE
            or company_status in (CompanyStatus.SUSPENDED, CompanyStatus.CLOSED)
        )
        found[terminal.tid] = Placement(
            terminal=terminal,
            shop_id=shop.id if shop else None,
            company_id=shop.company_id if shop else None,
            contract_id=contract.id if contract else None,
            service_id=svc.id if svc else None,
            blocked=blocked,
        )
    return found


#: What the client sent, as stored: a stored row whose externalId comes again must match.
_CONTENT = (
    "terminal_id",
    "type",
    "amount",
    "currency",
    "scheme",
    "entry_mode",
    "occurred_at",
    "masked_pan",
    "original_transaction_id",
)
#: The outcome the platform reported; a blocked placement overrides it (see `_same_content`).
_OUTCOME = ("status", "response_code", "authorization_code")


#: RETURNING every column of the model (names from the model itself, not from input), so
#: the new rows load as whole `Transaction`s.
INSERT_TRANSACTIONS = sa.text(
    """
    INSERT INTO transactions (tenant_id, id, external_id, terminal_id, shop_id, company_id,
        contract_id, service_id, type, amount, currency, scheme, masked_pan, entry_mode, status,
        response_code, authorization_code, original_transaction_id, occurred_at)
    SELECT CAST(:tenant AS uuid), * FROM unnest(
        CAST(:id AS uuid[]), CAST(:external_id AS text[]), CAST(:terminal_id AS uuid[]),
        CAST(:shop_id AS uuid[]), CAST(:company_id AS uuid[]), CAST(:contract_id AS uuid[]),
        CAST(:service_id AS uuid[]), CAST(:type AS text[]), CAST(:amount AS bigint[]),
        CAST(:currency AS text[]), CAST(:scheme AS text[]), CAST(:masked_pan AS text[]),
        CAST(:entry_mode AS text[]), CAST(:status AS text[]), CAST(:response_code AS text[]),
        CAST(:authorization_code AS text[]), CAST(:original AS uuid[]),
        CAST(:occurred_at AS timestamptz[]))
    ON CONFLICT (tenant_id, external_id) DO NOTHING
    RETURNING """  # noqa: S608
    + ", ".join(column.name for column in m.Transaction.__table__.c)
).columns(*m.Transaction.__table__.c)
#: The INSERT, its new rows loaded as `Transaction`s (RETURNING: no read-back for them).
_INSERT_RETURNING = sa.select(m.Transaction).from_statement(INSERT_TRANSACTIONS)
_COLUMNS = (
    "id",
    "external_id",
    "terminal_id",
    "shop_id",
    "company_id",
    "contract_id",
    "service_id",
    "type",
    "amount",
    "currency",
    "scheme",
    "masked_pan",
    "entry_mode",
    "status",
    "response_code",
    "authorization_code",
    "original",
    "occurred_at",
)


def _outcome(row: dict[str, Any], place: Placement) -> tuple[TransactionStatus, str, str | None]:
    """What is stored: the platform's outcome, or DECLINED when the placement is blocked."""
    if place.blocked:
        return TransactionStatus.DECLINED, BLOCKED_MERCHANT_CODE, None
    return row["status"], row["response_code"], row["authorization_code"]


def _same_content(tx: m.Transaction, sent: dict[str, Any]) -> bool:
    if any(getattr(tx, k) != sent[k] for k in _CONTENT):
        return False
    if all(getattr(tx, k) == sent[k] for k in _OUTCOME):
        return True
    # Stored DECLINED because the placement was blocked then: a repeat of what was sent.
    return (tx.status, tx.response_code, tx.authorization_code) == (
        TransactionStatus.DECLINED,
        BLOCKED_MERCHANT_CODE,
        None,
    )


async def _originals(session: AsyncSession, wanted: set[str]) -> dict[str, uuid.UUID]:
    if not wanted:
        return {}
    rows = await session.execute(_ORIGINALS, {"external_ids": sorted(wanted)})
    return {ext: tx_id for ext, tx_id in rows.all()}


async def _stored(session: AsyncSession, external_ids: set[str]) -> dict[str, m.Transaction]:
    """The transactions already stored under these external ids, by external id."""
    if not external_ids:
        return {}
    rows = await session.execute(_BY_EXTERNAL_ID, {"external_ids": sorted(external_ids)})
    return {tx.external_id: tx for tx in rows.scalars()}


async def record_transactions(actor: Actor, items: Sequence[TransactionData]) -> Recorded:
    v = Validator(actor.locale)
    clean = _validate_transactions(v, items)
    v.raise_if_any()
    unique: dict[str, dict[str, Any]] = {}
    for row in clean:
        unique.setdefault(row["external_id"], row)
    async with actor.scope() as session:
        places = await placements(session, [r["tid"] for r in unique.values()])
        originals_wanted = {r["original_external_id"] for r in unique.values()} - {None}
        originals = await _originals(session, originals_wanted)
        # A repeat is answered with the stored row whatever became of its terminal since
        # (moved, returned, back in stock): "already stored" comes before any check of where
        # the terminal is now. Looked up only when a terminal has no shop (one statement).
        unplaced = {
            r["external_id"]
            for r in unique.values()
            if r["tid"] in places and places[r["tid"]].shop_id is None
        }
        known = await _stored(session, unplaced)
        for i, row in enumerate(clean):
            p = ["input", "transactions", str(i)]
            place = places.get(row["tid"])
            if place is None:
                v.add([*p, "tid"], C.NOT_FOUND, "not_found", kind="Terminal")
            elif place.shop_id is None and row["external_id"] not in known:
                v.add([*p, "tid"], C.INVALID, "terminal_not_placed")
            wanted = row["original_external_id"]
            if wanted is not None and wanted not in originals and wanted not in unique:
                v.add([*p, "originalExternalId"], C.NOT_FOUND, "not_found", kind="Transaction")
        v.raise_if_any()

        ids = {ext: uuid7() for ext in unique}
        #: external id → stored id of every original named, as they become known.
        resolved = dict(originals)

        def original_of(row: dict[str, Any]) -> uuid.UUID | None:
            wanted = row["original_external_id"]
            return None if wanted is None else resolved[wanted]

        def columns(exts: list[str]) -> dict[str, list[Any]]:
            values: dict[str, list[Any]] = {k: [] for k in _COLUMNS}
            for ext in exts:
                row = unique[ext]
                place = places[row["tid"]]
                status, code, auth = _outcome(row, place)
                for key, value in (
                    ("id", ids[ext]),
                    ("external_id", ext),
                    ("terminal_id", place.terminal.id),
                    ("shop_id", place.shop_id),
                    ("company_id", place.company_id),
                    ("contract_id", place.contract_id),
                    ("service_id", place.service_id),
                    ("type", row["type"].value),
                    ("amount", row["amount"]),
                    ("currency", row["currency"]),
                    ("scheme", row["scheme"].value),
                    ("masked_pan", row["masked_pan"]),
                    ("entry_mode", row["entry_mode"].value),
                    ("status", status.value),
                    ("response_code", code),
                    ("authorization_code", auth),
                    ("original", original_of(row)),
                    ("occurred_at", row["occurred_at"]),
                ):
                    values[key].append(value)
            return values

        # One INSERT for the batch. Only when a row names an original sent in the same batch
        # does that row wait for a second INSERT, once the original's stored id is known: if
        # a concurrent writer stored the original first, ours is skipped, and the id drawn
        # here would link to nothing (transactions are immutable: no UPDATE can fix it).
        inserted: set[str] = set()
        stored: dict[str, m.Transaction] = dict(known)
        pending = set(unique) - set(known)
        while pending:
            ready = sorted(
                ext for ext in pending if unique[ext]["original_external_id"] in (None, *resolved)
            )
            if not ready:  # originals naming each other in a circle
                for i, row in enumerate(clean):
                    if row["external_id"] in pending:
                        p = ["input", "transactions", str(i), "originalExternalId"]
                        v.add(p, C.INVALID, "original_cycle")
                v.raise_if_any()
            pending -= set(ready)
            # Rows go in in external-id order: two batches that overlap take the unique
            # index's locks in the same order, so they wait for each other, not deadlock.
            result = await session.execute(
                _INSERT_RETURNING, {"tenant": actor.tenant_id, **columns(ready)}
            )
            new_rows = {tx.external_id: tx for tx in result.scalars()}
            stored.update(new_rows)
            now_in = set(new_rows)
            inserted |= now_in
            wanted = {unique[ext]["original_external_id"] for ext in pending}
            resolved.update({ext: ids[ext] for ext in ready if ext in now_in and ext in wanted})
            skipped = {ext for ext in ready if ext not in now_in and ext in wanted}
            if skipped:
                # Stored by a concurrent writer that has committed (the conflict waited for
                # it): this new statement sees it.
                resolved.update(await _originals(session, skipped))
        if len(stored) < len(unique):
            # Repeats (already stored, by an earlier batch or a concurrent writer).
            stored.update(
                (tx.external_id, tx)
                for tx in (
                    await session.execute(
                        _BY_EXTERNAL_ID,
                        {"external_ids": sorted(set(unique) - set(stored))},
                    )
                ).scalars()
            )
        for i, row in enumerate(clean):
            if row["external_id"] in inserted:
                continue
            sent = {
                "terminal_id": places[row["tid"]].terminal.id,
                "type": row["type"],
                "amount": row["amount"],
                "currency": row["currency"],
                "scheme": row["scheme"],
                "entry_mode": row["entry_mode"],
                "occurred_at": row["occurred_at"],
                "masked_pan": row["masked_pan"],
                "original_transaction_id": original_of(row),
                "status": row["status"],
                "response_code": row["response_code"],
                "authorization_code": row["authorization_code"],
            }
            if not _same_content(stored[row["external_id"]], sent):
                v.add(
                    ["input", "transactions", str(i), "externalId"],
                    C.CONFLICT,
                    "external_id_reused",
                )
        v.raise_if_any()
        if inserted:
            await announce(session, Topic.TRANSACTIONS, actor.tenant_id)
    return Recorded(
        transactions=[stored[row["external_id"]] for row in clean], created=len(inserted)
    )


# --------------------------------------------------------------------------- terminal events

INSERT_EVENTS = sa.text(
    """
    INSERT INTO terminal_events (tenant_id, id, terminal_id, kind, code, message, payload,
        occurred_at)
    SELECT CAST(:tenant AS uuid), * FROM unnest(
        CAST(:id AS uuid[]), CAST(:terminal_id AS uuid[]), CAST(:kind AS text[]),
        CAST(:code AS text[]), CAST(:message AS text[]), CAST(:payload AS jsonb[]),
        CAST(:occurred_at AS timestamptz[]))
    """
)
#: Last-seen, last heartbeat and reported versions of every terminal of a batch: one UPDATE.
#: Clocks only move forward (GREATEST ignores NULLs); the row version is left alone, so staff
#: editing a terminal do not trip over its heartbeats.
TOUCH_TERMINALS = sa.text(
    """
    UPDATE terminals AS t SET
        last_seen_at = GREATEST(t.last_seen_at, u.seen),
        last_heartbeat_at = GREATEST(t.last_heartbeat_at, u.beat),
        app_version = COALESCE(u.app_version, t.app_version),
        firmware_version = COALESCE(u.firmware_version, t.firmware_version),
        updated_at = CASE WHEN u.app_version IS NULL AND u.firmware_version IS NULL
                          THEN t.updated_at ELSE now() END
    FROM unnest(CAST(:id AS uuid[]), CAST(:seen AS timestamptz[]), CAST(:beat AS timestamptz[]),
                CAST(:app_version AS text[]), CAST(:firmware_version AS text[]))
         AS u(id, seen, beat, app_version, firmware_version)
    WHERE t.id = u.id
    """
)
#: Every options version up to the acknowledged one is no longer pending on the device.
ACKNOWLEDGE_OPTIONS = sa.text(
    """
    UPDATE terminal_options AS o SET acknowledged_at = u.at
    FROM unnest(CAST(:id AS uuid[]), CAST(:version AS integer[]), CAST(:at AS timestamptz[]))
         AS u(id, version, at)
    WHERE o.terminal_id = u.id AND o.version_number <= u.version AND o.acknowledged_at IS NULL
    """
)
APPLY_OPTIONS = sa.text(
    """
    UPDATE terminals AS t SET applied_options_version = u.version, options_applied_at = u.at
    FROM unnest(CAST(:id AS uuid[]), CAST(:version AS integer[]), CAST(:at AS timestamptz[]))
         AS u(id, version, at)
    WHERE t.id = u.id
      AND (t.applied_options_version IS NULL OR t.applied_options_version < u.version)
    RETURNING t.id
    """
)


@dataclass
class EventsRecorded:
    events: list[m.TerminalEvent] = field(default_factory=list)
    heartbeats: int = 0
    acknowledged: int = 0
    #: Commands answered (DONE or FAILED).
    commands: int = 0


def _validate_events(v: Validator, items: Sequence[TerminalEventData]) -> list[str | None]:
    """Checks every event; returns each one's normalised TID (None where invalid)."""
    now = dt.datetime.now(dt.UTC)
    if not items:
        v.add(["input", "events"], C.REQUIRED, "required")
    if len(items) > MAX_BATCH:
        v.add(["input", "events"], C.TOO_MANY, "too_many", max=MAX_BATCH)
        v.raise_if_any()
    tids = []
    for i, item in enumerate(items):
        p = ["input", "events", str(i)]
        tids.append(v.tid([*p, "tid"], item.tid))
        for name, value, max_length in (("code", item.code, 32), ("message", item.message, 2000)):
            if value is not None and card_number_in(value):
                v.add([*p, name], C.CARD_DATA_REFUSED, "card_data")
            else:
                v.text(
                    [*p, name],
                    value,
                    required=False,
                    max_length=max_length,
                    multiline=name == "message",
                )
        if item.payload is not None and _depth(item.payload) > MAX_PAYLOAD_DEPTH:
            v.add([*p, "payload"], C.INVALID, "payload_too_deep", max=MAX_PAYLOAD_DEPTH)
        elif item.payload is not None and _card_data_in(item.payload):
            v.add([*p, "payload"], C.CARD_DATA_REFUSED, "card_data")
        occurred = _aware(item.occurred_at)
        if occurred > now + MAX_CLOCK_SKEW or occurred < now - MAX_AGE:
            v.add([*p, "occurredAt"], C.OUT_OF_RANGE, "occurred_at")
        failed = item.failure_reason is not None
        if failed and item.command_id is None:
            v.add([*p, "failureReason"], C.INVALID, "failure_reason_without_command")
        elif failed:
            v.reason([*p, "failureReason"], item.failure_reason, required=True)
        answered_failure = failed and item.command_id is not None
        if item.kind is TerminalEventKind.PARAMETERS_DOWNLOADED and not (
            item.code and item.code.strip().isdigit() and len(item.code.strip()) <= 9
        ):
            # A failed download has no version to acknowledge.
            if not (answered_failure and not item.code):
                v.add([*p, "code"], C.INVALID, "options_version_code")
    return tids


async def record_terminal_events(
    actor: Actor, items: Sequence[TerminalEventData]
) -> EventsRecorded:
    """Heartbeats move last-seen; PARAMETERS_DOWNLOADED acknowledges an options version (its
    number in `code`); APP_UPDATED/FIRMWARE_UPDATED carry the new version in `code`; every
    event but heartbeats goes to the technical journal. A constant number of statements per
    batch, whatever its size and however many terminals it names."""
    v = Validator(actor.locale)
    now = dt.datetime.now(dt.UTC)
    tids = _validate_events(v, items)
    v.raise_if_any()
    async with actor.scope() as session:
        terminals = {
            t.tid: t
            for t in (
                await session.execute(sa.select(m.Terminal).where(m.Terminal.tid.in_(set(tids))))
            ).scalars()
        }
        for i, tid in enumerate(tids):
            if tid not in terminals:
                v.add(["input", "events", str(i), "tid"], C.NOT_FOUND, "not_found", kind="Terminal")
        v.raise_if_any()

        outcome = EventsRecorded()
        last_seen: dict[uuid.UUID, dt.datetime] = {}
        last_beat: dict[uuid.UUID, dt.datetime] = {}
        acks: dict[uuid.UUID, tuple[int, dt.datetime]] = {}
        versions: dict[uuid.UUID, dict[str, str]] = {}
        answers: list[commands.Answer] = []
        columns: dict[str, list[Any]] = {
            k: []
            for k in ("id", "terminal_id", "kind", "code", "message", "payload", "occurred_at")
        }
        for i, item in enumerate(items):
            terminal = terminals[tids[i]]  # type: ignore[index]
            occurred = _aware(item.occurred_at)
            last_seen[terminal.id] = max(occurred, last_seen.get(terminal.id, occurred))
            event_id = uuid7()
            if item.command_id is not None:
                answers.append(
                    commands.Answer(
                        index=i,
                        command_id=item.command_id,
                        terminal_id=terminal.id,
                        kind=item.kind,
                        failure_reason=(item.failure_reason or "").strip() or None,
                        event_id=event_id,
                        occurred_at=occurred,
                    )
                )
            if item.kind is TerminalEventKind.HEARTBEAT:
                outcome.heartbeats += 1
                last_beat[terminal.id] = max(occurred, last_beat.get(terminal.id, occurred))
                continue
            code = item.code.strip() if item.code else None
            if item.command_id is not None and item.failure_reason:
                pass  # a failed command: nothing was downloaded or updated
            elif item.kind is TerminalEventKind.PARAMETERS_DOWNLOADED and code:
                version = int(code)
                best = acks.get(terminal.id)
                if best is None or version > best[0]:
                    acks[terminal.id] = (version, occurred)
            elif item.kind is TerminalEventKind.APP_UPDATED and code:
                versions.setdefault(terminal.id, {})["app_version"] = code
            elif item.kind is TerminalEventKind.FIRMWARE_UPDATED and code:
                versions.setdefault(terminal.id, {})["firmware_version"] = code
            columns["id"].append(event_id)
            columns["terminal_id"].append(terminal.id)
            columns["kind"].append(item.kind.value)
            columns["code"].append(code)
            columns["message"].append(item.message.strip() if item.message else None)
            columns["payload"].append(json.dumps(item.payload) if item.payload else None)
            columns["occurred_at"].append(occurred)

        if acks:
            # Only a version the terminal has can be acknowledged, and only once it exists:
            # a device cannot have downloaded options before staff made them.
            made = {
                (terminal_id, version): created_at
                for terminal_id, version, created_at in (
                    await session.execute(
                        sa.select(
                            m.TerminalOptions.terminal_id,
                            m.TerminalOptions.version_number,
                            m.TerminalOptions.created_at,
                        ).where(m.TerminalOptions.terminal_id.in_(list(acks)))
                    )
                ).all()
            }
            for i, item in enumerate(items):
                terminal = terminals[tids[i]]  # type: ignore[index]
                if (
                    item.kind is not TerminalEventKind.PARAMETERS_DOWNLOADED
                    or not (item.code and item.code.strip())
                    or (item.command_id is not None and item.failure_reason)
                ):
                    continue
                version = int(item.code.strip())
                created_at = made.get((terminal.id, version))
                if created_at is None:
                    v.add(
                        ["input", "events", str(i), "code"],
                        C.NOT_FOUND,
                        "options_version_unknown",
                        version=version,
                    )
                elif _aware(item.occurred_at) < created_at.replace(microsecond=0):
                    # (to the second: devices date their events to the second)
                    v.add(
                        ["input", "events", str(i), "occurredAt"],
                        C.OUT_OF_RANGE,
                        "options_acknowledged_before_made",
                        version=version,
                        created=created_at.isoformat(timespec="seconds"),
                    )
            v.raise_if_any()

        # Commands answered: each checked (its terminal, the event that answers its kind,
        # still waiting) before anything is written; then DONE or FAILED.
        answered = await commands.check_answers(session, v, answers)
        v.raise_if_any()

        changed_status: set[uuid.UUID] = set()
        heartbeat_s = await session.scalar(
            sa.select(m.Tenant.heartbeat_interval_s).where(m.Tenant.id == actor.tenant_id)
        )
        interval = dt.timedelta(seconds=2 * (heartbeat_s or 60))
        by_id = {t.id: t for t in terminals.values()}
        touch: dict[str, list[Any]] = {
            k: [] for k in ("id", "seen", "beat", "app_version", "firmware_version")
        }
        for terminal_id, seen in last_seen.items():
            beat = last_beat.get(terminal_id)
            if beat is not None:
                previous = by_id[terminal_id].last_heartbeat_at
                was_online = previous is not None and now - previous <= interval
                if not was_online and now - beat <= interval:
                    changed_status.add(terminal_id)
            reported = versions.get(terminal_id, {})
            touch["id"].append(terminal_id)
            touch["seen"].append(seen)
            touch["beat"].append(beat)
            touch["app_version"].append(reported.get("app_version"))
            touch["firmware_version"].append(reported.get("firmware_version"))
        await session.execute(TOUCH_TERMINALS, touch)
        if acks:
            ack = {
                "id": list(acks),
                "version": [version for version, _ in acks.values()],
                "at": [at for _, at in acks.values()],
            }
            acknowledged = await session.execute(ACKNOWLEDGE_OPTIONS, ack)
            outcome.acknowledged = acknowledged.rowcount or 0
            changed_status.update((await session.execute(APPLY_OPTIONS, ack)).scalars())
        if columns["id"]:
            await session.execute(INSERT_EVENTS, {"tenant": actor.tenant_id, **columns})
            if answers:
                changed_status |= commands.apply_answers(answered, answers, actor.locale)
                outcome.commands = len(answers)
                await session.flush()
            await announce(session, Topic.TERMINAL_EVENTS, actor.tenant_id)
            outcome.events = list(
                (
                    await session.execute(
                        sa.select(m.TerminalEvent)
                        .where(m.TerminalEvent.id.in_(columns["id"]))
                        .order_by(m.TerminalEvent.occurred_at, m.TerminalEvent.id)
                    )
                ).scalars()
            )
        if changed_status:
            await announce(
                session, Topic.TERMINAL_STATUS, actor.tenant_id, ids=sorted(changed_status)
            )
    return outcome


async def terminals_gone_offline(
    session: AsyncSession, since: dt.datetime, until: dt.datetime
) -> list[uuid.UUID]:
    """Terminals whose last heartbeat became older than twice the interval in (since, until]."""
    interval = (
        sa.select(m.Tenant.heartbeat_interval_s)
        .where(m.Tenant.id == m.Terminal.tenant_id)
        .scalar_subquery()
    )
    deadline = m.Terminal.last_heartbeat_at + sa.func.make_interval(0, 0, 0, 0, 0, 0, 2 * interval)
    rows = await session.execute(
        sa.select(m.Terminal.id).where(deadline > since, deadline <= until)
    )
    return list(rows.scalars())
