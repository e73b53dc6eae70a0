"""`login` and `me`."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from db.models import PlatformUser
from db.models import User as UserModel
from resolvers import auth
from schema.auth.types import User
from schema.errors import UserError, user_errors
from schema.permissions import allowed, roles_note


@strawberry.input(description="E-mail and password of a staff account.")
class LoginInput:
    email: str
    password: str
    tenant: str | None = strawberry.field(
        default=None,
        description="The partner's slug, only needed when the e-mail has accounts with several.",
    )


@strawberry.type
class LoginPayload:
    token: str | None = strawberry.field(
        description="Send it as `Authorization: Bearer <token>` (or in `connection_init`)."
    )
    expires_at: dt.datetime | None
    user: User | None
    user_errors: list[UserError]


async def login(info: Info, input: LoginInput) -> LoginPayload:
    context = info.context
    outcome = await auth.login(
        context.db,
        email=input.email,
        password=input.password,
        tenant_slug=input.tenant,
        secret=context.auth.secrets[0],
        lifetime=context.auth.token_lifetime,
    )
    if outcome.errors:
        return LoginPayload(
            token=None, expires_at=None, user=None, user_errors=user_errors(outcome.errors)
        )
    assert outcome.user is not None
    context.principal = outcome.principal
    return LoginPayload(
        token=outcome.token,
        expires_at=outcome.expires_at,
        user=User.from_model(outcome.user),
        user_errors=[],
    )


async def me(info: Info) -> User | None:
    principal = info.context.require_principal()
    async with info.context.db_session() as session:
        model: UserModel | PlatformUser | None
        if principal.is_platform:
            model = await session.get(PlatformUser, principal.user_id)
        else:
            model = await session.get(UserModel, (principal.tenant_id, principal.user_id))
    return User.from_model(model) if model is not None else None


@strawberry.type
class AuthQuery:
    me: User | None = strawberry.field(
        resolver=me,
        description="The signed-in user. " + roles_note("me"),
        extensions=allowed("me"),
    )


@strawberry.type
class AuthMutation:
    login: LoginPayload = strawberry.field(
        resolver=login,
        description="Exchange an e-mail and password for a bearer token. " + roles_note("login"),
    )
