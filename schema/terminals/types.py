"""Terminal (PAX or SoftPOS), its options versions, and its technical events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models as m
from resolvers import commands as rc
from resolvers import loaders as rl
from resolvers import terminals as rt
from resolvers import transactions as rtx
from resolvers.relations import to_one
from schema import descriptions as d
from schema.audit.types import journal
from schema.enums import (
    Connectivity,
    OptionsStatus,
    ReceiptMode,
    TerminalCommandKind,
    TerminalCommandStatus,
    TerminalEventKind,
    TerminalKind,
    TerminalStatus,
)
from schema.lazy import (
    ServiceT,
    ShopT,
    TerminalCommandT,
    TerminalEventT,
    TransactionT,
    UserT,
)
from schema.lists import Paging, child_list
from schema.relay import model_backed, register_node


@strawberry.type(description="One version of a PAX terminal's options.")
@model_backed(m.TerminalOptions)
class TerminalOptions:
    version_number: int = strawberry.field(
        description="1 for the first options set on the terminal, then +1 at every change."
    )
    contactless: bool = strawberry.field(
        description="Whether contactless (NFC) cards and wallets are accepted."
    )
    tipping: bool = strawberry.field(
        description="Whether the terminal asks the cardholder for a tip."
    )
    cashback: bool = strawberry.field(description="Whether cash back can be given with a purchase.")
    pre_authorization: bool = strawberry.field(
        description="Whether pre-authorizations (amount reserved, captured later) are allowed."
    )
    manual_entry: bool = strawberry.field(
        description="Whether the card number may be keyed in by hand (MANUAL entry)."
    )
    receipt_mode: ReceiptMode = strawberry.field(
        description="How the cardholder's receipt is given."
    )
    language: str = strawberry.field(
        description="Language of the terminal's screens and receipts (ISO 639-1, e.g. fr)."
    )
    created_at: dt.datetime = strawberry.field(
        description="When this version was set by staff (UTC)."
    )
    acknowledged_at: dt.datetime | None = strawberry.field(
        description="When the device downloaded this version (PARAMETERS_DOWNLOADED)."
    )

    @strawberry.field(
        description="Daily settlement time (télécollecte), HH:MM, in the tenant's local time "
        "(`Tenant.timeZone`): 22:30 stays 22:30 across a daylight-saving change."
    )
    def settlement_time(self) -> str:
        return self.settlement_time.strftime("%H:%M")


@strawberry.type(description="A PAX card terminal or a SoftPOS (Tap to Pay) phone.")
@model_backed(m.Terminal, rtx.TerminalRecord)
class Terminal(relay.Node):
    id: relay.NodeID[str]
    kind: TerminalKind = strawberry.field(description="PAX card terminal or SoftPOS phone.")
    tid: str = strawberry.field(description="Terminal ID: 8 characters, unique per partner.")
    serial_number: str | None = strawberry.field(
        description="Manufacturer's serial number (PAX); null for a SoftPOS phone."
    )
    model: str | None = strawberry.field(description="PAX model, or the phone's model.")
    os_version: str | None = strawberry.field(
        description="Operating system version reported by the device (mostly SoftPOS phones)."
    )
    firmware_version: str | None = strawberry.field(
        description="Firmware version last reported by the device."
    )
    app_version: str | None = strawberry.field(
        description="Payment application version last reported by the device."
    )
    status: TerminalStatus = strawberry.field(
        description="Where the terminal stands (in stock, assigned, active, blocked, returned)."
    )
    blocked_reason: str | None = strawberry.field(
        description="Why it is blocked; null unless BLOCKED."
    )
    blocked_until: dt.datetime | None = strawberry.field(
        description="When set, the terminal unblocks itself at this time (UTC)."
    )
    last_seen_at: dt.datetime | None = strawberry.field(
        description="When the device last sent anything: an event or a transaction (UTC)."
    )
    last_heartbeat_at: dt.datetime | None = strawberry.field(
        description="When its last heartbeat arrived (UTC); connectivity is derived from it."
    )
    applied_options_version: int | None = strawberry.field(
        description="The options version the device acknowledged last (PARAMETERS_DOWNLOADED); "
        "null if none yet."
    )
    options_applied_at: dt.datetime | None = strawberry.field(
        description="When the device acknowledged that version (UTC)."
    )
    created_at: dt.datetime = strawberry.field(
        description="When the terminal was registered (UTC)."
    )
    updated_at: dt.datetime = strawberry.field(
        description="When staff last changed the terminal (UTC); heartbeats do not count."
    )
    version: int = d.version_field("terminal")

    @strawberry.field(
        description="The shop the terminal is assigned to; null while in stock or returned."
    )
    @to_one(rl.ShopByIdLoader, "shop_id")
    async def shop(self, info: Info) -> ShopT | None: ...

    @strawberry.field(description="ONLINE while heartbeats arrive (derived from the last one).")
    async def connectivity(self, info: Info) -> Connectivity:
        interval = await info.context.loaders.get(rt.HeartbeatIntervalByTenantIdLoader).load(
            self.tenant_id
        )
        return rt.connectivity_of(self.last_heartbeat_at, interval)

    @strawberry.field(description="PENDING until the device acknowledges the latest options.")
    async def options_status(self, info: Info) -> OptionsStatus | None:
        versions = await info.context.loaders.get(rt.TerminalOptionsByTerminalIdLoader).load(
            self.id
        )
        latest = versions[0].version_number if versions else None
        return rt.options_status_of(latest, self.applied_options_version)

    @strawberry.field(description="The latest options version (the one staff set).")
    async def options(self, info: Info) -> TerminalOptions | None:
        versions = await info.context.loaders.get(rt.TerminalOptionsByTerminalIdLoader).load(
            self.id
        )
        return versions[0] if versions else None

    @strawberry.field(description="Every options version, newest first.")
    async def options_history(self, info: Info) -> list[TerminalOptions]:
        return await info.context.loaders.get(rt.TerminalOptionsByTerminalIdLoader).load(self.id)

    @strawberry.field(description="Services running on this terminal.")
    async def services(self, info: Info) -> list[ServiceT]:
        return await info.context.loaders.get(rt.ServicesByTerminalIdLoader).load(self.id)

    transactions = child_list(
        TransactionT, rtx.TERMINAL_TRANSACTIONS, "The terminal's transactions, newest first."
    )

    events = child_list(
        TerminalEventT,
        rt.TERMINAL_EVENTS,
        "The technical journal, newest first.",
        guard="Terminal.events",
    )

    commands = child_list(
        TerminalCommandT,
        rc.TERMINAL_COMMANDS,
        "Commands sent to this terminal (sendTerminalCommand), newest first, with their "
        "state: QUEUED, SENT, DONE, FAILED or EXPIRED.",
        guard="Terminal.commands",
        paging=Paging(
            first="The newest N commands (at most 100).",
            after="A cursor: the commands after it.",
            last="The oldest N commands (at most 100).",
            before="A cursor: the commands before it.",
        ),
    )

    audit_events = journal("The terminal's business journal, newest first.")


@strawberry.type(description="A technical event reported by a terminal.")
@model_backed(m.TerminalEvent)
class TerminalEvent(relay.Node):
    id: relay.NodeID[str]
    kind: TerminalEventKind = strawberry.field(description="What the terminal reported.")
    code: str | None = strawberry.field(
        description="The device's own code for the event (an error code, for example), if any."
    )
    message: str | None = strawberry.field(description="The device's text for the event, if any.")
    occurred_at: dt.datetime = strawberry.field(description="When it happened on the device (UTC).")
    recorded_at: dt.datetime = strawberry.field(description="When Spring received it (UTC).")

    @strawberry.field(description="The terminal that reported it.")
    @to_one(rl.TerminalByIdLoader, "terminal_id")
    async def terminal(self, info: Info) -> Terminal | None: ...


@strawberry.type(
    description="A command staff sent to a terminal through the terminal gateway: queued, "
    "collected by the gateway (SENT), then DONE or FAILED as the terminal answers, or "
    "EXPIRED when no answer comes in time. Read by those who read the technical journal; "
    "the gateway (SERVICE) reads what it needs to deliver it."
)
@model_backed(m.TerminalCommand)
class TerminalCommand(relay.Node):
    id: relay.NodeID[str] = strawberry.field(
        description="The command's global id: the gateway sends it back as `commandId` with "
        "the terminal's answer (recordTerminalEvents)."
    )
    kind: TerminalCommandKind = strawberry.field(description="What the terminal is asked to do.")
    status: TerminalCommandStatus = strawberry.field(description="Where the command is now.")
    requested_by_label: str | None = strawberry.field(
        description="Who asked for it (their e-mail), as the journal records it. Null (with "
        "FORBIDDEN) for the terminal gateway, which does not read it: nullable so that asking "
        "for it does not null the commands the gateway collects."
    )
    created_at: dt.datetime = strawberry.field(description="When it was asked for (UTC).")
    expires_at: dt.datetime = strawberry.field(
        description="When it expires if no answer has come (UTC): asked-at plus the partner's "
        "command expiry time."
    )
    sent_at: dt.datetime | None = strawberry.field(
        description="When the gateway collected it (UTC); null while QUEUED."
    )
    finished_at: dt.datetime | None = strawberry.field(
        description="When it became DONE, FAILED or EXPIRED (UTC)."
    )
    failure_reason: str | None = strawberry.field(
        description="FAILED only: why, as the terminal reported it."
    )

    @strawberry.field(description="The terminal it is for.")
    @to_one(rl.TerminalByIdLoader, "terminal_id")
    async def terminal(self, info: Info) -> Terminal | None: ...

    @strawberry.field(
        description="The staff account that asked for it (null for a platform administrator)."
    )
    async def requested_by(self, info: Info) -> UserT | None:
        if self.requested_by is None:
            return None
        user: Any = await info.context.loaders.get(rl.UserByIdLoader).load(self.requested_by)
        return user  # type: ignore[no-any-return]

    @strawberry.field(description="The terminal event that answered it (DONE or FAILED).")
    @to_one(rl.TerminalEventByIdLoader, "event_id")
    async def event(self, info: Info) -> TerminalEvent | None: ...


register_node("Terminal", rl.TerminalByIdLoader)
register_node("TerminalCommand", rl.TerminalCommandByIdLoader)
register_node("TerminalEvent", rl.TerminalEventByIdLoader)
