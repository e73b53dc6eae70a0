"""Transaction, and the response code dictionary entry."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models as m
from resolvers import loaders as rl
from resolvers import response_codes as codes
from resolvers import transactions as rtx
from resolvers.relations import to_one
from schema.descriptions import described_enum
from schema.enums import CardScheme, EntryMode, TransactionStatus, TransactionType
from schema.guards import guarded
from schema.lazy import CompanyT, ContractT, ServiceT, ShopT, TerminalT
from schema.relay import model_backed, register_node
from schema.scalars import Long

ResponseCategory = described_enum(
    codes.ResponseCategory,
    name="ResponseCategory",
    description="What a response code means for the merchant, in broad terms.",
    values={
        "APPROVED": "The payment was accepted.",
        "DECLINED_BY_ISSUER": "The card's bank refused (funds, limits, its own rules): the "
        "cardholder should call their bank or pay another way.",
        "CARD_PROBLEM": "The card itself: expired, wrong PIN, restricted or unknown card.",
        "SUSPECTED_FRAUD": "Refused as suspected fraud (lost or stolen card, pick-up).",
        "MERCHANT_OR_TERMINAL": "The merchant or terminal may not take this payment (blocked "
        "service, invalid merchant, transaction not allowed): look at the contract and options.",
        "TECHNICAL": "A technical failure (issuer unavailable, format or routing error): retry.",
    },
)


@strawberry.type(description="An ISO 8583 response code (field 39) and what it means.")
@model_backed(codes.ResponseCode)
class ResponseCode:
    code: str = strawberry.field(
        description="The two-character ISO 8583 response code (field 39), e.g. 00 or 51."
    )
    label_en: str = strawberry.field(description="What it means, in English.")
    label_fr: str = strawberry.field(description="What it means, in French.")
    category: ResponseCategory = strawberry.field(
        description="What kind of answer it is (approved, issuer decline, card problem, fraud...)."
    )
    retryable: bool = strawberry.field(description="Trying again later may succeed.")


@strawberry.type(description="A card transaction; immutable once recorded.")
@model_backed(m.Transaction, rtx.TransactionRecord)
class Transaction(relay.Node):
    id: relay.NodeID[str]
    external_id: str = strawberry.field(description="The acquiring platform's id (idempotency).")
    type: TransactionType = strawberry.field(
        description="What the transaction does (purchase, refund, pre-authorization...)."
    )
    amount: Long = strawberry.field(description="Minor units (cents) of `currency`.")
    currency: str = strawberry.field(description="ISO 4217 currency of `amount` (e.g. EUR).")
    scheme: CardScheme = strawberry.field(description="Card scheme the payment went through.")
    entry_mode: EntryMode = strawberry.field(description="How the card was read.")
    status: TransactionStatus = strawberry.field(description="How the transaction ended.")
    occurred_at: dt.datetime = strawberry.field(
        description="When it happened at the terminal (UTC)."
    )
    recorded_at: dt.datetime = strawberry.field(description="When Spring received it (UTC).")
    masked_pan: str | None = guarded(
        "Transaction.maskedPan", "The card number's first 6 and last 4 digits at most."
    )
    authorization_code: str | None = guarded(
        "Transaction.authorizationCode",
        "The issuer's authorization code (ISO 8583 field 38) of an approved transaction.",
    )
    response_code: str | None = guarded("Transaction.responseCode", "ISO 8583 response code.")

    @guarded("Transaction.responseMessage", "What the response code means.")
    def response_message(self) -> ResponseCode | None:
        return codes.describe(self.response_code)

    @strawberry.field(description="The terminal or SoftPOS phone that took it.")
    @to_one(rl.TerminalByIdLoader, "terminal_id")
    async def terminal(self, info: Info) -> TerminalT | None: ...

    @strawberry.field(description="The shop where it was taken.")
    @to_one(rl.ShopByIdLoader, "shop_id")
    async def shop(self, info: Info) -> ShopT | None: ...

    @strawberry.field(description="The merchant's company.")
    @to_one(rl.CompanyByIdLoader, "company_id")
    async def company(self, info: Info) -> CompanyT | None: ...

    @strawberry.field(description="The contract it was taken under.")
    @to_one(rl.ContractByIdLoader, "contract_id")
    async def contract(self, info: Info) -> ContractT | None: ...

    @strawberry.field(description="The payment service it went through.")
    @to_one(rl.ServiceByIdLoader, "service_id")
    async def service(self, info: Info) -> ServiceT | None: ...

    @strawberry.field(description="For a reversal or completion: the transaction it refers to.")
    @to_one(rl.TransactionByIdLoader, "original_transaction_id")
    async def original_transaction(self, info: Info) -> Transaction | None: ...


register_node("Transaction", rl.TransactionByIdLoader)
