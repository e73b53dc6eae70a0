"""Opening a request from the console, in a real browser (Debian's Chromium, Playwright): the
hotline, with a merchant on the phone, opens a support ticket about the merchant found by its
SIREN and gives it to a technician at once; a termination without its contract is refused by the
server at the contract's field and writes nothing; from a shop's page the company is already
chosen. A technician is offered only the types it may open."""

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


async def requests_of(engine: AsyncEngine, tenant: uuid.UUID) -> list[tuple[str, str, str]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT r.type, r.subject, coalesce(u.email, '') FROM requests r"
                " LEFT JOIN users u ON u.id = r.assignee_id"
                " WHERE r.tenant_id = :t ORDER BY r.created_at"
            ),
            {"t": tenant},
        )
        return [(kind, subject, email) for kind, subject, email in rows]


async def test_the_hotline_opens_a_support_ticket_and_gives_it_to_a_technician(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    hotline = await add_user(owner_engine, graph, "HOTLINE")
    technician = await add_user(owner_engine, graph, "TECHNICIAN")
    async with owner_engine.connect() as conn:
        siren, legal_name, tech_name = (
            await conn.execute(
                text(
                    "SELECT c.siren, c.legal_name, u.full_name FROM companies c, users u"
                    " WHERE c.id = :c AND u.email = :e"
                ),
                {"c": graph.ids["company"], "e": technician},
            )
        ).one()
    before = await requests_of(owner_engine, graph.tenant_id)
    p = page.page
    await sign_in(p, base, hotline)
    await p.get_by_role("button", name="Plus").click()
    await p.get_by_role("link", name="Demandes", exact=True).click()
    await p.get_by_role("link", name="Nouvelle demande").click()
    form = p.get_by_role("form", name="Nouvelle demande")
    await expect(form).to_be_visible()
    await assert_accessible(p)

    # A termination needs its contract: the server says so at the field, and writes nothing.
    await form.get_by_label("Résiliation").check()
    await form.get_by_label("Chercher la société").fill(siren)
    company = form.get_by_role("combobox", name="Société")
    await expect(company.locator("option", has_text=siren)).to_have_count(1)
    await company.select_option(label=f"{legal_name} · {siren}")
    await form.get_by_label("Objet").fill("Le commerçant cesse son activité")
    await form.get_by_role("button", name="Ouvrir la demande").click()
    contract = form.get_by_role("combobox", name="Contrat")
    await expect(contract).to_have_attribute("aria-invalid", "true")
    assert await requests_of(owner_engine, graph.tenant_id) == before

    # A support ticket, given to the technician at once.
    await form.get_by_label("Support").check()
    await form.get_by_label("Objet").fill("TPE bloqué sur « Appel banque »")
    await form.get_by_label("Description").fill("Rappeler le gérant avant 18 h.")
    await form.get_by_label("La confier à").select_option(label=f"{tech_name} · Technicien")
    await form.get_by_role("button", name="Ouvrir la demande").click()
    await expect(p.get_by_role("heading", level=1)).to_contain_text("Demande")
    await expect(p.get_by_text("TPE bloqué sur « Appel banque »").first).to_be_visible()
    after = await requests_of(owner_engine, graph.tenant_id)
    assert after == [*before, ("SUPPORT", "TPE bloqué sur « Appel banque »", technician)]
    assert page.foreign(base) == [] and page.refused() == []


async def test_from_a_shop_the_company_is_chosen_and_a_technician_opens_support_only(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    p = page.page
    await sign_in(p, base, await add_user(owner_engine, graph, "TECHNICIAN"))
    await p.goto(base + "/magasins/" + gid("Shop", graph.ids["shop"]))
    await p.get_by_role("link", name="Ouvrir une demande").click()
    form = p.get_by_role("form", name="Nouvelle demande")
    company = form.get_by_role("combobox", name="Société")
    await expect(company).to_have_value(gid("Company", graph.ids["company"]))
    await expect(form.get_by_role("radio")).to_have_count(1)
    await expect(form.get_by_label("Support")).to_be_checked()
    assert page.foreign(base) == [] and page.refused() == []
