"""The tenant's local time: its IANA zone, local days and hours, local wall-clock texts.

The API keeps UTC timestamps everywhere; only these are the tenant's local time:
- `transactionStats` buckets: a DAY bucket runs from one local midnight to the next (23 or 25
  hours on a daylight-saving change), an HOUR bucket is an hour of local wall-clock time;
- a terminal's `settlementTime` ("HH:MM"): stored as the local time itself (a `time` column),
  so the télécollecte stays at 22:30 in Paris across a daylight-saving change;
- the times written in diagnosis hints and notification texts ("2026-03-29 03:15 CEST").

Zones come from the system's zoneinfo database (Python's `zoneinfo`, PostgreSQL's own copy
for the statistics' SQL); an unknown name is a user error where it is set.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
import zoneinfo
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m

#: The zone of a tenant created without one.
DEFAULT_ZONE = "Europe/Paris"
#: Zone names are at most this long (the column's length).
MAX_ZONE_LENGTH = 64


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone called `name` (the default zone for None). KeyError for an unknown name."""
    try:
        return _zone(name or DEFAULT_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise KeyError(name) from exc


def is_known_zone(name: str) -> bool:
    """Whether `name` is an IANA zone name this machine knows ("UTC" included)."""
    if not name or len(name) > MAX_ZONE_LENGTH or name.startswith(("/", ".")) or ".." in name:
        return False
    try:
        zone(name)
    except KeyError:
        return False
    return True


def aware_utc(value: dt.datetime) -> dt.datetime:
    """An aware UTC datetime (a naive one is taken as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def local_text(value: dt.datetime | None, zone_name: str | None) -> str:
    """`value` as the tenant's wall-clock time with the zone's abbreviation, e.g.
    "2026-03-29 03:15 CEST" or "2026-12-05 18:30 AST"; "—" for None."""
    if value is None:
        return "—"
    local = aware_utc(value).astimezone(zone(zone_name))
    return local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or zone_name or "")


def day_start(value: dt.datetime, zone_name: str | None) -> dt.datetime:
    """The UTC instant of the local midnight that starts the local day holding `value`."""
    tz = zone(zone_name)
    local = aware_utc(value).astimezone(tz)
    return _local_midnight(local.date(), tz)


def _local_midnight(day: dt.date, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(dt.UTC)


def hour_start(value: dt.datetime, zone_name: str | None) -> dt.datetime:
    """The UTC instant starting the local wall-clock hour holding `value` (an hour is always
    60 minutes: the repeated hour of an autumn change is two buckets, the skipped one none)."""
    utc = aware_utc(value)
    local = utc.astimezone(zone(zone_name))
    return utc - dt.timedelta(
        minutes=local.minute, seconds=local.second, microseconds=local.microsecond
    )


def next_day(start: dt.datetime, zone_name: str | None) -> dt.datetime:
    """The local midnight after the day starting at `start` (23, 24 or 25 hours later)."""
    tz = zone(zone_name)
    day = aware_utc(start).astimezone(tz).date()
    return _local_midnight(day + dt.timedelta(days=1), tz)


def add_days(start: dt.datetime, days: int, zone_name: str | None) -> dt.datetime:
    """The local midnight `days` local days after (or before) the one starting at `start`."""
    tz = zone(zone_name)
    day = aware_utc(start).astimezone(tz).date()
    return _local_midnight(day + dt.timedelta(days=days), tz)


def bucket_starts(
    start: dt.datetime, to: dt.datetime, *, daily: bool, zone_name: str | None
) -> list[dt.datetime]:
    """The starts of the local days (or hours) meeting [start, to), then the end of the last
    one: n buckets give n + 1 instants. An empty range gives no bucket (a single instant)."""
    first = day_start(start, zone_name) if daily else hour_start(start, zone_name)
    instants = [first]
    while instants[-1] < to:
        last = instants[-1]
        instants.append(next_day(last, zone_name) if daily else last + dt.timedelta(hours=1))
    if len(instants) == 1 or start == to:
        return [first]
    return instants


async def tenant_zone(session: AsyncSession, tenant_id: uuid.UUID | None = None) -> str:
    """The time zone of `tenant_id`, or of the session's tenant (row-level security's
    `app.tenant_id`); the default zone when there is none (a platform session)."""
    condition: Any
    if tenant_id is not None:
        condition = m.Tenant.id == tenant_id
    else:
        condition = m.Tenant.id == func.nullif(
            func.current_setting("app.tenant_id", literal_column("true")), ""
        ).cast(m.Tenant.id.type)
    found = await session.scalar(select(m.Tenant.time_zone).where(condition))
    return found or DEFAULT_ZONE
