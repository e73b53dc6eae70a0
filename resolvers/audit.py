"""The business journal (audit events), with the policy's row scope applied."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass

from sqlalchemy import Select, select

from db import models as m
from resolvers.listing import choose, orderings
from resolvers.pagination import ChildList, Page, PageArgs, SessionScope, paginate
from tenancy.policy import RowScope
from tenancy.principal import Principal


@dataclass(frozen=True)
class AuditFilter:
    entity_type: str | None = None
    entity_id: uuid.UUID | None = None
    actor: uuid.UUID | None = None
    action: list[str] | None = None
    occurred_from: dt.datetime | None = None
    occurred_to: dt.datetime | None = None


AUDIT_ORDERINGS = orderings(
    {"OCCURRED_AT": (m.AuditEvent.occurred_at, m.AuditEvent.id)}, "auditEvents"
)
NEWEST_FIRST = AUDIT_ORDERINGS[("OCCURRED_AT", True)]


def entity_history(scope: RowScope, principal: Principal) -> ChildList:
    """An entity's journal, as the caller may see it (one spec per scope and caller, so the
    request's loader for it is shared by every parent: no N+1)."""
    return _history(scope, principal.user_id if scope is RowScope.OWN else None)


@functools.lru_cache(maxsize=1024)
def _history(scope: RowScope, user_id: uuid.UUID | None) -> ChildList:
    where = (m.AuditEvent.actor_id == user_id,) if user_id is not None else ()
    return ChildList(m.AuditEvent, m.AuditEvent.entity_id, NEWEST_FIRST, where=where)


def _scoped(scope: RowScope, principal: Principal) -> tuple[object, ...]:
    if scope is RowScope.OWN:
        return (m.AuditEvent.actor_id == principal.user_id,)
    return ()


def audit_query(
    f: AuditFilter, scope: RowScope, principal: Principal
) -> Select[tuple[m.AuditEvent]]:
    stmt = select(m.AuditEvent).where(*_scoped(scope, principal))
    if f.entity_type:
        stmt = stmt.where(m.AuditEvent.entity_type == f.entity_type)
    if f.entity_id:
        stmt = stmt.where(m.AuditEvent.entity_id == f.entity_id)
    if f.actor:
        stmt = stmt.where(m.AuditEvent.actor_id == f.actor)
    if f.action:
        stmt = stmt.where(m.AuditEvent.action.in_(f.action))
    if f.occurred_from:
        stmt = stmt.where(m.AuditEvent.occurred_at >= f.occurred_from)
    if f.occurred_to:
        stmt = stmt.where(m.AuditEvent.occurred_at < f.occurred_to)
    return stmt


async def list_audit_events(
    scope_of_rows: RowScope,
    principal: Principal,
    scope: SessionScope,
    f: AuditFilter,
    order: tuple[str, bool],
    args: PageArgs,
) -> Page[m.AuditEvent]:
    stmt = audit_query(f, scope_of_rows, principal)
    return await paginate(scope, stmt, choose(AUDIT_ORDERINGS, *order), args)
