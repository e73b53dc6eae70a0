"""Terminal (PAX or SoftPOS), its options versions, and its technical events."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models as m
from resolvers import commands as rc
from resolvers import loaders as rl
from resolvers import terminals as rt
from resolvers import transactions as rtx
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
from schema.execution import to_one
from schema.guards import guarded
from schema.lists import child_connection
from schema.merchants.types import audit_history
from schema.relay import Connection, model_backed, register_node

if TYPE_CHECKING:
    from schema.audit.types import AuditEvent
    from schema.auth.types import User
    from schema.contracts.types import Service
    from schema.merchants.types import Shop
    from schema.transactions.types import Transaction

AuditEventT = Annotated["AuditEvent", strawberry.lazy("schema.audit.types")]
ServiceT = Annotated["Service", strawberry.lazy("schema.contracts.types")]
ShopT = Annotated["Shop", strawberry.lazy("schema.merchants.types")]
TransactionT = Annotated["Transaction", strawberry.lazy("schema.transactions.types")]
UserT = Annotated["User", strawberry.lazy("schema.auth.types")]


@strawberry.type(description="One version of a PAX terminal's options.")
@model_backed(m.TerminalOptions)
class TerminalOptions:
    version_number: int
    contactless: bool
    tipping: bool
    cashback: bool
    pre_authorization: bool
    manual_entry: bool
    receipt_mode: ReceiptMode
    language: str
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None = strawberry.field(
        description="When the device downloaded this version (PARAMETERS_DOWNLOADED)."
    )

    @strawberry.field(description="Daily settlement time (télécollecte), HH:MM, UTC.")
    def settlement_time(self) -> str:
        return self.settlement_time.strftime("%H:%M")


@strawberry.type(description="A PAX card terminal or a SoftPOS (Tap to Pay) phone.")
@model_backed(m.Terminal, rtx.TerminalRecord)
class Terminal(relay.Node):
    id: relay.NodeID[str]
    kind: TerminalKind
    tid: str = strawberry.field(description="Terminal ID: 8 characters, unique per partner.")
    serial_number: str | None
    model: str | None = strawberry.field(description="PAX model, or the phone's model.")
    os_version: str | None
    firmware_version: str | None
    app_version: str | None
    status: TerminalStatus
    blocked_reason: str | None
    blocked_until: dt.datetime | None
    last_seen_at: dt.datetime | None
    last_heartbeat_at: dt.datetime | None
    applied_options_version: int | None
    options_applied_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @strawberry.field
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

    @strawberry.field(description="The terminal's transactions, newest first.")
    async def transactions(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[TransactionT]:
        return await child_connection(
            info, rtx.TERMINAL_TRANSACTIONS, self.id, first, after, last, before
        )

    @guarded("Terminal.events", "The technical journal, newest first.")
    async def events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[TerminalEvent] | None:
        return await child_connection(info, rt.TERMINAL_EVENTS, self.id, first, after, last, before)

    @guarded(
        "Terminal.commands",
        "Commands sent to this terminal (sendTerminalCommand), newest first, with their "
        "state: QUEUED, SENT, DONE, FAILED or EXPIRED.",
    )
    async def commands(
        self,
        info: Info,
        first: Annotated[
            int | None, strawberry.argument(description="The newest N commands (at most 100).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="A cursor: the commands after it.")
        ] = None,
        last: Annotated[
            int | None, strawberry.argument(description="The oldest N commands (at most 100).")
        ] = None,
        before: Annotated[
            str | None, strawberry.argument(description="A cursor: the commands before it.")
        ] = None,
    ) -> Connection[TerminalCommand] | None:
        return await child_connection(
            info, rc.TERMINAL_COMMANDS, self.id, first, after, last, before
        )

    @strawberry.field(description="The terminal's business journal, newest first.")
    async def audit_events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[AuditEventT]:
        return await audit_history(info, self.id, first, after, last, before)


@strawberry.type(description="A technical event reported by a terminal.")
@model_backed(m.TerminalEvent)
class TerminalEvent(relay.Node):
    id: relay.NodeID[str]
    kind: TerminalEventKind
    code: str | None
    message: str | None
    occurred_at: dt.datetime
    recorded_at: dt.datetime

    @strawberry.field
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
