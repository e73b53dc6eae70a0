"""Who is asking, and the database claims every transaction of theirs carries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tenancy.roles import Role

#: PostgreSQL settings set with set_config(..., true) at the start of every transaction.
#: Row-level security policies read app.tenant_id and app.platform.
CLAIM_TENANT = "app.tenant_id"
CLAIM_USER = "app.user_id"
CLAIM_ROLE = "app.role"
CLAIM_PLATFORM = "app.platform"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller.

    `tenant_id` is the tenant the caller acts in: a tenant user's own tenant, or for a
    PLATFORM_ADMIN the tenant named by the `X-Tenant` header (None without it).
    """

    user_id: uuid.UUID
    email: str
    full_name: str
    role: Role
    tenant_id: uuid.UUID | None
    tenant_slug: str | None = None
    #: The login (user_sessions / platform_sessions row) the request's token belongs to.
    session_id: uuid.UUID | None = None
    #: The language chosen on the account page (`fr`/`en`), None when not chosen.
    language: str | None = None
    #: A supervisor reset the password: only changePassword (and `me`, `logout`) may run.
    password_change_required: bool = False

    @property
    def is_platform(self) -> bool:
        return self.role is Role.PLATFORM_ADMIN

    def db_claims(self) -> dict[str, str]:
        return {
            CLAIM_TENANT: str(self.tenant_id) if self.tenant_id else "",
            CLAIM_USER: str(self.user_id),
            CLAIM_ROLE: self.role.value,
            CLAIM_PLATFORM: "on" if self.is_platform else "",
        }


def claims_for(user_id: uuid.UUID, role: Role, tenant_id: uuid.UUID | None) -> dict[str, str]:
    """The database claims of a caller known by id, role and tenant (e.g. from a token)."""
    return Principal(
        user_id=user_id, email="", full_name="", role=role, tenant_id=tenant_id
    ).db_claims()


#: Claims of a caller that is not authenticated: no tenant, no rows.
ANONYMOUS_CLAIMS: dict[str, str] = {
    CLAIM_TENANT: "",
    CLAIM_USER: "",
    CLAIM_ROLE: "",
    CLAIM_PLATFORM: "",
}


def tenant_claims(tenant_id: uuid.UUID) -> dict[str, str]:
    """Claims of a system actor working inside one tenant (simulator, scheduled unblocks)."""
    return {**ANONYMOUS_CLAIMS, CLAIM_TENANT: str(tenant_id), CLAIM_ROLE: "SYSTEM"}


def platform_claims() -> dict[str, str]:
    """Claims of a system actor at platform level (tenant lookup for X-Tenant)."""
    return {**ANONYMOUS_CLAIMS, CLAIM_PLATFORM: "on", CLAIM_ROLE: "SYSTEM"}
