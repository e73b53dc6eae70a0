"""Fleet use cases: terminals (register, assign, options, block) and services (activate,
block, deactivate), SoftPOS enrollment by one-time code, and the sweep that lifts expired blocks.

Each use case validates everything, locks the rows it changes, checks the optimistic version and
the lifecycle (`resolvers/lifecycles.py`), then writes the change and its journal entries in the
request's transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    CompanyStatus,
    ContractStatus,
    ReceiptMode,
    ServiceKind,
    ServiceStatus,
    ShopStatus,
    TerminalKind,
    TerminalStatus,
)
from db.session import Database
from resolvers import journal
from resolvers import notifications as notes
from resolvers.contract_status import mark_service_active
from resolvers.errors import UserErrorCode as C
from resolvers.lifecycles import SERVICE, TERMINAL, Lifecycle, check_transition, current_state
from resolvers.messages import DEFAULT_LOCALE
from resolvers.terminals import options_status_of
from resolvers.usecase import Actor, check_version, load_for_update, refuse
from resolvers.validation import Validator
from subscriptions.publisher import announce
from subscriptions.topics import Topic
from tenancy.principal import platform_claims, tenant_claims

log = logging.getLogger("spring.fleet")

TERMINAL_FIELDS = (
    "kind",
    "tid",
    "serial_number",
    "model",
    "os_version",
    "firmware_version",
    "app_version",
    "shop_id",
    "status",
)
SERVICE_FIELDS = ("contract_id", "shop_id", "kind", "terminal_id", "status")
OPTION_FIELDS = (
    "contactless",
    "tipping",
    "cashback",
    "pre_authorization",
    "manual_entry",
    "receipt_mode",
    "language",
    "settlement_time",
)
#: Values of a PAX terminal's first options version, for the fields not given.
DEFAULT_OPTIONS: dict[str, Any] = {
    "contactless": True,
    "tipping": False,
    "cashback": False,
    "pre_authorization": False,
    "manual_entry": False,
    "receipt_mode": ReceiptMode.PRINT,
    "language": "fr",
    "settlement_time": dt.time(23, 0),
}

#: Services that still hold their terminal.
LIVE_SERVICE_STATES = (ServiceStatus.PENDING, ServiceStatus.ACTIVE, ServiceStatus.BLOCKED)
CONTRACT_STATES_FOR_ACTIVATION = (ContractStatus.SIGNED, ContractStatus.ACTIVE)
COMPANY_STATES_FOR_ACTIVATION = (CompanyStatus.APPROVED, CompanyStatus.ACTIVE)

#: SoftPOS activation codes: no I, L, O, 0 or 1, so a code read aloud cannot be mistyped.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_LIFETIME = dt.timedelta(hours=24)
TID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

AUTO_UNBLOCK_LABEL = "auto-unblock"
AUTO_UNBLOCK_REASON = "block expired"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _user_id(actor: Actor | None) -> uuid.UUID | None:
    if actor is None or actor.principal.is_platform:
        return None
    return actor.principal.user_id


def _terminal_snapshot(terminal: m.Terminal) -> dict[str, Any]:
    return journal.snapshot(terminal, TERMINAL_FIELDS)


def _service_snapshot(service: m.Service) -> dict[str, Any]:
    return journal.snapshot(service, SERVICE_FIELDS)


#: Journal keys of the options (the API's field names).
OPTION_KEYS = {
    "contactless": "contactless",
    "tipping": "tipping",
    "cashback": "cashback",
    "pre_authorization": "preAuthorization",
    "manual_entry": "manualEntry",
    "receipt_mode": "receiptMode",
    "language": "language",
    "settlement_time": "settlementTime",
}


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _options_snapshot(values: dict[str, Any]) -> dict[str, Any]:
    snap: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dt.time):
            value = value.strftime("%H:%M")
        elif isinstance(value, ReceiptMode):
            value = value.value
        snap[OPTION_KEYS[name]] = value
    return snap


def _states(*states: Any) -> str:
    return " / ".join(s.value for s in states)


# --------------------------------------------------------------------------- terminals


@dataclass(frozen=True)
class TerminalData:
    kind: TerminalKind
    tid: str | None
    serial_number: str | None = None
    model: str | None = None
    os_version: str | None = None
    firmware_version: str | None = None
    app_version: str | None = None


async def _tid_taken(session: AsyncSession, tid: str) -> bool:
    query = select(func.count()).select_from(m.Terminal).where(m.Terminal.tid == tid)
    return bool(await session.scalar(query))


async def _serial_taken(session: AsyncSession, serial: str) -> bool:
    query = select(func.count()).select_from(m.Terminal).where(m.Terminal.serial_number == serial)
    return bool(await session.scalar(query))


async def register_terminal(actor: Actor, data: TerminalData) -> m.Terminal:
    """A new terminal in stock. PAX terminals need their serial number; TID and serial are
    unique in the tenant."""
    v = Validator(actor.locale)
    p = ["input"]
    tid = v.tid([*p, "tid"], data.tid)
    known = len(v.errors)
    serial = v.text([*p, "serialNumber"], data.serial_number, required=False, max_length=40)
    if serial is not None:
        serial = serial.upper()
    elif data.kind is TerminalKind.PAX and len(v.errors) == known:
        v.add([*p, "serialNumber"], C.REQUIRED, "pax_serial_required")
    values = {
        "model": v.text([*p, "model"], data.model, required=False, max_length=60),
        "os_version": v.text([*p, "osVersion"], data.os_version, required=False, max_length=40),
        "firmware_version": v.text(
            [*p, "firmwareVersion"], data.firmware_version, required=False, max_length=40
        ),
        "app_version": v.text([*p, "appVersion"], data.app_version, required=False, max_length=40),
    }
    v.raise_if_any()
    assert tid is not None
    async with actor.scope() as session:
        if await _tid_taken(session, tid):
            v.add([*p, "tid"], C.DUPLICATE, "tid_taken")
        if serial is not None and await _serial_taken(session, serial):
            v.add([*p, "serialNumber"], C.DUPLICATE, "serial_taken")
        v.raise_if_any()
        terminal = m.Terminal(
            tenant_id=actor.tenant_id,
            id=uuid.uuid4(),
            kind=data.kind,
            tid=tid,
            serial_number=serial,
            status=TerminalStatus.IN_STOCK,
            **values,
        )
        session.add(terminal)
        try:
            await session.flush()
        except IntegrityError as exc:  # a concurrent registration won the race
            if "serial_number" in str(exc.orig):
                raise refuse(
                    actor.locale, [*p, "serialNumber"], C.DUPLICATE, "serial_taken"
                ) from exc
            raise refuse(actor.locale, [*p, "tid"], C.DUPLICATE, "tid_taken") from exc
        journal.record(
            session,
            actor,
            tenant_id=terminal.tenant_id,
            action="terminal.registered",
            entity_type="Terminal",
            entity_id=terminal.id,
            after=_terminal_snapshot(terminal),
        )
        await session.flush()
    return terminal


async def _open_shop(
    session: AsyncSession, actor: Actor, shop_id: uuid.UUID, path: list[str]
) -> m.Shop:
    shop = await session.get(m.Shop, (actor.tenant_id, shop_id))
    if shop is None:
        raise refuse(actor.locale, path, C.NOT_FOUND, "not_found", kind="Shop")
    if shop.status is not ShopStatus.OPEN:
        raise refuse(actor.locale, path, C.INVALID, "shop_closed")
    return shop


async def assign_terminal(
    actor: Actor, terminal_id: uuid.UUID, shop_id: uuid.UUID, expected_version: int | None
) -> m.Terminal:
    """Put a terminal of the stock in a shop (or move an assigned one to another shop)."""
    p = ["input"]
    async with actor.scope() as session:
        terminal = await load_for_update(
            session, m.Terminal, terminal_id, locale=actor.locale, path=[*p, "id"], kind="Terminal"
        )
        check_version(terminal, expected_version, actor.locale)
        transition = check_transition(TERMINAL, terminal.status, "assign", actor)
        shop = await _open_shop(session, actor, shop_id, [*p, "shopId"])
        if terminal.status is TerminalStatus.ASSIGNED and terminal.shop_id == shop.id:
            return terminal
        before = _terminal_snapshot(terminal)
        terminal.shop_id = shop.id
        terminal.status = transition.target  # type: ignore[assignment]
        await session.flush()
        changed_before, changed_after = journal.changes(before, _terminal_snapshot(terminal))
        journal.record(
            session,
            actor,
            tenant_id=terminal.tenant_id,
            action="terminal.assigned",
            entity_type="Terminal",
            entity_id=terminal.id,
            before=changed_before,
            after={**changed_after, "shopName": shop.name},
        )
        await session.flush()
    return terminal


@dataclass(frozen=True)
class OptionsChange:
    """The options to change; None means "keep the latest version's value"."""

    contactless: bool | None = None
    tipping: bool | None = None
    cashback: bool | None = None
    pre_authorization: bool | None = None
    manual_entry: bool | None = None
    receipt_mode: ReceiptMode | None = None
    language: str | None = None
    settlement_time: str | None = None


async def latest_options(session: AsyncSession, terminal_id: uuid.UUID) -> m.TerminalOptions | None:
    return (
        await session.execute(
            select(m.TerminalOptions)
            .where(m.TerminalOptions.terminal_id == terminal_id)
            .order_by(m.TerminalOptions.version_number.desc())
            .limit(1)
        )
    ).scalar_one_or_none()


async def update_terminal_options(
    actor: Actor, terminal_id: uuid.UUID, expected_version: int | None, change: OptionsChange
) -> tuple[m.Terminal, m.TerminalOptions | None]:
    """A new options version of a PAX terminal, PENDING until the device acknowledges it.

    Values not given are copied from the latest version (defaults for the first one). When
    nothing differs from the latest version, no version is made.
    """
    v = Validator(actor.locale)
    p = ["input"]
    given: dict[str, Any] = {
        name: getattr(change, name)
        for name in ("contactless", "tipping", "cashback", "pre_authorization", "manual_entry")
        if getattr(change, name) is not None
    }
    if change.receipt_mode is not None:
        given["receipt_mode"] = ReceiptMode(change.receipt_mode.value)
    if change.language is not None:
        given["language"] = v.language([*p, "language"], change.language)
    if change.settlement_time is not None:
        given["settlement_time"] = v.settlement_time([*p, "settlementTime"], change.settlement_time)
    if not given and not v.errors:
        v.add(p, C.INVALID, "nothing_to_change")
    v.raise_if_any()
    async with actor.scope() as session:
        terminal = await load_for_update(
            session, m.Terminal, terminal_id, locale=actor.locale, path=[*p, "id"], kind="Terminal"
        )
        check_version(terminal, expected_version, actor.locale)
        if terminal.kind is not TerminalKind.PAX:
            raise refuse(
                actor.locale,
                [*p, "id"],
                C.INVALID,
                "terminal_kind",
                expected=TerminalKind.PAX.value,
                kind=terminal.kind.value,
            )
        if terminal.status is TerminalStatus.RETURNED:
            raise refuse(
                actor.locale,
                [*p, "id"],
                C.INVALID_TRANSITION,
                "terminal_state",
                expected=_states(
                    TerminalStatus.IN_STOCK,
                    TerminalStatus.ASSIGNED,
                    TerminalStatus.ACTIVE,
                    TerminalStatus.BLOCKED,
                ),
                state=terminal.status.value,
            )
        latest = await latest_options(session, terminal.id)
        current = (
            {n: getattr(latest, n) for n in OPTION_FIELDS} if latest else dict(DEFAULT_OPTIONS)
        )
        values = {**current, **given}
        if latest is not None and values == current:
            return terminal, latest
        options = m.TerminalOptions(
            tenant_id=terminal.tenant_id,
            terminal_id=terminal.id,
            version_number=(latest.version_number + 1) if latest else 1,
            created_by=_user_id(actor),
            created_at=_now(),
            acknowledged_at=None,
            **values,
        )
        session.add(options)
        # The options belong to the terminal: its version moves (optimistic locking).
        terminal.updated_at = _now()
        await session.flush()
        # A new version is PENDING on the device: live screens hear of it (APPLIED -> PENDING,
        # or none -> PENDING), as they hear of the acknowledgement that applies it.
        applied = terminal.applied_options_version
        if options_status_of(
            latest.version_number if latest else None, applied
        ) is not options_status_of(options.version_number, applied):
            await announce(session, Topic.TERMINAL_STATUS, terminal.tenant_id, ids=[terminal.id])
        before = _options_snapshot(current) if latest else {}
        after = _options_snapshot(values)
        changed_before, changed_after = journal.changes(before, after)
        journal.record(
            session,
            actor,
            tenant_id=terminal.tenant_id,
            action="terminal.options_changed",
            entity_type="Terminal",
            entity_id=terminal.id,
            before={**changed_before, "optionsVersion": latest.version_number} if latest else None,
            after={**changed_after, "optionsVersion": options.version_number},
        )
        await session.flush()
    return terminal, options


async def block_terminal(
    actor: Actor,
    terminal_id: uuid.UUID,
    reason: str | None,
    until: dt.datetime | None,
    expected_version: int | None,
) -> m.Terminal:
    """Block an ACTIVE terminal (reason required; with `until`, it unblocks itself then)."""
    return await _block(actor, _TERMINAL_BLOCKS, terminal_id, reason, until, expected_version)


async def unblock_terminal(
    actor: Actor, terminal_id: uuid.UUID, expected_version: int | None, reason: str | None = None
) -> m.Terminal:
    return await _unblock(actor, _TERMINAL_BLOCKS, terminal_id, expected_version, reason)


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class _Blocks:
    """What blocking means for one kind of blockable row (a terminal, a service)."""

    model: type[Any]
    lifecycle: Lifecycle
    #: The GraphQL type and journal entity ("Terminal"; lower case, its actions' prefix).
    kind: str
    #: Whether the row also records when and by whom it was blocked.
    records_who: bool


_TERMINAL_BLOCKS = _Blocks(m.Terminal, TERMINAL, "Terminal", records_who=False)
_SERVICE_BLOCKS = _Blocks(m.Service, SERVICE, "Service", records_who=True)


async def _block(
    actor: Actor,
    blocks: _Blocks,
    entity_id: uuid.UUID,
    reason: str | None,
    until: dt.datetime | None,
    expected_version: int | None,
) -> Any:
    v = Validator(actor.locale)
    p = ["input"]
    reason = v.reason([*p, "reason"], reason, required=True)
    until = v.future([*p, "until"], until)
    v.raise_if_any()
    async with actor.scope() as session:
        row = await load_for_update(
            session, blocks.model, entity_id, locale=actor.locale, path=[*p, "id"], kind=blocks.kind
        )
        check_version(row, expected_version, actor.locale)
        if current_state(blocks.lifecycle, row) is not row.status:
            # A block whose `until` has passed is over: the sweep has not recorded it yet,
            # so it is recorded here, as the sweep would, before the new block.
            await _expire_block(session, blocks, row)
        transition = check_transition(blocks.lifecycle, row.status, "block", actor)
        before = row.status
        row.status = transition.target
        row.blocked_reason = reason
        row.blocked_until = until
        if blocks.records_who:
            row.blocked_at = _now()
            row.blocked_by = _user_id(actor)
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=row.tenant_id,
            action=f"{blocks.kind.lower()}.blocked",
            entity_type=blocks.kind,
            entity_id=row.id,
            before={"status": before.value},
            after={"status": row.status.value, "blockedUntil": _iso(until)},
            reason=reason,
        )
        await notes.block_changed(session, actor, blocks.kind, row, "blocked")
        await session.flush()
    return row


def _lift_block(blocks: _Blocks, row: Any, action: str) -> dict[str, Any]:
    """Unblock in memory (`unblock`, or `expireBlock` when its time has come); returns the
    values before, for the journal."""
    transition = blocks.lifecycle.find(action)
    assert row.status in transition.sources
    before = {
        "status": row.status.value,
        "blockedReason": row.blocked_reason,
        "blockedUntil": _iso(row.blocked_until),
    }
    row.status = transition.target
    row.blocked_reason = None
    row.blocked_until = None
    if blocks.records_who:
        row.blocked_at = None
        row.blocked_by = None
    return before


async def _expire_block(session: AsyncSession, blocks: _Blocks, row: Any) -> None:
    """Record that a block's `until` has come (done by the system, journaled as such). Its
    effect needs no record: from `until` on the block no longer counts anywhere
    (`lifecycles.current_state`)."""
    before = _lift_block(blocks, row, "expireBlock")
    journal.record(
        session,
        None,
        tenant_id=row.tenant_id,
        action=f"{blocks.kind.lower()}.unblocked",
        entity_type=blocks.kind,
        entity_id=row.id,
        before=before,
        after={"status": row.status.value},
        reason=AUTO_UNBLOCK_REASON,
        system_label=AUTO_UNBLOCK_LABEL,
    )
    await notes.block_changed(session, None, blocks.kind, row, "expired")


async def _unblock(
    actor: Actor,
    blocks: _Blocks,
    entity_id: uuid.UUID,
    expected_version: int | None,
    reason: str | None,
) -> Any:
    v = Validator(actor.locale)
    p = ["input"]
    reason = v.reason([*p, "reason"], reason, required=False)
    v.raise_if_any()
    async with actor.scope() as session:
        row = await load_for_update(
            session, blocks.model, entity_id, locale=actor.locale, path=[*p, "id"], kind=blocks.kind
        )
        check_version(row, expected_version, actor.locale)
        check_transition(blocks.lifecycle, row.status, "unblock", actor)
        before = _lift_block(blocks, row, "unblock")
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=row.tenant_id,
            action=f"{blocks.kind.lower()}.unblocked",
            entity_type=blocks.kind,
            entity_id=row.id,
            before=before,
            after={"status": row.status.value},
            reason=reason,
        )
        await notes.block_changed(session, actor, blocks.kind, row, "unblocked")
        await session.flush()
    return row


# --------------------------------------------------------------------------- services


@dataclass(frozen=True)
class ActivationData:
    contract_id: uuid.UUID
    shop_id: uuid.UUID
    kind: ServiceKind
    terminal_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Activation:
    service: m.Service
    terminal: m.Terminal | None
    #: The SoftPOS one-time code, in clear: returned once, never stored (only its hash).
    activation_code: str | None = None


def new_activation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_activation_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_activation_code(code: str) -> str:
    """SHA-256 (hex) of the normalized code: what the database keeps."""
    return hashlib.sha256(normalize_activation_code(code).encode()).hexdigest()


def _assign_in_memory(terminal: m.Terminal, shop_id: uuid.UUID) -> None:
    transition = TERMINAL.find("assign")
    assert terminal.status in transition.sources
    terminal.shop_id = shop_id
    terminal.status = transition.target  # type: ignore[assignment]


def _activate_in_memory(terminal: m.Terminal) -> None:
    transition = TERMINAL.find("activate")
    assert terminal.status in transition.sources
    terminal.status = transition.target  # type: ignore[assignment]


async def _terminal_busy(
    session: AsyncSession, terminal_id: uuid.UUID, but: uuid.UUID | None
) -> bool:
    query = (
        select(func.count())
        .select_from(m.Service)
        .where(m.Service.terminal_id == terminal_id, m.Service.status.in_(LIVE_SERVICE_STATES))
    )
    if but is not None:
        query = query.where(m.Service.id != but)
    return bool(await session.scalar(query))


def _check_contract_and_company(
    v: Validator,
    contract: m.Contract,
    company: m.Company,
    path: list[str],
) -> None:
    if contract.status not in CONTRACT_STATES_FOR_ACTIVATION:
        v.add(
            path,
            C.INVALID_TRANSITION,
            "contract_state",
            expected=_states(*CONTRACT_STATES_FOR_ACTIVATION),
            state=contract.status.value,
        )
    if company.status not in COMPANY_STATES_FOR_ACTIVATION:
        v.add(
            path,
            C.INVALID_TRANSITION,
            "company_state",
            expected=_states(*COMPANY_STATES_FOR_ACTIVATION),
            state=company.status.value,
        )


async def activate_service(actor: Actor, data: ActivationData) -> Activation:
    """Activate a service of a contract on a shop (DESIGN §2).

    PAY_ON_SITE: on a PAX terminal IN_STOCK (assigned to the shop here) or ASSIGNED to that
    shop; the service and the terminal are ACTIVE at once. PAYWISH_SOFTPOS: the service is
    PENDING and a one-time activation code is returned, valid 24 h; the phone enrolls with it.
    """
    v = Validator(actor.locale)
    p = ["input"]
    kind = ServiceKind(data.kind.value)
    if kind is ServiceKind.PAY_ON_SITE and data.terminal_id is None:
        v.add([*p, "terminalId"], C.REQUIRED, "required")
    if kind is ServiceKind.PAYWISH_SOFTPOS and data.terminal_id is not None:
        v.add([*p, "terminalId"], C.INVALID, "softpos_no_terminal")
    v.raise_if_any()
    async with actor.scope() as session:
        contract = await load_for_update(
            session,
            m.Contract,
            data.contract_id,
            locale=actor.locale,
            path=[*p, "contractId"],
            kind="Contract",
        )
        company = await load_for_update(
            session,
            m.Company,
            contract.company_id,
            locale=actor.locale,
            path=[*p, "contractId"],
            kind="Company",
        )
        _check_contract_and_company(v, contract, company, [*p, "contractId"])
        shop = await session.get(m.Shop, (actor.tenant_id, data.shop_id))
        if shop is None:
            v.add([*p, "shopId"], C.NOT_FOUND, "not_found", kind="Shop")
        else:
            covered = await session.scalar(
                select(func.count())
                .select_from(m.ContractShop)
                .where(m.ContractShop.contract_id == contract.id, m.ContractShop.shop_id == shop.id)
            )
            if not covered:
                v.add([*p, "shopId"], C.INVALID, "shop_not_covered")
            elif shop.status is not ShopStatus.OPEN:
                v.add([*p, "shopId"], C.INVALID, "shop_closed")
        if kind.value not in (contract.service_kinds or []):
            v.add([*p, "kind"], C.INVALID, "service_not_in_contract", kind=kind.value)
        terminal: m.Terminal | None = None
        if data.terminal_id is not None:
            terminal = await session.scalar(
                select(m.Terminal)
                .where(m.Terminal.id == data.terminal_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
            tp = [*p, "terminalId"]
            if terminal is None:
                v.add(tp, C.NOT_FOUND, "not_found", kind="Terminal")
            elif terminal.kind is not TerminalKind.PAX:
                v.add(tp, C.INVALID, "terminal_kind", expected="PAX", kind=terminal.kind.value)
            elif terminal.status not in (TerminalStatus.IN_STOCK, TerminalStatus.ASSIGNED):
                v.add(
                    tp,
                    C.INVALID_TRANSITION,
                    "terminal_state",
                    expected=_states(TerminalStatus.IN_STOCK, TerminalStatus.ASSIGNED),
                    state=terminal.status.value,
                )
            elif (
                terminal.status is TerminalStatus.ASSIGNED
                and shop is not None
                and terminal.shop_id != shop.id
            ):
                v.add(tp, C.INVALID, "terminal_other_shop")
            elif await _terminal_busy(session, terminal.id, None):
                v.add(tp, C.INVALID, "terminal_busy")
        v.raise_if_any()
        assert shop is not None

        service = m.Service(
            tenant_id=actor.tenant_id,
            id=uuid.uuid4(),
            contract_id=contract.id,
            shop_id=shop.id,
            kind=kind,
            status=SERVICE.initial,
        )
        code: str | None = None
        if kind is ServiceKind.PAY_ON_SITE:
            assert terminal is not None
            terminal_before = _terminal_snapshot(terminal)
            if terminal.status is TerminalStatus.IN_STOCK:
                _assign_in_memory(terminal, shop.id)
            _activate_in_memory(terminal)
            transition = check_transition(SERVICE, service.status, "activate", actor)
            service.terminal_id = terminal.id
            service.status = transition.target  # type: ignore[assignment]
            service.activated_at = _now()
            session.add(service)
            await session.flush()
            changed_before, changed_after = journal.changes(
                terminal_before, _terminal_snapshot(terminal)
            )
            journal.record(
                session,
                actor,
                tenant_id=terminal.tenant_id,
                action="terminal.activated",
                entity_type="Terminal",
                entity_id=terminal.id,
                before=changed_before,
                after={**changed_after, "serviceId": str(service.id)},
            )
            journal.record(
                session,
                actor,
                tenant_id=service.tenant_id,
                action="service.activated",
                entity_type="Service",
                entity_id=service.id,
                after=_service_snapshot(service),
            )
            await session.flush()
            await mark_service_active(session, actor, contract)
        else:
            code = new_activation_code()
            service.activation_code_hash = hash_activation_code(code)
            service.activation_code_expires_at = _now() + CODE_LIFETIME
            session.add(service)
            await session.flush()
            journal.record(
                session,
                actor,
                tenant_id=service.tenant_id,
                action="service.activation_code_issued",
                entity_type="Service",
                entity_id=service.id,
                after={
                    **_service_snapshot(service),
                    "activationCodeExpiresAt": _iso(service.activation_code_expires_at),
                },
            )
            await session.flush()
    return Activation(service=service, terminal=terminal, activation_code=code)


async def regenerate_activation_code(
    actor: Actor, service_id: uuid.UUID, expected_version: int | None
) -> Activation:
    """A new one-time code for a PENDING SoftPOS service whose code was lost or expired:
    the new code is returned once (only its hash is kept, valid 24 h) and the old one stops
    working at once (its hash is replaced in the same row). Journaled."""
    p = ["input"]
    async with actor.scope() as session:
        service = await load_for_update(
            session,
            m.Service,
            service_id,
            locale=actor.locale,
            path=[*p, "serviceId"],
            kind="Service",
        )
        check_version(service, expected_version, actor.locale)
        if service.kind is not ServiceKind.PAYWISH_SOFTPOS or service.status is not (
            ServiceStatus.PENDING
        ):
            raise refuse(
                actor.locale,
                [*p, "serviceId"],
                C.INVALID_TRANSITION,
                "activation_code_not_pending",
                kind=service.kind.value,
                state=service.status.value,
            )
        check_transition(SERVICE, service.status, "regenerateCode", actor)
        before = {"activationCodeExpiresAt": _iso(service.activation_code_expires_at)}
        code = new_activation_code()
        service.activation_code_hash = hash_activation_code(code)
        service.activation_code_expires_at = _now() + CODE_LIFETIME
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=service.tenant_id,
            action="service.activation_code_regenerated",
            entity_type="Service",
            entity_id=service.id,
            before=before,
            after={"activationCodeExpiresAt": _iso(service.activation_code_expires_at)},
        )
        await session.flush()
    return Activation(service=service, terminal=None, activation_code=code)


def _device_value(device: dict[str, Any], *names: str) -> Any:
    for name in names:
        if device.get(name) is not None:
            return device[name]
    return None


async def _free_tid(session: AsyncSession) -> str:
    for _ in range(20):
        tid = "SP" + "".join(secrets.choice(TID_ALPHABET) for _ in range(6))
        if not await _tid_taken(session, tid):
            return tid
    raise RuntimeError("could not draw a free TID")


async def complete_softpos_enrollment(
    session: AsyncSession, actor: Actor | None, code: str, device: dict[str, Any]
) -> m.Service:
    """Enroll a phone with a SoftPOS activation code: the PENDING service becomes ACTIVE.

    The code must match a stored hash and not be expired; it is single-use (the hash is
    cleared). `device` describes the phone: `tid` (optional; drawn when absent),
    `serialNumber` (the device's identifier, optional), `model`, `osVersion`, `appVersion`.
    A SOFTPOS terminal of the tenant with that TID or identifier is reused if it is in stock
    or assigned to the service's shop; otherwise one is registered. It is assigned to the
    shop and made ACTIVE with the service; the contract and company follow
    (`mark_service_active`). Runs in the caller's session and transaction.
    """
    locale = actor.locale if actor is not None else DEFAULT_LOCALE
    p = ["input", "activationCode"]
    normalized = normalize_activation_code(code or "")
    if len(normalized) != CODE_LENGTH:
        raise refuse(locale, p, C.INVALID, "activation_code_invalid")
    service = await session.scalar(
        select(m.Service)
        .where(m.Service.activation_code_hash == hash_activation_code(normalized))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if service is None:
        raise refuse(locale, p, C.INVALID, "activation_code_invalid")
    expires = service.activation_code_expires_at
    if expires is None or expires <= _now():
        raise refuse(locale, p, C.EXPIRED, "activation_code_expired")
    transition = check_transition(SERVICE, service.status, "activate", locale)

    v = Validator(locale)
    dp = ["input", "device"]
    tid_given = _device_value(device, "tid")
    tid = v.tid([*dp, "tid"], tid_given) if tid_given is not None else None
    serial = v.text(
        [*dp, "serialNumber"],
        _device_value(device, "serialNumber", "serial_number"),
        required=False,
        max_length=40,
    )
    details = {
        "model": v.text(
            [*dp, "model"], _device_value(device, "model"), required=False, max_length=60
        ),
        "os_version": v.text(
            [*dp, "osVersion"],
            _device_value(device, "osVersion", "os_version"),
            required=False,
            max_length=40,
        ),
        "app_version": v.text(
            [*dp, "appVersion"],
            _device_value(device, "appVersion", "app_version"),
            required=False,
            max_length=40,
        ),
    }
    v.raise_if_any()

    contract = await load_for_update(
        session, m.Contract, service.contract_id, locale=locale, path=p, kind="Contract"
    )
    company = await load_for_update(
        session, m.Company, contract.company_id, locale=locale, path=p, kind="Company"
    )
    _check_contract_and_company(v, contract, company, p)
    v.raise_if_any()

    terminal: m.Terminal | None = None
    if tid is not None or serial is not None:
        conditions = []
        if tid is not None:
            conditions.append(m.Terminal.tid == tid)
        if serial is not None:
            conditions.append(m.Terminal.serial_number == serial)
        terminal = await session.scalar(
            select(m.Terminal)
            .where(or_(*conditions))
            .with_for_update()
            .execution_options(populate_existing=True)
            .limit(1)
        )
    if terminal is not None:
        if terminal.kind is not TerminalKind.SOFTPOS:
            raise refuse(
                locale, dp, C.INVALID, "terminal_kind", expected="SOFTPOS", kind=terminal.kind.value
            )
        if terminal.status not in (TerminalStatus.IN_STOCK, TerminalStatus.ASSIGNED):
            raise refuse(
                locale,
                dp,
                C.INVALID_TRANSITION,
                "terminal_state",
                expected=_states(TerminalStatus.IN_STOCK, TerminalStatus.ASSIGNED),
                state=terminal.status.value,
            )
        if terminal.status is TerminalStatus.ASSIGNED and terminal.shop_id != service.shop_id:
            raise refuse(locale, dp, C.INVALID, "terminal_other_shop")
        if await _terminal_busy(session, terminal.id, service.id):
            raise refuse(locale, dp, C.INVALID, "terminal_busy")
        before = _terminal_snapshot(terminal)
        for name, value in details.items():
            if value is not None:
                setattr(terminal, name, value)
        action = "terminal.activated"
    else:
        terminal = m.Terminal(
            tenant_id=service.tenant_id,
            id=uuid.uuid4(),
            kind=TerminalKind.SOFTPOS,
            tid=tid or await _free_tid(session),
            serial_number=serial,
            status=TERMINAL.initial,
            **details,
        )
        session.add(terminal)
        before = {}
        action = "terminal.enrolled"
    if terminal.status is TerminalStatus.IN_STOCK:
        _assign_in_memory(terminal, service.shop_id)
    _activate_in_memory(terminal)
    terminal.last_seen_at = _now()
    try:
        await session.flush()
    except IntegrityError as exc:
        raise refuse(locale, [*dp, "tid"], C.DUPLICATE, "tid_taken") from exc

    service_before = _service_snapshot(service)
    service.terminal_id = terminal.id
    service.status = transition.target  # type: ignore[assignment]
    service.activated_at = _now()
    service.activation_code_hash = None
    service.activation_code_expires_at = None
    await session.flush()
    changed_before, changed_after = journal.changes(before, _terminal_snapshot(terminal))
    journal.record(
        session,
        actor,
        tenant_id=terminal.tenant_id,
        action=action,
        entity_type="Terminal",
        entity_id=terminal.id,
        before=changed_before or None,
        after={**changed_after, "serviceId": str(service.id)},
    )
    changed_before, changed_after = journal.changes(service_before, _service_snapshot(service))
    journal.record(
        session,
        actor,
        tenant_id=service.tenant_id,
        action="service.activated",
        entity_type="Service",
        entity_id=service.id,
        before=changed_before,
        after=changed_after,
    )
    await session.flush()
    await mark_service_active(session, actor, contract)
    return service


async def block_service(
    actor: Actor,
    service_id: uuid.UUID,
    reason: str | None,
    until: dt.datetime | None,
    expected_version: int | None,
) -> m.Service:
    """Block an ACTIVE service (reason required; with `until`, it unblocks itself then)."""
    return await _block(actor, _SERVICE_BLOCKS, service_id, reason, until, expected_version)


async def unblock_service(
    actor: Actor, service_id: uuid.UUID, expected_version: int | None, reason: str | None = None
) -> m.Service:
    return await _unblock(actor, _SERVICE_BLOCKS, service_id, expected_version, reason)


async def deactivate_service(
    actor: Actor, service_id: uuid.UUID, reason: str | None, expected_version: int | None
) -> tuple[m.Service, m.Terminal | None]:
    """Deactivate a service for good (`end_services`); returns it and its terminal."""
    v = Validator(actor.locale)
    p = ["input"]
    reason = v.reason([*p, "reason"], reason, required=True)
    v.raise_if_any()
    async with actor.scope() as session:
        service = await load_for_update(
            session, m.Service, service_id, locale=actor.locale, path=[*p, "id"], kind="Service"
        )
        check_version(service, expected_version, actor.locale)
        await end_services(session, actor, [service], reason)
        terminal: m.Terminal | None = None
        if service.terminal_id is not None:
            terminal = await session.get(m.Terminal, (service.tenant_id, service.terminal_id))
    return service, terminal


#: What a service's and a terminal's journal entries show of an ending.
_ENDING_SERVICE_FIELDS = ("status", "blocked_reason", "blocked_until")
_RETURNED_TERMINAL_FIELDS = ("status", "shop_id", "blocked_reason", "blocked_until")


async def end_services(
    session: AsyncSession, actor: Actor, services: Sequence[m.Service], reason: str | None
) -> list[m.Terminal]:
    """Deactivate services and return their terminals: the one way a service ends, whether
    staff deactivate it (`deactivateService`) or its contract ends (`terminateContract`,
    an approved TERMINATION request).

    The services must be locked by the caller. Each becomes DEACTIVATED; its block and a
    pending SoftPOS activation code die with it. A terminal that no other live service holds
    is RETURNED: it leaves its shop (it is no longer at the merchant's) and its block is
    cleared. Every change is journaled with `reason`. Returns the terminals returned.
    """
    now = _now()
    for service in services:
        transition = check_transition(SERVICE, service.status, "deactivate", actor)
        before = journal.snapshot(service, _ENDING_SERVICE_FIELDS)
        service.status = transition.target  # type: ignore[assignment]
        service.deactivated_at = now
        service.blocked_reason = None
        service.blocked_at = None
        service.blocked_until = None
        service.blocked_by = None
        service.activation_code_hash = None
        service.activation_code_expires_at = None
        changed_before, changed_after = journal.changes(
            before, journal.snapshot(service, _ENDING_SERVICE_FIELDS)
        )
        journal.record(
            session,
            actor,
            tenant_id=service.tenant_id,
            action="service.deactivated",
            entity_type="Service",
            entity_id=service.id,
            before=changed_before,
            after=changed_after,
            reason=reason,
        )
    await session.flush()
    released = {s.terminal_id: s for s in services if s.terminal_id is not None}
    if not released:
        return []
    # Terminals locked in id order (two endings sharing terminals wait, never deadlock);
    # then a terminal still carrying a live service (of another contract) stays where it is.
    terminals = list(
        (
            await session.execute(
                select(m.Terminal)
                .where(m.Terminal.id.in_(list(released)))
                .order_by(m.Terminal.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalars()
    )
    busy = set(
        (
            await session.execute(
                select(m.Service.terminal_id).where(
                    m.Service.terminal_id.in_(list(released)),
                    m.Service.status.in_(LIVE_SERVICE_STATES),
                )
            )
        ).scalars()
    )
    back = TERMINAL.find("return")
    returned = []
    for terminal in terminals:
        if terminal.id in busy or terminal.status not in back.sources:
            continue
        before = journal.snapshot(terminal, _RETURNED_TERMINAL_FIELDS)
        terminal.status = back.target  # type: ignore[assignment]
        terminal.shop_id = None
        terminal.blocked_reason = None
        terminal.blocked_until = None
        changed_before, changed_after = journal.changes(
            before, journal.snapshot(terminal, _RETURNED_TERMINAL_FIELDS)
        )
        journal.record(
            session,
            actor,
            tenant_id=terminal.tenant_id,
            action="terminal.returned",
            entity_type="Terminal",
            entity_id=terminal.id,
            before=changed_before,
            after={**changed_after, "serviceId": str(released[terminal.id].id)},
            reason=reason,
        )
        returned.append(terminal)
    await session.flush()
    return returned


async def restock_terminal(
    actor: Actor, terminal_id: uuid.UUID, reason: str | None, expected_version: int | None
) -> m.Terminal:
    """Put a RETURNED terminal back in stock (IN_STOCK) once it has been checked: `reason`
    says what the check found. It can then be assigned and used again like a new one."""
    v = Validator(actor.locale)
    p = ["input"]
    reason = v.reason([*p, "reason"], reason, required=True)
    v.raise_if_any()
    async with actor.scope() as session:
        terminal = await load_for_update(
            session, m.Terminal, terminal_id, locale=actor.locale, path=[*p, "id"], kind="Terminal"
        )
        check_version(terminal, expected_version, actor.locale)
        transition = check_transition(TERMINAL, terminal.status, "restock", actor)
        before = journal.snapshot(terminal, _RETURNED_TERMINAL_FIELDS)
        terminal.status = transition.target  # type: ignore[assignment]
        terminal.shop_id = None
        terminal.blocked_reason = None
        terminal.blocked_until = None
        await session.flush()
        changed_before, changed_after = journal.changes(
            before, journal.snapshot(terminal, _RETURNED_TERMINAL_FIELDS)
        )
        journal.record(
            session,
            actor,
            tenant_id=terminal.tenant_id,
            action="terminal.restocked",
            entity_type="Terminal",
            entity_id=terminal.id,
            before=changed_before,
            after=changed_after,
            reason=reason,
        )
        await session.flush()
    return terminal


# --------------------------------------------------------------------------- auto-unblock


async def _lift_in_tenant(db: Database, tenant_id: uuid.UUID, now: Any) -> int:
    lifted = 0
    async with db.session(tenant_claims(tenant_id)) as session, session.begin():
        services = (
            await session.scalars(
                select(m.Service)
                .where(
                    m.Service.status == ServiceStatus.BLOCKED,
                    m.Service.blocked_until.is_not(None),
                    m.Service.blocked_until <= now,
                )
                .with_for_update(skip_locked=True)
            )
        ).all()
        for service in services:
            await _expire_block(session, _SERVICE_BLOCKS, service)
        terminals = (
            await session.scalars(
                select(m.Terminal)
                .where(
                    m.Terminal.status == TerminalStatus.BLOCKED,
                    m.Terminal.blocked_until.is_not(None),
                    m.Terminal.blocked_until <= now,
                )
                .with_for_update(skip_locked=True)
            )
        ).all()
        for terminal in terminals:
            await _expire_block(session, _TERMINAL_BLOCKS, terminal)
        lifted = len(services) + len(terminals)
        await session.flush()
    return lifted


async def lift_expired_blocks(db: Database, now: dt.datetime | None = None) -> int:
    """Unblock every service and terminal whose block's `until` has come; returns how many.

    One transaction per tenant (row-level security needs the tenant's claim). Rows are taken
    `FOR UPDATE SKIP LOCKED` and must still be BLOCKED with an expired `until`: several
    processes may sweep at once, and each block is lifted (and journaled) exactly once. A
    failing tenant is logged and the others are still swept.
    """
    cutoff: Any = now if now is not None else func.now()
    async with db.session(platform_claims()) as session:
        tenant_ids = list((await session.scalars(select(m.Tenant.id))).all())
        await session.rollback()
    total = 0
    for tenant_id in tenant_ids:
        try:
            total += await _lift_in_tenant(db, tenant_id, cutoff)
        except Exception:
            log.exception("auto-unblock failed for tenant %s", tenant_id)
    return total
