"""A terminal's technical journal, live, in a real browser (Debian's Chromium, Playwright),
against a real server, with the terminal gateway played over HTTP by the SERVICE account.

The technician has the terminal's page open: an event recorded through the API appears without
a reload; then the page's WebSockets are cut (Playwright sits between the page and the server)
and refused while events are recorded: once they are let through, the journal says it is
catching up and shows every one of them, once. The older journal is read page by page.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests import test_console_browser as ui
from tests.factories import PASSWORD, TenantGraph, add_user
from tests.live import login, served_subscriptions, settled, until
from tests.test_console_browser import Watched, assert_accessible, sign_in
from tests.test_console_fleet import gateway
from tests.test_console_wall import LIVE_MS, Cable

try:
    from playwright.async_api import expect
except ImportError:  # the test extra is not installed: pytestmark skips the module
    expect = None  # type: ignore[assignment]

# The browser tests' fixtures and their skip rule, shared with tests/test_console_browser.py.
pytestmark = ui.pytestmark
browser = ui.browser
graph = ui.graph
page = ui.page
base = ui.base

#: Records every text the journal's state line shows (a MutationObserver in the page), so that
#: a state shown for a second is not missed between two polls.
WATCH_STATE = """
() => {
  const line = document.querySelector('[data-testid="journal-state"]');
  window.__journalStates = [line.textContent];
  new MutationObserver(() => window.__journalStates.push(line.textContent))
    .observe(line, { childList: true, subtree: true, characterData: true });
}
"""


async def test_the_technician_reads_the_journal_live_through_a_dropped_connection(
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
    email = await add_user(owner_engine, graph, "TECHNICIAN")
    # An event from before the page opened: in the journal's first reading.
    await gateway(address, machine, tid, "ERROR", code="OLD-1", message="avant")
    await settled(owner_engine, graph.tenant_id)

    p = page.page
    cable = Cable()
    await p.route_web_socket(re.compile(r".*/graphql$"), cable.handle)
    await sign_in(p, base, email)
    await p.get_by_role("button", name="Plus").click()
    await p.get_by_role("link", name="Parc").click()
    await p.get_by_test_id("fleet").get_by_role("link", name=tid).click()
    await expect(p.get_by_role("heading", level=1)).to_have_text(f"Terminal {tid}")
    journal = p.get_by_test_id("terminal-events")
    state = p.get_by_test_id("journal-state")
    await expect(state).to_have_text("En direct")
    await expect(journal).to_contain_text("OLD-1")
    # The server holds the journal's subscription: what is recorded now is news.
    await until(
        lambda: served_subscriptions(address, "terminal_events"), "the journal's subscription"
    )

    def rows(code: str):
        return journal.get_by_test_id("journal-event").filter(has_text=code)

    await gateway(address, machine, tid, "ERROR", code="LIVE-1", message="en direct")
    await expect(rows("LIVE-1")).to_have_count(1, timeout=LIVE_MS)
    await assert_accessible(p)

    # The connection drops and stays down while five events are recorded.
    await p.evaluate(WATCH_STATE)
    await cable.cut()
    await expect(state).to_contain_text("Connexion perdue")
    for n in range(5):
        await gateway(address, machine, tid, "ERROR", code=f"GAP-{n}", message="pendant")
    cable.mend()
    # Back: every one of them, once, after a catch-up the page announced.
    for n in range(5):
        await expect(rows(f"GAP-{n}")).to_have_count(1, timeout=LIVE_MS)
    await expect(state).to_have_text("En direct", timeout=LIVE_MS)
    states = await p.evaluate("() => window.__journalStates")
    assert any("rattrapage" in s for s in states), states
    for code in ("OLD-1", "LIVE-1"):
        await expect(rows(code)).to_have_count(1)
    # Live again after the catch-up.
    await gateway(address, machine, tid, "ERROR", code="LIVE-2", message="après")
    await expect(rows("LIVE-2")).to_have_count(1, timeout=LIVE_MS)

    # The whole journal, page by page, below the live window.
    await p.get_by_role("button", name="Événements plus anciens").click()
    older = p.get_by_test_id("terminal-older-events")
    await expect(older).to_contain_text("OLD-1")
    await expect(older).to_contain_text("GAP-4")
    await assert_accessible(p)
    assert page.foreign(base) == [] and page.refused() == []
