"""Root field `requests`."""

from __future__ import annotations

import enum
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import requests as rr
from resolvers.pagination import Page, PageArgs
from schema import descriptions as d
from schema.enums import OrderDirection, RequestStatus, RequestType, Role
from schema.lists import ListFilter, ListOrder, root_list
from schema.permissions import allowed, roles_note
from schema.relay import Connection, optional_id
from schema.requests.types import Colleague, Request


@strawberry.input(description="Filter requests.")
class RequestFilter:
    status: list[RequestStatus] | None = strawberry.field(
        default=None, description="Only requests in one of these statuses."
    )
    type: list[RequestType] | None = strawberry.field(
        default=None, description="Only requests of one of these types."
    )
    company: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a company: only requests about it."
    )
    author: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a user: only the requests they opened."
    )
    assignee: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a user: only the requests they hold."
    )
    text: str | None = strawberry.field(default=None, description="Part of reference or subject.")
    overdue: bool | None = strawberry.field(
        default=None,
        description="True: undecided (OPEN, IN_REVIEW) and past `dueAt`; false: the others.",
    )


@d.described_enum(
    description="What requests can be sorted by.",
    values={
        "CREATED_AT": "When they were opened.",
        "UPDATED_AT": "Their last activity (opened, commented, moved, decided).",
        "REFERENCE": "Their reference code, alphabetically.",
    },
)
class RequestOrderField(enum.Enum):
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"
    REFERENCE = "REFERENCE"


@strawberry.input(description="How to sort requests.")
class RequestOrder:
    field: RequestOrderField = d.order_field("requests")
    direction: OrderDirection = d.order_direction(OrderDirection.DESC)


async def requests(
    info: Info, page: PageArgs, f: RequestFilter, order: tuple[str, bool]
) -> Page[Any]:
    return await rr.list_requests(
        info.context.db_session,
        rr.RequestFilter(
            status=f.status,
            type=f.type,
            company=optional_id(f.company, "Company", "filter.company"),
            author=optional_id(f.author, "User", "filter.author"),
            assignee=optional_id(f.assignee, "User", "filter.assignee"),
            text=f.text,
            overdue=f.overdue,
        ),
        order,
        page,
    )


async def colleagues(
    info: Info,
    roles: Annotated[
        list[Role] | None,
        strawberry.argument(description="Only colleagues with one of these roles; all without."),
    ] = None,
) -> list[Colleague]:
    return await rr.list_colleagues(info.context.db_session, roles)  # type: ignore[return-value]


@strawberry.type
class RequestQuery:
    requests: Connection[Request] | None = root_list(
        requests,
        "requests",
        "Requests (demandes), newest first.",
        filter=ListFilter(RequestFilter, "requests"),
        order=ListOrder(RequestOrder, ("CREATED_AT", True), "newest first"),
    )
    colleagues: list[Colleague] | None = strawberry.field(
        resolver=colleagues,
        description="The tenant's active staff (sellers, hotline, technicians, supervisors), by "
        "name: whom a request can be given to (`roles` narrows them). " + roles_note("colleagues"),
        extensions=allowed("colleagues"),
    )
