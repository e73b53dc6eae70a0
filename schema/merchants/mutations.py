"""Mutations of companies and shops."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import onboarding as ob
from schema.descriptions import MUTATION_INPUT, user_errors_field
from schema.enums import ShopStatus
from schema.errors import UserError
from schema.merchants.types import Company, Shop
from schema.mutations import actor_of, attempt, input_id, mutation_field, provided


@strawberry.input(description="A postal address.")
class AddressInput:
    line1: str
    postal_code: str
    city: str
    line2: str | None = None
    country: str = "FR"

    def to_domain(self) -> ob.AddressData:
        return ob.AddressData(
            line1=self.line1,
            line2=self.line2,
            postal_code=self.postal_code,
            city=self.city,
            country=self.country,
        )


@strawberry.input(description="A new merchant (prospect).")
class CreateCompanyInput:
    legal_name: str
    siren: str = strawberry.field(description="9 digits, Luhn-checked.")
    legal_form: str = strawberry.field(description="SARL, SAS, EURL, SA, EI...")
    mcc: str
    address: AddressInput
    contact_name: str
    contact_email: str
    contact_phone: str = strawberry.field(description="E.164, e.g. +590690123456.")
    trade_name: str | None = None
    iban: str | None = None
    bic: str | None = None


@strawberry.input(description="Fields to change; omitted fields stay as they are.")
class UpdateCompanyInput:
    id: strawberry.ID
    expected_version: int | None = strawberry.field(
        default=None, description="Refused with CONFLICT if the company changed meanwhile."
    )
    legal_name: str | None = strawberry.UNSET
    trade_name: str | None = strawberry.UNSET
    legal_form: str | None = strawberry.UNSET
    mcc: str | None = strawberry.UNSET
    address: AddressInput | None = strawberry.UNSET
    contact_name: str | None = strawberry.UNSET
    contact_email: str | None = strawberry.UNSET
    contact_phone: str | None = strawberry.UNSET
    iban: str | None = strawberry.UNSET
    bic: str | None = strawberry.UNSET


@strawberry.input(description="A new shop of a company.")
class CreateShopInput:
    company_id: strawberry.ID
    name: str
    siret: str = strawberry.field(description="14 digits, starting with the company's SIREN.")
    address: AddressInput
    mcc: str | None = strawberry.field(default=None, description="Default: the company's.")


@strawberry.input(description="Fields to change; `status: CLOSED` closes the shop (reason).")
class UpdateShopInput:
    id: strawberry.ID
    expected_version: int | None = None
    name: str | None = strawberry.UNSET
    mcc: str | None = strawberry.UNSET
    address: AddressInput | None = strawberry.UNSET
    status: ShopStatus | None = strawberry.UNSET
    reason: str | None = None


@strawberry.type
class CompanyPayload:
    company: Company | None
    user_errors: list[UserError] = user_errors_field()


@strawberry.type
class ShopPayload:
    shop: Shop | None
    user_errors: list[UserError] = user_errors_field()


def _changes(input_object: Any, names: tuple[str, ...]) -> dict[str, Any]:
    changes = provided(input_object, *names)
    if isinstance(changes.get("address"), AddressInput):
        changes["address"] = changes["address"].to_domain()
    return changes


async def create_company(
    info: Info, input: Annotated[CreateCompanyInput, MUTATION_INPUT]
) -> CompanyPayload:
    data = ob.CompanyData(
        legal_name=input.legal_name,
        trade_name=input.trade_name,
        siren=input.siren,
        legal_form=input.legal_form,
        mcc=input.mcc,
        address=input.address.to_domain(),
        contact_name=input.contact_name,
        contact_email=input.contact_email,
        contact_phone=input.contact_phone,
        iban=input.iban,
        bic=input.bic,
    )
    company, errors = await attempt(info, ob.create_company(actor_of(info), data))
    return CompanyPayload(company=company, user_errors=errors)  # type: ignore[arg-type]


async def update_company(
    info: Info, input: Annotated[UpdateCompanyInput, MUTATION_INPUT]
) -> CompanyPayload:
    async def work() -> Any:
        company_id = input_id(info, input.id, "Company", ["input", "id"])
        changes = _changes(
            input,
            (
                "legal_name",
                "trade_name",
                "legal_form",
                "mcc",
                "address",
                "contact_name",
                "contact_email",
                "contact_phone",
                "iban",
                "bic",
            ),
        )
        return await ob.update_company(actor_of(info), company_id, changes, input.expected_version)

    company, errors = await attempt(info, work())
    return CompanyPayload(company=company, user_errors=errors)


async def create_shop(info: Info, input: Annotated[CreateShopInput, MUTATION_INPUT]) -> ShopPayload:
    async def work() -> Any:
        data = ob.ShopData(
            company_id=input_id(info, input.company_id, "Company", ["input", "companyId"]),
            name=input.name,
            siret=input.siret,
            address=input.address.to_domain(),
            mcc=input.mcc,
        )
        return await ob.create_shop(actor_of(info), data)

    shop, errors = await attempt(info, work())
    return ShopPayload(shop=shop, user_errors=errors)


async def update_shop(info: Info, input: Annotated[UpdateShopInput, MUTATION_INPUT]) -> ShopPayload:
    async def work() -> Any:
        shop_id = input_id(info, input.id, "Shop", ["input", "id"])
        changes = _changes(input, ("name", "mcc", "address", "status"))
        return await ob.update_shop(
            actor_of(info), shop_id, changes, input.expected_version, input.reason
        )

    shop, errors = await attempt(info, work())
    return ShopPayload(shop=shop, user_errors=errors)


@strawberry.type
class MerchantMutation:
    create_company: CompanyPayload | None = mutation_field(
        create_company, "createCompany", "Pre-register a merchant's company (PROSPECT)."
    )
    update_company: CompanyPayload | None = mutation_field(
        update_company,
        "updateCompany",
        "Edit a company. Hotline: contact details only; sellers: until it is ACTIVE.",
    )
    create_shop: ShopPayload | None = mutation_field(create_shop, "createShop", "Add a shop.")
    update_shop: ShopPayload | None = mutation_field(
        update_shop, "updateShop", "Edit or close a shop."
    )
