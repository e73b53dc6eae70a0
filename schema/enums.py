"""GraphQL enums, wrapping the domain's Python enums (one source of truth)."""

from __future__ import annotations

import enum
from typing import Any

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


def _describe_values(gql_enum: Any, descriptions: dict[str, str]) -> Any:
    """Give each value of a wrapped domain enum its description (the domain enum stays the
    one source of truth for the values; the SDL says what each means)."""
    for value in gql_enum.__strawberry_definition__.values:
        value.description = descriptions[value.name]
    return gql_enum


TerminalCommandKind = _describe_values(
    strawberry.enum(
        e.TerminalCommandKind,
        name="TerminalCommandKind",
        description="What staff ask a terminal to do through the terminal gateway.",
    ),
    {
        "DOWNLOAD_PARAMETERS": "Download the latest options version now (PAX terminals "
        "only); answered by a PARAMETERS_DOWNLOADED event.",
        "REBOOT": "Restart the terminal or the payment app; answered by a REBOOT event.",
        "UPDATE_APP": "Install the latest payment app; answered by an APP_UPDATED event "
        "carrying the new version.",
    },
)
TerminalCommandStatus = _describe_values(
    strawberry.enum(
        e.TerminalCommandStatus,
        name="TerminalCommandStatus",
        description="Where a terminal command is (docs/lifecycles.md, Terminal command).",
    ),
    {
        "QUEUED": "Waiting for the terminal gateway to collect it.",
        "SENT": "Collected by the gateway (pendingTerminalCommands), on its way to the terminal.",
        "DONE": "The terminal reported it done (its event carried the command's id).",
        "FAILED": "The terminal reported it failed; failureReason says why.",
        "EXPIRED": "No answer came within the partner's command expiry time (60 minutes by "
        "default); it may be sent again.",
    },
)
