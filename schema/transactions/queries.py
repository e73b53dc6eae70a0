"""Root fields `transactions` and `responseCodes`."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import loaders as rl
from resolvers import response_codes as codes
from resolvers import transactions as rtx
from resolvers.errors import Forbidden, Text
from resolvers.pagination import Page, PageArgs
from schema import descriptions as d
from schema.enums import CardScheme, EntryMode, OrderDirection, TransactionStatus, TransactionType
from schema.lists import ListFilter, ListOrder, root_list
from schema.permissions import allowed, roles_note
from schema.relay import Connection, optional_id, selection_reaches
from schema.scalars import Long
from schema.transactions.types import ResponseCode, Transaction
from tenancy import policy
from tenancy.principal import Principal


@strawberry.input(description="Filter transactions.")
class TransactionFilter:
    company: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a company: only its transactions."
    )
    shop: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a shop: only its transactions."
    )
    terminal: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a terminal: only its transactions."
    )
    contract: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a contract: only its transactions."
    )
    service: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a service: only its transactions."
    )
    status: list[TransactionStatus] | None = strawberry.field(
        default=None, description="Only transactions with one of these statuses."
    )
    type: list[TransactionType] | None = strawberry.field(
        default=None, description="Only transactions of one of these types."
    )
    scheme: list[CardScheme] | None = strawberry.field(
        default=None, description="Only transactions of one of these card schemes."
    )
    entry_mode: list[EntryMode] | None = strawberry.field(
        default=None, description="Only transactions read in one of these ways."
    )
    response_code: list[str] | None = strawberry.field(
        default=None,
        description="Only transactions with one of these ISO 8583 response codes. Refused "
        "(FORBIDDEN) for the roles that may not read `responseCode` (sellers).",
    )
    occurred_from: dt.datetime | None = strawberry.field(
        default=None, description="Only transactions that happened at or after this time."
    )
    occurred_to: dt.datetime | None = strawberry.field(
        default=None, description="Only transactions that happened before this time."
    )
    amount_min: Long | None = strawberry.field(
        default=None, description="Only amounts of at least this many minor units (cents)."
    )
    amount_max: Long | None = strawberry.field(
        default=None, description="Only amounts of at most this many minor units (cents)."
    )
    currency: str | None = strawberry.field(
        default=None, description="Only transactions in this ISO 4217 currency."
    )

    def to_domain(self) -> rtx.TransactionFilter:
        return rtx.TransactionFilter(
            company=optional_id(self.company, "Company", "filter.company"),
            shop=optional_id(self.shop, "Shop", "filter.shop"),
            terminal=optional_id(self.terminal, "Terminal", "filter.terminal"),
            contract=optional_id(self.contract, "Contract", "filter.contract"),
            service=optional_id(self.service, "Service", "filter.service"),
            status=self.status,
            type=self.type,
            scheme=self.scheme,
            entry_mode=self.entry_mode,
            response_code=self.response_code,
            occurred_from=self.occurred_from,
            occurred_to=self.occurred_to,
            amount_min=self.amount_min,
            amount_max=self.amount_max,
            currency=self.currency,
        )


@d.described_enum(
    description="What transactions can be sorted by.",
    values={
        "OCCURRED_AT": "When they happened at the terminal.",
        "AMOUNT": "Their amount, in minor units (whatever the currency).",
    },
)
class TransactionOrderField(enum.Enum):
    OCCURRED_AT = "OCCURRED_AT"
    AMOUNT = "AMOUNT"


@strawberry.input(description="How to sort transactions.")
class TransactionOrder:
    field: TransactionOrderField = d.order_field("transactions")
    direction: OrderDirection = d.order_direction(OrderDirection.DESC)


def transaction_filter(
    principal: Principal, given: TransactionFilter | None
) -> rtx.TransactionFilter:
    """The list's filter as the use case takes it (the CSV export takes the same)."""
    domain = (given or TransactionFilter()).to_domain()
    if domain.response_code and policy.field_access(principal, "Transaction.responseCode") is None:
        # Filtering by a code would tell what the field itself hides from this role.
        raise Forbidden(Text("filter_forbidden", field="Transaction.responseCode"))
    return domain.check()


async def transactions(
    info: Info, page: PageArgs, f: TransactionFilter, order: tuple[str, bool]
) -> Page[Any]:
    domain = transaction_filter(info.context.require_principal(), f)
    places = (
        rtx.Places()
        if selection_reaches(info, frozenset({"terminal"}), ("edges", "node"))
        else None
    )
    found = await rtx.list_transactions(info.context.db_session, domain, order, page, places)
    if places is not None:
        # What Transaction.terminal { shop { company } } will load, read with the page.
        loaders = info.context.loaders
        loaders.prime(rl.TerminalByIdLoader, places.terminals)
        loaders.prime(rl.ShopByIdLoader, places.shops)
        loaders.prime(rl.CompanyByIdLoader, places.companies)
    return found


def response_codes() -> list[ResponseCode]:
    return codes.all_codes()  # type: ignore[return-value]


#: The list's `orderBy` (its CSV export takes the same: schema/exports.py).
TRANSACTIONS_ORDER = ListOrder(TransactionOrder, ("OCCURRED_AT", True), "newest first")


@strawberry.type
class TransactionQuery:
    transactions: Connection[Transaction] | None = root_list(
        transactions,
        "transactions",
        "Transactions, newest first.",
        filter=ListFilter(TransactionFilter, "transactions"),
        order=TRANSACTIONS_ORDER,
    )
    response_codes: list[ResponseCode] | None = strawberry.field(
        resolver=response_codes,
        description="The ISO 8583 response code dictionary. " + roles_note("responseCodes"),
        extensions=allowed("responseCodes"),
    )
