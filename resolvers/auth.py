"""Login (throttled), refresh, and turning a bearer token into the request's principal."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.enums import TenantStatus, UserStatus
from db.models import PlatformSession, PlatformUser, Tenant, User, UserSession
from db.session import Database, ride_along, ride_along_value
from resolvers.errors import NotFound, Text, UserErrorCode, UserErrorData
from resolvers.messages import DEFAULT_LOCALE, message
from resolvers.throttle import (
    LOGIN_THROTTLE,
    SPENT_REFRESH_TOKENS,
    Attempt,
    LoginThrottle,
    SpentTokens,
    Throttled,
)
from resolvers.validation import has_control_characters
from tenancy.passwords import burn_verification, verify_password
from tenancy.principal import (
    ANONYMOUS_CLAIMS,
    Principal,
    claims_for,
    platform_claims,
    tenant_claims,
)
from tenancy.roles import Role
from tenancy.tokens import (
    DEFAULT_REFRESH_LIFETIME,
    ExpiredToken,
    InvalidToken,
    TokenClaims,
    decode_refresh_token,
    decode_token,
    issue_refresh_token,
    issue_token,
    password_stamp,
    session_id_of_family,
)


def invalid_credentials(locale: str) -> UserErrorData:
    return UserErrorData(
        field=None,
        code=UserErrorCode.INVALID_CREDENTIALS,
        message=message("invalid_credentials", locale),
    )


#: RFC 5321 limits an address to 254 characters in practice; longer input is not an e-mail.
MAX_EMAIL_LENGTH = 320


def session_invalid(locale: str) -> UserErrorData:
    return UserErrorData(
        field=["input", "refreshToken"],
        code=UserErrorCode.INVALID_CREDENTIALS,
        message=message("session_invalid", locale),
    )


def session_expired(locale: str) -> UserErrorData:
    return UserErrorData(
        field=["input", "refreshToken"],
        code=UserErrorCode.EXPIRED,
        message=message("session_expired", locale),
    )


@dataclass
class LoginOutcome:
    token: str | None = None
    expires_at: dt.datetime | None = None
    refresh_token: str | None = None
    refresh_expires_at: dt.datetime | None = None
    user: User | PlatformUser | None = None
    principal: Principal | None = None
    errors: list[UserErrorData] = field(default_factory=list)
    #: Set when the attempt was refused by the throttle: when to try again.
    retry_at: dt.datetime | None = None
    #: The password was a supervisor's one-time code: the token is good only for
    #: changePassword (and `me`, `logout`), and no refresh token is issued.
    password_change_required: bool = False


@dataclass(frozen=True, slots=True)
class _Candidate:
    tenant_id: uuid.UUID | None
    tenant_slug: str | None
    user_id: uuid.UUID
    password_hash: str
    status: str
    role: str


def _too_many(refusal: Throttled, locale: str) -> LoginOutcome:
    minutes = max(1, (refusal.retry_after_seconds + 59) // 60)
    return LoginOutcome(
        errors=[
            UserErrorData(
                field=None,
                code=UserErrorCode.TOO_MANY_ATTEMPTS,
                message=message(
                    "too_many_attempts",
                    locale,
                    minutes=minutes,
                    time=refusal.retry_at.strftime("%H:%M"),
                ),
            )
        ],
        retry_at=refusal.retry_at,
    )


async def login(
    db: Database,
    *,
    email: str,
    password: str,
    tenant_slug: str | None,
    secret: str,
    lifetime: dt.timedelta,
    refresh_lifetime: dt.timedelta = DEFAULT_REFRESH_LIFETIME,
    throttle: LoginThrottle | None = LOGIN_THROTTLE,
    address: str | None = None,
    locale: str = DEFAULT_LOCALE,
    user_agent: str | None = None,
) -> LoginOutcome:
    """Check an e-mail and password; return signed tokens, or one user error.

    A wrong password and an unknown e-mail give the same error, after the same work (one
    Argon2 verification), so the answer tells nothing about which accounts exist. Failed
    attempts are counted per e-mail and per client `address`, in the database (every instance
    shares the count); past the throttle's maximum the attempt is refused before anything is
    looked up, with the time to retry. The attempt is counted (committed) before the password
    is verified, and forgiven when it was right.
    """
    email = email.strip()
    plausible = len(email) <= MAX_EMAIL_LENGTH and not has_control_characters(email)
    attempt: Attempt | None = None
    candidates: list[_Candidate] = []
    async with db.session(ANONYMOUS_CLAIMS) as session, session.begin():
        if throttle is not None:
            started = await throttle.begin(session, email, address)
            if isinstance(started, Throttled):
                return _too_many(started, locale)
            attempt = started
        if plausible:
            # (Not an e-mail of ours, and PostgreSQL refuses NUL characters: refused like a
            # wrong password below, after the same work, without asking the database.)
            rows = await session.execute(
                text("SELECT * FROM spring_login_candidates(:email)"), {"email": email}
            )
            candidates = [_Candidate(**row._mapping) for row in rows]
    if tenant_slug:
        candidates = [c for c in candidates if c.tenant_slug == tenant_slug.strip().lower()]
    if not candidates:
        await asyncio.to_thread(burn_verification, password)
        return LoginOutcome(errors=[invalid_credentials(locale)])

    matching = [
        c for c in candidates if await asyncio.to_thread(verify_password, c.password_hash, password)
    ]
    if not matching:
        return LoginOutcome(errors=[invalid_credentials(locale)])
    # The password was right (even if the account is disabled or ambiguous): the attempt is
    # forgiven, in the transaction that records the login when there is one.
    found = matching[0] if len(matching) == 1 else None
    if attempt is not None:  # counted by a throttle
        if found is None or found.status != UserStatus.ACTIVE:
            async with db.session(ANONYMOUS_CLAIMS) as session, session.begin():
                await throttle.forgive(session, attempt)
    if found is None:
        return LoginOutcome(
            errors=[
                UserErrorData(
                    field=["tenant"],
                    code=UserErrorCode.AMBIGUOUS_ACCOUNT,
                    message=message(
                        "ambiguous_account",
                        locale,
                        tenants=", ".join(sorted(c.tenant_slug or "platform" for c in matching)),
                    ),
                )
            ]
        )
    if found.status != UserStatus.ACTIVE:
        return LoginOutcome(
            errors=[
                UserErrorData(
                    field=None,
                    code=UserErrorCode.ACCOUNT_DISABLED,
                    message=message("account_disabled", locale),
                )
            ]
        )

    role = Role(found.role)
    now = dt.datetime.now(dt.UTC)
    if role is Role.PLATFORM_ADMIN:
        claims = platform_claims()
        model: type[User] | type[PlatformUser] = PlatformUser
    else:
        claims = {**ANONYMOUS_CLAIMS, "app.tenant_id": str(found.tenant_id)}
        model = User
    async with db.session(claims) as session, session.begin():
        user = (
            await session.execute(
                update(model)
                .where(model.id == found.user_id)
                .values(last_login_at=now)
                .returning(model)
                .execution_options(synchronize_session=False)
            )
        ).scalar_one()
        if attempt is not None:  # counted by a throttle
            await throttle.forgive(session, attempt)
        change_required = bool(user.password_change_required)
        if change_required and (
            user.password_expires_at is None or user.password_expires_at <= now
        ):
            # The supervisor's one-time code is past its time: it no longer opens anything
            # (the attempt stays forgiven: the code was right).
            return LoginOutcome(
                errors=[
                    UserErrorData(
                        field=["input", "password"],
                        code=UserErrorCode.EXPIRED,
                        message=message("password_reset_expired", locale),
                    )
                ]
            )
        # A one-time code opens a short session, only good to choose a new password.
        session_expires = now + (lifetime if change_required else refresh_lifetime)
        session_id = await start_session(
            session, user, found.tenant_id, now, session_expires, user_agent, address
        )
    refresh: str | None = None
    refresh_expires: dt.datetime | None = None
    if not change_required:
        refresh, refresh_expires, _family = issue_refresh_token(
            secret=secret,
            user_id=user.id,
            tenant_id=found.tenant_id,
            role=role,
            password_changed_at=user.password_changed_at,
            expires_at=session_expires,
            family=session_id.hex,
            now=now,
        )
    token, expires = issue_token(
        secret=secret,
        user_id=user.id,
        tenant_id=found.tenant_id,
        role=role,
        password_changed_at=user.password_changed_at,
        lifetime=lifetime,
        now=now,
        not_after=session_expires,
        session_id=session_id,
    )
    principal = Principal(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=role,
        tenant_id=found.tenant_id,
        tenant_slug=found.tenant_slug,
        session_id=session_id,
        language=user.language,
        password_change_required=change_required,
    )
    return LoginOutcome(
        token=token,
        expires_at=expires,
        refresh_token=refresh,
        refresh_expires_at=refresh_expires,
        user=user,
        principal=principal,
        password_change_required=change_required,
    )


#: Longest user agent kept with a session (the column's size).
MAX_USER_AGENT = 400


async def start_session(
    session: AsyncSession,
    user: User | PlatformUser,
    tenant_id: uuid.UUID | None,
    now: dt.datetime,
    expires_at: dt.datetime,
    user_agent: str | None,
    address: str | None,
) -> uuid.UUID:
    """Record a new login (its session row) in the caller's transaction; return its id."""
    session_id = uuid.uuid4()
    agent = (user_agent or "").strip()[:MAX_USER_AGENT] or None
    if agent is not None and has_control_characters(agent):
        agent = "".join(c for c in agent if c.isprintable()) or None
    values = {
        "id": session_id,
        "user_id": user.id,
        "created_at": now,
        "last_used_at": now,
        "expires_at": expires_at,
        "user_agent": agent,
        "address": (address or "")[:64] or None,
    }
    if isinstance(user, PlatformUser):
        session.add(PlatformSession(**values))
    else:
        session.add(UserSession(tenant_id=tenant_id, **values))
    await session.flush()
    return session_id


