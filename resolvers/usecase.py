"""What every mutation use case receives and how it refuses.

A use case checks everything first and raises `Refused` with all the user errors it found;
only then does it write, journal included, in the request's one transaction. The schema
turns `Refused` into the payload's `userErrors` and rolls the transaction back, so bad input
writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.enums import ActorKind
from resolvers.errors import UserErrorCode, UserErrorData
from resolvers.messages import message
from resolvers.pagination import SessionScope
from tenancy.principal import Principal


@dataclass(frozen=True)
class Actor:
    """Who acts, in which request, speaking which language, through which session."""

    principal: Principal
    request_id: str
    locale: str
    scope: SessionScope

    @property
    def tenant_id(self) -> uuid.UUID:
        if self.principal.tenant_id is None:
            raise RuntimeError("a tenant is required")
        return self.principal.tenant_id

    @property
    def kind(self) -> ActorKind:
        return ActorKind.PLATFORM if self.principal.is_platform else ActorKind.USER

    @property
    def label(self) -> str:
        return self.principal.email


class Refused(Exception):
    """The input or the state does not allow the mutation; nothing was written."""

    def __init__(self, errors: Sequence[UserErrorData]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)


@dataclass
class Problems:
    """Collects user errors in the caller's language; `raise_if_any` refuses with all of them."""

    locale: str
    errors: list[UserErrorData] = field(default_factory=list)

    def add(self, path: Sequence[str] | None, code: UserErrorCode, key: str, **params: Any) -> None:
        self.errors.append(
            UserErrorData(
                field=list(path) if path is not None else None,
                code=code,
                message=message(key, self.locale, **params),
            )
        )

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise Refused(self.errors)


def refuse(
    locale: str, path: Sequence[str] | None, code: UserErrorCode, key: str, **params: Any
) -> Refused:
    problems = Problems(locale)
    problems.add(path, code, key, **params)
    return Refused(problems.errors)


async def load_for_update(
    session: AsyncSession,
    model: type[Any],
    entity_id: uuid.UUID,
    *,
    locale: str,
    path: Sequence[str],
    kind: str,
) -> Any:
    """The row, locked for this transaction; refuses when missing or not the caller's."""
    row = (
        await session.execute(
            select(model)
            .where(model.id == entity_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if row is None:
        raise refuse(locale, path, UserErrorCode.NOT_FOUND, "not_found", kind=kind)
    return row


def check_version(row: Any, expected: int | None, locale: str) -> None:
    """Optimistic locking: a stale `expectedVersion` is a CONFLICT and nothing is written."""
    if expected is not None and row.version != expected:
        raise refuse(
            locale,
            ["input", "expectedVersion"],
            UserErrorCode.CONFLICT,
            "conflict",
            current=row.version,
            expected=expected,
        )
