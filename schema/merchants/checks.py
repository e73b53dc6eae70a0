"""`validateCompany` and `validateShop`: what `createCompany` and `createShop` would answer
for a draft, found by running their own use cases without writing anything
(`schema.mutations.dry_run`), so each rule is written once. The console's onboarding checks
its forms with them as the user types."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.descriptions import CHECK_INPUT, check_description
from schema.errors import InputCheck
from schema.merchants.mutations import (
    CreateCompanyInput,
    CreateShopInput,
    company_use_case,
    shop_use_case,
)
from schema.mutations import dry_run
from schema.permissions import allowed, roles_note


async def validate_company(
    info: Info, input: Annotated[CreateCompanyInput, CHECK_INPUT]
) -> InputCheck:
    return InputCheck.of(await dry_run(info, company_use_case(input)))


async def validate_shop(info: Info, input: Annotated[CreateShopInput, CHECK_INPUT]) -> InputCheck:
    return InputCheck.of(await dry_run(info, shop_use_case(info, input)))


@strawberry.type
class MerchantCheckQuery:
    validate_company: InputCheck | None = strawberry.field(
        resolver=validate_company,
        description=check_description("createCompany") + " " + roles_note("validateCompany"),
        extensions=allowed("validateCompany"),
    )
    validate_shop: InputCheck | None = strawberry.field(
        resolver=validate_shop,
        description=check_description("createShop") + " " + roles_note("validateShop"),
        extensions=allowed("validateShop"),
    )
