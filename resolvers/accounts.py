"""Staff accounts and tenants: createUser, updateUser, deactivateUser, createTenant.

The same use cases serve the GraphQL mutations (an Actor in a request) and the `spring`
command (`create_user` / `create_tenant` below, acting as the system).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import ActorKind, UserStatus
from db.session import Database
from resolvers import journal, localtime
from resolvers.errors import UserErrorCode as C
from resolvers.lifecycles import USER, check_transition
from resolvers.messages import DEFAULT_LOCALE
from resolvers.usecase import Actor, Refused, check_version, load_for_update, refuse
from resolvers.validation import Validator
from subscriptions.publisher import announce
from subscriptions.topics import Topic
from tenancy import password_policy
from tenancy.passwords import hash_password
from tenancy.principal import CLAIM_TENANT, platform_claims, tenant_claims
from tenancy.roles import TENANT_ROLES, Role

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
#: The one password rule (tenancy/password_policy.py), also for accounts made by others.
MIN_PASSWORD_LENGTH = password_policy.MIN_LENGTH
MAX_PASSWORD_LENGTH = password_policy.MAX_LENGTH
#: What the journal records of a user (resolvers/journal.py `journaled`; a new column is
#: journaled unless named here).
USER_FIELDS = journal.journaled(
    m.User,
    name="USER_FIELDS",
    exclude={
        "password_hash": "a secret: a password change is recorded as `passwordChanged`",
        "password_changed_at": "a password change is recorded as `passwordChanged`",
        "last_login_at": "sign-ins are not business changes (the request log has them)",
        "language": "the account's own choice, journaled by its profile change",
        "password_change_required": "follows a password set by someone else (passwordChanged)",
        "password_expires_at": "follows the password rule, not a business change",
    },
)

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "Refused",
    "create_tenant",
    "create_user",
    "deactivate_user",
    "insert_tenant",
    "insert_user",
    "update_tenant_as",
    "update_tenant_settings",
    "update_user",
]


def _password(
    v: Validator,
    path: list[str],
    password: str | None,
    *,
    email: str | None = None,
    full_name: str | None = None,
) -> str | None:
    """The account's password under the one rule every path applies (Validator.new_password:
    changePassword, createUser, updateUser and `spring user create` alike)."""
    return v.new_password(path, password, email=email or "", full_name=full_name or "")


async def _email_taken(session: AsyncSession, email: str, exclude: uuid.UUID | None) -> bool:
    query = (
        select(func.count()).select_from(m.User).where(func.lower(m.User.email) == email.lower())
    )
    if exclude is not None:
        query = query.where(m.User.id != exclude)
    return bool(await session.scalar(query))


async def insert_user(
    session: AsyncSession,
    actor: Actor | None,
    *,
    tenant_id: uuid.UUID,
    email: str | None,
    full_name: str | None,
    role: Role,
    password: str | None,
    phone: str | None = None,
    locale: str = DEFAULT_LOCALE,
    system_label: str = "system",
) -> m.User:
    """A staff account in the session's tenant, journaled (`user.created`)."""
    v = Validator(locale)
    p = ["input"]
    email = v.email([*p, "email"], email)
    full_name = v.text([*p, "fullName"], full_name)
    phone = v.phone([*p, "phone"], phone, required=False)
    password = _password(v, [*p, "password"], password, email=email, full_name=full_name)
    if role not in TENANT_ROLES:
        v.add([*p, "role"], C.INVALID, "role")
    v.raise_if_any()
    assert email is not None and password is not None
    if await _email_taken(session, email, None):
        raise refuse(locale, [*p, "email"], C.DUPLICATE, "email_taken")
    user = m.User(
        tenant_id=tenant_id,
        id=uuid.uuid4(),
        email=email,
        full_name=full_name,
        role=role,
        phone=phone,
        password_hash=hash_password(password),
        status=UserStatus.ACTIVE,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise refuse(locale, [*p, "email"], C.DUPLICATE, "email_taken") from exc
    journal.record(
        session,
        actor,
        tenant_id=tenant_id,
        action="user.created",
        entity_type="User",
        entity_id=user.id,
        after=journal.snapshot(user, USER_FIELDS),
        system_label=system_label,
    )
    await session.flush()
    return user


async def insert_tenant(
    session: AsyncSession,
    *,
    slug: str | None,
    name: str | None,
    heartbeat_interval_s: int | None = None,
    locale: str = DEFAULT_LOCALE,
    tenant_id: uuid.UUID | None = None,
    time_zone: str | None = None,
) -> m.Tenant:
    """A new tenant (platform claims required: only the platform writes tenants)."""
    v = Validator(locale)
    p = ["input"]
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug):
        v.add([*p, "slug"], C.INVALID, "slug")
    name = v.text([*p, "name"], name)
    if heartbeat_interval_s is not None and not 10 <= heartbeat_interval_s <= 3600:
        v.add([*p, "heartbeatIntervalSeconds"], C.OUT_OF_RANGE, "too_many", max=3600)
    zone = v.time_zone([*p, "timeZone"], time_zone) if time_zone is not None else None
    v.raise_if_any()
    taken = await session.scalar(
        select(func.count()).select_from(m.Tenant).where(m.Tenant.slug == slug)
    )
    if taken:
        raise refuse(locale, [*p, "slug"], C.DUPLICATE, "slug_taken")
    tenant = m.Tenant(id=tenant_id or uuid.uuid4(), slug=slug, name=name)
    if heartbeat_interval_s is not None:
        tenant.heartbeat_interval_s = heartbeat_interval_s
    tenant.time_zone = zone or localtime.DEFAULT_ZONE
    session.add(tenant)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise refuse(locale, [*p, "slug"], C.DUPLICATE, "slug_taken") from exc
    return tenant


