"""The onboarding validated as the user types, in a real browser (Debian's Chromium driven by
Playwright, against a real uvicorn on the test database): the server's own messages
(`validateCompany`, `validateShop`) appear at the field typed before any submit, go once the
value is corrected, never at a field not yet touched, and nothing is written meanwhile.

The server, the browser and the helpers are those of tests/test_console_browser.py (skipped
there and here, with how to enable them, on a machine without Chromium).
"""

from __future__ import annotations

import json
import uuid

from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from db.identifiers import make_siret
from tests.api import gid
from tests.factories import TenantGraph, add_user
from tests.test_console_browser import (  # noqa: F401 (fixtures)
    Watched,
    assert_accessible,
    base,
    browser,
    graph,
    page,
    pytestmark,
    sign_in,
)
from tests.test_console_trusted import operation_text
from tests.test_onboarding_checks import add_company, row_counts

#: Tables a signed-in browser writes to on its own (a reload's refresh token, the session's
#: last use): not the onboarding's.
SESSION_TABLES = ("user_sessions", "platform_sessions")


async def business_rows(engine: AsyncEngine) -> dict[str, int]:
    counts = await row_counts(engine)
    return {t: n for t, n in counts.items() if t not in SESSION_TABLES}


async def expect_error(p: Page, field: str, text: str) -> None:
    """The server's message at the field: aria-invalid, and named by aria-describedby."""
    box = p.locator(f"#field-{field}")
    await expect(box).to_have_attribute("aria-invalid", "true")
    await expect(box).to_have_attribute("aria-describedby", f"field-{field}-error")
    await expect(p.locator(f"#field-{field}-error")).to_contain_text(text)


async def expect_no_error(p: Page, field: str) -> None:
    box = p.locator(f"#field-{field}")
    await expect(box).not_to_have_attribute("aria-invalid", "true")
    await expect(p.locator(f"#field-{field}-error")).to_have_count(0)


async def test_the_company_form_shows_the_servers_errors_as_the_seller_types(
    base: str,  # noqa: F811
    page: Watched,  # noqa: F811
    owner_engine: AsyncEngine,
    graph: TenantGraph,  # noqa: F811
) -> None:
    email = await add_user(owner_engine, graph, "SELLER")
    p = page.page
    await sign_in(p, base, email)
    await p.get_by_role("link", name="Onboard a new merchant").click()
    await expect(p.locator("#field-iban")).to_be_visible()
    before = await business_rows(owner_engine)
    checks: list[str] = []
    p.on(
        "request",
        lambda r: (
            checks.append(operation_text(r.post_data))
            if "validateCompany" in operation_text(r.post_data)
            else None
        ),
    )

    await p.locator("#field-iban").fill("FR76 3000 6000 0112 3456 7890 188")
    await expect_error(p, "iban", "IBAN invalide")
    await p.locator("#field-address-postalCode").fill("9")
    await expect_error(
        p, "address-postalCode", "Code postal invalide : 5 chiffres (par ex. 97110)."
    )
    # The server also said the legal name, the SIREN... are missing: not shown, not touched.
    await expect_no_error(p, "legalName")
    await expect_no_error(p, "siren")
    await assert_accessible(p)  # with the live errors shown

    await p.locator("#field-iban").fill("FR76 3000 6000 0112 3456 7890 189")
    await expect_no_error(p, "iban")
    await expect_error(
        p, "address-postalCode", "Code postal invalide : 5 chiffres (par ex. 97110)."
    )
    await p.locator("#field-address-postalCode").fill("97110")
    await expect_no_error(p, "address-postalCode")
    # Checks were asked by the console (not guessed there) and wrote nothing.
    assert checks and all('"input"' in body for body in checks)
    assert await business_rows(owner_engine) == before
    # The submit stays the judge: it answers at every field the seller has not reached.
    await p.get_by_role("button", name="Créer la société").click()
    await expect_error(p, "legalName", "obligatoire")
    await expect_no_error(p, "iban")
    assert await business_rows(owner_engine) == before
    assert page.foreign(base) == [] and page.refused() == []


async def test_the_shop_form_shows_the_servers_siret_rule_as_the_seller_types(
    base: str,  # noqa: F811
    page: Watched,  # noqa: F811
    owner_engine: AsyncEngine,
    graph: TenantGraph,  # noqa: F811
) -> None:
    email = await add_user(owner_engine, graph, "SELLER")
    company_id, siren = await add_company(owner_engine, graph, "PROSPECT")
    p = page.page
    await sign_in(p, base, email)
    # A merchant half onboarded: its company created, its shops to add (the tab's draft).
    draft = {
        "step": "shops",
        "companyId": gid("Company", company_id),
        "companyName": "Société Prospect",
    }
    await p.evaluate("d => sessionStorage.setItem('spring.onboarding', d)", json.dumps(draft))
    await p.goto(base + "/onboarding")
    await expect(p.get_by_text("Magasins de Société Prospect")).to_be_visible()
    await expect(p.locator("#field-siret")).to_be_visible()
    before = await business_rows(owner_engine)

    await p.locator("#field-siret").fill("73282932000074")  # another company's SIRET
    await expect_error(p, "siret", f"commençant par le SIREN {siren}")
    await expect_no_error(p, "name")
    await p.locator("#field-siret").fill(make_siret(siren, f"{uuid.uuid4().int % 10**4:04d}"))
    await expect_no_error(p, "siret")
    await p.locator("#field-address-postalCode").fill("97 110 !")
    await expect_error(
        p, "address-postalCode", "Code postal invalide : 5 chiffres (par ex. 97110)."
    )
    await assert_accessible(p)
    await p.locator("#field-address-postalCode").fill("97110")
    await expect_no_error(p, "address-postalCode")
    assert await business_rows(owner_engine) == before
    assert page.foreign(base) == [] and page.refused() == []
