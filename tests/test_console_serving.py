"""The console and GraphiQL served by the app (no CDN), and the console's session cookie."""

from __future__ import annotations

import asyncio
import gzip
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from spring.browser_session import COOKIE
from spring.console import COMPRESSED, DIST, IMMUTABLE, Compressed, accepts_gzip
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph

CONSOLE = {"X-Spring-Console": "1"}
LOGIN = (
    "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p})"
    " { token refreshToken userErrors { code } } }"
)


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://spring.test"
    ) as client:
        yield client


@pytest.fixture(scope="module")
async def graph(owner_engine: AsyncEngine) -> TenantGraph:
    return await make_tenant_graph(owner_engine)


async def test_the_console_is_served_at_the_root_and_its_client_routes(
    http: httpx.AsyncClient,
) -> None:
    for path in ("/", "/societes", "/societes/Q29tcGFueTox"):
        response = await http.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert '<div id="root">' in response.text
        assert response.headers["cache-control"] == "no-cache"
        csp = response.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "style-src 'self';" in csp
        assert "connect-src 'self' ws://spring.test wss://spring.test;" in csp
        assert "https:" not in csp and "unsafe" not in csp and "data:" not in csp


async def test_hashed_assets_are_cached_for_a_year_and_nothing_is_fetched_elsewhere(
    http: httpx.AsyncClient,
) -> None:
    page = (await http.get("/")).text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith("/assets/") for a in assets), assets
    for asset in assets:
        response = await http.get(asset)
        assert response.status_code == 200, asset
        assert response.headers["cache-control"] == IMMUTABLE
    assert (await http.get("/assets/console-missing.js")).status_code == 404


