"""Security state shared by every instance: the login throttle and the spent refresh tokens.

Both live in PostgreSQL (migration 0005), so any number of instances behind a load balancer
share them (DESIGN §8): N instances give an attacker no more password guesses than one, and
a refresh token spent on one instance is refused by every other. The process keeps nothing
but the policy: the objects here are handles on the database's state, not stores. The
tables sit in the `spring_auth` schema, out of the application role's reach; it calls the
SECURITY DEFINER functions of that migration, each answering only what its check needs.
Keys, token ids and families are stored as SHA-256 digests (no e-mail or address in clear).

Login throttle: failed attempts are counted per account (the e-mail as typed, normalised) and
per client address over a sliding window. Once either count reaches its maximum, logins for
that account (or from that address) are refused until the oldest failure leaves the window,
whatever the password: guessing cannot go on, and the answer says when to retry. An attempt
counts as a failure from the moment it starts (recorded and committed before the password is
verified, under a per-key lock: concurrent attempts cannot slip through, on one instance or
several) and is forgiven when the password turns out right.

Spent refresh tokens: a refresh token is single-use. Spending one is one INSERT on its
primary key, so of two concurrent refreshes with the same token exactly one wins, whichever
instances serve them; presenting a spent token means it was copied, and its whole family
(every refresh token descended from the same login) is revoked.

Expired rows are deleted by the write path (a key's expired failures, at each attempt) and by
`prune_auth_state`, which the periodic task (spring/unblocker.py) runs on every instance.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BYTEA
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Integer, Interval

from db.session import Database
from tenancy.principal import ANONYMOUS_CLAIMS

Clock = Callable[[], dt.datetime]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures_per_account: int = 5
    max_failures_per_address: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Throttled:
    """A refused attempt: which count is exhausted, and when a new attempt may be made."""

    scope: str  # "account" or "address"
    retry_at: dt.datetime
    now: dt.datetime

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int((self.retry_at - self.now).total_seconds() + 0.999))


@dataclass(frozen=True)
class Attempt:
    """A login attempt in progress, counted as a failure (in the database) until forgiven."""

    keys: tuple[tuple[str, str], ...]
    digests: tuple[bytes, ...]
    id: uuid.UUID
    at: dt.datetime


class _SharedState:
    """A handle on state kept in the database. `namespace` is mixed into every digest:
    handles with the same namespace (every instance, in production: the default) share their
    state; `reset` moves a handle to a fresh one (tests: start from nothing, without a
    privilege to delete what other handles counted; the old rows expire and are pruned)."""

    def __init__(self, namespace: bytes = b"") -> None:
        self._namespace = namespace

    def digest(self, kind: str, value: str) -> bytes:
        material = b"\0".join((self._namespace, kind.encode(), value.encode("utf-8", "replace")))
        return hashlib.sha256(material).digest()

    def reset(self) -> None:
        """Start afresh: this handle no longer sees what was recorded before (tests)."""
        self._namespace = os.urandom(16)


_ATTEMPT = text(
    "SELECT key_index, retry_at FROM spring_login_attempt(:keys, :maxima, :attempt, :now, :window)"
).bindparams(
    bindparam("keys", type_=ARRAY(BYTEA)),
    bindparam("maxima", type_=ARRAY(Integer)),
    bindparam("window", type_=Interval),
)
_FORGIVE = text("SELECT spring_login_forgive(:keys, :attempt, :clear)").bindparams(
    bindparam("keys", type_=ARRAY(BYTEA)), bindparam("clear", type_=ARRAY(BYTEA))
)
_FAILURES = text("SELECT spring_login_failures(:key, :now)")
_SPEND = text("SELECT spring_spend_refresh_token(:token, :family, :expires_at)")
_PRUNE = text("SELECT spring_prune_auth_state()")


class LoginThrottle(_SharedState):
    """The login throttle, counted in the database. Its methods run on the caller's session
    (any claims: the functions do not depend on them), inside the caller's transaction: the
    caller commits, and an attempt is counted for everyone once it has."""

    def __init__(
        self, policy: ThrottlePolicy | None = None, clock: Clock = _now, namespace: bytes = b""
    ) -> None:
        super().__init__(namespace)
        self.policy = policy or ThrottlePolicy()
        self.clock = clock

    @staticmethod
    def keys(account: str | None, address: str | None) -> tuple[tuple[str, str], ...]:
        keys = []
        if account is not None and account.strip():
            keys.append(("account", account.strip().lower()))
        if address:
            keys.append(("address", address))
        return tuple(keys)

    def _maximum(self, scope: str) -> int:
        if scope == "account":
            return self.policy.max_failures_per_account
        return self.policy.max_failures_per_address

    async def begin(
        self, session: AsyncSession, account: str | None, address: str | None
    ) -> Attempt | Throttled:
        """Start an attempt (counted as a failure), or refuse it (nothing is counted then).
        One statement; the caller's transaction holds the keys' locks until it ends."""
        now = self.clock()
        keys = self.keys(account, address)
        digests = tuple(self.digest(scope, value) for scope, value in keys)
        attempt_id = uuid.uuid4()
        refusals = (
            await session.execute(
                _ATTEMPT,
                {
                    "keys": list(digests),
                    "maxima": [self._maximum(scope) for scope, _ in keys],
                    "attempt": attempt_id,
                    "now": now,
                    "window": self.policy.window,
                },
            )
        ).all()
        if refusals:
            index, retry_at = max(refusals, key=lambda row: row.retry_at)
            return Throttled(scope=keys[index][0], retry_at=retry_at, now=now)
        return Attempt(keys=keys, digests=digests, id=attempt_id, at=now)

    async def forgive(self, session: AsyncSession, attempt: Attempt) -> None:
        """The password was right: the attempt is not a failure, and the account's earlier
        failures are forgotten (not the address's: one valid account must not let an
        address go on guessing others). One statement, in the caller's transaction."""
        clear = [
            digest
            for (scope, _), digest in zip(attempt.keys, attempt.digests, strict=True)
            if scope == "account"
        ]
        await session.execute(
            _FORGIVE, {"keys": list(attempt.digests), "attempt": attempt.id, "clear": clear}
        )

    async def failures(
        self, session: AsyncSession, account: str | None = None, address: str | None = None
    ) -> int:
        """Failures in the window for an account or an address (the tests read it)."""
        now = self.clock()
        counts = [
            await session.scalar(_FAILURES, {"key": self.digest(scope, value), "now": now})
            for scope, value in self.keys(account, address)
        ]
        return max((c or 0 for c in counts), default=0)