def _tenant_created_event(tenant: m.Tenant, actor: Actor | None, label: str) -> m.AuditEvent:
    return m.AuditEvent(
        tenant_id=tenant.id,
        id=uuid.uuid4(),
        actor_kind=actor.kind if actor else ActorKind.SYSTEM,
        actor_id=actor.principal.user_id if actor else None,
        actor_label=actor.label if actor else label,
        action="tenant.created",
        entity_type="Tenant",
        entity_id=tenant.id,
        after={"slug": tenant.slug, "name": tenant.name, "timeZone": tenant.time_zone},
        request_id=actor.request_id if actor else None,
    )


# --------------------------------------------------------------------------- GraphQL use cases


async def create_tenant_as(
    actor: Actor,
    db: Database,
    slug: str | None,
    name: str | None,
    heartbeat: int | None,
    time_zone: str | None = None,
) -> m.Tenant:
    """createTenant by a platform admin: the tenant and its journal entry in one transaction."""
    tenant_id = uuid.uuid4()
    claims = {**platform_claims(), CLAIM_TENANT: str(tenant_id)}
    async with db.session(claims) as session, session.begin():
        tenant = await insert_tenant(
            session,
            slug=slug,
            name=name,
            heartbeat_interval_s=heartbeat,
            locale=actor.locale,
            tenant_id=tenant_id,
            time_zone=time_zone,
        )
        session.add(_tenant_created_event(tenant, actor, actor.label))
    return tenant


async def update_tenant_as(
    actor: Actor,
    db: Database,
    tenant_id: uuid.UUID,
    changes: dict[str, Any],
    expected_version: int | None,
) -> m.Tenant:
    """updateTenant by a platform admin: today its time zone; journalled in the tenant."""
    v = Validator(actor.locale)
    p = ["input"]
    if not changes:
        raise refuse(actor.locale, p, C.INVALID, "nothing_to_change")
    values: dict[str, Any] = {}
    if "time_zone" in changes:
        if changes["time_zone"] is None:
            v.add([*p, "timeZone"], C.REQUIRED, "required")
        else:
            values["time_zone"] = v.time_zone([*p, "timeZone"], changes["time_zone"])
    v.raise_if_any()
    claims = {**platform_claims(), CLAIM_TENANT: str(tenant_id)}
    async with db.session(claims) as session, session.begin():
        tenant = await load_for_update(
            session, m.Tenant, tenant_id, locale=actor.locale, path=[*p, "id"], kind="Tenant"
        )
        check_version(tenant, expected_version, actor.locale)
        before = {"timeZone": tenant.time_zone}
        for name, value in values.items():
            setattr(tenant, name, value)
        after = {"timeZone": tenant.time_zone}
        if after == before:
            return tenant
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=tenant.id,
            action="tenant.updated",
            entity_type="Tenant",
            entity_id=tenant.id,
            before=before,
            after=after,
        )
        await session.flush()
    return tenant


