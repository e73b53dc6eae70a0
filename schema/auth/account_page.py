"""The account page: updateMyProfile, changePassword, logout, revokeSession, resetUserPassword."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import account as ra
from resolvers import auth
from resolvers import throttle as rt
from resolvers.errors import UserErrorCode
from resolvers.usecase import refuse
from schema import descriptions as d
from schema.auth.mutations import UserPayload
from schema.auth.types import Session, User
from schema.descriptions import MUTATION_INPUT, user_errors_field
from schema.errors import UserError
from schema.mutations import actor_of, answer, attempt, input_id, mutation_field, provided


@strawberry.input(description="Your own profile: fields to change (the others are kept).")
class UpdateMyProfileInput:
    full_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="Your new full name."
    )
    phone: str | None = strawberry.field(
        default=strawberry.UNSET, description="Your new phone number (E.164); null removes it."
    )
    language: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="`fr` or `en`: the language of your messages, whatever your browser "
        "asks for (Accept-Language); null to follow Accept-Language again.",
    )
    expected_version: int | None = d.expected_version_field("account")


@strawberry.input(
    description="Your current password (or a supervisor's one-time code), and a new one."
)
class ChangePasswordInput:
    current_password: str = strawberry.field(
        description="Your password now, or the one-time code a supervisor gave you."
    )
    new_password: str = strawberry.field(
        description="At least 12 characters; not one of the most common passwords; not "
        "containing your e-mail or your name."
    )


@strawberry.type(description="The result of `changePassword`.")
class ChangePasswordPayload:
    user: User | None = strawberry.field(description="Your account; null when refused.")
    token: str | None = strawberry.field(
        description="The password changed: this session goes on with this token (the old "
        "one is refused from now on), and every other session of the account has ended."
    )
    expires_at: dt.datetime | None = strawberry.field(
        description="When `token` stops being accepted (UTC)."
    )
    refresh_token: str | None = strawberry.field(
        description="A new refresh token for this session (the previous one is spent)."
    )
    refresh_expires_at: dt.datetime | None = strawberry.field(
        description="When that refresh token stops being accepted (UTC)."
    )
    sessions_ended: int | None = strawberry.field(description="Other sessions ended.")
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="The result of `logout`.")
class LogoutPayload:
    logged_out: bool = strawberry.field(
        description="The session of this request's token has ended (false: it already had)."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="One of your sessions (from `me.sessions`).")
class RevokeSessionInput:
    id: strawberry.ID = strawberry.field(description="The session's `id`, from `me.sessions`.")


@strawberry.type(description="The result of `revokeSession`.")
class RevokeSessionPayload:
    session: Session | None = strawberry.field(
        description="The session, now ended; null when refused."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="A colleague whose password is forgotten or compromised.")
class ResetUserPasswordInput:
    user_id: strawberry.ID = strawberry.field(description="Global ID of the colleague's account.")
    expected_version: int | None = d.expected_version_field("account")


@strawberry.type(description="The result of `resetUserPassword`.")
class ResetUserPasswordPayload:
    user: User | None = strawberry.field(
        description="The colleague's account, its sessions ended; null when refused."
    )
    one_time_code: str | None = strawberry.field(
        description="Shown once, never again (only its hash is kept): give it to the "
        "colleague, who logs in with it and must then choose a new password."
    )
    code_expires_at: dt.datetime | None = strawberry.field(
        description="When the one-time code stops working (UTC), 24 hours after the reset."
    )
    user_errors: list[UserError] = user_errors_field()


async def update_my_profile(
    info: Info, input: Annotated[UpdateMyProfileInput, MUTATION_INPUT]
) -> UserPayload:
    changes = provided(input, "full_name", "phone", "language")
    work = ra.update_my_profile(actor_of(info), changes, input.expected_version)
    return await answer(info, work, UserPayload, "user")


async def change_password(
    info: Info, input: Annotated[ChangePasswordInput, MUTATION_INPUT]
) -> ChangePasswordPayload:
    context = info.context
    client = getattr(context.request, "client", None)
    work = ra.change_password(
        actor_of(info),
        context.db,
        current_password=input.current_password,
        new_password=input.new_password,
        throttle=getattr(context, "login_throttle", None) or rt.LOGIN_THROTTLE,
        address=client.host if client else None,
        tokens=ra.TokenSettings(
            secret=context.auth.secrets[0],
            lifetime=context.auth.token_lifetime,
            refresh_lifetime=getattr(
                context.auth, "refresh_token_lifetime", auth.DEFAULT_REFRESH_LIFETIME
            ),
        ),
    )
    changed, errors = await attempt(info, work)
    if changed is None:
        return ChangePasswordPayload(
            user=None,
            token=None,
            expires_at=None,
            refresh_token=None,
            refresh_expires_at=None,
            sessions_ended=None,
            user_errors=errors,
        )
    tokens = changed.tokens
    return ChangePasswordPayload(
        user=changed.account,  # type: ignore[arg-type]
        token=tokens.token,
        expires_at=tokens.expires_at,
        refresh_token=tokens.refresh_token,
        refresh_expires_at=tokens.refresh_expires_at,
        sessions_ended=changed.sessions_ended,
        user_errors=[],
    )


async def logout(info: Info) -> LogoutPayload:
    ended, errors = await attempt(info, ra.logout(actor_of(info)))
    return LogoutPayload(logged_out=bool(ended), user_errors=errors)


def _session_id(info: Info, value: str) -> uuid.UUID:
    actor = actor_of(info)
    try:
        gid = relay.GlobalID.from_id(str(value))
        if gid.type_name != "Session":
            raise ValueError(gid.type_name)
        return uuid.UUID(gid.node_id)
    except (ValueError, TypeError) as exc:
        raise refuse(
            actor.locale,
            ["input", "id"],
            UserErrorCode.INVALID_REFERENCE,
            "wrong_id",
            kind="Session",
        ) from exc


async def revoke_session(
    info: Info, input: Annotated[RevokeSessionInput, MUTATION_INPUT]
) -> RevokeSessionPayload:
    async def work() -> Any:
        return Session.of(await ra.revoke_session(actor_of(info), _session_id(info, input.id)))

    return await answer(info, work(), RevokeSessionPayload, "session")


async def reset_user_password(
    info: Info, input: Annotated[ResetUserPasswordInput, MUTATION_INPUT]
) -> ResetUserPasswordPayload:
    async def work() -> Any:
        user_id = input_id(info, input.user_id, "User", ["input", "userId"])
        return await ra.reset_user_password(actor_of(info), user_id, input.expected_version)

    reset, errors = await attempt(info, work())
    if reset is None:
        return ResetUserPasswordPayload(
            user=None, one_time_code=None, code_expires_at=None, user_errors=errors
        )
    return ResetUserPasswordPayload(
        user=reset.account,  # type: ignore[arg-type]
        one_time_code=reset.code,
        code_expires_at=reset.expires_at,
        user_errors=[],
    )


@strawberry.type
class MyAccountMutation:
    update_my_profile: UserPayload | None = mutation_field(
        update_my_profile,
        "updateMyProfile",
        "Change your own name, phone or language (the language of your messages).",
    )
    change_password: ChangePasswordPayload | None = mutation_field(
        change_password,
        "changePassword",
        "Change your password (the current one is required; wrong ones count as failed "
        "logins). Every other session of yours ends; this one gets new tokens.",
    )
    logout: LogoutPayload | None = mutation_field(
        logout,
        "logout",
        "End this session: its token and its refresh token are refused from now on.",
    )
    revoke_session: RevokeSessionPayload | None = mutation_field(
        revoke_session,
        "revokeSession",
        "End one of your sessions (see `me.sessions`): its tokens are refused on their next "
        "request.",
    )
    reset_user_password: ResetUserPasswordPayload | None = mutation_field(
        reset_user_password,
        "resetUserPassword",
        "Replace a colleague's password with a one-time code, shown once, valid 24 hours; "
        "their sessions end, and their next login must choose a new password.",
    )
