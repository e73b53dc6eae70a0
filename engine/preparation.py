"""What the limits extension (schema/limits/extension.py) asks of the engine before execution:
the document parsed and validated (both cached) and the variables coerced once, in a form the
executor reuses. `PREPARATION` is handed to the extension by the Schema's construction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import VariableValues

from engine import documents, variables


class Preparation:
    """The engine's side of `schema.limits.extension.Preparation`. Each method looks its
    function up when called (tests count the caches' work by wrapping those functions)."""

    def parse(self, query: str, max_tokens: int) -> DocumentNode | None:
        return documents.parse_document(query, max_tokens)

    def count_tokens(self, query: str, ceiling: int) -> int:
        return documents.count_tokens(query, ceiling)

    def validate(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        rules: tuple[type, ...],
        hide_suggestions: bool,
    ) -> list[GraphQLError]:
        return documents.validate_document(schema, document, rules, hide_suggestions)

    def coerce_variables(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        raw: Mapping[str, Any],
        *,
        hide_suggestions: bool,
    ) -> VariableValues | list[GraphQLError]:
        return variables.coerce_variables(schema, operation, raw, hide_suggestions=hide_suggestions)

    def measured_variables(
        self,
        raw: Mapping[str, Any],
        document: DocumentNode,
        operation: OperationDefinitionNode,
        operation_name: str | None,
        values: VariableValues,
    ) -> dict[str, Any]:
        return variables.MeasuredVariables(raw, document, operation, operation_name, values)


PREPARATION = Preparation()
