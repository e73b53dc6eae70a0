"""The account page: one's profile, password and sessions; a supervisor's password reset.

Sessions: every login is a row of `user_sessions` (`platform_sessions` for a platform
administrator) whose id every token of the login carries (`sid`), checked at every request
(resolvers/auth.py `load_principal`). Ending a session (logout, revokeSession, a password
change or reset) refuses its access token on its next request and its refresh token at once.

Passwords: a new password must pass tenancy/password_policy.py; the current one is checked
under the login throttle (wrong current passwords count as failed logins of the account and
the address). A changed password ends every other session of the account; the current one
goes on with new tokens (the old ones carry the old password's stamp).

Resets: a supervisor's resetUserPassword replaces the account's password with a one-time code
(shown once, only its Argon2 hash stored, expiring), ends every session of the account, and
flags it: a login with the code gets a short session that may only choose a new password.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import UserStatus
from db.ids import global_id
from db.session import Database
from resolvers import journal
from resolvers.auth import end_sessions, session_model
from resolvers.errors import UserErrorCode as C
from resolvers.messages import LOCALES
from resolvers.throttle import LoginThrottle, Throttled
from resolvers.usecase import Actor, check_version, load_for_update, refuse
from resolvers.validation import Validator
from subscriptions.publisher import announce
from subscriptions.topics import Topic
from tenancy.passwords import hash_password, verify_password
from tenancy.principal import ANONYMOUS_CLAIMS
from tenancy.roles import Role
from tenancy.tokens import issue_refresh_token, issue_token

#: How long a supervisor's one-time code opens the account.
RESET_CODE_LIFETIME = dt.timedelta(hours=24)
#: The code's alphabet: no 0/O, 1/I/L (read aloud or copied by hand).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

#: What the journal records of one's own profile change, for a tenant's user and a platform
#: user (resolvers/journal.py `journaled`; a new column is journaled unless named here).
_NOT_PROFILE = {
    "email": "one's sign-in name, changed by a supervisor (USER_FIELDS)",
    "status": "changed by a supervisor (USER_FIELDS)",
    "password_hash": "a secret: changePassword records the change, not the value",
    "password_changed_at": "changePassword's entry",
    "last_login_at": "sign-ins are not business changes (the request log has them)",
}
PROFILE_FIELDS: dict[type[m.User] | type[m.PlatformUser], tuple[str, ...]] = {
    m.User: journal.journaled(
        m.User,
        name="PROFILE_FIELDS[User]",
        exclude={
            **_NOT_PROFILE,
            "role": "changed by a supervisor (USER_FIELDS)",
            "password_change_required": "follows a password set by someone else",
            "password_expires_at": "follows the password rule, not a business change",
        },
    ),
    m.PlatformUser: journal.journaled(
        m.PlatformUser, name="PROFILE_FIELDS[PlatformUser]", exclude=_NOT_PROFILE
    ),
}


def _model(actor: Actor) -> type[m.User] | type[m.PlatformUser]:
    return m.PlatformUser if actor.principal.is_platform else m.User


async def _own_account(session: AsyncSession, actor: Actor) -> m.User | m.PlatformUser:
    """The caller's own account row, locked for this transaction."""
    model = _model(actor)
    account = (
        await session.execute(
            select(model)
            .where(model.id == actor.principal.user_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    return account


def _journal(
    session: AsyncSession,
    actor: Actor,
    account: m.User | m.PlatformUser,
    action: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """A journal entry about a tenant account (a platform account has no tenant journal)."""
    if isinstance(account, m.User):
        journal.record(
            session,
            actor,
            tenant_id=account.tenant_id,
            action=action,
            entity_type="User",
            entity_id=account.id,
            before=before,
            after=after,
        )


# --------------------------------------------------------------------------- profile


async def update_my_profile(
    actor: Actor, changes: dict[str, Any], expected_version: int | None
) -> m.User | m.PlatformUser:
    """Name, phone, language (`fr`/`en`, or null: the request's Accept-Language decides)."""
    v = Validator(actor.locale)
    p = ["input"]
    if not changes:
        raise refuse(actor.locale, p, C.INVALID, "nothing_to_change")
    values: dict[str, Any] = {}
    if "full_name" in changes:
        values["full_name"] = v.text([*p, "fullName"], changes["full_name"])
    if "phone" in changes:
        values["phone"] = v.phone([*p, "phone"], changes["phone"], required=False)
    if "language" in changes:
        language = changes["language"]
        language = language.strip().lower() if isinstance(language, str) else None
        if language == "":
            language = None
        if language is not None and language not in LOCALES:
            v.add([*p, "language"], C.INVALID, "profile_language")
        values["language"] = language
    v.raise_if_any()
    async with actor.scope() as session:
        account = await _own_account(session, actor)
        check_version(account, expected_version, actor.locale)
        before = journal.snapshot(account, PROFILE_FIELDS[type(account)])
        for name, value in values.items():
            setattr(account, name, value)
        changed_before, changed_after = journal.changes(
            before, journal.snapshot(account, PROFILE_FIELDS[type(account)])
        )
        if not changed_after:
            return account
        await session.flush()
        _journal(
            session,
            actor,
            account,
            "user.profile_updated",
            before=changed_before,
            after=changed_after,
        )
        await session.flush()
    return account


# --------------------------------------------------------------------------- passwords


def check_new_password(
    v: Validator, path: list[str], password: str | None, *, email: str, full_name: str
) -> str | None:
    """The new password, or None with the reason added to `v` (Validator.new_password)."""
    return v.new_password(path, password, email=email, full_name=full_name)


@dataclass
class NewTokens:
    """The tokens the current session goes on with after its password changed."""

    token: str
    expires_at: dt.datetime
    refresh_token: str
    refresh_expires_at: dt.datetime


@dataclass
class PasswordChanged:
    account: m.User | m.PlatformUser
    tokens: NewTokens
    sessions_ended: int


@dataclass(frozen=True)
class TokenSettings:
    secret: str
    lifetime: dt.timedelta
    refresh_lifetime: dt.timedelta


async def change_password(
    actor: Actor,
    db: Database,
    *,
    current_password: str,
    new_password: str,
    throttle: LoginThrottle | None,
    address: str | None,
    tokens: TokenSettings,
) -> PasswordChanged:
    """Check the current password (throttled like a login), set the new one, end every other
    session of the account; the current session gets new tokens."""
    principal = actor.principal
    p = ["input"]
    v = Validator(actor.locale)
    new_password = check_new_password(
        v,
        [*p, "newPassword"],
        new_password,
        email=principal.email,
        full_name=principal.full_name,
    )
    if new_password is not None and new_password == current_password:
        v.add([*p, "newPassword"], C.INVALID, "password_unchanged")
    v.raise_if_any()
    assert new_password is not None
    attempt = None
    if throttle is not None:
        # Counted (committed) before the password is checked, as a login attempt is: the
        # request's own transaction is rolled back when the mutation refuses.
        async with db.session(ANONYMOUS_CLAIMS) as own, own.begin():
            started = await throttle.begin(own, principal.email, address)
        if isinstance(started, Throttled):
            minutes = max(1, (started.retry_after_seconds + 59) // 60)
            raise refuse(
                actor.locale,
                None,
                C.TOO_MANY_ATTEMPTS,
                "too_many_attempts",
                minutes=minutes,
                time=started.retry_at.strftime("%H:%M"),
            )
        attempt = started
    async with actor.scope() as session:
        account = await _own_account(session, actor)
    if not await asyncio.to_thread(verify_password, account.password_hash, current_password):
        raise refuse(actor.locale, [*p, "currentPassword"], C.INVALID_CREDENTIALS, "password_wrong")
    if throttle is not None and attempt is not None:
        async with db.session(ANONYMOUS_CLAIMS) as own, own.begin():
            await throttle.forgive(own, attempt)
    new_hash = await asyncio.to_thread(hash_password, new_password)
    now = dt.datetime.now(dt.UTC)
    async with actor.scope() as session:
        was_reset = bool(account.password_change_required)
        account.password_hash = new_hash
        account.password_changed_at = now
        if isinstance(account, m.User):
            account.password_change_required = False
            account.password_expires_at = None
        await session.flush()
        ended = await end_sessions(
            session, principal, "password_changed", now, keep=principal.session_id
        )
        current = await _current_session(session, actor)
        if was_reset:
            # The short session a one-time code opened now lasts as a login does.
            current.expires_at = now + tokens.refresh_lifetime
        current.last_used_at = now
        await session.flush()
        if isinstance(account, m.User):
            await announce(session, Topic.ACCOUNTS, account.tenant_id, u=str(account.id))
        _journal(
            session,
            actor,
            account,
            "user.password_changed",
            after={"passwordChanged": True, "sessionsEnded": len(ended)},
        )
        await session.flush()
        expires = current.expires_at
    role = principal.role
    refresh, refresh_expires, _ = issue_refresh_token(
        secret=tokens.secret,
        user_id=account.id,
        tenant_id=account.tenant_id,
        role=role,
        password_changed_at=now,
        expires_at=expires,
        family=current.id.hex,
        now=now,
    )
    token, token_expires = issue_token(
        secret=tokens.secret,
        user_id=account.id,
        tenant_id=account.tenant_id,
        role=role,
        password_changed_at=now,
        lifetime=tokens.lifetime,
        now=now,
        not_after=expires,
        session_id=current.id,
    )
    return PasswordChanged(
        account=account,
        tokens=NewTokens(token, token_expires, refresh, refresh_expires),
        sessions_ended=len(ended),
    )


async def _current_session(
    session: AsyncSession, actor: Actor
) -> m.UserSession | m.PlatformSession:
    model = session_model(actor.principal.is_platform)
    current = (
        await session.execute(
            select(model).where(
                model.id == actor.principal.session_id,
                model.user_id == actor.principal.user_id,
            )
        )
    ).scalar_one()
    return current


@dataclass
class PasswordReset:
    account: m.User
    code: str
    expires_at: dt.datetime


def one_time_code() -> str:
    """16 characters from a 31-letter alphabet (about 79 bits), in groups of four."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


async def reset_user_password(
    actor: Actor, user_id: uuid.UUID, expected_version: int | None
) -> PasswordReset:
    """A supervisor replaces a colleague's password with a one-time code (returned once,
    only its hash kept), which must be changed at the next login; every session of the
    account ends."""
    p = ["input"]
    if user_id == actor.principal.user_id:
        raise refuse(actor.locale, [*p, "userId"], C.INVALID, "password_reset_self")
    code = one_time_code()
    code_hash = await asyncio.to_thread(hash_password, code)
    now = dt.datetime.now(dt.UTC)
    async with actor.scope() as session:
        user = await load_for_update(
            session, m.User, user_id, locale=actor.locale, path=[*p, "userId"], kind="User"
        )
        check_version(user, expected_version, actor.locale)
        if user.status is not UserStatus.ACTIVE:
            raise refuse(
                actor.locale,
                [*p, "userId"],
                C.INVALID_TRANSITION,
                "invalid_transition",
                **_transition_params(user),
            )
        if user.role is Role.SERVICE:
            raise refuse(actor.locale, [*p, "userId"], C.INVALID, "password_reset_machine")
        user.password_hash = code_hash
        user.password_changed_at = now
        user.password_change_required = True
        user.password_expires_at = now + RESET_CODE_LIFETIME
        await session.flush()
        owner = dataclasses.replace(actor.principal, user_id=user.id, role=user.role)
        ended = await end_sessions(session, owner, "password_reset", now)
        await announce(session, Topic.ACCOUNTS, user.tenant_id, u=str(user.id))
        journal.record(
            session,
            actor,
            tenant_id=user.tenant_id,
            action="user.password_reset",
            entity_type="User",
            entity_id=user.id,
            after={
                "passwordChangeRequired": True,
                "codeExpiresAt": user.password_expires_at.isoformat(),
                "sessionsEnded": len(ended),
            },
        )
        await session.flush()
    return PasswordReset(account=user, code=code, expires_at=now + RESET_CODE_LIFETIME)


def _transition_params(user: m.User) -> dict[str, Any]:
    return {
        "action": "resetUserPassword",
        "entity": "User",
        "state": user.status.value,
        "allowed": "—",
    }


# --------------------------------------------------------------------------- sessions


async def logout(actor: Actor) -> bool:
    """End the caller's own session (its refresh family and its access tokens)."""
    principal = actor.principal
    now = dt.datetime.now(dt.UTC)
    async with actor.scope() as session:
        ended = await end_sessions(session, principal, "logout", now, only=principal.session_id)
        if ended and not principal.is_platform and principal.tenant_id is not None:
            await announce(session, Topic.ACCOUNTS, principal.tenant_id, u=str(principal.user_id))
    return bool(ended)


async def revoke_session(actor: Actor, session_id: uuid.UUID) -> m.UserSession | m.PlatformSession:
    """End one of the caller's own sessions (another device); refused for anyone else's."""
    principal = actor.principal
    model = session_model(principal.is_platform)
    now = dt.datetime.now(dt.UTC)
    async with actor.scope() as session:
        row = (
            await session.execute(
                select(model)
                .where(model.id == session_id, model.user_id == principal.user_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalar_one_or_none()
        if row is None:
            raise refuse(actor.locale, ["input", "id"], C.NOT_FOUND, "session_not_found")
        if row.revoked_at is None:
            row.revoked_at = now
            row.revoked_reason = "revoked"
            await session.flush()
            if isinstance(row, m.UserSession):
                await announce(session, Topic.ACCOUNTS, row.tenant_id, u=str(principal.user_id))
                journal.record(
                    session,
                    actor,
                    tenant_id=row.tenant_id,
                    action="user.session_revoked",
                    entity_type="User",
                    entity_id=principal.user_id,
                    after={"sessionId": global_id("Session", row.id)},
                )
                await session.flush()
    return row


async def my_sessions(
    scope: Any, principal: Any, *, include_ended: bool = False
) -> list[m.UserSession | m.PlatformSession]:
    """The caller's sessions, newest first: live ones (and ended ones when asked)."""
    model = session_model(principal.is_platform)
    query = select(model).where(model.user_id == principal.user_id)
    if not include_ended:
        query = query.where(model.revoked_at.is_(None), model.expires_at > dt.datetime.now(dt.UTC))
    query = query.order_by(model.created_at.desc(), model.id).limit(100)
    async with scope() as session:
        return list((await session.execute(query)).scalars())
