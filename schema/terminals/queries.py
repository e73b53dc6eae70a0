"""Root fields `terminals` (the fleet view) and `terminalEvents`."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import commands as rc
from resolvers import terminals as rt
from resolvers.errors import BadUserInput, Text
from resolvers.pagination import Page, PageArgs
from resolvers.usecase import Refused
from schema import descriptions as d
from schema.enums import (
    Connectivity,
    OptionsStatus,
    OrderDirection,
    TerminalEventKind,
    TerminalKind,
    TerminalStatus,
)
from schema.lists import ListFilter, ListOrder, root_list
from schema.methods import writes_when_read
from schema.mutations import actor_of
from schema.permissions import allowed, roles_note
from schema.relay import Connection, optional_id
from schema.terminals.types import Terminal, TerminalCommand, TerminalEvent


@strawberry.input(description="Filter terminals across all merchants (the fleet view).")
class TerminalFilter:
    kind: TerminalKind | None = strawberry.field(
        default=None, description="Only PAX terminals, or only SoftPOS phones."
    )
    status: list[TerminalStatus] | None = strawberry.field(
        default=None, description="Only terminals in one of these statuses."
    )
    connectivity: Connectivity | None = strawberry.field(
        default=None, description="Only ONLINE, or only OFFLINE terminals."
    )
    options_status: OptionsStatus | None = strawberry.field(
        default=None, description="Only terminals whose latest options are PENDING, or APPLIED."
    )
    shop: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a shop: only its terminals."
    )
    company: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a company: only the terminals of its shops."
    )
    model: str | None = strawberry.field(
        default=None, description="Part of the model name (case-insensitive)."
    )
    firmware_version: str | None = strawberry.field(
        default=None, description="Exactly this firmware version."
    )
    app_version: str | None = strawberry.field(
        default=None, description="Exactly this payment application version."
    )
    text: str | None = strawberry.field(default=None, description="Part of the TID or serial.")


@d.described_enum(
    description="What terminals can be sorted by.",
    values={
        "TID": "Terminal ID.",
        "CREATED_AT": "When they were registered.",
    },
)
class TerminalOrderField(enum.Enum):
    TID = "TID"
    CREATED_AT = "CREATED_AT"


@strawberry.input(description="How to sort terminals.")
class TerminalOrder:
    field: TerminalOrderField = d.order_field("terminals")
    direction: OrderDirection = d.order_direction(OrderDirection.ASC)


@strawberry.input(description="Filter the technical journal.")
class TerminalEventFilter:
    terminal: relay.GlobalID | None = strawberry.field(
        default=None, description="Global ID of a terminal: only its events."
    )
    kind: list[TerminalEventKind] | None = strawberry.field(
        default=None, description="Only events of one of these kinds."
    )
    occurred_from: dt.datetime | None = strawberry.field(
        default=None, description="Only events that happened at or after this time (UTC)."
    )
    occurred_to: dt.datetime | None = strawberry.field(
        default=None, description="Only events that happened before this time (UTC)."
    )


@d.described_enum(
    description="What terminal events can be sorted by.",
    values={
        "OCCURRED_AT": "When they happened on the device.",
    },
)
class TerminalEventOrderField(enum.Enum):
    OCCURRED_AT = "OCCURRED_AT"


@strawberry.input(description="How to sort terminal events.")
class TerminalEventOrder:
    field: TerminalEventOrderField = d.order_field("events")
    direction: OrderDirection = d.order_direction(OrderDirection.DESC)


def terminal_filter(given: TerminalFilter | None) -> rt.TerminalFilter:
    """The list's filter as the use case takes it (the CSV export takes the same)."""
    f = given or TerminalFilter()
    return rt.TerminalFilter(
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
    )


async def terminals(
    info: Info, page: PageArgs, f: TerminalFilter, order: tuple[str, bool]
) -> Page[Any]:
    return await rt.list_terminals(info.context.db_session, terminal_filter(f), order, page)


async def terminal_events(
    info: Info, page: PageArgs, f: TerminalEventFilter, order: tuple[str, bool]
) -> Page[Any]:
    return await rt.list_terminal_events(
        info.context.db_session,
        rt.TerminalEventFilter(
            terminal=optional_id(f.terminal, "Terminal", "filter.terminal"),
            kind=f.kind,
            occurred_from=f.occurred_from,
            occurred_to=f.occurred_to,
        ),
        order,
        page,
    )


@strawberry.type(description="How many terminals of one status.")
class TerminalStatusCount:
    status: TerminalStatus = strawberry.field(description="The status.")
    count: int = strawberry.field(description="How many terminals are in it.")


@strawberry.type(
    description="The fleet at a glance: how many terminals the filter selects, and of them how "
    "many are offline, have options pending, are blocked, and per status. Each agrees with "
    "`terminals(filter:)`'s `totalCount` for the same filter narrowed to it."
)
class TerminalCounts:
    total: int = strawberry.field(description="Terminals the filter selects.")
    online: int = strawberry.field(description="Of them, ONLINE (as `Terminal.connectivity`).")
    offline: int = strawberry.field(
        description="Of them, OFFLINE (as `Terminal.connectivity`: no heartbeat for more than "
        "twice the interval, or none yet; whatever their status)."
    )
    options_pending: int = strawberry.field(
        description="Of them, with options PENDING (as `Terminal.optionsStatus`)."
    )
    blocked: int = strawberry.field(description="Of them, BLOCKED.")
    by_status: list[TerminalStatusCount] = strawberry.field(
        description="Of them, how many per status: every status, in lifecycle order, zeros "
        "included."
    )


async def terminal_counts(
    info: Info,
    filter: Annotated[
        TerminalFilter | None,
        strawberry.argument(description="Which terminals to count, as for `terminals`."),
    ] = None,
) -> TerminalCounts | None:
    counted = await rt.count_terminals(info.context.db_session, terminal_filter(filter))
    return TerminalCounts(
        total=counted.total,
        online=counted.online,
        offline=counted.offline,
        options_pending=counted.options_pending,
        blocked=counted.blocked,
        by_status=[
            TerminalStatusCount(status=status, count=n) for status, n in counted.by_status.items()
        ],
    )


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


#: The list's `orderBy` (its CSV export takes the same: schema/exports.py).
TERMINALS_ORDER = ListOrder(TerminalOrder, ("TID", False), "TID, ascending")


@strawberry.type
class TerminalQuery:
    terminals: Connection[Terminal] | None = root_list(
        terminals,
        "terminals",
        "Terminals of every merchant (fleet view).",
        filter=ListFilter(TerminalFilter, "terminals"),
        order=TERMINALS_ORDER,
    )
    terminal_counts: TerminalCounts | None = strawberry.field(
        resolver=terminal_counts,
        description="How many terminals, offline, with options pending, blocked and per status "
        "(the fleet view's figures at a glance), in one reading. " + roles_note("terminalCounts"),
        extensions=allowed("terminalCounts"),
    )
    terminal_events: Connection[TerminalEvent] | None = root_list(
        terminal_events,
        "terminalEvents",
        "The technical journal, newest first.",
        filter=ListFilter(TerminalEventFilter, "events"),
        order=ListOrder(TerminalEventOrder, ("OCCURRED_AT", True), "newest first"),
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
        # It marks what it returns SENT: never over GET (schema/methods.py).
        metadata=writes_when_read(),
    )
