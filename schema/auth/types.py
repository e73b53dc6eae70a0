"""The User and Tenant types."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models as m
from resolvers import loaders as rl
from resolvers import requests as rr
from schema.enums import Role, TenantStatus, UserStatus
from schema.guards import guarded
from schema.lists import child_connection
from schema.relay import Connection, model_backed, register_node

if TYPE_CHECKING:
    from schema.requests.types import Request

RequestT = Annotated["Request", strawberry.lazy("schema.requests.types")]


@strawberry.type(description="A distribution partner (tenant).")
@model_backed(m.Tenant)
class Tenant(relay.Node):
    id: relay.NodeID[str]
    slug: str
    name: str
    status: TenantStatus
    heartbeat_interval_s: int = strawberry.field(
        name="heartbeatIntervalSeconds",
        description="Terminals turn OFFLINE after twice this without a heartbeat.",
    )
    default_currency: str
    created_at: dt.datetime
    version: int


@strawberry.type(description="A staff account of a partner, or a platform administrator.")
@model_backed(m.User, m.PlatformUser)
class User(relay.Node):
    id: relay.NodeID[str]
    email: str
    full_name: str
    role: Role
    status: UserStatus
    phone: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    last_login_at: dt.datetime | None = guarded("User.lastLoginAt")

    @strawberry.field(
        description=(
            "The partner this account belongs to; for a platform administrator, the tenant it "
            "acts in (X-Tenant) when read through `me`, else null."
        )
    )
    async def tenant(self, info: Info) -> Tenant | None:
        if self.tenant_id is None:
            return None
        return await info.context.loaders.get(rl.TenantByIdLoader).load(self.tenant_id)

    @strawberry.field(description='Requests this person opened, newest first ("my requests").')
    async def requests(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[RequestT]:
        if self.tenant_id is None:
            return Connection.from_empty()
        return await child_connection(info, rr.AUTHOR_REQUESTS, self.id, first, after, last, before)


register_node("User", rl.UserByIdLoader)
