"""A service's life: activate it on a contract and a shop (PAX or SoftPOS), deactivate
it, and `end_services`, the one way services end (deactivation, or their contract ending).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    ServiceKind,
    ShopStatus,
    TerminalKind,
    TerminalStatus,
)
from resolvers import journal
from resolvers.contract_status import mark_service_active
from resolvers.errors import UserErrorCode as C
from resolvers.lifecycles import SERVICE, TERMINAL, check_transition
from resolvers.terminals.common import (
    _ENDING_SERVICE_FIELDS,
    _RETURNED_TERMINAL_FIELDS,
    CODE_LIFETIME,
    COMPANY_STATES_FOR_ACTIVATION,
    CONTRACT_STATES_FOR_ACTIVATION,
    LIVE_SERVICE_STATES,
    _iso,
    _now,
    _service_snapshot,
    _states,
    _terminal_snapshot,
    hash_activation_code,
    new_activation_code,
)
from resolvers.usecase import Actor, check_version, load_for_update
from resolvers.validation import Validator


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


async def live_services_at_shop(session: AsyncSession, shop_id: uuid.UUID) -> int:
    """The shop's services still PENDING, ACTIVE or BLOCKED: the shop may not close while
    any is (each ends with `deactivateService`, which returns its terminal)."""
    count = await session.scalar(
        select(func.count())
        .select_from(m.Service)
        .where(m.Service.shop_id == shop_id, m.Service.status.in_(LIVE_SERVICE_STATES))
    )
    return int(count or 0)


async def return_idle_terminals(
    session: AsyncSession, actor: Actor, shop_id: uuid.UUID, reason: str | None
) -> list[m.Terminal]:
    """A closing shop's terminals assigned without a service go back (RETURNED, out of the
    shop, to be checked and restocked), each with its journal entry."""
    back = TERMINAL.find("return")
    terminals = list(
        (
            await session.execute(
                select(m.Terminal)
                .where(m.Terminal.shop_id == shop_id, m.Terminal.status == TerminalStatus.ASSIGNED)
                .order_by(m.Terminal.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalars()
    )
    for terminal in terminals:
        before = journal.snapshot(terminal, _RETURNED_TERMINAL_FIELDS)
        terminal.status = back.target  # type: ignore[assignment]
        terminal.shop_id = None
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
            after=changed_after,
            reason=reason,
        )
    await session.flush()
    return terminals
