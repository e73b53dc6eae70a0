"""`login`, `refreshToken`, `me`, `users`, `tenants`, and the Relay `node`/`nodes` fields."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from db.models import PlatformUser
from db.models import User as UserModel
from resolvers import auth
from resolvers import throttle as rt
from resolvers import users as ru
from resolvers.messages import locale_from
from resolvers.pagination import Page, PageArgs
from schema import descriptions as d
from schema.auth.types import Tenant, User
from schema.descriptions import MUTATION_INPUT, user_errors_field
from schema.enums import OrderDirection, Role, UserStatus
from schema.errors import UserError, user_errors
from schema.lists import ListFilter, ListOrder, root_list
from schema.permissions import allowed, roles_note
from schema.relay import Connection, resolve_node, resolve_nodes


@strawberry.input(description="E-mail and password of a staff account.")
class LoginInput:
    email: str = strawberry.field(
        description="The account's e-mail address (case does not matter)."
    )
    password: str = strawberry.field(
        description="The account's password, or a supervisor's one-time code after a reset."
    )
    tenant: str | None = strawberry.field(
        default=None,
        description="The partner's slug, only needed when the e-mail has accounts with several.",
    )


@strawberry.type(description="The result of `login` and `refreshToken`: tokens, or why not.")
class LoginPayload:
    token: str | None = strawberry.field(
        description="Send it as `Authorization: Bearer <token>` (or in `connection_init`)."
    )
    expires_at: dt.datetime | None = strawberry.field(
        description="When `token` stops being accepted (UTC)."
    )
    refresh_token: str | None = strawberry.field(
        default=None,
        description="Exchange it with `refreshToken` for a new token before `expiresAt`; "
        "single-use, valid until `refreshExpiresAt` (then log in again).",
    )
    refresh_expires_at: dt.datetime | None = strawberry.field(
        default=None, description="When `refreshToken` stops being accepted (UTC)."
    )
    retry_after: dt.datetime | None = strawberry.field(
        default=None,
        description="Set when too many attempts failed (TOO_MANY_ATTEMPTS): when to try again.",
    )
    user: User | None = strawberry.field(description="The signed-in account; null when refused.")
    user_errors: list[UserError] = user_errors_field()
    password_change_required: bool = strawberry.field(
        default=False,
        description="The password was a supervisor's one-time code (resetUserPassword): the "
        "token is good only for changePassword (with the code as `currentPassword`), `me` "
        "and `logout`, until `expiresAt`; no refresh token is given. changePassword answers "
        "with the session's full tokens.",
    )


def _payload(outcome: auth.LoginOutcome) -> LoginPayload:
    if outcome.errors:
        return LoginPayload(
            token=None,
            expires_at=None,
            retry_after=outcome.retry_at,
            user=None,
            user_errors=user_errors(outcome.errors),
        )
    return LoginPayload(
        token=outcome.token,
        expires_at=outcome.expires_at,
        refresh_token=outcome.refresh_token,
        refresh_expires_at=outcome.refresh_expires_at,
        user=outcome.user,  # type: ignore[arg-type]
        user_errors=[],
        password_change_required=outcome.password_change_required,
    )


def _client_address(info: Info) -> str | None:
    client = getattr(info.context.request, "client", None)
    return client.host if client else None


async def login(info: Info, input: Annotated[LoginInput, MUTATION_INPUT]) -> LoginPayload:
    context = info.context
    outcome = await auth.login(
        context.db,
        email=input.email,
        password=input.password,
        tenant_slug=input.tenant,
        secret=context.auth.secrets[0],
        lifetime=context.auth.token_lifetime,
        refresh_lifetime=getattr(
            context.auth, "refresh_token_lifetime", auth.DEFAULT_REFRESH_LIFETIME
        ),
        throttle=getattr(context, "login_throttle", None) or rt.LOGIN_THROTTLE,
        address=_client_address(info),
        locale=locale_from(context.request.headers.get("accept-language")),
        user_agent=context.request.headers.get("user-agent"),
    )
    if outcome.retry_at is not None and context.response is not None:
        seconds = max(1, int((outcome.retry_at - dt.datetime.now(dt.UTC)).total_seconds()))
        context.response.headers["Retry-After"] = str(seconds)
    if not outcome.errors:
        context.principal = outcome.principal
    return _payload(outcome)


@strawberry.input(description="A refresh token from `login` or from an earlier `refreshToken`.")
class RefreshTokenInput:
    refresh_token: str = strawberry.field(
        description="The refresh token of the last `login` or `refreshToken` answer (single use)."
    )


async def refresh_token(
    info: Info, input: Annotated[RefreshTokenInput, MUTATION_INPUT]
) -> LoginPayload:
    context = info.context
    outcome = await auth.refresh(
        context.db,
        refresh_token=input.refresh_token,
        secrets=context.auth.secrets,
        lifetime=context.auth.token_lifetime,
        spent=getattr(context, "spent_tokens", None) or rt.SPENT_REFRESH_TOKENS,
        locale=locale_from(context.request.headers.get("accept-language")),
    )
    if not outcome.errors:
        context.principal = outcome.principal
    return _payload(outcome)


async def me(info: Info) -> User | None:
    principal = info.context.require_principal()
    async with info.context.db_session() as session:
        model: UserModel | PlatformUser | None
        if principal.is_platform:
            model = await session.get(PlatformUser, principal.user_id)
            if model is not None and principal.tenant_id is not None:
                # Acting inside a tenant (X-Tenant): `me.tenant` is the tenant acted in.
                model.tenant_id = principal.tenant_id  # type: ignore[misc]
        else:
            model = await session.get(UserModel, (principal.tenant_id, principal.user_id))
    return model  # type: ignore[return-value]


@strawberry.input(description="Filter staff accounts.")
class UserFilter:
    role: list[Role] | None = strawberry.field(
        default=None, description="Only accounts with one of these roles."
    )
    status: list[UserStatus] | None = strawberry.field(
        default=None, description="Only accounts in one of these statuses."
    )
    text: str | None = strawberry.field(default=None, description="Part of e-mail or name.")


@d.described_enum(
    description="What staff accounts can be sorted by.",
    values={
        "EMAIL": "E-mail address, alphabetically.",
        "CREATED_AT": "When they were created.",
    },
)
class UserOrderField(enum.Enum):
    EMAIL = "EMAIL"
    CREATED_AT = "CREATED_AT"


@strawberry.input(description="How to sort staff accounts.")
class UserOrder:
    field: UserOrderField = d.order_field("accounts")
    direction: OrderDirection = d.order_direction(OrderDirection.ASC)


async def users(info: Info, page: PageArgs, f: UserFilter, order: tuple[str, bool]) -> Page[Any]:
    return await ru.list_users(
        info.context.db_session,
        ru.UserFilter(role=f.role, status=f.status, text=f.text),
        order,
        page,
    )


async def tenants(info: Info, page: PageArgs) -> Page[Any]:
    return await ru.list_tenants(info.context.db_session, page)


async def node(
    info: Info,
    id: Annotated[
        relay.GlobalID,
        strawberry.argument(description="The object's global ID, as read from its `id` field."),
    ],
) -> relay.Node | None:
    found: Any = await resolve_node(info, strawberry.ID(str(id)))
    return found


async def nodes(
    info: Info,
    ids: Annotated[
        list[relay.GlobalID],
        strawberry.argument(description="Global IDs, at most 100; answers come in this order."),
    ],
) -> list[relay.Node | None]:
    found: Any = await resolve_nodes(info, [strawberry.ID(str(i)) for i in ids])
    return found


@strawberry.type
class AuthQuery:
    me: User | None = strawberry.field(
        resolver=me,
        description="The signed-in user. " + roles_note("me"),
        extensions=allowed("me"),
    )
    node: relay.Node | None = strawberry.field(
        resolver=node,
        description="Any object by its global ID; NOT_FOUND when it does not exist or is not "
        "yours. " + roles_note("node"),
        extensions=allowed("node"),
    )
    nodes: list[relay.Node | None] | None = strawberry.field(
        resolver=nodes,
        description="Objects by global IDs (null where not found); at most 100. "
        + roles_note("nodes"),
        extensions=allowed("nodes"),
    )
    users: Connection[User] | None = root_list(
        users,
        "users",
        "The partner's staff accounts.",
        filter=ListFilter(UserFilter, "staff accounts"),
        order=ListOrder(UserOrder, ("EMAIL", False), "e-mail address, A to Z"),
    )
    tenants: Connection[Tenant] | None = root_list(tenants, "tenants", "Distribution partners.")


@strawberry.type
class AuthMutation:
    login: LoginPayload = strawberry.field(
        resolver=login,
        description="Exchange an e-mail and password for a bearer token (and a refresh token). "
        "Failed attempts are throttled per account and per address (TOO_MANY_ATTEMPTS). "
        + roles_note("login"),
    )
    refresh_token: LoginPayload = strawberry.field(
        resolver=refresh_token,
        description="Exchange a refresh token for a new bearer token and a new refresh token "
        "(the one sent is spent). Refused once the account is deactivated or its password "
        "changed. " + roles_note("refreshToken"),
        extensions=allowed("refreshToken"),
    )
