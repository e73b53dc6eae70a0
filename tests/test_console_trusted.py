"""The console with SPRING_TRUSTED_DOCUMENTS=require, in a real browser (Debian's Chromium,
Playwright): every screen a supervisor opens works, each of its HTTP operations sent by
`documentId` (none refused), its subscriptions' texts accepted over the WebSocket. This is what
proves that the build's manifest (spring/console_dist/trusted-documents.json) holds the very
texts the console sends."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from spring.app import create_app
from spring.console import DIST
from spring.settings import Environment, Settings
from tests import test_console_browser as ui
from tests.conftest import TEST_SECRET
from tests.factories import TenantGraph, add_user
from tests.live import running
from tests.test_console_browser import Watched, sign_in

try:
    from playwright.async_api import expect
except ImportError:  # the test extra is not installed: pytestmark skips the module
    expect = None  # type: ignore[assignment]

pytestmark = ui.pytestmark
browser = ui.browser
graph = ui.graph
page = ui.page

SCREENS = [
    "/",
    "/compte",
    "/societes",
    "/magasins",
    "/supervision",
    "/transactions",
    "/journal",
    "/utilisateurs",
    "/parametres",
    "/parc",
    "/frais",
    "/demandes",
]


def operation_text(post_data: str | None) -> str:
    """The text of the operation a console request carries: its trusted document's text when
    it is sent by `documentId`, else the body itself (other browser tests read it)."""
    body = post_data or ""
    try:
        params = json.loads(body)
    except ValueError:
        return body
    if isinstance(params, dict) and isinstance(params.get("documentId"), str):
        manifest = json.loads((DIST / "trusted-documents.json").read_text())
        return json.dumps({**params, "query": manifest.get(params["documentId"], "")})
    return body


@pytest.fixture(scope="module")
async def base(app_url: str) -> AsyncIterator[str]:
    settings = Settings(
        env=Environment.DEVELOPMENT,
        secret_key=TEST_SECRET,
        database_url=None,
        trusted_documents="require",
    )
    app = create_app(settings, app_url)
    async with running(app) as address:
        yield f"http://{address}"


async def test_the_console_works_with_trusted_documents_required(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    sent: list[dict[str, Any]] = []
    refused: list[str] = []
    frames: list[dict[str, Any]] = []
    p = page.page

    def on_request(request: Any) -> None:
        if request.url.endswith("/graphql") and request.method == "POST":
            body = request.post_data or ""
            if body.startswith("{"):
                sent.append(json.loads(body))

    async def on_response(response: Any) -> None:
        if response.url.endswith("/graphql") and response.status == 400:
            refused.append(await response.text())

    def on_websocket(ws: Any) -> None:
        ws.on("framereceived", lambda payload: frames.append(json.loads(payload)))
        ws.on("framesent", lambda payload: frames.append({"sent": json.loads(payload)}))

    p.on("request", on_request)
    p.on("response", on_response)
    p.on("websocket", on_websocket)

    email = await add_user(owner_engine, graph, "SUPERVISOR")
    await sign_in(p, base, email)
    for screen in SCREENS:
        await p.goto(base + screen)
        await expect(p.get_by_role("heading", level=1)).to_be_visible()
        await p.wait_for_load_state("networkidle")

    assert refused == []
    assert sent, "no GraphQL request seen"
    assert [body for body in sent if "query" in body] == []
    assert all(str(body["documentId"]).startswith("sha256:") for body in sent)
    assert [f for f in frames if f.get("type") == "error"] == [], frames
    assert any(f.get("type") == "connection_ack" for f in frames)
    assert page.refused() == []
