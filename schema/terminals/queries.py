"""Root fields `terminals` (the fleet view) and `terminalEvents`."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import commands as rc
from resolvers import terminals as rt
from resolvers.errors import BadUserInput, Text
from resolvers.usecase import Refused
from schema.enums import (
    Connectivity,
    OptionsStatus,
    OrderDirection,
    TerminalEventKind,
    TerminalKind,
    TerminalStatus,
)
from schema.lists import order_of
from schema.mutations import actor_of
from schema.permissions import allowed, roles_note
from schema.relay import Connection, optional_id, page_args
from schema.terminals.types import Terminal, TerminalCommand, TerminalEvent


@strawberry.input(description="Filter terminals across all merchants (the fleet view).")
class TerminalFilter:
    kind: TerminalKind | None = None
    status: list[TerminalStatus] | None = None
    connectivity: Connectivity | None = None
    options_status: OptionsStatus | None = None
    shop: relay.GlobalID | None = None
    company: relay.GlobalID | None = None
    model: str | None = None
    firmware_version: str | None = None
    app_version: str | None = None
    text: str | None = strawberry.field(default=None, description="Part of the TID or serial.")


@strawberry.enum
class TerminalOrderField(enum.Enum):
    TID = "TID"
    CREATED_AT = "CREATED_AT"


@strawberry.input
class TerminalOrder:
    field: TerminalOrderField
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Filter the technical journal.")
class TerminalEventFilter:
    terminal: relay.GlobalID | None = None
    kind: list[TerminalEventKind] | None = None
    occurred_from: dt.datetime | None = None
    occurred_to: dt.datetime | None = None


@strawberry.enum
class TerminalEventOrderField(enum.Enum):
    OCCURRED_AT = "OCCURRED_AT"


@strawberry.input
class TerminalEventOrder:
    field: TerminalEventOrderField
    direction: OrderDirection = OrderDirection.DESC


async def terminals(
    info: Info,
    filter: TerminalFilter | None = None,
    order_by: TerminalOrder | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Terminal]:
    f = filter or TerminalFilter()
    page = await rt.list_terminals(
        info.context.db_session,
        rt.TerminalFilter(
            kind=f.kind,
            status=f.status,
            connectivity=f.connectivity,
            options_status=f.options_status,
            shop=optional_id(f.shop, "Shop", "filter.shop"),
            company=optional_id(f.company, "Company", "filter.company"),
            model=f.model,
            firmware_version=f.firmware_version,
            app_version=f.app_version,
            text=f.text,
        ),
        order_of(order_by, ("TID", False)),
        page_args(first, after, last, before),
    )
    return Connection.from_page(page)


async def terminal_events(
    info: Info,
    filter: TerminalEventFilter | None = None,
    order_by: TerminalEventOrder | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[TerminalEvent]:
    f = filter or TerminalEventFilter()
    page = await rt.list_terminal_events(
        info.context.db_session,
        rt.TerminalEventFilter(
            terminal=optional_id(f.terminal, "Terminal", "filter.terminal"),
            kind=f.kind,
            occurred_from=f.occurred_from,
            occurred_to=f.occurred_to,
        ),
        order_of(order_by, ("OCCURRED_AT", True)),
        page_args(first, after, last, before),
    )
    return Connection.from_page(page)


async def pending_terminal_commands(
    info: Info,
    first: Annotated[
        int | None,
        strawberry.argument(description="At most this many commands (1 to 100; 100 when omitted)."),
    ] = None,
    tids: Annotated[
        list[str] | None,
        strawberry.argument(
            description="Only the commands of these terminals (TIDs); every terminal when omitted."
        ),
    ] = None,
) -> list[TerminalCommand]:
    try:
        return await rc.collect_pending(actor_of(info), first, tids)  # type: ignore[return-value]
    except Refused as refused:
        raise BadUserInput(Text("first_range", max=rc.MAX_PENDING)) from refused


@strawberry.type
class TerminalQuery:
    terminals: Connection[Terminal] | None = strawberry.field(
        resolver=terminals,
        description="Terminals of every merchant (fleet view). " + roles_note("terminals"),
        extensions=allowed("terminals"),
    )
    terminal_events: Connection[TerminalEvent] | None = strawberry.field(
        resolver=terminal_events,
        description="The technical journal, newest first. " + roles_note("terminalEvents"),
        extensions=allowed("terminalEvents"),
    )
    pending_terminal_commands: list[TerminalCommand] | None = strawberry.field(
        resolver=pending_terminal_commands,
        description="For the terminal gateway: the commands queued for terminals, oldest "
        "first. A reading that writes: each command returned is marked SENT in the same "
        "transaction, so it is handed out once (to one gateway, even when several ask at "
        "once); a SENT command is not handed out again and EXPIRES if never answered. "
        "Answer each with the terminal's event and its `commandId` (recordTerminalEvents). "
        + roles_note("pendingTerminalCommands"),
        extensions=allowed("pendingTerminalCommands"),
    )
