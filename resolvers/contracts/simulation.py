"""`simulateFees`: price a sample of transactions under a draft or live fee schedule,
line by line (a read: nothing is written).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from db import models as m
from db.enums import (
    CardScheme,
    FeeRegion,
)
from resolvers.contracts.common import MAX_SIMULATED
from resolvers.contracts.schedules import _lines, _versions
from resolvers.errors import BadUserInput
from resolvers.errors import UserErrorCode as C
from resolvers.fees import (
    FeeLineData,
    FeeScheduleChange,
    apply_fee_change,
    current_fee_schedule,
    validate_fee_change,
)
from resolvers.messages import message
from resolvers.pagination import SessionScope
from resolvers.validation import Validator


@dataclass(frozen=True)
class SampleTransaction:
    scheme: CardScheme
    region: FeeRegion
    amount: int


@dataclass(frozen=True)
class PricedTransaction:
    scheme: CardScheme
    region: FeeRegion
    amount: int
    rate_bps: int | None
    fixed_fee: int | None
    fee: int | None

    @property
    def missing(self) -> bool:
        return self.fee is None


@dataclass(frozen=True)
class FeeSimulationResult:
    currency: str
    lines: list[PricedTransaction]
    count: int
    amount: int
    priced_amount: int
    fees: int
    missing_count: int
    terminal_rental_monthly: int
    softpos_fee_monthly: int
    version_number: int | None = None
    effective_from: dt.date | None = None

    @property
    def effective_rate_bps(self) -> float | None:
        """Fees over the amount of the priced transactions, in basis points."""
        if self.priced_amount == 0:
            return None
        return self.fees * 10_000 / self.priced_amount


def transaction_fee(amount: int, rate_bps: int, fixed_fee: int) -> int:
    """round-half-up(amount × rate / 10 000) + fixed fee, in integers (minor units)."""
    quotient, remainder = divmod(amount * rate_bps, 10_000)
    return quotient + (1 if 2 * remainder >= 10_000 else 0) + fixed_fee


def price(
    schedule_lines: Sequence[FeeLineData], transactions: Sequence[SampleTransaction]
) -> tuple[list[PricedTransaction], int, int, int]:
    """Each transaction's fee; a (scheme, region) with no line is reported missing, not zero."""
    table = {(line.scheme, line.region): line for line in schedule_lines}
    priced: list[PricedTransaction] = []
    fees = priced_amount = missing = 0
    for tx in transactions:
        line = table.get((tx.scheme, tx.region))
        if line is None:
            missing += 1
            priced.append(PricedTransaction(tx.scheme, tx.region, tx.amount, None, None, None))
            continue
        fee = transaction_fee(tx.amount, line.rate_bps, line.fixed_fee)
        fees += fee
        priced_amount += tx.amount
        priced.append(
            PricedTransaction(tx.scheme, tx.region, tx.amount, line.rate_bps, line.fixed_fee, fee)
        )
    return priced, fees, priced_amount, missing


def _bad_input(v: Validator, locale: str) -> BadUserInput:
    problems = [
        {"field": list(e.field) if e.field else None, "code": e.code.value, "message": e.message}
        for e in v.errors
    ]
    text = " ".join(
        f"{'.'.join(p['field'])}: {p['message']}" if p["field"] else p["message"] for p in problems
    )
    return BadUserInput(text or message("simulation_source", locale), problems=problems)


async def simulate_fees(
    scope: SessionScope,
    locale: str,
    *,
    contract_id: uuid.UUID | None,
    fees: FeeScheduleChange | None,
    transactions: Sequence[SampleTransaction],
    at: dt.date | None = None,
) -> FeeSimulationResult:
    """Price sample transactions under a contract's fees (in force at `at`, default today) or
    a draft schedule. Computes, writes nothing."""
    v = Validator(locale)
    p = ["input"]
    if (contract_id is None) == (fees is None):
        v.add(p, C.INVALID, "simulation_source")
    if not 1 <= len(transactions) <= MAX_SIMULATED:
        v.add([*p, "transactions"], C.OUT_OF_RANGE, "simulation_size", max=MAX_SIMULATED)
    for i, tx in enumerate(transactions[:MAX_SIMULATED]):
        v.amount([*p, "transactions", str(i), "amount"], tx.amount)
    draft = None
    if fees is not None:
        change = validate_fee_change(
            v, [*p, "fees"], dataclasses.replace(fees, effective_from=None)
        )
        if not v:
            draft = apply_fee_change(v, [*p, "fees"], change, None, None)
    if v:
        raise _bad_input(v, locale)
    if draft is not None:
        lines, total_fees, priced_amount, missing = price(draft.lines, transactions)
        return FeeSimulationResult(
            currency=draft.currency,
            lines=lines,
            count=len(lines),
            amount=sum(tx.amount for tx in transactions),
            priced_amount=priced_amount,
            fees=total_fees,
            missing_count=missing,
            terminal_rental_monthly=draft.terminal_rental_monthly,
            softpos_fee_monthly=draft.softpos_fee_monthly,
        )
    assert contract_id is not None
    async with scope() as session:
        contract = (
            await session.execute(select(m.Contract).where(m.Contract.id == contract_id))
        ).scalar_one_or_none()
        if contract is None:
            raise BadUserInput(
                message("not_found", locale, kind="Contract"), argument="input.contractId"
            )
        schedule = current_fee_schedule(await _versions(session, contract.id), at)
        if schedule is None:
            raise BadUserInput(
                message("simulation_no_fees", locale, number=contract.number),
                argument="input.contractId",
            )
        schedule_lines = await _lines(session, schedule.id)
    lines, total_fees, priced_amount, missing = price(schedule_lines, transactions)
    return FeeSimulationResult(
        currency=schedule.currency,
        lines=lines,
        count=len(lines),
        amount=sum(tx.amount for tx in transactions),
        priced_amount=priced_amount,
        fees=total_fees,
        missing_count=missing,
        terminal_rental_monthly=schedule.terminal_rental_monthly,
        softpos_fee_monthly=schedule.softpos_fee_monthly,
        version_number=schedule.version_number,
        effective_from=schedule.effective_from,
    )
