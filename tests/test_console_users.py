"""The console's Utilisateurs screen in a real browser (Debian's Chromium, Playwright): a
supervisor adds a colleague (a weak password is refused at its field by the server's rule),
changes a role, resets a password (the one-time code is shown once) and deactivates an account
with a reason; a technician, who may not manage accounts, has no such screen."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncEngine

from tests import test_console_browser as ui
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


async def test_a_supervisor_manages_the_staff_accounts(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    supervisor = await add_user(owner_engine, graph, "SUPERVISOR")
    p = page.page
    await sign_in(p, base, supervisor)
    await p.get_by_role("button", name="Plus").click()
    await p.get_by_role("link", name="Utilisateurs").click()
    await expect(p.get_by_role("heading", name="Utilisateurs")).to_be_visible()
    await assert_accessible(p)

    newcomer = f"nouveau-{uuid.uuid4().hex[:8]}@example.test"
    await p.get_by_role("button", name="Ajouter un compte").click()
    form = p.get_by_role("form", name="Ajouter un compte")
    await form.get_by_label("E-mail").fill(newcomer)
    await form.get_by_label("Nom complet").fill("Nadia Nouvelle")
    await form.get_by_label("Rôle").select_option("HOTLINE")
    await form.get_by_label("Mot de passe initial").fill("court")
    await form.get_by_role("button", name="Créer le compte").click()
    await expect(form.get_by_role("alert")).to_be_visible()  # the server's password rule
    await form.get_by_label("Mot de passe initial").fill("Une-phrase-de-passe-longue-2026")
    await form.get_by_role("button", name="Créer le compte").click()
    row = p.get_by_test_id("users").get_by_role("row").filter(has_text=newcomer)
    await expect(row).to_be_visible()

    await row.get_by_label(f"Rôle de {newcomer}").select_option("TECHNICIAN")
    await p.reload()
    await expect(row.get_by_label(f"Rôle de {newcomer}")).to_have_value("TECHNICIAN")

    await row.get_by_role("button", name="Réinitialiser le mot de passe").click()
    # A reset ends the colleague's sessions: it is confirmed first, and can be called off.
    await row.get_by_role("button", name="Annuler").click()
    await expect(p.get_by_test_id("one-time-code")).to_have_count(0)
    await row.get_by_role("button", name="Réinitialiser le mot de passe").click()
    await row.get_by_role("button", name=f"Confirmer la réinitialisation pour {newcomer}").click()
    code = p.get_by_test_id("one-time-code")
    await expect(code).to_contain_text(newcomer)
    assert len((await code.locator("code").inner_text()).strip()) >= 8
    await assert_accessible(p)
    await code.get_by_role("button", name="C'est transmis").click()
    await expect(code).to_have_count(0)

    await row.get_by_role("button", name="Désactiver").click()
    deactivate = p.get_by_role("form", name=f"Désactiver {newcomer}")
    await deactivate.get_by_label("Motif").fill("Départ de l'entreprise")
    await deactivate.get_by_role("button", name="Désactiver").click()
    await expect(row).to_have_count(0)  # the list shows active accounts by default
    await p.get_by_label("Statut").select_option("DEACTIVATED")
    await expect(row).to_contain_text("Désactivé")
    assert page.foreign(base) == [] and page.refused() == []


async def test_a_technician_has_no_staff_screen(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    p = page.page
    await sign_in(p, base, await add_user(owner_engine, graph, "TECHNICIAN"))
    await p.get_by_role("button", name="Plus").click()
    await expect(p.get_by_role("link", name="Utilisateurs")).to_have_count(0)
    await p.goto(base + "/utilisateurs")
    await expect(p.get_by_text("Page introuvable.")).to_be_visible()
