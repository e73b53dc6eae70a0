"""Subscriptions: transactionRecorded, terminalEventRecorded, terminalStatusChanged.

Each event is executed with the subscriber's own context (their role's field permissions,
a fresh transaction with their tenant's claims, fresh loaders). Before every event the
subscriber's token expiry and account are checked: an expired or revoked subscriber is
closed. A subscriber the feed drops for being too slow is closed with its last cursor in the
close reason, to resume with `after:`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from db import models as m
from db.enums import UserStatus
from resolvers import terminals as rt
from resolvers import transactions as rtx
from resolvers.errors import BadUserInput, Text
from resolvers.loaders import TerminalByIdLoader
from schema import descriptions as d
from schema.enums import Connectivity, OptionsStatus
from schema.permissions import Allowed, roles_note
from schema.relay import optional_id
from schema.terminals.queries import TerminalFilter
from schema.terminals.types import Terminal, TerminalEvent
from schema.transactions.queries import TransactionFilter
from schema.transactions.types import Transaction
from subscriptions.broker import TERMINAL_EVENTS, TRANSACTIONS
from subscriptions.cursors import FeedCursor, InvalidCursor
from subscriptions.feeds import SubscriberClosed

#: WebSocket close codes (4000-4999: the application's own).
CLOSE_TOKEN_EXPIRED = 4401
CLOSE_REVOKED = 4403
CLOSE_TOO_SLOW = 4408
CLOSE_GOING_AWAY = 1001


@strawberry.type(description="A transaction just recorded, with its commit-order cursor.")
class TransactionRecorded:
    cursor: str = strawberry.field(
        description="Pass it as `after` to resume: nothing recorded after it is missed."
    )
    transaction: Transaction = strawberry.field(description="The transaction.")


@strawberry.type(description="A terminal event just recorded, with its commit-order cursor.")
class TerminalEventRecorded:
    cursor: str = strawberry.field(
        description="Pass it as `after` to resume: nothing recorded after it is missed."
    )
    event: TerminalEvent = strawberry.field(description="The event.")


@strawberry.type(description="A terminal's connectivity or options status changed.")
class TerminalStatusChange:
    terminal: Terminal = strawberry.field(description="The terminal whose status changed.")
    connectivity: Connectivity = strawberry.field(description="Its connectivity now.")
    options_status: OptionsStatus | None = strawberry.field(
        description="Whether its latest options are applied on the device; null when it has none "
        "(SoftPOS)."
    )
    observed_at: dt.datetime = strawberry.field(description="When Spring saw the change (UTC).")


@strawberry.input(description="Filter terminal events.")
class TerminalEventSubscriptionFilter:
    terminal: strawberry.ID | None = strawberry.field(
        default=None, description="Global ID of a terminal: only its events."
    )
    kind: list[str] | None = strawberry.field(
        default=None, description="Only events of these kinds (TerminalEventKind names)."
    )


def _check(info: Info, operation: str) -> Any:
    Allowed(operation).has_permission(None, info)
    context = info.context
    if context.live is None:
        raise BadUserInput(Text("live_unavailable"))
    return context


async def _close(info: Info, code: int, reason: str) -> None:
    """Close the connection with a reason, then wait for its teardown to cancel us (the
    operation must not try to send `complete` on a closed socket)."""
    close = info.context.close_connection
    if close is not None:
        await close(code, reason)
        await asyncio.Future()


async def _closed_by_feed(info: Info, closed: SubscriberClosed) -> None:
    """The feed dropped this subscriber: say why, and where to resume (`after=<cursor>`)."""
    resume = f" after={closed.cursor.encode()}" if closed.cursor else ""
    code = CLOSE_GOING_AWAY if "shutting down" in closed.reason else CLOSE_TOO_SLOW
    await _close(info, code, closed.reason + resume)


async def _still_allowed(info: Info) -> tuple[int, str] | None:
    return await still_allowed(info.context)


async def still_allowed(context: Any) -> tuple[int, str] | None:
    """Why this subscriber must stop now (token expired, account revoked), or None."""
    now = dt.datetime.now(dt.UTC)
    if context.token_expires_at is not None and now >= context.token_expires_at:
        return CLOSE_TOKEN_EXPIRED, "token expired: log in again and resume with `after`"
    principal = context.principal
    live = context.live
    recheck = live.recheck_before is not None and context.authenticated_at < live.recheck_before
    if live.is_revoked(principal.user_id, context.authenticated_at) or recheck:
        async with context.db_session() as session:
            if principal.is_platform:
                user = await session.get(m.PlatformUser, principal.user_id)
            else:
                user = await session.get(m.User, (principal.tenant_id, principal.user_id))
            # The connection's own session (logout, revokeSession, a password change or
            # reset end it): ended, the connection ends too.
            sessions = m.PlatformSession if principal.is_platform else m.UserSession
            key = (
                principal.session_id
                if principal.is_platform
                else (principal.tenant_id, principal.session_id)
            )
            own = await session.get(sessions, key) if principal.session_id else None
        if (
            user is None
            or user.status is not UserStatus.ACTIVE
            or (not principal.is_platform and user.role is not principal.role)
        ):
            return CLOSE_REVOKED, "account changed or deactivated"
        if own is None or own.revoked_at is not None or own.expires_at <= now:
            return CLOSE_REVOKED, "session ended: log in again"
        context.authenticated_at = now
    return None


async def _before_event(info: Info) -> None:
    context = info.context
    await context.finish(commit=True)
    context.fresh_event()


async def transaction_recorded(
    info: Info,
    filter: Annotated[TransactionFilter | None, d.filter_arg("transactions")] = None,
    after: Annotated[str | None, d.RESUME_AFTER] = None,
) -> AsyncGenerator[TransactionRecorded, None]:
    context = _check(info, "transactionRecorded")
    predicate = rtx.transaction_predicate((filter or TransactionFilter()).to_domain())
    try:
        cursor = FeedCursor.decode(after) if after else None
    except InvalidCursor as exc:
        raise BadUserInput(Text("cursor_of_feed", feed="transactionRecorded")) from exc
    rows = context.live.rows(TRANSACTIONS, context.principal.tenant_id, predicate, cursor)
    # A cohort's own context: cohorts differing only by `filter` share each row's execution.
    share = context.live_share
    try:
        async for row in rows:
            stop = await _still_allowed(info)
            if stop is not None:
                await _close(info, *stop)
                return
            row_cursor = FeedCursor.of(row).encode()
            if share is not None and await share.delivered(row_cursor):
                continue  # executed by another cohort of its family, written as it was
            await _before_event(info)
            yield TransactionRecorded(cursor=row_cursor, transaction=row)
    except SubscriberClosed as closed:
        await _closed_by_feed(info, closed)
    finally:
        await rows.aclose()
        await context.finish(commit=True)


async def terminal_event_recorded(
    info: Info,
    filter: Annotated[TerminalEventSubscriptionFilter | None, d.filter_arg("events")] = None,
    after: Annotated[str | None, d.RESUME_AFTER] = None,
) -> AsyncGenerator[TerminalEventRecorded, None]:
    context = _check(info, "terminalEventRecorded")
    f = filter or TerminalEventSubscriptionFilter()
    terminal_id = optional_id(f.terminal, "Terminal", "filter.terminal") if f.terminal else None
    kinds = set(f.kind or ())

    def predicate(row: m.TerminalEvent) -> bool:
        return (terminal_id is None or row.terminal_id == terminal_id) and (
            not kinds or row.kind.value in kinds
        )

    try:
        cursor = FeedCursor.decode(after) if after else None
    except InvalidCursor as exc:
        raise BadUserInput(Text("cursor_of_feed", feed="terminalEventRecorded")) from exc
    rows = context.live.rows(TERMINAL_EVENTS, context.principal.tenant_id, predicate, cursor)
    # A cohort's own context: cohorts differing only by `filter` share each row's execution.
    share = context.live_share
    try:
        async for row in rows:
            stop = await _still_allowed(info)
            if stop is not None:
                await _close(info, *stop)
                return
            row_cursor = FeedCursor.of(row).encode()
            if share is not None and await share.delivered(row_cursor):
                continue  # executed by another cohort of its family, written as it was
            await _before_event(info)
            yield TerminalEventRecorded(cursor=row_cursor, event=row)
    except SubscriberClosed as closed:
        await _closed_by_feed(info, closed)
    finally:
        await rows.aclose()
        await context.finish(commit=True)


async def terminal_status_changed(
    info: Info,
    filter: Annotated[
        TerminalFilter | None,
        strawberry.argument(
            description="Only changes of matching terminals: its `shop`, `kind` and "
            "`connectivity` fields apply here, the others are ignored. Without it, every "
            "terminal of the tenant."
        ),
    ] = None,
) -> AsyncGenerator[TerminalStatusChange, None]:
    context = _check(info, "terminalStatusChanged")
    f = filter or TerminalFilter()
    shop = optional_id(f.shop, "Shop", "filter.shop")
    wanted_kind = f.kind
    subscriber = context.live.subscribe_status(context.principal.tenant_id)
    try:
        while True:
            ids = await subscriber.queue.get()
            if ids is None:
                reason = subscriber.closed or "closed"
                code = CLOSE_GOING_AWAY if "shutting down" in reason else CLOSE_TOO_SLOW
                await _close(info, code, reason)
                return
            stop = await _still_allowed(info)
            if stop is not None:
                await _close(info, *stop)
                return
            await _before_event(info)
            terminals = await context.loaders.get(TerminalByIdLoader).load_many(ids)
            intervals = context.loaders.get(rt.HeartbeatIntervalByTenantIdLoader)
            versions = context.loaders.get(rt.TerminalOptionsByTerminalIdLoader)
            for terminal in terminals:
                if terminal is None:
                    continue
                if shop is not None and terminal.shop_id != shop:
                    continue
                if wanted_kind is not None and terminal.kind.value != wanted_kind.value:
                    continue
                interval = await intervals.load(terminal.tenant_id)
                options = await versions.load(terminal.id)
                latest = options[0].version_number if options else None
                status = rt.options_status_of(latest, terminal.applied_options_version)
                connectivity = rt.connectivity_of(terminal.last_heartbeat_at, interval)
                if f.connectivity is not None and connectivity.value != f.connectivity.value:
                    continue
                yield TerminalStatusChange(
                    terminal=terminal,  # type: ignore[arg-type]
                    connectivity=connectivity,
                    options_status=status,
                    observed_at=dt.datetime.now(dt.UTC),
                )
    finally:
        context.live.unsubscribe_status(subscriber)
        await context.finish(commit=True)


@strawberry.type
class LiveSubscription:
    transaction_recorded: TransactionRecorded = strawberry.subscription(
        resolver=transaction_recorded,
        description="Transactions as they are recorded, filtered like `transactions`. With "
        "`after`, first every transaction recorded after that cursor, then live. "
        + roles_note("transactionRecorded"),
    )
    terminal_event_recorded: TerminalEventRecorded = strawberry.subscription(
        resolver=terminal_event_recorded,
        description="Terminal events as they are recorded (the technical journal, live). "
        + roles_note("terminalEventRecorded"),
    )
    terminal_status_changed: TerminalStatusChange = strawberry.subscription(
        resolver=terminal_status_changed,
        description="Connectivity (ONLINE/OFFLINE, detected when heartbeats stop) and options "
        "status changes of terminals. " + roles_note("terminalStatusChanged"),
    )
