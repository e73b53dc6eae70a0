"""Contract, FeeSchedule (versions and lines), Service."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models as m
from resolvers import contracts as rc
from resolvers import loaders as rl
from resolvers import transactions as rtx
from schema.documents.types import DocumentLanguage
from schema.enums import CardScheme, ContractStatus, FeeRegion, ServiceKind, ServiceStatus
from schema.execution import to_one
from schema.guards import guarded
from schema.lists import child_connection
from schema.merchants.types import audit_history
from schema.relay import Connection, model_backed, register_node
from schema.scalars import Long

if TYPE_CHECKING:
    from schema.audit.types import AuditEvent
    from schema.documents.types import Document
    from schema.merchants.types import Company, Shop
    from schema.terminals.types import Terminal
    from schema.transactions.types import Transaction

AuditEventT = Annotated["AuditEvent", strawberry.lazy("schema.audit.types")]
CompanyT = Annotated["Company", strawberry.lazy("schema.merchants.types")]
ShopT = Annotated["Shop", strawberry.lazy("schema.merchants.types")]
TerminalT = Annotated["Terminal", strawberry.lazy("schema.terminals.types")]
TransactionT = Annotated["Transaction", strawberry.lazy("schema.transactions.types")]
DocumentT = Annotated["Document", strawberry.lazy("schema.documents.types")]


@strawberry.type(description="The price of one card scheme in one region.")
@model_backed(m.FeeLine)
class FeeLine:
    scheme: CardScheme
    region: FeeRegion
    rate_bps: int = strawberry.field(description="Rate in basis points (1/100 of a percent).")
    fixed_fee: Long = strawberry.field(description="Fixed fee per transaction, minor units.")


@strawberry.type(description="One version of a contract's fee schedule; history is kept.")
@model_backed(m.FeeSchedule)
class FeeSchedule(relay.Node):
    id: relay.NodeID[str]
    version_number: int
    effective_from: dt.date
    currency: str
    terminal_rental_monthly: Long = strawberry.field(description="Minor units per month.")
    softpos_fee_monthly: Long = strawberry.field(description="Minor units per month.")
    reason: str | None
    created_at: dt.datetime

    @strawberry.field
    async def lines(self, info: Info) -> list[FeeLine]:
        return await info.context.loaders.get(rc.FeeLinesByFeeScheduleIdLoader).load(self.id)


@strawberry.type(description="A merchant's acquiring contract (MP-YYYY-NNNNNN).")
@model_backed(m.Contract)
class Contract(relay.Node):
    id: relay.NodeID[str]
    number: str
    status: ContractStatus
    service_kinds: list[ServiceKind]
    currency: str
    signed_at: dt.datetime | None
    signatory_name: str | None
    signed_document_sha256: str | None = strawberry.field(
        description="SHA-256 of the contract document the signatory was shown and signed "
        "(`signContract`'s documentSha256); null before signature."
    )
    activated_at: dt.datetime | None
    suspended_at: dt.datetime | None
    terminated_at: dt.datetime | None
    status_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @strawberry.field
    @to_one(rl.CompanyByIdLoader, "company_id")
    async def company(self, info: Info) -> CompanyT | None: ...

    @strawberry.field(description="The shops the contract covers.")
    async def shops(self, info: Info) -> list[ShopT]:
        return await info.context.loaders.get(rc.ShopsByContractIdLoader).load(self.id)

    @guarded("Contract.currentFees", "The fee schedule in force today.")
    async def current_fees(self, info: Info) -> FeeSchedule | None:
        versions = await info.context.loaders.get(rc.FeeSchedulesByContractIdLoader).load(self.id)
        return rc.current_fee_schedule(versions)

    @guarded(
        "Contract.document",
        "The contract as a PDF, generated from its data (parties, shops, services, the whole "
        "fee grid, terms): a DRAFT's follows the draft's changes; once signed, the signed copy "
        "with its signature page, which never changes. Bank details as your role reads them.",
    )
    async def document(
        self,
        info: Info,
        language: Annotated[
            DocumentLanguage | None,
            strawberry.argument(description="fr (default) or en."),
        ] = None,
    ) -> DocumentT | None:
        from schema.documents.types import contract_document

        return await contract_document(info, self, language)  # type: ignore[return-value]

    @guarded(
        "Contract.documents",
        "The contract's stored documents, oldest first: its signed copy, then an amendment "
        "(avenant) for each fee version added after signature.",
    )
    async def documents(
        self,
        info: Info,
        language: Annotated[
            DocumentLanguage | None,
            strawberry.argument(description="fr (default: each one's own) or en."),
        ] = None,
    ) -> list[DocumentT] | None:
        from schema.documents.types import contract_documents

        return await contract_documents(info, self.id, language)  # type: ignore[return-value]

    @guarded("Contract.feeHistory", "Every fee schedule version, newest first.")
    async def fee_history(self, info: Info) -> list[FeeSchedule] | None:
        return await info.context.loaders.get(rc.FeeSchedulesByContractIdLoader).load(self.id)

    @strawberry.field(description="The contract's payment services.")
    async def services(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Service]:
        return await child_connection(
            info, rc.CONTRACT_SERVICES, self.id, first, after, last, before
        )

    @strawberry.field(description="The contract's journal, newest first.")
    async def audit_events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[AuditEventT]:
        return await audit_history(info, self.id, first, after, last, before)


@strawberry.type(description="A payment service of a contract on one shop.")
@model_backed(m.Service)
class Service(relay.Node):
    id: relay.NodeID[str]
    kind: ServiceKind
    status: ServiceStatus
    blocked_reason: str | None
    blocked_at: dt.datetime | None
    blocked_until: dt.datetime | None = strawberry.field(
        description="When set, the service unblocks itself at this time."
    )
    activation_code_expires_at: dt.datetime | None
    activated_at: dt.datetime | None
    deactivated_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @strawberry.field
    @to_one(rl.ContractByIdLoader, "contract_id")
    async def contract(self, info: Info) -> Contract | None: ...

    @strawberry.field
    @to_one(rl.ShopByIdLoader, "shop_id")
    async def shop(self, info: Info) -> ShopT | None: ...

    @strawberry.field
    @to_one(rl.TerminalByIdLoader, "terminal_id")
    async def terminal(self, info: Info) -> TerminalT | None: ...

    @strawberry.field(description="Transactions taken through this service, newest first.")
    async def transactions(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[TransactionT]:
        return await child_connection(
            info, rtx.SERVICE_TRANSACTIONS, self.id, first, after, last, before
        )

    @strawberry.field(description="The service's journal (activation, blocks), newest first.")
    async def audit_events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[AuditEventT]:
        return await audit_history(info, self.id, first, after, last, before)


register_node("Contract", rl.ContractByIdLoader)
register_node("Service", rl.ServiceByIdLoader)
register_node("FeeSchedule", rl.FeeScheduleByIdLoader)
