"""Editing and closing a shop from its page, in a real browser (Debian's Chromium, Playwright):
a supervisor renames a shop (a bad postcode is refused at its field by the server's rule, and
nothing is written), then closes it with a reason; a seller, who may edit a shop only before its
merchant is active, is told so by the server.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

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


async def shop_row(engine: AsyncEngine, shop: uuid.UUID) -> tuple[str, str, str, int]:
    async with engine.connect() as conn:
        name, postcode, status, version = (
            await conn.execute(
                text("SELECT name, postal_code, status, version FROM shops WHERE id = :s"),
                {"s": shop},
            )
        ).one()
    return name, postcode, status, version


async def test_a_seller_is_told_the_shop_of_an_active_merchant_is_not_theirs_to_edit(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    shop = graph.ids["shop"]
    before = await shop_row(owner_engine, shop)
    p = page.page
    await sign_in(p, base, await add_user(owner_engine, graph, "SELLER"))
    await p.goto(base + "/magasins/" + gid("Shop", shop))
    await p.get_by_role("button", name="Modifier le magasin").click()
    form = p.get_by_role("form", name="Modifier le magasin")
    await form.get_by_label("Enseigne").fill("Boulangerie du Port")
    await form.get_by_role("button", name="Enregistrer les modifications").click()
    await expect(form.get_by_role("alert")).to_be_visible()
    assert await shop_row(owner_engine, shop) == before
    assert page.foreign(base) == [] and page.refused() == []


async def test_a_supervisor_edits_then_closes_a_shop(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    shop = graph.ids["shop"]
    before = await shop_row(owner_engine, shop)
    p = page.page
    await sign_in(p, base, await add_user(owner_engine, graph, "SUPERVISOR"))
    await p.goto(base + "/magasins/" + gid("Shop", shop))
    await p.get_by_role("button", name="Modifier le magasin").click()
    form = p.get_by_role("form", name="Modifier le magasin")
    await assert_accessible(p)
    await form.get_by_label("Enseigne").fill("Boulangerie du Port")
    postcode = form.get_by_label("Code postal")
    await postcode.fill("9")
    await form.get_by_role("button", name="Enregistrer les modifications").click()
    await expect(postcode).to_have_attribute("aria-invalid", "true")
    assert await shop_row(owner_engine, shop) == before

    await postcode.fill("97110")
    await form.get_by_role("button", name="Enregistrer les modifications").click()
    await expect(form).to_have_count(0)
    await expect(p.get_by_role("heading", level=1)).to_have_text("Boulangerie du Port")
    name, _, status, version = await shop_row(owner_engine, shop)
    assert (name, status, version) == ("Boulangerie du Port", "OPEN", before[3] + 1)

    await p.get_by_role("button", name="Modifier le magasin").click()
    await form.get_by_role("button", name="Fermer le magasin").click()
    closing = form.get_by_role("group", name="Fermer le magasin")
    await closing.get_by_label("Motif").fill("Fin du bail commercial")
    await closing.get_by_role("button", name="Confirmer la fermeture").click()
    # Its service still takes payments: the server refuses, the form says why.
    await expect(form.get_by_role("alert")).to_contain_text(
        "Ce magasin a encore 1 service(s) en cours"
    )
    assert (await shop_row(owner_engine, shop))[2] == "OPEN"
    async with owner_engine.begin() as conn:  # the service ended (as deactivateService does)
        await conn.execute(
            text("UPDATE services SET status = 'DEACTIVATED' WHERE shop_id = :s"), {"s": shop}
        )
    await closing.get_by_role("button", name="Confirmer la fermeture").click()
    await expect(form).to_have_count(0)
    await expect(p.get_by_text("Fermé le")).to_be_visible()
    assert (await shop_row(owner_engine, shop))[2] == "CLOSED"
    await expect(p.get_by_role("button", name="Modifier le magasin")).to_have_count(0)
    assert page.foreign(base) == [] and page.refused() == []
