"""The console's Parc and terminal screens in a real browser (Debian's Chromium, Playwright),
against a real server whose offline detector looks every half second, with the terminal gateway
played over HTTP by the SERVICE account.

The technician sees the terminal come online and go offline without a reload, changes its
options and sees them pending, then applied once the terminal acknowledges; blocks and unblocks
its service, then blocks it until a few seconds later and sees it unblock by itself; runs the
diagnosis. A seller reads the same terminal and may act on none of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from spring.app import create_app
from spring.settings import Environment, Settings
from tests import test_console_browser as ui
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, TenantGraph, add_user
from tests.live import login, post, running, served_subscriptions, until
from tests.test_console_browser import Watched, assert_accessible, sign_in

try:
    from playwright.async_api import expect
except ImportError:  # the test extra is not installed: pytestmark skips the module
    expect = None  # type: ignore[assignment]

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "console-terminal.png"

# The browser tests' fixtures and their skip rule, shared with tests/test_console_browser.py.
pytestmark = ui.pytestmark
browser = ui.browser
graph = ui.graph
page = ui.page

PENDING = "query($tids: [String!]) { pendingTerminalCommands(tids: $tids) { id kind } }"

EVENTS = """
mutation($i: RecordTerminalEventsInput!) { recordTerminalEvents(input: $i) {
  heartbeats acknowledged userErrors { field code message } } }
