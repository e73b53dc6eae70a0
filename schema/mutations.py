"""What every mutation shares: the actor, user errors in the payload, IDs in inputs."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any, TypeVar

import strawberry
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from db.session import READ_ONLY
from resolvers.errors import UserErrorCode, UserErrorData
from resolvers.usecase import Actor, Refused, refuse
from schema.errors import UserError, user_errors
from schema.inputs import input_problems
from schema.permissions import allowed, roles_note

T = TypeVar("T")
P = TypeVar("P")


def actor_of(info: Info) -> Actor:
    context = info.context
    return Actor(
        principal=context.require_principal(),
        request_id=context.request_id,
        locale=context.locale(),
        scope=context.db_session,
    )


async def attempt(info: Info, work: Awaitable[T]) -> tuple[T | None, list[UserError]]:
    """Run a use case inside a savepoint of the request's transaction, under the rules every
    input obeys (`schema.inputs`: no card number, no blank required string).

    A refusal rolls back the savepoint only and becomes user errors: what this mutation
    wrote is undone, while the other mutations of the same document keep their writes (so
    no payload reports done what was not). An input breaking those rules is refused, and the
    use case still runs to report its own mistakes too (one answer lists every mistake), but
    read-only: PostgreSQL refuses any write it tries, so the input reaches no table, not even
    as a row rolled back.
    """
    context = info.context
    problems = input_problems(info, context.locale())
    async with context.db_session() as session:
        savepoint = await session.begin_nested()
        if problems:
            await session.execute(SET_READ_ONLY)  # until the savepoint is rolled back
    read_only = READ_ONLY.set(bool(problems))  # and so is any other session it opens
    try:
        result = await work
        if problems:
            raise Refused([])
    except Refused as refused:
        await _roll_back(context, savepoint)
        return None, user_errors(_merged(refused.errors, problems))
    except DBAPIError as exc:
        if not problems or getattr(exc.orig, "sqlstate", None) != READ_ONLY_SQLSTATE:
            raise
        await _roll_back(context, savepoint, failed=True)  # it tried to write: refused as is
        return None, user_errors(problems)
    finally:
        READ_ONLY.reset(read_only)
    async with context.db_session():
        if savepoint.is_active:
            await savepoint.commit()
    return result, []


async def dry_run(info: Info, use_case: Callable[[Actor], Awaitable[Any]]) -> list[UserError]:
    """The user errors `attempt` would answer for a mutation's use case, with nothing written
    (a check such as `validateCompany`: the console validates a form as the user types).

    The very same use case runs, on the same input type (so `schema.inputs`' rules apply to
    the check's `input` as to the mutation's), inside a savepoint that is read-only and then
    always rolled back: every check it makes before writing (formats, uniqueness, the
    target's state, the policy's limits) answers as it would, and its first write is refused
    by PostgreSQL, which ends the run: an input that reaches it has passed every check. Only
    what needs the write itself (a unique violation racing the checks) is not found.

    The session is held for the whole run (the use case is handed a scope that reuses it):
    sibling fields of a query are resolved concurrently and must not read in between, in a
    transaction the refused write has aborted.
    """
    context = info.context
    problems = input_problems(info, context.locale())
    found: list[UserErrorData] = []
    async with context.db_session() as session:

        @asynccontextmanager
        async def held() -> AsyncIterator[AsyncSession]:
            yield session

        actor = replace(actor_of(info), scope=held)
        savepoint = await session.begin_nested()
        read_only = READ_ONLY.set(True)  # and so is any other session it opens
        try:
            await session.execute(SET_READ_ONLY)
            await use_case(actor)
        except Refused as refused:
            found = refused.errors
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) != READ_ONLY_SQLSTATE:
                raise
        finally:
            READ_ONLY.reset(read_only)
            await savepoint.rollback()  # also when the refused write deactivated it
    return user_errors(_merged(found, problems))


async def answer(info: Info, work: Awaitable[Any], payload: Callable[..., P], *fields: str) -> P:
    """Run a mutation's use case (`attempt`) and answer its payload: `fields` name the payload's
    fields that the use case's result fills, `userErrors` holds why it was refused.

        return await answer(info, work(), ShopPayload, "shop")

    With one field, the result is its value; with several, the result is a tuple of their
    values in that order, or an object with attributes of those names. A refused input
    answers null in every one of them.
    """
    result, errors = await attempt(info, work)
    values: dict[str, Any]
    if result is None:
        values = dict.fromkeys(fields)
    elif len(fields) == 1:
        values = {fields[0]: result}
    elif isinstance(result, tuple):
        values = dict(zip(fields, result, strict=True))
    else:
        values = {name: getattr(result, name) for name in fields}
    return payload(**values, user_errors=errors)


#: While a use case runs on an input the rules refused (see `attempt`).
SET_READ_ONLY = text("SET LOCAL transaction_read_only = on")
#: "cannot execute INSERT (UPDATE, SELECT FOR UPDATE, ...) in a read-only transaction"
READ_ONLY_SQLSTATE = "25006"


async def _roll_back(context: Any, savepoint: Any, *, failed: bool = False) -> None:
    """Roll the use case's savepoint back (also when a failed statement deactivated it)."""
    async with context.db_session():
        if savepoint.is_active or failed:
            await savepoint.rollback()
    context.refused = True


def _merged(found: list[UserErrorData], problems: list[UserErrorData]) -> list[UserErrorData]:
    """The use case's errors, then the rules' problems on fields it did not report (a card
    number is named as such even where the use case found another fault)."""
    reported = {tuple(e.field or ()): e.code for e in found}
    extra = [
        p
        for p in problems
        if tuple(p.field or ()) not in reported
        or (
            p.code is UserErrorCode.CARD_DATA_REFUSED
            and reported[tuple(p.field or ())] is not UserErrorCode.CARD_DATA_REFUSED
        )
    ]
    return [*found, *extra]


def input_id(
    info: Info, value: relay.GlobalID | str | None, kind: str | tuple[str, ...], path: list[str]
) -> uuid.UUID:
    """The UUID in an input's global ID; a malformed or wrong-type ID is a user error."""
    kinds = (kind,) if isinstance(kind, str) else kind
    locale = info.context.locale()
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
