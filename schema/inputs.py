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
        # The coerced values alone (the engine hands the executor the values the limits
        # extension already coerced): all that reading arguments needs.
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
        return _InputObject(key)
    return None  # enums


def _text(problems: Problems, path: list[str], value: Any) -> None:
    # Fewer than 13 characters cannot hold 13 digits: most values stop at the length.
    if isinstance(value, str) and len(value) >= 13 and contains_pan(value):
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
    if isinstance(item, _InputObject):
        return item.check_list

    def check(problems: Problems, path: list[str], value: Any) -> None:
        if isinstance(value, list | tuple):
            for i, element in enumerate(value):
                if element is not None:
                    item(problems, [*path, str(i)], element)
        elif value is not None:  # a single value given for a list
            item(problems, path, value)

    return check


#: Deletes ASCII digits: a string keeping all but 12 of its characters holds no card number.
_NO_DIGITS = str.maketrans("", "", "0123456789")


def _suspect(value: Any, required: bool) -> bool:
    """Whether a string field's value needs its check: 13 digits or more (perhaps a card
    number), or blank where required (anything but a string goes to the check, which
    ignores it)."""
    if type(value) is not str:
        return value is not None
    if required and (not value or value.isspace()):
        return True
    return len(value) >= 13 and len(value) - len(value.translate(_NO_DIGITS)) >= 13


class _InputObject:
    """The check of an input object type. Its string fields are looked at column by column
    over a list's items, calling the check only for values that need it: an ingestion batch
    brings thousands of short strings that cannot hold a card number."""

    def __init__(self, type_: GraphQLInputObjectType) -> None:
        self.type = type_
        self._fields: list[tuple[str, str, _Check]] | None = None

    @property
    def fields(self) -> list[tuple[str, str, _Check]]:
        if self._fields is None:  # built on first use: input types may refer to themselves
            self._fields = [
                (name, field.out_name or name, child)
                for name, field in self.type.fields.items()
                if (child := _checker(field.type)) is not None
            ]
        return self._fields

    def __call__(self, problems: Problems, path: list[str], value: Any) -> None:
        if not isinstance(value, dict):
            return
        for name, key, child in self.fields:
            field_value = value.get(key)
            if field_value is not None and field_value is not Undefined:
                if child in _STRINGS and not _suspect(field_value, child is _required_text):
                    continue
                child(problems, [*path, name], field_value)

    def check_list(self, problems: Problems, path: list[str], value: Any) -> None:
        if not isinstance(value, list | tuple):
            if value is not None:  # a single value given for a list
                self(problems, path, value)
            return
        items = [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]
        found: list[tuple[int, int, str, _Check, Any]] = []
        for order, (name, key, child) in enumerate(self.fields):
            if child in _STRINGS:
                # The common case inline (no call per value): a short, non-blank string.
                required = child is _required_text
                found += [
                    (i, order, name, child, v)
                    for i, item in items
                    if (v := item.get(key)) is not None
                    and (
                        type(v) is not str
                        or (len(v) >= 13 and len(v) - len(v.translate(_NO_DIGITS)) >= 13)
                        or (required and (not v or v.isspace()))
                    )
                ]
            else:
                found += [
                    (i, order, name, child, v)
                    for i, item in items
                    if (v := item.get(key)) is not None and v is not Undefined
                ]
        for i, _order, name, child, field_value in sorted(found, key=lambda f: f[:2]):
            child(problems, [*path, str(i), name], field_value)


_STRINGS = (_text, _required_text)
