"""A terminal's life in the partner's stock: register it, assign it to a shop, put a
RETURNED terminal back in stock.

Each use case validates everything, locks the rows it changes, checks the optimistic version
and the lifecycle (`resolvers/lifecycles.py`), then writes the change and its journal entries
in the request's transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    ShopStatus,
    TerminalKind,
    TerminalStatus,
)
from resolvers import journal
from resolvers.errors import UserErrorCode as C
from resolvers.lifecycles import TERMINAL, check_transition
from resolvers.terminals.common import _RETURNED_TERMINAL_FIELDS, _terminal_snapshot
from resolvers.usecase import Actor, check_version, load_for_update, refuse
from resolvers.validation import Validator


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
        terminal.status = transition.target
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
        terminal.status = transition.target
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
