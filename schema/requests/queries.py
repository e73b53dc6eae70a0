"""Root field `requests`."""

from __future__ import annotations

import enum

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import requests as rr
from schema.enums import OrderDirection, RequestStatus, RequestType
from schema.lists import order_of
from schema.permissions import allowed, roles_note
from schema.relay import Connection, optional_id, page_args
from schema.requests.types import Request


@strawberry.input(description="Filter requests.")
class RequestFilter:
    status: list[RequestStatus] | None = None
    type: list[RequestType] | None = None
    company: relay.GlobalID | None = None
    author: relay.GlobalID | None = None
    assignee: relay.GlobalID | None = None
    text: str | None = strawberry.field(default=None, description="Part of reference or subject.")


@strawberry.enum
class RequestOrderField(enum.Enum):
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"
    REFERENCE = "REFERENCE"


@strawberry.input
class RequestOrder:
    field: RequestOrderField
    direction: OrderDirection = OrderDirection.DESC


async def requests(
    info: Info,
    filter: RequestFilter | None = None,
    order_by: RequestOrder | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
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
        ),
        order_of(order_by, ("CREATED_AT", True)),
        page_args(first, after, last, before),
    )
    return Connection.from_page(page)


@strawberry.type
class RequestQuery:
    requests: Connection[Request] | None = strawberry.field(
        resolver=requests,
        description="Requests (demandes), newest first. " + roles_note("requests"),
        extensions=allowed("requests"),
    )
