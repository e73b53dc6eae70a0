"""The console's Journal in a real browser (Debian's Chromium, Playwright): who did what, and
for who may read journal values (a technician, a supervisor), the readable difference; the
hotline reads the same entries without values (the policy says so; the screen does not ask)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from tests import test_console_browser as ui
from tests.api import gid
from tests.factories import PASSWORD, TenantGraph, add_user
from tests.live import login, post
from tests.test_console_browser import Watched, assert_accessible, exported, sign_in

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

BLOCK = """
mutation($i: BlockServiceInput!) { blockService(input: $i) {
  service { status } userErrors { code message } } }
"""


async def open_journal(p: object) -> None:
    await p.get_by_role("button", name="Plus").click()  # type: ignore[attr-defined]
    await p.get_by_role("link", name="Journal").click()  # type: ignore[attr-defined]


async def test_the_journal_shows_who_did_what_and_the_difference_to_who_may(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    technician = await add_user(owner_engine, graph, "TECHNICIAN")
    token = await login(base.removeprefix("http://"), technician, PASSWORD)
    body = await post(
        base.removeprefix("http://"),
        token,
        BLOCK,
        {"i": {"id": gid("Service", graph.ids["service"]), "reason": "Suspicion de fraude"}},
    )
    assert body["data"]["blockService"]["userErrors"] == [], body

    p = page.page
    await sign_in(p, base, technician)
    await open_journal(p)
    await p.get_by_label("Action").select_option("service.blocked")
    entry = p.get_by_test_id("journal").get_by_role("listitem").first
    await expect(entry).to_contain_text(technician)
    await expect(entry).to_contain_text("motif : Suspicion de fraude")
    await expect(entry).to_contain_text("Service bloqué")  # the action in words, not its code
    # ... and the object by its name (AuditEvent.entity), linking to its shop's page.
    await expect(entry.get_by_role("link")).to_contain_text("service Paiement sur site · ")
    assert "/magasins/" in (await entry.get_by_role("link").get_attribute("href") or "")
    assert "action=service.blocked" in p.url
    await entry.locator("summary").click()  # "N valeurs modifiées": opens the difference
    status = entry.get_by_role("row").filter(has_text="status")
    await expect(status).to_contain_text("ACTIVE")
    await expect(status).to_contain_text("BLOCKED")
    await assert_accessible(p)
    # The export of what the journal shows (this action only), with the values the reader may read.
    name, rows = await exported(p)
    assert name == "audit-events.csv"
    assert [r["action"] for r in rows] == ["service.blocked"], rows
    assert rows[0]["actorLabel"] == technician and rows[0]["reason"] == "Suspicion de fraude"

    hotline = await add_user(owner_engine, graph, "HOTLINE")
    await p.get_by_role("button", name="Se déconnecter").click()
    await sign_in(p, base, hotline)
    await open_journal(p)
    await p.get_by_label("Action").select_option("service.blocked")
    entry = p.get_by_test_id("journal").get_by_role("listitem").first
    await expect(entry).to_contain_text(technician)
    await expect(entry.locator("summary")).to_have_count(0)  # no values, no difference
    await expect(p.get_by_role("alert")).to_have_count(0)
    assert page.foreign(base) == [] and page.refused() == []
