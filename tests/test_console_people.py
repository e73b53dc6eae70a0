"""The console's people's side in a real browser: the bell (live, without a reload), the
Demandes screens and their moves, and the seed's cross-role scenario, each role in its own
browser context (its own session) at the same time.

Same server, Chromium and axe-core as tests/test_console_browser.py (whose fixtures and
helpers are used here); skipped the same way on a machine without Chromium.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from playwright.async_api import Browser, Locator, Page, async_playwright, expect
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from spring.app import create_app
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph
from tests.live import login, post, running
from tests.test_console_browser import (
    ARGS,
    CHROMIUM,
    TIMEOUT_MS,
    Watched,
    _settings,
    assert_accessible,
    luhn_complete,
    pytestmark,
    sign_in,
)

__all__ = ["pytestmark"]  # skipped, or required, as the other browser tests are


@pytest.fixture(scope="module")
async def graph(owner_engine: AsyncEngine) -> TenantGraph:
    return await make_tenant_graph(owner_engine)


@pytest.fixture(scope="module")
async def base(app_url: str) -> AsyncIterator[str]:
    async with running(create_app(_settings(), app_url)) as address:
        yield f"http://{address}"


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as p:
        launched = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        await launched.close()


@asynccontextmanager
async def signed_in(browser: Browser, base: str, email: str) -> AsyncIterator[Watched]:
    """A browser context of its own (its own session), signed in as `email`."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        watched = Watched(await context.new_page())
        await sign_in(watched.page, base, email)
        yield watched
    finally:
        await context.close()


def bell(p: Page) -> Locator:
    return p.get_by_test_id("bell")


async def open_bell(p: Page) -> None:
    """With the keyboard: focus the bell, Enter; the focus moves into its panel."""
    await bell(p).focus()
    await p.keyboard.press("Enter")
    await expect(bell(p)).to_have_attribute("aria-expanded", "true")
    await expect(p.get_by_role("region", name="Notifications")).to_be_focused()


async def onboard(p: Page, name: str) -> str:
    """The seller's onboarding: company, one shop, the evaluation request. Returns the SIREN."""
    siren = luhn_complete(f"{uuid.uuid4().int % 10**8:08d}")
    await p.get_by_role("link", name="Onboard a new merchant").click()
    values = {
        "siren": siren,
        "legalName": name,
        "legalForm": "SARL",
        "mcc": "5411",
        "address-line1": "3 rue Nozières",
        "address-postalCode": "97110",
        "address-city": "Pointe-à-Pitre",
        "contactName": "Rose Morne",
        "contactEmail": "rose@morne.test",
        "contactPhone": "+590690123456",
    }
    for field, value in values.items():
        await p.locator(f"#field-{field}").fill(value)
    await p.get_by_role("button", name="Créer la société").click()
    await expect(p.get_by_text(f"Magasins de {name}")).to_be_visible()
    await p.locator("#field-name").fill(f"{name} — Darse")
    await p.locator("#field-siret").fill(luhn_complete(siren + "0001"))
    await p.locator("#field-address-line1").fill("1 quai de la Darse")
    await p.locator("#field-address-postalCode").fill("97110")
    await p.locator("#field-address-city").fill("Pointe-à-Pitre")
    await p.get_by_role("button", name="Ajouter le magasin").click()
    await expect(p.get_by_role("listitem").filter(has_text="Darse")).to_be_visible()
    await p.get_by_role("button", name="Continuer vers l'évaluation").click()
    await p.get_by_role("button", name="Demander l'évaluation").click()
    done = p.get_by_role("status").filter(has_text="Demande d'évaluation")
    await expect(done).to_contain_text(re.compile(r"[A-Z0-9]{11}"))
    return siren


