"""Field permissions: each guarded field names its operation; the policy decides."""

from __future__ import annotations

from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from resolvers.errors import Forbidden, Text
from tenancy import policy
from tenancy.principal import Principal


class Allowed(BasePermission):
    """Lets the field run when `tenancy.policy` allows the caller's role the operation.

    Synchronous on purpose: the role is known before execution (STACK-NOTES).
    """

    message = "Not allowed."

    def __init__(self, operation: str) -> None:
        self.operation = operation

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if self.operation in policy.PUBLIC_OPERATIONS:
            return True
        check_operation(info.context.require_principal(), self.operation)
        return True


def check_operation(principal: Principal, operation: str) -> None:
    """Raises Forbidden unless the policy lets the caller run `operation` now (the guarded
    fields, and the CSV exports of their lists)."""
    if principal.is_platform and principal.tenant_id is None:
        if operation not in policy.PLATFORM_LEVEL_OPERATIONS:
            raise Forbidden(Text("x_tenant_required"), operation=operation)
    if not policy.may_run(principal, operation):
        raise Forbidden(
            Text("operation_forbidden", role=principal.role.value, operation=operation),
            operation=operation,
        )
    if (
        principal.password_change_required
        and operation not in policy.WHILE_PASSWORD_CHANGE_REQUIRED
    ):
        raise Forbidden(Text("password_change_first"), operation=operation)


def allowed(operation: str) -> list[FieldExtension]:
    """Field extensions guarding a field with the policy: `strawberry.field(extensions=...)`."""
    return [PermissionExtension(permissions=[Allowed(operation)], use_directives=False)]


def roles_note(operation: str) -> str:
    """The sentence appended to a guarded field's description (who may use it)."""
    if operation in policy.PUBLIC_OPERATIONS:
        return "Open to everyone (no token needed)."
    roles = ", ".join(r.value for r in policy.roles_allowed(operation))
    return f"Requires one of the roles: {roles}."
