"""The User and Tenant types."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import enums as e
from db import models as m
from resolvers import account as ra
from resolvers import loaders as rl
from resolvers import requests as rr
from resolvers.requests import moves
from schema import descriptions as d
from schema.descriptions import After, Before, First, Last, described_enum
from schema.enums import RequestStatus, RequestType, Role, TenantStatus, UserStatus
from schema.guards import Guard, guarded
from schema.lazy import DocumentKindT, DocumentT, RequestDueTimeT, RequestT
from schema.notifications import types as notification_types
from schema.relay import Connection, model_backed, page_args, register_node
from tenancy import policy

RequestRelation = described_enum(
    rr.Relation,
    name="RequestRelation",
    description="How a person is related to a request.",
    values={
        "AUTHORED": "They wrote it.",
        "ASSIGNED": "It is assigned to them.",
        "ANY": "Either.",
    },
)


@strawberry.input(description="Which of a person's requests.")
class UserRequestFilter:
    relation: RequestRelation = strawberry.field(  # type: ignore[valid-type]
        default=rr.Relation.ANY,
        description="Those they wrote (AUTHORED), hold (ASSIGNED), or both (ANY).",
    )
    status: list[RequestStatus] | None = strawberry.field(
        default=None, description="Only requests in one of these statuses."
    )
    overdue: bool | None = strawberry.field(
        default=None, description="True: undecided and past `dueAt`; false: the others."
    )


@strawberry.type(description="A distribution partner (tenant).")
@model_backed(m.Tenant)
class Tenant(relay.Node):
    id: relay.NodeID[str]
    slug: str = strawberry.field(
        description="Short name of the partner, sent in the X-Tenant header by platform "
        "administrators."
    )
    name: str = strawberry.field(description="The partner's name, e.g. Monétik Alizés.")
    status: TenantStatus = strawberry.field(description="Whether the partner is in service.")
    heartbeat_interval_s: int = strawberry.field(
        name="heartbeatIntervalSeconds",
        description="Terminals turn OFFLINE after twice this without a heartbeat.",
    )
    default_currency: str = strawberry.field(
        description="ISO 4217 currency of new contracts (e.g. EUR)."
    )
    time_zone: str = strawberry.field(
        description="The partner's IANA time zone (e.g. `America/Guadeloupe`): "
        "`transactionStats` days and hours, terminals' `settlementTime` and the times written "
        "in diagnosis hints and notifications are local times of this zone; every other "
        "timestamp of the API is UTC."
    )
    notify_offline_after_minutes: int = strawberry.field(
        description="Minutes: technicians are told of a terminal OFFLINE for longer than this "
        "(15 by default; a supervisor sets it with `updateTenantSettings`). Read by the "
        "tenant's staff and the platform."
    )
    notify_options_pending_after_minutes: int = strawberry.field(
        description="Minutes: technicians are told of terminal options PENDING for longer "
        "than this (60 by default; `updateTenantSettings`). Read by the tenant's staff and "
        "the platform."
    )
    command_expiry_minutes: int = strawberry.field(
        description="A terminal command (sendTerminalCommand) not answered by the terminal "
        "gateway within this many minutes becomes EXPIRED (60 by default)."
    )
    created_at: dt.datetime = strawberry.field(
        description="When the platform created the tenant (UTC)."
    )
    version: int = d.version_field("tenant")

    @strawberry.field(
        description="The document kinds a company must have before its evaluation may be "
        "approved (`setEvaluationDocumentKinds`). Only inside this tenant (null elsewhere)."
    )
    async def evaluation_document_kinds(self, info: Info) -> list[DocumentKindT] | None:
        from schema.documents.types import evaluation_kinds

        if info.context.require_principal().tenant_id != self.id:
            return None
        return await evaluation_kinds(info)  # type: ignore[return-value]

    @strawberry.field(
        description="The partner's logo, drawn at the top of the first page of its contract "
        "documents and amendments (`setTenantLogo`; null: none). A PNG or JPEG image; "
        "download it with `url`. Only inside this tenant (null elsewhere)."
    )
    async def logo(self, info: Info) -> DocumentT | None:
        from schema.documents.types import tenant_logo

        if info.context.require_principal().tenant_id != self.id:
            return None
        return await tenant_logo(info)  # type: ignore[return-value]

    @strawberry.field(
        description="Within how many hours each type of request is handled "
        "(`setRequestDueTime`). Only inside this tenant (null elsewhere)."
    )
    async def request_due_times(self, info: Info) -> list[RequestDueTimeT] | None:
        from schema.requests.types import RequestDueTime

        if info.context.require_principal().tenant_id != self.id:
            return None
        due = await moves.list_due_times(info.context.db_session)
        return [RequestDueTime.of(d) for d in due]  # type: ignore[misc]


@strawberry.type(
    description="What the signed-in user may do, generated from the permission policy "
    "(docs/permissions.md): a client shows only these actions and fields."
)
class Permissions:
    operations: list[str] = strawberry.field(
        description="Root fields and mutations the user may run (e.g. `createCompany`)."
    )
    denied_fields: list[str] = strawberry.field(
        description='Fields the user may not read, as "Type.field" (they answer null with '
        "FORBIDDEN); a field an account reads on its own row (e.g. `User.lastLoginAt`) is "
        "listed when the role may not read it on others' rows."
    )
    masked_fields: list[str] = strawberry.field(
        description='Fields the user reads masked, as "Type.field" (e.g. an IBAN\'s last 4).'
    )
    request_types: list[RequestType] = strawberry.field(
        description="The request types the user may open with `createRequest`."
    )


_API_FIELDS: dict[int, tuple[str, ...]] = {}


def api_fields(schema: object) -> tuple[str, ...]:
    """Every "Type.field" of the API's object types (introspection's own left out)."""
    graphql_schema = schema._schema  # type: ignore[attr-defined]
    found = _API_FIELDS.get(id(graphql_schema))
    if found is None:
        found = tuple(
            f"{name}.{field}"
            for name, type_ in graphql_schema.type_map.items()
            if not name.startswith("__")
            and hasattr(type_, "fields")
            and hasattr(type_, "interfaces")
            for field in type_.fields
        )
        _API_FIELDS[id(graphql_schema)] = found
    return found


@strawberry.type(
    description="One login of an account (a browser, a device): what `me.sessions` lists. "
    "Its tokens are refused from the moment it ends (logout, revokeSession, a password "
    "change or reset) or expires."
)
class Session:
    created_at: dt.datetime = strawberry.field(description="When the password was typed.")
    last_used_at: dt.datetime = strawberry.field(
        description="When the session last obtained a token (login, refreshToken, "
        "changePassword): within one access token's lifetime of its last request."
    )
    expires_at: dt.datetime = strawberry.field(description="When it ends by itself.")
    user_agent: str | None = strawberry.field(description="The client's User-Agent at login.")
    address: str | None = strawberry.field(description="The client's address at login.")
    ended_at: dt.datetime | None = strawberry.field(
        name="endedAt", description="When it was ended (null while live)."
    )

    @strawberry.field(description="Opaque id, for revokeSession.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(relay.GlobalID("Session", str(self._id))))

    @strawberry.field(description="Whether this is the session of the request's own token.")
    def current(self, info: Info) -> bool:
        principal = info.context.principal
        return principal is not None and principal.session_id == self._id

    _id: strawberry.Private[object] = None

    @classmethod
    def of(cls, row: m.UserSession | m.PlatformSession) -> Session:
        return cls(
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            expires_at=row.expires_at,
            user_agent=row.user_agent,
            address=row.address,
            ended_at=row.revoked_at,
            _id=row.id,
        )


@strawberry.type(description="A staff account of a partner, or a platform administrator.")
@model_backed(m.User, m.PlatformUser)
class User(relay.Node):
    id: relay.NodeID[str]
    email: str = strawberry.field(description="Sign-in e-mail address, unique within the partner.")
    full_name: str = strawberry.field(description="First and last name, as colleagues see it.")
    role: Role = strawberry.field(description="What the account may do (docs/permissions.md).")
    status: UserStatus = strawberry.field(description="Whether the account may sign in.")
    phone: str | None = strawberry.field(
        description="Phone number, E.164 (e.g. +33612345678), if given."
    )
    created_at: dt.datetime = strawberry.field(description="When the account was created (UTC).")
    updated_at: dt.datetime = strawberry.field(description="When the account last changed (UTC).")
    version: int = d.version_field("account")
    last_login_at: dt.datetime | None = guarded(
        "User.lastLoginAt", "When the account last signed in with its password (UTC)."
    )
    language: str | None = strawberry.field(
        description="The language of this account's messages (`fr`/`en`), chosen with "
        "updateMyProfile; null: each request's Accept-Language (French by default)."
    )
    password_change_required: bool | None = guarded(
        "User.passwordChangeRequired",
        "A supervisor reset the password: the next login must choose a new one.",
    )

    @guarded("User.sessions", "This account's live sessions, newest first (at most 100).")
    async def sessions(self, info: Info) -> list[Session] | None:
        rows = await ra.my_sessions(info.context.db_session, info.context.require_principal())
        return [Session.of(row) for row in rows]

    unread_notification_count: int | None = guarded(
        "User.unreadNotificationCount",
        "Notifications not read yet (the bell's number).",
        resolver=notification_types.unread_notification_count,
    )
    notification_preferences: list[notification_types.NotificationPreference] | None = guarded(
        "User.notificationPreferences",
        "Each kind of notification you receive, in the app and by e-mail.",
        resolver=notification_types.notification_preferences,
    )

    @strawberry.field(
        description="What this account may do (read through `me`): the operations it may run "
        "and the fields it may not read or reads masked, from the permission policy.",
        extensions=[Guard("User.permissions")],
    )
    def permissions(self, info: Info) -> Permissions | None:
        found = policy.permissions_of(info.context.require_principal(), api_fields(info.schema))
        return Permissions(
            operations=list(found.operations),
            denied_fields=list(found.denied_fields),
            masked_fields=list(found.masked_fields),
            request_types=[e.RequestType(t) for t in found.request_types],  # type: ignore[misc]
        )

    @strawberry.field(
        description=(
            "The partner this account belongs to; for a platform administrator, the tenant it "
            "acts in (X-Tenant) when read through `me`, else null."
        )
    )
    async def tenant(self, info: Info) -> Tenant | None:
        if self.tenant_id is None:
            return None
        return await info.context.loaders.get(rl.TenantByIdLoader).load(self.tenant_id)

    @strawberry.field(
        description='This person\'s requests ("my requests"): those they wrote and those '
        "they hold (`filter.relation`, ANY by default), newest activity first."
    )
    async def requests(
        self,
        info: Info,
        filter: Annotated[UserRequestFilter | None, d.filter_arg("requests")] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[RequestT]:
        if self.tenant_id is None:
            return Connection.from_empty()
        f = filter or UserRequestFilter()
        wanted = rr.PersonRequestFilter(
            relation=rr.Relation(f.relation.value),
            status=tuple(dict.fromkeys(f.status or ())),
            overdue=f.overdue,
        )
        args = page_args(first, after, last, before)
        loader = info.context.loaders.get(rr.PersonRequestsLoader)
        return Connection.from_page(await loader.load((self.id, wanted, args)))


register_node("User", rl.UserByIdLoader)