async def refresh(
    db: Database,
    *,
    refresh_token: str,
    secrets: list[str],
    lifetime: dt.timedelta,
    spent: SpentTokens | None = SPENT_REFRESH_TOKENS,
    locale: str = DEFAULT_LOCALE,
    browser: bool = False,
) -> LoginOutcome:
    """Exchange a refresh token for a new access token and a new refresh token (rotation);
    `browser`: the console's cookie session asks, its access token carries the `brw` claim.

    Refused (a user error, nothing issued) when the token is malformed, expired, already
    spent (its whole family is then revoked: it was copied), or when the account may no longer
    act: deactivated, its password changed since the login, its role changed, or its tenant
    suspended (the same checks as every request's bearer token, in the database). The token
    is spent in the database, in the transaction that checks the account: every instance
    refuses it afterwards, and of concurrent refreshes with it exactly one succeeds.
    """
    try:
        verified = decode_refresh_token(refresh_token.strip(), secrets=secrets)
    except ExpiredToken:
        return LoginOutcome(errors=[session_expired(locale)])
    except InvalidToken:
        return LoginOutcome(errors=[session_invalid(locale)])
    claims = verified.claims
    session_id = session_id_of_family(verified.family)
    if session_id is None:  # a family from before sessions existed: log in again
        return LoginOutcome(errors=[session_invalid(locale)])
    now = dt.datetime.now(dt.UTC)
    async with (
        db.session(claims_for(claims.user_id, claims.role, claims.tenant_id)) as session,
        session.begin(),
    ):
        loaded = await _load_user(session, claims)
        if loaded is None:
            return LoginOutcome(errors=[session_invalid(locale)])
        if not await touch_session(session, claims, session_id, now):
            return LoginOutcome(
                errors=[session_invalid(locale)]
            )  # ended (logout, revoked) or expired
        if spent is not None and not await spent.spend(
            session, verified.token_id, verified.family, claims.expires_at
        ):
            # Spent already: the token was copied. The session ends for every token of it,
            # the access tokens included (committed with this transaction).
            await end_sessions(session, claims, "token_reuse", now, only=session_id)
            return LoginOutcome(errors=[session_invalid(locale)])
    user, principal = loaded
    principal = dataclasses.replace(principal, session_id=session_id)
    new_refresh, refresh_expires, _ = issue_refresh_token(
        secret=secrets[0],
        user_id=claims.user_id,
        tenant_id=claims.tenant_id,
        role=claims.role,
        password_changed_at=user.password_changed_at,
        expires_at=claims.expires_at,
        family=verified.family,
        now=now,
    )
    token, expires = issue_token(
        secret=secrets[0],
        user_id=claims.user_id,
        tenant_id=claims.tenant_id,
        role=claims.role,
        password_changed_at=user.password_changed_at,
        lifetime=lifetime,
        now=now,
        not_after=claims.expires_at,
        session_id=session_id,
        browser=browser,
    )
    return LoginOutcome(
        token=token,
        expires_at=expires,
        refresh_token=new_refresh,
        refresh_expires_at=refresh_expires,
        user=user,
        principal=principal,
    )


