"""Root fields `companies` and `shops`."""

from __future__ import annotations

import enum
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import merchants as rm
from resolvers.pagination import Page, PageArgs
from schema import descriptions as d
from schema.enums import CompanyStatus, OrderDirection, ShopStatus
from schema.lists import ListFilter, ListOrder, root_list
from schema.merchants.types import Company, Shop
from schema.relay import Connection, optional_id


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
    info: Info, page: PageArgs, f: CompanyFilter, order: tuple[str, bool]
) -> Page[Any]:
    return await rm.list_companies(
        info.context.db_session,
        rm.CompanyFilter(status=f.status, text=f.text, mcc=f.mcc),
        order,
        page,
    )


async def shops(info: Info, page: PageArgs, f: ShopFilter, order: tuple[str, bool]) -> Page[Any]:
    return await rm.list_shops(
        info.context.db_session,
        rm.ShopFilter(
            company=optional_id(f.company, "Company", "filter.company"),
            status=f.status,
            text=f.text,
        ),
        order,
        page,
    )


@strawberry.type
class MerchantQuery:
    companies: Connection[Company] | None = root_list(
        companies,
        "companies",
        "Merchants' companies.",
        filter=ListFilter(CompanyFilter, "companies"),
        order=ListOrder(CompanyOrder, ("LEGAL_NAME", False), "legal name, A to Z"),
    )
    shops: Connection[Shop] | None = root_list(
        shops,
        "shops",
        "Merchants' shops.",
        filter=ListFilter(ShopFilter, "shops"),
        order=ListOrder(ShopOrder, ("NAME", False), "shop name, A to Z"),
    )
