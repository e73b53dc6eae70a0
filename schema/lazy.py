"""Lazy references to the object types, for annotations that cannot name the class itself.

A types module names another domain's type (a shop's `company`, a contract's `terminal`) or
one of its own defined further down (a company's `shops`, declared before `Shop`). Importing
the class would make the types modules import each other in a circle; these aliases let
strawberry find the class when the Schema is built instead, by its module and name:

    from schema.lazy import ShopT

    @strawberry.field(description="The shop the terminal is assigned to.")
    async def shop(self, info: Info) -> ShopT | None: ...

One alias per type, named after it with a `T`; a new type that others point to gets its
line here (and its import under TYPE_CHECKING, for the type checker).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from schema.audit.types import AuditEvent
    from schema.auth.types import User
    from schema.contracts.types import Contract, Service
    from schema.documents.types import Document, DocumentKind
    from schema.merchants.types import Company, Shop
    from schema.requests.types import Request, RequestDueTime
    from schema.terminals.types import Terminal, TerminalCommand, TerminalEvent
    from schema.transactions.types import Transaction

AUDIT = strawberry.lazy("schema.audit.types")
AUTH = strawberry.lazy("schema.auth.types")
CONTRACTS = strawberry.lazy("schema.contracts.types")
DOCUMENTS = strawberry.lazy("schema.documents.types")
MERCHANTS = strawberry.lazy("schema.merchants.types")
REQUESTS = strawberry.lazy("schema.requests.types")
TERMINALS = strawberry.lazy("schema.terminals.types")
TRANSACTIONS = strawberry.lazy("schema.transactions.types")

AuditEventT = Annotated["AuditEvent", AUDIT]
UserT = Annotated["User", AUTH]
ContractT = Annotated["Contract", CONTRACTS]
ServiceT = Annotated["Service", CONTRACTS]
DocumentT = Annotated["Document", DOCUMENTS]
DocumentKindT = Annotated["DocumentKind", DOCUMENTS]
CompanyT = Annotated["Company", MERCHANTS]
ShopT = Annotated["Shop", MERCHANTS]
RequestT = Annotated["Request", REQUESTS]
RequestDueTimeT = Annotated["RequestDueTime", REQUESTS]
TerminalT = Annotated["Terminal", TERMINALS]
TerminalCommandT = Annotated["TerminalCommand", TERMINALS]
TerminalEventT = Annotated["TerminalEvent", TERMINALS]
TransactionT = Annotated["Transaction", TRANSACTIONS]
