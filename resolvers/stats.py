"""Transaction statistics per hour or day: counts, approval rate, net amount, top refusal codes.

Everything is computed by PostgreSQL in one statement that reads the filtered transactions once:
they are bucketed by the tenant's local day or hour (resolvers/localtime.py: a day runs from
local midnight to local midnight, 23 or 25 hours on a daylight-saving change), aggregated in one
pass over four grouping sets (per bucket, over the range, per bucket and code, per code), the
refusal codes are ranked per bucket with a window function and folded into ordered arrays, and
the buckets' starts (computed in Python with zoneinfo, passed as an array) bring the empty ones
in with zero counts. Python only reshapes the bucket rows (at most 746).

Definitions (the schema's descriptions repeat them):
- `count`: every transaction matching the filter in the bucket, whatever its type and status;
- `approved` / `declined` / `errors`: status APPROVED / DECLINED / ERROR (REVERSED counts in
  `count` only);
- `approval_rate`: approved / count, None when count is 0;
- `amount_approved` (net money moved, minor units): approved PURCHASE and COMPLETION, minus
  approved REFUND; an approved REVERSAL cancels what it reverses (minus a purchase or a
  completion, plus a refund, nothing for a pre-authorization; one whose original is unknown
  counts as a cancelled purchase); PRE_AUTHORIZATION holds move no money. None when that money
  is in more than one currency (filter by `currency` then);
- top response codes: of DECLINED and ERROR transactions, most frequent first (ties by code).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ARRAY,
    DateTime,
    and_,
    case,
    cast,
    column,
    func,
    literal,
    null,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased

from db import models as m
from db.enums import TransactionStatus, TransactionType
from resolvers import localtime
from resolvers.errors import BadUserInput, Text
from resolvers.pagination import SessionScope
from resolvers.transactions import TransactionFilter, transaction_conditions

#: Response codes listed per bucket (and for the totals).
TOP_CODES = 5


class StatsInterval(enum.StrEnum):
    HOUR = "HOUR"
    DAY = "DAY"


@dataclass(frozen=True)
class IntervalRule:
    unit: str  # date_trunc's field
    step: dt.timedelta
    default_buckets: int
    max_range: dt.timedelta


RULES: dict[StatsInterval, IntervalRule] = {
    StatsInterval.HOUR: IntervalRule("hour", dt.timedelta(hours=1), 24, dt.timedelta(days=31)),
    StatsInterval.DAY: IntervalRule("day", dt.timedelta(days=1), 30, dt.timedelta(days=366)),
}


@dataclass(frozen=True)
class CodeCount:
    code: str
    count: int


@dataclass(frozen=True)
class StatsBucket:
    """Figures over [start, end): one bucket, or the whole range for the totals."""

    start: dt.datetime
    end: dt.datetime
    count: int
    approved_count: int
    declined_count: int
    error_count: int
    amount_approved: int | None
    currency: str | None
    top_response_codes: list[CodeCount]

    @property
    def approval_rate(self) -> float | None:
        return self.approved_count / self.count if self.count else None


@dataclass(frozen=True)
class TransactionStats:
    interval: StatsInterval
    occurred_from: dt.datetime
    occurred_to: dt.datetime
    buckets: list[StatsBucket]
    totals: StatsBucket


_utc = localtime.aware_utc


def truncate(value: dt.datetime, interval: StatsInterval, zone: str = "UTC") -> dt.datetime:
    """The start of the local (zone `zone`) bucket holding `value`, as a UTC instant."""
    if interval is StatsInterval.DAY:
        return localtime.day_start(value, zone)
    return localtime.hour_start(value, zone)


def stats_range(
    f: TransactionFilter,
    interval: StatsInterval,
    now: dt.datetime | None = None,
    zone: str = "UTC",
) -> tuple[dt.datetime, dt.datetime]:
    """The bounded [from, to) range the statistics cover.

    Without `occurredTo`, up to now. Without `occurredFrom`, the last 24 hourly buckets (HOUR)
    or the last 30 local daily buckets (DAY), the current one included. At most 31 days by the
    hour and 366 days by the day.
    """
    rule = RULES[interval]
    to = _utc(f.occurred_to) if f.occurred_to is not None else _utc(now or dt.datetime.now(dt.UTC))
    if f.occurred_from is not None:
        start = _utc(f.occurred_from)
    else:
        last_bucket = truncate(to - dt.timedelta(microseconds=1), interval, zone)
        if interval is StatsInterval.DAY:
            start = localtime.add_days(last_bucket, -(rule.default_buckets - 1), zone)
        else:
            start = last_bucket - rule.step * (rule.default_buckets - 1)
    if start > to:
        raise BadUserInput(Text("time_range_order_now"), argument="filter")
    if to - start > rule.max_range:
        days = rule.max_range.days
        raise BadUserInput(
            Text("stats_range", interval=interval.value.lower(), days=days),
            argument="filter",
            maximumDays=days,
        )
    return start, to


def _net_amount() -> Any:
    """Signed minor units an approved transaction moves (see the module's docstring)."""
    t = m.Transaction
    original = aliased(m.Transaction)
    reversed_type = (
        select(original.type)
        .where(original.tenant_id == t.tenant_id, original.id == t.original_transaction_id)
        .scalar_subquery()
    )
    # The sub-select runs for approved reversals only (CASE evaluates lazily), by primary key.
    reversal = case(
        {TransactionType.PRE_AUTHORIZATION: 0, TransactionType.REFUND: t.amount},
        value=reversed_type,
        else_=-t.amount,
    )
    return case(
        (t.status != TransactionStatus.APPROVED, 0),
        (t.type.in_([TransactionType.PURCHASE, TransactionType.COMPLETION]), t.amount),
        (t.type == TransactionType.REFUND, -t.amount),
        (t.type == TransactionType.REVERSAL, reversal),
        else_=0,
    )


def _bucket_of(occurred_at: Any, interval: StatsInterval, zone: str) -> Any:
    """The UTC instant starting the local day or hour of `occurred_at` (timestamptz)."""
    if interval is StatsInterval.DAY:
        # date_trunc(field, timestamptz, zone): the local midnight, as an instant.
        return func.date_trunc("day", occurred_at, zone, type_=DateTime(timezone=True))
    # The local hour's start: minus the local minutes and seconds (an hour is 60 minutes, so
    # the repeated hour of an autumn change makes two buckets).
    local = func.timezone(zone, occurred_at)
    return occurred_at - (local - func.date_trunc("hour", local))


def stats_statement(
    f: TransactionFilter,
    interval: StatsInterval,
    start: dt.datetime,
    to: dt.datetime,
    zone: str = "UTC",
    starts: Sequence[dt.datetime] | None = None,
) -> Any:
    """One SELECT: a row per bucket (is_total = 0, gaps filled) and one for the totals.

    The transactions are read once: one aggregation with four grouping sets gives the figures
    per bucket, over the range, per (bucket, code) and per code; a window ranks the codes.
    """
    t = m.Transaction
    if starts is None:
        starts = localtime.bucket_starts(
            start, to, daily=interval is StatsInterval.DAY, zone_name=zone
        )[:-1]
    ranged = dataclasses.replace(f, occurred_from=start, occurred_to=to)
    moves_money = and_(
        t.status == TransactionStatus.APPROVED, t.type != TransactionType.PRE_AUTHORIZATION
    )
    rows = (
        select(
            _bucket_of(t.occurred_at, interval, zone).label("bucket"),
            t.status.label("status"),
            t.response_code.label("code"),
            _net_amount().label("net"),
            case((moves_money, t.currency)).label("money_currency"),
        )
        .where(*transaction_conditions(ranged))
        .subquery("rows")
    )

    # grouping(bucket, code): 0 = (bucket, code), 1 = (bucket), 2 = (code), 3 = () (totals).
    level = func.grouping(rows.c.bucket, rows.c.code)
    refused = rows.c.status.in_([TransactionStatus.DECLINED, TransactionStatus.ERROR])
    groups = (
        select(
            level.label("level"),
            rows.c.bucket,
            rows.c.code,
            func.count().label("n"),
            func.count().filter(rows.c.status == TransactionStatus.APPROVED).label("approved"),
            func.count().filter(rows.c.status == TransactionStatus.DECLINED).label("declined"),
            func.count().filter(rows.c.status == TransactionStatus.ERROR).label("errors"),
            func.count().filter(refused).label("refused"),
            func.coalesce(func.sum(rows.c.net), 0).label("net"),
            func.min(rows.c.money_currency).label("currency"),
            func.max(rows.c.money_currency).label("max_currency"),
        )
        .group_by(
            func.grouping_sets(
                tuple_(rows.c.bucket), tuple_(), tuple_(rows.c.bucket, rows.c.code), rows.c.code
            )
        )
        .cte("groups")
    )

    per_code = groups.alias("per_code")
    ranked = (
        select(
            per_code.c.level,
            per_code.c.bucket,
            per_code.c.code,
            per_code.c.refused,
            func.row_number()
            .over(
                partition_by=(per_code.c.level, per_code.c.bucket),
                order_by=(per_code.c.refused.desc(), per_code.c.code),
            )
            .label("rank"),
        )
        .where(per_code.c.level.in_([0, 2]), per_code.c.refused > 0)
        .subquery("ranked")
    )
    top = (
        select(
            # Level 0 codes belong to their bucket's row (level 1), level 2 to the totals (3).
            (ranked.c.level + 1).label("level"),
            ranked.c.bucket,
            func.array_agg(aggregate_order_by(ranked.c.code, ranked.c.rank)).label("codes"),
            func.array_agg(aggregate_order_by(ranked.c.refused, ranked.c.rank)).label(
                "code_counts"
            ),
        )
        .where(ranked.c.rank <= TOP_CODES)
        .group_by(ranked.c.level, ranked.c.bucket)
        .cte("top")
    )

    aware = DateTime(timezone=True)
    series = (
        func.unnest(literal(list(starts), ARRAY(aware)))
        .table_valued(column("bucket", aware))
        .render_derived(name="series")
    )
    figures = (
        groups.c.n,
        groups.c.approved,
        groups.c.declined,
        groups.c.errors,
        groups.c.net,
        groups.c.currency,
        groups.c.max_currency,
        top.c.codes,
        top.c.code_counts,
    )
    buckets = (
        select(
            literal(0).label("is_total"),
            series.c.bucket.label("bucket"),
            *figures,
        )
        .select_from(series)
        .outerjoin(groups, and_(groups.c.level == 1, groups.c.bucket == series.c.bucket))
        .outerjoin(top, and_(top.c.level == 1, top.c.bucket == series.c.bucket))
        # An empty range (occurredFrom = occurredTo) has no bucket.
        .where(series.c.bucket < literal(to, aware))
    )
    totals = (
        select(
            literal(1).label("is_total"),
            cast(null(), DateTime(timezone=True)).label("bucket"),
            *figures,
        )
        .select_from(groups)
        .outerjoin(top, top.c.level == 3)
        .where(groups.c.level == 3)
    )
    return union_all(buckets, totals)


def _bucket(row: Any, start: dt.datetime, end: dt.datetime) -> StatsBucket:
    count = row.n or 0
    mixed = row.currency is not None and row.currency != row.max_currency
    return StatsBucket(
        start=start,
        end=end,
        count=count,
        approved_count=row.approved or 0,
        declined_count=row.declined or 0,
        error_count=row.errors or 0,
        amount_approved=None if mixed else int(row.net or 0),
        currency=None if mixed else row.currency,
        top_response_codes=[
            CodeCount(code=c, count=int(k))
            for c, k in zip(row.codes or (), row.code_counts or (), strict=True)
        ],
    )


def _reshape(
    rows: Sequence[Any],
    interval: StatsInterval,
    start: dt.datetime,
    to: dt.datetime,
    instants: Sequence[dt.datetime],
) -> TransactionStats:
    ends = dict(itertools.pairwise(instants))
    buckets = sorted(
        (_bucket(r, r.bucket, ends[_utc(r.bucket)]) for r in rows if r.is_total == 0),
        key=lambda b: b.start,
    )
    total_rows = [r for r in rows if r.is_total == 1]
    if not total_rows:  # pragma: no cover - GROUPING SETS (()) always yields the total row
        raise RuntimeError("statistics query returned no totals row")
    return TransactionStats(
        interval=interval,
        occurred_from=start,
        occurred_to=to,
        buckets=buckets,
        totals=_bucket(total_rows[0], start, to),
    )


async def transaction_stats(
    scope: SessionScope,
    f: TransactionFilter,
    interval: StatsInterval,
    now: dt.datetime | None = None,
) -> TransactionStats:
    """Statistics of the caller's transactions (row-level security scopes them to the tenant),
    in the tenant's local days or hours."""
    f = f.check()
    async with scope() as session:
        zone = await localtime.tenant_zone(session)
        start, to = stats_range(f, interval, now, zone)
        instants = localtime.bucket_starts(
            start, to, daily=interval is StatsInterval.DAY, zone_name=zone
        )
        statement = stats_statement(f, interval, start, to, zone, instants[:-1])
        rows = (await session.execute(statement)).all()
    return _reshape(rows, interval, start, to, instants)