async def end_session(
    db: Database,
    *,
    refresh_token: str,
    secrets: list[str],
    spent: SpentTokens | None = SPENT_REFRESH_TOKENS,
) -> bool:
    """Log out the session a refresh token belongs to: its family is revoked, so no refresh
    token of that login is accepted again, and its session row ends, so its access tokens
    are refused on their next request too (as the `logout` mutation does). False when the
    token is not a valid refresh token (nothing to end)."""
    try:
        verified = decode_refresh_token(refresh_token.strip(), secrets=secrets)
    except InvalidToken:  # ExpiredToken included: that session has ended already
        return False
    claims = verified.claims
    session_id = session_id_of_family(verified.family)
    async with (
        db.session(claims_for(claims.user_id, claims.role, claims.tenant_id)) as session,
        session.begin(),
    ):
        if spent is not None:
            await spent.revoke(session, verified.token_id, verified.family, claims.expires_at)
        if session_id is not None:
            now = dt.datetime.now(dt.UTC)
            await end_sessions(session, claims, "logout", now, only=session_id)
    return True


class VerifiedTokens:
    """Access tokens whose signature was verified, with their claims, until they expire.

    Verifying an HS256 token is pure computation on the token's text, so its result is kept
    per token string (for the secrets it was verified with): a client sending the same token
    with every request pays the verification once. The expiry is checked on every use, and
    the account behind the token is still checked in the database at every request
    (`load_principal`): this caches the signature, never the account's state.
    """

    def __init__(self, max_tokens: int = 10_000) -> None:
        self.max_tokens = max_tokens
        self._claims: dict[tuple[str, tuple[str, ...]], TokenClaims] = {}

    def decode(self, token: str, secrets: list[str]) -> TokenClaims:
        """`decode_token`'s answer (InvalidToken and ExpiredToken included)."""
        key = (token, tuple(secrets))
        claims = self._claims.get(key)
        if claims is not None:
            if dt.datetime.now(dt.UTC) < claims.expires_at:
                return claims
            del self._claims[key]
            raise ExpiredToken("token expired")
        claims = decode_token(token, secrets=secrets)
        if len(self._claims) >= self.max_tokens:
            self._claims.clear()  # a flood of distinct tokens must not grow memory
        self._claims[key] = claims
        return claims


