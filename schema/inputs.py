"""Rules every mutation input obeys, whatever its field: checked from the schema's own types,
before any use case runs (`schema.mutations.attempt`), so a field added later obeys them too.

- A required string (`String!`, a list's `String!` items included) is not blank: REQUIRED.
- No string, and nothing in a JSON value (keys, strings, numbers), holds a card number
  (`db.identifiers.find_pans`): CARD_DATA_REFUSED. Identifier fields need no exception:
  the rule never reads a SIRET, an IBAN, a UUID or a phone number as a card.

The use cases check their fields too (lengths, formats, the same card rule in
`Validator.text`), for the callers that do not come through GraphQL (the demo, the CLI).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
)
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.types import Info

from db.identifiers import contains_pan, json_holds_pan
from resolvers.errors import UserErrorCode as C
from resolvers.errors import UserErrorData
from resolvers.usecase import Problems

#: Walks a value of one input type, recording problems under a path.
_Check = Callable[[Problems, list[str], Any], None]

#: Scalars whose values are read as text (IDs are parsed into global IDs, never stored).
_TEXT_SCALARS = frozenset({"String"})
_JSON_SCALARS = frozenset({"JSON"})


def input_problems(info: Info, locale: str) -> list[UserErrorData]:
    """Every problem of the arguments of the field being resolved (a mutation), in order."""
    raw = info._raw_info
    field: GraphQLField = raw.parent_type.fields[raw.field_name]
    if not field.args:
        return []
    variables = raw.variable_values
    if variables is not None and not isinstance(variables, VariableValues):
        # The coerced values alone (`schema.limits` hands the executor the values it already
        # coerced): all that reading arguments needs.
        variables = VariableValues(sources={}, coerced=dict(variables))
    values = get_argument_values(field, raw.field_nodes[0], variables)
    problems = Problems(locale)
    for name, argument in field.args.items():
        key = argument.out_name or name
        if key in values:
            check_value(problems, [name], argument.type, values[key])
    return problems.errors


def check_value(problems: Problems, path: list[str], type_: GraphQLInputType, value: Any) -> None:
    """Record the problems of one coerced input value of `type_`, found under `path`."""
    check = _checker(type_)
    if check is not None and value is not None:
        check(problems, path, value)


def _type_key(type_: GraphQLInputType) -> Any:
    """A hashable key for a wrapped type (graphql-core may build new `[T]!` wrappers)."""
    if isinstance(type_, GraphQLNonNull):
        return ("!", _type_key(type_.of_type))
    if isinstance(type_, GraphQLList):
        return ("[]", _type_key(type_.of_type))
    return type_


def _checker(type_: GraphQLInputType) -> _Check | None:
    return _cached_checker(_type_key(type_))


@lru_cache(maxsize=1024)
def _cached_checker(key: Any) -> _Check | None:
    """The check of one input type, built once; None when the type holds no text at all."""
    if isinstance(key, tuple) and key[0] == "!":
        inner = key[1]
        if isinstance(inner, GraphQLScalarType) and inner.name in _TEXT_SCALARS:
            return _required_text
        return _cached_checker(inner)
    if isinstance(key, tuple) and key[0] == "[]":
        item = _cached_checker(key[1])
        return None if item is None else _listed(item)
    if isinstance(key, GraphQLScalarType):
        if key.name in _TEXT_SCALARS:
            return _text
        if key.name in _JSON_SCALARS:
            return _json
        return None
    if isinstance(key, GraphQLInputObjectType):
        return _input_object(key)
    return None  # enums


def _text(problems: Problems, path: list[str], value: Any) -> None:
    if isinstance(value, str) and contains_pan(value):
        problems.add(path, C.CARD_DATA_REFUSED, "card_data")


def _required_text(problems: Problems, path: list[str], value: Any) -> None:
    if isinstance(value, str) and not value.strip():
        problems.add(path, C.REQUIRED, "required")
    else:
        _text(problems, path, value)


def _json(problems: Problems, path: list[str], value: Any) -> None:
    if value is not None and json_holds_pan(value):
        problems.add(path, C.CARD_DATA_REFUSED, "card_data")


def _listed(item: _Check) -> _Check:
    def check(problems: Problems, path: list[str], value: Any) -> None:
        if isinstance(value, list | tuple):
            for i, element in enumerate(value):
                item(problems, [*path, str(i)], element)
        elif value is not None:  # a single value given for a list
            item(problems, path, value)

    return check


def _input_object(type_: GraphQLInputObjectType) -> _Check:
    fields: list[tuple[str, str, _Check]] = []
    resolved = False

    def check(problems: Problems, path: list[str], value: Any) -> None:
        nonlocal resolved
        if not resolved:  # built on first use: input types may refer to themselves
            for name, field in type_.fields.items():
                child = _checker(field.type)
                if child is not None:
                    fields.append((name, field.out_name or name, child))
            resolved = True
        if not isinstance(value, dict):
            return
        for name, key, child in fields:
            field_value = value.get(key, Undefined)
            if field_value is not Undefined and field_value is not None:
                child(problems, [*path, name], field_value)

    return check