async def test_the_seeds_scenario_across_roles_with_a_live_bell(
    base: str, browser: Browser, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    """The seller onboards a merchant and asks for its evaluation; the supervisor is notified
    (the bell updates without a reload) and approves; the seller, notified, creates and signs
    the contract; the hotline finds the merchant by SIREN; a seller cannot change fees but
    asks for it, and the supervisor's bell says so."""
    seller_email = await add_user(owner_engine, graph, "SELLER")
    supervisor_email = await add_user(owner_engine, graph, "SUPERVISOR")
    hotline_email = await add_user(owner_engine, graph, "HOTLINE")
    name = f"Épicerie {uuid.uuid4().hex[:6]}"
    async with (
        signed_in(browser, base, supervisor_email) as supervisor,
        signed_in(browser, base, seller_email) as seller,
    ):
        sp, sl = supervisor.page, seller.page
        # Nothing unread yet: the count is not shown, the button says so.
        await expect(bell(sp)).to_have_attribute("aria-label", "Notifications, aucune non lue")
        await expect(sp.get_by_test_id("bell-count")).to_have_count(0)
        await assert_accessible(sp)  # Accueil with the bell

        siren = await onboard(sl, name)

        # The supervisor's page was not reloaded: the subscription brought the news.
        await expect(sp.get_by_test_id("bell-count")).to_have_text("1", timeout=TIMEOUT_MS)
        await expect(bell(sp)).to_have_attribute("aria-label", "Notifications, 1 non lue")
        await expect(sp.get_by_test_id("bell-announcement")).to_have_text(
            f"Nouvelle notification : Évaluation demandée : {name}"
        )
        await open_bell(sp)
        told = sp.get_by_role("region", name="Notifications").get_by_role(
            "link", name=f"Évaluation demandée : {name}"
        )
        await expect(told).to_be_visible()
        await assert_accessible(sp)  # the bell's panel open
        await told.click()
        await expect(sp.get_by_role("heading", level=1)).to_have_text(
            re.compile(r"^Demande [A-Z0-9]{11}$")
        )
        await expect(sp.get_by_test_id("bell-count")).to_have_count(0)  # read by opening it
        moves = sp.get_by_test_id("moves")
        await expect(moves.get_by_role("button", name="Approuver")).to_be_visible()
        await expect(moves.get_by_role("button", name="Annuler la demande")).to_have_count(0)
        await assert_accessible(sp)  # a request's page with its moves
        await moves.get_by_label("Commentaire de l'approbation (facultatif)").fill(
            "Dossier complet"
        )
        await moves.get_by_role("button", name="Approuver").click()
        await expect(sp.locator(".company-header")).to_contain_text("Approuvée")
        await expect(sp.get_by_test_id("moves")).to_have_count(0)

        # The seller is told, live too, and goes to the merchant from the bell.
        await expect(sl.get_by_test_id("bell-count")).to_have_text("1", timeout=TIMEOUT_MS)
        await open_bell(sl)
        await sl.get_by_role("link", name=f"Évaluation approuvée : {name}").click()
        await expect(sl.get_by_role("heading", level=1)).to_have_text(name)
        await sl.get_by_role("button", name="Nouveau contrat").click()
        form = sl.get_by_role("form", name="Nouveau contrat")
        # A number that cannot be read is pointed out before anything is sent.
        await form.get_by_label("Taux CB domestique (%)").fill("abc")
        await form.get_by_role("button", name="Créer le contrat").click()
        await expect(form.get_by_label("Taux CB domestique (%)")).to_have_accessible_description(
            "Nombre attendu, par exemple 0,30."
        )
        await form.get_by_label("Taux CB domestique (%)").fill("0,40")
        await form.get_by_label("Frais fixe CB domestique (€)").fill("0,05")
        await form.get_by_label("Location mensuelle du terminal (€)").fill("25,00")
        await assert_accessible(sl)  # the new-contract form
        await form.get_by_role("button", name="Créer le contrat").click()
        created = sl.get_by_role("status").filter(has_text="créé (brouillon)")
        await expect(created).to_have_text(re.compile(r"^Contrat MP-\d{4}-\d{6} créé"))
        number = re.search(r"MP-\d{4}-\d{6}", await created.inner_text())
        assert number
        contract = number.group(0)
        contracts = sl.get_by_role("table", name="Contrats")
        await expect(contracts.get_by_role("row").filter(has_text=contract)).to_contain_text(
            "Brouillon"
        )
        # The server refuses a signature without a signatory, at the signatory's input.
        await sl.get_by_role("button", name=f"Signer le contrat {contract}").click()
        signatory = sl.get_by_label(f"Signataire du marchand pour {contract}")
        await expect(signatory).to_have_attribute("aria-invalid", "true")
        await signatory.fill("Rose Morne")
        await sl.get_by_role("button", name=f"Signer le contrat {contract}").click()
        await expect(contracts.get_by_role("row").filter(has_text=contract)).to_contain_text(
            "Signé"
        )

        # A seller may not change the fees of a signed contract, but asks for it.
        await sl.get_by_role("navigation").get_by_role("link", name="Accueil").click()
        await sl.get_by_role("link", name="Consult or edit merchant acquiring fees").click()
        await sl.get_by_label("Marchand ou contrat").fill(contract)
        await sl.get_by_role("list", name="Contrats trouvés").get_by_role("link").first.click()
        await expect(sl.get_by_role("heading", name="Grille en vigueur")).to_be_visible()
        await expect(sl.get_by_role("button", name="Appliquer la nouvelle grille")).to_have_count(0)
        await sl.get_by_label("Location mensuelle du terminal (€)").fill("19,90")
        await sl.get_by_label("Motif du changement").fill("Le marchand demande une baisse")
        await sl.get_by_role("button", name="Demander ce changement").click()
        await expect(sl.get_by_role("status").filter(has_text="envoyée")).to_be_visible()
        # The supervisor was told of the signature, then of the change asked for: live.
        await expect(sp.get_by_test_id("bell-count")).to_have_text("2", timeout=TIMEOUT_MS)
        await open_bell(sp)
        panel = sp.get_by_role("region", name="Notifications")
        await expect(panel.get_by_role("link", name="Changement de tarifs demandé")).to_be_visible()
        await expect(panel.get_by_role("link", name=f"Contrat {contract} signé")).to_be_visible()
        # Escape closes the panel and gives the focus back to the bell.
        await sp.keyboard.press("Escape")
        await expect(sp.get_by_role("region", name="Notifications")).to_have_count(0)
        await expect(bell(sp)).to_be_focused()
        for watched in (supervisor, seller):
            assert watched.foreign(base) == [] and watched.refused() == []

    async with signed_in(browser, base, hotline_email) as hotline:
        hp = hotline.page
        search = hp.get_by_role("combobox", name="Rechercher")
        await search.fill(siren)
        found = hp.get_by_role("group", name="Sociétés").get_by_role("option")
        await expect(found).to_have_count(1)
        await expect(found).to_contain_text(name)
        await search.press("ArrowDown")
        await search.press("Enter")
        await expect(hp.get_by_role("heading", level=1)).to_have_text(name)
        row = hp.get_by_role("table", name="Contrats").get_by_role("row").filter(has_text=contract)
        await expect(row).to_contain_text("Signé")
        assert hotline.foreign(base) == [] and hotline.refused() == []


CREATE_REQUEST = """mutation($i: CreateRequestInput!) { createRequest(input: $i) {
  request { id reference } userErrors { code message } } }"""


async def test_demandes_list_filters_and_moves_a_support_request(
    base: str, browser: Browser, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    """A seller's support request: the hotline finds it in Demandes (filters in the URL),
    is refused giving it to a seller (the server's words, at the assignee), takes it,
    comments and closes it; the seller sees it in MY REQUESTS with the comment."""
    seller_email = await add_user(owner_engine, graph, "SELLER")
    hotline_email = await add_user(owner_engine, graph, "HOTLINE")
    address = base.removeprefix("http://")
    token = await login(address, seller_email, PASSWORD)
    subject = f"Terminal muet {uuid.uuid4().hex[:6]}"
    body = await post(
        address,
        token,
        CREATE_REQUEST,
        {
            "i": {
                "type": "SUPPORT",
                "companyId": str(relay.GlobalID("Company", str(graph.ids["company"]))),
                "subject": subject,
            }
        },
    )
    assert body["data"]["createRequest"]["userErrors"] == [], body
    reference = body["data"]["createRequest"]["request"]["reference"]

    async with signed_in(browser, base, hotline_email) as hotline:
        hp = hotline.page
        await hp.get_by_role("button", name="Plus").click()
        await hp.get_by_role("link", name="Demandes", exact=True).click()
        await expect(hp.get_by_role("heading", level=1)).to_have_text("Demandes")
        table = hp.get_by_test_id("requests")
        await hp.get_by_label("Type de demande").select_option("SUPPORT")
        await hp.get_by_label("Référence ou objet").fill(subject)
        await expect(table.locator("tbody tr")).to_have_count(1)
        await expect(table).to_contain_text(reference)
        assert "type=SUPPORT" in hp.url
        await assert_accessible(hp)  # the Demandes list
        # Nothing assigned to the hotline yet.
        await hp.get_by_label("Mes demandes").select_option("ASSIGNED")
        await expect(table.get_by_text("Aucun élément.")).to_be_visible()
        await hp.get_by_label("Mes demandes").select_option("ANY")
        await table.get_by_role("link", name=reference).click()

        moves = hp.get_by_test_id("moves")
        await expect(moves.get_by_role("button", name="Prendre la demande")).to_be_visible()
        await expect(moves.get_by_role("button", name="Approuver")).to_have_count(0)
        await expect(moves.get_by_role("button", name="Annuler la demande")).to_have_count(0)
        await expect(moves.get_by_role("button", name="Marquer comme traitée")).to_have_count(0)
        # A support request cannot go to a seller: the server says so at the assignee.
        assign = moves.get_by_role("form", name="Assigner")
        await assign.get_by_label("Assigner à").select_option(label="Seller (Vendeur)")
        await assign.get_by_role("button", name="Assigner").click()
        await expect(assign.get_by_role("alert")).to_contain_text(
            "ne peut pas être confiée à un compte SELLER"
        )
        await assert_accessible(hp)  # the moves, with a server error shown
        await moves.get_by_role("button", name="Prendre la demande").click()
        await expect(hp.locator(".company-header")).to_contain_text("En revue")
        await hp.get_by_label("Ajouter un commentaire").fill("Redémarré à distance.")
        await hp.get_by_role("button", name="Envoyer le commentaire").click()
        await expect(hp.get_by_test_id("comments")).to_contain_text("Redémarré à distance.")
        await moves.get_by_label("Ce qui a été fait (facultatif)").fill("Terminal reconfiguré")
        await moves.get_by_role("button", name="Marquer comme traitée").click()
        await expect(hp.locator(".company-header")).to_contain_text("Terminée")
        await expect(hp.get_by_test_id("moves")).to_have_count(0)
        await assert_accessible(hp)
        assert hotline.foreign(base) == [] and hotline.refused() == []

    async with signed_in(browser, base, seller_email) as seller:
        sl = seller.page
        mine = sl.get_by_test_id("my-requests")
        row = mine.get_by_role("row").filter(has_text=reference)
        await expect(row).to_contain_text("Terminée")
        await expect(row).to_contain_text("Auteur")
        # Told of the comment and of the closing, without asking.
        await expect(sl.get_by_test_id("bell-count")).to_have_text("2")
        await row.get_by_role("link", name=reference).click()
        await expect(sl.get_by_test_id("comments")).to_contain_text("Redémarré à distance.")
        assert seller.foreign(base) == [] and seller.refused() == []
