"""A cohort's members (transport/cohorts.py): one subscriber each, written to by the cohort's
task, with a bounded backlog when its socket is behind.

Per member, before every write, the token's expiry is compared with the event's time; the
account is looked up again (`still_allowed`) only when the broker has heard of a revocation
(or lost its LISTEN for a while). A member whose socket is behind gets a task until it catches
up, and is closed as too slow (with its cursor) rather than delaying anyone else.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from typing import TYPE_CHECKING, Any

from schema.context import Context
from schema.live.subscriptions import CLOSE_TOKEN_EXPIRED, CLOSE_TOO_SLOW, still_allowed

if TYPE_CHECKING:
    from transport.cohorts import Cohort

log = logging.getLogger("spring.live.cohorts")

#: The account check failed unexpectedly (the server's fault, not the subscriber's).
CLOSE_INTERNAL_ERROR = 1011
#: Messages a member may have waiting for its socket before it is closed as too slow.
MEMBER_QUEUE = 100
#: Longest a single socket write may take before the member is closed as too slow.
WRITE_TIMEOUT_S = 5.0
_EXPIRED = "token expired: log in again and resume with `after`"


class Member:
    """One subscriber (a connection handler and its operation id) of a cohort.

    No task and no queue of its own: the cohort's task writes each event's frame to every
    member in turn. A write that completes at once (the socket keeps up: the usual case) costs
    no task switch; a write that has to wait (the socket is behind) continues in a task of its
    own, and the frames that come meanwhile wait in a bounded backlog, written in order when the
    socket drains (asyncio's transport buffers them together). A member whose backlog fills up,
    or whose write takes longer than WRITE_TIMEOUT_S, is closed as too slow with its cursor.
    """

    __slots__ = (
        "backlog",
        "busy",
        "cohort",
        "context",
        "cursor",
        "deadline",
        "final",
        "gone",
        "handler",
        "op_id",
        "prefix",
        "sent",
        "socket",
    )

    def __init__(self, cohort: Cohort, handler: Any, op_id: str) -> None:
        self.cohort = cohort
        self.handler = handler
        self.op_id = op_id
        self.context: Context = handler.context
        self.socket: Any = handler.websocket.ws
        #: The constant part of this member's `next` messages.
        self.prefix = '{"type":"next","id":' + json.dumps(op_id) + ',"payload":'
        expires = self.context.token_expires_at
        #: When the member's token expires (epoch seconds): checked against each event's time.
        self.deadline = expires.timestamp() if expires is not None else math.inf
        #: (payload, its cursor) waiting while a write or an account check is in progress.
        self.backlog: list[tuple[str, str | None]] = []
        #: The task finishing a write that had to wait, or checking the account; None: idle.
        self.busy: asyncio.Task[None] | None = None
        #: After the last payload: a message to send (complete, error) or a close code+reason.
        self.final: dict[str, Any] | tuple[int, str] | None = None
        #: The cursor of the last event written: where to resume if closed as too slow.
        self.cursor: str | None = None
        self.sent = 0
        self.gone = False

    # ------------------------------------------------------------------ per event

    def deliver(self, payload_json: str, cursor: str | None, now: float, check: bool) -> None:
        """Write one event's payload (or queue it behind a write in progress).

        `now`: the event's time (epoch seconds); `check`: the broker knows of revocations
        (or lost its LISTEN for a while), so the account may have to be looked up again.
        """
        if self.gone:
            return
        if self.busy is not None:
            if len(self.backlog) >= MEMBER_QUEUE:
                self._close_soon(CLOSE_TOO_SLOW, self._too_slow())
                return
            self.backlog.append((payload_json, cursor))
            return
        if now >= self.deadline:
            self._close_soon(CLOSE_TOKEN_EXPIRED, _EXPIRED)
            return
        if check and self._must_recheck():
            self.backlog.append((payload_json, cursor))
            self.busy = self.cohort.registry.spawn(self._recheck_then_drain())
            return
        self._write_now(payload_json, cursor)

    def _must_recheck(self) -> bool:
        context = self.context
        live = context.live
        if live.recheck_before is not None and context.authenticated_at < live.recheck_before:
            return True
        return bool(live.is_revoked(context.principal.user_id, context.authenticated_at))

    def _write_now(self, payload_json: str, cursor: str | None) -> None:
        registry = self.cohort.registry
        coroutine = self.socket.send_text(self.prefix + payload_json + "}")
        try:
            waiting = coroutine.send(None)
        except StopIteration:
            self.sent += 1
            registry.writes += 1
            if cursor:
                self.cursor = cursor
            return
        except Exception:  # disconnected: the handler's shutdown removes us too
            self._gone()
            return
        # The socket is behind: finish this write in a task; later frames wait their turn.
        registry.deferred += 1
        self.busy = registry.spawn(self._finish_then_drain(coroutine, waiting, cursor))

    # ------------------------------------------------------------------ behind

    async def _finish_then_drain(self, coroutine: Any, waiting: Any, cursor: str | None) -> None:
        try:
            async with asyncio.timeout(WRITE_TIMEOUT_S):
                await _resume(coroutine, waiting)
        except TimeoutError:
            await self.close(CLOSE_TOO_SLOW, self._too_slow())
            return
        except Exception:
            self._gone()
            return
        self.sent += 1
        self.cohort.registry.writes += 1
        if cursor:
            self.cursor = cursor
        await self._drain()

    async def _recheck_then_drain(self) -> None:
        try:
            stop = await still_allowed(self.context)
        except Exception:
            log.exception("account check failed; closing the subscriber")
            resume = f" after={self.cursor}" if self.cursor else ""
            stop = (
                CLOSE_INTERNAL_ERROR,
                "internal error: reconnect and resume with `after`" + resume,
            )
        finally:
            with contextlib.suppress(Exception):
                await self.context.finish(commit=True)  # the account look-up's transaction
        if stop is not None:
            await self.close(*stop)
            return
        await self._drain()

    async def _drain(self) -> None:
        """Write the backlog in order (the socket may be behind), then the final message."""
        registry = self.cohort.registry
        while self.backlog and not self.gone:
            if time.time() >= self.deadline:
                await self.close(CLOSE_TOKEN_EXPIRED, _EXPIRED)
                return
            frames, self.backlog = self.backlog, []
            for payload_json, cursor in frames:
                try:
                    async with asyncio.timeout(WRITE_TIMEOUT_S):
                        await self.socket.send_text(self.prefix + payload_json + "}")
                except TimeoutError:
                    await self.close(CLOSE_TOO_SLOW, self._too_slow())
                    return
                except Exception:
                    self._gone()
                    return
                self.sent += 1
                registry.writes += 1
                if cursor:
                    self.cursor = cursor
        self.busy = None
        if self.final is not None and not self.gone:
            await self._send_final()

    # ------------------------------------------------------------------ ending

    def finish(self, final: dict[str, Any] | tuple[int, str]) -> None:
        """Write what is waiting, then send this message or close with this code+reason."""
        self.final = final
        if self.busy is None and not self.gone:
            self.busy = self.cohort.registry.spawn(self._send_final())

    async def _send_final(self) -> None:
        final, self.final = self.final, None
        if isinstance(final, dict):
            await self.send_json(final)
        elif final is not None:
            await self.close(*final)

    def _too_slow(self) -> str:
        resume = f" after={self.cursor}" if self.cursor else ""
        return "subscriber too slow: resume with `after`" + resume

    def _close_soon(self, code: int, reason: str) -> None:
        self._gone()
        self.cohort.registry.spawn(self._close_socket(code, reason))

    def _gone(self) -> None:
        """Stop writing to this member and leave the cohort (idempotent)."""
        if not self.gone:
            self.gone = True
            self.backlog = []
            self.cohort.remove(self)

    async def send_json(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(Exception):
            await self.handler.websocket.send_json(message)

    async def close(self, code: int, reason: str) -> None:
        self._gone()
        await self._close_socket(code, reason)

    async def _close_socket(self, code: int, reason: str) -> None:
        with contextlib.suppress(Exception):
            await self.handler.websocket.close(code=code, reason=reason[:123])


async def _resume(coroutine: Any, waiting: Any) -> Any:
    """Run a coroutine to its end that was started by hand (`coroutine.send(None)`) and is
    waiting for `waiting` (what it yielded): as an asyncio Task would have driven it."""
    while True:
        try:
            if waiting is None:
                await asyncio.sleep(0)
            else:
                waiting._asyncio_future_blocking = False
                await asyncio.wait((waiting,))
        except BaseException as exc:  # cancelled (or timed out) while it waited
            if waiting is not None:
                waiting.cancel()
            try:
                waiting = coroutine.throw(exc)
            except StopIteration as stop:
                return stop.value
            continue
        try:
            waiting = coroutine.send(None)
        except StopIteration as stop:
            return stop.value
