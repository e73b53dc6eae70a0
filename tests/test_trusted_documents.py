"""Trusted documents (transport/documents.py, docs/security.md): a request by `documentId`
runs the manifest's document; an unknown id, a mismatched text, a manifest that does not fit
the schema are refused as the GraphQL-over-HTTP persisted-documents conventions say; with
SPRING_TRUSTED_DOCUMENTS=require the console's cookie sessions (`brw`) run only trusted
documents, over HTTP and WebSocket, while other clients keep free queries."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import make_url
from starlette.applications import Starlette

from schema.schema import schema
from spring.app import create_app
from spring.console import DIST
from spring.settings import ConfigurationError, Environment, Settings
from tests.conftest import APP_ROLE, TEST_SECRET
from tests.live import PROTOCOL, running
from transport.documents import ManifestError, TrustedDocuments, document_id

ME = "query Me {\n  me {\n    email\n    __typename\n  }\n}"
NODE = "query Node($id: ID!) {\n  node(id: $id) {\n    id\n    __typename\n  }\n}"
LIVE = "subscription Live {\n  transactionRecorded {\n    cursor\n    __typename\n  }\n}"
LOGIN = (
    "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p})"
    " { token refreshToken userErrors { code } } }"
)
SUPERVISOR = "supervisor@alizes.demo"
PASSWORD = "spring-demo"


def manifest(path: Path, *texts: str) -> Path:
    path.write_text(json.dumps({document_id(text): text for text in texts}))
    return path


def demo_url(demo_owner_url: str) -> str:
    return make_url(demo_owner_url).set(username=APP_ROLE, password=None).render_as_string(False)


def settings_for(mode: str, path: Path | None) -> Settings:
    return Settings(
        env=Environment.DEVELOPMENT,
        secret_key=TEST_SECRET,
        database_url=None,
        trusted_documents=mode,  # type: ignore[arg-type]
        trusted_documents_file=str(path) if path else None,
    )


@pytest.fixture
async def apps(demo_owner_url: str, tmp_path: Path) -> AsyncIterator[dict[str, Starlette]]:
    path = manifest(tmp_path / "trusted.json", ME, NODE, LIVE)
    made = {
        mode: create_app(settings_for(mode, path), demo_url(demo_owner_url))
        for mode in ("off", "allow", "require")
    }
    yield made
    for app in made.values():
        await app.state.database.dispose()


def http_for(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def machine_token(http: httpx.AsyncClient) -> str:
    body = (
        await http.post(
            "/graphql", json={"query": LOGIN, "variables": {"e": SUPERVISOR, "p": PASSWORD}}
        )
    ).json()
    return str(body["data"]["login"]["token"])


async def browser_token(http: httpx.AsyncClient) -> str:
    """The console's way: the login's refresh token handed to /auth/session (the cookie)."""
    body = (
        await http.post(
            "/graphql", json={"query": LOGIN, "variables": {"e": SUPERVISOR, "p": PASSWORD}}
        )
    ).json()
    given = body["data"]["login"]["refreshToken"]
    started = await http.post(
        "/auth/session", json={"refreshToken": given}, headers={"X-Spring-Console": "1"}
    )
    assert started.status_code == 200, started.text
    return str(started.json()["token"])


async def ask(http: httpx.AsyncClient, token: str, params: dict[str, Any]) -> httpx.Response:
    return await http.post("/graphql", json=params, headers={"Authorization": f"Bearer {token}"})


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_a_known_id_runs_its_document_with_variables(apps: dict[str, Starlette]) -> None:
    async with http_for(apps["allow"]) as http:
        token = await machine_token(http)
        me = await ask(http, token, {"documentId": document_id(ME)})
        assert me.status_code == 200, me.text
        assert me.json()["data"]["me"]["email"] == SUPERVISOR
        node_id = "VGVybWluYWw6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw"
        node = await ask(
            http, token, {"documentId": document_id(NODE), "variables": {"id": node_id}}
        )
        assert node.status_code == 200, node.text
        assert node.json()["data"] == {"node": None}
        missing = await ask(http, token, {"documentId": document_id(NODE), "variables": {}})
        assert "errors" in missing.json()  # the variables are coerced as for the text


async def test_an_unknown_id_is_persisted_query_not_found(apps: dict[str, Starlette]) -> None:
    async with http_for(apps["allow"]) as http:
        token = await machine_token(http)
        response = await ask(http, token, {"documentId": "sha256:" + "0" * 64})
        assert response.status_code == 400
        assert code_of(response) == "PERSISTED_QUERY_NOT_FOUND"
        assert "data" not in response.json()
        other = await ask(http, token, {"documentId": 12})
        assert other.status_code == 400


async def test_an_id_with_another_text_is_refused(apps: dict[str, Starlette]) -> None:
    async with http_for(apps["allow"]) as http:
        token = await machine_token(http)
        response = await ask(http, token, {"documentId": document_id(ME), "query": "{ me { id } }"})
        assert response.status_code == 400
        assert code_of(response) == "PERSISTED_QUERY_MISMATCH"
        same = await ask(http, token, {"documentId": document_id(ME), "query": ME})
        assert same.json()["data"]["me"]["email"] == SUPERVISOR


def test_a_manifest_whose_hash_is_not_its_text_stops_the_start(
    demo_owner_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({document_id(ME): "query Other { me { id } }"}))
    with pytest.raises(ConfigurationError, match="SHA-256"):
        create_app(settings_for("allow", path), demo_url(demo_owner_url))
    unknown_field = "query X { nothingLikeThis }"
    with pytest.raises(ManifestError, match="does not validate"):
        TrustedDocuments.from_manifest(
            {document_id(unknown_field): unknown_field}, schema._schema, "allow"
        )


def test_require_without_a_manifest_stops_the_start(demo_owner_url: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="require"):
        create_app(settings_for("require", tmp_path / "none.json"), demo_url(demo_owner_url))


def test_the_console_build_manifest_fits_the_schema() -> None:
    """The committed console's documents all validate against this schema (at start too)."""
    loaded = TrustedDocuments.load(DIST / "trusted-documents.json", schema._schema, "require")
    assert len(loaded.by_id) > 50


