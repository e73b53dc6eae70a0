"""Query fields that write when read, and the check that keeps them off safe methods.

A field declared with `metadata=writes_when_read()` (pendingTerminalCommands marks the
commands it hands out SENT) is a query only in GraphQL's grammar: where the request may only
read (HTTP GET, whose responses caches keep and browsers send cross-site), it is refused as
a mutation would be. The transport answers 405 with `Allow: POST` (transport/http.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_object_type,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType

_MARK = "spring.writes_when_read"
_DEFINITION = "strawberry-definition"  # GraphQLCoreConverter.DEFINITION_BACKREF


def writes_when_read() -> Mapping[str, Any]:
    """`strawberry.field(metadata=writes_when_read())`: reading this field writes."""
    return {_MARK: True}


class WritesWhenRead(InvalidOperationTypeError):
    """A query selecting a field that writes, sent where only reads are allowed."""

    def __init__(self, field: str) -> None:
        super().__init__(OperationType.MUTATION)
        self.field = field

    def as_http_error_reason(self, method: str) -> str:
        return f"`{self.field}` writes when read (a mutation in effect): send it with POST."


_WRITERS: dict[int, frozenset[tuple[str, str]]] = {}


def writers(schema: GraphQLSchema) -> frozenset[tuple[str, str]]:
    """(type, field) of every field marked `writes_when_read` (found once per schema)."""
    found = _WRITERS.get(id(schema))
    if found is None:
        marked = set()
        for type_ in schema.type_map.values():
            if is_object_type(type_):
                for name, field in type_.fields.items():
                    definition = (field.extensions or {}).get(_DEFINITION)
                    if (getattr(definition, "metadata", None) or {}).get(_MARK):
                        marked.add((type_.name, name))
        found = _WRITERS[id(schema)] = frozenset(marked)
    return found


def writing_field(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> str | None:
    """The first field marked `writes_when_read` the operation selects, else None."""
    marked = writers(schema)
    if not marked:
        return None
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    seen: set[str] = set()

    def walk(selections: SelectionSetNode | None, parent: Any) -> Iterator[str]:
        if selections is None or parent is None:
            return
        types = schema.get_possible_types(parent) if is_abstract_type(parent) else [parent]
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                for type_ in types:
                    if (type_.name, name) in marked:
                        yield f"{type_.name}.{name}" if type_ is not root else name
                field = getattr(parent, "fields", {}).get(name)
                if field is not None:
                    yield from walk(selection.selection_set, get_named_type(field.type))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = schema.get_type(condition.name.value) if condition else parent
                yield from walk(selection.selection_set, target)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    seen.add(name)
                    target = schema.get_type(fragment.type_condition.name.value)
                    yield from walk(fragment.selection_set, target)

    return next(walk(operation.selection_set, root), None)


class SafeReads(SchemaExtension):
    """Refuses an operation selecting a `writes_when_read` field where mutations are not
    allowed (strawberry's `allowed_operation_types`: GET). Listed after the limits, whose
    validation runs first: an invalid document is refused as such."""

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        if (
            OperationType.MUTATION not in ec.allowed_operations
            and not ec.pre_execution_errors
            and ec.graphql_document is not None
        ):
            field = writing_field(ec.schema._schema, ec.graphql_document, ec.operation_name)
            if field is not None:
                raise WritesWhenRead(field)
        yield
