"""SoftPOS (Tap to Pay): a new one-time activation code for a PENDING service, and the
phone's enrollment with that code (the service becomes ACTIVE).
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    ServiceKind,
    ServiceStatus,
    TerminalKind,
    TerminalStatus,
)
from resolvers import journal
from resolvers.contract_status import mark_service_active
from resolvers.errors import UserErrorCode as C
from resolvers.lifecycles import SERVICE, TERMINAL, check_transition
from resolvers.messages import DEFAULT_LOCALE
from resolvers.terminals.common import (
    CODE_LENGTH,
    CODE_LIFETIME,
    TID_ALPHABET,
    _iso,
    _now,
    _service_snapshot,
    _states,
    _terminal_snapshot,
    hash_activation_code,
    new_activation_code,
    normalize_activation_code,
)
from resolvers.terminals.services import (
    Activation,
    _activate_in_memory,
    _assign_in_memory,
    _check_contract_and_company,
    _terminal_busy,
)
from resolvers.terminals.stock import _tid_taken
from resolvers.usecase import Actor, check_version, load_for_update, refuse
from resolvers.validation import Validator


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
