"""GraphQL over HTTP as the GraphQL-over-HTTP specification says it (graphql/graphql-over-http,
spec/GraphQLOverHTTP.md): media types, status codes, GET for queries, never for what writes.
Each test quotes the sentence it checks."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.testclient import TestClient

import transport.context
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_user, make_tenant_graph
from transport.http import GRAPHQL_RESPONSE, negotiate

SPEC = {"Accept": GRAPHQL_RESPONSE}
PREFERRED = {"Accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"}
LEGACY = {"Accept": "application/json"}


async def _post(client: GraphQLClient, body: Any, **headers: str) -> httpx.Response:
    return await client.http.post("/graphql", json=body, headers=headers)


# ------------------------------------------------------------------------------ media types


def test_the_media_type_follows_accept() -> None:
    # "attempt to encode the response in the highest priority media type listed that is
    # supported by the server"; no Accept, or wildcards only: our choice, application/json.
    assert negotiate(GRAPHQL_RESPONSE) == GRAPHQL_RESPONSE
    assert negotiate(PREFERRED["Accept"]) == GRAPHQL_RESPONSE
    assert negotiate(f"application/json, {GRAPHQL_RESPONSE}") == GRAPHQL_RESPONSE
    assert negotiate(f"application/json, {GRAPHQL_RESPONSE};q=0.5") == "application/json"
    assert negotiate("application/json") == "application/json"
    assert negotiate(None) == "application/json"
    assert negotiate("*/*") == "application/json"
    assert negotiate("application/*;q=0.2") == "application/json"
    assert negotiate("text/html") is None
    assert negotiate(f"{GRAPHQL_RESPONSE};q=0, application/json;q=0") is None


async def test_a_client_of_the_specification_gets_its_media_type(client: GraphQLClient) -> None:
    # "A server MUST indicate the media type of the response with a Content-Type header, and
    # SHOULD indicate the encoding"
    for headers in (SPEC, PREFERRED):
        response = await _post(client, {"query": "{ __typename }"}, **headers)
        assert response.status_code == 200
        assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
        assert response.json()["data"] == {"__typename": "Query"}


@pytest.mark.parametrize("accept", [None, "application/json", "*/*"])
async def test_legacy_clients_keep_application_json(
    client: GraphQLClient, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    ok = await _post(client, {"query": "{ __typename }"}, **headers)
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith("application/json")
    # application/json: "The server SHOULD use the 200 status code for every response to a
    # well-formed GraphQL-over-HTTP request" (as Spring always did), data null included.
    bad = await _post(client, {"query": "{ nope }"}, **headers)
    assert bad.status_code == 200
    body = bad.json()
    assert "data" in body and body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body


async def test_an_unacceptable_accept_answers_406(client: GraphQLClient) -> None:
    # "If the Accept header is present but does not indicate support for any of the server's
    # supported media types or application/json, the server SHOULD respond with 406"
    response = await _post(client, {"query": "{ __typename }"}, Accept="text/csv")
    assert response.status_code == 406
    assert response.json()["errors"][0]["message"].startswith("Not acceptable")
    assert response.headers["x-request-id"]


# ------------------------------------------------------------------------------ status codes


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ({"query": "{"}, "document parsing failure"),
        ({"query": "{ nope }"}, "document validation failure"),
        (
            {"query": "query($n: Int!) { terminals(first: $n) { totalCount } }", "variables": {}},
            "variable coercion failure",
        ),
        (
            {
                "query": "query($n: Int!) { terminals(first: $n) { totalCount } }",
                "variables": {"n": "three"},
            },
            "variable coercion failure",
        ),
    ],
)
async def test_request_errors_answer_400_without_data(
    client: GraphQLClient, body: dict[str, Any], what: str
) -> None:
    # application/graphql-response+json: "If the GraphQL response does not contain the {data}
    # entry then the server MUST reply with a 4xx or 5xx status code"; the examples: document
    # parsing, validation, variable coercion: 400.
    response = await _post(client, body, **SPEC)
    assert response.status_code == 400, (what, response.text)
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    answer = response.json()
    assert "data" not in answer, what
    assert answer["errors"], what
    # The same request from a legacy client: 200, data null (the application/json rules).
    legacy = await _post(client, body, **LEGACY)
    assert legacy.status_code == 200, what
    assert legacy.json()["data"] is None


async def test_field_errors_answer_200_with_data(client: GraphQLClient) -> None:
    # "If the operation is executed and no GraphQL request error is raised then the server
    # SHOULD respond with a status code of 200 (Okay). This is the case even if a GraphQL
    # field error is raised"
    response = await _post(client, {"query": "{ terminals(first: 1) { totalCount } }"}, **SPEC)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"terminals": None}
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"NONSENSE", "JSON parsing failure"),
        (b'{"query":', "JSON parsing failure"),
        (b'{"qeury": "{__typename}"}', "no query"),
        (b'{"query": "query Q { __typename }", "variables": [7]}', "variables not a map"),
        (b'[{"query": "{ __typename }"}, {"query": "{ __typename }"}]', "a batch"),
    ],
)
async def test_malformed_requests_answer_400(
    client: GraphQLClient, content: bytes, what: str
) -> None:
    # "JSON parsing failure … should result in status code 400"; "A request that does not
    # constitute a well-formed GraphQL-over-HTTP request SHOULD result in status code 400"
    for accept in (SPEC, LEGACY):
        response = await client.http.post(
            "/graphql", content=content, headers={"Content-Type": "application/json", **accept}
        )
        assert response.status_code == 400, (what, response.text)
        assert response.json()["errors"][0]["message"], what


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
async def test_a_body_that_is_not_json_answers_415(
    client: GraphQLClient, content_type: str | None
) -> None:
    # "If the client does not supply a Content-Type header with a POST request, the server
    # SHOULD reject the request using the appropriate 4xx status code" (415: unsupported).
    headers = {"Content-Type": content_type} if content_type else {}
    request = client.http.build_request(
        "POST", "/graphql", content=b'{"query": "{ __typename }"}', headers=headers
    )
    if content_type is None:
        request.headers.pop("content-type", None)
    response = await client.http.send(request)
    assert response.status_code == 415, response.text
    assert response.json()["errors"][0]["message"]


async def test_an_unexpected_failure_is_still_masked_with_its_id(
    app: Starlette, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug while authenticating")

    monkeypatch.setattr(transport.context, "authenticate", broken)
    http_transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=http_transport, base_url="http://spring.test") as http:
        with caplog.at_level(logging.INFO, logger="spring.graphql"):
            response = await http.post(
                "/graphql",
                json={"query": "{ __typename }"},
                headers={"Authorization": "Bearer x.y.z", **SPEC},
            )
    assert response.status_code == 500
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["errorId"] in error["message"]
    assert "a bug" not in response.text


# ------------------------------------------------------------------------------ GET


async def test_get_runs_queries_with_url_encoded_parameters(client: GraphQLClient) -> None:
    # GET: "parameters MUST be provided in the query component of the request URL, encoded in
    # the application/x-www-form-urlencoded format"; "Specifying the empty string for optional
    # request parameters is equivalent to not specifying them at all."
    params = {
        "query": "query Q($t: String!) { __type(name: $t) { name } }",
        "variables": json.dumps({"t": "Query"}),
        "operationName": "Q",
        "extensions": "",
    }
    response = await client.http.get("/graphql", params=params, headers=SPEC)
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"__type": {"name": "Query"}}
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "Authorization" in response.headers["vary"]  # what an HTTP cache keys on
    bad = await client.http.get("/graphql", params={"query": "{ nope }"}, headers=SPEC)
    assert bad.status_code == 400
    assert "data" not in bad.json()


async def test_get_never_runs_a_mutation(client: GraphQLClient) -> None:
    # "GET requests MUST NOT be used for executing mutation operations … status code 405
    # (Method Not Allowed) is RECOMMENDED"; "the Allow header must be included"
    query = 'mutation { login(input: {email: "a@b.fr", password: "x"}) { token } }'
    for accept in (SPEC, LEGACY, {}):
        response = await client.http.get("/graphql", params={"query": query}, headers=accept)
        assert response.status_code == 405, response.text
        assert response.headers["allow"] == "POST"
        assert "data" not in response.json()
    # A document holding both: the operation named decides.
    both = "query Q { __typename } mutation M { logout { ok } }"
    ran = await client.http.get("/graphql", params={"query": both, "operationName": "Q"})
    assert ran.status_code == 200
    refused = await client.http.get("/graphql", params={"query": both, "operationName": "M"})
    assert refused.status_code == 405


async def test_a_query_that_writes_when_read_is_refused_over_get(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    """pendingTerminalCommands marks the commands it returns SENT: a mutation in effect."""
    graph = await make_tenant_graph(owner_engine)
    email = await add_user(owner_engine, graph, "SERVICE")
    service = GraphQLClient(client.http)
    await service.login(email, PASSWORD)
    headers = {"Authorization": f"Bearer {service.token}"}
    query = "fragment F on Query { pendingTerminalCommands { id } } query { ...F }"
    response = await client.http.get("/graphql", params={"query": query}, headers=headers)
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == "POST"
    assert "pendingTerminalCommands" in response.json()["errors"][0]["message"]
    posted = await service.post(query)
    assert posted["data"]["pendingTerminalCommands"] == [], posted


async def test_get_ignores_cookies_so_it_cannot_act_for_a_browser(client: GraphQLClient) -> None:
    """/graphql authenticates by bearer token only; the console's session cookie (Path=/auth,
    SameSite=Strict) is never read there: a cross-site GET runs as nobody."""
    response = await client.http.get(
        "/graphql",
        params={"query": "{ me { email } }"},
        headers={"Cookie": "spring_refresh=anything"},
    )
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_get_without_query_is_the_ide_or_a_trusted_document(client: GraphQLClient) -> None:
    page = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    # A trusted document's request is not a browser asking for the page: it reaches the
    # operation's path (the look-up is transport/documents.py's), here without a query.
    document = await client.http.get(
        "/graphql", params={"documentId": "sha256:abc"}, headers={"Accept": "*/*"}
    )
    assert not document.headers["content-type"].startswith("text/html")
    assert document.status_code == 400


# ------------------------------------------------------------------------------ WebSocket


def test_websocket_is_unaffected(app: Starlette) -> None:
    # Not `with TestClient(app)`: that runs the lifespan, whose end shuts the session's app down
    # (draining, its pool disposed) for every later test.
    http = TestClient(app)
    with (
        http.websocket_connect(
            "/graphql", subprotocols=["graphql-transport-ws"], headers={"Accept": "text/csv"}
        ) as ws,
    ):
        assert ws.accepted_subprotocol == "graphql-transport-ws"
        ws.send_json({"type": "connection_init", "payload": {}})
        closed = ws.receive()
        assert closed["type"] in ("websocket.close", "websocket.send")


async def test_a_document_of_several_operations_needs_their_name(client: GraphQLClient) -> None:
    # GraphQL's GetOperation: "Otherwise produce a query error requiring operationName." It
    # used to run the first operation, whatever the request named (or did not).
    document = "query A { __typename } query B { me { email } }"
    refused = await _post(client, {"query": document}, **SPEC)
    assert refused.status_code == 400
    body = refused.json()
    assert "data" not in body
    assert body["errors"][0]["message"] == (
        "Must provide operationName when the document contains several operations."
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    unknown = await _post(client, {"query": document, "operationName": "C"}, **SPEC)
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["message"] == 'Unknown operation named "C".'
    named = await _post(client, {"query": document, "operationName": "A"}, **SPEC)
    assert named.status_code == 200 and named.json()["data"] == {"__typename": "Query"}
    legacy = await _post(client, {"query": document}, **LEGACY)
    assert legacy.status_code == 200 and legacy.json()["data"] is None
