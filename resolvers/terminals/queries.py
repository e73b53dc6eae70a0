"""Terminals (the fleet view), their options versions and technical events."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from strawberry.dataloader import DataLoader

from db import models as m
from db.enums import TerminalEventKind, TerminalKind, TerminalStatus
from resolvers.listing import choose, like_pattern, orderings
from resolvers.loaders import GroupLoader
from resolvers.pagination import ChildList, Page, PageArgs, SessionScope, paginate


class Connectivity(enum.StrEnum):
    ONLINE = "ONLINE"
    OFFLINE = "OFFLINE"


class OptionsStatus(enum.StrEnum):
    PENDING = "PENDING"
    APPLIED = "APPLIED"


@dataclass(frozen=True)
class TerminalFilter:
    kind: TerminalKind | None = None
    status: list[TerminalStatus] | None = None
    connectivity: Connectivity | None = None
    options_status: OptionsStatus | None = None
    shop: uuid.UUID | None = None
    company: uuid.UUID | None = None
    model: str | None = None
    firmware_version: str | None = None
    app_version: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class TerminalEventFilter:
    terminal: uuid.UUID | None = None
    kind: list[TerminalEventKind] | None = None
    occurred_from: dt.datetime | None = None
    occurred_to: dt.datetime | None = None


TERMINAL_ORDERINGS = orderings(
    {
        "TID": (m.Terminal.tid, m.Terminal.id),
        "CREATED_AT": (m.Terminal.created_at, m.Terminal.id),
    },
    "terminals",
)
EVENT_ORDERINGS = orderings(
    {"OCCURRED_AT": (m.TerminalEvent.occurred_at, m.TerminalEvent.id)}, "terminalEvents"
)

SHOP_TERMINALS = ChildList(m.Terminal, m.Terminal.shop_id, TERMINAL_ORDERINGS[("TID", False)])
TERMINAL_EVENTS = ChildList(
    m.TerminalEvent, m.TerminalEvent.terminal_id, EVENT_ORDERINGS[("OCCURRED_AT", True)]
)


def offline_after(interval_s: int) -> dt.timedelta:
    """A terminal is OFFLINE once heartbeats stop for more than twice their interval."""
    return dt.timedelta(seconds=2 * interval_s)


def connectivity_of(
    last_heartbeat_at: dt.datetime | None, interval_s: int, now: dt.datetime | None = None
) -> Connectivity:
    now = now or dt.datetime.now(dt.UTC)
    if last_heartbeat_at is not None and now - last_heartbeat_at <= offline_after(interval_s):
        return Connectivity.ONLINE
    return Connectivity.OFFLINE


def options_status_of(
    latest_version: int | None, applied_version: int | None
) -> OptionsStatus | None:
    if latest_version is None:
        return None
    if applied_version is not None and applied_version >= latest_version:
        return OptionsStatus.APPLIED
    return OptionsStatus.PENDING


def _online_condition() -> Any:
    interval = (
        select(m.Tenant.heartbeat_interval_s)
        .where(m.Tenant.id == m.Terminal.tenant_id)
        .scalar_subquery()
    )
    return m.Terminal.last_heartbeat_at >= func.now() - func.make_interval(
        0, 0, 0, 0, 0, 0, 2 * interval
    )


def _latest_options_version() -> Any:
    return (
        select(func.max(m.TerminalOptions.version_number))
        .where(
            m.TerminalOptions.tenant_id == m.Terminal.tenant_id,
            m.TerminalOptions.terminal_id == m.Terminal.id,
        )
        .scalar_subquery()
    )


def offline_condition() -> Any:
    """OFFLINE as `connectivity_of` says it: no heartbeat yet, or none for more than twice
    the tenant's interval (whatever the terminal's status: one in stock is OFFLINE too)."""
    return or_(m.Terminal.last_heartbeat_at.is_(None), ~_online_condition())


def _newer_options_than_applied() -> Any:
    """A version of the terminal's options newer than the one it acknowledged (or any, if it
    acknowledged none). PENDING is exactly this (`options_status_of`): one probe of the
    options' primary key per terminal, instead of their maximum compared twice."""
    applied = m.Terminal.applied_options_version
    return exists().where(
        m.TerminalOptions.tenant_id == m.Terminal.tenant_id,
        m.TerminalOptions.terminal_id == m.Terminal.id,
        or_(applied.is_(None), m.TerminalOptions.version_number > applied),
    )


def _any_options() -> Any:
    return exists().where(
        m.TerminalOptions.tenant_id == m.Terminal.tenant_id,
        m.TerminalOptions.terminal_id == m.Terminal.id,
    )


