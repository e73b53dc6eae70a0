"""Mutations of staff accounts (supervisor) and tenants (platform)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import accounts
from schema.auth.types import Tenant, User
from schema.enums import Role
from schema.errors import UserError
from schema.mutations import actor_of, attempt, input_id, mutation_field, provided


@strawberry.input(description="A new staff account of the partner.")
class CreateUserInput:
    email: str
    full_name: str
    role: Role
    password: str = strawberry.field(
        description=f"Initial password, {accounts.MIN_PASSWORD_LENGTH} characters at least."
    )
    phone: str | None = None


@strawberry.input(description="Fields to change; a new password revokes older sessions.")
class UpdateUserInput:
    id: strawberry.ID
    expected_version: int | None = None
    full_name: str | None = strawberry.UNSET
    role: Role | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    password: str | None = strawberry.UNSET


@strawberry.input(description="Close an account; its sessions stop at once.")
class DeactivateUserInput:
    id: strawberry.ID
    reason: str
    expected_version: int | None = None


@strawberry.input(description="A new distribution partner.")
class CreateTenantInput:
    slug: str = strawberry.field(description="Short name for X-Tenant: a-z, 0-9 and dashes.")
    name: str
    heartbeat_interval_seconds: int | None = None
    time_zone: str | None = strawberry.field(
        default=None,
        description="The partner's IANA time zone (e.g. `America/Guadeloupe`); "
        "Europe/Paris when omitted. An unknown name is a user error.",
    )


@strawberry.input(description="Settings of a distribution partner to change (platform).")
class UpdateTenantInput:
    id: strawberry.ID = strawberry.field(description="The tenant's global id.")
    time_zone: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The partner's new IANA time zone (e.g. `America/Martinique`): its "
        "statistics days, terminals' settlement times and the times in hints and "
        "notifications follow it. An unknown name is a user error.",
    )
    expected_version: int | None = strawberry.field(
        default=None, description="The tenant's `version` as read: a stale one is CONFLICT."
    )


@strawberry.type
class UserPayload:
    user: User | None
    user_errors: list[UserError]


@strawberry.type
class TenantPayload:
    tenant: Tenant | None
    user_errors: list[UserError]


async def create_user(info: Info, input: CreateUserInput) -> UserPayload:
    work = accounts.create_user_as(
        actor_of(info),
        email=input.email,
        full_name=input.full_name,
        role=input.role,
        password=input.password,
        phone=input.phone,
    )
    user, errors = await attempt(info, work)
    return UserPayload(user=user, user_errors=errors)  # type: ignore[arg-type]


async def update_user(info: Info, input: UpdateUserInput) -> UserPayload:
    async def work() -> Any:
        user_id = input_id(info, input.id, "User", ["input", "id"])
        changes = provided(input, "full_name", "role", "phone", "password")
        return await accounts.update_user(actor_of(info), user_id, changes, input.expected_version)

    user, errors = await attempt(info, work())
    return UserPayload(user=user, user_errors=errors)


async def deactivate_user(info: Info, input: DeactivateUserInput) -> UserPayload:
    async def work() -> Any:
        user_id = input_id(info, input.id, "User", ["input", "id"])
        return await accounts.deactivate_user(
            actor_of(info), user_id, input.reason, input.expected_version
        )

    user, errors = await attempt(info, work())
    return UserPayload(user=user, user_errors=errors)


async def create_tenant(info: Info, input: CreateTenantInput) -> TenantPayload:
    work = accounts.create_tenant_as(
        actor_of(info),
        info.context.db,
        input.slug,
        input.name,
        input.heartbeat_interval_seconds,
        input.time_zone,
    )
    tenant, errors = await attempt(info, work)
    return TenantPayload(tenant=tenant, user_errors=errors)  # type: ignore[arg-type]


async def update_tenant(info: Info, input: UpdateTenantInput) -> TenantPayload:
    async def work() -> Any:
        tenant_id = input_id(info, input.id, "Tenant", ["input", "id"])
        changes = provided(input, "time_zone")
        return await accounts.update_tenant_as(
            actor_of(info), info.context.db, tenant_id, changes, input.expected_version
        )

    tenant, errors = await attempt(info, work())
    return TenantPayload(tenant=tenant, user_errors=errors)  # type: ignore[arg-type]


@strawberry.type
class AccountMutation:
    create_user: UserPayload | None = mutation_field(
        create_user, "createUser", "Create a staff account of the partner."
    )
    update_user: UserPayload | None = mutation_field(
        update_user, "updateUser", "Edit a staff account; a new password revokes its sessions."
    )
    deactivate_user: UserPayload | None = mutation_field(
        deactivate_user, "deactivateUser", "Deactivate a staff account (reason required)."
    )
    create_tenant: TenantPayload | None = mutation_field(
        create_tenant, "createTenant", "Create a distribution partner (platform administrators)."
    )
    update_tenant: TenantPayload | None = mutation_field(
        update_tenant,
        "updateTenant",
        "Change a distribution partner's settings, today its time zone (platform "
        "administrators); journalled in the tenant.",
    )
