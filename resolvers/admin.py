"""Platform and account administration used by the `spring` command (tenants, users)."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from db.enums import ActorKind
from db.models import AuditEvent, PlatformUser, Tenant, User
from db.session import Database
from resolvers.errors import UserErrorCode, UserErrorData
from tenancy.passwords import hash_password
from tenancy.principal import platform_claims, tenant_claims
from tenancy.roles import TENANT_ROLES, Role

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
MIN_PASSWORD_LENGTH = 10


class AdminError(Exception):
    """A refused administrative action; `errors` say why."""

    def __init__(self, errors: list[UserErrorData]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def _error(field: str, code: UserErrorCode, message: str) -> UserErrorData:
    return UserErrorData(field=[field], code=code, message=message)


async def create_tenant(db: Database, *, slug: str, name: str, actor: str) -> Tenant:
    slug = slug.strip().lower()
    errors = []
    if not SLUG.match(slug):
        errors.append(
            _error("slug", UserErrorCode.INVALID, "2-40 lowercase letters, digits or dashes.")
        )
    if not name.strip():
        errors.append(_error("name", UserErrorCode.REQUIRED, "A name is required."))
    if errors:
        raise AdminError(errors)
    tenant = Tenant(id=uuid.uuid4(), slug=slug, name=name.strip())
    try:
        async with db.session(platform_claims()) as session, session.begin():
            session.add(tenant)
            await session.flush()
    except IntegrityError as exc:
        raise AdminError(
            [_error("slug", UserErrorCode.DUPLICATE, f"A tenant named {slug!r} exists.")]
        ) from exc
    async with db.session(tenant_claims(tenant.id)) as session, session.begin():
        session.add(
            AuditEvent(
                tenant_id=tenant.id,
                actor_kind=ActorKind.SYSTEM,
                actor_label=actor,
                action="tenant.created",
                entity_type="Tenant",
                entity_id=tenant.id,
                after={"slug": slug, "name": tenant.name},
            )
        )
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
) -> User | PlatformUser:
    """Create a staff account in a tenant, or a platform administrator (no tenant)."""
    email = email.strip()
    errors = []
    if not EMAIL.match(email):
        errors.append(_error("email", UserErrorCode.INVALID_EMAIL, "Not an e-mail address."))
    if not full_name.strip():
        errors.append(_error("fullName", UserErrorCode.REQUIRED, "A name is required."))
    if len(password) < MIN_PASSWORD_LENGTH:
        errors.append(
            _error(
                "password",
                UserErrorCode.INVALID,
                f"At least {MIN_PASSWORD_LENGTH} characters.",
            )
        )
    if role is Role.PLATFORM_ADMIN and tenant_slug:
        errors.append(_error("tenant", UserErrorCode.INVALID, "Platform admins have no tenant."))
    if role in TENANT_ROLES and not tenant_slug:
        errors.append(_error("tenant", UserErrorCode.REQUIRED, "Name the tenant (its slug)."))
    if errors:
        raise AdminError(errors)

    password_hash = hash_password(password)
    if role is Role.PLATFORM_ADMIN:
        async with db.session(platform_claims()) as session, session.begin():
            taken = await session.scalar(
                select(func.count())
                .select_from(PlatformUser)
                .where(func.lower(PlatformUser.email) == email.lower())
            )
            if taken:
                raise AdminError(
                    [_error("email", UserErrorCode.DUPLICATE, "This e-mail is taken.")]
                )
            admin = PlatformUser(
                email=email, full_name=full_name.strip(), password_hash=password_hash
            )
            session.add(admin)
        return admin

    async with db.session(platform_claims()) as session:
        tenant = await session.scalar(select(Tenant).where(Tenant.slug == tenant_slug))
    if tenant is None:
        raise AdminError([_error("tenant", UserErrorCode.NOT_FOUND, "No such tenant.")])
    async with db.session(tenant_claims(tenant.id)) as session, session.begin():
        taken = await session.scalar(
            select(func.count()).select_from(User).where(func.lower(User.email) == email.lower())
        )
        if taken:
            raise AdminError(
                [_error("email", UserErrorCode.DUPLICATE, "This e-mail is taken in this tenant.")]
            )
        user = User(
            id=uuid.uuid4(),
            tenant_id=tenant.id,
            email=email,
            full_name=full_name.strip(),
            role=role,
            password_hash=password_hash,
        )
        session.add(user)
        session.add(
            AuditEvent(
                tenant_id=tenant.id,
                actor_kind=ActorKind.SYSTEM,
                actor_label=actor,
                action="user.created",
                entity_type="User",
                entity_id=user.id,
                after={"email": email, "fullName": user.full_name, "role": role.value},
            )
        )
    return user
