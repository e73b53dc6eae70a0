"""Lists and mutations are declarations: the factories build them (docs/contributing.md).

Every field paged with first/after/last/before is a `child_list` or a `root_list`, so a new
list gets its arguments, descriptions, policy guard and one-statement paging from them
instead of a copy; every mutation answers its payload through `answer` unless it is one of
the few whose payload needs more than the use case's result.
"""

from __future__ import annotations

import inspect

from graphql import GraphQLObjectType
from strawberry.types.field import StrawberryField

from schema.schema import schema

PAGING = {"first", "after", "last", "before"}
FACTORIES = {"child_list.<locals>.resolve", "root_list.<locals>.resolve"}

#: Paged by hand, with a reason each.
PAGED_BY_HAND = {
    # Its own loader: a person's requests, written or held, with a filter of their own.
    "User.requests",
}

#: Mutations whose payload takes more than the use case's result, so they call `attempt`.
PAYLOADS_BY_HAND = {
    "changePassword",  # new tokens, taken apart
    "logout",  # false, not null, when refused
    "resetUserPassword",  # the one-time code, named otherwise in the use case's answer
    "sendTerminalCommand",  # the terminal loaded after the command
    "sendTerminalCommands",  # one result per terminal, each with its own user errors
    "updateNotificationPreferences",  # null, not an empty list, when nothing came back
    "recordTransactions",  # counts that are 0 when refused
    "recordTerminalEvents",  # counts that are 0 when refused
    "enrollSoftposDevice",  # the terminal loaded after the enrolment
}


def strawberry_fields(type_name: str | None = None) -> list[tuple[str, str, StrawberryField]]:
    found = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        if type_name is not None and name != type_name:
            continue
        for field_name, field in graphql_type.fields.items():
            definition = field.extensions.get("strawberry-definition")
            if isinstance(definition, StrawberryField):
                found.append((name, field_name, definition))
    return found


def test_every_paged_field_is_declared_by_a_factory() -> None:
    by_hand = []
    for type_name, field_name, definition in strawberry_fields():
        if not PAGING <= {a.python_name for a in definition.arguments}:
            continue
        resolver = definition.base_resolver
        qualname = resolver.wrapped_func.__qualname__ if resolver else ""
        if qualname not in FACTORIES:
            by_hand.append(f"{type_name}.{field_name}")
    assert sorted(by_hand) == sorted(PAGED_BY_HAND)


def test_mutations_answer_their_payload_through_answer() -> None:
    by_hand = []
    for _, field_name, definition in strawberry_fields("Mutation"):
        source = inspect.getsource(definition.base_resolver.wrapped_func)
        if "await answer(" not in source and "attempt(" in source:
            by_hand.append(field_name)
    assert sorted(by_hand) == sorted(PAYLOADS_BY_HAND)
