"""What the fast path (completion.py) compiles and recognises: a plan per list of objects
(`Plan`, one `FieldPlan` per selected field, of one of the kinds below), the leaf serializers
it completes scalars with, the fields it recognises (`PolicyGuard`), and its counters (`STATS`,
read by tests and bench/)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol, runtime_checkable

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLID,
    GraphQLInt,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Undefined

from resolvers.relations import ToOne
from tenancy.policy import Access

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_COLLECTED_DIRECTIVES = frozenset({"include", "skip"})


# ----------------------------------------------------------------------------- what it recognises


@runtime_checkable
class PolicyGuard(Protocol):
    """A field extension that decides a read from the caller's role alone unless `per_row`
    (`schema.guards.Guard` is one): the plan decides its access once per list."""

    per_row: bool

    def access_for(self, principal: Any) -> Access | None: ...

    def finish(self, access: Access, value: Any) -> Any: ...

    def denied(self) -> Exception: ...


# ----------------------------------------------------------------------------- plans

# Kinds of planned fields.
TYPENAME, ATTR, GUARDED, DENIED, RELAY_ID, OBJECT, RELATION, NORMAL = range(8)


class FieldPlan:
    """How to complete one response key of an object."""

    __slots__ = (
        "access",
        "attr",
        "details",
        "guard",
        "kind",
        "name",
        "non_null",
        "plan",
        "relation",
        "return_type",
        "serialize",
        "value",
    )

    def __init__(self, kind: int, name: str, details: FieldDetailsList) -> None:
        self.kind = kind
        self.name = name
        self.details = details
        self.attr = ""
        self.return_type: GraphQLOutputType | None = None
        self.non_null = False
        self.serialize: Callable[[Any], Any] | None = None
        self.plan: Plan | None = None
        self.relation: ToOne | None = None
        self.guard: PolicyGuard | None = None
        self.access: Access | None = None
        self.value: Any = None


class Plan:
    """The fields of one object type under one selection, in response order."""

    __slots__ = ("fields", "is_type_of", "type", "typename")

    def __init__(
        self,
        object_type: GraphQLObjectType,
        fields: list[FieldPlan],
        is_type_of: Callable[[Any, Any], Any] | None,
    ) -> None:
        self.type = object_type
        self.typename = object_type.name
        self.fields = fields
        self.is_type_of = is_type_of


@dataclass
class FastPathStats:
    """What the fast path did in this process (tests check it ran)."""

    lists: int = 0
    items: int = 0
    normal_fields: int = 0

    def reset(self) -> None:
        self.lists = self.items = self.normal_fields = 0


STATS = FastPathStats()


def leaf_serializer(leaf: Any) -> Callable[[Any], Any]:
    """graphql-core's `complete_leaf_value` for one leaf type, with shortcuts that give the
    same output: strings and booleans pass through, 32-bit ints too, enum members are
    looked up in a table their type's own serializer filled."""
    coerce = leaf.coerce_output_value

    def serialize(value: Any) -> Any:
        coerced = coerce(value)
        if coerced is Undefined or coerced is None:
            raise TypeError("not serializable")  # the normal path words the error
        return coerced

    if leaf is GraphQLString or leaf is GraphQLID:

        def serialize_text(value: Any) -> Any:
            return value if type(value) is str else serialize(value)

        return serialize_text
    if leaf is GraphQLBoolean:

        def serialize_bool(value: Any) -> Any:
            return value if type(value) is bool else serialize(value)

        return serialize_bool
    if leaf is GraphQLInt:

        def serialize_int(value: Any) -> Any:
            if type(value) is int and _INT_MIN <= value <= _INT_MAX:
                return value
            return serialize(value)

        return serialize_int
    members = getattr(leaf, "wrapped_cls", None)
    if (
        isinstance(leaf, GraphQLEnumType)
        and isinstance(members, type)
        and issubclass(members, Enum)
    ):
        try:
            names = {member: serialize(member) for member in members}
        except Exception:
            return serialize  # a member the type cannot write: its error, per value

        def serialize_member(value: Any) -> Any:
            return names[value] if type(value) is members else serialize(value)

        return serialize_member
    return serialize


def plain(details: FieldDetailsList) -> bool:
    """Only @include/@skip on the field (graphql-core applied them when collecting)."""
    for detail in details:
        for directive in detail.node.directives or ():
            if directive.name.value not in _COLLECTED_DIRECTIVES:
                return False
    return True
