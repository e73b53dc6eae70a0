"""Root field `search`: one ranked list across companies, shops, contracts, terminals,
requests and transactions."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import loaders as rl
from resolvers import search as rsearch
from resolvers.errors import BadUserInput, Text
from schema.contracts.types import Contract
from schema.merchants.types import Company, Shop
from schema.permissions import allowed, roles_note
from schema.relay import optional_id
from schema.requests.types import Request
from schema.scalars import Long
from schema.terminals.types import Terminal
from schema.transactions.types import Transaction
from tenancy import policy

SearchResult = Annotated[
    Company | Shop | Contract | Terminal | Request | Transaction,
    strawberry.union(
        "SearchResult", description="A record `search` can find (use `__typename` to tell)."
    ),
]

#: The loader of each kind of hit: hits are loaded in one statement per kind.
LOADERS: dict[rsearch.SearchKind, Any] = {
    rsearch.SearchKind.COMPANY: rl.CompanyByIdLoader,
    rsearch.SearchKind.SHOP: rl.ShopByIdLoader,
    rsearch.SearchKind.CONTRACT: rl.ContractByIdLoader,
    rsearch.SearchKind.TERMINAL: rl.TerminalByIdLoader,
    rsearch.SearchKind.REQUEST: rl.RequestByIdLoader,
    rsearch.SearchKind.TRANSACTION: rl.TransactionByIdLoader,
}


@strawberry.type(description="One search result and how well it matches.")
class SearchHit:
    score: float = strawberry.field(
        description=(
            "From 0 to 1: 1 for an exact identifier, 0.8 to 0.9 for an identifier or name "
            "starting with the text, below 0.7 for a name containing or resembling it."
        )
    )
    node: SearchResult = strawberry.field(
        description="The record found: a company, shop, contract, terminal, request or "
        "transaction, as the caller may read it."
    )


@strawberry.input(
    description='"The card ending 1234": transactions by the card\'s last four digits within '
    f"a date range of at most {rsearch.CARD_MAX_RANGE.days} days, newest first. Finds nothing "
    "for a role that may not read `Transaction.maskedPan`."
)
class CardSearch:
    last_four: str = strawberry.field(description="The card's last 4 digits, e.g. `1234`.")
    occurred_from: dt.datetime = strawberry.field(
        description="Start of the range (inclusive); required."
    )
    occurred_to: dt.datetime = strawberry.field(
        description=f"End of the range (exclusive); required, at most "
        f"{rsearch.CARD_MAX_RANGE.days} days after `occurredFrom`."
    )
    amount: Long | None = strawberry.field(
        default=None, description="Only transactions of exactly this amount (minor units)."
    )
    shop: relay.GlobalID | None = strawberry.field(
        default=None, description="Only transactions at this shop (its global id)."
    )

    def to_domain(self) -> rsearch.CardSearch:
        return rsearch.CardSearch(
            last_four=self.last_four.strip(),
            occurred_from=self.occurred_from,
            occurred_to=self.occurred_to,
            amount=self.amount,
            shop=optional_id(self.shop, "Shop", "card.shop"),
        )


async def search(
    info: Info,
    text: Annotated[
        str | None,
        strawberry.argument(
            description="What the caller says: a name, an identifier, an e-mail or a phone "
            "number. Give either `text` or `card`."
        ),
    ] = None,
    first: Annotated[
        int | None, strawberry.argument(description="At most this many hits, best first.")
    ] = 20,
    card: Annotated[
        CardSearch | None,
        strawberry.argument(
            description="Search transactions by the card's last four digits within a date "
            "range instead of a text."
        ),
    ] = None,
) -> list[SearchHit]:
    principal = info.context.require_principal()
    # A hit may match only on what the caller may read (an authorization code, for a role
    # that may not read it, finds nothing).
    readable = policy.search_fields(principal, rsearch.SEARCH_FIELDS)
    if (text is None) == (card is None):
        raise BadUserInput(Text("search_what"), argument="text")
    if card is not None:
        hits = await rsearch.search_card(
            info.context.db_session, card.to_domain(), first, readable=readable
        )
    else:
        hits = await rsearch.search(info.context.db_session, str(text), first, readable=readable)
    loaders = info.context.loaders
    nodes = await asyncio.gather(*(loaders.get(LOADERS[hit.kind]).load(hit.id) for hit in hits))
    return [
        SearchHit(score=hit.score, node=node)
        for hit, node in zip(hits, nodes, strict=True)
        if node is not None
    ]


@strawberry.type
class SearchQuery:
    search: list[SearchHit] | None = strawberry.field(
        resolver=search,
        description=(
            "Find records by identifier or name, best match first: companies (legal or trade "
            "name, SIREN; contact name, e-mail and phone, the phone in any common French or "
            "E.164 writing), shops (name, SIRET), contracts (number), terminals (TID, serial "
            "number), requests (reference) and transactions (external id, authorization code); "
            "or, with `card` instead of `text`, transactions by the card's last four digits "
            "within a date range. A field the caller may not read is never matched. "
            f"`text`: {rsearch.MIN_LENGTH} to {rsearch.MAX_LENGTH} characters; `first`: 1 to "
            f"{rsearch.MAX_RESULTS}. "
        )
        + roles_note("search"),
        extensions=allowed("search"),
    )
