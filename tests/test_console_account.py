"""The Compte page in a real browser (Debian's Chromium driven by Playwright, against a real
uvicorn on the test database): language, password change, sessions, logout, notification
choices, a supervisor's password reset and the one-time code's sign-in.

The server, the browser and the helpers are those of tests/test_console_browser.py (skipped
there and here, with how to enable them, on a machine without Chromium).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from tenancy.password_policy import MIN_LENGTH
from tests.factories import PASSWORD, TenantGraph, add_user
from tests.test_console_browser import (  # noqa: F401 (fixtures)
    TIMEOUT_MS,
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

NEW_PASSWORD = "Vanille-Cannelle-97110!"
I18N = Path(__file__).resolve().parent.parent / "console" / "src" / "i18n"


@pytest.fixture
async def other(browser: Browser) -> AsyncIterator[BrowserContext]:  # noqa: F811
    """A second browser (its own cookies): another session of the same account."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    await context.close()


async def open_account(p: Page) -> None:
    await p.get_by_test_id("user-name").click()
    await expect(p).to_have_url(re.compile(r"/compte$"))
    await expect(p.get_by_role("heading", level=1)).to_have_text(re.compile("Compte|Account"))


async def test_the_password_rules_shown_are_the_servers() -> None:
    # The console states the policy of tenancy/password_policy.py in both languages.
    assert f"Au moins {MIN_LENGTH} caractères" in (I18N / "fr.ts").read_text()
    assert f"At least {MIN_LENGTH} characters" in (I18N / "en.ts").read_text()


async def test_the_language_chosen_on_compte_is_the_accounts(
    base: str,  # noqa: F811
    page: Watched,  # noqa: F811
    other: BrowserContext,
    owner_engine: AsyncEngine,
    graph: TenantGraph,  # noqa: F811
) -> None:
    email = await add_user(owner_engine, graph, "SELLER")
    p = page.page
    await sign_in(p, base, email)
    await open_account(p)
    await expect(p.get_by_role("row", name=re.compile("Cette session"))).to_be_visible()
    await assert_accessible(p)
    await p.locator("#account-language").select_option("en")
    await p.get_by_role("button", name="Enregistrer le profil").click()
    # The console switches at once...
    await expect(p.get_by_role("heading", level=1)).to_have_text("Account")
    await expect(p.get_by_role("status").filter(has_text="Profile saved.")).to_be_visible()
    await expect(p.locator("html")).to_have_attribute("lang", "en")
    # ...and the account keeps it: another browser signs in in French and switches to English.
    q = await other.new_page()
    await sign_in(q, base, email)
    await expect(q.get_by_role("navigation").get_by_role("link", name="Home")).to_be_visible()
    # A choice of notification is saved and kept.
    await p.reload()
    box = p.get_by_role("checkbox", name="Request given to you: by e-mail")
    await expect(box).to_be_visible()
    checked = await box.is_checked()
    await box.click()
    await expect(p.get_by_role("status").filter(has_text="Preferences saved.")).to_be_visible()
    await p.reload()
    box = p.get_by_role("checkbox", name="Request given to you: by e-mail")
    await expect(box).to_be_checked(checked=not checked)
    await assert_accessible(p)
    assert page.foreign(base) == [] and page.refused() == []


