"""The open WebSocket connections of this process, as shutdown needs them: how many, wait
until they are gone, close them all with a code and a reason (spring/app.py's `drain`).

The request log (spring/logs.py) registers each connection when it is accepted and forgets it
when it ends; a connection whose GraphQL Context offers `close_connection` is closed through it
(the protocol handler then sees the close), any other with a plain ASGI close.
"""

from __future__ import annotations

import asyncio
import contextlib

from starlette.types import Scope, Send


class OpenSockets:
    """Accepted WebSocket connections: their ASGI scope and (observed) send."""

    def __init__(self) -> None:
        self._sockets: dict[int, tuple[Scope, Send]] = {}
        self._changed = asyncio.Event()

    def opened(self, scope: Scope, send: Send) -> None:
        self._sockets[id(scope)] = (scope, send)

    def closed(self, scope: Scope) -> None:
        if self._sockets.pop(id(scope), None) is not None:
            self._changed.set()

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
