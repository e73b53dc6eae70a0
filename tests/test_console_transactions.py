"""The console's Transactions screen in a real browser (Debian's Chromium, Playwright): the
history with its filters and the period's figures, as the hotline and as a seller (who may not
read card details or response codes: the screen does not even ask for them)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from sqlalchemy.ext.asyncio import AsyncEngine

from tests import test_console_browser as ui
from tests.api import gid
from tests.factories import TenantGraph, add_user
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


async def open_transactions(p: object) -> None:
    await p.get_by_role("button", name="Plus").click()  # type: ignore[attr-defined]
    await p.get_by_role("link", name="Transactions").click()  # type: ignore[attr-defined]


async def test_the_hotline_reads_and_filters_the_history(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "HOTLINE")
    p = page.page
    await sign_in(p, base, email)
    await open_transactions(p)
    table = p.get_by_test_id("transactions")
    await expect(table.get_by_role("row")).to_have_count(2)  # header + the graph's purchase
    await expect(table).to_contain_text("497010******1234")
    await expect(p.get_by_test_id("stats-count")).to_have_text("1")
    # The chart says which period it counts (no dates chosen: the last 24 hours, by hour).
    await expect(p.get_by_test_id("chart-period")).to_have_text("Dernières 24 heures, par heure")
    await assert_accessible(p)
    # The export of what the list shows: the same rows, as the hotline reads them.
    name, rows = await exported(p)
    assert name == "transactions.csv"
    assert [r["maskedPan"] for r in rows] == ["497010******1234"], rows  # the graph's purchase
    await p.get_by_label("Statut").select_option("DECLINED")
    await expect(p.get_by_text("0 transaction", exact=True)).to_be_visible()
    await expect(p.get_by_test_id("stats-count")).to_have_text("0")
    assert "status=DECLINED" in p.url  # the filter is in the URL: a link or a reload keeps it
    await p.reload()
    await expect(p.get_by_label("Statut")).to_have_value("DECLINED")
    assert page.foreign(base) == [] and page.refused() == []


async def test_a_row_opens_its_transaction(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    """The date of a row in the list opens the transaction's own page."""
    email = await add_user(owner_engine, graph, "HOTLINE")
    p = page.page
    await sign_in(p, base, email)
    await open_transactions(p)
    table = p.get_by_test_id("transactions")
    await table.get_by_role("row").nth(1).get_by_role("link").first.click()
    await expect(p).to_have_url(re.compile(r"/transactions/[^/?]+$"))
    assert unquote(p.url.rsplit("/", 1)[1]) == gid("Transaction", graph.ids["tx"])
    await expect(p.get_by_role("heading", level=1)).to_contain_text("12,50")
    await expect(p.get_by_text("497010******1234")).to_be_visible()
    assert page.foreign(base) == [] and page.refused() == []


async def test_a_seller_reads_the_history_without_card_details(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "SELLER")
    p = page.page
    await sign_in(p, base, email)
    await open_transactions(p)
    table = p.get_by_test_id("transactions")
    await expect(table.get_by_role("row")).to_have_count(2)
    await expect(table).to_contain_text("12,50")
    await expect(table).not_to_contain_text("497010")
    await expect(p.get_by_test_id("top-codes")).to_have_count(0)
    await expect(p.get_by_role("alert")).to_have_count(0)
