"""Company (société) and Shop (magasin)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models as m
from resolvers import contracts as rc
from resolvers import loaders as rl
from resolvers import merchants as rm
from resolvers import requests as rr
from resolvers import terminals as rt
from resolvers import transactions as rtx
from resolvers.relations import to_one
from schema import descriptions as d
from schema.audit.types import journal
from schema.enums import CompanyStatus, ShopStatus
from schema.guards import guarded
from schema.lazy import (
    ContractT,
    DocumentT,
    RequestT,
    ServiceT,
    ShopT,
    TerminalT,
    TransactionT,
)
from schema.lists import child_list
from schema.relay import model_backed, register_node


@strawberry.type(description="A postal address.")
class Address:
    line1: str = strawberry.field(description="First line: number and street.")
    line2: str | None = strawberry.field(
        description="Second line (building, floor, place called); null when there is none."
    )
    postal_code: str = strawberry.field(
        description="Postal code, as written on letters (5 digits in France)."
    )
    city: str = strawberry.field(description="Town or city.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 country code.")

    @classmethod
    def of(cls, row: Any) -> Address:
        return cls(
            line1=row.address_line1,
            line2=row.address_line2,
            postal_code=row.postal_code,
            city=row.city,
            country=row.country,
        )


@strawberry.type(description="A merchant's legal entity (société).")
@model_backed(m.Company, rtx.CompanyRecord)
class Company(relay.Node):
    id: relay.NodeID[str]
    legal_name: str = strawberry.field(
        description="Registered name of the legal entity, as on its Kbis."
    )
    trade_name: str | None = strawberry.field(
        description="Name the public knows the merchant by, when it differs from the legal name."
    )
    siren: str = strawberry.field(description="SIREN: 9 digits, Luhn-checked.")
    legal_form: str = strawberry.field(description="Legal form (SARL, SAS, EURL, SA, EI...).")
    mcc: str = strawberry.field(description="Merchant category code (ISO 18245).")
    contact_name: str = strawberry.field(
        description="The person at the merchant whom the partner's staff call."
    )
    contact_email: str = strawberry.field(description="E-mail address of that contact.")
    contact_phone: str = strawberry.field(description="E.164 phone number.")
    iban: str | None = guarded("Company.iban", "Bank account (IBAN) for settlements.")
    bic: str | None = guarded("Company.bic", "Bank identifier (BIC).")
    status: CompanyStatus = strawberry.field(
        description="Where the merchant stands in its lifecycle (prospect, evaluation, "
        "approved...)."
    )
    status_reason: str | None = strawberry.field(
        description="Why it is in this status, when a reason was given (for example the comment "
        "of a rejected evaluation); null otherwise."
    )
    created_at: dt.datetime = strawberry.field(
        description="When the company was pre-registered (UTC)."
    )
    updated_at: dt.datetime = strawberry.field(
        description="When the company's record last changed (UTC)."
    )
    version: int = d.version_field("company")

    @strawberry.field(description="Registered office address.")
    def address(self) -> Address:
        return Address.of(self)

    shops = child_list(ShopT, rm.COMPANY_SHOPS, "The company's shops.")

    @guarded(
        "Company.documents",
        "The company's documents, oldest first: what was uploaded (Kbis, identity, bank "
        "details, other) and the contracts' signed copies and amendments, with who added "
        "them and when.",
    )
    async def documents(self, info: Info) -> list[DocumentT] | None:
        from schema.documents.types import company_documents

        return await company_documents(info, self.id)  # type: ignore[return-value]

    contracts = child_list(ContractT, rc.COMPANY_CONTRACTS, "The company's contracts.")

    requests = child_list(
        RequestT, rr.COMPANY_REQUESTS, "Requests about the company, newest first."
    )

    audit_events = journal("The company's journal, newest first.")


@strawberry.type(description="A point of sale (magasin) of a company.")
@model_backed(m.Shop, rtx.ShopRecord)
class Shop(relay.Node):
    id: relay.NodeID[str]
    name: str = strawberry.field(description="The shop's name, as on its sign.")
    siret: str = strawberry.field(description="SIRET: 14 digits, starts with the SIREN.")
    mcc: str = strawberry.field(
        description="Merchant category code (ISO 18245) of what is sold there."
    )
    status: ShopStatus = strawberry.field(description="OPEN, or CLOSED.")
    closed_at: dt.datetime | None = strawberry.field(
        description="When the shop was closed (UTC); null while it is open."
    )
    created_at: dt.datetime = strawberry.field(description="When the shop was registered (UTC).")
    updated_at: dt.datetime = strawberry.field(
        description="When the shop's record last changed (UTC)."
    )
    version: int = d.version_field("shop")

    @strawberry.field(description="Where the shop is.")
    def address(self) -> Address:
        return Address.of(self)

    @strawberry.field(description="The company the shop belongs to.")
    @to_one(rl.CompanyByIdLoader, "company_id")
    async def company(self, info: Info) -> Company | None: ...

    terminals = child_list(TerminalT, rt.SHOP_TERMINALS, "Terminals assigned to the shop.")

    services = child_list(ServiceT, rc.SHOP_SERVICES, "Payment services of the shop.")

    transactions = child_list(
        TransactionT, rtx.SHOP_TRANSACTIONS, "The shop's transactions, newest first."
    )

    audit_events = journal("The shop's journal, newest first.")


register_node("Company", rl.CompanyByIdLoader)
register_node("Shop", rl.ShopByIdLoader)