#: The process's verified tokens (one set of secrets per process in practice).
VERIFIED_TOKENS = VerifiedTokens()


async def load_principal(session: AsyncSession, claims: TokenClaims) -> Principal | None:
    """The principal a verified token stands for, or None if the account no longer may act.

    Runs in the request's own transaction (whose claims come from the token), so it is the
    database that decides whether the user row is visible at all. Every request pays for it,
    so it costs no statement of its own: on a session whose transaction has not begun (the
    request's, in `authenticate`) the account's row rides along in the transaction's first
    statement, the one that sets the claims (db.session.ride_along), as a plain record (no
    ORM `User`). The rules are `_may_act`'s, the same as a refresh's; and the token's session
    (`sid`) must be live: not ended (logout, revokeSession, a password change or reset) and
    not expired. The session is checked in the same record (a join on its primary key).
    """
    if claims.session_id is None:
        return None  # a token from before sessions existed: log in again
    if claims.role is Role.PLATFORM_ADMIN:
        subselect, params = _PLATFORM_ACCOUNT_SQL, (claims.user_id, claims.session_id)
    else:
        if claims.tenant_id is None:
            return None
        subselect = _TENANT_ACCOUNT_SQL
        params = (claims.tenant_id, claims.user_id, claims.session_id)
    if session.in_transaction():
        connection = await session.connection()
        statement = "SELECT (" + subselect.format(*(f"${i + 1}" for i in range(len(params)))) + ")"
        account = (await connection.exec_driver_sql(statement, params)).scalar()
    else:
        ride_along(session, subselect, params)
        await session.connection()  # begins: sets the claims, reads the account
        account = ride_along_value(session)
    if account is None:
        return None
    email, full_name, role, status, password_changed_at, slug, language, change_required = account
    if not _may_act(status, role, password_changed_at, claims):
        return None
    return Principal(
        user_id=claims.user_id,
        email=email,
        full_name=full_name,
        role=claims.role,
        tenant_id=claims.tenant_id,
        tenant_slug=slug,
        session_id=claims.session_id,
        language=language,
        password_change_required=bool(change_required),
    )