class SpentTokens(_SharedState):
    """Refresh tokens already exchanged (by token id) and revoked sessions (by family id),
    in the database, each remembered until the token would have expired anyway."""

    async def spend(
        self, session: AsyncSession, token_id: str, family: str, expires_at: dt.datetime
    ) -> bool:
        """Mark a token spent; False if its family is revoked, or if it already was spent
        (and its family is then revoked). One statement, in the caller's transaction."""
        spent = await session.scalar(
            _SPEND,
            {
                "token": self.digest("refresh-token", token_id),
                "family": self.digest("refresh-family", family),
                "expires_at": expires_at,
            },
        )
        return bool(spent)

    async def revoke(
        self, session: AsyncSession, token_id: str, family: str, expires_at: dt.datetime
    ) -> None:
        """End a session (logout): its family is revoked, so neither this refresh token nor
        any of its descendants is accepted again. The database's only way to revoke a family
        is a second spend of one of its tokens (the sign of a copied token), so this spends
        the token twice, in the caller's transaction."""
        await self.spend(session, token_id, family, expires_at)
        await self.spend(session, token_id, family, expires_at)


async def prune_auth_state(db: Database) -> int:
    """Delete the expired failures, spent tokens and revoked families; return how many."""
    async with db.session(ANONYMOUS_CLAIMS) as session, session.begin():
        return int(await session.scalar(_PRUNE) or 0)


#: The handles used unless the request's context carries its own (`context.login_throttle`,
#: `context.spent_tokens`). They hold the policy, not the state: that is in the database.
LOGIN_THROTTLE = LoginThrottle()
SPENT_REFRESH_TOKENS = SpentTokens()
