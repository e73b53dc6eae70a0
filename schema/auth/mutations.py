"""Mutations of staff accounts (supervisor) and tenants (platform)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import accounts
from schema import descriptions as d
from schema.auth.types import Tenant, User
from schema.descriptions import MUTATION_INPUT, user_errors_field
from schema.enums import Role
from schema.errors import UserError
from schema.mutations import actor_of, answer, input_id, mutation_field, provided


@strawberry.input(description="A new staff account of the partner.")
class CreateUserInput:
    email: str = strawberry.field(description="Sign-in e-mail address; unique within the partner.")
    full_name: str = strawberry.field(description="First and last name.")
    role: Role = strawberry.field(description="What the account may do (not PLATFORM_ADMIN).")
    password: str = strawberry.field(
        description=f"Initial password: {accounts.MIN_PASSWORD_LENGTH} characters at least, "
        "not one of the most common passwords, not the account's e-mail or name (WEAK_PASSWORD)."
    )
    phone: str | None = strawberry.field(
        default=None, description="Phone number, E.164 (e.g. +33612345678)."
    )


@strawberry.input(description="Fields to change; a new password revokes older sessions.")
class UpdateUserInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the account to change.")
    expected_version: int | None = d.expected_version_field("account")
    full_name: str | None = strawberry.field(default=strawberry.UNSET, description="New full name.")
    role: Role | None = strawberry.field(
        default=strawberry.UNSET,
        description="New role: what the account may do (docs/permissions.md).",
    )
    phone: str | None = strawberry.field(
        default=strawberry.UNSET, description="New phone number (E.164); null removes it."
    )
    password: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"A new password, under the same rule as createUser's "
        f"({accounts.MIN_PASSWORD_LENGTH} characters at least, not a common one, not the "
        "account's e-mail or name); it ends the account's other sessions.",
    )


@strawberry.input(description="Close an account; its sessions stop at once.")
class DeactivateUserInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the account to deactivate.")
    reason: str = strawberry.field(description="Why it is closed; kept in the journal.")
    expected_version: int | None = d.expected_version_field("account")


@strawberry.input(description="A new distribution partner.")
class CreateTenantInput:
    slug: str = strawberry.field(description="Short name for X-Tenant: a-z, 0-9 and dashes.")
    name: str = strawberry.field(description="The partner's name.")
    heartbeat_interval_seconds: int | None = strawberry.field(
        default=None,
        description="Seconds between two heartbeats of its terminals, 10 to 3600; 60 when omitted.",
    )
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


@strawberry.input(
    description="The tenant's notification delays: how long before technicians are told "
    "(`updateTenantSettings`). Only the settings given change."
)
class UpdateTenantSettingsInput:
    notify_offline_after_minutes: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Minutes a terminal stays OFFLINE before the technicians are told "
        f"(TERMINAL_OFFLINE): 1 to {accounts.MAX_SETTING_MINUTES} (one week).",
    )
    notify_options_pending_after_minutes: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Minutes terminal options stay PENDING before the technicians are told "
        f"(OPTIONS_PENDING): 1 to {accounts.MAX_SETTING_MINUTES} (one week).",
    )
    expected_version: int | None = strawberry.field(
        default=None,
        description="The tenant's `version` as last read: refused (CONFLICT) if it moved since.",
    )


@strawberry.type(description="The result of a staff account mutation.")
class UserPayload:
    user: User | None = strawberry.field(
        description="The account as it is after the change; null when the input was refused."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="The result of `createTenant`.")
class TenantPayload:
    tenant: Tenant | None = strawberry.field(
        description="The new tenant; null when the input was refused."
    )
    user_errors: list[UserError] = user_errors_field()


async def create_user(info: Info, input: Annotated[CreateUserInput, MUTATION_INPUT]) -> UserPayload:
    work = accounts.create_user_as(
        actor_of(info),
        email=input.email,
        full_name=input.full_name,
        role=input.role,
        password=input.password,
        phone=input.phone,
    )
    return await answer(info, work, UserPayload, "user")


async def update_user(info: Info, input: Annotated[UpdateUserInput, MUTATION_INPUT]) -> UserPayload:
    async def work() -> Any:
        user_id = input_id(info, input.id, "User", ["input", "id"])
        changes = provided(input, "full_name", "role", "phone", "password")
        return await accounts.update_user(actor_of(info), user_id, changes, input.expected_version)

    return await answer(info, work(), UserPayload, "user")


async def deactivate_user(
    info: Info, input: Annotated[DeactivateUserInput, MUTATION_INPUT]
) -> UserPayload:
    async def work() -> Any:
        user_id = input_id(info, input.id, "User", ["input", "id"])
        return await accounts.deactivate_user(
            actor_of(info), user_id, input.reason, input.expected_version
        )

    return await answer(info, work(), UserPayload, "user")


async def create_tenant(
    info: Info, input: Annotated[CreateTenantInput, MUTATION_INPUT]
) -> TenantPayload:
    work = accounts.create_tenant_as(
        actor_of(info),
        info.context.db,
        input.slug,
        input.name,
        input.heartbeat_interval_seconds,
        input.time_zone,
    )
    return await answer(info, work, TenantPayload, "tenant")


async def update_tenant_settings(
    info: Info, input: Annotated[UpdateTenantSettingsInput, MUTATION_INPUT]
) -> TenantPayload:
    async def work() -> Any:
        changes = {
            name: getattr(input, attribute)
            for name, attribute in (
                ("notifyOfflineAfterMinutes", "notify_offline_after_minutes"),
                ("notifyOptionsPendingAfterMinutes", "notify_options_pending_after_minutes"),
            )
            if getattr(input, attribute) is not strawberry.UNSET
        }
        return await accounts.update_tenant_settings(
            actor_of(info), changes, input.expected_version
        )

    return await answer(info, work(), TenantPayload, "tenant")


async def update_tenant(
    info: Info, input: Annotated[UpdateTenantInput, MUTATION_INPUT]
) -> TenantPayload:
    async def work() -> Any:
        tenant_id = input_id(info, input.id, "Tenant", ["input", "id"])
        changes = provided(input, "time_zone")
        return await accounts.update_tenant_as(
            actor_of(info), info.context.db, tenant_id, changes, input.expected_version
        )

    return await answer(info, work(), TenantPayload, "tenant")


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
    update_tenant_settings: TenantPayload | None = mutation_field(
        update_tenant_settings,
        "updateTenantSettings",
        "Change the tenant's notification delays (a supervisor for their own tenant; a "
        "platform administrator names the tenant with X-Tenant). Journaled "
        "`tenant.settings_updated`, with the values before and after.",
    )
    update_tenant: TenantPayload | None = mutation_field(
        update_tenant,
        "updateTenant",
        "Change a distribution partner's settings, today its time zone (platform "
        "administrators); journalled in the tenant.",
    )
