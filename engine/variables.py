"""Variables coerced once: specialised coercers (a hand copy of graphql-core's
`coerce_input_value`, per type), and an executor that reuses the values the limits extension
coerced before execution instead of coercing the same variables again
(`reusing_measured_variables`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    OperationDefinitionNode,
    get_nullable_type,
)
from graphql.execution import Executor
from graphql.execution.get_variable_signature import get_variable_signature
from graphql.execution.values import (
    VariableValues,
    VariableValueSource,
    get_variable_values,
    input_is_nested_too_deeply,
)
from graphql.language.parser import MAX_NESTING_DEPTH
from graphql.pyutils import Undefined, is_iterable
from graphql.type.definition import is_leaf_type, is_required_input_field
from graphql.utilities.coerce_input_value import coerce_default_value, coerce_input_value

_Coerce = Callable[[Any], Any]
#: By `_type_key` (graphql-core makes new wrapper types, `[T]!`, for every request).
_COERCERS: dict[Any, _Coerce] = {}


def _type_key(type_: GraphQLInputType) -> Any:
    if isinstance(type_, GraphQLNonNull):
        return ("!", _type_key(type_.of_type))
    if isinstance(type_, GraphQLList):
        return ("[]", _type_key(type_.of_type))
    return type_


def _coercer(type_: GraphQLInputType) -> _Coerce:
    """graphql-core's `coerce_input_value` specialised for one type, once: the same steps in
    the same order with the same leaf parsers, so the same value or `Undefined`, without
    deciding the kind of every type at every value (a batch of 500 transactions is 6,500
    values). Types it does not specialise (one-of inputs) go through graphql-core's."""
    key = _type_key(type_)
    found = _COERCERS.get(key)
    if found is not None:
        return found
    if isinstance(type_, GraphQLNonNull):
        inner = _coercer(type_.of_type)

        def non_null(value: Any) -> Any:
            if value is None or value is Undefined:
                return Undefined
            return inner(value)

        coerce: _Coerce = non_null
    elif isinstance(type_, GraphQLList):
        item = _coercer(type_.of_type)

        def listed(value: Any) -> Any:
            if value is None or value is Undefined:
                return None
            if not is_iterable(value):
                single = item(value)
                return Undefined if single is Undefined else [single]
            items = []
            for each in value:
                coerced = item(each)
                if coerced is Undefined:
                    return Undefined
                items.append(coerced)
            return items

        coerce = listed
    elif isinstance(type_, GraphQLInputObjectType) and not type_.is_one_of:
        fields = type_.fields
        specs: list[tuple[str, str, Any, _Coerce, bool]] = []
        out_type = type_.out_type

        def input_object(value: Any) -> Any:
            if value is None or value is Undefined:
                return None
            if not isinstance(value, dict):
                return Undefined
            for name, field_value in value.items():
                if field_value is not Undefined and name not in fields:
                    return Undefined
            coerced_dict: dict[str, Any] = {}
            for name, out_name, input_field, field_coercer, required in specs:
                field_value = value.get(name, Undefined)
                if field_value is Undefined:
                    if required:
                        return Undefined
                    default = coerce_default_value(input_field)
                    if default is not Undefined:
                        coerced_dict[out_name] = default
                else:
                    coerced = field_coercer(field_value)
                    if coerced is Undefined:
                        return Undefined
                    coerced_dict[out_name] = coerced
            return out_type(coerced_dict)

        _COERCERS[key] = input_object  # before its fields: recursive input types
        specs.extend(
            (
                name,
                input_field.out_name or name,
                input_field,
                _coercer(input_field.type),
                is_required_input_field(input_field),
            )
            for name, input_field in fields.items()
        )
        coerce = input_object
    elif is_leaf_type(type_):
        parse = type_.coerce_input_value  # type: ignore[union-attr]

        def leaf(value: Any) -> Any:
            if value is None or value is Undefined:
                return None
            try:
                return parse(value)
            except Exception:
                return Undefined

        coerce = leaf
    else:

        def generic(value: Any) -> Any:
            return coerce_input_value(value, type_)

        coerce = generic
    _COERCERS[key] = coerce
    return coerce


def _nesting(type_: GraphQLInputType, active: frozenset[str] = frozenset()) -> int | None:
    """The deepest a value of this type can make graphql-core's nesting check go (each list
    item and input object field one level down), or None when unbounded (recursive)."""
    nullable = get_nullable_type(type_)
    if isinstance(nullable, GraphQLList):
        below = _nesting(nullable.of_type, active)
        return None if below is None else 1 + below
    if isinstance(nullable, GraphQLInputObjectType):
        if nullable.name in active:
            return None
        deepest = 0
        for input_field in nullable.fields.values():
            below = _nesting(input_field.type, active | {nullable.name})
            if below is None:
                return None
            deepest = max(deepest, 1 + below)
        return deepest
    return 0


