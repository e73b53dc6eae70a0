"""Root fields `contracts` and `services`."""

from __future__ import annotations

import enum

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import contracts as rc
from schema.contracts.types import Contract, Service
from schema.descriptions import After, Before, First, Last
from schema.enums import ContractStatus, OrderDirection, ServiceKind, ServiceStatus
from schema.lists import order_of
from schema.permissions import allowed, roles_note
from schema.relay import Connection, optional_id, page_args


@strawberry.input(description="Filter contracts.")
class ContractFilter:
    status: list[ContractStatus] | None = None
    company: relay.GlobalID | None = None
    number: str | None = strawberry.field(default=None, description="Part of the number.")


@strawberry.enum
class ContractOrderField(enum.Enum):
    NUMBER = "NUMBER"
    CREATED_AT = "CREATED_AT"


@strawberry.input
class ContractOrder:
    field: ContractOrderField
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Filter services.")
class ServiceFilter:
    status: list[ServiceStatus] | None = None
    kind: ServiceKind | None = None
    contract: relay.GlobalID | None = None
    shop: relay.GlobalID | None = None
    terminal: relay.GlobalID | None = None


@strawberry.enum
class ServiceOrderField(enum.Enum):
    CREATED_AT = "CREATED_AT"


@strawberry.input
class ServiceOrder:
    field: ServiceOrderField
    direction: OrderDirection = OrderDirection.ASC


async def contracts(
    info: Info,
    filter: ContractFilter | None = None,
    order_by: ContractOrder | None = None,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
) -> Connection[Contract]:
    f = filter or ContractFilter()
    page = await rc.list_contracts(
        info.context.db_session,
        rc.ContractFilter(
            status=f.status,
            company=optional_id(f.company, "Company", "filter.company"),
            number=f.number,
        ),
        order_of(order_by, ("NUMBER", False)),
        page_args(first, after, last, before),
    )
    return Connection.from_page(page)


async def services(
    info: Info,
    filter: ServiceFilter | None = None,
    order_by: ServiceOrder | None = None,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
) -> Connection[Service]:
    f = filter or ServiceFilter()
    page = await rc.list_services(
        info.context.db_session,
        rc.ServiceFilter(
            status=f.status,
            kind=f.kind,
            contract=optional_id(f.contract, "Contract", "filter.contract"),
            shop=optional_id(f.shop, "Shop", "filter.shop"),
            terminal=optional_id(f.terminal, "Terminal", "filter.terminal"),
        ),
        order_of(order_by, ("CREATED_AT", False)),
        page_args(first, after, last, before),
    )
    return Connection.from_page(page)


@strawberry.type
class ContractQuery:
    contracts: Connection[Contract] | None = strawberry.field(
        resolver=contracts,
        description="Acquiring contracts. " + roles_note("contracts"),
        extensions=allowed("contracts"),
    )
    services: Connection[Service] | None = strawberry.field(
        resolver=services,
        description="Payment services. " + roles_note("services"),
        extensions=allowed("services"),
    )