async def create_user_as(
    actor: Actor,
    *,
    email: str | None,
    full_name: str | None,
    role: Role,
    password: str | None,
    phone: str | None,
) -> m.User:
    async with actor.scope() as session:
        return await insert_user(
            session,
            actor,
            tenant_id=actor.tenant_id,
            email=email,
            full_name=full_name,
            role=role,
            password=password,
            phone=phone,
            locale=actor.locale,
        )


async def update_user(
    actor: Actor, user_id: uuid.UUID, changes: dict[str, Any], expected_version: int | None
) -> m.User:
    """Rename, change role or phone, or set a new password (which revokes older tokens)."""
    v = Validator(actor.locale)
    p = ["input"]
    if not changes:
        raise refuse(actor.locale, p, C.INVALID, "nothing_to_change")
    values: dict[str, Any] = {}
    if "full_name" in changes:
        values["full_name"] = v.text([*p, "fullName"], changes["full_name"])
    if "phone" in changes:
        values["phone"] = v.phone([*p, "phone"], changes["phone"], required=False)
    if "role" in changes:
        if changes["role"] not in TENANT_ROLES:
            v.add([*p, "role"], C.INVALID, "role")
        values["role"] = changes["role"]
    new_password = None
    if "password" in changes:
        new_password = _password(
            v, [*p, "password"], changes["password"], full_name=values.get("full_name")
        )
    v.raise_if_any()
    async with actor.scope() as session:
        user = await load_for_update(
            session, m.User, user_id, locale=actor.locale, path=[*p, "id"], kind="User"
        )
        if new_password is not None:
            # Not the account's own e-mail or (current) name either: known once it is loaded.
            own = Validator(actor.locale)
            _password(
                own, [*p, "password"], new_password, email=user.email, full_name=user.full_name
            )
            own.raise_if_any()
        if user.status is UserStatus.DEACTIVATED:
            check_transition(USER, user.status, "deactivate", actor)
        check_version(user, expected_version, actor.locale)
        before = journal.snapshot(user, USER_FIELDS)
        for name, value in values.items():
            setattr(user, name, value)
        if new_password is not None:
            user.password_hash = hash_password(new_password)
            user.password_changed_at = dt.datetime.now(dt.UTC)
        changed_before, changed_after = journal.changes(before, journal.snapshot(user, USER_FIELDS))
        if new_password is not None:
            changed_after["passwordChanged"] = True
        if not changed_after:
            return user
        await session.flush()
        if "role" in changed_after or new_password is not None:
            # Live subscribers of this account re-check it before their next event.
            await announce(session, Topic.ACCOUNTS, user.tenant_id, u=str(user.id))
        journal.record(
            session,
            actor,
            tenant_id=user.tenant_id,
            action="user.updated",
            entity_type="User",
            entity_id=user.id,
            before=changed_before,
            after=changed_after,
        )
        await session.flush()
    return user


async def deactivate_user(
    actor: Actor, user_id: uuid.UUID, reason: str | None, expected_version: int | None
) -> m.User:
    """Close an account: its tokens stop working at once (checked at every request)."""
    v = Validator(actor.locale)
    reason = v.reason(["input", "reason"], reason, required=True)
    if user_id == actor.principal.user_id:
        v.add(["input", "id"], C.INVALID, "self_deactivation")
    v.raise_if_any()
    async with actor.scope() as session:
        user = await load_for_update(
            session, m.User, user_id, locale=actor.locale, path=["input", "id"], kind="User"
        )
        check_version(user, expected_version, actor.locale)
        transition = check_transition(USER, user.status, "deactivate", actor)
        user.status = transition.target  # type: ignore[assignment]
        await session.flush()
        await announce(session, Topic.ACCOUNTS, user.tenant_id, u=str(user.id))
        journal.record(
            session,
            actor,
            tenant_id=user.tenant_id,
            action="user.deactivated",
            entity_type="User",
            entity_id=user.id,
            before={"status": UserStatus.ACTIVE.value},
            after={"status": user.status.value},
            reason=reason,
        )
        await session.flush()
    return user


# --------------------------------------------------------------------------- tenant settings

#: The settings `updateTenantSettings` changes: input name → column (migration 0009).
TENANT_SETTINGS = {
    "notifyOfflineAfterMinutes": "notify_offline_after_minutes",
    "notifyOptionsPendingAfterMinutes": "notify_options_pending_after_minutes",
}
#: One week: the longest delay before technicians are told (the table's CHECK says the same).
MAX_SETTING_MINUTES = 10080


