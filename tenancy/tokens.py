"""Signed access tokens (JWT, HS256) with an expiry.

A token names the user, the tenant and the role, and carries a password stamp: changing the
password (or deactivating the account, checked against the database at every request) makes
every earlier token useless at once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import jwt

from tenancy.roles import Role

ALGORITHM = "HS256"
ISSUER = "spring"


class InvalidToken(Exception):
    """The token is malformed, tampered with, expired, or not one of ours."""


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user_id: uuid.UUID
    tenant_id: uuid.UUID | None
    role: Role
    password_stamp: int
    expires_at: dt.datetime


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
) -> tuple[str, dt.datetime]:
    """Return the encoded token and its expiry time."""
    issued = now or dt.datetime.now(dt.UTC)
    expires = issued + lifetime
    payload = {
        "iss": ISSUER,
        "sub": str(user_id),
        "tid": str(tenant_id) if tenant_id else None,
        "role": role.value,
        "pws": password_stamp(password_changed_at),
        "iat": int(issued.timestamp()),
        "exp": int(expires.timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM), expires


def decode_token(token: str, *, secrets: list[str]) -> TokenClaims:
    """Verify signature, issuer and expiry; any failure is InvalidToken.

    Several secrets may be given to rotate keys: the first signs, all verify.
    """
    last_error: Exception | None = None
    for secret in secrets:
        try:
            payload = jwt.decode(
                token,
                secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "iss"]},
            )
            return TokenClaims(
                user_id=uuid.UUID(payload["sub"]),
                tenant_id=uuid.UUID(payload["tid"]) if payload.get("tid") else None,
                role=Role(payload["role"]),
                password_stamp=int(payload["pws"]),
                expires_at=dt.datetime.fromtimestamp(payload["exp"], dt.UTC),
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("token expired") from exc
        except jwt.InvalidSignatureError as exc:
            last_error = exc
            continue
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
            raise InvalidToken("malformed token") from exc
    raise InvalidToken("bad signature") from last_error
