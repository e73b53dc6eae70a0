"""The Schema: root types merged from the domains, and its extensions (passed as classes)."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

import engine
from schema.audit.queries import AuditQuery
from schema.auth.account_page import MyAccountMutation
from schema.auth.fields import AuthMutation, AuthQuery
from schema.auth.mutations import AccountMutation
from schema.contracts.mutations import ContractMutation
from schema.contracts.queries import ContractQuery
from schema.contracts.simulation import FeeSimulationQuery
from schema.descriptions import describe_type
from schema.documents.mutations import DocumentMutation
from schema.extensions import ErrorHygiene, RequestTransaction, log_errors
from schema.limits.config import Limits
from schema.limits.extension import query_limits
from schema.live.mutations import IngestMutation
from schema.live.subscriptions import LiveSubscription
from schema.merchants.checks import MerchantCheckQuery
from schema.merchants.mutations import MerchantMutation
from schema.merchants.queries import MerchantQuery
from schema.methods import SafeReads
from schema.notifications.fields import (
    NotificationMutation,
    NotificationQuery,
    NotificationSubscription,
)
from schema.outcome import RecordOutcome, record_user_errors
from schema.requests.mutations import RequestMutation
from schema.requests.queries import RequestQuery
from schema.scalars import SCALAR_MAP
from schema.search.queries import SearchQuery
from schema.terminals.diagnosis import DiagnosisQuery
from schema.terminals.mutations import TerminalMutation
from schema.terminals.queries import TerminalQuery
from schema.transactions.queries import TransactionQuery
from schema.transactions.stats import StatsQuery

Query = merge_types(
    "Query",
    (
        AuthQuery,
        MerchantQuery,
        MerchantCheckQuery,
        ContractQuery,
        FeeSimulationQuery,
        TerminalQuery,
        DiagnosisQuery,
        TransactionQuery,
        StatsQuery,
        RequestQuery,
        AuditQuery,
        SearchQuery,
        NotificationQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AuthMutation,
        AccountMutation,
        MyAccountMutation,
        MerchantMutation,
        RequestMutation,
        ContractMutation,
        DocumentMutation,
        TerminalMutation,
        IngestMutation,
        NotificationMutation,
    ),
)

record_user_errors(Mutation)  # a payload's userErrors make the operation a user_error

Subscription = merge_types("Subscription", (LiveSubscription, NotificationSubscription))

describe_type(
    Query,
    "What can be read: every root field says which roles may run it; fields a role may not "
    "read answer null with a FORBIDDEN error (docs/permissions.md).",
)
describe_type(
    Mutation,
    "What can be changed: each mutation takes one `input` and returns the changed object "
    "with `userErrors` (empty on success; when not, nothing was written).",
)
describe_type(
    Subscription,
    "Live feeds over WebSocket (graphql-transport-ws, the token in `connection_init`); a "
    "closed feed says where to resume with `after`.",
)


class SpringSchema(strawberry.Schema):
    """strawberry's Schema, its `execute` and `subscribe` untouched: only error logging is ours."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        context = execution_context.context if execution_context else None
        log_errors(errors, getattr(context, "request_id", None))


def build_schema(
    limits: Limits | None = None, *, introspection: bool = True, suggestions: bool = False
) -> strawberry.Schema:
    """The schema with its limits (schema/limits/), executed by the engine (engine/);
    `introspection` off refuses `__schema` and `__type`; `suggestions` on keeps graphql-core's
    "Did you mean …" (development)."""
    limits_extension = query_limits(
        limits,
        preparation=engine.PREPARATION,
        introspection=introspection,
        suggestions=suggestions,
    )
    built = SpringSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # Exit order is the reverse: the transaction ends first, then errors are cleaned.
        # QueryLimits parses and validates, both cached: it replaces ParserCache (whose
        # syntax errors escaped the other extensions) and ValidationCache (it measures the
        # document before graphql-core validates it).
        extensions=[
            RecordOutcome,  # exits last: records what the operation came to (request log)
            ErrorHygiene,
            RequestTransaction,
            limits_extension,
            # After the limits (their validation first): a query field that writes when
            # read is refused where only reads are allowed (GET).
            SafeReads,
        ],
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        # Lists of objects completed by compiled plans, built with the variables QueryLimits
        # already coerced (engine/); graphql-core's `hide_suggestions` on unless `suggestions`.
        execution_context_class=engine.execution_context_class(hide_suggestions=not suggestions),
    )
    return built


schema = build_schema()
