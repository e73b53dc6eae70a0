"""Activating a shop's services from the console, in a real browser (Debian's Chromium,
Playwright): the seed's "Activer la solution PayWish (Tap to Pay / SoftPOS) et Pay on site".

A technician opens the shop, activates Tap to Pay and reads its one-time code once, gets a new
code for the phone, registers a PAX terminal on the spot (a bad TID is refused with the server's
message) and activates Pay on site on it, then deactivates the Tap to Pay service with a reason.
A seller, who may not activate, sees the services and no action.
"""

from __future__ import annotations

import re
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

CODE = re.compile(r"\S{6,}")


async def services_of(engine: AsyncEngine, shop_id: uuid.UUID) -> list[tuple[str, str]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT kind, status FROM services WHERE shop_id = :s ORDER BY created_at"),
            {"s": shop_id},
        )
        return [(kind, status) for kind, status in rows]


async def test_a_technician_activates_tap_to_pay_and_pay_on_site_in_a_shop(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    technician = await add_user(owner_engine, graph, "TECHNICIAN")
    shop = graph.ids["shop"]
    async with owner_engine.begin() as conn:  # a contract providing for both solutions
        await conn.execute(
            text(
                "UPDATE contracts SET service_kinds = ARRAY['PAY_ON_SITE', 'PAYWISH_SOFTPOS']::varchar[]"
                " WHERE id = :c"
            ),
            {"c": graph.ids["contract"]},
        )
    before = await services_of(owner_engine, shop)
    p = page.page
    await sign_in(p, base, technician)
    await p.goto(base + "/magasins/" + gid("Shop", shop))
    services = p.get_by_test_id("services")
    await expect(services.get_by_role("row")).to_have_count(len(before) + 1)  # with the header

    # Tap to Pay: the code is shown once, until the technician says it was handed over.
    await p.get_by_role("button", name="Activer un service").click()
    form = p.get_by_role("form", name="Activer un service")
    await assert_accessible(p)
    await form.get_by_label("Paywish SoftPOS").check()
    await form.get_by_role("button", name="Activer Tap to Pay et obtenir le code").click()
    panel = p.get_by_test_id("activation-code")
    await expect(panel.locator("code")).to_have_text(CODE)
    first_code = (await panel.locator("code").text_content()) or ""
    softpos = (
        services.get_by_role("row").filter(has_text="Paywish SoftPOS").filter(has_text="En attente")
    )
    await expect(softpos).to_have_count(1)
    await expect(softpos).to_contain_text("en attente du téléphone")
    await panel.get_by_role("button", name="Code transmis").click()
    await expect(panel).to_have_count(0)

    # The phone lost its code: a new one replaces it.
    await softpos.get_by_role("button", name="Nouveau code d'activation").click()
    await expect(panel.locator("code")).to_have_text(CODE)
    assert (await panel.locator("code").text_content()) != first_code
    await panel.get_by_role("button", name="Code transmis").click()

    # Pay on site on a PAX terminal registered on the spot: the server's TID rule first.
    await p.get_by_role("button", name="Activer un service").click()
    await form.get_by_label("Paiement sur site").check()
    await form.get_by_role("button", name="Enregistrer un nouveau TPE").click()
    new_terminal = form.get_by_role("group", name="Enregistrer un nouveau TPE")
    await new_terminal.get_by_label("TID").fill("abc")
    await new_terminal.get_by_role("button", name="Mettre en stock").click()
    await expect(new_terminal.get_by_role("alert")).to_contain_text("TID invalide")
    tid = "P" + uuid.uuid4().hex[:7].upper()
    await new_terminal.get_by_label("TID").fill(tid)
    await new_terminal.get_by_label("N° de série").fill("SN" + tid)
    await new_terminal.get_by_label("Modèle").fill("A920")
    await new_terminal.get_by_role("button", name="Mettre en stock").click()
    await expect(new_terminal).to_have_count(0)
    chosen = form.get_by_role("combobox", name="TPE", exact=True)
    await expect(chosen).not_to_have_value("")
    assert tid in await chosen.evaluate("select => select.selectedOptions[0].textContent")
    await assert_accessible(p)
    await form.get_by_role("button", name="Activer sur ce TPE").click()
    await expect(form).to_have_count(0)
    pax = services.get_by_role("row").filter(has_text=tid)
    await expect(pax).to_contain_text("Active")
    await expect(
        p.get_by_role("table", name="Terminaux").get_by_role("row").filter(has_text=tid)
    ).to_have_count(1)

    # Deactivating the Tap to Pay service needs a reason.
    await softpos.get_by_role("button", name="Désactiver").click()
    ending = p.get_by_role("form", name="Désactiver le service Paywish SoftPOS")
    await ending.get_by_label("Motif").fill("Le commerçant n'a pas de téléphone compatible")
    await ending.get_by_role("button", name="Désactiver").click()
    await expect(ending).to_have_count(0)
    await expect(
        services.get_by_role("row").filter(has_text="Paywish SoftPOS").filter(has_text="Désactivé")
    ).to_have_count(1)

    after = await services_of(owner_engine, shop)
    assert after[: len(before)] == before
    assert after[len(before) :] == [("PAYWISH_SOFTPOS", "DEACTIVATED"), ("PAY_ON_SITE", "ACTIVE")]
    async with owner_engine.connect() as conn:
        actions = set(
            (
                await conn.execute(
                    text(
                        "SELECT action FROM audit_events WHERE tenant_id = :t"
                        " AND actor_label LIKE :who"
                    ),
                    {"t": graph.tenant_id, "who": "%" + technician.split("@")[0] + "%"},
                )
            ).scalars()
        )
    assert {"service.activated", "service.deactivated"} <= actions, actions
    assert page.foreign(base) == [] and page.refused() == []


async def test_a_seller_sees_the_services_and_no_activation(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    p = page.page
    await sign_in(p, base, await add_user(owner_engine, graph, "SELLER"))
    await p.goto(base + "/magasins/" + gid("Shop", graph.ids["shop"]))
    await expect(p.get_by_test_id("services").get_by_role("row")).not_to_have_count(0)
    await expect(p.get_by_role("heading", name="Services")).to_be_visible()
    await expect(p.get_by_role("button", name="Activer un service")).to_have_count(0)
    await expect(p.get_by_role("button", name="Désactiver")).to_have_count(0)
    assert page.foreign(base) == [] and page.refused() == []
