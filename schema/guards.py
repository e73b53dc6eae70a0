"""Field guards generated from the policy, and the masking rules they apply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from resolvers.errors import Forbidden, Text
from tenancy import policy
from tenancy.masking import MASKERS
from tenancy.policy import Access
from tenancy.principal import Principal


def access_note(field: str) -> str:
    """Who may read a guarded field, for its description (GraphiQL shows it)."""
    rules = policy.field_roles(field)
    parts = [
        f"{role.value}{' (masked)' if a is Access.MASKED else ''}" for role, a in rules.items()
    ]
    if field in policy.OWN_FIELDS:
        parts.append("the account itself")
    if not parts:
        return "Readable by no role."
    return "Readable by: " + ", ".join(parts) + "."


class Guard(FieldExtension):
    """Resolves a field only for the roles the policy lets read it; masks where it says.

    A denied field resolves to null with a FORBIDDEN error at its path.
    """

    def __init__(self, field: str) -> None:
        self.field = field
        self.mask = MASKERS[policy.MASKS[field]] if field in policy.MASKS else None
        #: Whether access depends on the row (its owner) as well as the role: such a field is
        #: decided per row, never once per list (engine/completion.py).
        self.per_row = policy.depends_on_owner(field)

    def apply(self, field: StrawberryField) -> None:
        note = access_note(self.field)
        field.description = f"{field.description} {note}" if field.description else note

    def access_for(self, principal: Principal) -> Access | None:
        """FULL, MASKED, or None (denied) for this caller: decided by the policy alone."""
        return policy.field_access(principal, self.field)

    def denied(self) -> Forbidden:
        """The error a denied read raises (a new one per read: it gets located)."""
        return Forbidden(Text("field_forbidden", field=self.field), field=self.field)

    def _access(self, source: Any, info: Info) -> Access:
        principal = info.context.require_principal()
        if self.per_row:
            access = policy.field_access(
                principal, self.field, owner_id=getattr(source, "id", None)
            )
        else:
            access = self.access_for(principal)
        if access is None:
            raise self.denied()
        return access

    def finish(self, access: Access, value: Any) -> Any:
        """A read value as the role sees it (masked where the policy says so)."""
        if access is Access.MASKED and self.mask is not None:
            return self.mask(value)
        return value

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        access = self._access(source, info)
        return self.finish(access, next_(source, info, **kwargs))

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        access = self._access(source, info)
        return self.finish(access, await next_(source, info, **kwargs))


def guarded(field: str, description: str | None = None, **kwargs: Any) -> Any:
    """A field readable as `tenancy.policy.FIELDS[field]` says."""
    if field not in policy.FIELDS:
        raise KeyError(f"{field} is not in the policy's FIELDS")
    return strawberry.field(description=description, extensions=[Guard(field)], **kwargs)
