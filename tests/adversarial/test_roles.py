"""Every mutation (and every root query) for every caller the policy denies: FORBIDDEN (or
UNAUTHENTICATED without a token), no data, nothing written. The inputs name the caller's own
objects, valid where possible, so a missing guard would show as a write."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tenancy import policy
from tests.adversarial.conftest import (
    CALLERS,
    MUTATIONS,
    QUERIES,
    Inputs,
    World,
    codes,
    fingerprint,
    may_run,
    operation,
    payload_selection,
    selection,
)
from tests.conftest import GraphQLClient


def test_every_operation_is_in_the_policy() -> None:
    """Nothing is open by omission: each root field is named by the policy."""
    known = set(policy.OPERATIONS) | set(policy.PUBLIC_OPERATIONS)
    assert set(MUTATIONS) - known == set()
    assert set(QUERIES) - known == set()


def _denied(world: World, caller: str, operations: dict) -> list[str]:
    return sorted(name for name in operations if not may_run(caller, name, world.a.tenant_id))


def test_the_suite_covers_many_denials(world: World) -> None:
    total = sum(len(_denied(world, c, MUTATIONS)) for c in CALLERS)
    assert total >= 150, total


@pytest.mark.parametrize("caller", CALLERS)
async def test_denied_mutations_are_forbidden_and_write_nothing(
    client: GraphQLClient, world: World, owner_engine: AsyncEngine, caller: str
) -> None:
    who = world.caller(client, caller)
    expected = "UNAUTHENTICATED" if caller == "ANONYMOUS" else "FORBIDDEN"
    problems = []
    before = await fingerprint(owner_engine, world.a.tenant_id, world.b.tenant_id)
    for name in _denied(world, caller, MUTATIONS):
        field_ = MUTATIONS[name]
        values = Inputs(world.a).arguments(field_, name)
        body = await who.post(
            operation("mutation", name, field_, values, payload_selection(field_)), values
        )
        if (body.get("data") or {}).get(name) is not None:
            problems.append(f"{name}: answered {body['data'][name]}")
        if codes(body) != [expected]:
            problems.append(f"{name}: {codes(body)} instead of {expected}: {body.get('errors')}")
        after = await fingerprint(owner_engine, world.a.tenant_id, world.b.tenant_id)
        if after != before:
            problems.append(f"{name}: wrote to {sorted(k for k in after if after[k] != before[k])}")
            before = after
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("caller", CALLERS)
async def test_denied_queries_are_forbidden(
    client: GraphQLClient, world: World, caller: str
) -> None:
    who = world.caller(client, caller)
    expected = "UNAUTHENTICATED" if caller == "ANONYMOUS" else "FORBIDDEN"
    problems = []
    for name in _denied(world, caller, QUERIES):
        field_ = QUERIES[name]
        values = Inputs(world.a).arguments(field_, name)
        body = await who.post(
            operation("query", name, field_, values, selection(field_.type, 1)), values
        )
        if (body.get("data") or {}).get(name) is not None:
            problems.append(f"{name}: answered {body['data'][name]}")
        if codes(body) != [expected]:
            problems.append(f"{name}: {codes(body)} instead of {expected}")
    assert not problems, "\n".join(problems)


async def test_allowed_operations_do_get_past_the_guard(
    client: GraphQLClient, world: World
) -> None:
    """The control: the same inputs, by a caller the policy allows, are not FORBIDDEN."""
    problems = []
    for name in sorted(MUTATIONS):
        allowed = [c for c in CALLERS if may_run(c, name, world.a.tenant_id)]
        if not allowed or name in policy.PUBLIC_OPERATIONS:
            continue
        field_ = MUTATIONS[name]
        values = Inputs(world.a).arguments(field_, name)
        body = await world.caller(client, allowed[0]).post(
            operation("mutation", name, field_, values, payload_selection(field_)), values
        )
        if "FORBIDDEN" in codes(body) and not (body.get("data") or {}).get(name):
            problems.append(f"{name} by {allowed[0]}: {body.get('errors')}")
    assert not problems, "\n".join(problems)