async def update_tenant_settings(
    actor: Actor, changes: dict[str, int | None], expected_version: int | None
) -> m.Tenant:
    """A supervisor's (or, with X-Tenant, a platform administrator's) change of the tenant's
    notification delays, journaled `tenant.settings_updated` with the values before and
    after. Row-level security and a trigger (migration 0009) let a supervisor's transaction
    update those columns of its own tenant's row and nothing else."""
    v = Validator(actor.locale)
    p = ["input"]
    values: dict[str, int] = {}
    for name, column in TENANT_SETTINGS.items():
        if name not in changes:
            continue
        minutes = changes[name]
        if minutes is None:
            v.add([*p, name], C.REQUIRED, "required")
        elif not 1 <= minutes <= MAX_SETTING_MINUTES:
            v.add([*p, name], C.OUT_OF_RANGE, "tenant_minutes", max=MAX_SETTING_MINUTES)
        else:
            values[column] = minutes
    if not changes:
        v.add(p, C.INVALID, "nothing_to_change")
    v.raise_if_any()
    async with actor.scope() as session:
        tenant = (
            await session.execute(
                select(m.Tenant)
                .where(m.Tenant.id == actor.tenant_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalar_one_or_none()
        if tenant is None:
            raise refuse(actor.locale, p, C.NOT_FOUND, "not_found", kind="Tenant")
        check_version(tenant, expected_version, actor.locale)
        columns = tuple(TENANT_SETTINGS.values())
        before = journal.snapshot(tenant, columns)
        for column, minutes in values.items():
            setattr(tenant, column, minutes)
        changed_before, changed_after = journal.changes(before, journal.snapshot(tenant, columns))
        if not changed_after:
            return tenant
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=tenant.id,
            action="tenant.settings_updated",
            entity_type="Tenant",
            entity_id=tenant.id,
            before=changed_before,
            after=changed_after,
        )
        await session.flush()
    return tenant


# --------------------------------------------------------------------------- the spring command


async def create_tenant(db: Database, *, slug: str, name: str, actor: str) -> m.Tenant:
    tenant_id = uuid.uuid4()
    claims = {**platform_claims(), CLAIM_TENANT: str(tenant_id)}
    async with db.session(claims) as session, session.begin():
        tenant = await insert_tenant(session, slug=slug, name=name, tenant_id=tenant_id)
        session.add(_tenant_created_event(tenant, None, actor))
    return tenant


async def create_user(
    db: Database,
    *,
    tenant_slug: str | None,
    email: str,
    full_name: str,
    role: Role,
    password: str,
    actor: str,
) -> m.User | m.PlatformUser:
    """Create a staff account in a tenant, or a platform administrator (no tenant)."""
    if role is Role.PLATFORM_ADMIN:
        v = Validator(DEFAULT_LOCALE)
        checked_email = v.email(["email"], email)
        name = v.text(["fullName"], full_name)
        checked_password = _password(v, ["password"], password, email=checked_email, full_name=name)
        if tenant_slug:
            v.add(["tenant"], C.INVALID, "role")
        v.raise_if_any()
        assert checked_email is not None and checked_password is not None
        async with db.session(platform_claims()) as session, session.begin():
            taken = await session.scalar(
                select(func.count())
                .select_from(m.PlatformUser)
                .where(func.lower(m.PlatformUser.email) == checked_email.lower())
            )
            if taken:
                raise refuse(DEFAULT_LOCALE, ["email"], C.DUPLICATE, "email_taken")
            admin = m.PlatformUser(
                email=checked_email, full_name=name, password_hash=hash_password(checked_password)
            )
            session.add(admin)
        return admin
    if not tenant_slug:
        raise refuse(DEFAULT_LOCALE, ["tenant"], C.REQUIRED, "required")
    async with db.session(platform_claims()) as session:
        tenant = await session.scalar(select(m.Tenant).where(m.Tenant.slug == tenant_slug))
    if tenant is None:
        raise refuse(DEFAULT_LOCALE, ["tenant"], C.NOT_FOUND, "not_found", kind="Tenant")
    async with db.session(tenant_claims(tenant.id)) as session, session.begin():
        return await insert_user(
            session,
            None,
            tenant_id=tenant.id,
            email=email,
            full_name=full_name,
            role=role,
            password=password,
            system_label=actor,
        )
