"""GraphQL enums, wrapping the domain's Python enums (one source of truth)."""

from __future__ import annotations

import enum

import strawberry

from db import enums as e
from resolvers import terminals as t
from tenancy.roles import Role as _Role

Role = strawberry.enum(_Role, name="Role", description="A staff member's role (DESIGN §1).")
UserStatus = strawberry.enum(e.UserStatus, name="UserStatus")
TenantStatus = strawberry.enum(e.TenantStatus, name="TenantStatus")
CompanyStatus = strawberry.enum(e.CompanyStatus, name="CompanyStatus")
ShopStatus = strawberry.enum(e.ShopStatus, name="ShopStatus")
RequestType = strawberry.enum(e.RequestType, name="RequestType")
RequestStatus = strawberry.enum(e.RequestStatus, name="RequestStatus")
ContractStatus = strawberry.enum(e.ContractStatus, name="ContractStatus")
CardScheme = strawberry.enum(e.CardScheme, name="CardScheme")
FeeRegion = strawberry.enum(e.FeeRegion, name="FeeRegion")
ServiceKind = strawberry.enum(e.ServiceKind, name="ServiceKind")
ServiceStatus = strawberry.enum(e.ServiceStatus, name="ServiceStatus")
TerminalKind = strawberry.enum(e.TerminalKind, name="TerminalKind")
TerminalStatus = strawberry.enum(e.TerminalStatus, name="TerminalStatus")
ReceiptMode = strawberry.enum(e.ReceiptMode, name="ReceiptMode")
TransactionType = strawberry.enum(e.TransactionType, name="TransactionType")
EntryMode = strawberry.enum(e.EntryMode, name="EntryMode")
TransactionStatus = strawberry.enum(e.TransactionStatus, name="TransactionStatus")
TerminalEventKind = strawberry.enum(e.TerminalEventKind, name="TerminalEventKind")
ActorKind = strawberry.enum(e.ActorKind, name="ActorKind")
Connectivity = strawberry.enum(
    t.Connectivity,
    name="Connectivity",
    description="ONLINE while heartbeats arrive; OFFLINE after twice the heartbeat interval.",
)
OptionsStatus = strawberry.enum(
    t.OptionsStatus,
    name="OptionsStatus",
    description="Whether the device acknowledged (PARAMETERS_DOWNLOADED) the latest options.",
)


@strawberry.enum(description="Sort direction.")
class OrderDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"

    @property
    def descending(self) -> bool:
        return self is OrderDirection.DESC
