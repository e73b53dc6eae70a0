"""Descriptions shared by many schema elements, and `described_enum`.

GraphiQL's documentation pane is the API's manual (tests/test_schema_descriptions.py fails on
any element without a description). Arguments and fields that recur on every list or every
mutation take their wording from here, so it is written once and stays the same everywhere.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

import strawberry

E = TypeVar("E", bound=type[enum.Enum])

# --- Relay pagination (DESIGN §4) -------------------------------------------------------

FIRST = (
    "Page forward: at most this many items after `after` (from the start without it), 0 to "
    "100; more is refused. Not together with `last`. Without `first` or `last`: 20 items."
)
AFTER = "Cursor of the item to start after: `pageInfo.endCursor` of the previous page."
LAST = (
    "Page backward: at most this many items before `before` (from the end without it), 0 to "
    "100; more is refused. Not together with `first`."
)
BEFORE = "Cursor of the item to end before: `pageInfo.startCursor` of the following page."

First = Annotated[int | None, strawberry.argument(description=FIRST)]
After = Annotated[str | None, strawberry.argument(description=AFTER)]
Last = Annotated[int | None, strawberry.argument(description=LAST)]
Before = Annotated[str | None, strawberry.argument(description=BEFORE)]

RESUME_AFTER = strawberry.argument(
    description="A `cursor` of an event received before: first every event recorded after it "
    "(none is missed), then live ones. Without it, live events only."
)

EDGE = "One item of a page, with the cursor that marks its place in the list."
EDGE_CURSOR = "Opaque position of this item: pass it as `after` or `before` to page from here."
EDGE_NODE = "The item itself."
CONNECTION_EDGES = "The items of this page, in the list's order."
CONNECTION_PAGE_INFO = "Whether there are pages before or after this one, and their cursors."


def filter_arg(items: str) -> Any:
    """The `filter` argument of a list of `items` (e.g. "companies")."""
    return strawberry.argument(
        description=f"Only the {items} matching every field given (the fields combine with AND; "
        "a list field matches any of its values). Without it, all the ones the caller may read."
    )


def order_arg(default: str) -> Any:
    """The `orderBy` argument of a list whose order without it is `default`."""
    return strawberry.argument(
        description=f"Sort key and direction. Without it: {default}. Ties are broken by the "
        "item's identity, so paging never repeats or skips an item."
    )


def order_field(items: str) -> Any:
    """The `field` of an `…Order` input."""
    return strawberry.field(description=f"What to sort the {items} by.")


def order_direction(default: Any) -> Any:
    """The `direction` of an `…Order` input, `default` when omitted."""
    name = getattr(default, "value", default)
    return strawberry.field(
        default=default,
        description=f"ASC (A to Z, oldest first, smallest first) or DESC; {name} when omitted.",
    )


# --- Mutations (DESIGN §4) ---------------------------------------------------------------

MUTATION_INPUT = strawberry.argument(
    description="What to do, field by field (each input field says what it means). A refused "
    "input writes nothing and comes back as `userErrors` in the payload."
)

USER_ERRORS = (
    "Why the input was refused: empty when the mutation succeeded. When not empty, nothing was "
    "written and the payload's object fields are null (or hold the unchanged object)."
)


def user_errors_field() -> Any:
    """The `userErrors` field of every mutation payload."""
    return strawberry.field(description=USER_ERRORS)


CHECK_INPUT = strawberry.argument(
    description="A draft of the mutation's input, as far as it is filled in (the same type as "
    "the mutation's `input`: blank strings for what is not typed yet). Nothing is written."
)


def check_description(mutation: str) -> str:
    """The description of a read-only check of `mutation`'s input (`validateCompany`...)."""
    return (
        f"The user errors `{mutation}` would answer for this input now (same fields, codes and "
        "messages, in the caller's language), found without writing anything: the mutation's "
        "own checks run (formats, uniqueness, the target's state) and stop before its first "
        "write. A form validates as the user types with it; the mutation stays the judge at "
        f"submit. Whoever may run `{mutation}` may run it."
    )


def expected_version_field(of: str = "object") -> Any:
    """The optional `expectedVersion` of a mutation input (optimistic locking)."""
    return strawberry.field(
        default=None,
        description=f"The {of}'s `version` as you last read it: if someone changed it since, "
        "nothing is written and the user error CONFLICT says so (reload, then retry). "
        "Omit to change it whatever its version.",
    )


def version_field(of: str) -> Any:
    """The `version` field of a mutable object."""
    return strawberry.field(
        description=f"Revision of the {of}: 1 when created, +1 at every change. Send it back as "
        "`expectedVersion` to refuse a change made by someone else meanwhile."
    )


# --- Enums --------------------------------------------------------------------------------


def described_enum(
    cls: E | None = None,
    *,
    description: str,
    values: Mapping[str, str],
    name: str | None = None,
) -> Any:
    """`strawberry.enum` where the type and every value have a description.

    Raises at import when a value has none, or when `values` describes a value the enum does
    not have (a renamed value would otherwise keep a stale description). Usable as
    `described_enum(PythonEnum, name=..., description=..., values={...})` on an enum declared
    elsewhere (db/, resolvers/), or as a decorator on a class declared in schema/.
    """

    def wrap(target: E) -> E:
        label = name or target.__name__
        if not description.strip():
            raise TypeError(f"enum {label} has no description")
        members = [member.name for member in target]
        missing = [m for m in members if not values.get(m, "").strip()]
        unknown = sorted(set(values) - set(members))
        if missing or unknown:
            raise TypeError(
                f"enum {label}: values without a description {missing}, "
                f"descriptions of no value {unknown}"
            )
        wrapped = strawberry.enum(target, name=label, description=description)
        for value in wrapped.__strawberry_definition__.values:
            value.description = values[value.name]
        return wrapped

    if cls is None:
        return wrap
    return wrap(cls)


def describe_type(cls: Any, description: str) -> Any:
    """Give a description to a type strawberry built without one (`merge_types`)."""
    cls.__strawberry_definition__.description = description
    return cls
