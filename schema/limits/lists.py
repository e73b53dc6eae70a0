"""List-input caps: every list in an argument or an input field, literal or in a variable,
holds at most `Limits.max_list_items` items (`Limits.list_item_caps` names the exceptions)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from graphql import (
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
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)

from resolvers.errors import ErrorCode
from schema.limits.config import Limits, too_complex
from schema.limits.walks import root_type

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


def list_excess(
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

    return walk(operation.selection_set, root_type(schema, operation))
