"""Notification, its kinds and preferences, and the fields `me` reads of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import enums as e
from db import models as m
from resolvers import notifications as rn
from schema.descriptions import described_enum
from schema.relay import load_node, model_backed

NotificationKind = described_enum(
    e.NotificationKind,
    name="NotificationKind",
    description="What a notification tells.",
    values={
        "REQUEST_ASSIGNED": "A request was assigned to you.",
        "REQUEST_COMMENTED": "Someone commented on a request you wrote or hold.",
        "REQUEST_DECIDED": "A request you wrote was approved or rejected.",
        "REQUEST_CLOSED": "A request you wrote was closed or cancelled.",
        "EVALUATION_APPROVED": "A merchant's evaluation was approved: its contract can be made.",
        "EVALUATION_REJECTED": "A merchant's evaluation was rejected.",
        "SERVICE_BLOCKED": "A payment service was blocked: its payments are declined.",
        "SERVICE_UNBLOCKED": "A payment service was unblocked.",
        "SERVICE_BLOCK_EXPIRED": "A service's block reached its end time: it takes payments again.",
        "TERMINAL_BLOCKED": "A terminal was blocked.",
        "TERMINAL_UNBLOCKED": "A terminal was unblocked.",
        "TERMINAL_BLOCK_EXPIRED": "A terminal's block reached its end time.",
        "TERMINAL_OFFLINE": "A terminal stopped sending heartbeats (OFFLINE).",
        "OPTIONS_PENDING": "A terminal's new options are still not applied on the device.",
        "FEE_CHANGE_REQUESTED": "A seller asked for a fee change on a contract.",
        "TERMINATION_REQUESTED": "Someone asked for a contract's termination.",
        "CONTRACT_SIGNED": "A contract was signed.",
        "EVALUATION_REQUESTED": "A seller asked for a merchant's evaluation (told to the "
        "supervisors, who decide it).",
    },
)


def reader_locale(info: Info) -> str:
    """The reader's language: their account's choice (updateMyProfile), else the request's
    (or WebSocket's) Accept-Language, else French."""
    return info.context.locale()  # type: ignore[no-any-return]


@strawberry.type(
    description="Something that happened that concerns you (the bell), in your language, "
    "with a link to the object it is about."
)
@model_backed(m.Notification)
class Notification(relay.Node):
    id: relay.NodeID[str]
    kind: NotificationKind = strawberry.field(
        description="What the notification tells (it decides its title, body and subject)."
    )
    created_at: dt.datetime = strawberry.field(description="When it was made (UTC).")
    read_at: dt.datetime | None = strawberry.field(
        description="When you marked it read (UTC); null while unread."
    )

    @strawberry.field(description="Whether it was marked read.")
    def read(self) -> bool:
        return self.read_at is not None

    @strawberry.field(description="One line, in the reader's language.")
    def title(self, info: Info) -> str:
        return rn.render(self.kind, self.params, reader_locale(info))[0]

    @strawberry.field(description="What happened, in the reader's language.")
    def body(self, info: Info) -> str:
        return rn.render(self.kind, self.params, reader_locale(info))[1]

    @strawberry.field(description="The global ID of the object it is about.")
    def subject_id(self) -> strawberry.ID:
        return strawberry.ID(str(relay.GlobalID(self.subject_type, str(self.subject_id))))

    @strawberry.field(
        description="The object it is about (a Request, Company, Contract, Service or "
        "Terminal), read as `node(id:)` reads it: null if it is gone."
    )
    async def subject(self, info: Info) -> relay.Node | None:
        gid = str(relay.GlobalID(self.subject_type, str(self.subject_id)))
        return await load_node(info, gid)  # type: ignore[no-any-return]


@strawberry.type(description="Your choice for one kind of notification.")
class NotificationPreference:
    kind: NotificationKind = strawberry.field(
        description="The kind of notification this choice is for."
    )
    in_app: bool = strawberry.field(description="Shown in the bell (and pushed live).")
    email: bool = strawberry.field(description="Sent by e-mail (when the server sends mail).")

    @classmethod
    def of(cls, p: rn.Preference) -> NotificationPreference:
        return cls(kind=p.kind, in_app=p.in_app, email=p.email)  # type: ignore[arg-type]


async def unread_notification_count(root: Any, info: Info) -> int:
    return await rn.unread_count(info.context.db_session, info.context.require_principal())


async def notification_preferences(root: Any, info: Info) -> list[NotificationPreference]:
    found = await rn.preferences(info.context.db_session, info.context.require_principal())
    return [NotificationPreference.of(p) for p in found]
