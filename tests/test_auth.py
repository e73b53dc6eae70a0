"""Login, tokens and `me`, over HTTP through the real app and a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.session import Database
from resolvers.accounts import create_tenant, create_user
from tenancy.roles import Role
from tenancy.tokens import decode_token, issue_token
from tests.conftest import TEST_SECRET, GraphQLClient
from tests.factories import unique_slug

PASSWORD = "correct horse battery"
ME = "{ me { email role fullName tenant { slug } } }"


@pytest.fixture
async def tenant(app_db: Database) -> str:
    created = await create_tenant(app_db, slug=unique_slug("auth"), name="Auth Test", actor="test")
    return created.slug


async def _user(app_db: Database, tenant: str | None, role: Role = Role.HOTLINE) -> str:
    email = f"{role.value.lower()}-{uuid.uuid4().hex[:8]}@example.test"
    await create_user(
        app_db,
        tenant_slug=tenant,
        email=email,
        full_name="Test Person",
        role=role,
        password=PASSWORD,
        actor="test",
    )
    return email


async def test_right_password_gives_a_token_that_answers_me(
    client: GraphQLClient, app_db: Database, tenant: str
) -> None:
    email = await _user(app_db, tenant)
    payload = await client.login(email, PASSWORD)
    assert payload["userErrors"] == []
    assert payload["user"] == {"email": email, "role": "HOTLINE"}
    body = await client.post(ME)
    assert "errors" not in body
    assert body["data"] == {
        "me": {
            "email": email,
            "role": "HOTLINE",
            "fullName": "Test Person",
            "tenant": {"slug": tenant},
        }
    }


async def test_login_is_case_insensitive_on_email(
    client: GraphQLClient, app_db: Database, tenant: str
) -> None:
    email = await _user(app_db, tenant)
    payload = await client.login(email.upper(), PASSWORD)
    assert payload["token"]


async def test_wrong_password_and_unknown_email_give_the_same_error(
    client: GraphQLClient, app_db: Database, tenant: str
) -> None:
    email = await _user(app_db, tenant)
    wrong = await client.login(email, "not the password")
    unknown = await client.login("nobody@example.test", PASSWORD)
    assert wrong == unknown
    assert wrong["token"] is None
    assert wrong["userErrors"] == [
        {
            "field": None,
            "code": "INVALID_CREDENTIALS",
            "message": "E-mail ou mot de passe incorrect.",
        }
    ]


async def test_no_token_is_unauthenticated(client: GraphQLClient) -> None:
    body = await client.post(ME)
    assert body["data"] == {"me": None}
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_tampered_token_is_refused(
    client: GraphQLClient, app_db: Database, tenant: str
) -> None:
    await client.login(await _user(app_db, tenant), PASSWORD)
    assert client.token
    header, payload, signature = client.token.split(".")
    client.token = f"{header}.{payload}.{signature[:-4]}AAAA"
    body = await client.post(ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    client.token = "not-a-jwt"
    body = await client.post(ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_token_signed_with_another_key_is_refused(
    client: GraphQLClient, app_db: Database, tenant: str
) -> None:
    await client.login(await _user(app_db, tenant), PASSWORD)
    body = await client.post("{ me { id } }")
    assert "errors" not in body
    forged, _ = issue_token(
        secret="another-secret-0123456789-0123456789-01234",
        user_id=uuid.uuid4(),
        tenant_id=None,
        role=Role.PLATFORM_ADMIN,
        password_changed_at=dt.datetime.now(dt.UTC),
        lifetime=dt.timedelta(minutes=5),
    )
    client.token = forged
    body = await client.post(ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_expired_token_is_refused(
    client: GraphQLClient, app_db: Database, owner_engine: AsyncEngine, tenant: str
) -> None:
    email = await _user(app_db, tenant)
    await client.login(email, PASSWORD)  # a session for the tokens below
    session_id = decode_token(client.token, secrets=[TEST_SECRET]).session_id
    async with owner_engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT id, tenant_id, password_changed_at FROM users WHERE email = :e"),
                {"e": email},
            )
        ).one()
    token, _ = issue_token(
        secret=TEST_SECRET,
        user_id=row.id,
        tenant_id=row.tenant_id,
        role=Role.HOTLINE,
        password_changed_at=row.password_changed_at,
        lifetime=dt.timedelta(minutes=5),
        now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        session_id=session_id,
    )
    client.token = token
    body = await client.post(ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "expired" in body["errors"][0]["message"]
    # The same token, still valid, works: the refusal above is the expiry.
    client.token, _ = issue_token(
        secret=TEST_SECRET,
        user_id=row.id,
        tenant_id=row.tenant_id,
        role=Role.HOTLINE,
        password_changed_at=row.password_changed_at,
        lifetime=dt.timedelta(minutes=5),
        session_id=session_id,
    )
    assert (await client.post(ME))["data"]["me"]["email"] == email


async def test_deactivated_user_cannot_log_in_and_their_token_stops_at_once(
    client: GraphQLClient, app_db: Database, owner_engine: AsyncEngine, tenant: str
) -> None:
    email = await _user(app_db, tenant)
    await client.login(email, PASSWORD)
    assert (await client.post(ME))["data"]["me"]["email"] == email
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE users SET status = 'DEACTIVATED' WHERE email = :e"), {"e": email}
        )
    body = await client.post(ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    payload = await client.login(email, PASSWORD)
    assert payload["token"] is None
    assert payload["userErrors"][0]["code"] == "ACCOUNT_DISABLED"


async def test_a_password_change_revokes_earlier_tokens(
    client: GraphQLClient, app_db: Database, owner_engine: AsyncEngine, tenant: str
) -> None:
    email = await _user(app_db, tenant)
    await client.login(email, PASSWORD)
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE users SET password_changed_at = password_changed_at + interval '1 minute'"
                " WHERE email = :e"
            ),
            {"e": email},
        )
    body = await client.post(ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_platform_admin_acts_in_one_tenant_named_by_x_tenant(
    client: GraphQLClient, app_db: Database, tenant: str
) -> None:
    email = await _user(app_db, None, Role.PLATFORM_ADMIN)
    payload = await client.login(email, PASSWORD)
    assert payload["user"]["role"] == "PLATFORM_ADMIN"
    body = await client.post(ME)
    assert body["data"]["me"] == {
        "email": email,
        "role": "PLATFORM_ADMIN",
        "fullName": "Test Person",
        "tenant": None,
    }
    client.tenant = tenant
    assert (await client.post(ME))["data"]["me"]["email"] == email
    client.tenant = "no-such-tenant"
    body = await client.post(ME)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_x_tenant_of_another_tenant_is_forbidden_for_staff(
    client: GraphQLClient, app_db: Database, tenant: str
) -> None:
    other = await create_tenant(app_db, slug=unique_slug("other"), name="Other", actor="test")
    await client.login(await _user(app_db, tenant), PASSWORD)
    client.tenant = other.slug
    body = await client.post(ME)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_same_email_in_two_tenants_asks_which_tenant(
    client: GraphQLClient, app_db: Database, tenant: str
) -> None:
    other = await create_tenant(app_db, slug=unique_slug("twin"), name="Twin", actor="test")
    email = await _user(app_db, tenant)
    await create_user(
        app_db,
        tenant_slug=other.slug,
        email=email,
        full_name="Twin",
        role=Role.SELLER,
        password=PASSWORD,
        actor="test",
    )
    payload = await client.login(email, PASSWORD)
    assert payload["userErrors"][0]["code"] == "AMBIGUOUS_ACCOUNT"
    body = await client.post(
        "mutation($i: LoginInput!) { login(input: $i) { user { role } userErrors { code } } }",
        {"i": {"email": email, "password": PASSWORD, "tenant": other.slug}},
    )
    assert body["data"]["login"] == {"user": {"role": "SELLER"}, "userErrors": []}


async def test_login_records_the_time_and_an_audit_event_exists_for_the_account(
    client: GraphQLClient, app_db: Database, owner_engine: AsyncEngine, tenant: str
) -> None:
    email = await _user(app_db, tenant)
    await client.login(email, PASSWORD)
    async with owner_engine.connect() as conn:
        last_login = await conn.scalar(
            text("SELECT last_login_at FROM users WHERE email = :e"), {"e": email}
        )
        actions = (
            await conn.execute(
                text(
                    "SELECT a.action FROM audit_events a JOIN users u"
                    " ON u.tenant_id = a.tenant_id AND u.id = a.entity_id WHERE u.email = :e"
                ),
                {"e": email},
            )
        ).scalars()
    assert last_login is not None
    assert list(actions) == ["user.created"]
