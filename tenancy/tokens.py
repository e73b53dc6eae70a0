"""Signed tokens (JWT, HS256) with an expiry: short-lived access tokens, and refresh tokens.

A token names the user, the tenant and the role, and carries a password stamp: changing the
password (or deactivating the account, checked against the database at every request) makes
every earlier token useless at once.

A refresh token (`typ` "refresh") is only good for `refreshToken`, which exchanges it for a new
access token and a new refresh token (rotation: each is single-use, see resolvers/throttle.py).
The refresh tokens descended from one login share a family id and that login's expiry: a
session lasts at most the refresh lifetime (12 hours by default) after the password was typed.
An access token is never accepted where a refresh token is expected, nor the reverse.

Every token of a login carries its session id (`sid`, the id of its `user_sessions` row, which
is also its refresh family): a request is served only while that session is neither ended
(logout, revokeSession, a password change or reset) nor expired. A token without one (issued
before sessions existed) is refused: log in again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

from tenancy.roles import Role

ALGORITHM = "HS256"
ISSUER = "spring"
ACCESS = "access"
REFRESH = "refresh"
DEFAULT_REFRESH_LIFETIME = dt.timedelta(hours=12)


class InvalidToken(Exception):
    """The token is malformed, tampered with, expired, or not one of ours."""


class ExpiredToken(InvalidToken):
    """The token was ours and valid, but its time is over."""


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user_id: uuid.UUID
    tenant_id: uuid.UUID | None
    role: Role
    password_stamp: int
    expires_at: dt.datetime
    #: The login (session) the token belongs to; None for a token without one (refused).
    session_id: uuid.UUID | None = None
    #: Issued to the console's cookie session (`brw`): with SPRING_TRUSTED_DOCUMENTS=require,
    #: such a token runs only the console's trusted documents (docs/security.md).
    browser: bool = False


def password_stamp(password_changed_at: dt.datetime) -> int:
    """Microseconds, not seconds: a password changed within the second of the last change
    (or of the account's creation) must still revoke older tokens."""
    delta = password_changed_at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def issue_token(
    *,
    secret: str,
    user_id: uuid.UUID,
    tenant_id: uuid.UUID | None,
    role: Role,
    password_changed_at: dt.datetime,
    lifetime: dt.timedelta,
    now: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    session_id: uuid.UUID | None = None,
    browser: bool = False,
) -> tuple[str, dt.datetime]:
    """Return the encoded access token and its expiry time (never later than `not_after`);
    `browser` marks a token of the console's cookie session (the `brw` claim)."""
    issued = now or dt.datetime.now(dt.UTC)
    expires = issued + lifetime
    if not_after is not None:
        expires = min(expires, not_after)
    payload = {
        "iss": ISSUER,
        "typ": ACCESS,
        "sub": str(user_id),
        "tid": str(tenant_id) if tenant_id else None,
        "role": role.value,
        "pws": password_stamp(password_changed_at),
        "iat": int(issued.timestamp()),
        "exp": int(expires.timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if session_id is not None:
        payload["sid"] = str(session_id)
    if browser:
        payload["brw"] = 1
    return jwt.encode(payload, secret, algorithm=ALGORITHM), expires


def _decode(token: str, secrets: list[str]) -> dict[str, Any]:
    """The verified payload (signature, issuer, expiry); any failure is InvalidToken.

    Several secrets may be given to rotate keys: the first signs, all verify.
    """
    last_error: Exception | None = None
    for secret in secrets:
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "iss"]},
            )
            return payload
        except jwt.ExpiredSignatureError as exc:
            raise ExpiredToken("token expired") from exc
        except jwt.InvalidSignatureError as exc:
            last_error = exc
            continue
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
            raise InvalidToken("malformed token") from exc
    raise InvalidToken("bad signature") from last_error


def _claims(payload: dict[str, Any]) -> TokenClaims:
    try:
        return TokenClaims(
            user_id=uuid.UUID(payload["sub"]),
            tenant_id=uuid.UUID(payload["tid"]) if payload.get("tid") else None,
            role=Role(payload["role"]),
            password_stamp=int(payload["pws"]),
            expires_at=dt.datetime.fromtimestamp(payload["exp"], dt.UTC),
            session_id=uuid.UUID(payload["sid"]) if payload.get("sid") else None,
            browser=bool(payload.get("brw")),
        )
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        raise InvalidToken("malformed token") from exc


def decode_token(token: str, *, secrets: list[str]) -> TokenClaims:
    """Verify an access token; any failure (a refresh token included) is InvalidToken.

    Several secrets may be given to rotate keys: the first signs, all verify.
    """
    payload = _decode(token, secrets)
    # Tokens issued before token types existed carry no `typ`: they are access tokens.
    if payload.get("typ", ACCESS) != ACCESS:
        raise InvalidToken("not an access token")
    return _claims(payload)


@dataclass(frozen=True, slots=True)
class RefreshClaims:
    """A verified refresh token: who, plus its own id and its family (the login it comes from)."""

    claims: TokenClaims
    token_id: str
    family: str


def issue_refresh_token(
    *,
    secret: str,
    user_id: uuid.UUID,
    tenant_id: uuid.UUID | None,
    role: Role,
    password_changed_at: dt.datetime,
    expires_at: dt.datetime,
    family: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[str, dt.datetime, str]:
    """Return a refresh token, its expiry and its family id.

    A login starts a family (`family=None`) with `expires_at` = now + the refresh lifetime;
    each rotation continues it with the same family and the same expiry. A family is a
    session id in hex (`session_id_of_family`), carried as `sid` too.
    """
    issued = now or dt.datetime.now(dt.UTC)
    family = family or uuid.uuid4().hex
    payload = {
        "iss": ISSUER,
        "typ": REFRESH,
        "sub": str(user_id),
        "tid": str(tenant_id) if tenant_id else None,
        "role": role.value,
        "pws": password_stamp(password_changed_at),
        "iat": int(issued.timestamp()),
        "exp": int(expires_at.timestamp()),
        "jti": uuid.uuid4().hex,
        "fam": family,
    }
    session_id = session_id_of_family(family)
    if session_id is not None:
        payload["sid"] = str(session_id)
    expires = dt.datetime.fromtimestamp(payload["exp"], dt.UTC)
    return jwt.encode(payload, secret, algorithm=ALGORITHM), expires, family


def decode_refresh_token(token: str, *, secrets: list[str]) -> RefreshClaims:
    """Verify a refresh token; ExpiredToken when its time is over, InvalidToken otherwise."""
    payload = _decode(token, secrets)
    if payload.get("typ") != REFRESH:
        raise InvalidToken("not a refresh token")
    token_id, family = payload.get("jti"), payload.get("fam")
    if not isinstance(token_id, str) or not isinstance(family, str):
        raise InvalidToken("malformed token")
    return RefreshClaims(claims=_claims(payload), token_id=token_id, family=family)


def session_id_of_family(family: str) -> uuid.UUID | None:
    """The session a refresh family stands for (a family is a session id in hex), or None."""
    try:
        return uuid.UUID(hex=family)
    except (ValueError, TypeError):
        return None
