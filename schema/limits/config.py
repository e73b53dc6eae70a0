"""The limits' configuration: `Limits` (every limit, with its default) and the refusal they
make (`too_complex`). What each limit measures is in schema/limits/__init__.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError

from resolvers.errors import ErrorCode

#: Lists whose use case has its own, friendlier limit (a `TOO_MANY`/`OUT_OF_RANGE` user error
#: at 501 items): the pre-execution backstop for them is set above it, so the use case's
#: message is what a client exceeding the limit a little sees, and a gross excess is still
#: refused before anything is coerced or executed.
DEFAULT_LIST_ITEM_CAPS: Mapping[str, int] = {
    "RecordTransactionsInput.transactions": 1000,
    "RecordTerminalEventsInput.events": 1000,
    "SimulateFeesInput.transactions": 1000,
}

INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})
PAGE_ARGUMENTS = ("first", "last")


@dataclass(frozen=True)
class Limits:
    """Every limit, with its default. One instance per schema (see `build_schema`)."""

    max_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 10_000
    max_root_fields: int = 20
    #: Field selections in an operation, fragments expanded (introspection's query: ~230).
    max_fields: int = 1_000
    #: Copies of one object field (response key) in one selection, fragments expanded.
    max_duplicate_fields: int = 10
    max_cost: int = 5_000
    #: The multiplier of a paginated field without `first`/`last` (resolvers' default page).
    default_page_size: int = 20
    #: The multiplier of a list of objects that takes no `first`/`last`.
    default_list_size: int = 20
    #: Items allowed in any list argument or list input field...
    max_list_items: int = 100
    #: ...except these, named "InputType.field" or "ParentType.field(argument)".
    list_item_caps: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_LIST_ITEM_CAPS))

    def list_cap(self, where: str) -> int:
        return self.list_item_caps.get(where, self.max_list_items)


def too_complex(
    message: str,
    limit: str,
    maximum: int,
    measured: int,
    nodes: Any = None,
    code: ErrorCode = ErrorCode.QUERY_TOO_COMPLEX,
    **extra: Any,
) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=nodes,
        extensions={
            "code": code.value,
            "limit": limit,
            "maximum": maximum,
            "measured": measured,
            **extra,
        },
    )
