"""Blocking and unblocking a terminal or a service (reason required, an optional
`until`), and the sweep that lifts expired blocks (spring/unblocker.py runs it).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    ServiceStatus,
    TerminalStatus,
)
from db.session import Database
from resolvers import journal
from resolvers import notifications as notes
from resolvers.lifecycles import SERVICE, TERMINAL, Lifecycle, check_transition, current_state
from resolvers.terminals.common import AUTO_UNBLOCK_LABEL, AUTO_UNBLOCK_REASON, _iso, _now, _user_id
from resolvers.usecase import Actor, check_version, load_for_update
from resolvers.validation import Validator
from tenancy.principal import platform_claims, tenant_claims

log = logging.getLogger("spring.fleet")


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