#: The account a tenant user's token names, with its tenant's slug (whose row RLS shows only
#: to its own staff), if the tenant is active and the token's session is live: one record
#: (the columns the check needs, not the password hash). Driver SQL, parameters `{0}`
#: (tenant), `{1}` (user) and `{2}` (session).
_TENANT_ACCOUNT_SQL = (
    "SELECT ROW(u.email, u.full_name, u.role, u.status, u.password_changed_at, t.slug,"
    " u.language, u.password_change_required)"
    " FROM users u JOIN tenants t ON t.id = u.tenant_id"
    " JOIN user_sessions s ON s.tenant_id = u.tenant_id AND s.user_id = u.id"
    " WHERE u.tenant_id = {0} AND u.id = {1} AND t.status = 'ACTIVE'"
    " AND s.id = {2} AND s.revoked_at IS NULL AND s.expires_at > statement_timestamp()"
)
#: A platform administrator's account (parameters `{0}`: the user, `{1}`: the session).
_PLATFORM_ACCOUNT_SQL = (
    "SELECT ROW(p.email, p.full_name, 'PLATFORM_ADMIN'::text, p.status,"
    " p.password_changed_at, NULL::text, p.language, false)"
    " FROM platform_users p JOIN platform_sessions s ON s.user_id = p.id"
    " WHERE p.id = {0} AND s.id = {1} AND s.revoked_at IS NULL"
    " AND s.expires_at > statement_timestamp()"
)


def session_model(platform: bool) -> type[UserSession] | type[PlatformSession]:
    return PlatformSession if platform else UserSession


