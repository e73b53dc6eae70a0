"""`recordTransactions`: a batch of transactions from the terminals, validated, placed
(terminal → shop, company, contract, service), inserted in one statement, idempotent by
external id; a blocked service's approvals are recorded DECLINED.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    CompanyStatus,
    ContractStatus,
    ServiceStatus,
    TerminalStatus,
    TransactionStatus,
)
from db.ids import uuid7
from resolvers.errors import UserErrorCode as C
from resolvers.ingest.rules import (
    AUTH_CODE,
    EXTERNAL_ID,
    MAX_AGE,
    MAX_BATCH,
    MAX_CLOCK_SKEW,
    RESPONSE_CODE,
    Placement,
    Recorded,
    TransactionData,
    _aware,
    card_number_in,
    check_masked_pan,
)
from resolvers.lifecycles import SERVICE, TERMINAL, current_state
from resolvers.response_codes import BLOCKED_MERCHANT_CODE
from resolvers.usecase import Actor
from resolvers.validation import Validator
from subscriptions.publisher import announce
from subscriptions.topics import Topic


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
