"""CSV exports of the lists `transactions`, `auditEvents` and `terminals`: what each shows.

`GET /exports/<list>.csv?filter=<the list's filter as JSON>&orderBy=<its order as JSON>`
(spring/exports.py serves it):
- the filter and the order are the list's GraphQL inputs, read with the API's own rules: a
  value the API would refuse is refused with the same message (a list without `orderBy`,
  the journal, refuses one);
- the rows are the list's, in the order asked or its default order, under the same operation
  permission and row-level security;
- the columns are the GraphQL type's scalar fields, in the schema's order, each as the reader
  may read it (`tenancy.policy.field_access`): a denied field is absent, a masked one masked.
  Object fields (a transaction's terminal...) are not exported; their ids are not either.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, get_named_type, is_leaf_type, parse
from graphql.execution.values import get_variable_values
from sqlalchemy import Select, select
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.types.arguments import convert_argument

from db import models as m
from db.session import Database
from resolvers import exports as rx
from resolvers import terminals as rt
from resolvers.audit import NEWEST_FIRST as AUDIT_NEWEST_FIRST
from resolvers.audit import audit_query
from resolvers.errors import BadUserInput, Text
from resolvers.listing import Ordering, choose
from resolvers.terminals import TERMINAL_ORDERINGS, terminal_query
from resolvers.transactions import TRANSACTION_ORDERINGS, transaction_query
from schema.audit.queries import AuditEventFilter, audit_filter
from schema.limits.messages import sanitize_message
from schema.lists import ListOrder, order_of
from schema.permissions import check_operation
from schema.terminals.queries import TERMINALS_ORDER, TerminalFilter, terminal_filter
from schema.transactions.queries import TRANSACTIONS_ORDER, TransactionFilter, transaction_filter
from tenancy import policy
from tenancy.masking import MASKERS
from tenancy.principal import Principal

T, A, TE = m.Transaction, m.AuditEvent, m.Terminal


@dataclass(frozen=True)
class ExportContext:
    """What columns computed per row need: the reader, the time, the tenant's settings."""

    principal: Principal
    now: dt.datetime
    heartbeat_interval_s: int
    field_names: Callable[[str], frozenset[str]]


@dataclass(frozen=True)
class ExportOrder:
    """A list's `orderBy` (the root list's own declaration) and the orderings it names."""

    order: ListOrder
    orderings: dict[tuple[str, bool], Ordering]


@dataclass(frozen=True)
class ListExport:
    """One list as a CSV file."""

    #: The URL's name (`/exports/<name>.csv`) and the list's root field (its operation).
    name: str
    operation: str
    #: The GraphQL type of the list's nodes, and of its `filter` argument.
    type_name: str
    filter_type: type
    #: API field name → how it is read and written (`ctx` given for computed columns).
    columns: Callable[[ExportContext], dict[str, rx.Column]]
    #: The list's rows for this reader and filter (the strawberry filter input, or None),
    #: in its default order when it has no `order`.
    query: Callable[[Principal, Any], Select[Any]]
    #: The list's `orderBy`: its input type, its orderings and the order without it.
    order: ExportOrder | None = None
    #: Fields of the type that are not written (documented; a test checks nothing is missed).
    not_exported: frozenset[str] = frozenset()
    #: SQL helpers computed columns read (labelled, not written).
    helpers: tuple[Any, ...] = ()


def _transaction_columns(ctx: ExportContext) -> dict[str, rx.Column]:
    gid, enum, time = rx.global_id, rx.enum_cell, rx.time_cell
    return {
        "id": rx.Column("id", T.id, gid("Transaction")),
        "externalId": rx.Column("externalId", T.external_id),
        "type": rx.Column("type", T.type, enum),
        "amount": rx.Column("amount", T.amount),
        "currency": rx.Column("currency", T.currency),
        "scheme": rx.Column("scheme", T.scheme, enum),
        "entryMode": rx.Column("entryMode", T.entry_mode, enum),
        "status": rx.Column("status", T.status, enum),
        "occurredAt": rx.Column("occurredAt", T.occurred_at, time),
        "recordedAt": rx.Column("recordedAt", T.recorded_at, time),
        "maskedPan": rx.Column("maskedPan", T.masked_pan),
        "authorizationCode": rx.Column("authorizationCode", T.authorization_code),
        "responseCode": rx.Column("responseCode", T.response_code),
    }


def _transactions(principal: Principal, given: Any) -> Select[Any]:
    return transaction_query(transaction_filter(principal, given))


