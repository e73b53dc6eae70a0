"""The console's search bar in a real browser (Debian's Chromium, Playwright), in the words of a
caller to the hotline: a phone number written as people say it ("06 12 34 56 78" for a contact
stored as +33612345678) opens the merchant; "the card ending 1234" opens its transaction, found
over the partner's today (Tenant.timeZone, Europe/Paris for the test tenant) and opens its page,
with the card number for the hotline and without it for a seller."""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from tests import test_console_browser as ui
from tests.api import gid
from tests.factories import TenantGraph, add_user
from tests.test_console_browser import Watched, assert_accessible, sign_in

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


async def test_the_hotline_finds_a_merchant_by_phone_and_a_transaction_by_card(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    async with owner_engine.begin() as conn:
        await conn.execute(
            update(m.Company)
            .where(m.Company.id == graph.ids["company"])
            .values(contact_phone="+33612345678")
        )
    email = await add_user(owner_engine, graph, "HOTLINE")
    p = page.page
    await sign_in(p, base, email)

    # The caller reads their number as it is written on their card.
    search = p.get_by_role("combobox", name="Rechercher")
    await search.fill("06 12 34 56 78")
    option = p.get_by_role("group", name="Sociétés").get_by_role("option")
    await expect(option).to_contain_text("Boulangerie Test")
    await search.press("ArrowDown")
    await expect(option).to_have_attribute("aria-selected", "true")
    await search.press("Enter")
    await expect(p.get_by_role("heading", level=1)).to_have_text("Boulangerie Test")
    assert re.search(r"/societes/[^/]+$", p.url)

    # "The card ending 1234": today's transactions of that card, the period shown and editable.
    await p.get_by_role("button", name="Rechercher").click()
    search = p.get_by_role("combobox", name="Rechercher")
    await expect(search).to_be_focused()
    await search.fill("1234")
    period = p.get_by_role("group", name="Carte se terminant par 1234")
    await expect(period.get_by_label("Du")).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    found = p.get_by_role("group", name="Transactions").get_by_role("option")
    await expect(found).to_have_count(1)
    await expect(found).to_contain_text("497010******1234")
    await expect(found).to_contain_text("12,50")
    await assert_accessible(p)
    await search.press("ArrowDown")
    await expect(found).to_have_attribute("aria-selected", "true")
    await search.press("Enter")
    # The transaction's own page: what the hotline reads to the caller.
    await expect(p.get_by_role("heading", level=1)).to_contain_text("Achat")
    await expect(p.get_by_role("heading", level=1)).to_contain_text("12,50")
    assert re.search(r"/transactions/[^/?]+$", p.url)
    facts = p.locator("dl.facts")
    await expect(facts).to_contain_text("497010******1234")
    await expect(facts).to_contain_text("Boulangerie Test")
    await assert_accessible(p)
    # From there, the history narrowed to its terminal.
    await p.get_by_role("link", name="Transactions du même terminal").click()
    await expect(p.get_by_role("heading", level=1)).to_have_text("Transactions")
    assert "/transactions?terminal=" in p.url
    table = p.get_by_test_id("transactions")
    await expect(table.get_by_role("row")).to_have_count(2)  # header + the card's purchase
    await expect(table).to_contain_text("497010******1234")
    assert page.foreign(base) == [] and page.refused() == []


async def test_a_seller_reads_a_transaction_without_its_card_fields(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    """The seller may open a transaction but not read its card number or the issuer's answer:
    the page does not ask for them (no error), and says nothing of them."""
    p = page.page
    await sign_in(p, base, await add_user(owner_engine, graph, "SELLER"))
    tx = gid("Transaction", graph.ids["tx"])
    await p.goto(f"{base}/transactions/{tx}")
    await expect(p.get_by_role("heading", level=1)).to_contain_text("12,50")
    facts = p.locator("dl.facts")
    await expect(facts).to_contain_text("Boulangerie Test")
    await expect(facts).not_to_contain_text("1234")
    await expect(facts).not_to_contain_text("Carte")
    assert page.foreign(base) == [] and page.refused() == []
