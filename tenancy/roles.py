"""The roles of DESIGN §1, from the way each partner team works."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    SELLER = "SELLER"
    HOTLINE = "HOTLINE"
    TECHNICIAN = "TECHNICIAN"
    SUPERVISOR = "SUPERVISOR"
    SERVICE = "SERVICE"
    PLATFORM_ADMIN = "PLATFORM_ADMIN"


#: Roles a tenant's user account may hold (PLATFORM_ADMIN belongs to the acquirer only).
TENANT_ROLES: tuple[Role, ...] = (
    Role.SELLER,
    Role.HOTLINE,
    Role.TECHNICIAN,
    Role.SUPERVISOR,
    Role.SERVICE,
)
