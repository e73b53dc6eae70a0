"""Root fields `companies` and `shops`."""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import merchants as rm
from schema import descriptions as d
from schema.descriptions import After, Before, First, Last
from schema.enums import CompanyStatus, OrderDirection, ShopStatus
from schema.lists import order_of
from schema.merchants.types import Company, Shop
from schema.permissions import allowed, roles_note
from schema.relay import Connection, optional_id, page_args


@strawberry.input(description="Filter companies.")
class CompanyFilter:
    status: list[CompanyStatus] | None = strawberry.field(
        default=None, description="Only companies in one of these statuses."
    )
    text: str | None = strawberry.field(
        default=None, description="Part of the legal or trade name, or the start of the SIREN."
    )
    mcc: str | None = strawberry.field(
        default=None, description="Only companies with this merchant category code (4 digits)."
    )


@d.described_enum(
    description="What companies can be sorted by.",
    values={
        "LEGAL_NAME": "Legal name, alphabetically.",
        "CREATED_AT": "When they were pre-registered.",
        "SIREN": "SIREN number.",
    },
)
class CompanyOrderField(enum.Enum):
    LEGAL_NAME = "LEGAL_NAME"
    CREATED_AT = "CREATED_AT"
    SIREN = "SIREN"


@strawberry.input(description="How to sort companies.")
class CompanyOrder:
    field: CompanyOrderField = d.order_field("companies")
    direction: OrderDirection = d.order_direction(OrderDirection.ASC)


@strawberry.input(description="Filter shops.")
class ShopFilter:
    company: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a company: only its shops."
    )
    status: list[ShopStatus] | None = strawberry.field(
        default=None, description="Only shops in one of these statuses."
    )
    text: str | None = strawberry.field(
        default=None, description="Part of the name or city, or the start of the SIRET."
    )


@d.described_enum(
    description="What shops can be sorted by.",
    values={
        "NAME": "Shop name, alphabetically.",
        "CREATED_AT": "When they were registered.",
        "SIRET": "SIRET number.",
    },
)
class ShopOrderField(enum.Enum):
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"
    SIRET = "SIRET"


@strawberry.input(description="How to sort shops.")
class ShopOrder:
    field: ShopOrderField = d.order_field("shops")
    direction: OrderDirection = d.order_direction(OrderDirection.ASC)


async def companies(
    info: Info,
    filter: Annotated[CompanyFilter | None, d.filter_arg("companies")] = None,
    order_by: Annotated[CompanyOrder | None, d.order_arg("legal name, A to Z")] = None,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
) -> Connection[Company]:
    f = filter or CompanyFilter()
    page = await rm.list_companies(
        info.context.db_session,
        rm.CompanyFilter(status=f.status, text=f.text, mcc=f.mcc),
        order_of(order_by, ("LEGAL_NAME", False)),
        page_args(first, after, last, before),
    )
    return Connection.from_page(page)


async def shops(
    info: Info,
    filter: Annotated[ShopFilter | None, d.filter_arg("shops")] = None,
    order_by: Annotated[ShopOrder | None, d.order_arg("shop name, A to Z")] = None,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
) -> Connection[Shop]:
    f = filter or ShopFilter()
    page = await rm.list_shops(
        info.context.db_session,
        rm.ShopFilter(
            company=optional_id(f.company, "Company", "filter.company"),
            status=f.status,
            text=f.text,
        ),
        order_of(order_by, ("NAME", False)),
        page_args(first, after, last, before),
    )
    return Connection.from_page(page)


@strawberry.type
class MerchantQuery:
    companies: Connection[Company] | None = strawberry.field(
        resolver=companies,
        description="Merchants' companies. " + roles_note("companies"),
        extensions=allowed("companies"),
    )
    shops: Connection[Shop] | None = strawberry.field(
        resolver=shops,
        description="Merchants' shops. " + roles_note("shops"),
        extensions=allowed("shops"),
    )
