"""A contract's fee schedule versions as stored: read their lines, write a new version,
and their JSON in the journal (the demo data writes the same).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    CardScheme,
    FeeRegion,
)
from resolvers.contracts.common import _today, _user_id
from resolvers.fees import (
    FeeLineData,
    FeeScheduleData,
)
from resolvers.usecase import Actor


async def _versions(session: AsyncSession, contract_id: uuid.UUID) -> list[m.FeeSchedule]:
    rows = await session.execute(
        select(m.FeeSchedule)
        .where(m.FeeSchedule.contract_id == contract_id)
        .order_by(m.FeeSchedule.version_number)
    )
    return list(rows.scalars())


async def _lines(session: AsyncSession, schedule_id: uuid.UUID) -> list[FeeLineData]:
    table = m.FeeLine.__table__
    rows = await session.execute(
        select(table.c.scheme, table.c.region, table.c.rate_bps, table.c.fixed_fee)
        .where(table.c.fee_schedule_id == schedule_id)
        .order_by(table.c.scheme, table.c.region)
    )
    return [
        FeeLineData(
            scheme=CardScheme(r.scheme),
            region=FeeRegion(r.region),
            rate_bps=r.rate_bps,
            fixed_fee=r.fixed_fee,
        )
        for r in rows
    ]


async def _set_lines(
    session: AsyncSession, schedule: m.FeeSchedule, lines: Sequence[FeeLineData]
) -> None:
    table = m.FeeLine.__table__
    await session.execute(delete(table).where(table.c.fee_schedule_id == schedule.id))
    if lines:
        await session.execute(
            insert(table),
            [
                {
                    "tenant_id": schedule.tenant_id,
                    "fee_schedule_id": schedule.id,
                    "scheme": line.scheme.value,
                    "region": line.region.value,
                    "rate_bps": line.rate_bps,
                    "fixed_fee": line.fixed_fee,
                }
                for line in lines
            ],
        )


def fees_json(
    version: int,
    effective_from: dt.date,
    currency: str,
    terminal_rental_monthly: int,
    softpos_fee_monthly: int,
    lines: Sequence[FeeLineData],
) -> dict[str, Any]:
    """A fee schedule version as the journal records it (the demo data's form)."""
    return {
        "version": version,
        "effectiveFrom": effective_from.isoformat(),
        "currency": currency,
        "terminalRentalMonthly": terminal_rental_monthly,
        "softposFeeMonthly": softpos_fee_monthly,
        "lines": [
            {
                "scheme": line.scheme.value,
                "region": line.region.value,
                "rateBps": line.rate_bps,
                "fixedFee": line.fixed_fee,
            }
            for line in sorted(lines, key=lambda ln: (ln.scheme.value, ln.region.value))
        ],
    }


def schedule_json(schedule: m.FeeSchedule, lines: Sequence[FeeLineData]) -> dict[str, Any]:
    return fees_json(
        schedule.version_number,
        schedule.effective_from,
        schedule.currency,
        schedule.terminal_rental_monthly,
        schedule.softpos_fee_monthly,
        lines,
    )


def data_json(version: int, fees: FeeScheduleData) -> dict[str, Any]:
    return fees_json(
        version,
        fees.effective_from or _today(),
        fees.currency,
        fees.terminal_rental_monthly,
        fees.softpos_fee_monthly,
        fees.lines,
    )


async def _add_schedule(
    session: AsyncSession,
    actor: Actor | None,
    contract: m.Contract,
    fees: FeeScheduleData,
    version_number: int,
    *,
    reason: str | None,
    request_id: uuid.UUID | None = None,
) -> m.FeeSchedule:
    schedule = m.FeeSchedule(
        tenant_id=contract.tenant_id,
        id=uuid.uuid4(),
        contract_id=contract.id,
        version_number=version_number,
        effective_from=fees.effective_from or _today(),
        currency=fees.currency,
        terminal_rental_monthly=fees.terminal_rental_monthly,
        softpos_fee_monthly=fees.softpos_fee_monthly,
        reason=reason,
        request_id=request_id,
        created_by=_user_id(actor) if actor else None,
    )
    session.add(schedule)
    await session.flush()
    await _set_lines(session, schedule, fees.lines)
    return schedule