async def test_a_password_change_keeps_this_session_and_the_new_password_signs_in(
    base: str,  # noqa: F811
    page: Watched,  # noqa: F811
    other: BrowserContext,
    owner_engine: AsyncEngine,
    graph: TenantGraph,  # noqa: F811
) -> None:
    email = await add_user(owner_engine, graph, "HOTLINE")
    p = page.page
    q = await other.new_page()
    await sign_in(q, base, email)  # another session, which the change ends
    await sign_in(p, base, email)
    await open_account(p)
    current = p.get_by_label("Mot de passe actuel")
    new = p.get_by_label("Nouveau mot de passe", exact=True)
    repeat = p.get_by_label("Confirmer le nouveau mot de passe")
    await expect(p.get_by_text(f"Au moins {MIN_LENGTH} caractères")).to_be_visible()
    # The two entries differ: said at the second one, nothing sent.
    await current.fill(PASSWORD)
    await new.fill(NEW_PASSWORD)
    await repeat.fill(NEW_PASSWORD + "x")
    await p.get_by_role("button", name="Changer le mot de passe").click()
    await expect(repeat).to_have_attribute("aria-invalid", "true")
    await expect(repeat).to_be_focused()
    # The server's rules, at the new password's field.
    await new.fill("court")
    await repeat.fill("court")
    await p.get_by_role("button", name="Changer le mot de passe").click()
    await expect(new).to_have_attribute("aria-invalid", "true")
    await expect(new).to_be_focused()
    await expect(p.get_by_text("Mot de passe trop court")).to_be_visible()
    # A wrong current password, at its field.
    await current.fill("not-the-password")
    await new.fill(NEW_PASSWORD)
    await repeat.fill(NEW_PASSWORD)
    await p.get_by_role("button", name="Changer le mot de passe").click()
    await expect(current).to_have_attribute("aria-invalid", "true")
    await expect(current).to_be_focused()
    await expect(p.get_by_text("Le mot de passe actuel est incorrect.")).to_be_visible()
    await assert_accessible(p)
    # The right one: changed; this session goes on (its cookie was replaced)...
    await current.fill(PASSWORD)
    await p.get_by_role("button", name="Changer le mot de passe").click()
    await expect(p.get_by_role("status").filter(has_text="Mot de passe changé")).to_be_visible()
    await expect(current).to_have_value("")
    await p.reload()
    await expect(p.get_by_role("heading", level=1)).to_have_text("Compte")
    # ...the other one has ended...
    await q.reload()
    await expect(q.get_by_role("button", name="Se connecter")).to_be_visible()
    # ...the old password is refused, the new one signs in.
    await q.get_by_label("E-mail").fill(email)
    await q.get_by_label("Mot de passe").fill(PASSWORD)
    await q.get_by_role("button", name="Se connecter").click()
    await expect(q.get_by_role("alert")).to_be_visible()
    await q.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    await q.get_by_role("button", name="Se connecter").click()
    await expect(q.get_by_test_id("user-name")).to_have_text("Hotline")
    assert page.foreign(base) == [] and page.refused() == []


async def test_ending_another_session_refuses_it(
    base: str,  # noqa: F811
    page: Watched,  # noqa: F811
    other: BrowserContext,
    owner_engine: AsyncEngine,
    graph: TenantGraph,  # noqa: F811
) -> None:
    email = await add_user(owner_engine, graph, "TECHNICIAN")
    p = page.page
    q = await other.new_page()
    await sign_in(q, base, email)
    await sign_in(p, base, email)
    await open_account(p)
    sessions = p.get_by_role("table", name="Sessions")
    await expect(sessions.get_by_role("row")).to_have_count(3)  # the header and two sessions
    mine = sessions.get_by_role("row", name=re.compile("Cette session"))
    await expect(mine).to_have_attribute("aria-current", "true")
    await expect(mine.get_by_role("button")).to_have_count(0)
    theirs = sessions.get_by_role("row").filter(has=p.get_by_role("button"))
    await expect(theirs).to_contain_text("Chromium")
    await expect(theirs).to_contain_text("127.0.0.1")
    await theirs.get_by_role("button", name="Mettre fin à cette session").click()
    await expect(p.get_by_role("status").filter(has_text="Session terminée")).to_be_visible()
    await expect(sessions.get_by_role("row")).to_have_count(2)
    # The other browser's next request is refused: it is back at the sign-in screen.
    await q.get_by_role("link", name="Compte").click()
    await expect(q.get_by_role("button", name="Se connecter")).to_be_visible()
    await q.reload()
    await expect(q.get_by_role("button", name="Se connecter")).to_be_visible()
    # This one goes on.
    await p.reload()
    await expect(p.get_by_role("heading", level=1)).to_have_text("Compte")
    assert page.foreign(base) == [] and page.refused() == []


