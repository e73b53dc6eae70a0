"""Fragment-aware walks of a document: its structure (depth, aliases, root fields, fields,
duplicated fields: `structure_errors`) and its cost (`Cost`, `operation_cost`), both measured
before graphql-core's validation or execution."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from graphql.validation import NoSchemaIntrospectionCustomRule

from schema.limits.config import INTROSPECTION_ROOTS, PAGE_ARGUMENTS, Limits, too_complex

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


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


# --------------------------------------------------------------------------- structure


def structure_errors(document: DocumentNode, limits: Limits) -> list[GraphQLError]:
    """Depth, aliases, root fields, fields and duplicated fields of each operation.

    Checked before graphql-core's validation, which they protect: its rule for overlapping
    fields compares every pair of fields with the same response name, so a few hundred copies
    of one field cost seconds of CPU in a document far below the token limit.
    """
    walk = _Walk(fragments_of(document))
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


def root_type(schema: GraphQLSchema, operation: OperationDefinitionNode) -> Any:
    if operation.operation is OperationType.MUTATION:
        return schema.mutation_type
    if operation.operation is OperationType.SUBSCRIPTION:
        return schema.subscription_type
    return schema.query_type


# --------------------------------------------------------------------------- cost


class Cost:
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
    cost = Cost(schema, fragments_of(document), variables, limits)
    return cost.selection(operation.selection_set, root_type(schema, operation), None)
