"""Mutations of companies and shops."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import merchants as rm
from resolvers.usecase import Actor
from schema import descriptions as d
from schema.descriptions import MUTATION_INPUT, user_errors_field
from schema.enums import ShopStatus
from schema.errors import UserError
from schema.merchants.types import Company, Shop
from schema.mutations import actor_of, answer, input_id, mutation_field, provided


@strawberry.input(description="A postal address.")
class AddressInput:
    line1: str = strawberry.field(description="First line: number and street.")
    postal_code: str = strawberry.field(
        description="Postal code: 5 digits in France, its overseas departments and collectivities"
        " and Monaco (spaces typed inside are dropped: 97 110 is 97110); 3 to 10 letters, digits,"
        " spaces or dashes elsewhere."
    )
    city: str = strawberry.field(description="Town or city.")
    line2: str | None = strawberry.field(
        default=None, description="Second line (building, floor, place called), if any."
    )
    country: str = strawberry.field(
        default="FR", description="ISO 3166-1 alpha-2 country code; FR when omitted."
    )

    def to_domain(self) -> rm.AddressData:
        return rm.AddressData(
            line1=self.line1,
            line2=self.line2,
            postal_code=self.postal_code,
            city=self.city,
            country=self.country,
        )


@strawberry.input(description="A new merchant (prospect).")
class CreateCompanyInput:
    legal_name: str = strawberry.field(
        description="Registered name of the legal entity, as on its Kbis."
    )
    siren: str = strawberry.field(description="9 digits, Luhn-checked.")
    legal_form: str = strawberry.field(description="SARL, SAS, EURL, SA, EI...")
    mcc: str = strawberry.field(
        description="Merchant category code (ISO 18245, 4 digits), e.g. 5812 for restaurants."
    )
    address: AddressInput = strawberry.field(description="Registered office address.")
    contact_name: str = strawberry.field(
        description="The person at the merchant whom the partner's staff call."
    )
    contact_email: str = strawberry.field(description="E-mail address of that contact.")
    contact_phone: str = strawberry.field(description="E.164, e.g. +590690123456.")
    trade_name: str | None = strawberry.field(
        default=None,
        description="Name the public knows the merchant by, if it differs from the legal name.",
    )
    iban: str | None = strawberry.field(
        default=None,
        description="Bank account (IBAN, mod-97 checked) the merchant is paid on; may be given "
        "later.",
    )
    bic: str | None = strawberry.field(
        default=None, description="Bank identifier (BIC, 8 or 11 characters) of that account."
    )


@strawberry.input(description="Fields to change; omitted fields stay as they are.")
class UpdateCompanyInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the company to change.")
    expected_version: int | None = d.expected_version_field("company")
    legal_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="New registered name."
    )
    trade_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="New trade name; null removes it."
    )
    legal_form: str | None = strawberry.field(
        default=strawberry.UNSET, description="New legal form (SARL, SAS...)."
    )
    mcc: str | None = strawberry.field(
        default=strawberry.UNSET, description="New merchant category code (4 digits)."
    )
    address: AddressInput | None = strawberry.field(
        default=strawberry.UNSET, description="New registered office address (all its lines)."
    )
    contact_name: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="New contact person. The hotline may change only the contact fields.",
    )
    contact_email: str | None = strawberry.field(
        default=strawberry.UNSET, description="New contact e-mail address."
    )
    contact_phone: str | None = strawberry.field(
        default=strawberry.UNSET, description="New contact phone number, E.164 (e.g. +33612345678)."
    )
    iban: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="New bank account (IBAN, mod-97 checked); null removes it.",
    )
    bic: str | None = strawberry.field(
        default=strawberry.UNSET, description="New bank identifier (BIC); null removes it."
    )


@strawberry.input(description="A new shop of a company.")
class CreateShopInput:
    company_id: strawberry.ID = strawberry.field(
        description="Global ID of the company the shop belongs to."
    )
    name: str = strawberry.field(description="The shop's name, as on its sign.")
    siret: str = strawberry.field(description="14 digits, starting with the company's SIREN.")
    address: AddressInput = strawberry.field(description="Where the shop is.")
    mcc: str | None = strawberry.field(default=None, description="Default: the company's.")


@strawberry.input(description="Fields to change; `status: CLOSED` closes the shop (reason).")
class UpdateShopInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the shop to change.")
    expected_version: int | None = d.expected_version_field("shop")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    mcc: str | None = strawberry.field(
        default=strawberry.UNSET, description="New merchant category code (4 digits)."
    )
    address: AddressInput | None = strawberry.field(
        default=strawberry.UNSET, description="New address (all its lines)."
    )
    status: ShopStatus | None = strawberry.field(
        default=strawberry.UNSET,
        description="CLOSED closes the shop (give a `reason`); a closed shop is not reopened.",
    )
    reason: str | None = strawberry.field(
        default=None,
        description="Why the shop closes; required with `status: CLOSED`, kept in the journal.",
    )


@strawberry.type(description="The result of a company mutation.")
class CompanyPayload:
    company: Company | None = strawberry.field(
        description="The company as it is after the change; null when the input was refused."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="The result of a shop mutation.")
class ShopPayload:
    shop: Shop | None = strawberry.field(
        description="The shop as it is after the change; null when the input was refused."
    )
    user_errors: list[UserError] = user_errors_field()


def _changes(input_object: Any, names: tuple[str, ...]) -> dict[str, Any]:
    changes = provided(input_object, *names)
    if isinstance(changes.get("address"), AddressInput):
        changes["address"] = changes["address"].to_domain()
    return changes


def company_use_case(input: CreateCompanyInput) -> Callable[[Actor], Awaitable[Any]]:
    """What `createCompany` runs for this input (and `validateCompany` without writing)."""
    data = rm.CompanyData(
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
    return lambda actor: rm.create_company(actor, data)


async def create_company(
    info: Info, input: Annotated[CreateCompanyInput, MUTATION_INPUT]
) -> CompanyPayload:
    return await answer(info, company_use_case(input)(actor_of(info)), CompanyPayload, "company")


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
        return await rm.update_company(actor_of(info), company_id, changes, input.expected_version)

    return await answer(info, work(), CompanyPayload, "company")


def shop_use_case(info: Info, input: CreateShopInput) -> Callable[[Actor], Awaitable[Any]]:
    """What `createShop` runs for this input (and `validateShop` without writing)."""

    async def run(actor: Actor) -> Any:
        data = rm.ShopData(
            company_id=input_id(info, input.company_id, "Company", ["input", "companyId"]),
            name=input.name,
            siret=input.siret,
            address=input.address.to_domain(),
            mcc=input.mcc,
        )
        return await rm.create_shop(actor, data)

    return run


async def create_shop(info: Info, input: Annotated[CreateShopInput, MUTATION_INPUT]) -> ShopPayload:
    return await answer(info, shop_use_case(info, input)(actor_of(info)), ShopPayload, "shop")


async def update_shop(info: Info, input: Annotated[UpdateShopInput, MUTATION_INPUT]) -> ShopPayload:
    async def work() -> Any:
        shop_id = input_id(info, input.id, "Shop", ["input", "id"])
        changes = _changes(input, ("name", "mcc", "address", "status"))
        return await rm.update_shop(
            actor_of(info), shop_id, changes, input.expected_version, input.reason
        )

    return await answer(info, work(), ShopPayload, "shop")


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