def _audit_columns(ctx: ExportContext) -> dict[str, rx.Column]:
    gid, enum, time = rx.global_id, rx.enum_cell, rx.time_cell

    def journal(key: str) -> Callable[[Any], Any]:
        def view(row: Any) -> Any:
            kind = row["_entity_type"]
            return policy.journal_view(ctx.principal, kind, row[key], ctx.field_names(kind))

        return view

    def entity_id(row: Any) -> str:
        if row["_entity_id"] is None:
            return ""
        return gid(row["_entity_type"])(row["_entity_id"])

    return {
        "id": rx.Column("id", A.id, gid("AuditEvent")),
        "actorKind": rx.Column("actorKind", A.actor_kind, enum),
        "actorLabel": rx.Column("actorLabel", A.actor_label),
        "action": rx.Column("action", A.action),
        "entityType": rx.Column("entityType", A.entity_type),
        "reason": rx.Column("reason", A.reason),
        "requestId": rx.Column("requestId", A.request_id),
        "occurredAt": rx.Column("occurredAt", A.occurred_at, time),
        "before": rx.Column("before", A.before, rx.json_cell, journal("before")),
        "after": rx.Column("after", A.after, rx.json_cell, journal("after")),
        "entityId": rx.Column("entityId", None, compute=entity_id),
    }


def _audit_events(principal: Principal, given: Any) -> Select[Any]:
    scope = policy.row_scope(principal, "AuditEvent")
    stmt = audit_query(audit_filter(given), scope, principal)
    return stmt.order_by(*AUDIT_NEWEST_FIRST.order_by())


def _terminal_columns(ctx: ExportContext) -> dict[str, rx.Column]:
    gid, enum, time = rx.global_id, rx.enum_cell, rx.time_cell

    def connectivity(row: Any) -> Any:
        return rt.connectivity_of(row["_heartbeat"], ctx.heartbeat_interval_s, ctx.now)

    def options_status(row: Any) -> Any:
        return rt.options_status_of(row["_latest_options"], row["_applied_options"])

    plain = {
        "tid": TE.tid,
        "serialNumber": TE.serial_number,
        "model": TE.model,
        "osVersion": TE.os_version,
        "firmwareVersion": TE.firmware_version,
        "appVersion": TE.app_version,
        "blockedReason": TE.blocked_reason,
        "appliedOptionsVersion": TE.applied_options_version,
        "version": TE.version,
    }
    times = {
        "blockedUntil": TE.blocked_until,
        "lastSeenAt": TE.last_seen_at,
        "lastHeartbeatAt": TE.last_heartbeat_at,
        "optionsAppliedAt": TE.options_applied_at,
        "createdAt": TE.created_at,
        "updatedAt": TE.updated_at,
    }
    return {
        "id": rx.Column("id", TE.id, gid("Terminal")),
        "kind": rx.Column("kind", TE.kind, enum),
        "status": rx.Column("status", TE.status, enum),
        **{name: rx.Column(name, expr) for name, expr in plain.items()},
        **{name: rx.Column(name, expr, time) for name, expr in times.items()},
        "connectivity": rx.Column("connectivity", None, enum, connectivity),
        "optionsStatus": rx.Column("optionsStatus", None, enum, options_status),
    }


def _terminals(principal: Principal, given: Any) -> Select[Any]:
    return terminal_query(terminal_filter(given))


EXPORTS: dict[str, ListExport] = {
    e.name: e
    for e in (
        ListExport(
            "transactions",
            "transactions",
            "Transaction",
            TransactionFilter,
            _transaction_columns,
            _transactions,
            order=ExportOrder(TRANSACTIONS_ORDER, TRANSACTION_ORDERINGS),
            not_exported=frozenset(
                {"responseMessage", "terminal", "shop", "company", "contract", "service"}
                | {"originalTransaction"}
            ),
        ),
        ListExport(
            "audit-events",
            "auditEvents",
            "AuditEvent",
            AuditEventFilter,
            _audit_columns,
            _audit_events,
            not_exported=frozenset({"actor"}),
            helpers=(
                A.entity_type.label("_entity_type"),
                A.entity_id.label("_entity_id"),
            ),
        ),
        ListExport(
            "terminals",
            "terminals",
            "Terminal",
            TerminalFilter,
            _terminal_columns,
            _terminals,
            order=ExportOrder(TERMINALS_ORDER, TERMINAL_ORDERINGS),
            not_exported=frozenset(
                {"shop", "options", "optionsHistory", "services", "transactions", "events"}
                | {"auditEvents"}
            ),
            helpers=(
                TE.last_heartbeat_at.label("_heartbeat"),
                TE.applied_options_version.label("_applied_options"),
                rt._latest_options_version().label("_latest_options"),
            ),
        ),
    )
}


