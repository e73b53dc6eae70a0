"""`simulateFees`: price sample transactions under a contract's fees or a draft schedule.

A query, since it computes and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from db.enums import CardScheme as CardSchemeValue
from db.enums import FeeRegion as FeeRegionValue
from resolvers import contracts as rk
from schema.enums import CardScheme, FeeRegion
from schema.permissions import allowed, roles_note
from schema.relay import decode_id
from schema.requests.mutations import FeeScheduleInput
from schema.scalars import Long


@strawberry.input(description="A sample transaction to price.")
class SimulatedTransactionInput:
    scheme: CardScheme = strawberry.field(description="Card scheme of the sample.")
    region: FeeRegion = strawberry.field(description="Region of the card's issuer.")
    amount: Long = strawberry.field(description="Minor units, 0 or more.")


@strawberry.input(
    description="Price 1 to 500 sample transactions under exactly one of: a contract's fee "
    "schedule (`contractId`) or a draft schedule (`fees`)."
)
class SimulateFeesInput:
    transactions: list[SimulatedTransactionInput] = strawberry.field(
        description="The sample transactions to price (1 to 500)."
    )
    contract_id: strawberry.ID | None = strawberry.field(
        default=None, description="Use the version of the contract's fees in force at `at`."
    )
    fees: FeeScheduleInput | None = strawberry.field(
        default=None, description="A draft fee schedule (its effective date is ignored)."
    )
    at: dt.date | None = strawberry.field(
        default=None,
        description="With `contractId`: the day whose fee version applies (default: today).",
    )


@strawberry.type(description="One priced sample transaction.")
class SimulatedFee:
    scheme: CardScheme = strawberry.field(description="Card scheme of the sample.")
    region: FeeRegion = strawberry.field(description="Region of the sample's card issuer.")
    amount: Long = strawberry.field(
        description="Amount of the sample, in minor units (cents for EUR)."
    )
    rate_bps: int | None = strawberry.field(description="Null when the line is missing.")
    fixed_fee: Long | None = strawberry.field(description="Null when the line is missing.")
    fee: Long | None = strawberry.field(
        description="round-half-up(amount × rateBps / 10 000) + fixedFee, in minor units; "
        "null when the schedule has no line for this scheme and region."
    )
    missing: bool = strawberry.field(
        description="True when the schedule has no line for this scheme and region."
    )


@strawberry.type(description="Totals of a fee simulation.")
class FeeSimulationTotals:
    count: int = strawberry.field(description="Number of sample transactions.")
    amount: Long = strawberry.field(description="Sum of every sample's amount.")
    fees: Long = strawberry.field(description="Sum of the fees of the priced samples.")
    missing_count: int = strawberry.field(description="Samples with no matching line.")
    priced_amount: Long = strawberry.field(description="Sum of the priced samples' amounts.")
    effective_rate_bps: float | None = strawberry.field(
        description="fees / pricedAmount in basis points; null when nothing was priced."
    )


@strawberry.type(description="What sample transactions would cost under a fee schedule.")
class FeeSimulation:
    currency: str = strawberry.field(
        description="ISO 4217 currency of every amount of the simulation."
    )
    lines: list[SimulatedFee] = strawberry.field(
        description="Each sample transaction with its fee, in the order given."
    )
    totals: FeeSimulationTotals = strawberry.field(description="Sums over all the samples.")
    terminal_rental_monthly: Long = strawberry.field(
        description="Monthly rental of a PAX terminal, in minor units of `currency`."
    )
    softpos_fee_monthly: Long = strawberry.field(
        description="Monthly fee of a SoftPOS (Tap to Pay) service, in minor units of `currency`."
    )
    version_number: int | None = strawberry.field(
        description="The contract's fee version used (null for a draft schedule)."
    )
    effective_from: dt.date | None = strawberry.field(
        description="Since when that version applies (null for a draft schedule)."
    )

    @classmethod
    def from_result(cls, result: rk.FeeSimulationResult) -> FeeSimulation:
        return cls(
            currency=result.currency,
            lines=[
                SimulatedFee(
                    scheme=line.scheme,  # type: ignore[arg-type]
                    region=line.region,  # type: ignore[arg-type]
                    amount=line.amount,  # type: ignore[arg-type]
                    rate_bps=line.rate_bps,
                    fixed_fee=line.fixed_fee,  # type: ignore[arg-type]
                    fee=line.fee,  # type: ignore[arg-type]
                    missing=line.missing,
                )
                for line in result.lines
            ],
            totals=FeeSimulationTotals(
                count=result.count,
                amount=result.amount,  # type: ignore[arg-type]
                fees=result.fees,  # type: ignore[arg-type]
                missing_count=result.missing_count,
                priced_amount=result.priced_amount,  # type: ignore[arg-type]
                effective_rate_bps=result.effective_rate_bps,
            ),
            terminal_rental_monthly=result.terminal_rental_monthly,  # type: ignore[arg-type]
            softpos_fee_monthly=result.softpos_fee_monthly,  # type: ignore[arg-type]
            version_number=result.version_number,
            effective_from=result.effective_from,
        )


async def simulate_fees(
    info: Info,
    input: Annotated[
        SimulateFeesInput,
        strawberry.argument(
            description="The sample transactions, and the schedule to price them under."
        ),
    ],
) -> FeeSimulation:
    locale = info.context.locale()
    contract_id = (
        decode_id(input.contract_id, "Contract", "input.contractId")
        if input.contract_id is not None
        else None
    )
    result = await rk.simulate_fees(
        info.context.db_session,
        locale,
        contract_id=contract_id,
        fees=input.fees.to_domain() if input.fees is not None else None,
        transactions=[
            rk.SampleTransaction(
                scheme=CardSchemeValue(tx.scheme.value),
                region=FeeRegionValue(tx.region.value),
                amount=tx.amount,
            )
            for tx in input.transactions
        ],
        at=input.at,
    )
    return FeeSimulation.from_result(result)


@strawberry.type
class FeeSimulationQuery:
    simulate_fees: FeeSimulation | None = strawberry.field(
        resolver=simulate_fees,
        description="Price sample transactions (scheme, region, amount) under a contract's fee "
        "schedule or a draft one, line by line, before anyone signs. Writes nothing. "
        + roles_note("simulateFees"),
        extensions=allowed("simulateFees"),
    )
