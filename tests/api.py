"""Small helpers the API tests share: global ids both ways, and a client signed in as someone.

One definition each, instead of a copy per test file."""

from __future__ import annotations

import uuid
from typing import Any

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


def http_scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """An ASGI HTTP scope, for tests that call the app with their own receive and send (a
    client that leaves mid-body or mid-answer)."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("spring.test", 80),
    }
