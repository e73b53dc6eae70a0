"""After a burst of WebSocket connections, what is alive leaves the collector's sight
(`SPRING_LIVE_GC_FREEZE`, transport/sockets.py): P4c's full collections of seconds."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from spring.settings import Settings
from tests.live import until
from transport import sockets as sockets_module
from transport.sockets import BURST_MIN, OpenSockets


@pytest.fixture
def quick_bursts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sockets_module, "BURST_QUIET_S", 0.01)
    yield
    gc.unfreeze()  # what the test froze goes back to the collector


async def _send(_message: Any) -> None:
    return None


def test_the_setting_is_on_by_default_and_reaches_the_app(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings().live_gc_freeze is True
    assert app.state.sockets.freeze_after_bursts is True
    monkeypatch.setenv("SPRING_LIVE_GC_FREEZE", "false")
    assert Settings().live_gc_freeze is False


async def test_a_burst_is_frozen_once_it_is_over_and_collected_after_a_turnover(
    quick_bursts: None,
) -> None:
    open_sockets = OpenSockets(freeze_after_bursts=True)
    first = [{"n": n} for n in range(BURST_MIN)]
    for scope in first:
        open_sockets.opened(scope, _send)
    await until(lambda: open_sockets.freezes == 1, "the burst's freeze")
    assert gc.get_freeze_count() > 0
    assert open_sockets.collections == 0
    # Every connection frozen turns over: the next freeze collects what they left first.
    for scope in first:
        open_sockets.closed(scope)
    second = [{"n": n} for n in range(BURST_MIN)]
    for scope in second:
        open_sockets.opened(scope, _send)
    await until(lambda: open_sockets.freezes == 2, "the second burst's freeze")
    assert open_sockets.collections == 1


async def test_without_the_setting_nothing_is_frozen(quick_bursts: None) -> None:
    open_sockets = OpenSockets(freeze_after_bursts=False)
    for n in range(BURST_MIN * 2):
        open_sockets.opened({"n": n}, _send)
    assert open_sockets._timer is None
    assert open_sockets.freezes == 0


async def test_a_few_connections_are_no_burst(quick_bursts: None) -> None:
    open_sockets = OpenSockets(freeze_after_bursts=True)
    for n in range(BURST_MIN - 1):
        open_sockets.opened({"n": n}, _send)
    assert open_sockets._timer is None
