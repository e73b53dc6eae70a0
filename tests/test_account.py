"""The account page: profile and language, passwords, sessions, a supervisor's reset."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from resolvers.throttle import LOGIN_THROTTLE
from tenancy.password_policy import Weakness, common_passwords, weakness
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph

NEW_PASSWORD = "Vanille-Cannelle-Rhum-97"

LOGIN = (
    "mutation($i: LoginInput!) { login(input: $i) { token refreshToken passwordChangeRequired"
    " userErrors { field code message } } }"
)
REFRESH = (
    "mutation($i: RefreshTokenInput!) { refreshToken(input: $i) { token refreshToken"
    " userErrors { code } } }"
)
ME = "{ me { id email fullName language sessions { id current userAgent address createdAt"
ME += " lastUsedAt expiresAt } } }"
SESSIONS = "{ me { sessions { id current userAgent } } }"
CHANGE = (
    "mutation($i: ChangePasswordInput!) { changePassword(input: $i) { token refreshToken"
    " sessionsEnded user { email passwordChangeRequired } userErrors { field code message } } }"
)
REVOKE = (
    "mutation($i: RevokeSessionInput!) { revokeSession(input: $i) { session { id endedAt }"
    " userErrors { field code message } } }"
)
LOGOUT = "mutation { logout { loggedOut userErrors { code } } }"
RESET = (
    "mutation($i: ResetUserPasswordInput!) { resetUserPassword(input: $i) { oneTimeCode"
    " codeExpiresAt user { email passwordChangeRequired } userErrors { field code message } } }"
)
PROFILE = (
    "mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) {"
    " user { fullName phone language } userErrors { field code message } } }"
)


@pytest.fixture
async def graph(owner_engine: AsyncEngine) -> TenantGraph:
    return await make_tenant_graph(owner_engine)


class Browser(GraphQLClient):
    """A client with its own session (login), user agent and refresh token."""

    def __init__(self, http: httpx.AsyncClient, agent: str = "pytest-browser") -> None:
        super().__init__(http)
        self.agent = agent
        self.refresh: str | None = None

    async def post(self, query: str, variables: dict[str, Any] | None = None, **headers: str):  # type: ignore[override]
        headers.setdefault("User-Agent", self.agent)
        return await super().post(query, variables, **headers)

    async def sign_in(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        body = await self.post(LOGIN, {"i": {"email": email, "password": password}})
        payload = body["data"]["login"]
        if payload["token"]:
            self.token, self.refresh = payload["token"], payload["refreshToken"]
        return payload


def _refused(body: dict[str, Any]) -> bool:
    return bool(body.get("errors")) and body["errors"][0]["extensions"]["code"] in (
        "UNAUTHENTICATED",
        "FORBIDDEN",
    )


async def _journal(owner_engine: AsyncEngine, tenant_id: Any, action: str) -> list[Any]:
    async with owner_engine.connect() as conn:
        return list(
            (
                await conn.execute(
                    text(
                        "SELECT actor_label, entity_id, before, after FROM audit_events"
                        " WHERE tenant_id = :t AND action = :a ORDER BY occurred_at"
                    ),
                    {"t": tenant_id, "a": action},
                )
            ).all()
        )


async def _password_hash(owner_engine: AsyncEngine, email: str) -> str:
    async with owner_engine.connect() as conn:
        return str(
            await conn.scalar(
                text("SELECT password_hash FROM users WHERE email = :e"), {"e": email}
            )
        )


async def _browser(app: Starlette, email: str, agent: str = "pytest-browser") -> Browser:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    browser = Browser(http, agent)
    payload = await browser.sign_in(email)
    assert payload["userErrors"] == [], payload
    return browser


# --------------------------------------------------------------------------- sessions


async def test_sessions_are_listed_and_one_revoked_elsewhere_is_refused_on_its_next_request(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "HOTLINE")
    laptop = await _browser(app, email, "Firefox on the laptop")
    phone = await _browser(app, email, "Safari on the phone")
    body = await laptop.post(ME)
    sessions = body["data"]["me"]["sessions"]
    assert [s["userAgent"] for s in sessions] == ["Safari on the phone", "Firefox on the laptop"]
    assert [s["current"] for s in sessions] == [False, True]
    assert all(s["address"] and s["createdAt"] and s["expiresAt"] for s in sessions)
    other = sessions[0]["id"]

    body = await laptop.post(REVOKE, {"i": {"id": other}})
    assert body["data"]["revokeSession"]["userErrors"] == []
    assert body["data"]["revokeSession"]["session"]["endedAt"] is not None
    # The phone's very next request is refused, and so is its refresh token.
    assert _refused(await phone.post(SESSIONS))
    body = await phone.post(REFRESH, {"i": {"refreshToken": phone.refresh}})
    assert body["data"]["refreshToken"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    # The laptop goes on; only its own session is left.
    body = await laptop.post(SESSIONS)
    assert [s["current"] for s in body["data"]["me"]["sessions"]] == [True]
    [entry] = await _journal(owner_engine, graph.tenant_id, "user.session_revoked")
    assert entry.after == {"sessionId": other}  # the id me.sessions gave, never a raw uuid


async def test_someone_elses_session_cannot_be_revoked(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    victim = await _browser(app, await add_user(owner_engine, graph, "SELLER"))
    attacker = await _browser(app, await add_user(owner_engine, graph, "SUPERVISOR"))
    victim_session = (await victim.post(SESSIONS))["data"]["me"]["sessions"][0]["id"]
    body = await attacker.post(REVOKE, {"i": {"id": victim_session}})
    assert body["data"]["revokeSession"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert "errors" not in await victim.post(SESSIONS)  # still live
    body = await attacker.post(REVOKE, {"i": {"id": "not-an-id"}})
    assert body["data"]["revokeSession"]["userErrors"][0]["code"] == "INVALID_REFERENCE"


async def test_a_supervisor_reads_no_one_elses_sessions(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    supervisor = await _browser(app, await add_user(owner_engine, graph, "SUPERVISOR"))
    await _browser(app, await add_user(owner_engine, graph, "SELLER"))
    body = await supervisor.post(
        "{ users(first: 50) { edges { node { email sessions { id } } } } }"
    )
    denied = [e for e in body["errors"] if e["extensions"]["code"] == "FORBIDDEN"]
    assert denied and all(e["path"][-1] == "sessions" for e in denied)


async def test_logout_ends_this_session_only(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "TECHNICIAN")
    one = await _browser(app, email)
    two = await _browser(app, email)
    body = await one.post(LOGOUT)
    assert body["data"]["logout"] == {"loggedOut": True, "userErrors": []}
    assert _refused(await one.post(SESSIONS))
    body = await one.post(REFRESH, {"i": {"refreshToken": one.refresh}})
    assert body["data"]["refreshToken"]["token"] is None
    assert "errors" not in await two.post(SESSIONS)


async def test_a_refresh_keeps_the_session_and_marks_it_used(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    browser = await _browser(app, await add_user(owner_engine, graph, "SELLER"))
    before = (await browser.post(ME))["data"]["me"]["sessions"][0]
    body = await browser.post(REFRESH, {"i": {"refreshToken": browser.refresh}})
    browser.token = body["data"]["refreshToken"]["token"]
    after = (await browser.post(ME))["data"]["me"]["sessions"]
    assert [s["id"] for s in after] == [before["id"]] and after[0]["current"]
    assert after[0]["lastUsedAt"] > before["lastUsedAt"]


async def test_a_reused_refresh_token_ends_the_session_access_token_included(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    browser = await _browser(app, await add_user(owner_engine, graph, "SELLER"))
    stolen = browser.refresh
    body = await browser.post(REFRESH, {"i": {"refreshToken": stolen}})
    browser.token = body["data"]["refreshToken"]["token"]
    assert "errors" not in await browser.post(SESSIONS)
    body = await browser.post(REFRESH, {"i": {"refreshToken": stolen}})  # replayed
    assert body["data"]["refreshToken"]["token"] is None
    assert _refused(await browser.post(SESSIONS))


async def test_a_token_without_a_session_is_refused(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    """Tokens issued before sessions existed carry no `sid`: log in again."""
    import jwt

    from tests.conftest import TEST_SECRET

    browser = await _browser(app, await add_user(owner_engine, graph, "SELLER"))
    claims = jwt.decode(browser.token, TEST_SECRET, algorithms=["HS256"], issuer="spring")
    del claims["sid"]
    browser.token = jwt.encode(claims, TEST_SECRET, algorithm="HS256")
    assert _refused(await browser.post(SESSIONS))


# --------------------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short-pass", Weakness.TOO_SHORT),
        ("1qaz2wsx3edc", Weakness.COMMON),
        ("Q1W2E3R4T5Y6", Weakness.COMMON),
        ("Password2024!!", Weakness.COMMON),
        ("!!Sunshine123456", Weakness.COMMON),
        ("Marie-Joseph-1987", Weakness.PERSONAL),
        ("my.mjoseph.address", Weakness.PERSONAL),
        ("x" * 300, Weakness.TOO_LONG),
        ("Vanille-Cannelle-Rhum", None),
    ],
)
def test_the_password_policy(password: str, why: Weakness | None) -> None:
    assert weakness(password, email="m.joseph@alizes.test", full_name="Marie Joseph") is why


def test_the_shipped_list_is_loaded() -> None:
    passwords = common_passwords()
    assert len(passwords) >= 10_000 and "password" in passwords and "123456" in passwords


async def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "SELLER")
    browser = await _browser(app, email)
    other = await _browser(app, email)
    hashed = await _password_hash(owner_engine, email)
    cases = [
        (
            {"currentPassword": "wrong password!", "newPassword": NEW_PASSWORD},
            "INVALID_CREDENTIALS",
        ),
        ({"currentPassword": PASSWORD, "newPassword": "too short"}, "INVALID"),
        ({"currentPassword": PASSWORD, "newPassword": "iloveyou12345"}, "WEAK_PASSWORD"),
        (
            {"currentPassword": PASSWORD, "newPassword": f"{email.split('@')[0]}-x!"},
            "WEAK_PASSWORD",
        ),
    ]
    for values, code in cases:
        body = await browser.post(CHANGE, {"i": values})
        payload = body["data"]["changePassword"]
        assert payload["token"] is None and payload["userErrors"][0]["code"] == code, body
    assert await _password_hash(owner_engine, email) == hashed
    assert "errors" not in await other.post(SESSIONS)  # no session ended
    assert await _journal(owner_engine, graph.tenant_id, "user.password_changed") == []


async def test_changing_the_password_ends_every_other_session(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "HOTLINE")
    browser = await _browser(app, email)
    elsewhere = await _browser(app, email)
    old_token = browser.token
    body = await browser.post(
        CHANGE, {"i": {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}}
    )
    payload = body["data"]["changePassword"]
    assert payload["userErrors"] == [] and payload["sessionsEnded"] == 1
    assert _refused(await elsewhere.post(SESSIONS))
    browser.token = old_token
    assert _refused(await browser.post(SESSIONS))  # the old stamp
    browser.token = payload["token"]
    sessions = (await browser.post(SESSIONS))["data"]["me"]["sessions"]
    assert [s["current"] for s in sessions] == [True]
    body = await browser.post(REFRESH, {"i": {"refreshToken": payload["refreshToken"]}})
    assert body["data"]["refreshToken"]["token"]
    assert (await Browser(browser.http).sign_in(email))["token"] is None
    assert (await Browser(browser.http).sign_in(email, NEW_PASSWORD))["token"]
    [entry] = await _journal(owner_engine, graph.tenant_id, "user.password_changed")
    assert entry.after == {"passwordChanged": True, "sessionsEnded": 1}
    assert NEW_PASSWORD not in str(entry) and PASSWORD not in str(entry)


async def test_wrong_current_passwords_are_throttled_like_logins(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "SELLER")
    browser = await _browser(app, email)
    maximum = LOGIN_THROTTLE.policy.max_failures_per_account
    for _ in range(maximum):
        body = await browser.post(
            CHANGE, {"i": {"currentPassword": "guess-guess", "newPassword": NEW_PASSWORD}}
        )
        assert body["data"]["changePassword"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    body = await browser.post(
        CHANGE, {"i": {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}}
    )
    assert body["data"]["changePassword"]["userErrors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    # The account's logins are held back too: one count for both doors.
    payload = await Browser(browser.http).sign_in(email)
    assert payload["userErrors"][0]["code"] == "TOO_MANY_ATTEMPTS"


# --------------------------------------------------------------------------- reset


async def test_a_supervisors_reset_forces_a_new_password_at_the_next_login(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    supervisor = await _browser(app, await add_user(owner_engine, graph, "SUPERVISOR"))
    email = await add_user(owner_engine, graph, "SELLER")
    seller = await _browser(app, email)
    seller_id = (await seller.post("{ me { id } }"))["data"]["me"]["id"]

    body = await supervisor.post(RESET, {"i": {"userId": seller_id}})
    payload = body["data"]["resetUserPassword"]
    assert payload["userErrors"] == [] and payload["user"]["passwordChangeRequired"] is True
    code = payload["oneTimeCode"]
    assert len(code) == 19 and payload["codeExpiresAt"]
    assert _refused(await seller.post(SESSIONS))  # every session ended
    assert (await Browser(seller.http).sign_in(email))["token"] is None  # old password gone

    limited = Browser(seller.http)
    payload = await limited.sign_in(email, code)
    assert payload["passwordChangeRequired"] is True and payload["refreshToken"] is None
    body = await limited.post("{ companies(first: 1) { totalCount } }")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "changePassword" in body["errors"][0]["message"]
    body = await limited.post(CHANGE, {"i": {"currentPassword": code, "newPassword": NEW_PASSWORD}})
    changed = body["data"]["changePassword"]
    assert changed["userErrors"] == [] and changed["user"]["passwordChangeRequired"] is False
    limited.token = changed["token"]
    assert "errors" not in await limited.post("{ companies(first: 1) { totalCount } }")
    assert changed["refreshToken"]
    # The code is spent: it no longer opens the account.
    assert (await Browser(seller.http).sign_in(email, code))["token"] is None

    [entry] = await _journal(owner_engine, graph.tenant_id, "user.password_reset")
    assert entry.after["passwordChangeRequired"] is True and entry.after["sessionsEnded"] == 1
    assert code not in str(entry)
    async with owner_engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT count(*) FROM users WHERE password_hash LIKE :c"), {"c": f"%{code}%"}
        )
    assert stored == 0


async def test_an_expired_code_opens_nothing(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    supervisor = await _browser(app, await add_user(owner_engine, graph, "SUPERVISOR"))
    email = await add_user(owner_engine, graph, "TECHNICIAN")
    async with owner_engine.connect() as conn:
        user_id = await conn.scalar(text("SELECT id FROM users WHERE email = :e"), {"e": email})
    from strawberry import relay

    gid = str(relay.GlobalID("User", str(user_id)))
    code = (await supervisor.post(RESET, {"i": {"userId": gid}}))["data"]["resetUserPassword"][
        "oneTimeCode"
    ]
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE users SET password_expires_at = now() - interval '1 minute' WHERE id = :u"
            ),
            {"u": user_id},
        )
    payload = await Browser(supervisor.http).sign_in(email, code)
    assert payload["token"] is None and payload["userErrors"][0]["code"] == "EXPIRED"


async def test_reset_is_refused_for_oneself_for_a_machine_and_for_other_roles(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    supervisor = await _browser(app, await add_user(owner_engine, graph, "SUPERVISOR"))
    me = (await supervisor.post("{ me { id } }"))["data"]["me"]["id"]
    body = await supervisor.post(RESET, {"i": {"userId": me}})
    assert body["data"]["resetUserPassword"]["userErrors"][0]["code"] == "INVALID"
    machine = await _browser(app, await add_user(owner_engine, graph, "SERVICE"))
    machine_id = (await machine.post("{ me { id } }"))["data"]["me"]["id"]
    body = await supervisor.post(RESET, {"i": {"userId": machine_id}})
    assert body["data"]["resetUserPassword"]["userErrors"][0]["code"] == "INVALID"
    assert "errors" not in await machine.post("{ me { id } }")  # nothing ended
    seller = await _browser(app, await add_user(owner_engine, graph, "SELLER"))
    body = await seller.post(RESET, {"i": {"userId": me}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_reset_in_another_tenant_finds_no_one(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    other = await make_tenant_graph(owner_engine)
    supervisor = await _browser(app, await add_user(owner_engine, other, "SUPERVISOR"))
    victim = await _browser(app, await add_user(owner_engine, graph, "SELLER"))
    victim_id = (await victim.post("{ me { id } }"))["data"]["me"]["id"]
    body = await supervisor.post(RESET, {"i": {"userId": victim_id}})
    assert body["data"]["resetUserPassword"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert "errors" not in await victim.post("{ me { id } }")


# --------------------------------------------------------------------------- profile


async def test_the_profile_language_wins_over_accept_language(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    browser = await _browser(app, await add_user(owner_engine, graph, "SELLER"))
    bad_phone = {"i": {"phone": "not a phone"}}
    body = await browser.post(PROFILE, bad_phone, **{"Accept-Language": "en"})
    english = body["data"]["updateMyProfile"]["userErrors"][0]["message"]
    body = await browser.post(PROFILE, bad_phone)
    french = body["data"]["updateMyProfile"]["userErrors"][0]["message"]
    assert english != french

    body = await browser.post(
        PROFILE, {"i": {"language": "en", "fullName": "Marie Joseph", "phone": "+590690123456"}}
    )
    assert body["data"]["updateMyProfile"] == {
        "user": {"fullName": "Marie Joseph", "phone": "+590690123456", "language": "en"},
        "userErrors": [],
    }
    # Chosen English: a French browser still reads English.
    body = await browser.post(PROFILE, bad_phone, **{"Accept-Language": "fr-FR,fr;q=0.9"})
    assert body["data"]["updateMyProfile"]["userErrors"][0]["message"] == english
    # Back to following the browser.
    body = await browser.post(PROFILE, {"i": {"language": None}})
    assert body["data"]["updateMyProfile"]["user"]["language"] is None
    body = await browser.post(PROFILE, bad_phone, **{"Accept-Language": "fr"})
    assert body["data"]["updateMyProfile"]["userErrors"][0]["message"] == french
    [entry, *_] = await _journal(owner_engine, graph.tenant_id, "user.profile_updated")
    assert entry.after["language"] == "en"


async def test_bad_profile_input_writes_nothing(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    browser = await _browser(app, await add_user(owner_engine, graph, "TECHNICIAN"))
    body = await browser.post(PROFILE, {"i": {"language": "de", "fullName": "Nouveau Nom"}})
    payload = body["data"]["updateMyProfile"]
    assert payload["user"] is None and payload["userErrors"][0]["field"] == ["input", "language"]
    me = (await browser.post(ME))["data"]["me"]
    assert me["fullName"] != "Nouveau Nom" and me["language"] is None
    assert await _journal(owner_engine, graph.tenant_id, "user.profile_updated") == []


async def test_the_machine_account_may_log_out_but_not_edit_a_profile(
    app: Starlette, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    machine = await _browser(app, await add_user(owner_engine, graph, "SERVICE"))
    body = await machine.post(PROFILE, {"i": {"language": "en"}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await machine.post(LOGOUT)
    assert body["data"]["logout"]["loggedOut"] is True
    assert _refused(await machine.post("{ me { id } }"))


async def test_a_platform_administrator_has_sessions_too(app: Starlette) -> None:
    import uuid

    from resolvers.accounts import create_user
    from tenancy.roles import Role

    email = f"admin-{uuid.uuid4().hex[:6]}@platform.test"
    await create_user(
        app.state.database,
        tenant_slug=None,
        email=email,
        full_name="Account Admin",
        role=Role.PLATFORM_ADMIN,
        password=PASSWORD,
        actor="test",
    )
    one = await _browser(app, email)
    two = await _browser(app, email)
    sessions = (await one.post(SESSIONS))["data"]["me"]["sessions"]
    assert [s["current"] for s in sessions] == [False, True]
    body = await one.post(REVOKE, {"i": {"id": sessions[0]["id"]}})
    assert body["data"]["revokeSession"]["userErrors"] == []
    assert _refused(await two.post(SESSIONS))
    body = await one.post(PROFILE, {"i": {"language": "en", "phone": "+33612345678"}})
    assert body["data"]["updateMyProfile"]["user"]["language"] == "en"
    assert (await one.post(LOGOUT))["data"]["logout"]["loggedOut"] is True
    assert _refused(await one.post(SESSIONS))
