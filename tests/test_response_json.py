"""Responses are encoded with orjson: the same JSON content strawberry's `json.dumps` gave,
as text (HTTP bodies and WebSocket text frames alike), and `json.dumps` for what orjson
refuses."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from transport.view import SpringGraphQL

CASES: list[Any] = [
    {"data": {"transactions": {"edges": [{"node": {"id": "VHJh", "amount": 1250}}]}}},
    {"data": None, "errors": [{"message": "No.", "path": ["a", 0, "b"], "extensions": {}}]},
    {"text": 'Café "Le Zinc" \\ \n\t\u2028\u2029 € 𝄞 \x00\x1f', "empty": "", "k\u00e9y": [None]},
    {"ints": [0, -1, 2**31, -(2**63), 2**64 - 1], "floats": [0.5, -1.25, 1e-7, 3.0]},
    {"bools": [True, False], "nested": [[[]], {}, [{"a": {"b": [1, "2"]}}]]},
]


@pytest.mark.parametrize("data", CASES)
def test_the_content_is_json_dumps_content(data: Any) -> None:
    encoded = SpringGraphQL.encode_json(None, data)  # type: ignore[arg-type]
    assert type(encoded) is str
    assert json.loads(encoded) == json.loads(json.dumps(data)) == data


@pytest.mark.parametrize("data", [{"big": 2**70}, {"n": -(2**64)}, {1: "int key"}])
def test_what_orjson_refuses_is_json_dumps(data: Any) -> None:
    encoded = SpringGraphQL.encode_json(None, data)  # type: ignore[arg-type]
    assert encoded == json.dumps(data, separators=(",", ":"))


async def test_http_responses_are_the_json_content(demo_app: Starlette) -> None:
    query = "{ transactions(first: 20) { edges { node { id amount status terminal { tid"
    query += " shop { name company { legalName } } } } } } }"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=demo_app), base_url="http://t"
    ) as http:
        login = await http.post(
            "/graphql",
            json={
                "query": 'mutation { login(input: {email: "supervisor@alizes.demo", '
                'password: "spring-demo"}) { token } }'
            },
        )
        http.headers["Authorization"] = f"Bearer {login.json()['data']['login']['token']}"
        response = await http.post("/graphql", json={"query": query})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = json.loads(response.content.decode("utf-8"))
    assert len(body["data"]["transactions"]["edges"]) == 20
    assert response.content.decode("utf-8") == SpringGraphQL.encode_json(None, body)  # type: ignore[arg-type]
