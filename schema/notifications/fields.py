"""`notifications`, `markNotificationsRead`, `updateNotificationPreferences` and the
`notificationReceived` subscription."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from db import enums as e
from db import models as m
from resolvers import notifications as rn
from resolvers.errors import BadUserInput, Text
from resolvers.pagination import Page, PageArgs
from schema import descriptions as d
from schema.descriptions import MUTATION_INPUT, user_errors_field
from schema.errors import UserError
from schema.lists import ListFilter, root_list
from schema.live.subscriptions import (
    _before_event,
    _check,
    _close,
    _closed_by_feed,
    _still_allowed,
)
from schema.mutations import actor_of, answer, attempt, input_id, mutation_field
from schema.notifications.types import Notification, NotificationKind, NotificationPreference
from schema.permissions import roles_note
from schema.relay import Connection
from subscriptions.broker import NOTIFICATIONS
from subscriptions.cursors import FeedCursor, InvalidCursor
from subscriptions.feeds import SubscriberClosed


@strawberry.input(description="Filter your notifications.")
class NotificationFilter:
    unread: bool | None = strawberry.field(
        default=None, description="true: unread only; false: read only."
    )
    kind: list[NotificationKind] | None = strawberry.field(
        default=None, description="Only notifications of one of these kinds."
    )


async def notifications(info: Info, page: PageArgs, f: NotificationFilter) -> Page[Any]:
    return await rn.list_notifications(
        info.context.db_session,
        info.context.require_principal(),
        rn.NotificationFilter(
            unread=f.unread,
            kind=[e.NotificationKind(k.value) for k in f.kind] if f.kind else None,
        ),
        page,
    )


@strawberry.type
class NotificationQuery:
    notifications: Connection[Notification] | None = root_list(
        notifications,
        "notifications",
        "Your notifications, newest first (kept 90 days).",
        filter=ListFilter(NotificationFilter, "notifications"),
    )


# --------------------------------------------------------------------------- mutations


@strawberry.input(description="Mark notifications read: the ones named, or all of yours.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Global IDs of your notifications to mark read (at most 100)."
    )
    all: bool = strawberry.field(
        default=False,
        description="True: mark every one of your notifications read (then leave `ids` out).",
    )


@strawberry.type(description="The result of `markNotificationsRead`.")
class MarkNotificationsReadPayload:
    notifications: list[Notification] | None = strawberry.field(
        description="The notifications named, now read."
    )
    unread_count: int | None = strawberry.field(description="How many of yours are unread now.")
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="A kind switched on or off; what is not given is kept.")
class NotificationPreferenceInput:
    kind: NotificationKind = strawberry.field(description="The kind of notification to switch.")
    in_app: bool | None = strawberry.field(
        default=None, description="Show it in the bell (and push it live)."
    )
    email: bool | None = strawberry.field(default=None, description="Send it by e-mail too.")


@strawberry.input(description="Your choices, kind by kind; the kinds not named keep theirs.")
class UpdateNotificationPreferencesInput:
    preferences: list[NotificationPreferenceInput] = strawberry.field(
        description="One entry per kind to change."
    )


@strawberry.type(description="The result of `updateNotificationPreferences`.")
class UpdateNotificationPreferencesPayload:
    preferences: list[NotificationPreference] | None = strawberry.field(
        description="Every kind you receive, with your choice."
    )
    user_errors: list[UserError] = user_errors_field()


async def mark_notifications_read(
    info: Info, input: Annotated[MarkNotificationsReadInput, MUTATION_INPUT]
) -> MarkNotificationsReadPayload:
    async def work() -> Any:
        ids = [
            input_id(info, value, "Notification", ["input", "ids", str(index)])
            for index, value in enumerate(input.ids or ())
        ]
        return await rn.mark_read(actor_of(info), ids, input.all)

    return await answer(info, work(), MarkNotificationsReadPayload, "notifications", "unread_count")


async def update_notification_preferences(
    info: Info, input: Annotated[UpdateNotificationPreferencesInput, MUTATION_INPUT]
) -> UpdateNotificationPreferencesPayload:
    async def work() -> Any:
        items = [
            rn.PreferenceData(kind=e.NotificationKind(p.kind.value), in_app=p.in_app, email=p.email)
            for p in input.preferences
        ]
        return await rn.update_preferences(actor_of(info), items)

    result, errors = await attempt(info, work())
    return UpdateNotificationPreferencesPayload(
        preferences=[NotificationPreference.of(p) for p in result] if result else None,
        user_errors=errors,
    )


@strawberry.type
class NotificationMutation:
    mark_notifications_read: MarkNotificationsReadPayload | None = mutation_field(
        mark_notifications_read,
        "markNotificationsRead",
        "Mark your notifications read: `ids`, or `all: true`.",
    )
    update_notification_preferences: UpdateNotificationPreferencesPayload | None = mutation_field(
        update_notification_preferences,
        "updateNotificationPreferences",
        "Switch kinds of notification on or off, in the app and by e-mail.",
    )


# --------------------------------------------------------------------------- subscription


@strawberry.type(description="A notification just made for you, with its commit-order cursor.")
class NotificationReceived:
    cursor: str = strawberry.field(
        description="Pass it as `after` to resume: nothing made after it is missed."
    )
    notification: Notification = strawberry.field(description="The notification.")


async def notification_received(
    info: Info, after: Annotated[str | None, d.RESUME_AFTER] = None
) -> AsyncGenerator[NotificationReceived, None]:
    context = _check(info, "notificationReceived")
    principal = context.require_principal()

    def predicate(row: m.Notification) -> bool:
        return rn.readable(principal, row)

    try:
        cursor = FeedCursor.decode(after) if after else None
    except InvalidCursor as exc:
        raise BadUserInput(Text("cursor_of_feed", feed="notificationReceived")) from exc
    rows = context.live.rows(NOTIFICATIONS, principal.tenant_id, predicate, cursor)
    try:
        async for row in rows:
            stop = await _still_allowed(info)
            if stop is not None:
                await _close(info, *stop)
                return
            await _before_event(info)
            yield NotificationReceived(cursor=FeedCursor.of(row).encode(), notification=row)
    except SubscriberClosed as closed:
        await _closed_by_feed(info, closed)
    finally:
        await rows.aclose()
        await context.finish(commit=True)


@strawberry.type
class NotificationSubscription:
    notification_received: NotificationReceived = strawberry.subscription(
        resolver=notification_received,
        description="Your notifications as they are made (on any instance). With `after`, "
        "first every one made after that cursor, then live. " + roles_note("notificationReceived"),
    )
