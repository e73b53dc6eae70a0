"""Root field `requests`."""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import requests as rr
from schema import descriptions as d
from schema.descriptions import After, Before, First, Last
from schema.enums import OrderDirection, RequestStatus, RequestType, Role
from schema.lists import order_of
from schema.permissions import allowed, roles_note
from schema.relay import Connection, optional_id, page_args
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
    info: Info,
    filter: Annotated[RequestFilter | None, d.filter_arg("requests")] = None,
    order_by: Annotated[RequestOrder | None, d.order_arg("newest first")] = None,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
) -> Connection[Request]:
    f = filter or RequestFilter()
    page = await rr.list_requests(
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
        order_of(order_by, ("CREATED_AT", True)),
        page_args(first, after, last, before),
    )
    return Connection.from_page(page)


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
    requests: Connection[Request] | None = strawberry.field(
        resolver=requests,
        description="Requests (demandes), newest first. " + roles_note("requests"),
        extensions=allowed("requests"),
    )
    colleagues: list[Colleague] | None = strawberry.field(
        resolver=colleagues,
        description="The tenant's active staff (sellers, hotline, technicians, supervisors), by "
        "name: whom a request can be given to (`roles` narrows them). " + roles_note("colleagues"),
        extensions=allowed("colleagues"),
    )
