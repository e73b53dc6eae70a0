"""The fleet at a glance: how many terminals, offline, with options pending, per status.

One aggregate statement over the same filter as the `terminals` list (so a count and the
list's `totalCount` for the same filter agree), run under the caller's tenant (RLS), with
OFFLINE and PENDING defined as the list's filters define them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func

from db import models as m
from db.enums import TerminalStatus
from resolvers.pagination import SessionScope
from resolvers.terminals.queries import (
    TerminalFilter,
    offline_condition,
    options_pending_condition,
    terminal_query,
)


@dataclass(frozen=True)
class TerminalCounts:
    total: int = 0
    offline: int = 0
    options_pending: int = 0
    by_status: dict[TerminalStatus, int] = field(default_factory=dict)

    @property
    def online(self) -> int:
        return self.total - self.offline

    @property
    def blocked(self) -> int:
        return self.by_status.get(TerminalStatus.BLOCKED, 0)


async def count_terminals(scope: SessionScope, f: TerminalFilter) -> TerminalCounts:
    """The counts of the terminals `f` selects: one statement, one row per status."""
    stmt = (
        terminal_query(f)
        .with_only_columns(
            m.Terminal.status,
            func.count(),
            func.count().filter(offline_condition()),
            func.count().filter(options_pending_condition()),
        )
        .group_by(m.Terminal.status)
    )
    async with scope() as session:
        rows = (await session.execute(stmt)).all()
    by_status = {TerminalStatus(row[0]): int(row[1]) for row in rows}
    return TerminalCounts(
        total=sum(by_status.values()),
        offline=sum(int(row[2]) for row in rows),
        options_pending=sum(int(row[3]) for row in rows),
        by_status={s: by_status.get(s, 0) for s in TerminalStatus},
    )
