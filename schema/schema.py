"""The Schema: root types merged from the domains, and its extensions (passed as classes)."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from schema.auth.fields import AuthMutation, AuthQuery
from schema.extensions import ErrorHygiene, RequestTransaction, log_errors

Query = merge_types("Query", (AuthQuery,))
Mutation = merge_types("Mutation", (AuthMutation,))


class SpringSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        context = execution_context.context if execution_context else None
        log_errors(errors, getattr(context, "request_id", None))


def build_schema() -> strawberry.Schema:
    return SpringSchema(
        query=Query,
        mutation=Mutation,
        # Exit order is the reverse: the transaction ends first, then errors are cleaned.
        extensions=[ErrorHygiene, RequestTransaction, ParserCache, ValidationCache],
    )


schema = build_schema()