"""


@pytest.fixture(scope="module")
async def base(app_url: str) -> AsyncIterator[str]:
    """A server whose offline detector looks every half second (the default is 5 s)."""
    settings = Settings(
        env=Environment.DEVELOPMENT,
        secret_key=TEST_SECRET,
        database_url=None,
        live_offline_check_interval_s=0.5,
        unblock_interval_s=0.5,
    )
    async with running(create_app(settings, app_url)) as address:
        yield f"http://{address}"


@pytest.fixture(scope="module")
async def tid(owner_engine: AsyncEngine, graph: TenantGraph) -> str:
    """The graph's terminal, in a tenant whose terminals are OFFLINE 2 s after a heartbeat."""
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE tenants SET heartbeat_interval_s = 1 WHERE id = :t"),
            {"t": graph.tenant_id},
        )
        row = await conn.execute(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    return row.scalar_one()


async def open_fleet(p: Any) -> None:
    """Parc, from the header's Plus menu."""
    await p.get_by_role("button", name="Plus").click()
    await p.get_by_role("link", name="Parc").click()


async def gateway(base: str, token: str, tid: str, kind: str, **extra: Any) -> None:
    """The terminal gateway reports an event for the terminal (as the SERVICE account does)."""
    item = {"tid": tid, "kind": kind, "occurredAt": dt.datetime.now(dt.UTC).isoformat(), **extra}
    body = await post(base, token, EVENTS, {"i": {"events": [item]}})
    assert "errors" not in body and body["data"]["recordTerminalEvents"]["userErrors"] == [], body


async def test_the_technician_follows_and_acts_on_a_terminal_live(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph, tid: str
) -> None:
    email = await add_user(owner_engine, graph, "TECHNICIAN")
    machine = await login(
        base.removeprefix("http://"), await add_user(owner_engine, graph, "SERVICE"), PASSWORD
    )
    p = page.page
    await sign_in(p, base, email)
    await open_fleet(p)
    await expect(p.get_by_role("heading", name="Parc")).to_be_visible()
    row = p.get_by_test_id("fleet").get_by_role("row").filter(has_text=tid)
    await expect(row).to_contain_text("Hors ligne")
    await expect(p.get_by_test_id("count-offline")).to_have_text("1")
    await assert_accessible(p)

    # The terminal's heartbeat arrives: the list says it is online without a reload.
    address = base.removeprefix("http://")
    await until(
        lambda: served_subscriptions(address, "terminal_status"), "the list's live subscription"
    )
    await gateway(address, machine, tid, "HEARTBEAT")
    await expect(row).to_contain_text("En ligne", timeout=20_000)
    await expect(p.get_by_test_id("count-offline")).to_have_text("0", timeout=20_000)

    await row.get_by_role("link", name=tid).click()
    await expect(p.get_by_role("heading", level=1)).to_have_text(f"Terminal {tid}")
    # No heartbeat for two intervals: the detector pushes OFFLINE and the page follows.
    await expect(p.get_by_test_id("terminal-connectivity")).to_have_text(
        "Hors ligne", timeout=20_000
    )

    # Options: changed in place, pending until the terminal acknowledges the new version.
    options = p.get_by_role("form", name="Modifier les options")
    await options.get_by_label("Pourboire").click()
    await options.get_by_role("button", name="Enregistrer les options").click()
    await expect(p.get_by_test_id("options-status")).to_contain_text("Version 2 en attente")
    await gateway(address, machine, tid, "PARAMETERS_DOWNLOADED", code="2")
    await expect(p.get_by_test_id("options-status")).to_contain_text(
        "Version 2 appliquée", timeout=20_000
    )

    # Block the service: the reason is required (the browser says so before the server does).
    await p.get_by_role("button", name="Bloquer le service").click()
    block = p.get_by_role("form", name="Bloquer le service")
    await block.get_by_label("Motif").fill("Suspicion de fraude")
    await block.get_by_role("button", name="Bloquer le service").click()
    await expect(p.get_by_role("button", name="Débloquer le service")).to_be_visible()
    await expect(p.get_by_text("Suspicion de fraude").first).to_be_visible()
    await assert_accessible(p)
    await p.get_by_role("button", name="Débloquer le service").click()
    await expect(p.get_by_role("button", name="Bloquer le service")).to_be_visible()

    # A block with an end: the server lifts it then, and the page shows it without a reload.
    await p.get_by_role("button", name="Bloquer le service").click()
    block = p.get_by_role("form", name="Bloquer le service")
    await block.get_by_label("Motif").fill("Contrôle de caisse")
    soon = await p.evaluate(
        "() => { const d = new Date(Date.now() + 4000);"
        " const z = (n) => String(n).padStart(2, '0');"
        " return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}T`"
        " + `${z(d.getHours())}:${z(d.getMinutes())}:${z(d.getSeconds())}`; }"
    )
    await block.get_by_label("Jusqu'au (facultatif)").fill(soon)
    await block.get_by_role("button", name="Bloquer le service").click()
    await expect(p.get_by_role("button", name="Débloquer le service")).to_be_visible()
    await expect(p.get_by_role("button", name="Bloquer le service")).to_be_visible(timeout=20_000)

    # A command: queued by the technician, collected by the gateway, done by the terminal;
    # the page follows it without a reload.
    await p.get_by_role("button", name="Redémarrer").click()
    commands = p.get_by_test_id("terminal-commands")
    await expect(commands).to_contain_text("En file")
    body = await post(address, machine, PENDING, {"tids": [tid]})
    (command,) = body["data"]["pendingTerminalCommands"]
    await gateway(address, machine, tid, "REBOOT", commandId=command["id"])
    await expect(commands).to_contain_text("Faite", timeout=20_000)

    # The diagnosis: each check with its verdict and hint.
    await p.get_by_role("button", name="Diagnostiquer").click()
    diagnosis = p.get_by_test_id("diagnosis")
    await expect(diagnosis).to_contain_text("Verdict")
    assert await diagnosis.get_by_role("listitem").count() >= 3
    # The technical journal lists what the gateway reported.
    await expect(p.get_by_test_id("terminal-events")).to_contain_text("PARAMETERS_DOWNLOADED")
    await assert_accessible(p)
    # The README's picture of a terminal, taken here so that it stays true.
    await p.screenshot(path=str(SCREENSHOT), full_page=True)
    assert page.foreign(base) == [] and page.refused() == []


async def test_a_seller_reads_the_fleet_but_has_no_technician_action(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph, tid: str
) -> None:
    """What a user may do comes from the API: a seller reads terminals, and acts on none."""
    email = await add_user(owner_engine, graph, "SELLER")
    p = page.page
    await sign_in(p, base, email)
    await open_fleet(p)
    await p.get_by_test_id("fleet").get_by_role("link", name=tid).click()
    await expect(p.get_by_role("heading", level=1)).to_have_text(f"Terminal {tid}")
    await expect(p.get_by_text("Sans contact")).to_be_visible()  # options, read only
    for action in ("Bloquer le terminal", "Bloquer le service", "Diagnostiquer"):
        await expect(p.get_by_role("button", name=action)).to_have_count(0)
    await expect(p.get_by_role("form", name="Modifier les options")).to_have_count(0)
