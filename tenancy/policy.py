"""The one permission policy: which role may run which operation and read which field.

It is data, not `if` statements: the schema consults it for every guarded field, and the
permission matrix in docs/ is generated from it. PLATFORM_ADMIN, acting inside a tenant named
by `X-Tenant`, has a supervisor's rights there; without a tenant only platform operations.
"""

from __future__ import annotations

from collections.abc import Iterable

from tenancy.principal import Principal
from tenancy.roles import Role

SELLER, HOTLINE, TECHNICIAN, SUPERVISOR, SERVICE, PLATFORM_ADMIN = (
    Role.SELLER,
    Role.HOTLINE,
    Role.TECHNICIAN,
    Role.SUPERVISOR,
    Role.SERVICE,
    Role.PLATFORM_ADMIN,
)

STAFF: frozenset[Role] = frozenset({SELLER, HOTLINE, TECHNICIAN, SUPERVISOR})
EVERYONE: frozenset[Role] = frozenset(Role)

#: Operations (root fields) → roles that may run them. `PUBLIC` ones need no token.
PUBLIC_OPERATIONS: frozenset[str] = frozenset({"login"})

OPERATIONS: dict[str, frozenset[Role]] = {
    "me": EVERYONE,
    "tenants": frozenset({PLATFORM_ADMIN}),
}

#: Operations a PLATFORM_ADMIN may run without naming a tenant.
PLATFORM_LEVEL_OPERATIONS: frozenset[str] = frozenset({"me", "tenants", "createTenant"})


def effective_role(principal: Principal) -> Role:
    """The role whose rights apply: a platform admin inside a tenant acts as its supervisor."""
    if principal.is_platform and principal.tenant_id is not None:
        return SUPERVISOR
    return principal.role


def may_run(principal: Principal, operation: str) -> bool:
    if operation in PUBLIC_OPERATIONS:
        return True
    allowed = OPERATIONS.get(operation)
    if allowed is None:
        return False  # unknown operations are denied: nothing is open by omission
    if principal.is_platform:
        if PLATFORM_ADMIN in allowed:
            return True
        return principal.tenant_id is not None and SUPERVISOR in allowed
    return principal.role in allowed


def roles_allowed(operation: str) -> Iterable[Role]:
    return sorted(OPERATIONS.get(operation, frozenset()), key=list(Role).index)
