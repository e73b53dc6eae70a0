"""The background task that lifts blocks whose `until` time has come.

Every process may run one: the sweep takes rows `FOR UPDATE SKIP LOCKED` and re-checks their
state, so each block is lifted (and journaled) exactly once however many processes sweep.
Each round also prunes the expired shared authentication state (login failures, spent refresh
tokens: resolvers/throttle.py) and the sessions that ended more than 30 days ago
(resolvers/auth.py: prune_sessions), so their tables stay bounded; deleting what is expired
is idempotent, so several processes may do it. And each round expires the terminal commands
left unanswered past their time (resolvers/commands.py: an UPDATE that re-checks the state,
so several processes may do it too).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from db.session import Database
from resolvers.auth import prune_sessions
from resolvers.commands import expire_commands
from resolvers.terminals.blocks import lift_expired_blocks
from resolvers.throttle import prune_auth_state

log = logging.getLogger("spring.unblocker")

Sweep = Callable[[Database], Awaitable[int]]


async def prune_expired(db: Database) -> int:
    """The authentication state past its time, then the sessions ended 30 days ago."""
    return await prune_auth_state(db) + await prune_sessions(db)


class Unblocker:
    """Runs `sweep` every `interval_s` seconds until stopped; logs and survives errors."""

    def __init__(
        self,
        db: Database,
        interval_s: float = 30.0,
        sweep: Sweep = lift_expired_blocks,
        prune: Sweep | None = prune_expired,
        expire: Sweep | None = expire_commands,
    ) -> None:
        self.db = db
        self.interval_s = interval_s
        self.sweep = sweep
        self.prune = prune
        self.expire = expire
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._task = asyncio.create_task(self._run(), name="spring-unblocker")

    async def stop(self) -> None:
        """Let the current sweep finish (its transaction commits or rolls back), then end."""
        if self._task is None:
            return
        self._stop.set()
        task, self._task = self._task, None
        try:
            await asyncio.wait_for(task, timeout=max(self.interval_s, 10.0))
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run_once(self) -> int:
        await self._prune()
        await self._expire()
        try:
            lifted = await self.sweep(self.db)
        except Exception:
            log.exception("auto-unblock sweep failed; next try in %s s", self.interval_s)
            return 0
        if lifted:
            log.info("auto-unblock lifted %d expired block(s)", lifted)
        return lifted

    async def _prune(self) -> None:
        if self.prune is None:
            return
        try:
            pruned = await self.prune(self.db)
        except Exception:
            log.exception("pruning the expired authentication state or sessions failed")
            return
        if pruned:
            log.debug("pruned %d expired login failure(s), refresh token(s), session(s)", pruned)

    async def _expire(self) -> None:
        if self.expire is None:
            return
        try:
            expired = await self.expire(self.db)
        except Exception:
            log.exception("expiring terminal commands failed")
            return
        if expired:
            log.info("expired unanswered commands of %d terminal(s)", expired)

    async def _run(self) -> None:
        while not self._stop.is_set():
            await self.run_once()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.interval_s)
