"""Custom scalars, registered with the schema through `SCALAR_MAP`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, NewType

import strawberry
from strawberry.schema.types.base_scalars import DateDefinition, DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

#: A 64-bit integer: money in minor units, sums, counts.
Long = NewType("Long", int)
#: An arbitrary JSON value (journal snapshots, request payloads).
JSON = NewType("JSON", object)


def _long(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("Long must be an integer")
    number = int(value)
    if not -(2**63) <= number < 2**63:
        raise ValueError("Long out of 64-bit range")
    return number


_parse_datetime_slowly = DateTimeDefinition.parse_value


def _datetime(value: Any) -> dt.datetime:
    """`DateTime` input: `datetime.fromisoformat` (C, Python 3.11 reads ISO 8601), else
    strawberry's own parser (dateutil's `isoparse`, about 10x slower), which also reads the
    rare forms the former refuses (`24:00:00`) and words the error for what neither reads.
    Both give equal values where both read a string (only the UTC tzinfo's class differs)."""
    if type(value) is str:
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    return _parse_datetime_slowly(value)  # type: ignore[misc,no-any-return]


SCALAR_MAP: dict[object, ScalarDefinition] = {
    # strawberry's DateTime, same name and output; only the parser is faster (it reads every
    # `occurredAt` of an ingestion batch), and the description says what Spring sends.
    dt.datetime: dataclasses.replace(
        DateTimeDefinition,
        parse_value=_datetime,
        description="A date and time in ISO 8601, e.g. 2026-03-01T09:30:00+00:00. Spring "
        "answers in UTC; give the offset (Z, +01:00...) with the times you send.",
    ),
    dt.date: dataclasses.replace(
        DateDefinition, description="A calendar date in ISO 8601 (YYYY-MM-DD), e.g. 2026-03-01."
    ),
    Long: strawberry.scalar(
        name="Long",
        description="A 64-bit integer (money in minor units, sums, counts).",
        serialize=int,
        parse_value=_long,
    ),
    JSON: strawberry.scalar(
        name="JSON",
        description="An arbitrary JSON value.",
        serialize=lambda value: value,
        parse_value=lambda value: value,
    ),
}
