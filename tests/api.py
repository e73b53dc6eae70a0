"""Small helpers the API tests share: global ids both ways, and a client signed in as someone.

One definition each, instead of a copy per test file."""

from __future__ import annotations

import uuid

from strawberry import relay

from tests.conftest import GraphQLClient
from tests.factories import PASSWORD


def gid(type_name: str, value: uuid.UUID | str) -> str:
    """The global id (`Node.id`) of the row `value` of `type_name`."""
    return str(relay.GlobalID(type_name, str(value)))


def uid(global_id: str) -> uuid.UUID:
    """The row id inside a global id."""
    return uuid.UUID(relay.GlobalID.from_id(global_id).node_id)


async def signed_in(client: GraphQLClient, email: str) -> GraphQLClient:
    """A second client on the same server, signed in as `email` (the factories' password)."""
    other = GraphQLClient(client.http)
    payload = await other.login(email, PASSWORD)
    assert payload["token"], payload
    return other