def options_pending_condition() -> Any:
    """Options status PENDING, as `options_status_of` says it."""
    return _newer_options_than_applied()


def terminal_query(f: TerminalFilter) -> Select[tuple[m.Terminal]]:
    stmt = select(m.Terminal)
    if f.kind:
        stmt = stmt.where(m.Terminal.kind == f.kind)
    if f.status:
        stmt = stmt.where(m.Terminal.status.in_(f.status))
    if f.shop:
        stmt = stmt.where(m.Terminal.shop_id == f.shop)
    if f.company:
        stmt = stmt.where(
            exists().where(
                m.Shop.tenant_id == m.Terminal.tenant_id,
                m.Shop.id == m.Terminal.shop_id,
                m.Shop.company_id == f.company,
            )
        )
    if f.model:
        stmt = stmt.where(m.Terminal.model.ilike(like_pattern(f.model)))
    if f.firmware_version:
        stmt = stmt.where(m.Terminal.firmware_version == f.firmware_version.strip())
    if f.app_version:
        stmt = stmt.where(m.Terminal.app_version == f.app_version.strip())
    if f.connectivity is Connectivity.ONLINE:
        stmt = stmt.where(_online_condition())
    elif f.connectivity is Connectivity.OFFLINE:
        stmt = stmt.where(offline_condition())
    if f.options_status is OptionsStatus.PENDING:
        stmt = stmt.where(options_pending_condition())
    elif f.options_status is OptionsStatus.APPLIED:
        stmt = stmt.where(_any_options(), ~_newer_options_than_applied())
    if f.text and f.text.strip():
        pattern = like_pattern(f.text)
        stmt = stmt.where(
            or_(m.Terminal.tid.ilike(pattern), m.Terminal.serial_number.ilike(pattern))
        )
    return stmt


def event_query(f: TerminalEventFilter) -> Select[tuple[m.TerminalEvent]]:
    stmt = select(m.TerminalEvent)
    if f.terminal:
        stmt = stmt.where(m.TerminalEvent.terminal_id == f.terminal)
    if f.kind:
        stmt = stmt.where(m.TerminalEvent.kind.in_(f.kind))
    if f.occurred_from:
        stmt = stmt.where(m.TerminalEvent.occurred_at >= f.occurred_from)
    if f.occurred_to:
        stmt = stmt.where(m.TerminalEvent.occurred_at < f.occurred_to)
    return stmt


async def list_terminals(
    scope: SessionScope, f: TerminalFilter, order: tuple[str, bool], args: PageArgs
) -> Page[m.Terminal]:
    return await paginate(scope, terminal_query(f), choose(TERMINAL_ORDERINGS, *order), args)


async def list_terminal_events(
    scope: SessionScope, f: TerminalEventFilter, order: tuple[str, bool], args: PageArgs
) -> Page[m.TerminalEvent]:
    return await paginate(scope, event_query(f), choose(EVENT_ORDERINGS, *order), args)


class TerminalOptionsByTerminalIdLoader(GroupLoader):
    """Every options version of each terminal, newest first."""

    def query(self, keys: Sequence[uuid.UUID]) -> Select[Any]:
        return (
            select(m.TerminalOptions)
            .where(m.TerminalOptions.terminal_id.in_(keys))
            .order_by(m.TerminalOptions.terminal_id, m.TerminalOptions.version_number.desc())
        )

    def key_of(self, row: Any) -> uuid.UUID:
        return row[0].terminal_id


class ServicesByTerminalIdLoader(GroupLoader):
    def query(self, keys: Sequence[uuid.UUID]) -> Select[Any]:
        return (
            select(m.Service)
            .where(m.Service.terminal_id.in_(keys))
            .order_by(m.Service.terminal_id, m.Service.created_at)
        )

    def key_of(self, row: Any) -> uuid.UUID:
        return row[0].terminal_id


class HeartbeatIntervalByTenantIdLoader(DataLoader[uuid.UUID, int]):
    def __init__(self, scope: SessionScope) -> None:
        super().__init__(load_fn=self._load)
        self.scope = scope

    async def _load(self, keys: Sequence[uuid.UUID]) -> list[int]:
        async with self.scope() as session:
            rows = await session.execute(
                select(m.Tenant.id, m.Tenant.heartbeat_interval_s).where(m.Tenant.id.in_(keys))
            )
            found = {row[0]: row[1] for row in rows}
        return [int(found.get(k, 60)) for k in keys]
