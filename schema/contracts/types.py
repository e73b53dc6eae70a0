"""Contract, FeeSchedule (versions and lines), Service."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models as m
from resolvers import contracts as rc
from resolvers import loaders as rl
from resolvers import transactions as rtx
from resolvers.relations import to_one
from schema import descriptions as d
from schema.audit.types import journal
from schema.documents.types import DocumentLanguage
from schema.enums import CardScheme, ContractStatus, FeeRegion, ServiceKind, ServiceStatus
from schema.guards import guarded
from schema.lazy import CompanyT, DocumentT, ServiceT, ShopT, TerminalT, TransactionT
from schema.lists import child_list
from schema.relay import model_backed, register_node
from schema.scalars import Long


@strawberry.type(description="The price of one card scheme in one region.")
@model_backed(m.FeeLine)
class FeeLine:
    scheme: CardScheme = strawberry.field(description="Card scheme this line prices.")
    region: FeeRegion = strawberry.field(
        description="Region of the card's issuer this line prices."
    )
    rate_bps: int = strawberry.field(description="Rate in basis points (1/100 of a percent).")
    fixed_fee: Long = strawberry.field(description="Fixed fee per transaction, minor units.")


@strawberry.type(description="One version of a contract's fee schedule; history is kept.")
@model_backed(m.FeeSchedule)
class FeeSchedule(relay.Node):
    id: relay.NodeID[str]
    version_number: int = strawberry.field(
        description="1 for the schedule signed with the contract, then +1 at every fee change."
    )
    effective_from: dt.date = strawberry.field(
        description="First day (a UTC date) from which this version prices transactions."
    )
    currency: str = strawberry.field(
        description="ISO 4217 currency of every amount of this schedule (e.g. EUR)."
    )
    terminal_rental_monthly: Long = strawberry.field(
        description="Monthly rental of a PAX terminal, in minor units of `currency`."
    )
    softpos_fee_monthly: Long = strawberry.field(
        description="Monthly fee of a SoftPOS (Tap to Pay) service, in minor units of `currency`."
    )
    reason: str | None = strawberry.field(
        description="Why the fees changed (given with `changeContractFees`); null for version 1."
    )
    created_at: dt.datetime = strawberry.field(description="When this version was recorded (UTC).")

    @strawberry.field(
        description="The price of each card scheme × region; a pair without a line cannot be "
        "priced."
    )
    async def lines(self, info: Info) -> list[FeeLine]:
        return await info.context.loaders.get(rc.FeeLinesByFeeScheduleIdLoader).load(self.id)


@strawberry.type(description="A merchant's acquiring contract (MP-YYYY-NNNNNN).")
@model_backed(m.Contract)
class Contract(relay.Node):
    id: relay.NodeID[str]
    number: str = strawberry.field(
        description="The contract's number, MP-YYYY-NNNNNN (year of creation, then a sequence)."
    )
    status: ContractStatus = strawberry.field(
        description="Where the contract stands (draft, signed, active, suspended, terminated)."
    )
    service_kinds: list[ServiceKind] = strawberry.field(
        description="The payment services the contract provides for."
    )
    currency: str = strawberry.field(
        description="ISO 4217 currency of the contract's fees and transactions (e.g. EUR)."
    )
    signed_at: dt.datetime | None = strawberry.field(
        description="When it was signed (UTC); null while it is a draft."
    )
    signatory_name: str | None = strawberry.field(
        description="Who signed (or will sign) for the merchant."
    )
    signed_document_sha256: str | None = strawberry.field(
        description="SHA-256 of the contract document the signatory was shown and signed "
        "(`signContract`'s documentSha256); null before signature."
    )
    activated_at: dt.datetime | None = strawberry.field(
        description="When its first service became active (UTC); null before."
    )
    suspended_at: dt.datetime | None = strawberry.field(
        description="When it was last suspended (UTC); null if never."
    )
    terminated_at: dt.datetime | None = strawberry.field(
        description="When it was terminated (UTC); null while it is in force."
    )
    status_reason: str | None = strawberry.field(
        description="The reason given for its current status (suspension, termination); null "
        "otherwise."
    )
    created_at: dt.datetime = strawberry.field(description="When the draft was created (UTC).")
    updated_at: dt.datetime = strawberry.field(description="When the contract last changed (UTC).")
    version: int = d.version_field("contract")

    @strawberry.field(description="The merchant's company the contract is with.")
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

    services = child_list(ServiceT, rc.CONTRACT_SERVICES, "The contract's payment services.")

    audit_events = journal("The contract's journal, newest first.")


@strawberry.type(description="A payment service of a contract on one shop.")
@model_backed(m.Service)
class Service(relay.Node):
    id: relay.NodeID[str]
    kind: ServiceKind = strawberry.field(
        description="Tap to Pay on a phone (PAYWISH_SOFTPOS) or a PAX terminal (PAY_ON_SITE)."
    )
    status: ServiceStatus = strawberry.field(
        description="Where the service stands (pending, active, blocked, deactivated)."
    )
    blocked_reason: str | None = strawberry.field(
        description="Why it is blocked; null unless BLOCKED."
    )
    blocked_at: dt.datetime | None = strawberry.field(
        description="When it was blocked (UTC); null unless BLOCKED."
    )
    blocked_until: dt.datetime | None = strawberry.field(
        description="When set, the service unblocks itself at this time."
    )
    activation_code_expires_at: dt.datetime | None = strawberry.field(
        description="SoftPOS: until when (UTC) the one-time activation code can enroll the phone; "
        "null once enrolled or for PAX."
    )
    activated_at: dt.datetime | None = strawberry.field(
        description="When it became active (UTC); null before."
    )
    deactivated_at: dt.datetime | None = strawberry.field(
        description="When it was deactivated (UTC); null while it is live."
    )
    created_at: dt.datetime = strawberry.field(description="When the service was created (UTC).")
    updated_at: dt.datetime = strawberry.field(description="When the service last changed (UTC).")
    version: int = d.version_field("service")

    @strawberry.field(description="The contract the service belongs to.")
    @to_one(rl.ContractByIdLoader, "contract_id")
    async def contract(self, info: Info) -> Contract | None: ...

    @strawberry.field(description="The shop where the service takes payments.")
    @to_one(rl.ShopByIdLoader, "shop_id")
    async def shop(self, info: Info) -> ShopT | None: ...

    @strawberry.field(
        description="The terminal or SoftPOS phone the service runs on; null until one is attached."
    )
    @to_one(rl.TerminalByIdLoader, "terminal_id")
    async def terminal(self, info: Info) -> TerminalT | None: ...

    transactions = child_list(
        TransactionT,
        rtx.SERVICE_TRANSACTIONS,
        "Transactions taken through this service, newest first.",
    )

    audit_events = journal("The service's journal (activation, blocks), newest first.")


register_node("Contract", rl.ContractByIdLoader)
register_node("Service", rl.ServiceByIdLoader)
register_node("FeeSchedule", rl.FeeScheduleByIdLoader)
