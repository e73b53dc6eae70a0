"""A user's notifications: the list, the unread count, marking them read, and the
per-kind preferences (bell, e-mail). Only the user's own rows, whatever the role.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import func, select

from db import models as m
from db.enums import NotificationKind as K
from resolvers.errors import UserErrorCode as C
from resolvers.listing import orderings

#: How long notifications (and sent mails, and told episodes) are kept.
from resolvers.notifications.catalogue import RULES, kinds_for
from resolvers.pagination import Page, PageArgs, SessionScope, paginate
from resolvers.usecase import Actor, Problems, refuse
from tenancy.principal import Principal

NOTIFICATION_ORDERINGS = orderings(
    {"CREATED_AT": (m.Notification.created_at, m.Notification.id)}, "notifications"
)


@dataclass(frozen=True)
class NotificationFilter:
    unread: bool | None = None
    kind: Sequence[K] | None = None


def _mine(principal: Principal) -> sa.Select[tuple[m.Notification]]:
    return select(m.Notification).where(
        m.Notification.recipient_id == principal.user_id,
        m.Notification.kind.in_(kinds_for(principal)),
    )


async def list_notifications(
    scope: SessionScope, principal: Principal, f: NotificationFilter, args: PageArgs
) -> Page[m.Notification]:
    """The caller's notifications, newest first."""
    stmt = _mine(principal)
    if f.unread is True:
        stmt = stmt.where(m.Notification.read_at.is_(None))
    elif f.unread is False:
        stmt = stmt.where(m.Notification.read_at.is_not(None))
    if f.kind:
        stmt = stmt.where(m.Notification.kind.in_(list(f.kind)))
    return await paginate(scope, stmt, NOTIFICATION_ORDERINGS[("CREATED_AT", True)], args)


async def unread_count(scope: SessionScope, principal: Principal) -> int:
    stmt = (
        select(func.count())
        .select_from(m.Notification)
        .where(
            m.Notification.recipient_id == principal.user_id,
            m.Notification.kind.in_(kinds_for(principal)),
            m.Notification.read_at.is_(None),
        )
    )
    async with scope() as session:
        return int(await session.scalar(stmt) or 0)


def readable(principal: Principal, row: m.Notification) -> bool:
    """Whether this caller may be shown this notification (theirs, and a kind they read)."""
    return row.recipient_id == principal.user_id and row.kind in kinds_for(principal)


async def mark_read(
    actor: Actor, ids: Sequence[uuid.UUID] | None, everything: bool
) -> tuple[list[m.Notification], int]:
    """Mark the caller's notifications read: the ones named, or all. Returns the named rows
    (read now) and how many are still unread."""
    if everything == bool(ids):
        raise refuse(actor.locale, ["input"], C.INVALID, "notifications_ids_or_all")
    principal = actor.principal
    now = dt.datetime.now(dt.UTC)
    async with actor.scope() as session:
        rows: list[m.Notification] = []
        if everything:
            await session.execute(
                sa.update(m.Notification)
                .where(
                    m.Notification.recipient_id == principal.user_id,
                    m.Notification.read_at.is_(None),
                )
                .values(read_at=now)
            )
        else:
            wanted = list(dict.fromkeys(ids or ()))
            if len(wanted) > 100:
                raise refuse(actor.locale, ["input", "ids"], C.TOO_MANY, "too_many", max=100)
            found = {
                n.id: n
                for n in (
                    await session.scalars(
                        _mine(principal)
                        .where(m.Notification.id.in_(wanted))
                        .execution_options(populate_existing=True)
                    )
                ).all()
            }
            problems = Problems(actor.locale)
            for index, wanted_id in enumerate(wanted):
                if wanted_id not in found:
                    problems.add(
                        ["input", "ids", str(index)], C.NOT_FOUND, "not_found", kind="Notification"
                    )
            problems.raise_if_any()
            for wanted_id in wanted:
                row = found[wanted_id]
                if row.read_at is None:
                    row.read_at = now
                rows.append(row)
            await session.flush()
    return rows, await unread_count(actor.scope, principal)


@dataclass(frozen=True)
class Preference:
    kind: K
    in_app: bool
    email: bool


async def preferences(scope: SessionScope, principal: Principal) -> list[Preference]:
    """Every kind the caller may receive, with their choice or the default."""
    async with scope() as session:
        chosen = {
            p.kind: p
            for p in (
                await session.scalars(
                    select(m.NotificationPreference).where(
                        m.NotificationPreference.user_id == principal.user_id
                    )
                )
            ).all()
        }
    result = []
    for kind in kinds_for(principal):
        p = chosen.get(kind)
        result.append(
            Preference(kind, p.in_app, p.email)
            if p is not None
            else Preference(kind, True, RULES[kind].email)
        )
    return result


@dataclass(frozen=True)
class PreferenceData:
    kind: K
    in_app: bool | None = None
    email: bool | None = None


async def update_preferences(actor: Actor, items: Sequence[PreferenceData]) -> list[Preference]:
    """Switch kinds on or off, in the app and by e-mail (what is not given is kept)."""
    principal = actor.principal
    if principal.is_platform:
        raise refuse(actor.locale, ["input"], C.INVALID, "notifications_staff_only")
    problems = Problems(actor.locale)
    seen: set[K] = set()
    allowed = set(kinds_for(principal))
    for index, item in enumerate(items):
        path = ["input", "preferences", str(index), "kind"]
        if item.kind in seen:
            problems.add(path, C.INVALID, "notification_kind_twice", kind=item.kind.value)
        elif item.kind not in allowed:
            problems.add(path, C.INVALID, "notification_kind_role", kind=item.kind.value)
        seen.add(item.kind)
    if not items:
        problems.add(["input", "preferences"], C.REQUIRED, "required")
    problems.raise_if_any()
    current = {p.kind: p for p in await preferences(actor.scope, principal)}
    async with actor.scope() as session:
        for item in items:
            before = current[item.kind]
            values = {
                "in_app": before.in_app if item.in_app is None else item.in_app,
                "email": before.email if item.email is None else item.email,
            }
            stmt = (
                sa.dialects.postgresql.insert(m.NotificationPreference)
                .values(
                    tenant_id=actor.tenant_id,
                    user_id=principal.user_id,
                    kind=item.kind,
                    **values,
                )
                .on_conflict_do_update(
                    index_elements=["tenant_id", "user_id", "kind"],
                    set_={**values, "updated_at": func.now()},
                )
            )
            await session.execute(stmt)
    return await preferences(actor.scope, principal)
