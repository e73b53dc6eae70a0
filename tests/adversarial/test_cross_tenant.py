"""Cross-tenant probes, for every caller: every root field (also filtered by the other
tenant's IDs), `node`/`nodes` on every type with the other tenant's IDs, every connection and
list reachable from `node`, and every mutation with the other tenant's IDs in its input.
Expected: no data of the other tenant in any answer, and nothing written anywhere."""

from __future__ import annotations

import pytest
from graphql import GraphQLInputObjectType, get_named_type, is_leaf_type, is_non_null_type
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.adversarial.conftest import (
    API,
    CALLERS,
    MUTATIONS,
    NODE_TYPES,
    OBJECT_KEYS,
    QUERIES,
    Inputs,
    World,
    codes,
    fingerprint,
    ids_inside,
    leaks,
    operation,
    payload_selection,
    selection,
    traces_of,
)
from tests.conftest import GraphQLClient

#: Root fields whose whole point is to span tenants: `tenants`, for the platform only.
PLATFORM_WIDE = {"tenants"}


@pytest.fixture(scope="module")
async def victim_traces(world: World, owner_engine: AsyncEngine) -> set[str]:
    traces = await traces_of(owner_engine, world.b)
    assert world.b.gid("Company") in {*traces, world.b.gid("Company")}
    return traces


def test_every_node_type_is_covered() -> None:
    """A new Node type needs a row in make_tenant_graph and an entry in OBJECT_KEYS."""
    assert set(NODE_TYPES) <= set(OBJECT_KEYS), set(NODE_TYPES) - set(OBJECT_KEYS)


def _filter_with_victim_ids(field_name: str, world: World) -> dict:
    """Optional arguments holding IDs (filters), filled with the victim's IDs."""
    field_ = QUERIES[field_name]
    values = {}
    victim = Inputs(world.b)
    for name, arg in field_.args.items():
        named = get_named_type(arg.type)
        if isinstance(named, GraphQLInputObjectType) and ids_inside(arg.type):
            values[name] = victim.object(named, field_name, all_ids=True)
        elif named.name == "ID":
            values[name] = victim.value(arg.type, name, field_name, all_ids=True)
    return values


@pytest.mark.parametrize("caller", CALLERS)
async def test_root_fields_show_nothing_of_another_tenant(
    client: GraphQLClient, world: World, victim_traces: set[str], caller: str
) -> None:
    who = world.caller(client, caller)
    own_seen = []
    problems = []
    for name, field_ in QUERIES.items():
        if caller in ("PLATFORM_ADMIN", "PLATFORM") and name in PLATFORM_WIDE:
            continue
        required = Inputs(world.a, ids=world.b).arguments(field_, name)
        if "text" in required:  # search: for what only the victim has
            required["text"] = world.b.tid
        variants = [required]
        victim_filter = _filter_with_victim_ids(name, world)
        if victim_filter:
            variants.append({**required, **victim_filter})
        for values in variants:
            query = operation("query", name, field_, values, selection(field_.type, 3))
            body = await who.post(query, values)
            if "INTERNAL_SERVER_ERROR" in codes(body):
                problems.append(f"{name}: internal error {body['errors']}")
            found = leaks(body, victim_traces)
            if found:
                problems.append(f"{name}({values}): the other tenant's {found[:3]}")
            own_seen.append(str(body.get("data")))
    assert not problems, "\n".join(problems)
    if caller == "SUPERVISOR":  # the probes do see the caller's own rows
        assert any(world.a.gid("Company") in seen for seen in own_seen)


@pytest.mark.parametrize("caller", CALLERS)
async def test_node_finds_no_object_of_another_tenant(
    client: GraphQLClient, world: World, victim_traces: set[str], caller: str
) -> None:
    who = world.caller(client, caller)
    problems = []
    for type_name in NODE_TYPES:
        inline = selection(API.get_type(type_name), 1)
        body = await who.post(
            f"query($id: ID!) {{ node(id: $id) {{ __typename ... on {type_name} {inline} }} }}",
            {"id": world.b.gid(type_name)},
        )
        if (body.get("data") or {}).get("node") is not None or leaks(body, victim_traces):
            problems.append(f"node({type_name}): {body}")
        if not set(codes(body)) <= {"NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED"}:
            problems.append(f"node({type_name}): unexpected {codes(body)}")
    every = [world.b.gid(t) for t in NODE_TYPES]
    body = await who.post(
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", {"ids": every}
    )
    nodes = (body.get("data") or {}).get("nodes")
    if nodes is not None and any(n is not None for n in nodes):
        problems.append(f"nodes: {nodes}")
    assert not problems, "\n".join(problems)
    if caller in ("SELLER", "SUPERVISOR", "PLATFORM_ADMIN"):  # and yet node works
        body = await who.post(
            "query($id: ID!) { node(id: $id) { id } }", {"id": world.a.gid("Company")}
        )
        assert body["data"]["node"]["id"] == world.a.gid("Company")


