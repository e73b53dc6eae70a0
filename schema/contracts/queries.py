"""Root fields `contracts` and `services`."""

from __future__ import annotations

import enum
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import contracts as rc
from resolvers.pagination import Page, PageArgs
from schema import descriptions as d
from schema.contracts.types import Contract, Service
from schema.enums import ContractStatus, OrderDirection, ServiceKind, ServiceStatus
from schema.lists import ListFilter, ListOrder, root_list
from schema.relay import Connection, optional_id


@strawberry.input(description="Filter contracts.")
class ContractFilter:
    status: list[ContractStatus] | None = strawberry.field(
        default=None, description="Only contracts in one of these statuses."
    )
    company: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a company: only its contracts."
    )
    number: str | None = strawberry.field(default=None, description="Part of the number.")


@d.described_enum(
    description="What contracts can be sorted by.",
    values={
        "NUMBER": "Contract number (so by year, then sequence).",
        "CREATED_AT": "When the draft was created.",
    },
)
class ContractOrderField(enum.Enum):
    NUMBER = "NUMBER"
    CREATED_AT = "CREATED_AT"


@strawberry.input(description="How to sort contracts.")
class ContractOrder:
    field: ContractOrderField = d.order_field("contracts")
    direction: OrderDirection = d.order_direction(OrderDirection.ASC)


@strawberry.input(description="Filter services.")
class ServiceFilter:
    status: list[ServiceStatus] | None = strawberry.field(
        default=None, description="Only services in one of these statuses."
    )
    kind: ServiceKind | None = strawberry.field(
        default=None, description="Only services of this kind."
    )
    contract: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a contract: only its services."
    )
    shop: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a shop: only its services."
    )
    terminal: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a terminal: only the services on it."
    )


@d.described_enum(
    description="What services can be sorted by.",
    values={
        "CREATED_AT": "When they were created.",
    },
)
class ServiceOrderField(enum.Enum):
    CREATED_AT = "CREATED_AT"


@strawberry.input(description="How to sort services.")
class ServiceOrder:
    field: ServiceOrderField = d.order_field("services")
    direction: OrderDirection = d.order_direction(OrderDirection.ASC)


async def contracts(
    info: Info, page: PageArgs, f: ContractFilter, order: tuple[str, bool]
) -> Page[Any]:
    return await rc.list_contracts(
        info.context.db_session,
        rc.ContractFilter(
            status=f.status,
            company=optional_id(f.company, "Company", "filter.company"),
            number=f.number,
        ),
        order,
        page,
    )


async def services(
    info: Info, page: PageArgs, f: ServiceFilter, order: tuple[str, bool]
) -> Page[Any]:
    return await rc.list_services(
        info.context.db_session,
        rc.ServiceFilter(
            status=f.status,
            kind=f.kind,
            contract=optional_id(f.contract, "Contract", "filter.contract"),
            shop=optional_id(f.shop, "Shop", "filter.shop"),
            terminal=optional_id(f.terminal, "Terminal", "filter.terminal"),
        ),
        order,
        page,
    )


@strawberry.type
class ContractQuery:
    contracts: Connection[Contract] | None = root_list(
        contracts,
        "contracts",
        "Acquiring contracts.",
        filter=ListFilter(ContractFilter, "contracts"),
        order=ListOrder(ContractOrder, ("NUMBER", False), "contract number, ascending"),
    )
    services: Connection[Service] | None = root_list(
        services,
        "services",
        "Payment services.",
        filter=ListFilter(ServiceFilter, "services"),
        order=ListOrder(ServiceOrder, ("CREATED_AT", False), "oldest first"),
    )
