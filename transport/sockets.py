"""The open WebSocket connections of this process, as shutdown needs them: how many, wait
until they are gone, close them all with a code and a reason (spring/app.py's `drain`).

The request log (spring/logs.py) registers each connection when it is accepted and forgets it
when it ends; a connection whose GraphQL Context offers `close_connection` is closed through it
(the protocol handler then sees the close), any other with a plain ASGI close.

With `freeze_after_bursts` (`SPRING_LIVE_GC_FREEZE`, on by default), once a burst of
connections is over (none accepted for `BURST_QUIET_S`), everything alive is moved out of the
garbage collector's sight (`gc.freeze()`, as at start-up): open connections live for hours, and
with 10,000 of them each full collection walked millions of their objects, pausing the process
for seconds (P4c in docs/performance.md). Cycles among objects frozen and later dropped are not
collected while frozen, so once the connections frozen have mostly gone (at most a tenth of the
most that were open are left) the frozen objects are unfrozen, collected once and frozen again
(a sweep). A sweep is a full collection of everything, start-up objects included (about a
second with a large heap), so it is done when few subscribers are left to wait for it, never at
the end of a burst of new ones nor while one connects (bench P4b's ingest stalled there), and
once per drop (the survivors, frozen again, wait for the next burst's freeze); a population
that never drops is swept after it has turned over twice, which bounds what stays frozen.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time

from starlette.types import Scope, Send

#: Seconds without a new connection after which a burst is over (then `gc.freeze()`).
BURST_QUIET_S = 1.0
#: Connections opened since the last freeze below which no freeze is worth it.
BURST_MIN = 50


class OpenSockets:
    """Accepted WebSocket connections: their ASGI scope and (observed) send."""

    def __init__(self, *, freeze_after_bursts: bool = False) -> None:
        self._sockets: dict[int, tuple[Scope, Send]] = {}
        self._changed = asyncio.Event()
        self.freeze_after_bursts = freeze_after_bursts
        #: Connections opened since the last freeze; closed since the last sweep.
        self._opened_since = 0
        self._closed_since = 0
        #: The most connections open at once since the last sweep.
        self._peak = 0
        #: Whether a burst's freeze hid connections from the collector since the last sweep.
        self._frozen = False
        self._last_opened = 0.0
        self._timer: asyncio.TimerHandle | None = None
        self._sweep_pending = False
        #: Freezes done after bursts; sweeps (a full collection each) done.
        self.freezes = 0
        self.collections = 0

    def opened(self, scope: Scope, send: Send) -> None:
        self._sockets[id(scope)] = (scope, send)
        if self.freeze_after_bursts:
            self._opened_since += 1
            self._peak = max(self._peak, len(self._sockets))
            self._last_opened = time.monotonic()
            if self._timer is None and self._opened_since >= BURST_MIN:
                loop = asyncio.get_running_loop()
                self._timer = loop.call_later(BURST_QUIET_S, self._burst_over)

    def _burst_over(self) -> None:
        quiet = time.monotonic() - self._last_opened
        if quiet < BURST_QUIET_S:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(BURST_QUIET_S - quiet, self._burst_over)
            return
        self._timer = None
        gc.freeze()  # no collection here: the burst's subscribers are about to be served
        self.freezes += 1
        self._opened_since = 0
        self._frozen = True

    def closed(self, scope: Scope) -> None:
        if self._sockets.pop(id(scope), None) is None:
            return
        self._changed.set()
        if not (self.freeze_after_bursts and self._frozen):
            return
        self._closed_since += 1
        left = len(self._sockets)
        # Most have left (and no burst of new subscribers is connecting, which would wait
        # for the collection), or the population has turned over twice (whatever else runs).
        mostly_gone = left <= self._peak // 10 and self._timer is None
        if (
            not self._sweep_pending
            and self._closed_since >= BURST_MIN
            and (mostly_gone or self._closed_since >= 2 * self._peak)
        ):
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # closed by the collector after the loop ended: no sweep
                return
            self._sweep_pending = True
            loop.call_soon(self._sweep)

    def _sweep(self) -> None:
        """Collect what the frozen connections that closed left (cycles), then freeze again
        what is alive: the start-up objects and the connections still open."""
        self._sweep_pending = False
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.collections += 1
        self._closed_since = 0
        self._peak = len(self._sockets)
        # The survivors (a tenth at most) are frozen again, but the next sweep waits for the
        # next burst's freeze: one drop of the population is one full collection, not one
        # per tenth of what is left.
        self._frozen = False

    def __len__(self) -> int:
        return len(self._sockets)

    async def wait_closed(self, seconds: float) -> bool:
        """Wait (at most `seconds`) until no WebSocket is open; True if none is."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while self._sockets:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return True

    async def close_all(self, code: int, reason: str) -> None:
        """Close every open WebSocket (through its Context's `close_connection` when the
        GraphQL view has built one, so the protocol handler sees the close)."""
        for scope, send in list(self._sockets.values()):
            context = scope.get("spring.context")
            close = getattr(context, "close_connection", None)
            try:
                if close is not None:
                    await close(code, reason)
                else:
                    await send({"type": "websocket.close", "code": code, "reason": reason[:123]})
            except Exception:  # noqa: S112 - already closing or closed: nothing to do
                continue