async def touch_session(
    session: AsyncSession, claims: TokenClaims, session_id: uuid.UUID, now: dt.datetime
) -> bool:
    """Mark a live session used now (a refresh); False when it is ended or expired."""
    model = session_model(claims.role is Role.PLATFORM_ADMIN)
    touched = await session.scalar(
        update(model)
        .where(
            model.id == session_id,
            model.user_id == claims.user_id,
            model.revoked_at.is_(None),
            model.expires_at > now,
        )
        .values(last_used_at=now)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    return touched is not None


async def end_sessions(
    session: AsyncSession,
    claims: TokenClaims | Principal,
    reason: str,
    now: dt.datetime,
    *,
    only: uuid.UUID | None = None,
    keep: uuid.UUID | None = None,
) -> list[uuid.UUID]:
    """End the account's live sessions (`only` one, or all but `keep`), in the caller's
    transaction; their tokens are refused from its commit on. Returns the ids ended."""
    platform = claims.role is Role.PLATFORM_ADMIN
    model = session_model(platform)
    conditions = [model.user_id == claims.user_id, model.revoked_at.is_(None)]
    if only is not None:
        conditions.append(model.id == only)
    if keep is not None:
        conditions.append(model.id != keep)
    ended = await session.scalars(
        update(model)
        .where(*conditions)
        .values(revoked_at=now, revoked_reason=reason)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    return list(ended)


#: How long a session's row is kept once it has ended (logout, revoked, expired): `me.sessions`
#: and the security team may still see it for a while; then the periodic task deletes it.
SESSION_RETENTION = dt.timedelta(days=30)


async def prune_sessions(db: Database, now: dt.datetime | None = None) -> int:
    """Delete the sessions that ended (revoked or expired) more than 30 days ago, of every
    tenant (each in its own transaction, under its row-level security) and of the platform.
    Idempotent: several processes may run it. Returns how many rows were deleted."""
    cutoff = (now or dt.datetime.now(dt.UTC)) - SESSION_RETENTION
    deleted = 0

    async def prune(
        claims: dict[str, str], model: type[UserSession] | type[PlatformSession]
    ) -> int:
        ended = func.least(func.coalesce(model.revoked_at, model.expires_at), model.expires_at)
        async with db.session(claims) as session, session.begin():
            result = await session.execute(
                delete(model).where(ended < cutoff).execution_options(synchronize_session=False)
            )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async with db.session(platform_claims()) as session:
        tenant_ids = list((await session.scalars(select(Tenant.id))).all())
        await session.rollback()
    for tenant_id in tenant_ids:
        deleted += await prune(tenant_claims(tenant_id), UserSession)
    deleted += await prune(platform_claims(), PlatformSession)
    return deleted


def _may_act(
    status: UserStatus | str,
    role: Role | str,
    password_changed_at: dt.datetime,
    claims: TokenClaims,
) -> bool:
    """May this account still act with these token claims? Active, the password unchanged
    since the token was issued, the role unchanged."""
    return (
        UserStatus(status) is UserStatus.ACTIVE
        and password_stamp(password_changed_at) == claims.password_stamp
        and Role(role) is claims.role
    )


async def _load_user(
    session: AsyncSession, claims: TokenClaims
) -> tuple[User | PlatformUser, Principal] | None:
    """The account a token names (as an ORM object: a refresh returns it) and its principal,
    or None if it may no longer act."""
    if claims.role is Role.PLATFORM_ADMIN:
        user: User | PlatformUser | None = await session.get(PlatformUser, claims.user_id)
        slug = None
    else:
        if claims.tenant_id is None:
            return None
        # One statement: the user and their tenant (whose row RLS shows only to its own staff).
        row = (
            await session.execute(
                select(User, Tenant.slug)
                .join(Tenant, Tenant.id == User.tenant_id)
                .where(
                    User.tenant_id == claims.tenant_id,
                    User.id == claims.user_id,
                    Tenant.status == TenantStatus.ACTIVE,
                )
            )
        ).first()
        if row is None:
            return None
        user, slug = row
    if user is None:
        return None
    role = Role.PLATFORM_ADMIN if isinstance(user, PlatformUser) else user.role
    if not _may_act(user.status, role, user.password_changed_at, claims):
        return None
    return user, Principal(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=role,
        tenant_id=claims.tenant_id,
        tenant_slug=slug,
        session_id=claims.session_id,
        language=user.language,
        password_change_required=bool(user.password_change_required),
    )


async def enter_tenant(session: AsyncSession, principal: Principal, slug: str) -> Principal:
    """A PLATFORM_ADMIN acting inside the tenant named by `X-Tenant`."""
    tenant = (
        await session.execute(select(Tenant).where(Tenant.slug == slug.strip().lower()))
    ).scalar_one_or_none()
    if tenant is None:
        raise NotFound(Text("tenant_unknown", slug=repr(slug)))
    return dataclasses.replace(principal, tenant_id=tenant.id, tenant_slug=tenant.slug)
