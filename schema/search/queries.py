"""Root field `search`: one ranked list across companies, shops, contracts, terminals,
requests and transactions."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import loaders as rl
from resolvers import search as rsearch
from schema.contracts.types import Contract
from schema.merchants.types import Company, Shop
from schema.permissions import allowed, roles_note
from schema.requests.types import Request
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


async def search(
    info: Info,
    text: Annotated[
        str,
        strawberry.argument(
            description="What to look for: an identifier (SIREN, SIRET, contract number, TID, "
            "reference...) or its start, or part of a company or shop name."
        ),
    ],
    first: Annotated[
        int | None, strawberry.argument(description="At most this many hits, best first.")
    ] = 20,
) -> list[SearchHit]:
    principal = info.context.require_principal()
    # A hit may match only on what the caller may read (an authorization code, for a role
    # that may not read it, finds nothing).
    readable = policy.search_fields(principal, rsearch.SEARCH_FIELDS)
    hits = await rsearch.search(info.context.db_session, text, first, readable=readable)
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
            "name, SIREN), shops (name, SIRET), contracts (number), terminals (TID, serial "
            "number), requests (reference) and transactions (external id, authorization code). "
            f"`text`: {rsearch.MIN_LENGTH} to {rsearch.MAX_LENGTH} characters; `first`: 1 to "
            f"{rsearch.MAX_RESULTS}. "
        )
        + roles_note("search"),
        extensions=allowed("search"),
    )
