"""In-process security state: the login throttle and the spent refresh tokens.

Both live in the memory of one process. With several processes behind a load balancer each
keeps its own count, so an attacker gets up to N times the attempts (N processes), and a
refresh token spent on one process could be replayed once on another until it expires. This
is stated in docs/security.md; a shared store (the database, or Redis) removes the factor.

Login throttle: failed attempts are counted per account (the e-mail as typed, normalised) and
per client address over a sliding window. Once either count reaches its maximum, logins for
that account (or from that address) are refused until the oldest failure leaves the window,
whatever the password: guessing cannot go on, and the answer says when to retry. An attempt
counts as a failure from the moment it starts (so concurrent attempts cannot slip through
while passwords are being verified) and is forgiven when the password turns out right.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], dt.datetime]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures_per_account: int = 5
    max_failures_per_address: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)
    #: Keys remembered at most (the least recently used are forgotten beyond it).
    max_keys: int = 100_000


@dataclass(frozen=True)
class Throttled:
    """A refused attempt: which count is exhausted, and when a new attempt may be made."""

    scope: str  # "account" or "address"
    retry_at: dt.datetime
    now: dt.datetime

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int((self.retry_at - self.now).total_seconds() + 0.999))


@dataclass(eq=False)
class Attempt:
    """A login attempt in progress, counted as a failure until forgiven."""

    keys: tuple[tuple[str, str], ...]
    mark: object = field(default_factory=object)
    at: dt.datetime = field(default_factory=_now)


class LoginThrottle:
    def __init__(self, policy: ThrottlePolicy | None = None, clock: Clock = _now) -> None:
        self.policy = policy or ThrottlePolicy()
        self.clock = clock
        self._failures: OrderedDict[tuple[str, str], deque[tuple[dt.datetime, object]]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

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

    def _recent(self, key: tuple[str, str], now: dt.datetime) -> deque[tuple[dt.datetime, object]]:
        entries = self._failures.get(key)
        if entries is None:
            return deque()
        horizon = now - self.policy.window
        while entries and entries[0][0] <= horizon:
            entries.popleft()
        if not entries:
            del self._failures[key]
        return entries

    def begin(self, account: str | None, address: str | None) -> Attempt | Throttled:
        """Start an attempt, or refuse it (nothing is counted for a refused attempt)."""
        now = self.clock()
        keys = self.keys(account, address)
        with self._lock:
            refusal: Throttled | None = None
            for key in keys:
                entries = self._recent(key, now)
                if len(entries) >= self._maximum(key[0]):
                    retry_at = entries[0][0] + self.policy.window
                    if refusal is None or retry_at > refusal.retry_at:
                        refusal = Throttled(scope=key[0], retry_at=retry_at, now=now)
            if refusal is not None:
                return refusal
            attempt = Attempt(keys=keys, at=now)
            for key in keys:
                entries = self._failures.setdefault(key, deque())
                entries.append((now, attempt.mark))
                self._failures.move_to_end(key)
            while len(self._failures) > self.policy.max_keys:
                self._failures.popitem(last=False)
            return attempt

    def forgive(self, attempt: Attempt, *, clear_account: bool = True) -> None:
        """The password was right: the attempt is not a failure, and the account's earlier
        failures are forgotten (not the address's: one valid account must not let an
        address go on guessing others)."""
        with self._lock:
            for key in attempt.keys:
                entries = self._failures.get(key)
                if entries is None:
                    continue
                if key[0] == "account" and clear_account:
                    del self._failures[key]
                    continue
                kept = deque(e for e in entries if e[1] is not attempt.mark)
                if kept:
                    self._failures[key] = kept
                else:
                    del self._failures[key]

    def failures(self, account: str | None = None, address: str | None = None) -> int:
        """Failures in the window for an account or an address (tests, metrics)."""
        now = self.clock()
        with self._lock:
            return max((len(self._recent(k, now)) for k in self.keys(account, address)), default=0)

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()


class SpentTokens:
    """Refresh tokens already exchanged (by token id) and revoked sessions (by family id),
    each remembered until the token would have expired anyway.

    A refresh token is single-use: presenting a spent one means it was copied, so the whole
    family (every refresh token descended from the same login) is revoked.
    """

    def __init__(self, clock: Clock = _now, max_entries: int = 200_000) -> None:
        self.clock = clock
        self.max_entries = max_entries
        self._spent: OrderedDict[str, dt.datetime] = OrderedDict()
        self._revoked: OrderedDict[str, dt.datetime] = OrderedDict()
        self._lock = threading.Lock()

    def _prune(self, now: dt.datetime) -> None:
        for table in (self._spent, self._revoked):
            expired = [k for k, until in table.items() if until <= now]
            for k in expired:
                del table[k]
            while len(table) > self.max_entries:
                table.popitem(last=False)

    def is_revoked(self, family: str) -> bool:
        with self._lock:
            return family in self._revoked

    def spend(self, token_id: str, family: str, expires_at: dt.datetime) -> bool:
        """Mark a token spent; False (and the family revoked) if it already was."""
        now = self.clock()
        with self._lock:
            if len(self._spent) > self.max_entries:
                self._prune(now)
            if family in self._revoked:
                return False
            if token_id in self._spent:
                self._revoked[family] = expires_at
                return False
            self._spent[token_id] = expires_at
            return True

    def reset(self) -> None:
        with self._lock:
            self._spent.clear()
            self._revoked.clear()


#: The process's instances, used unless the request's context carries its own
#: (`context.login_throttle`, `context.spent_tokens`).
LOGIN_THROTTLE = LoginThrottle()
SPENT_REFRESH_TOKENS = SpentTokens()
