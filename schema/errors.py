"""`UserError`, the error type of every mutation payload (DESIGN §4)."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry

from resolvers.errors import UserErrorCode as _UserErrorCode
from resolvers.errors import UserErrorData

UserErrorCode = strawberry.enum(
    _UserErrorCode, name="UserErrorCode", description="Why a mutation's input was refused."
)


@strawberry.type(description="A business error: what input it concerns, a code, and a message.")
class UserError:
    field: list[str] | None = strawberry.field(
        description='Path to the input field concerned, e.g. `["input", "siren"]`.'
    )
    code: UserErrorCode
    message: str

    @classmethod
    def from_data(cls, data: UserErrorData) -> UserError:
        return cls(
            field=list(data.field) if data.field is not None else None,
            code=data.code,
            message=data.message,
        )


def user_errors(errors: Iterable[UserErrorData]) -> list[UserError]:
    return [UserError.from_data(e) for e in errors]
