"""Paramètres in a real browser (Debian's Chromium, Playwright): a supervisor sets when
technicians are told of an offline terminal, the documents an evaluation needs and how fast
support requests are handled, and finds them so after a reload; sets the partner's logo drawn on
contracts, sees it (on Accueil too), has a file that is not an image refused in its words, and
removes it; a technician has no such screen.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests import test_console_browser as ui
from tests.factories import TenantGraph, add_user
from tests.test_console_browser import Watched, assert_accessible, sign_in
from tests.test_tenant_logo import image

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


async def test_a_supervisor_sets_the_partners_settings(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    p = page.page
    await sign_in(p, base, await add_user(owner_engine, graph, "SUPERVISOR"))
    await p.get_by_role("button", name="Plus").click()
    await p.get_by_role("link", name="Paramètres").click()
    await expect(p.get_by_role("heading", level=1)).to_contain_text("Paramètres")
    await assert_accessible(p)

    alerts = p.get_by_role("form", name="Alertes aux techniciens")
    await alerts.get_by_label("hors ligne").fill("30")
    await alerts.get_by_role("button", name="Enregistrer").click()
    await expect(alerts.get_by_role("status")).to_have_text("Enregistré.")

    documents = p.get_by_role("form", name="Pièces exigées pour une évaluation")
    await documents.get_by_label("Extrait Kbis").check()
    await documents.get_by_label("Pièce d'identité du représentant légal").check()
    await documents.get_by_role("button", name="Enregistrer").click()
    await expect(documents.get_by_role("status")).to_have_text("Enregistré.")

    due = p.get_by_role("form", name="Délais de traitement des demandes")
    await due.get_by_label("Support").fill("12")
    await due.get_by_role("button", name="Enregistrer").click()
    await expect(due.get_by_role("status")).to_have_text("Enregistré.")

    await p.reload()
    await expect(alerts.get_by_label("hors ligne")).to_have_value("30")
    await expect(documents.get_by_label("Extrait Kbis")).to_be_checked()
    await expect(documents.get_by_label("RIB")).not_to_be_checked()
    await expect(due.get_by_label("Support")).to_have_value("12")
    async with owner_engine.connect() as conn:
        kinds = await conn.scalar(
            text("SELECT evaluation_document_kinds FROM document_settings WHERE tenant_id = :t"),
            {"t": graph.tenant_id},
        )
    assert sorted(kinds) == ["IDENTITY", "KBIS"]
    assert page.foreign(base) == [] and page.refused() == []


async def test_a_supervisor_sets_and_removes_the_contracts_logo(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph, tmp_path: Path
) -> None:
    p = page.page
    await sign_in(p, base, await add_user(owner_engine, graph, "SUPERVISOR"))
    await p.goto(base + "/parametres")
    logo = p.get_by_role("form", name="Logo sur les contrats")
    await expect(logo).to_contain_text("Aucun logo")

    not_an_image = tmp_path / "kbis.png"
    not_an_image.write_bytes(b"%PDF-1.4 not an image at all")
    await logo.get_by_label("Nouveau logo").set_input_files(str(not_an_image))
    await logo.get_by_role("button", name="Enregistrer").click()
    await expect(logo.get_by_role("alert")).to_contain_text("PNG")

    picture = tmp_path / "alizes.png"
    picture.write_bytes(image("PNG"))
    await logo.get_by_label("Nouveau logo").set_input_files(str(picture))
    await logo.get_by_role("button", name="Enregistrer").click()
    await expect(logo.get_by_role("status")).to_have_text("Enregistré.")
    await expect(logo).to_contain_text("alizes.png")
    await expect(logo.get_by_label("Nouveau logo")).to_have_value("")
    shown = logo.get_by_role("img", name="Logo de")
    await expect(shown).to_be_visible()
    await expect(shown).to_have_js_property("naturalWidth", 120)
    async with owner_engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT logo_filename FROM document_settings WHERE tenant_id = :t"),
            {"t": graph.tenant_id},
        )
    assert stored == "alizes.png"

    # Accueil shows the partner's logo, as on the partner's own screens.
    await p.goto(base + "/")
    home_logo = p.get_by_role("img", name="Logo de")
    await expect(home_logo).to_have_js_property("naturalWidth", 120)
    await p.goto(base + "/parametres")

    await logo.get_by_role("button", name="Retirer le logo").click()
    await expect(logo).to_contain_text("Aucun logo")
    async with owner_engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT logo_sha256 FROM document_settings WHERE tenant_id = :t"),
            {"t": graph.tenant_id},
        )
    assert stored is None
    await p.goto(base + "/")
    await expect(p.get_by_role("combobox", name="Rechercher")).to_be_visible()
    await expect(p.get_by_role("img", name="Logo de")).to_have_count(0)
    assert page.foreign(base) == [] and page.refused() == []


async def test_a_technician_has_no_settings_screen(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    p = page.page
    await sign_in(p, base, await add_user(owner_engine, graph, "TECHNICIAN"))
    await p.get_by_role("button", name="Plus").click()
    await expect(p.get_by_role("link", name="Parc")).to_be_visible()
    await expect(p.get_by_role("link", name="Paramètres")).to_have_count(0)
    await p.goto(base + "/parametres")
    await expect(p.get_by_role("heading", level=1)).not_to_contain_text("Paramètres")
