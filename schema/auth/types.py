"""The User and Tenant types."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from db.models import PlatformUser
from db.models import Tenant as TenantModel
from db.models import User as UserModel
from schema.enums import Role, TenantStatus, UserStatus
from tenancy.roles import Role as RoleValue


@strawberry.type(description="A distribution partner (tenant).")
class Tenant(relay.Node):
    id: relay.NodeID[str]
    slug: str
    name: str
    status: TenantStatus
    created_at: dt.datetime

    @classmethod
    def from_model(cls, model: TenantModel) -> Tenant:
        return cls(
            id=str(model.id),
            slug=model.slug,
            name=model.name,
            status=model.status,
            created_at=model.created_at,
        )


@strawberry.type(description="A staff account of a partner, or a platform administrator.")
class User(relay.Node):
    id: relay.NodeID[str]
    email: str
    full_name: str
    role: Role
    status: UserStatus
    last_login_at: dt.datetime | None
    created_at: dt.datetime
    tenant_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(description="The partner this account belongs to (null for the platform).")
    async def tenant(self, info: Info) -> Tenant | None:
        if self.tenant_id is None:
            return None
        async with info.context.db_session() as session:
            model = await session.get(TenantModel, self.tenant_id)
        return Tenant.from_model(model) if model is not None else None

    @classmethod
    def from_model(cls, model: UserModel | PlatformUser) -> User:
        role: Any = RoleValue.PLATFORM_ADMIN if isinstance(model, PlatformUser) else model.role
        return cls(
            id=str(model.id),
            email=model.email,
            full_name=model.full_name,
            role=role,
            status=model.status,
            last_login_at=model.last_login_at,
            created_at=model.created_at,
            tenant_id=None if isinstance(model, PlatformUser) else model.tenant_id,
        )