@functools.cache
def scalar_fields(graphql_schema: Any, type_name: str) -> tuple[str, ...]:
    """The type's fields whose values are scalars or enums, in the schema's order."""
    fields = graphql_schema.type_map[type_name].fields
    return tuple(n for n, f in fields.items() if is_leaf_type(get_named_type(f.type)))


def reader_columns(export: ListExport, graphql_schema: Any, ctx: ExportContext) -> list[rx.Column]:
    """The columns this reader gets: the type's scalar fields it may read, masked as the API
    masks them; a denied field is absent."""
    mapping = export.columns(ctx)
    columns = []
    for name in scalar_fields(graphql_schema, export.type_name):
        if name in export.not_exported:
            continue
        column = mapping[name]  # KeyError: a new field needs a column here (tested)
        access = policy.field_access(ctx.principal, f"{export.type_name}.{name}")
        if access is None:
            continue
        if access is policy.Access.MASKED:
            # The policy's rule, applied by Python (MASKERS) or by PostgreSQL (sql_masking).
            rule = policy.MASKS[f"{export.type_name}.{name}"]
            mask = MASKERS[rule]
            cell = column.cell
            column = rx.Column(
                column.name,
                column.expr,
                lambda v, cell=cell, mask=mask: cell(mask(v)),
                column.compute,
                rule if column.cell is rx.text_cell else None,
            )
        columns.append(column)
    return columns


def parse_input(schema: Any, argument: str, input_type: type, raw: str | None) -> Any:
    """A query parameter (JSON) as the list argument's strawberry input, checked as the API
    checks a variable of that type: the same coercion, the same messages. None when absent."""
    if raw is None or raw.strip() == "":
        return None
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise BadUserInput(Text("export_json", argument=argument), argument=argument) from exc
    graphql_schema = schema._schema
    definitions = _variable_definitions(argument, input_type.__strawberry_definition__.name)  # type: ignore[attr-defined]
    coerced = get_variable_values(graphql_schema, definitions, {argument: value})
    if isinstance(coerced, list):
        errors: list[GraphQLError] = coerced
        message = "; ".join(sanitize_message(e.message, echoes=False) for e in errors)
        raise BadUserInput(message, argument=argument)
    value = coerced.coerced.get(argument)
    if value is None:
        return None
    try:
        return convert_argument(
            value,
            input_type,
            scalar_registry=schema.schema_converter.scalar_registry,
            config=schema.config,
        )
    except (StrawberryInputCoercionError, ValueError) as exc:
        # What strawberry refuses while building the input (a malformed global id): the
        # API words it so too (card numbers redacted).
        message = exc.message if isinstance(exc, GraphQLError) else str(exc)
        raise BadUserInput(sanitize_message(message), argument=argument) from exc


@functools.cache
def _variable_definitions(argument: str, type_name: str) -> Any:
    document = parse(f"query(${argument}: {type_name}) {{ __typename }}")
    return document.definitions[0].variable_definitions  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Prepared:
    """One reader's export: the statement to stream and the columns to write."""

    statement: Select[Any]
    columns: list[rx.Column]


async def prepare(
    schema: Any,
    db: Database,
    export: ListExport,
    principal: Principal,
    raw_filter: str | None,
    raw_order: str | None = None,
) -> Prepared:
    """Permission, filter, order, columns and statement of one export: Forbidden or
    BadUserInput exactly where the list would raise them."""
    check_operation(principal, export.operation)
    given = parse_input(schema, "filter", export.filter_type, raw_filter)
    base = export.query(principal, given)
    if export.order is not None:
        declared = export.order.order
        key = order_of(parse_input(schema, "orderBy", declared.input, raw_order), declared.default)
        base = base.order_by(*choose(export.order.orderings, *key).order_by())
    elif raw_order is not None and raw_order.strip():
        raise BadUserInput(Text("export_no_order", name=export.name), argument="orderBy")
    interval = 60
    if principal.tenant_id is not None:
        async with db.session(principal.db_claims()) as session:
            found = await session.scalar(
                select(m.Tenant.heartbeat_interval_s).where(m.Tenant.id == principal.tenant_id)
            )
            interval = int(found or interval)
    ctx = ExportContext(principal, dt.datetime.now(dt.UTC), interval, field_names_of(schema))
    columns = reader_columns(export, schema._schema, ctx)
    return Prepared(rx.statement(base, columns, export.helpers), columns)


def field_names_of(schema: Any) -> Callable[[str], frozenset[str]]:
    """A type's API field names (none for a name that is not an object type)."""
    graphql_schema = schema._schema

    def names(type_name: str) -> frozenset[str]:
        found = graphql_schema.type_map.get(type_name)
        return frozenset(getattr(found, "fields", None) or ())

    return names
