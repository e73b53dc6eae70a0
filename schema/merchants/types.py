"""Company (société) and Shop (magasin)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

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
from schema.enums import CompanyStatus, ShopStatus
from schema.execution import to_one
from schema.guards import guarded
from schema.lists import child_connection
from schema.relay import Connection, model_backed, register_node
from tenancy import policy

if TYPE_CHECKING:
    from schema.audit.types import AuditEvent
    from schema.contracts.types import Contract, Service
    from schema.documents.types import Document
    from schema.requests.types import Request
    from schema.terminals.types import Terminal
    from schema.transactions.types import Transaction

AuditEventT = Annotated["AuditEvent", strawberry.lazy("schema.audit.types")]
ContractT = Annotated["Contract", strawberry.lazy("schema.contracts.types")]
ServiceT = Annotated["Service", strawberry.lazy("schema.contracts.types")]
RequestT = Annotated["Request", strawberry.lazy("schema.requests.types")]
TerminalT = Annotated["Terminal", strawberry.lazy("schema.terminals.types")]
TransactionT = Annotated["Transaction", strawberry.lazy("schema.transactions.types")]
DocumentT = Annotated["Document", strawberry.lazy("schema.documents.types")]


@strawberry.type(description="A postal address.")
class Address:
    line1: str
    line2: str | None
    postal_code: str
    city: str
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
    legal_name: str
    trade_name: str | None
    siren: str = strawberry.field(description="SIREN: 9 digits, Luhn-checked.")
    legal_form: str
    mcc: str = strawberry.field(description="Merchant category code (ISO 18245).")
    contact_name: str
    contact_email: str
    contact_phone: str = strawberry.field(description="E.164 phone number.")
    iban: str | None = guarded("Company.iban", "Bank account (IBAN) for settlements.")
    bic: str | None = guarded("Company.bic", "Bank identifier (BIC).")
    status: CompanyStatus
    status_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @strawberry.field
    def address(self) -> Address:
        return Address.of(self)

    @strawberry.field(description="The company's shops.")
    async def shops(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
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
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ContractT]:
        return await child_connection(
            info, rc.COMPANY_CONTRACTS, self.id, first, after, last, before
        )

    @strawberry.field(description="Requests about the company, newest first.")
    async def requests(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[RequestT]:
        return await child_connection(
            info, rr.COMPANY_REQUESTS, self.id, first, after, last, before
        )

    @strawberry.field(description="The company's journal, newest first.")
    async def audit_events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[AuditEventT]:
        return await audit_history(info, self.id, first, after, last, before)


@strawberry.type(description="A point of sale (magasin) of a company.")
@model_backed(m.Shop, rtx.ShopRecord)
class Shop(relay.Node):
    id: relay.NodeID[str]
    name: str
    siret: str = strawberry.field(description="SIRET: 14 digits, starts with the SIREN.")
    mcc: str
    status: ShopStatus
    closed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @strawberry.field
    def address(self) -> Address:
        return Address.of(self)

    @strawberry.field
    @to_one(rl.CompanyByIdLoader, "company_id")
    async def company(self, info: Info) -> Company | None: ...

    @strawberry.field(description="Terminals assigned to the shop.")
    async def terminals(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[TerminalT]:
        return await child_connection(info, rt.SHOP_TERMINALS, self.id, first, after, last, before)

    @strawberry.field(description="Payment services of the shop.")
    async def services(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ServiceT]:
        return await child_connection(info, rc.SHOP_SERVICES, self.id, first, after, last, before)

    @strawberry.field(description="The shop's transactions, newest first.")
    async def transactions(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[TransactionT]:
        return await child_connection(
            info, rtx.SHOP_TRANSACTIONS, self.id, first, after, last, before
        )

    @strawberry.field(description="The shop's journal, newest first.")
    async def audit_events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[AuditEventT]:
        return await audit_history(info, self.id, first, after, last, before)


register_node("Company", rl.CompanyByIdLoader)
register_node("Shop", rl.ShopByIdLoader)
