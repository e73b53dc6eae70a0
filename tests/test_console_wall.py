"""The console's Supervision wall in a real browser (Debian's Chromium, Playwright), against a
real server, with transactions recorded over HTTP by the SERVICE account as the acquiring
platform does.

The hotline sees each recorded transaction appear, a decline standing out with its response
code's meaning; then the wall's WebSocket is cut (Playwright sits between the page and the
server) and refused while transactions are recorded: once it is let through again, the wall
says it is catching up and shows every one of them, once.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests import test_console_browser as ui
from tests.factories import PASSWORD, TenantGraph, add_user
from tests.live import login, post, served_subscriptions, settled, until
from tests.test_console_browser import Watched, assert_accessible, sign_in

try:
    from playwright.async_api import WebSocketRoute, expect
except ImportError:  # the test extra is not installed: pytestmark skips the module
    expect = None  # type: ignore[assignment]

# The browser tests' fixtures and their skip rule, shared with tests/test_console_browser.py.
pytestmark = ui.pytestmark
browser = ui.browser
graph = ui.graph
page = ui.page
base = ui.base

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "console-supervision.png"

#: Live delivery starts at the server's commit horizon: on a PostgreSQL shared with other work,
#: a long transaction elsewhere holds it back for a while. Only a failure waits this long.
LIVE_MS = 30_000

RECORD = """
mutation($i: RecordTransactionsInput!) { recordTransactions(input: $i) {
  created userErrors { field code message } } }
"""


def tx(tid: str, **overrides: Any) -> dict[str, Any]:
    values = {
        "externalId": f"wall-{uuid.uuid4().hex[:12]}",
        "tid": tid,
        "type": "PURCHASE",
        "amount": 1250,
        "currency": "EUR",
        "scheme": "CB",
        "entryMode": "CONTACTLESS",
        "status": "APPROVED",
        "responseCode": "00",
        "authorizationCode": "A1B2C3",
        "maskedPan": "497010******1234",
        "occurredAt": dt.datetime.now(dt.UTC).isoformat(),
    }
    values.update(overrides)
    return values


async def record(address: str, token: str, items: list[dict[str, Any]]) -> None:
    body = await post(address, token, RECORD, {"i": {"transactions": items}})
    assert "errors" not in body and body["data"]["recordTransactions"]["userErrors"] == [], body


class Cable:
    """Playwright between the page and the server's WebSocket: it can cut every socket and
    refuse new ones until it is mended."""

    def __init__(self) -> None:
        self.open: list[WebSocketRoute] = []
        self.cut_off = False

    async def handle(self, ws: WebSocketRoute) -> None:
        if self.cut_off:
            await ws.close(code=1006, reason="cut")
            return
        server = ws.connect_to_server()
        self.open.append(ws)
        ws.on_close(lambda *_: server.close())

    async def cut(self) -> None:
        self.cut_off = True
        sockets, self.open = self.open, []
        for ws in sockets:
            await ws.close(code=4499, reason="cut")

    def mend(self) -> None:
        self.cut_off = False


async def test_the_hotline_watches_the_wall_through_a_dropped_connection(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    address = base.removeprefix("http://")
    async with owner_engine.connect() as conn:
        tid = (
            await conn.execute(
                text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
            )
        ).scalar_one()
    machine = await login(address, await add_user(owner_engine, graph, "SERVICE"), PASSWORD)
    email = await add_user(owner_engine, graph, "HOTLINE")
    p = page.page
    cable = Cable()
    await p.route_web_socket(re.compile(r".*/graphql$"), cable.handle)
    # The tenant's fixture transaction is below the commit horizon: the wall's feed starts
    # after it (else, while another database holds the horizon back, it would come as news).
    await settled(owner_engine, graph.tenant_id)
    await sign_in(p, base, email)
    await p.get_by_role("button", name="Plus").click()
    await p.get_by_role("link", name="Supervision").click()
    await expect(p.get_by_test_id("feed-state")).to_have_text("En direct")
    # The server holds the wall's subscription (its feed started): what is recorded now is news.
    await until(lambda: served_subscriptions(address), "the server to hold the wall")
    wall = p.get_by_test_id("wall")

    await record(address, machine, [tx(tid, amount=4200)])
    await expect(wall.get_by_test_id("wall-row")).to_have_count(1, timeout=LIVE_MS)
    await expect(wall).to_contain_text("42,00")
    # Its time opens the transaction's own page (the row's id is the transaction's).
    row = wall.get_by_test_id("wall-row").first
    href = await row.get_by_role("link").first.get_attribute("href")
    assert href is not None and href.startswith("/transactions/"), href
    assert unquote(href.removeprefix("/transactions/")) == await row.get_attribute("data-id")
    await record(
        address,
        machine,
        [tx(tid, status="DECLINED", responseCode="51", authorizationCode=None, amount=9900)],
    )
    refused = wall.locator("tr.refused")
    await expect(refused).to_have_count(1, timeout=LIVE_MS)
    await expect(refused).to_contain_text("51")
    await expect(refused).to_contain_text("Refusée")
    await expect(p.get_by_test_id("minute-count")).to_have_text("2")
    await assert_accessible(p)

    # The connection drops and stays down while five transactions are recorded.
    await cable.cut()
    await expect(p.get_by_test_id("feed-state")).to_contain_text("Connexion perdue")
    missed = [tx(tid, amount=100 + n) for n in range(5)]
    await record(address, machine, missed)
    cable.mend()
    # Back: every one of them, once, after the two seen before.
    await expect(wall.get_by_test_id("wall-row")).to_have_count(7, timeout=LIVE_MS)
    await expect(p.get_by_test_id("feed-state")).to_have_text("En direct", timeout=LIVE_MS)
    for n in range(5):
        await expect(wall.get_by_text(re.compile(rf"^1,0{n}\s€$"))).to_have_count(1)
    await expect(p.get_by_test_id("wall-total")).to_have_text("7")
    # The README's picture of the wall, taken here so that it stays true.
    await p.screenshot(path=str(SCREENSHOT))

    # Pause holds new rows aside; resume shows them.
    await p.get_by_role("button", name="Pause").click()
    await record(address, machine, [tx(tid, amount=777)])
    await expect(p.get_by_role("button", name=re.compile("Reprendre \\(1"))).to_be_visible(
        timeout=LIVE_MS
    )
    await expect(wall.get_by_test_id("wall-row")).to_have_count(7)
    await p.get_by_role("button", name=re.compile("Reprendre")).click()
    await expect(wall.get_by_test_id("wall-row")).to_have_count(8)
    assert page.foreign(base) == [] and page.refused() == []