async def test_off_refuses_ids_and_keeps_free_queries(apps: dict[str, Starlette]) -> None:
    async with http_for(apps["off"]) as http:
        token = await browser_token(http)
        response = await ask(http, token, {"documentId": document_id(ME)})
        assert response.status_code == 400
        assert code_of(response) == "PERSISTED_QUERY_NOT_SUPPORTED"
        free = await ask(http, token, {"query": "{ me { id email } }"})
        assert free.json()["data"]["me"]["email"] == SUPERVISOR


async def test_allow_keeps_free_queries_for_browser_sessions(apps: dict[str, Starlette]) -> None:
    async with http_for(apps["allow"]) as http:
        token = await browser_token(http)
        free = await ask(http, token, {"query": "{ me { id email } }"})
        assert free.json()["data"]["me"]["email"] == SUPERVISOR


async def test_require_limits_browser_sessions_to_trusted_documents(
    apps: dict[str, Starlette],
) -> None:
    async with http_for(apps["require"]) as http:
        browser = await browser_token(http)
        free = await ask(http, browser, {"query": "{ me { id email } }"})
        assert free.status_code == 400
        assert code_of(free) == "PERSISTED_QUERY_REQUIRED"
        assert "data" not in free.json()
        by_id = await ask(http, browser, {"documentId": document_id(ME)})
        assert by_id.json()["data"]["me"]["email"] == SUPERVISOR
        by_text = await ask(http, browser, {"query": ME})  # the console's fallback
        assert by_text.json()["data"]["me"]["email"] == SUPERVISOR
        # A machine client (a token from the login mutation) keeps free queries, and so does
        # an anonymous request (the login itself).
        machine = await machine_token(http)
        free = await ask(http, machine, {"query": "{ me { id email } }"})
        assert free.json()["data"]["me"]["email"] == SUPERVISOR