_BOUNDED: dict[Any, bool] = {}


def _bounded(type_: GraphQLInputType) -> bool:
    """Whether no value of this type can fail graphql-core's nesting check."""
    key = _type_key(type_)
    found = _BOUNDED.get(key)
    if found is None:
        depth = _nesting(type_)
        found = _BOUNDED[key] = depth is not None and depth <= MAX_NESTING_DEPTH
    return found


def coerce_variables_quickly(
    schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Mapping[str, Any]
) -> VariableValues | None:
    """What `get_variable_values` returns for valid variables that are all provided, by
    the specialised coercers; None whenever anything is missing, invalid or unusual (a
    default to apply, an invalid value): `get_variable_values` then does it all, errors
    included, as before."""
    sources: dict[str, VariableValueSource] = {}
    coerced: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        signature = get_variable_signature(schema, definition)
        if isinstance(signature, GraphQLError):
            return None
        value = inputs.get(signature.name, Undefined)
        if value is Undefined:
            return None
        sources[signature.name] = VariableValueSource(signature, value)
        if not _bounded(signature.type) and input_is_nested_too_deeply(value, signature.type):
            return None
        coerced_value = _coercer(signature.type)(value)
        if coerced_value is Undefined:
            return None
        coerced[signature.name] = coerced_value
    return VariableValues(sources, coerced)


def coerce_variables(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    raw: Mapping[str, Any],
    *,
    hide_suggestions: bool,
) -> VariableValues | list[GraphQLError]:
    """The operation's variables coerced by the specialised coercers, or (anything missing,
    invalid or unusual) by graphql-core's `get_variable_values`, errors included."""
    return coerce_variables_quickly(schema, operation, raw) or get_variable_values(
        schema,
        operation.variable_definitions or (),
        raw,
        max_errors=20,
        hide_suggestions=hide_suggestions,
    )


class MeasuredVariables(dict[str, Any]):
    """A request's variables as sent, with the values `QueryLimits` coerced them to for one
    document and operation (every coercion error was reported then, before execution).

    Execution takes those values (see `reusing_measured_variables`) instead of coercing the
    same variables a second time: for an ingestion batch of 500 transactions a coercion is
    6,500 values walked and parsed, about a fifth of the request's CPU."""

    __slots__ = ("coerced", "document", "operation", "operation_name")

    def __init__(
        self,
        raw: Mapping[str, Any],
        document: DocumentNode,
        operation: OperationDefinitionNode,
        operation_name: str | None,
        values: VariableValues,
    ) -> None:
        super().__init__(raw)
        self.document = document
        self.operation = operation
        self.operation_name = operation_name
        #: The coerced values (not `values`: this is a dict, whose `values()` stays a method).
        self.coerced = values

    def without_variable_definitions(self) -> DocumentNode:
        """The document, its operation declaring no variables (so nothing is coerced)."""
        bare = replace(self.operation, variable_definitions=())
        definitions = tuple(
            bare if definition is self.operation else definition
            for definition in self.document.definitions
        )
        return replace(self.document, definitions=definitions)


E = TypeVar("E", bound=Executor)


def reusing_measured_variables(
    executor_class: type[E], *, hide_suggestions: bool = True
) -> type[E]:
    """`executor_class`, building its executor with the variables `QueryLimits` already
    coerced when it gets them (`MeasuredVariables` for the same document and operation);
    anything else is built as `executor_class` builds it. With `hide_suggestions`, the
    executor is built with graphql-core's switch of that name on (strawberry does not pass
    it): a variable coerced at execution writes no "Did you mean …"."""

    class ReusingMeasuredVariables(executor_class):  # type: ignore[valid-type,misc]
        @classmethod
        def build(  # type: ignore[override]
            cls,
            schema: GraphQLSchema,
            document: DocumentNode,
            root_value: Any = None,
            context_value: Any = None,
            raw_variable_values: dict[str, Any] | None = None,
            operation_name: str | None = None,
            *args: Any,
            **kwargs: Any,
        ) -> list[GraphQLError] | Executor:
            if hide_suggestions:
                kwargs["hide_suggestions"] = True
            measured = raw_variable_values
            if (
                type(measured) is not MeasuredVariables
                or measured.document is not document
                or measured.operation_name != operation_name
            ):
                return super().build(
                    schema,
                    document,
                    root_value,
                    context_value,
                    raw_variable_values,
                    operation_name,
                    *args,
                    **kwargs,
                )
            built = super().build(
                schema,
                measured.without_variable_definitions(),
                root_value,
                context_value,
                None,
                operation_name,
                *args,
                **kwargs,
            )
            if isinstance(built, list):
                return built
            built.operation = measured.operation
            built.variable_values = measured.coerced
            return built

    return ReusingMeasuredVariables  # type: ignore[return-value]
