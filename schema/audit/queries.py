"""Root field `auditEvents`: the business journal, searchable."""

from __future__ import annotations

import datetime as dt
import enum

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import audit as ra
from schema.audit.types import AuditEvent
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
    actor: relay.GlobalID | None = None
    action: list[str] | None = strawberry.field(
        default=None, description='Actions, e.g. ["contract.signed", "service.blocked"].'
    )
    occurred_from: dt.datetime | None = None
    occurred_to: dt.datetime | None = None


@strawberry.enum
class AuditEventOrderField(enum.Enum):
    OCCURRED_AT = "OCCURRED_AT"


@strawberry.input
class AuditEventOrder:
    field: AuditEventOrderField
    direction: OrderDirection = OrderDirection.DESC


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
    filter: AuditEventFilter | None = None,
    order_by: AuditEventOrder | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
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
