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
from resolvers.audit import entity_history
from schema import descriptions as d
from schema.descriptions import After, Before, First, Last
from schema.enums import CompanyStatus, ShopStatus
from schema.execution import to_one
from schema.guards import guarded
from schema.lazy import (
    AuditEventT,
    ContractT,
    DocumentT,
    RequestT,
    ServiceT,
    TerminalT,
    TransactionT,
)
from schema.lists import child_connection
from schema.relay import Connection, model_backed, register_node
from tenancy import policy


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


async def audit_history(
    info: Info,
    entity_id: Any,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Any:
    principal = info.context.require_principal()
    spec = entity_history(policy.row_scope(principal, "AuditEvent"), principal)
    return await child_connection(info, spec, entity_id, first, after, last, before)


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

    @strawberry.field(description="The company's shops.")
    async def shops(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Shop]:
        return await child_connection(info, rm.COMPANY_SHOPS, self.id, first, after, last, before)

    @guarded(
        "Company.documents",
        "The company's documents, oldest first: what was uploaded (Kbis, identity, bank "
        "details, other) and the contracts' signed copies and amendments, with who added "
        "them and when.",
    )
    async def documents(self, info: Info) -> list[DocumentT] | None:
        from schema.documents.types import company_documents

        return await company_documents(info, self.id)  # type: ignore[return-value]

    @strawberry.field(description="The company's contracts.")
    async def contracts(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ContractT]:
        return await child_connection(
            info, rc.COMPANY_CONTRACTS, self.id, first, after, last, before
        )

    @strawberry.field(description="Requests about the company, newest first.")
    async def requests(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[RequestT]:
        return await child_connection(
            info, rr.COMPANY_REQUESTS, self.id, first, after, last, before
        )

    @strawberry.field(description="The company's journal, newest first.")
    async def audit_events(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AuditEventT]:
        return await audit_history(info, self.id, first, after, last, before)


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

    @strawberry.field(description="Terminals assigned to the shop.")
    async def terminals(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[TerminalT]:
        return await child_connection(info, rt.SHOP_TERMINALS, self.id, first, after, last, before)

    @strawberry.field(description="Payment services of the shop.")
    async def services(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ServiceT]:
        return await child_connection(info, rc.SHOP_SERVICES, self.id, first, after, last, before)

    @strawberry.field(description="The shop's transactions, newest first.")
    async def transactions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[TransactionT]:
        return await child_connection(
            info, rtx.SHOP_TRANSACTIONS, self.id, first, after, last, before
        )

    @strawberry.field(description="The shop's journal, newest first.")
    async def audit_events(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AuditEventT]:
        return await audit_history(info, self.id, first, after, last, before)


register_node("Company", rl.CompanyByIdLoader)
register_node("Shop", rl.ShopByIdLoader)
