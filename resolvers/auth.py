"""Login, and turning a bearer token into the request's principal."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.enums import TenantStatus, UserStatus
from db.models import PlatformUser, Tenant, User
from db.session import Database
from resolvers.errors import NotFound, UserErrorCode, UserErrorData
from tenancy.passwords import burn_verification, verify_password
from tenancy.principal import ANONYMOUS_CLAIMS, Principal, platform_claims
from tenancy.roles import Role
from tenancy.tokens import TokenClaims, issue_token, password_stamp

INVALID_CREDENTIALS = UserErrorData(
    field=None,
    code=UserErrorCode.INVALID_CREDENTIALS,
    message="E-mail or password is incorrect.",
)


@dataclass
class LoginOutcome:
    token: str | None = None
    expires_at: dt.datetime | None = None
    user: User | PlatformUser | None = None
    principal: Principal | None = None
    errors: list[UserErrorData] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Candidate:
    tenant_id: uuid.UUID | None
    tenant_slug: str | None
    user_id: uuid.UUID
    password_hash: str
    status: str
    role: str


async def login(
    db: Database,
    *,
    email: str,
    password: str,
    tenant_slug: str | None,
    secret: str,
    lifetime: dt.timedelta,
) -> LoginOutcome:
    """Check an e-mail and password; return a signed token, or one user error.

    A wrong password and an unknown e-mail give the same error, after the same work (one
    Argon2 verification), so the answer tells nothing about which accounts exist.
    """
    email = email.strip()
    async with db.session(ANONYMOUS_CLAIMS) as session:
        rows = await session.execute(
            text("SELECT * FROM spring_login_candidates(:email)"), {"email": email}
        )
        candidates = [_Candidate(**row._mapping) for row in rows]
    if tenant_slug:
        candidates = [c for c in candidates if c.tenant_slug == tenant_slug.strip().lower()]
    if not candidates:
        await asyncio.to_thread(burn_verification, password)
        return LoginOutcome(errors=[INVALID_CREDENTIALS])

    matching = [
        c for c in candidates if await asyncio.to_thread(verify_password, c.password_hash, password)
    ]
    if not matching:
        return LoginOutcome(errors=[INVALID_CREDENTIALS])
    if len(matching) > 1:
        return LoginOutcome(
            errors=[
                UserErrorData(
                    field=["tenant"],
                    code=UserErrorCode.AMBIGUOUS_ACCOUNT,
                    message="This e-mail has accounts with several partners: name the partner "
                    "with `tenant` (one of: "
                    + ", ".join(sorted(c.tenant_slug or "platform" for c in matching))
                    + ").",
                )
            ]
        )
    found = matching[0]
    if found.status != UserStatus.ACTIVE:
        return LoginOutcome(
            errors=[
                UserErrorData(
                    field=None,
                    code=UserErrorCode.ACCOUNT_DISABLED,
                    message="This account is deactivated. Ask your supervisor.",
                )
            ]
        )

    role = Role(found.role)
    now = dt.datetime.now(dt.UTC)
    if role is Role.PLATFORM_ADMIN:
        claims = platform_claims()
        model: type[User] | type[PlatformUser] = PlatformUser
    else:
        claims = {**ANONYMOUS_CLAIMS, "app.tenant_id": str(found.tenant_id)}
        model = User
    async with db.session(claims) as session, session.begin():
        user = (
            await session.execute(
                update(model)
                .where(model.id == found.user_id)
                .values(last_login_at=now)
                .returning(model)
                .execution_options(synchronize_session=False)
            )
        ).scalar_one()
    token, expires = issue_token(
        secret=secret,
        user_id=user.id,
        tenant_id=found.tenant_id,
        role=role,
        password_changed_at=user.password_changed_at,
        lifetime=lifetime,
        now=now,
    )
    principal = Principal(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=role,
        tenant_id=found.tenant_id,
        tenant_slug=found.tenant_slug,
    )
    return LoginOutcome(token=token, expires_at=expires, user=user, principal=principal)


async def load_principal(session: AsyncSession, claims: TokenClaims) -> Principal | None:
    """The principal a verified token stands for, or None if the account no longer may act.

    Runs in the request's own transaction (whose claims come from the token), so it is the
    database that decides whether the user row is visible at all.
    """
    if claims.role is Role.PLATFORM_ADMIN:
        user: User | PlatformUser | None = await session.get(PlatformUser, claims.user_id)
        slug = None
    else:
        if claims.tenant_id is None:
            return None
        # One statement: the user and their tenant (whose row RLS shows only to its own staff).
        row = (
            await session.execute(
                select(User, Tenant.slug)
                .join(Tenant, Tenant.id == User.tenant_id)
                .where(
                    User.tenant_id == claims.tenant_id,
                    User.id == claims.user_id,
                    Tenant.status == TenantStatus.ACTIVE,
                )
            )
        ).first()
        if row is None:
            return None
        user, slug = row
    if user is None or user.status != UserStatus.ACTIVE:
        return None
    if password_stamp(user.password_changed_at) != claims.password_stamp:
        return None
    role = Role.PLATFORM_ADMIN if isinstance(user, PlatformUser) else user.role
    if role is not claims.role:
        return None
    return Principal(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=role,
        tenant_id=claims.tenant_id,
        tenant_slug=slug,
    )


async def enter_tenant(session: AsyncSession, principal: Principal, slug: str) -> Principal:
    """A PLATFORM_ADMIN acting inside the tenant named by `X-Tenant`."""
    tenant = (
        await session.execute(select(Tenant).where(Tenant.slug == slug.strip().lower()))
    ).scalar_one_or_none()
    if tenant is None:
        raise NotFound(f"No tenant with slug {slug!r}.")
    return Principal(
        user_id=principal.user_id,
        email=principal.email,
        full_name=principal.full_name,
        role=principal.role,
        tenant_id=tenant.id,
        tenant_slug=tenant.slug,
    )
