"""Root field `transactionStats`: counts, approval rate, amounts and refusal codes per hour/day."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers import response_codes as codes
from resolvers import stats as rs
from schema.descriptions import described_enum
from schema.guards import guarded
from schema.permissions import allowed, roles_note
from schema.relay import model_backed
from schema.scalars import Long
from schema.transactions.queries import TransactionFilter
from schema.transactions.types import ResponseCode

StatsInterval = described_enum(
    rs.StatsInterval,
    name="StatsInterval",
    description="The width of a statistics bucket: one hour or one day of the tenant's local time "
    "(`Tenant.timeZone`); a day is 23 or 25 hours on a daylight-saving change.",
    values={
        "HOUR": "One bucket per hour of the tenant's local time (starting on the hour).",
        "DAY": "One bucket per local day of the tenant (starting at local midnight).",
    },
)


@strawberry.type(description="How many refused transactions returned a response code.")
@model_backed(rs.CodeCount)
class ResponseCodeCount:
    code: str = strawberry.field(description="ISO 8583 response code (field 39).")
    count: int = strawberry.field(description="How many transactions of the range got this code.")

    @strawberry.field(description="What the code means (null for a code not in the dictionary).")
    def response_message(self) -> ResponseCode | None:
        return codes.describe(self.code)  # type: ignore[return-value]


@strawberry.type(
    description="Transaction figures over [start, end): one bucket, or the whole range (totals)."
)
@model_backed(rs.StatsBucket)
class TransactionStatsBucket:
    start: dt.datetime = strawberry.field(
        description="Start of the bucket (UTC instant of a local hour or local midnight of the "
        "tenant's time zone), or of the range for totals."
    )
    end: dt.datetime = strawberry.field(
        description="End of the bucket (exclusive), or of the range for totals."
    )
    count: int = strawberry.field(
        description="Transactions of any type and status that match the filter."
    )
    approved_count: int = strawberry.field(description="Transactions with status APPROVED.")
    declined_count: int = strawberry.field(description="Transactions with status DECLINED.")
    error_count: int = strawberry.field(description="Transactions with status ERROR.")
    approval_rate: float | None = strawberry.field(
        description="approvedCount / count, from 0 to 1; null when count is 0."
    )
    amount_approved: Long | None = strawberry.field(
        description=(
            "Net money moved, in minor units of `currency`: approved PURCHASE and COMPLETION, "
            "minus approved REFUND; an approved REVERSAL cancels what it reverses (minus a "
            "purchase or completion, plus a refund, nothing for a pre-authorization). "
            "PRE_AUTHORIZATION holds are not money moved. Null when these transactions are in "
            "more than one currency: filter by `currency` then."
        )
    )
    currency: str | None = strawberry.field(
        description="ISO 4217 currency of `amountApproved` (null when no money moved)."
    )

    top_response_codes: list[ResponseCodeCount] | None = guarded(
        "TransactionStatsBucket.topResponseCodes",
        f"The {rs.TOP_CODES} most frequent response codes of DECLINED and ERROR transactions, "
        "most frequent first (ties by code); aggregated response codes are response codes.",
    )


@strawberry.type(description="Transaction statistics per hour or day over a bounded range.")
@model_backed(rs.TransactionStats)
class TransactionStats:
    interval: StatsInterval = strawberry.field(
        description="The width of each bucket (an hour or a day of the tenant's local time)."
    )
    occurred_from: dt.datetime = strawberry.field(description="Start of the range (inclusive).")
    occurred_to: dt.datetime = strawberry.field(description="End of the range (exclusive).")
    buckets: list[TransactionStatsBucket] = strawberry.field(
        description=(
            "One bucket per local hour or day (the tenant's time zone) of the range, oldest "
            "first, empty ones included; the first and last may be only partly inside the range."
        )
    )
    totals: TransactionStatsBucket = strawberry.field(description="The figures over the range.")


async def transaction_stats(
    info: Info,
    filter: Annotated[
        TransactionFilter | None,
        strawberry.argument(
            description="Which transactions to count, as for `transactions`; its occurredFrom "
            "and occurredTo give the range."
        ),
    ] = None,
    *,
    interval: Annotated[
        StatsInterval,
        strawberry.argument(description="One bucket per local hour or local day of the tenant."),
    ],
) -> TransactionStats | None:
    return await rs.transaction_stats(  # type: ignore[return-value]
        info.context.db_session,
        (filter or TransactionFilter()).to_domain(),
        rs.StatsInterval(interval),
    )


@strawberry.type
class StatsQuery:
    transaction_stats: TransactionStats | None = strawberry.field(
        resolver=transaction_stats,
        description=(
            "Counts, approval rate, net amount and top refusal codes per hour or day of the "
            "tenant's local time (`Tenant.timeZone`), and "
            "their totals. The range is the filter's occurredFrom/occurredTo; without "
            "occurredTo it ends now, without occurredFrom it covers the last 24 hours (HOUR) "
            "or 30 days (DAY). At most 31 days by the hour and 366 days by the day. "
        )
        + roles_note("transactionStats"),
        extensions=allowed("transactionStats"),
    )
