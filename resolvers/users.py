"""Staff accounts and tenants (lists)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from db import models as m
from db.enums import UserStatus
from resolvers.listing import choose, like_pattern, orderings
from resolvers.pagination import Page, PageArgs, SessionScope, paginate
from tenancy.roles import Role


@dataclass(frozen=True)
class UserFilter:
    role: list[Role] | None = None
    status: list[UserStatus] | None = None
    text: str | None = None


USER_ORDERINGS = orderings(
    {"EMAIL": (m.User.email, m.User.id), "CREATED_AT": (m.User.created_at, m.User.id)}, "users"
)
TENANT_ORDERINGS = orderings({"SLUG": (m.Tenant.slug, m.Tenant.id)}, "tenants")


def user_query(f: UserFilter) -> Select[tuple[m.User]]:
    stmt = select(m.User)
    if f.role:
        stmt = stmt.where(m.User.role.in_(f.role))
    if f.status:
        stmt = stmt.where(m.User.status.in_(f.status))
    if f.text and f.text.strip():
        pattern = like_pattern(f.text)
        stmt = stmt.where(or_(m.User.email.ilike(pattern), m.User.full_name.ilike(pattern)))
    return stmt


async def list_users(
    scope: SessionScope, f: UserFilter, order: tuple[str, bool], args: PageArgs
) -> Page[m.User]:
    return await paginate(scope, user_query(f), choose(USER_ORDERINGS, *order), args)


async def list_tenants(scope: SessionScope, args: PageArgs) -> Page[m.Tenant]:
    return await paginate(scope, select(m.Tenant), TENANT_ORDERINGS[("SLUG", False)], args)
