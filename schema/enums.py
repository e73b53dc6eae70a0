"""GraphQL enums, wrapping the domain's Python enums (one source of truth)."""

from __future__ import annotations

import strawberry

from db import enums as e
from tenancy.roles import Role as _Role

Role = strawberry.enum(_Role, name="Role", description="A staff member's role (DESIGN §1).")
UserStatus = strawberry.enum(e.UserStatus, name="UserStatus")
TenantStatus = strawberry.enum(e.TenantStatus, name="TenantStatus")
