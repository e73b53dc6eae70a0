"""Custom scalars, registered with the schema through `SCALAR_MAP`."""

from __future__ import annotations

from typing import Any, NewType

import strawberry
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


SCALAR_MAP: dict[object, ScalarDefinition] = {
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
