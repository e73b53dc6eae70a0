"""Root field `auditEvents`: the business journal, searchable."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import audit as ra
from schema import descriptions as d
from schema.audit.types import AuditEvent
from schema.descriptions import After, Before, First, Last
from schema.enums import OrderDirection
from schema.lists import order_of
from schema.permissions import allowed, roles_note
from schema.relay import Connection, optional_id, page_args
from tenancy import policy

#: Entity types the journal records, as global ID type names.
ENTITY_TYPES = (
    "Tenant",
    "User",
    "Company",
    "Shop",
    "Request",
    "Contract",
    "Service",
    "Terminal",
)


@strawberry.input(description="Filter the journal.")
class AuditEventFilter:
    entity: relay.GlobalID | None = strawberry.field(
        default=None, description="Only the history of this object."
    )
    actor: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a staff account: only what it did."
    )
    action: list[str] | None = strawberry.field(
        default=None, description='Actions, e.g. ["contract.signed", "service.blocked"].'
    )
    occurred_from: dt.datetime | None = strawberry.field(
        default=None, description="Only entries at or after this time (UTC)."
    )
    occurred_to: dt.datetime | None = strawberry.field(
        default=None, description="Only entries before this time (UTC)."
    )


@d.described_enum(
    description="What journal entries can be sorted by.",
    values={
        "OCCURRED_AT": "When the change was made.",
    },
)
class AuditEventOrderField(enum.Enum):
    OCCURRED_AT = "OCCURRED_AT"


@strawberry.input(description="How to sort journal entries.")
class AuditEventOrder:
    field: AuditEventOrderField = d.order_field("entries")
    direction: OrderDirection = d.order_direction(OrderDirection.DESC)


def audit_filter(given: AuditEventFilter | None) -> ra.AuditFilter:
    """The list's filter as the use case takes it (the CSV export takes the same)."""
    f = given or AuditEventFilter()
    return ra.AuditFilter(
        entity_type=f.entity.type_name if f.entity else None,
        entity_id=optional_id(f.entity, ENTITY_TYPES, "filter.entity"),
        actor=optional_id(f.actor, "User", "filter.actor"),
        action=f.action,
        occurred_from=f.occurred_from,
        occurred_to=f.occurred_to,
    )


async def audit_events(
    info: Info,
    filter: Annotated[AuditEventFilter | None, d.filter_arg("journal entries")] = None,
    order_by: Annotated[AuditEventOrder | None, d.order_arg("newest first")] = None,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
) -> Connection[AuditEvent]:
    principal = info.context.require_principal()
    page = await ra.list_audit_events(
        policy.row_scope(principal, "AuditEvent"),
        principal,
        info.context.db_session,
        audit_filter(filter),
        order_of(order_by, ("OCCURRED_AT", True)),
        page_args(first, after, last, before),
    )
    return Connection.from_page(page)


@strawberry.type
class AuditQuery:
    audit_events: Connection[AuditEvent] | None = strawberry.field(
        resolver=audit_events,
        description="The business journal, newest first. Sellers see their own actions. "
        + roles_note("auditEvents"),
        extensions=allowed("auditEvents"),
    )