async def test_logout_ends_the_session_and_forgets_its_cookie(
    base: str,  # noqa: F811
    page: Watched,  # noqa: F811
    owner_engine: AsyncEngine,
    graph: TenantGraph,  # noqa: F811
) -> None:
    email = await add_user(owner_engine, graph, "SELLER")
    p = page.page
    await sign_in(p, base, email)
    await open_account(p)
    before = [c for c in await p.context.cookies() if c["name"] == "spring_refresh"]
    assert before
    seen: list[str] = []
    p.on(
        "request", lambda r: seen.append(r.post_data or "") if r.url.endswith("/graphql") else None
    )
    await p.get_by_role("button", name="Se déconnecter").click()
    await expect(p.get_by_role("button", name="Se connecter")).to_be_visible()
    # Sent by its trusted document's id (docs/security.md).
    sent = [operation_text(body) for body in seen]
    assert any("logout" in body for body in sent), "the logout mutation was not sent"
    assert [c for c in await p.context.cookies() if c["name"] == "spring_refresh"] == []
    # The session has ended on the server: its last refresh token is refused.
    await p.context.add_cookies([before[0]])  # type: ignore[list-item]
    refused = await p.context.request.post(
        base + "/auth/refresh", headers={"X-Spring-Console": "1"}
    )
    assert refused.status == 401
    await p.reload()
    await expect(p.get_by_role("button", name="Se connecter")).to_be_visible()


async def test_a_supervisor_resets_a_password_and_the_colleague_chooses_a_new_one(
    base: str,  # noqa: F811
    page: Watched,  # noqa: F811
    other: BrowserContext,
    owner_engine: AsyncEngine,
    graph: TenantGraph,  # noqa: F811
) -> None:
    supervisor = await add_user(owner_engine, graph, "SUPERVISOR")
    seller = await add_user(owner_engine, graph, "SELLER")
    q = await other.new_page()
    await sign_in(q, base, seller)  # a session the reset ends
    # A seller may not reset a password: the section is not there.
    await open_account(q)
    await expect(q.get_by_role("heading", name="Compte")).to_be_visible()
    await expect(q.get_by_role("heading", name="Mot de passe d'un collègue")).to_have_count(0)

    p = page.page
    await sign_in(p, base, supervisor)
    await open_account(p)
    # Compte points to the one place that resets a colleague's password: Utilisateurs.
    await p.get_by_role(
        "link", name="Réinitialiser le mot de passe d'un collègue dans Utilisateurs"
    ).click()
    await expect(p.get_by_role("heading", name="Utilisateurs")).to_be_visible()
    await p.get_by_label("Nom ou e-mail").fill(seller)
    row = p.get_by_test_id("users").get_by_role("row").filter(has_text=seller)
    await row.get_by_role("button", name="Réinitialiser le mot de passe").click()
    await row.get_by_role("button", name=f"Confirmer la réinitialisation pour {seller}").click()
    panel = p.get_by_test_id("one-time-code")
    code = panel.locator("code")
    await expect(code).to_have_text(re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$"))
    one_time = (await code.text_content()) or ""
    await expect(row.get_by_text("nouveau mot de passe attendu")).to_be_visible()
    await assert_accessible(p)
    await panel.get_by_role("button", name="C'est transmis").click()
    await expect(panel).to_have_count(0)  # shown once

    # The seller's session has ended; the code signs in, and a new password is due first.
    await q.reload()
    await q.get_by_label("E-mail").fill(seller)
    await q.get_by_label("Mot de passe").fill(one_time)
    await q.get_by_role("button", name="Se connecter").click()
    await expect(
        q.get_by_role("heading", name="Choisissez un nouveau mot de passe")
    ).to_be_visible()
    await expect(q.get_by_label("Mot de passe actuel")).to_have_count(0)
    await assert_accessible(q)
    new = q.get_by_label("Nouveau mot de passe", exact=True)
    await new.fill("password1234")  # a common one: the server's rule, at the field
    await q.get_by_label("Confirmer le nouveau mot de passe").fill("password1234")
    await q.get_by_role("button", name="Enregistrer et continuer").click()
    await expect(new).to_have_attribute("aria-invalid", "true")
    await expect(q.get_by_text("fait partie des plus courants")).to_be_visible()
    await new.fill(NEW_PASSWORD)
    await q.get_by_label("Confirmer le nouveau mot de passe").fill(NEW_PASSWORD)
    await q.get_by_role("button", name="Enregistrer et continuer").click()
    await expect(q.get_by_test_id("user-name")).to_have_text("Seller")
    # A full session now: a reload keeps it.
    await q.reload()
    await expect(q.get_by_test_id("user-name")).to_have_text("Seller")
    assert page.foreign(base) == [] and page.refused() == []