@pytest.mark.parametrize("caller", CALLERS)
async def test_connections_reachable_from_node_show_nothing_of_another_tenant(
    client: GraphQLClient, world: World, victim_traces: set[str], caller: str
) -> None:
    """From each of the caller's own objects, every field below it (connections, lists and
    objects, two levels down): the other tenant's rows never appear."""
    who = world.caller(client, caller)
    problems = []
    probes = 0
    for type_name in NODE_TYPES:
        node_type = API.get_type(type_name)
        for name, field_ in node_type.fields.items():  # type: ignore[union-attr]
            if is_leaf_type(get_named_type(field_.type)) or any(
                is_non_null_type(a.type) for a in field_.args.values()
            ):
                continue
            arguments = "(first: 20)" if "first" in field_.args else ""
            # The widest probe the limits accept (a plain list of objects counts 20 times).
            for depth, first in ((2, 20), (2, 3), (1, 3)):
                inline = f"{{ {name}{arguments} {selection(field_.type, depth, first=first)} }}"
                query = f"query($id: ID!) {{ node(id: $id) {{ ... on {type_name} {inline} }} }}"
                body = await who.post(query, {"id": world.a.gid(type_name)})
                if not any(e.get("extensions", {}).get("limit") for e in body.get("errors") or []):
                    break
            probes += 1
            where = f"{type_name}.{name}"
            if "INTERNAL_SERVER_ERROR" in codes(body):
                problems.append(f"{where}: internal error {body['errors']}")
            if any(e.get("extensions", {}).get("limit") for e in body.get("errors") or []):
                problems.append(f"{where}: the probe itself is refused {body['errors']}")
            found = leaks(body, victim_traces)
            if found:
                problems.append(f"{where}: the other tenant's {found[:3]}")
    assert not problems, "\n".join(problems)
    assert probes >= 30


MUTATIONS_WITH_IDS = sorted(
    name
    for name, field_ in MUTATIONS.items()
    if any(ids_inside(a.type, name) for a in field_.args.values())
)


@pytest.mark.parametrize("caller", CALLERS)
async def test_mutations_with_another_tenants_ids_write_nothing(
    client: GraphQLClient,
    world: World,
    victim_traces: set[str],
    owner_engine: AsyncEngine,
    caller: str,
) -> None:
    who = world.caller(client, caller)
    problems = []
    before = await fingerprint(owner_engine, world.a.tenant_id, world.b.tenant_id)
    for name in MUTATIONS_WITH_IDS:
        field_ = MUTATIONS[name]
        values = Inputs(world.a, ids=world.b).arguments(field_, name, all_ids=True)
        body = await who.post(
            operation("mutation", name, field_, values, payload_selection(field_)), values
        )
        payload = (body.get("data") or {}).get(name)
        refused = bool(body.get("errors")) or bool(payload and payload.get("userErrors"))
        if "INTERNAL_SERVER_ERROR" in codes(body):
            problems.append(f"{name}: internal error {body['errors']}")
        if not refused:
            problems.append(f"{name}: accepted with the other tenant's IDs: {body}")
        found = leaks(body, victim_traces)
        if found:
            problems.append(f"{name}: the other tenant's {found[:3]}")
        after = await fingerprint(owner_engine, world.a.tenant_id, world.b.tenant_id)
        if after != before:
            changed = sorted(k for k in after if after[k] != before.get(k))
            problems.append(f"{name}: wrote to {changed}")
            before = after
    assert not problems, "\n".join(problems)


def test_the_probes_cover_every_mutation_with_an_id() -> None:
    assert len(MUTATIONS_WITH_IDS) >= 20, MUTATIONS_WITH_IDS
