"""Fee schedules as data: validation, and how a change applies to the version it changes.

A fee schedule input never loses a line without saying so: the lines it prices are added or
repriced, the lines it names in `removeLines` are removed, and every other line of the version it
changes carries over; so do the monthly fees and the currency when it leaves them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import CardScheme, FeeRegion
from resolvers.errors import UserErrorCode as C
from resolvers.validation import Validator

MAX_FEE_LINES = 100


def current_fee_schedule(
    versions: Sequence[m.FeeSchedule], today: dt.date | None = None
) -> m.FeeSchedule | None:
    """The version in force today: the latest whose effective date has come (else the first)."""
    today = today or dt.datetime.now(dt.UTC).date()
    in_force = [v for v in versions if v.effective_from <= today]
    if in_force:
        return max(in_force, key=lambda v: v.version_number)
    return min(versions, key=lambda v: v.version_number) if versions else None


@dataclass(frozen=True)
class FeeLineKey:
    """One line of a grid: a card scheme × region."""

    scheme: CardScheme
    region: FeeRegion


@dataclass(frozen=True)
class FeeLineData:
    scheme: CardScheme
    region: FeeRegion
    rate_bps: int
    fixed_fee: int

    @property
    def key(self) -> FeeLineKey:
        return FeeLineKey(self.scheme, self.region)


@dataclass(frozen=True)
class FeeScheduleData:
    """A whole fee schedule version: every line, both monthly fees, its currency."""

    currency: str
    terminal_rental_monthly: int
    softpos_fee_monthly: int
    lines: tuple[FeeLineData, ...]
    effective_from: dt.date | None = None


@dataclass(frozen=True)
class FeeScheduleChange:
    """A fee schedule as an input gives it. What it leaves out (None, or a line it does not
    name) is kept from the version it changes; a first version takes 0 and the contract's
    currency."""

    lines: tuple[FeeLineData, ...] = ()
    remove_lines: tuple[FeeLineKey, ...] = ()
    currency: str | None = None
    terminal_rental_monthly: int | None = None
    softpos_fee_monthly: int | None = None
    effective_from: dt.date | None = None

    def to_payload(self) -> dict[str, Any]:
        """The form stored in a FEE_CHANGE request (applied when it is approved)."""
        return {
            "currency": self.currency,
            "terminalRentalMonthly": self.terminal_rental_monthly,
            "softposFeeMonthly": self.softpos_fee_monthly,
            "effectiveFrom": self.effective_from.isoformat() if self.effective_from else None,
            "lines": [
                {
                    "scheme": line.scheme.value,
                    "region": line.region.value,
                    "rateBps": line.rate_bps,
                    "fixedFee": line.fixed_fee,
                }
                for line in self.lines
            ],
            "removeLines": [
                {"scheme": key.scheme.value, "region": key.region.value}
                for key in self.remove_lines
            ],
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> FeeScheduleChange:
        effective = payload.get("effectiveFrom")
        rental = payload.get("terminalRentalMonthly")
        softpos = payload.get("softposFeeMonthly")
        return cls(
            currency=payload.get("currency"),
            terminal_rental_monthly=int(rental) if rental is not None else None,
            softpos_fee_monthly=int(softpos) if softpos is not None else None,
            effective_from=dt.date.fromisoformat(effective) if effective else None,
            lines=tuple(
                FeeLineData(
                    scheme=CardScheme(line["scheme"]),
                    region=FeeRegion(line["region"]),
                    rate_bps=int(line["rateBps"]),
                    fixed_fee=int(line["fixedFee"]),
                )
                for line in payload.get("lines") or ()
            ),
            remove_lines=tuple(
                FeeLineKey(CardScheme(key["scheme"]), FeeRegion(key["region"]))
                for key in payload.get("removeLines") or ()
            ),
        )


def validate_fee_change(
    v: Validator, path: Sequence[str], data: FeeScheduleChange, *, today: dt.date | None = None
) -> FeeScheduleChange:
    """Check what the input says by itself: currency, amounts, basis points, each line named
    once (priced or removed, not both), the effective date."""
    path = list(path)
    currency = None
    if data.currency is not None:
        currency = v.currency([*path, "currency"], data.currency)
    if data.terminal_rental_monthly is not None:
        v.amount([*path, "terminalRentalMonthly"], data.terminal_rental_monthly)
    if data.softpos_fee_monthly is not None:
        v.amount([*path, "softposFeeMonthly"], data.softpos_fee_monthly)
    for name, items in (("lines", data.lines), ("removeLines", data.remove_lines)):
        if len(items) > MAX_FEE_LINES:
            v.add([*path, name], C.TOO_MANY, "too_many", max=MAX_FEE_LINES)
    seen: set[FeeLineKey] = set()
    for i, line in enumerate(data.lines):
        line_path = [*path, "lines", str(i)]
        v.bps([*line_path, "rateBps"], line.rate_bps)
        v.amount([*line_path, "fixedFee"], line.fixed_fee)
        if line.key in seen:
            v.add(
                line_path,
                C.DUPLICATE,
                "fee_lines_duplicate",
                scheme=line.scheme.value,
                region=line.region.value,
            )
        seen.add(line.key)
    removed: set[FeeLineKey] = set()
    for i, key in enumerate(data.remove_lines):
        key_path = [*path, "removeLines", str(i)]
        if key in seen:
            v.add(
                key_path,
                C.CONFLICT,
                "fee_line_set_and_removed",
                scheme=key.scheme.value,
                region=key.region.value,
            )
        elif key in removed:
            v.add(
                key_path,
                C.DUPLICATE,
                "fee_lines_duplicate",
                scheme=key.scheme.value,
                region=key.region.value,
            )
        removed.add(key)
    today = today or dt.datetime.now(dt.UTC).date()
    if data.effective_from is not None and data.effective_from < today:
        v.add([*path, "effectiveFrom"], C.INVALID, "effective_past")
    return FeeScheduleChange(
        lines=data.lines,
        remove_lines=data.remove_lines,
        currency=currency if data.currency is not None else None,
        terminal_rental_monthly=data.terminal_rental_monthly,
        softpos_fee_monthly=data.softpos_fee_monthly,
        effective_from=data.effective_from,
    )


def apply_fee_change(
    v: Validator,
    path: Sequence[str] | None,
    change: FeeScheduleChange,
    base: FeeScheduleData | None,
    currency: str | None,
) -> FeeScheduleData:
    """The whole schedule that `change` makes of `base` (None: a first version).

    Lines named in `removeLines` must be priced in `base`; the result keeps one line at least
    and is in `currency` (the contract's) when one is given. Call validate_fee_change first.
    """
    at = (lambda *rest: [*path, *rest]) if path is not None else (lambda *rest: None)
    lines = {line.key: line for line in (base.lines if base is not None else ())}
    for i, key in enumerate(change.remove_lines):
        if lines.pop(key, None) is None:
            v.add(
                at("removeLines", str(i)),
                C.NOT_FOUND,
                "fee_line_not_priced",
                scheme=key.scheme.value,
                region=key.region.value,
            )
    for line in change.lines:
        lines[line.key] = line
    if not lines:
        v.add(at("lines"), C.REQUIRED, "fee_lines_required")
    elif len(lines) > MAX_FEE_LINES:
        v.add(at("lines"), C.TOO_MANY, "too_many", max=MAX_FEE_LINES)
    chosen = change.currency or (base.currency if base is not None else None) or currency or "EUR"
    if currency is not None and chosen != currency:
        v.add(at("currency"), C.INVALID, "fee_currency", fees=chosen, contract=currency)

    def monthly(given: int | None, kept: int | None) -> int:
        return given if given is not None else kept if kept is not None else 0

    return FeeScheduleData(
        currency=chosen,
        terminal_rental_monthly=monthly(
            change.terminal_rental_monthly, base.terminal_rental_monthly if base else None
        ),
        softpos_fee_monthly=monthly(
            change.softpos_fee_monthly, base.softpos_fee_monthly if base else None
        ),
        lines=tuple(sorted(lines.values(), key=lambda ln: (ln.scheme.value, ln.region.value))),
        effective_from=change.effective_from,
    )


async def stored_schedule(session: AsyncSession, schedule: m.FeeSchedule) -> FeeScheduleData:
    """A stored version, whole, as the base a change applies to."""
    table = m.FeeLine.__table__
    rows = await session.execute(
        select(table.c.scheme, table.c.region, table.c.rate_bps, table.c.fixed_fee)
        .where(table.c.fee_schedule_id == schedule.id)
        .order_by(table.c.scheme, table.c.region)
    )
    return FeeScheduleData(
        currency=schedule.currency,
        terminal_rental_monthly=schedule.terminal_rental_monthly,
        softpos_fee_monthly=schedule.softpos_fee_monthly,
        lines=tuple(
            FeeLineData(CardScheme(r.scheme), FeeRegion(r.region), r.rate_bps, r.fixed_fee)
            for r in rows
        ),
        effective_from=schedule.effective_from,
    )


async def schedule_on(
    session: AsyncSession, contract_id: object, day: dt.date | None
) -> tuple[m.FeeSchedule | None, FeeScheduleData | None]:
    """The contract's fee version in force on `day` (default today): the one a change from
    that day changes (a draft's only version, whatever its date)."""
    versions = (
        (
            await session.execute(
                select(m.FeeSchedule).where(m.FeeSchedule.contract_id == contract_id)
            )
        )
        .scalars()
        .all()
    )
    schedule = current_fee_schedule(versions, day)
    if schedule is None:
        return None, None
    return schedule, await stored_schedule(session, schedule)
