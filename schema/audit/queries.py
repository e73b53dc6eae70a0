"""Root field `auditEvents`: the business journal, searchable."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import audit as ra
from resolvers.pagination import Page, PageArgs
from schema import descriptions as d
from schema.audit.types import AuditEvent
from schema.enums import OrderDirection
from schema.lists import ListFilter, ListOrder, root_list
from schema.relay import Connection, optional_id
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
    info: Info, page: PageArgs, f: AuditEventFilter, order: tuple[str, bool]
) -> Page[Any]:
    principal = info.context.require_principal()
    return await ra.list_audit_events(
        policy.row_scope(principal, "AuditEvent"),
        principal,
        info.context.db_session,
        audit_filter(f),
        order,
        page,
    )


@strawberry.type
class AuditQuery:
    audit_events: Connection[AuditEvent] | None = root_list(
        audit_events,
        "auditEvents",
        "The business journal, newest first. Sellers see their own actions.",
        filter=ListFilter(AuditEventFilter, "journal entries"),
        order=ListOrder(AuditEventOrder, ("OCCURRED_AT", True), "newest first"),
    )
