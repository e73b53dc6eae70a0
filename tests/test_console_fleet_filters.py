"""The console's Parc on a large fleet (300 terminals), in a real browser (Debian's Chromium,
Playwright): the counts at a glance, the text filter typed at full speed (every key kept: the
filter once lost keys typed faster than the router updated the URL), paging through the
filtered list, a filter on connectivity and the offline tile, with the keyboard and axe.
Functional, not timed: bench/fleet.py (F1) times the same screen with 5,000 terminals.
"""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from tests import test_console_browser as ui
from tests.factories import TenantGraph, add_terminals, add_user
from tests.test_console_browser import Watched, assert_accessible, exported, sign_in
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

    # The export is what the filtered list shows, all pages: the 33, as CSV.
    name, listed = await exported(p)
    assert name == "terminals.csv"
    assert len(listed) == 33, listed
    assert all(r["tid"].startswith("L00001") and r["connectivity"] == "ONLINE" for r in listed)

    # The offline tile is a filter of its own (the text stays).
    await p.get_by_role("button", name="201 hors ligne").click()
    await expect(count).to_have_text("67 terminaux")
    await expect(rows.first).to_contain_text("Hors ligne")


async def test_each_tile_counts_what_its_filter_lists(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph, tids: list[str]
) -> None:
    """A tile's figure is the list's count once it is chosen. The offline tile once counted
    only terminals in service while its filter (connectivity OFFLINE, as the API says it)
    listed those in stock or returned too: one in stock here, never seen, is offline for both.
    """
    p = page.page
    await sign_in(p, base, await add_user(owner_engine, graph, "TECHNICIAN"))
    await open_fleet(p)
    count = p.locator("p.count")
    tiles = ("count-all", "count-offline", "count-pending", "count-blocked")
    await expect(p.get_by_test_id("count-all")).to_have_text(re.compile(r"^\d+$"))
    before = {tile: int(await p.get_by_test_id(tile).inner_text()) for tile in tiles}

    stock, blocked = uuid.uuid4(), uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(
            insert(m.Terminal.__table__),
            [
                {
                    "tenant_id": graph.tenant_id,
                    "id": stock,
                    "kind": "PAX",
                    "tid": "Z0000001",
                    "serial_number": "SNZ0000001",
                    "status": "IN_STOCK",
                },
                {
                    "tenant_id": graph.tenant_id,
                    "id": blocked,
                    "kind": "PAX",
                    "tid": "Z0000002",
                    "serial_number": "SNZ0000002",
                    "shop_id": graph.ids["shop"],
                    "status": "BLOCKED",
                    "applied_options_version": 1,
                },
            ],
        )
        await conn.execute(
            insert(m.TerminalOptions.__table__),
            [
                {"tenant_id": graph.tenant_id, "terminal_id": blocked, "version_number": v}
                for v in (1, 2)
            ],
        )
    # Both never sent a heartbeat: offline, in stock or blocked; the blocked one has options
    # pending.
    wanted = {
        "count-all": before["count-all"] + 2,
        "count-offline": before["count-offline"] + 2,
        "count-pending": before["count-pending"] + 1,
        "count-blocked": before["count-blocked"] + 1,
    }
    await p.reload()
    for tile in tiles:
        figure = str(wanted[tile])
        await expect(p.get_by_test_id(tile)).to_have_text(figure)
        await p.get_by_test_id(tile).click()
        await expect(count).to_have_text(f"{figure} {'terminal' if figure == '1' else 'terminaux'}")
