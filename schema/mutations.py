"""What every mutation shares: the actor, user errors in the payload, IDs in inputs."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable
from typing import Any, TypeVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.errors import UserErrorCode
from resolvers.messages import locale_from
from resolvers.usecase import Actor, Refused, refuse
from schema.errors import UserError, user_errors
from schema.inputs import input_problems
from schema.permissions import allowed, roles_note

T = TypeVar("T")


def actor_of(info: Info) -> Actor:
    context = info.context
    return Actor(
        principal=context.require_principal(),
        request_id=context.request_id,
        locale=locale_from(context.request.headers.get("accept-language")),
        scope=context.db_session,
    )


async def attempt(info: Info, work: Awaitable[T]) -> tuple[T | None, list[UserError]]:
    """Run a use case inside a savepoint of the request's transaction, under the rules every
    input obeys (`schema.inputs`: no card number, no blank required string).

    A refusal rolls back the savepoint only and becomes user errors: what this mutation
    wrote is undone, while the other mutations of the same document keep their writes (so
    no payload reports done what was not). A card number anywhere in the input refuses it
    before the use case starts (it must reach no table, not even a rolled-back row); a blank
    required string lets the use case run to report its own mistakes too (one answer lists
    every mistake), then is refused and rolled back whatever the use case made of it.
    """
    context = info.context
    problems = input_problems(info, locale_from(context.request.headers.get("accept-language")))
    if any(p.code is UserErrorCode.CARD_DATA_REFUSED for p in problems):
        if inspect.iscoroutine(work):
            work.close()
        context.refused = True
        return None, user_errors(problems)
    async with context.db_session() as session:
        savepoint = await session.begin_nested()
    try:
        result = await work
        if problems:
            raise Refused([])
    except Refused as refused:
        async with context.db_session():
            if savepoint.is_active:
                await savepoint.rollback()
        context.refused = True
        reported = {(tuple(e.field or ()), e.code) for e in refused.errors}
        extra = [p for p in problems if (tuple(p.field or ()), p.code) not in reported]
        return None, user_errors([*refused.errors, *extra])
    async with context.db_session():
        if savepoint.is_active:
            await savepoint.commit()
    return result, []


def input_id(
    info: Info, value: relay.GlobalID | str | None, kind: str | tuple[str, ...], path: list[str]
) -> uuid.UUID:
    """The UUID in an input's global ID; a malformed or wrong-type ID is a user error."""
    kinds = (kind,) if isinstance(kind, str) else kind
    locale = locale_from(info.context.request.headers.get("accept-language"))
    try:
        gid = value if isinstance(value, relay.GlobalID) else relay.GlobalID.from_id(str(value))
        if gid.type_name not in kinds:
            raise ValueError(gid.type_name)
        return uuid.UUID(gid.node_id)
    except (ValueError, TypeError) as exc:
        raise refuse(
            locale, path, UserErrorCode.INVALID_REFERENCE, "wrong_id", kind=" / ".join(kinds)
        ) from exc


def provided(input_object: Any, *names: str) -> dict[str, Any]:
    """The fields the client actually sent (not UNSET), by Python name."""
    values = {}
    for name in names or vars(input_object):
        value = getattr(input_object, name)
        if value is not strawberry.UNSET:
            values[name] = value
    return values


def mutation_field(resolver: Any, operation: str, description: str) -> Any:
    """A mutation guarded by the policy's operation, its roles appended to the description."""
    return strawberry.mutation(
        resolver=resolver,
        description=f"{description} {roles_note(operation)}",
        extensions=allowed(operation),
    )