async def test_require_refuses_a_browser_session_a_free_multipart_request(
    apps: dict[str, Starlette],
) -> None:
    async with http_for(apps["require"]) as http:
        browser = await browser_token(http)
        response = await http.post(
            "/graphql",
            data={"operations": json.dumps({"query": "{ me { id } }"}), "map": "{}"},
            files={"0": ("a.txt", b"x")},
            headers={"Authorization": f"Bearer {browser}"},
        )
        assert response.status_code == 400
        assert code_of(response) == "PERSISTED_QUERY_REQUIRED"
        by_id = await http.post(
            "/graphql",
            data={"operations": json.dumps({"documentId": document_id(ME)}), "map": "{}"},
            files={"0": ("a.txt", b"x")},
            headers={"Authorization": f"Bearer {browser}"},
        )
        assert by_id.json()["data"]["me"]["email"] == SUPERVISOR


async def _subscribe(base: str, token: str, payload: dict[str, Any]) -> dict[str, Any] | None:
    """The first message answering a subscription, None if it runs (no error within 1 s...
    awaited as the server's `pong` to our ping, sent after the subscribe)."""
    async with websockets.connect(f"ws://{base}/graphql", subprotocols=[PROTOCOL]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        ack = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        assert ack["type"] == "connection_ack", ack
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        await ws.send(json.dumps({"type": "ping"}))
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            if message["type"] == "pong":
                return None
            if message.get("id") == "1":
                return dict(message)


async def test_require_over_the_websocket(apps: dict[str, Starlette]) -> None:
    app = apps["require"]
    async with running(app) as base, httpx.AsyncClient(base_url=f"http://{base}") as http:
        browser = await browser_token(http)
        refused = await _subscribe(
            base, browser, {"query": "subscription { transactionRecorded { cursor } }"}
        )
        assert refused is not None and refused["type"] == "error"
        assert refused["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
        assert await _subscribe(base, browser, {"query": LIVE}) is None
        assert await _subscribe(base, browser, {"documentId": document_id(LIVE)}) is None
        unknown = await _subscribe(base, browser, {"documentId": "sha256:" + "1" * 64})
        assert unknown is not None and unknown["type"] == "error"
        assert unknown["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        machine = await machine_token(http)
        free = "subscription { transactionRecorded { cursor } }"
        assert await _subscribe(base, machine, {"query": free}) is None


def test_a_get_variable_named_document_id_is_a_variable() -> None:
    """A GET's `variables` go through `parse_json` too: only the request's own parameters
    name a document (transport/http.py calls `substitute` on them)."""
    from transport.view import SpringGraphQL

    documents = TrustedDocuments.from_manifest({document_id(ME): ME}, schema._schema, "allow")
    view = SpringGraphQL(schema, db=None, auth_config=None, graphiql=False, documents=documents)  # type: ignore[arg-type]
    params = view.parse_query_params({"query": "{ a }", "variables": '{"documentId": "x"}'})
    assert params["variables"] == {"documentId": "x"}
    assert documents.substitute({"documentId": document_id(ME)})["query"] is ME
    body = view.parse_json(json.dumps({"documentId": document_id(ME), "variables": {}}))
    assert body["query"] is ME and "documentId" not in body


async def test_a_get_runs_a_trusted_document_by_its_id(apps: dict[str, Starlette]) -> None:
    """GET /graphql?documentId=…&variables=…: the cacheable form of a persisted query (the
    view's GET parameters are substituted; a variable named documentId stays a variable)."""
    async with http_for(apps["allow"]) as http:
        token = await machine_token(http)
        headers = {"Authorization": f"Bearer {token}"}
        me = await http.get("/graphql", params={"documentId": document_id(ME)}, headers=headers)
        assert me.status_code == 200, me.text
        assert me.json()["data"]["me"]["email"] == SUPERVISOR
        unknown = await http.get(
            "/graphql", params={"documentId": "sha256:" + "0" * 64}, headers=headers
        )
        assert unknown.status_code == 400 and code_of(unknown) == "PERSISTED_QUERY_NOT_FOUND"
