"""The console's Parc on a large fleet (300 terminals), in a real browser (Debian's Chromium,
Playwright): the counts at a glance, the text filter typed at full speed (every key kept: the
filter once lost keys typed faster than the router updated the URL), paging through the
filtered list, a filter on connectivity and the offline tile, with the keyboard and axe.
Functional, not timed: bench/fleet.py (F1) times the same screen with 5,000 terminals.
"""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests import test_console_browser as ui
from tests.factories import TenantGraph, add_terminals, add_user
from tests.test_console_browser import Watched, assert_accessible, sign_in
from tests.test_console_fleet import open_fleet

try:
    from playwright.async_api import expect
except ImportError:  # the test extra is not installed: pytestmark skips the module
    expect = None  # type: ignore[assignment]

pytestmark = ui.pytestmark
browser = ui.browser
graph = ui.graph
page = ui.page
base = ui.base


@pytest.fixture(scope="module")
async def tids(owner_engine: AsyncEngine, graph: TenantGraph) -> list[str]:
    return await add_terminals(owner_engine, graph, 300)


async def test_a_large_fleet_is_filtered_and_paged(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph, tids: list[str]
) -> None:
    p = page.page
    await sign_in(p, base, await add_user(owner_engine, graph, "TECHNICIAN"))
    await open_fleet(p)
    table = p.get_by_test_id("fleet")
    rows = table.locator("tbody tr")
    count = p.locator("p.count")
    # 300 + the graph's own terminal (never seen: OFFLINE); every third of the 300 is ONLINE.
    await expect(p.get_by_role("list", name="En un coup d'œil")).to_contain_text("301")
    await expect(p.get_by_test_id("count-offline")).to_have_text("201")
    await expect(count).to_have_text("301 terminaux")
    await expect(rows).to_have_count(25)

    # Typed at full speed, from the keyboard: every key is kept, and the list follows.
    await p.get_by_label("TID ou n° de série").focus()
    await p.keyboard.type("L00001", delay=0)
    await expect(p.get_by_label("TID ou n° de série")).to_have_value("L00001")
    await expect(count).to_have_text("100 terminaux")
    await expect(rows.first).to_contain_text("L0000100")
    await expect(p).to_have_url(f"{base}/parc?q=L00001")

    # The next page of the filtered list (25 a page, sorted by TID).
    await p.get_by_role("button", name="Suivant").click()
    await expect(rows.first).to_contain_text("L0000125")
    await expect(rows).to_have_count(25)

    # Connectivity as well: the filtered terminals that are online (every third).
    await p.get_by_label("Connexion").select_option(label="En ligne")
    await expect(count).to_have_text("33 terminaux")
    await expect(rows.first).to_contain_text("L0000102")
    for n in range(await rows.count()):
        await expect(rows.nth(n)).to_contain_text("En ligne")
    await assert_accessible(p)

    # The offline tile is a filter of its own (the text stays).
    await p.get_by_role("button", name="201 hors ligne").click()
    await expect(count).to_have_text("67 terminaux")
    await expect(rows.first).to_contain_text("Hors ligne")