async def test_hashed_assets_are_sent_gzip_compressed_to_a_browser_that_accepts_it(
    http: httpx.AsyncClient,
) -> None:
    page = (await http.get("/")).text
    scripts = re.findall(r'(?:src|href)="(/assets/[^"]+\.js)"', page)
    assert scripts, page
    for script in scripts:
        await http.get(script)  # the first request asks for the compressed copy...
    await asyncio.to_thread(COMPRESSED.wait, 60)  # ...made in the background
    for script in scripts:
        on_disk = (DIST / script.removeprefix("/")).read_bytes()
        plain = await http.get(script, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert plain.content == on_disk
        assert plain.headers["vary"] == "Accept-Encoding"
        packed = await http.get(script, headers={"Accept-Encoding": "br, gzip;q=0.8"})
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.headers["vary"] == "Accept-Encoding"
        assert packed.headers["cache-control"] == IMMUTABLE
        assert packed.headers["content-type"].startswith(plain.headers["content-type"][:10])
        assert packed.content == on_disk  # httpx decodes: the same file
        assert int(packed.headers["content-length"]) < len(on_disk) / 2
        # Revalidating the compressed copy with its (weak) validator: not modified.
        etag = packed.headers["etag"]
        assert etag.startswith('W/"')
        again = await http.get(script, headers={"If-None-Match": etag})
        assert again.status_code == 304
    # Small files and what was asked in a range are sent as they are.
    favicon = re.findall(r'href="(/assets/favicon[^"]+)"', page)[0]
    assert "content-encoding" not in (await http.get(favicon)).headers
    ranged = await http.get(scripts[0], headers={"Range": "bytes=0-9"})
    assert "content-encoding" not in ranged.headers


def test_a_file_is_compressed_once_in_the_background_and_sent_as_is_meanwhile(
    tmp_path: Path,
) -> None:
    file = tmp_path / "app-0123abcd.js"
    file.write_text("console.log('Spring');\n" * 200)
    cache = Compressed()
    assert cache.get(str(file), file.stat()) is None  # not ready: the caller sends the file
    cache.wait(60)
    body = cache.get(str(file), file.stat())
    assert body is not None and gzip.decompress(body) == file.read_bytes()
    assert body == cache.get(str(file), file.stat())  # kept, not made again
    assert body[4:8] == b"\0\0\0\0"  # no timestamp: the same bytes every time
    file.write_text("console.log('changed');\n" * 200)  # another file under that name
    assert cache.get(str(file), file.stat()) is None
    cache.wait(60)
    assert gzip.decompress(cache.get(str(file), file.stat()) or b"") == file.read_bytes()


def test_accept_encoding_is_read_with_its_qualities() -> None:
    assert accepts_gzip("gzip, deflate, br")
    assert accepts_gzip("br;q=1.0, gzip;q=0.5")
    assert accepts_gzip("*")
    assert not accepts_gzip("gzip;q=0, *")
    assert not accepts_gzip("identity")
    assert not accepts_gzip("br, *;q=0")
    assert not accepts_gzip(None)
    assert not accepts_gzip("gzip;q=zero")


async def test_the_api_paths_are_never_answered_with_the_console(
    http: httpx.AsyncClient,
) -> None:
    for path in ("/exports/nothing.csv", "/graphqlx.js", "/metrics/x", "/auth/x", "/a.js"):
        response = await http.get(path)
        assert response.status_code == 404, path
        assert '<div id="root">' not in response.text
    # An API route that exists answers as the API (here: who are you?), never with the console.
    for path in ("/exports/transactions.csv", "/documents/x"):
        response = await http.get(path)
        assert response.status_code in (401, 404), path
        assert '<div id="root">' not in response.text
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    body = (await http.post("/graphql", json={"query": "{ __typename }"})).json()
    assert body["data"] == {"__typename": "Query"}


async def test_graphiql_is_the_apps_own_build(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert '<div id="graphiql">' in response.text
    assert "cdn" not in response.text.lower() and "https://" not in response.text
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "worker-src 'self';" in csp
    assert (DIST / "graphiql.html").read_text() == response.text


async def _refresh_token(http: httpx.AsyncClient, email: str) -> str:
    body = (
        await http.post("/graphql", json={"query": LOGIN, "variables": {"e": email, "p": PASSWORD}})
    ).json()
    payload = body["data"]["login"]
    assert payload["userErrors"] == [], payload
    return payload["refreshToken"]


async def test_a_session_cookie_keeps_the_console_signed_in_until_logout(
    http: httpx.AsyncClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "SELLER")
    given = await _refresh_token(http, email)

    started = await http.post("/auth/session", json={"refreshToken": given}, headers=CONSOLE)
    assert started.status_code == 200, started.text
    cookie = started.headers["set-cookie"]
    assert f"{COOKIE}=" in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/auth" in cookie
    assert "Secure" not in cookie  # plain http here; https sets Secure
    token = started.json()["token"]
    me = await http.post(
        "/graphql",
        json={"query": "{ me { email } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert me.json()["data"]["me"]["email"] == email

    # A reload: the cookie gives a new access token (and is rotated).
    first = http.cookies.get(COOKIE)
    refreshed = await http.post("/auth/refresh", headers=CONSOLE)
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["token"]
    assert http.cookies.get(COOKIE) != first

    # Logout revokes the session: the cookie it had is refused afterwards.
    kept = http.cookies.get(COOKIE)
    out = await http.post("/auth/logout", headers=CONSOLE)
    assert out.status_code == 204
    assert http.cookies.get(COOKIE) is None
    http.cookies.set(COOKIE, kept, domain="spring.test", path="/auth")
    assert (await http.post("/auth/refresh", headers=CONSOLE)).status_code == 401
    # The session's access token is refused on its next request too.
    latest = refreshed.json()["token"]
    after = await http.post(
        "/graphql",
        json={"query": "{ me { email } }"},
        headers={"Authorization": f"Bearer {latest}"},
    )
    assert after.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_refresh_token_the_page_saw_is_spent_at_once(
    http: httpx.AsyncClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    """Presented again (a copy of it), it is refused and the whole session ends."""
    email = await add_user(owner_engine, graph, "SELLER")
    given = await _refresh_token(http, email)
    assert (
        await http.post("/auth/session", json={"refreshToken": given}, headers=CONSOLE)
    ).status_code == 200
    kept = http.cookies.get(COOKIE)
    again = await http.post("/auth/session", json={"refreshToken": given}, headers=CONSOLE)
    assert again.status_code == 401
    http.cookies.set(COOKIE, kept, domain="spring.test", path="/auth")
    assert (await http.post("/auth/refresh", headers=CONSOLE)).status_code == 401


async def test_the_session_routes_refuse_cross_site_requests(
    http: httpx.AsyncClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "HOTLINE")
    given = await _refresh_token(http, email)
    # Without the console's header (a form, a simple cross-site request): refused.
    plain = await http.post("/auth/session", json={"refreshToken": given})
    assert plain.status_code == 403
    foreign = await http.post(
        "/auth/session",
        json={"refreshToken": given},
        headers={**CONSOLE, "Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    cross = await http.post("/auth/refresh", headers={**CONSOLE, "Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
    assert COOKIE not in http.cookies
    # The refused attempts spent nothing: the token still starts a session.
    ok = await http.post(
        "/auth/session",
        json={"refreshToken": given},
        headers={**CONSOLE, "Origin": "http://spring.test"},
    )
    assert ok.status_code == 200
    assert (await http.post("/auth/refresh")).status_code == 403
    assert (await http.post("/auth/session", json={}, headers=CONSOLE)).status_code == 400
