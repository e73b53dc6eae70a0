"""Ingestion from the acquiring platform (role SERVICE): transactions and terminal events.

- One statement per batch (a multi-row INSERT from arrays), not one per row.
- Idempotent by (tenant, externalId): the database decides (ON CONFLICT DO NOTHING), so
  concurrent duplicates still make one row; the same id with other content is refused.
- Card data never gets in: a full PAN anywhere, or a masked PAN showing more than the first
  6 and last 4 digits, refuses the batch.
- A transaction from a blocked service or terminal, or a suspended or terminated contract, is
  recorded DECLINED with the blocked-merchant response code, whatever the input said.
- One NOTIFY per committed batch tells every process's live feeds.
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
    ContractStatus,
    EntryMode,
    ServiceStatus,
    TerminalEventKind,
    TerminalStatus,
    TransactionStatus,
    TransactionType,
)
from db.identifiers import contains_pan, looks_like_pan
from db.ids import uuid7
from resolvers.errors import UserErrorCode as C
from resolvers.response_codes import BLOCKED_MERCHANT_CODE
from resolvers.usecase import Actor
from resolvers.validation import Validator
from subscriptions.publisher import announce
from subscriptions.topics import Topic

MAX_BATCH = 500
MASKED_PAN = re.compile(r"^([0-9]{0,6})([*X]{2,13})([0-9]{0,4})$")
AUTH_CODE = re.compile(r"^[A-Z0-9]{6}$")
RESPONSE_CODE = re.compile(r"^[0-9A-Z]{2}$")
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")
#: Keys that betray sensitive authentication data in a free-form payload.
FORBIDDEN_KEYS = frozenset(
    {
        "cvv",
        "cvv2",
        "cvc",
        "cvc2",
        "cid",
        "csc",
        "track",
        "track1",
        "track2",
        "trackdata",
        "pan",
        "cardnumber",
        "pin",
        "pinblock",
    }
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


def _card_data_in(value: Any) -> bool:
    """A forbidden key or a card number anywhere in a JSON-like value."""
    if isinstance(value, dict):
        return any(
            re.sub(r"[^a-z0-9]", "", str(k).lower()) in FORBIDDEN_KEYS or _card_data_in(v)
            for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return any(_card_data_in(v) for v in value)
    if isinstance(value, str | int):
        return contains_pan(str(value))
    return False


def check_masked_pan(v: Validator, path: list[str], value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if looks_like_pan(value) or contains_pan(value):
        v.add(path, C.CARD_DATA_REFUSED, "card_data")
        return None
    match = MASKED_PAN.match(value)
    if not match or len(value) > 19:
        v.add(path, C.CARD_DATA_REFUSED, "masked_pan")
        return None
    return value


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
        if contains_pan(external_id):
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
        if original is not None and not EXTERNAL_ID.match(original):
            v.add([*p, "originalExternalId"], C.INVALID, "external_id")
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


async def placements(session: AsyncSession, tids: Sequence[str]) -> dict[str, Placement]:
    """Each terminal (by TID) with its live service, contract, shop and company: one query."""
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
    query = (
        sa.select(m.Terminal, m.Service, m.Contract, m.Shop)
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
        .where(m.Terminal.tid.in_(list(set(tids))))
    )
    found = {}
    for terminal, svc, contract, shop in (await session.execute(query)).all():
        blocked = (
            terminal.status is not TerminalStatus.ACTIVE
            or svc is None
            or svc.status is not ServiceStatus.ACTIVE
            or contract is None
            or contract.status is not ContractStatus.ACTIVE
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
_CONTENT = ("terminal_id", "type", "amount", "currency", "scheme", "entry_mode", "occurred_at")


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
    RETURNING external_id
    """
)


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
        originals: dict[str, uuid.UUID] = {}
        if originals_wanted:
            rows = await session.execute(
                sa.select(m.Transaction.external_id, m.Transaction.id).where(
                    m.Transaction.external_id.in_(originals_wanted)
                )
            )
            originals = {ext: tx_id for ext, tx_id in rows.all()}
        for i, row in enumerate(clean):
            p = ["input", "transactions", str(i)]
            place = places.get(row["tid"])
            if place is None:
                v.add([*p, "tid"], C.NOT_FOUND, "not_found", kind="Terminal")
            elif place.shop_id is None:
                v.add([*p, "tid"], C.INVALID, "terminal_not_placed")
            wanted = row["original_external_id"]
            if wanted is not None and wanted not in originals and wanted not in unique:
                v.add([*p, "originalExternalId"], C.NOT_FOUND, "not_found", kind="Transaction")
        v.raise_if_any()

        columns: dict[str, list[Any]] = {
            k: []
            for k in (
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
        }
        ids = {ext: uuid7() for ext in unique}
        for ext, row in unique.items():
            place = places[row["tid"]]
            status, code, auth = row["status"], row["response_code"], row["authorization_code"]
            if place.blocked:
                status, code, auth = TransactionStatus.DECLINED, BLOCKED_MERCHANT_CODE, None
            original = row["original_external_id"]
            values = {
                "id": ids[ext],
                "external_id": ext,
                "terminal_id": place.terminal.id,
                "shop_id": place.shop_id,
                "company_id": place.company_id,
                "contract_id": place.contract_id,
                "service_id": place.service_id,
                "type": row["type"].value,
                "amount": row["amount"],
                "currency": row["currency"],
                "scheme": row["scheme"].value,
                "masked_pan": row["masked_pan"],
                "entry_mode": row["entry_mode"].value,
                "status": status.value,
                "response_code": code,
                "authorization_code": auth,
                "original": originals.get(original) or ids.get(original) if original else None,
                "occurred_at": row["occurred_at"],
            }
            for key, value in values.items():
                columns[key].append(value)
        inserted = set(
            (
                await session.execute(INSERT_TRANSACTIONS, {"tenant": actor.tenant_id, **columns})
            ).scalars()
        )
        stored = {
            tx.external_id: tx
            for tx in (
                await session.execute(
                    sa.select(m.Transaction).where(m.Transaction.external_id.in_(list(unique)))
                )
            ).scalars()
        }
        for i, row in enumerate(clean):
            if row["external_id"] in inserted:
                continue
            tx = stored[row["external_id"]]
            sent = {
                "terminal_id": places[row["tid"]].terminal.id,
                "type": row["type"],
                "amount": row["amount"],
                "currency": row["currency"],
                "scheme": row["scheme"],
                "entry_mode": row["entry_mode"],
                "occurred_at": row["occurred_at"],
            }
            if any(getattr(tx, k) != sent[k] for k in _CONTENT):
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


@dataclass
class EventsRecorded:
    events: list[m.TerminalEvent] = field(default_factory=list)
    heartbeats: int = 0
    acknowledged: int = 0


async def record_terminal_events(
    actor: Actor, items: Sequence[TerminalEventData]
) -> EventsRecorded:
    """Heartbeats move last-seen; PARAMETERS_DOWNLOADED acknowledges an options version (its
    number in `code`); APP_UPDATED/FIRMWARE_UPDATED carry the new version in `code`; every
    event but heartbeats goes to the technical journal."""
    v = Validator(actor.locale)
    now = dt.datetime.now(dt.UTC)
    if not items:
        v.add(["input", "events"], C.REQUIRED, "required")
    if len(items) > MAX_BATCH:
        v.add(["input", "events"], C.TOO_MANY, "too_many", max=MAX_BATCH)
        v.raise_if_any()
    for i, item in enumerate(items):
        p = ["input", "events", str(i)]
        v.tid([*p, "tid"], item.tid)
        v.text([*p, "code"], item.code, required=False, max_length=32)
        v.text([*p, "message"], item.message, required=False, max_length=2000, multiline=True)
        if item.payload is not None and _card_data_in(item.payload):
            v.add([*p, "payload"], C.CARD_DATA_REFUSED, "card_data")
        occurred = _aware(item.occurred_at)
        if occurred > now + MAX_CLOCK_SKEW or occurred < now - MAX_AGE:
            v.add([*p, "occurredAt"], C.OUT_OF_RANGE, "occurred_at")
        if item.kind is TerminalEventKind.PARAMETERS_DOWNLOADED and not (
            item.code and item.code.strip().isdigit()
        ):
            v.add([*p, "code"], C.INVALID, "options_version_code")
    v.raise_if_any()
    async with actor.scope() as session:
        terminals = {
            t.tid: t
            for t in (
                await session.execute(
                    sa.select(m.Terminal).where(m.Terminal.tid.in_({i.tid.upper() for i in items}))
                )
            ).scalars()
        }
        for i, item in enumerate(items):
            if item.tid.upper() not in terminals:
                v.add(["input", "events", str(i), "tid"], C.NOT_FOUND, "not_found", kind="Terminal")
        v.raise_if_any()

        outcome = EventsRecorded()
        changed_status: set[uuid.UUID] = set()
        heartbeat_s = await session.scalar(
            sa.select(m.Tenant.heartbeat_interval_s).where(m.Tenant.id == actor.tenant_id)
        )
        interval = dt.timedelta(seconds=2 * (heartbeat_s or 60))
        last_seen: dict[uuid.UUID, dt.datetime] = {}
        last_beat: dict[uuid.UUID, dt.datetime] = {}
        acks: dict[uuid.UUID, tuple[int, dt.datetime]] = {}
        versions: dict[uuid.UUID, dict[str, str]] = {}
        columns: dict[str, list[Any]] = {
            k: []
            for k in ("id", "terminal_id", "kind", "code", "message", "payload", "occurred_at")
        }
        for item in items:
            terminal = terminals[item.tid.upper()]
            occurred = _aware(item.occurred_at)
            last_seen[terminal.id] = max(occurred, last_seen.get(terminal.id, occurred))
            if item.kind is TerminalEventKind.HEARTBEAT:
                outcome.heartbeats += 1
                last_beat[terminal.id] = max(occurred, last_beat.get(terminal.id, occurred))
                continue
            if item.kind is TerminalEventKind.PARAMETERS_DOWNLOADED:
                version = int((item.code or "0").strip())
                best = acks.get(terminal.id)
                if best is None or version > best[0]:
                    acks[terminal.id] = (version, occurred)
            elif item.kind is TerminalEventKind.APP_UPDATED and item.code:
                versions.setdefault(terminal.id, {})["app_version"] = item.code.strip()
            elif item.kind is TerminalEventKind.FIRMWARE_UPDATED and item.code:
                versions.setdefault(terminal.id, {})["firmware_version"] = item.code.strip()
            columns["id"].append(uuid7())
            columns["terminal_id"].append(terminal.id)
            columns["kind"].append(item.kind.value)
            columns["code"].append(item.code.strip() if item.code else None)
            columns["message"].append(item.message.strip() if item.message else None)
            columns["payload"].append(json.dumps(item.payload) if item.payload else None)
            columns["occurred_at"].append(occurred)

        for terminal_id, seen in last_seen.items():
            terminal = next(t for t in terminals.values() if t.id == terminal_id)
            values: dict[str, Any] = {
                "last_seen_at": sa.func.greatest(m.Terminal.last_seen_at, seen)
            }
            beat = last_beat.get(terminal_id)
            if beat is not None:
                was_online = (
                    terminal.last_heartbeat_at is not None
                    and now - terminal.last_heartbeat_at <= interval
                )
                if not was_online and now - beat <= interval:
                    changed_status.add(terminal_id)
                values["last_heartbeat_at"] = sa.func.greatest(m.Terminal.last_heartbeat_at, beat)
            values.update(versions.get(terminal_id, {}))
            await session.execute(
                sa.update(m.Terminal)
                .where(m.Terminal.id == terminal_id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        for terminal_id, (version, at) in acks.items():
            acknowledged = await session.execute(
                sa.update(m.TerminalOptions)
                .where(
                    m.TerminalOptions.terminal_id == terminal_id,
                    m.TerminalOptions.version_number <= version,
                    m.TerminalOptions.acknowledged_at.is_(None),
                )
                .values(acknowledged_at=at)
                .execution_options(synchronize_session=False)
            )
            outcome.acknowledged += acknowledged.rowcount or 0
            moved = await session.execute(
                sa.update(m.Terminal)
                .where(
                    m.Terminal.id == terminal_id,
                    sa.or_(
                        m.Terminal.applied_options_version.is_(None),
                        m.Terminal.applied_options_version < version,
                    ),
                )
                .values(applied_options_version=version, options_applied_at=at)
                .execution_options(synchronize_session=False)
            )
            if moved.rowcount:
                changed_status.add(terminal_id)
        if columns["id"]:
            await session.execute(INSERT_EVENTS, {"tenant": actor.tenant_id, **columns})
            await announce(session, Topic.TERMINAL_EVENTS, actor.tenant_id)
            outcome.events = list(
                (
                    await session.execute(
                        sa.select(m.TerminalEvent)
                        .where(m.TerminalEvent.id.in_(columns["id"]))
                        .order_by(m.TerminalEvent.occurred_at)
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
