"""Limits checked before execution: a refused query runs no resolver and no SQL.

Measured on the parsed document (and the request's variables), before anything executes:

- tokens: counted by `count_tokens` before anything is parsed (a huge document is never
  parsed; comments count, as they do for graphql-core's own `max_tokens` backstop);
- depth: nesting of fields, fragments expanded; `__schema`/`__type` (introspection, served
  from memory) are exempt, so GraphiQL's introspection query works;
- aliases, root fields and fields, fragments expanded (a fragment spread ten times counts ten
  times), and copies of one object field in one selection (graphql-core's validation compares
  every pair of them: a few hundred copies cost seconds of CPU, so this is measured first);
- cost: every field costs 1; a paginated field (`first`/`last`) multiplies the lists below it
  by its page size (`default_page_size` when absent), any other list of objects by
  `default_list_size`, and `nodes(ids:)` by the number of ids;
- list inputs: every list in an argument or an input field, literal or in a variable, holds at
  most `max_list_items` items (`list_item_caps` names the exceptions).

A refusal is a top-level error with `extensions.code` QUERY_TOO_COMPLEX (BAD_USER_INPUT for a
list input too long) naming the limit, its maximum and the measured value. The measured cost of
every operation is reported in the response's `extensions.cost`.

Error hygiene lives here too, because it must happen before errors are logged: outside
development, graphql-core is asked not to write "Did you mean …" suggestions at all (its
`hide_suggestions` switch, given to validation, to variable coercion and to the executor: they
let a client without introspection map the schema), and a card number echoed by a parse,
validation or variable error is masked before the error is logged or returned.

Parsing and validation are cached here, replacing strawberry's ParserCache (which raises
syntax errors from inside an extension hook, skipping every other extension's clean-up: the
error kept no code and the request's transaction was left open) and ValidationCache (which
validates before anything could be measured).

Every limit is a field of `Limits`; `build_schema(limits, introspection=..., suggestions=...)`
in schema/schema.py takes them (the settings decide).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, TypeVar

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    parse,
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
from graphql.utilities import get_operation_ast
from graphql.utilities.coerce_input_value import coerce_default_value, coerce_input_value
from graphql.validation import NoSchemaIntrospectionCustomRule, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from db.identifiers import redact_pans
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


# --------------------------------------------------------------------------- document walks


class _Walk:
    """Fragment-aware measures of one document, memoised per fragment (linear time even for
    fragments spread exponentially often) and safe on fragment cycles (counted once)."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self._memo: dict[tuple[str, str], int] = {}
        self._active: set[tuple[str, str]] = set()
        self._key_memo: dict[str, Counter[str]] = {}

    def _fragment(self, kind: str, name: str, measure: Callable[[SelectionSetNode], int]) -> int:
        key = (kind, name)
        if key in self._memo:
            return self._memo[key]
        fragment = self.fragments.get(name)
        if fragment is None or key in self._active:
            return 0
        self._active.add(key)
        try:
            value = measure(fragment.selection_set)
        finally:
            self._active.discard(key)
        self._memo[key] = value
        return value

    def depth(self, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in INTROSPECTION_ROOTS:
                    continue
                value = 1 + self.depth(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                value = self.depth(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                value = self._fragment("depth", selection.name.value, self.depth)
            else:  # pragma: no cover - no other selection kinds
                value = 0
            deepest = max(deepest, value)
        return deepest

    def aliases(self, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += (1 if selection.alias else 0) + self.aliases(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                count += self.aliases(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                count += self._fragment("aliases", selection.name.value, self.aliases)
        return count

    def fields(self, selection_set: SelectionSetNode | None) -> int:
        """Fields directly in this selection (fragments expanded, not sub-selections)."""
        if selection_set is None:
            return 0
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += 1
            elif isinstance(selection, InlineFragmentNode):
                count += self.fields(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                count += self._fragment("fields", selection.name.value, self.fields)
        return count

    def _keys(self, selection_set: SelectionSetNode | None) -> Counter[str]:
        """Response keys of the object fields of one selection, fragments expanded (leaves
        are cheap to compare: only fields with sub-selections make the comparison costly)."""
        keys: Counter[str] = Counter()
        if selection_set is None:
            return keys
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.selection_set is not None:
                    keys[(selection.alias or selection.name).value] += 1
            elif isinstance(selection, InlineFragmentNode):
                keys.update(self._keys(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in self._key_memo:
                    fragment = self.fragments.get(name)
                    if fragment is None or ("keys", name) in self._active:
                        continue
                    self._active.add(("keys", name))
                    try:
                        self._key_memo[name] = self._keys(fragment.selection_set)
                    finally:
                        self._active.discard(("keys", name))
                keys.update(self._key_memo[name])
        return keys

    def duplicates(self, selection_set: SelectionSetNode | None) -> int:
        """The most copies of one response key in any selection below, fragments expanded."""
        if selection_set is None:
            return 0
        keys = self._keys(selection_set)
        most = max(keys.values(), default=0)
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                value = self.duplicates(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                value = self.duplicates(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                value = self._fragment("duplicates", selection.name.value, self.duplicates)
            else:  # pragma: no cover
                value = 0
            most = max(most, value)
        return most

    def flat(self, selection_set: SelectionSetNode | None) -> int:
        """Every field below, fragments expanded, no multipliers (introspection's cost)."""
        if selection_set is None:
            return 0
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += 1 + self.flat(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                count += self.flat(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                count += self._fragment("flat", selection.name.value, self.flat)
        return count


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


# --------------------------------------------------------------------------- structure


def structure_errors(document: DocumentNode, limits: Limits) -> list[GraphQLError]:
    """Depth, aliases, root fields, fields and duplicated fields of each operation.

    Checked before graphql-core's validation, which they protect: its rule for overlapping
    fields compares every pair of fields with the same response name, so a few hundred copies
    of one field cost seconds of CPU in a document far below the token limit.
    """
    walk = _Walk(_fragments(document))
    errors: list[GraphQLError] = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        selection = definition.selection_set
        measures = (
            ("depth", walk.depth(selection), limits.max_depth, "The query is {} levels deep"),
            ("aliases", walk.aliases(selection), limits.max_aliases, "The query uses {} aliases"),
            (
                "rootFields",
                walk.fields(selection),
                limits.max_root_fields,
                "The query asks for {} root fields",
            ),
            ("fields", walk.flat(selection), limits.max_fields, "The query selects {} fields"),
            (
                "duplicateFields",
                walk.duplicates(selection),
                limits.max_duplicate_fields,
                "The query selects one object field {} times in one place",
            ),
        )
        for name, measured, maximum, text in measures:
            if measured > maximum:
                errors.append(
                    too_complex(
                        f"{text.format(measured)}; the maximum is {maximum}.",
                        name,
                        maximum,
                        measured,
                        definition,
                    )
                )
        if errors:
            break
    return errors


def validation_rules(*, introspection: bool = True) -> tuple[type, ...]:
    """graphql-core validation rules added to the specified ones."""
    return () if introspection else (NoSchemaIntrospectionCustomRule,)


# --------------------------------------------------------------------------- list inputs


@lru_cache(maxsize=1024)
def _holds_lists(type_: GraphQLInputObjectType) -> bool:
    """Whether a value of this input object type can hold a list anywhere inside it.

    The items of a list of input objects that cannot are never walked: their list's length
    is all there is to measure (a batch of 500 transactions is one `len`, not 6,500 values)."""
    seen: set[str] = set()
    pending: list[GraphQLInputObjectType] = [type_]
    while pending:
        current = pending.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        for input_field in current.fields.values():
            nullable = get_nullable_type(input_field.type)
            if isinstance(nullable, GraphQLList):
                return True
            if isinstance(nullable, GraphQLInputObjectType):
                pending.append(nullable)
    return False


def _may_hold_lists(type_: GraphQLInputType) -> bool:
    nullable = get_nullable_type(type_)
    if isinstance(nullable, GraphQLList):
        return True
    return isinstance(nullable, GraphQLInputObjectType) and _holds_lists(nullable)


def _list_excess(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    limits: Limits,
) -> GraphQLError | None:
    """The first list input longer than its cap, literal or in a variable (raw, uncoerced:
    a list is measured before its items are looked at)."""
    defaults = {
        d.variable.name.value: d.default_value
        for d in operation.variable_definitions or ()
        if d.default_value is not None
    }

    def value(node: ValueNode | None, raw: Any, type_: GraphQLInputType, where: str) -> Any:
        if not _may_hold_lists(type_):
            # Nothing to measure (and no variable read: see `_DocumentFacts`).
            return None
        nullable = get_nullable_type(type_) if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(node, VariableNode):
            name = node.name.value
            if name in variables:
                return value(None, variables[name], type_, where)
            return value(defaults.get(name), None, type_, where)
        if node is None and raw is None:
            return None
        if isinstance(node, NullValueNode):
            return None
        if isinstance(nullable, GraphQLList):
            item_type = nullable.of_type
            if node is not None:
                items: list[tuple[Any, Any]] = (
                    [(v, None) for v in node.values]
                    if isinstance(node, ListValueNode)
                    else [(node, None)]
                )
            else:
                items = [(None, v) for v in raw] if isinstance(raw, list) else [(None, raw)]
            cap = limits.list_cap(where)
            if len(items) > cap:
                return too_complex(
                    f"`{where}` holds {len(items)} items; at most {cap} are allowed.",
                    "listItems",
                    cap,
                    len(items),
                    code=ErrorCode.BAD_USER_INPUT,
                    argument=where,
                )
            if not _may_hold_lists(item_type):
                return None
            for item_node, item_raw in items:
                found = value(item_node, item_raw, item_type, where)
                if found is not None:
                    return found
            return None
        if isinstance(nullable, GraphQLInputObjectType):
            if isinstance(node, ObjectValueNode):
                pairs = [(f.name.value, f.value, None) for f in node.fields]
            elif node is None and isinstance(raw, dict):
                pairs = [(k, None, v) for k, v in raw.items()]
            else:
                return None
            for name, sub_node, sub_raw in pairs:
                input_field = nullable.fields.get(name)
                if input_field is None:
                    continue
                if sub_node is None and sub_raw is None:
                    continue
                found = value(sub_node, sub_raw, input_field.type, f"{nullable.name}.{name}")
                if found is not None:
                    return found
        return None

    seen: set[str] = set()

    def walk(selection_set: SelectionSetNode | None, parent: Any) -> GraphQLError | None:
        if selection_set is None:
            return None
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                fields = getattr(parent, "fields", None)
                definition = fields.get(selection.name.value) if fields else None
                if definition is None:
                    continue
                for argument in selection.arguments or ():
                    arg_def = definition.args.get(argument.name.value)
                    if arg_def is None:
                        continue
                    where = f"{parent.name}.{selection.name.value}({argument.name.value})"
                    found = value(argument.value, None, arg_def.type, where)
                    if found is not None:
                        return found
                found = walk(selection.selection_set, get_named_type(definition.type))
            elif isinstance(selection, InlineFragmentNode):
                condition = (
                    schema.get_type(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent
                )
                found = walk(selection.selection_set, condition)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is None or name in seen:
                    continue
                seen.add(name)
                found = walk(
                    fragment.selection_set, schema.get_type(fragment.type_condition.name.value)
                )
            else:  # pragma: no cover
                found = None
            if found is not None:
                return found
        return None

    return walk(operation.selection_set, _root_type(schema, operation))


def _root_type(schema: GraphQLSchema, operation: OperationDefinitionNode) -> Any:
    if operation.operation is OperationType.MUTATION:
        return schema.mutation_type
    if operation.operation is OperationType.SUBSCRIPTION:
        return schema.subscription_type
    return schema.query_type


# --------------------------------------------------------------------------- cost


class _Cost:
    """The cost of an operation: 1 per field; lists multiplied (see the module's docstring)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        limits: Limits,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.limits = limits
        self.walk = _Walk(fragments)
        self._memo: dict[tuple[str, int | None], int] = {}
        self._active: set[str] = set()

    def _int_argument(self, node: FieldNode, name: str) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                found = self.variables.get(value.name.value)
                return found if isinstance(found, int) else None
        return None

    def _list_argument_length(self, node: FieldNode, definition: Any) -> int | None:
        for argument in node.arguments or ():
            arg_def = definition.args.get(argument.name.value)
            if arg_def is None or not is_list_type(get_nullable_type(arg_def.type)):
                continue
            value = argument.value
            if isinstance(value, ListValueNode):
                return len(value.values)
            if isinstance(value, VariableNode):
                found = self.variables.get(value.name.value)
                return len(found) if isinstance(found, list) else 1
        return None

    def selection(
        self, selection_set: SelectionSetNode | None, parent: Any, page: int | None
    ) -> int:
        """Cost of a selection on `parent`; `page` is the pending multiplier of a paginated
        field, consumed by the lists directly below it (`edges`)."""
        if selection_set is None:
            return 0
        plain = 0
        by_type: dict[str, int] = {}
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                plain += self.field(sel, parent, page)
                continue
            if isinstance(sel, InlineFragmentNode):
                condition = sel.type_condition.name.value if sel.type_condition else None
                target = self.schema.get_type(condition) if condition else parent
                cost = self.selection(sel.selection_set, target, page)
            elif isinstance(sel, FragmentSpreadNode):
                fragment = self.fragments.get(sel.name.value)
                if fragment is None:
                    continue
                condition = fragment.type_condition.name.value
                cost = self._spread(fragment, page)
            else:  # pragma: no cover
                continue
            if condition is None or parent is None or condition == parent.name:
                plain += cost
            else:
                by_type[condition] = by_type.get(condition, 0) + cost
        # An object is of one type only: of fragments on different types, the dearest counts.
        return plain + max(by_type.values(), default=0)

    def _spread(self, fragment: FragmentDefinitionNode, page: int | None) -> int:
        name = fragment.name.value
        key = (name, page)
        if key in self._memo:
            return self._memo[key]
        if name in self._active:  # a cycle (refused by validation anyway)
            return 0
        self._active.add(name)
        try:
            cost = self.selection(
                fragment.selection_set,
                self.schema.get_type(fragment.type_condition.name.value),
                page,
            )
        finally:
            self._active.discard(name)
        self._memo[key] = cost
        return cost

    def field(self, node: FieldNode, parent: Any, page: int | None) -> int:
        name = node.name.value
        if name in INTROSPECTION_ROOTS:
            return 1 + self.walk.flat(node.selection_set)
        fields = getattr(parent, "fields", None)
        definition = fields.get(name) if fields else None
        if definition is None:  # __typename, or an unknown field (refused by validation)
            return 1 + self.selection(node.selection_set, None, None)
        child_type = get_named_type(definition.type)
        if node.selection_set is None:
            return 1
        is_list = is_list_type(get_nullable_type(definition.type))
        if any(a in definition.args for a in PAGE_ARGUMENTS):
            sizes = [self._int_argument(node, a) for a in PAGE_ARGUMENTS]
            given = [s for s in sizes if s is not None]
            size = max(given) if given else self.limits.default_page_size
            size = max(size, 0)
            if is_list:  # a paginated plain list (`search(first:)`)
                return 1 + size * self.selection(node.selection_set, child_type, None)
            return 1 + self.selection(node.selection_set, child_type, size)
        if is_list:
            if page is not None:
                multiplier = page
            else:
                length = self._list_argument_length(node, definition)
                multiplier = length if length is not None else self.limits.default_list_size
            return 1 + multiplier * self.selection(node.selection_set, child_type, None)
        return 1 + self.selection(node.selection_set, child_type, None)


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    limits: Limits,
) -> int:
    cost = _Cost(schema, _fragments(document), variables, limits)
    return cost.selection(operation.selection_set, _root_type(schema, operation), None)


# --------------------------------------------------------------------------- messages

#: Where graphql-core and strawberry echo the value they refused ("..., found: {...}",
#: "Int cannot represent non-integer value: ..."): a password or card number sent in the wrong
#: place must not come back in an error, nor be written to the log with it.
_ECHOES = (
    (re.compile(r"(cannot represent[^:]*?value): .*", re.S), r"\1."),
    (re.compile(r"(Value cannot represent an? [A-Za-z]+): .*", re.S), r"\1."),
    (re.compile(r",? found:? .*", re.S), "."),
)


def sanitize_message(message: str, *, echoes: bool = True) -> str:
    """No card number (masked) and, for errors about the request itself, no echo of the
    refused value. ("Did you mean …" is never written: graphql-core's `hide_suggestions`.)"""
    if not echoes and not message.startswith("Syntax Error"):
        for pattern, replacement in _ECHOES:
            message = pattern.sub(replacement, message)
    return redact_pans(message)


# --------------------------------------------------------------------------- tokens

#: GraphQL's lexical tokens (spec, section 2.1), matched without backtracking. Ignored
#: characters (white space, line terminators, commas, the byte order mark) are one match that
#: does not count; a comment counts as one token, as it does for graphql-core's `max_tokens`.
_LEXICAL = re.compile(
    r"""
    (?P<ignored>[\ufeff\t\n\r ,]++)
    | \#[^\n\r]*+
    | \"\"\"(?:\\\"\"\"|[^"\\]|\\|"(?!""))*+\"\"\"
    | "(?:[^"\\\n\r]|\\.)*+"
    | \.\.\.
    | [!$&():=@\[\]{|}]
    | -?[0-9]++(?:\.[0-9]++)?+(?:[eE][+-]?+[0-9]++)?+
    | [_A-Za-z][_0-9A-Za-z]*+
    """,
    re.VERBOSE,
)


def count_tokens(query: str, ceiling: int) -> int:
    """The tokens of a document (comments included), counting no further than `ceiling`.

    Spring's own count, made before anything is parsed: a refusal never depends on the
    wording of graphql-core's errors, and a document of a million tokens (or comments) costs
    `ceiling` matches, not a parse. Counting stops at the first character no token can start
    with (an unterminated string, a stray `%`): the parser then reports the syntax error."""
    scanner = _LEXICAL.scanner(query)
    count = 0
    while count < ceiling:
        match = scanner.match()
        if match is None:
            break
        if match.lastgroup is None:
            count += 1
    return count


class TokenLimitExceeded(Exception):
    """A document with more tokens than the limit: it is not parsed."""


@lru_cache(maxsize=256)
def _cached_parse(query: str, max_tokens: int) -> DocumentNode:
    """The parsed document, tokens counted first (only a document parsed is cached: a
    refusal is counted again, the same way, every time). graphql-core's `max_tokens` stays
    on as a backstop."""
    if count_tokens(query, max_tokens + 1) > max_tokens:
        raise TokenLimitExceeded
    return parse(query, max_tokens=max_tokens)


# --------------------------------------------------------------------------- coerced once

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


class MeasuredVariables(dict[str, Any]):
    """A request's variables as sent, with the values `QueryLimits` coerced them to for one
    document and operation (every coercion error was reported then, before execution).

    Execution takes those values (see `reusing_measured_variables`) instead of coercing the
    same variables a second time: for an ingestion batch of 500 transactions a coercion is
    6,500 values walked and parsed, about a fifth of the request's CPU."""

    __slots__ = ("document", "operation", "operation_name", "values")

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
        self.values = values

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
            built.variable_values = measured.values
            return built

    return ReusingMeasuredVariables  # type: ignore[return-value]


# --------------------------------------------------------------------------- measured once


class _Reads(Mapping[str, Any]):
    """A request's variables, noting whether a measure read any of them: a measure that read
    none depends on the document alone, and is kept for the document's next requests."""

    __slots__ = ("read", "values")

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values
        self.read = False

    def __getitem__(self, key: str) -> Any:
        self.read = True
        return self.values[key]

    def __contains__(self, key: object) -> bool:
        self.read = True
        return key in self.values

    def get(self, key: str, default: Any = None) -> Any:
        self.read = True
        return self.values.get(key, default)

    def __iter__(self) -> Iterator[str]:
        self.read = True
        return iter(self.values)

    def __len__(self) -> int:
        self.read = True
        return len(self.values)


class _DocumentFacts:
    """What `QueryLimits` measured of one parsed document and operation name that does not
    depend on the request's variables, so that the document's next requests skip it: the
    structure passed, graphql-core's validation passed, the operation, no list input literal
    over its cap, and the cost, each kept only when no variable was read to measure it.
    Refusals are never kept: a refused document is measured again, the same way, every time.
    """

    __slots__ = ("cost", "document", "fragments", "lists_ok", "operation", "valid")

    def __init__(self, document: DocumentNode) -> None:
        #: Held so that the document's id (the cache's key) is not reused while cached.
        self.document = document
        self.valid = False
        self.operation: OperationDefinitionNode | None = None
        self.fragments: dict[str, FragmentDefinitionNode] | None = None
        self.lists_ok = False
        self.cost: int | None = None


class _FactsCache:
    """`_DocumentFacts` by (document, operation name), for one schema's limits and rules;
    documents come from `_cached_parse`, so the same text is the same object."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._facts: dict[tuple[int, str | None], _DocumentFacts] = {}

    def get(self, document: DocumentNode, operation_name: str | None) -> _DocumentFacts:
        key = (id(document), operation_name)
        facts = self._facts.get(key)
        if facts is None or facts.document is not document:
            if len(self._facts) >= self.size:
                self._facts.clear()
            facts = self._facts[key] = _DocumentFacts(document)
        return facts


# --------------------------------------------------------------------------- the extension


#: strawberry's own validation rules, which its `validate_document` adds to every validation.
STRAWBERRY_RULES = (MaybeNullValidationRule, OneOfInputValidationRule)


@lru_cache(maxsize=256)
def _cached_validate(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type, ...], hide_suggestions: bool
) -> list[GraphQLError]:
    """graphql-core's validation with strawberry's rules (as strawberry's `validate_document`
    runs it), and with graphql-core's `hide_suggestions` switch."""
    return validate(
        schema, document, (*rules, *STRAWBERRY_RULES), hide_suggestions=hide_suggestions
    )


class QueryLimits(SchemaExtension):
    """Enforces `Limits` before execution and reports the cost in `extensions.cost`.

    It parses and validates (both cached, replacing strawberry's ParserCache and
    ValidationCache): the structure is measured before graphql-core's validation, which it
    protects, and the variables are measured and coerced before execution.
    """

    def __init__(
        self,
        *,
        limits: Limits,
        rules: tuple[type, ...],
        suggestions: bool = False,
        facts: _FactsCache | None = None,
    ) -> None:
        self.limits = limits
        self.rules = rules
        self.suggestions = suggestions
        self.cost: int | None = None
        #: Shared by the schema's operations (`query_limits`); a private one otherwise.
        self.facts = facts if facts is not None else _FactsCache()

    # -- hooks

    def on_operation(self) -> Iterator[None]:
        ec = self.execution_context
        ec.validation_rules = (*ec.validation_rules, *self.rules)
        ec.parse_options["max_tokens"] = self.limits.max_tokens
        yield
        for error in getattr(ec.result, "errors", None) or ():
            self._sanitize(error, echoes=True)

    def on_parse(self) -> Iterator[None]:
        ec = self.execution_context
        refusal: GraphQLError | None = None
        if ec.graphql_document is None and ec.query:
            try:
                ec.graphql_document = _cached_parse(ec.query, self.limits.max_tokens)
            except TokenLimitExceeded:
                refusal = self._too_many_tokens(ec.query)
                # strawberry parses next (the document is None): let graphql-core's parser
                # stop at its first token, its error then becomes this refusal below.
                ec.parse_options["max_tokens"] = 1
            except GraphQLError:
                # A syntax error: strawberry parses again and reports it the usual way.
                pass
        yield
        if refusal is not None:
            errors = ec.pre_execution_errors
            if errors:
                # The error strawberry returns: the parser's, made this refusal in place.
                _become(errors[0], refusal)
                del errors[1:]
            else:  # pragma: no cover - graphql-core stops at max_tokens=1 on any such text
                ec.pre_execution_errors = [refusal]
        for error in ec.pre_execution_errors or ():
            self._sanitize(error)

    def on_validate(self) -> Iterator[None]:
        self.validate()
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cost": self.cost} if self.cost is not None else {}

    def _too_many_tokens(self, query: str) -> GraphQLError:
        """The refusal, the tokens counted up to ten times the limit for its message."""
        maximum = self.limits.max_tokens
        measured = count_tokens(query, 10 * maximum)
        return too_complex(
            f"The query has {'at least ' if measured >= 10 * maximum else ''}"
            f"{measured} tokens; the maximum is {maximum}.",
            "tokens",
            maximum,
            measured,
        )

    def validate(self) -> None:
        ec = self.execution_context
        document = ec.graphql_document
        if document is not None and ec.pre_execution_errors is None:
            facts = self.facts.get(document, ec.operation_name)
            if facts.valid:
                # Measured and validated before, without a refusal: only what depends on
                # the variables is measured again.
                ec.pre_execution_errors = self._measure(document, passed=True, facts=facts)
                return
            refused = structure_errors(document, self.limits)
            if refused:
                ec.pre_execution_errors = refused
                self._measure(document, passed=False)
            else:
                errors = _cached_validate(
                    ec.schema._schema, document, ec.validation_rules, not self.suggestions
                )
                for error in errors:
                    self._sanitize(error)
                    self._blame_the_request(error)
                refusal = self._measure(document, passed=not errors, facts=facts)
                # Kept only when nothing was refused. (The rules are the same for every
                # operation of the schema: specified ones plus `self.rules`, see on_operation.)
                facts.valid = not errors and not refusal
                ec.pre_execution_errors = list(errors) or refusal

    # -- measures

    def _measure(
        self, document: DocumentNode, *, passed: bool, facts: _DocumentFacts | None = None
    ) -> list[GraphQLError]:
        ec = self.execution_context
        schema: GraphQLSchema = ec.schema._schema
        if facts is not None and facts.operation is not None:
            operation = facts.operation
        else:
            operation = get_operation_ast(document, ec.operation_name)
            if operation is None:
                return []
            if facts is not None and passed:
                facts.operation = operation
                facts.fragments = _fragments(document)
        raw = ec.variables if isinstance(ec.variables, dict) else {}
        if not passed:
            # Best effort, for the response's extensions only (the query is refused anyway).
            try:
                self.cost = operation_cost(schema, document, operation, raw, self.limits)
            except Exception:  # a malformed document has no meaningful cost
                self.cost = None
            return []
        fragments = facts.fragments if facts is not None else None
        if fragments is None:
            fragments = _fragments(document)
        if facts is None or not facts.lists_ok:
            reads = _Reads(raw)
            excess = _list_excess(schema, operation, fragments, reads, self.limits)
            if excess is not None:
                return [excess]
            if facts is not None and not reads.read:
                facts.lists_ok = True
        coerced = coerce_variables_quickly(schema, operation, raw) or get_variable_values(
            schema,
            operation.variable_definitions or (),
            raw,
            max_errors=20,
            hide_suggestions=not self.suggestions,
        )
        if isinstance(coerced, list):
            for error in coerced:
                self._sanitize(error)
                self._blame_the_request(error)
            return coerced
        values = getattr(coerced, "coerced", coerced)
        if facts is not None and facts.cost is not None:
            self.cost = facts.cost
        else:
            reads = _Reads(values)
            self.cost = _Cost(schema, fragments, reads, self.limits).selection(
                operation.selection_set, _root_type(schema, operation), None
            )
            if facts is not None and not reads.read and self.cost <= self.limits.max_cost:
                facts.cost = self.cost
        if self.cost > self.limits.max_cost:
            return [
                too_complex(
                    f"The query's estimated cost is {self.cost}; the maximum is "
                    f"{self.limits.max_cost}. Ask for smaller pages (`first`) or fewer "
                    "nested lists.",
                    "cost",
                    self.limits.max_cost,
                    self.cost,
                    operation,
                )
            ]
        if isinstance(ec.variables, dict) and isinstance(coerced, VariableValues):
            # Execution takes these instead of coercing the same variables again.
            ec.variables = MeasuredVariables(
                ec.variables, document, operation, ec.operation_name, coerced
            )
        return []

    @staticmethod
    def _blame_the_request(error: GraphQLError) -> None:
        """An error found before execution is about the request: when a scalar refused a value
        by raising (the Long scalar's ValueError), graphql-core keeps that exception as the
        error's `original_error`, which would make it look like a failure of ours (masked as
        INTERNAL_SERVER_ERROR, logged with a traceback). Its message already says what was
        wrong."""
        error.original_error = None

    def _sanitize(self, error: GraphQLError, *, echoes: bool = False) -> None:
        clean = sanitize_message(error.message, echoes=echoes)
        if clean != error.message:
            error.message = clean


def _become(error: GraphQLError, refusal: GraphQLError) -> None:
    """`error` (a parser's) rewritten as `refusal`: its message and extensions, no location."""
    error.message = refusal.message
    error.extensions = refusal.extensions
    error.locations = error.positions = error.nodes = error.source = None
    error.original_error = None


def query_limits(
    limits: Limits | None = None, *, introspection: bool = True, suggestions: bool = False
) -> Callable[[], QueryLimits]:
    """A factory for the schema's `extensions=[...]` (a new extension per operation)."""
    chosen = limits or Limits()
    rules = validation_rules(introspection=introspection)
    facts = _FactsCache()

    def make() -> QueryLimits:
        return QueryLimits(limits=chosen, rules=rules, suggestions=suggestions, facts=facts)

    return make
