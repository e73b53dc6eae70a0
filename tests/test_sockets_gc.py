"""After a burst of WebSocket connections, what is alive leaves the collector's sight
(`SPRING_LIVE_GC_FREEZE`, transport/sockets.py): P4c's full collections of seconds."""

from __future__ import annotations

import asyncio
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


async def test_a_burst_is_frozen_once_it_is_over_and_swept_when_it_has_left(
    quick_bursts: None,
) -> None:
    open_sockets = OpenSockets(freeze_after_bursts=True)
    first = [{"n": n} for n in range(BURST_MIN * 2)]
    for scope in first:
        open_sockets.opened(scope, _send)
    await until(lambda: open_sockets.freezes == 1, "the burst's freeze")
    assert gc.get_freeze_count() > 0
    assert open_sockets.collections == 0
    # Most of them leave (a tenth or fewer remain): what they left is collected once.
    for scope in first[: BURST_MIN * 2 - BURST_MIN // 5]:
        open_sockets.closed(scope)
    await until(lambda: open_sockets.collections == 1, "the sweep once the burst has left")
    assert gc.get_freeze_count() > 0  # what is alive is frozen again


async def test_a_new_burst_after_a_turnover_is_frozen_without_a_collection(
    quick_bursts: None,
) -> None:
    """bench P4b: 1,000 subscribers connected right after P4's 1,000 had left; the collection
    the next freeze did first stalled the ingest for a second while they waited."""
    open_sockets = OpenSockets(freeze_after_bursts=True)
    first = [{"n": n} for n in range(BURST_MIN)]
    for scope in first:
        open_sockets.opened(scope, _send)
    await until(lambda: open_sockets.freezes == 1, "the first burst's freeze")
    for scope in first:
        open_sockets.closed(scope)
    await until(lambda: open_sockets.collections == 1, "the sweep once they left")
    second = [{"n": n} for n in range(BURST_MIN)]
    for scope in second:
        open_sockets.opened(scope, _send)
    await until(lambda: open_sockets.freezes == 2, "the second burst's freeze")
    assert open_sockets.collections == 1  # frozen, not collected, while they wait for data


async def test_one_drop_of_the_population_is_one_sweep(quick_bursts: None) -> None:
    """Each sweep is a full collection: the survivors of the first one leaving (a tenth, then a
    hundredth...) must not set off one each."""
    open_sockets = OpenSockets(freeze_after_bursts=True)
    crowd = [{"n": n} for n in range(BURST_MIN * 20)]
    for scope in crowd:
        open_sockets.opened(scope, _send)
    await until(lambda: open_sockets.freezes == 1, "the burst's freeze")
    for scope in crowd:  # they leave one by one, the loop running in between
        open_sockets.closed(scope)
        await asyncio.sleep(0)  # not a wait: one turn of the loop, where a sweep would run
    assert open_sockets.collections == 1


async def test_no_sweep_while_a_burst_of_new_subscribers_connects(quick_bursts: None) -> None:
    open_sockets = OpenSockets(freeze_after_bursts=True)
    first = [{"n": n} for n in range(BURST_MIN * 10)]
    for scope in first:
        open_sockets.opened(scope, _send)
    await until(lambda: open_sockets.freezes == 1, "the first burst's freeze")
    second = [{"m": n} for n in range(BURST_MIN)]
    for scope in second:  # a burst starts: its freeze is pending
        open_sockets.opened(scope, _send)
    for scope in first:  # meanwhile the first ones leave: a tenth of the peak is left
        open_sockets.closed(scope)
    await asyncio.sleep(0)  # not a wait: one turn of the loop, where a sweep would run
    assert open_sockets.collections == 0
    await until(lambda: open_sockets.freezes == 2, "the second burst's freeze")
    assert open_sockets.collections == 0


async def test_a_population_that_never_drops_is_swept_after_two_turnovers(
    quick_bursts: None,
) -> None:
    open_sockets = OpenSockets(freeze_after_bursts=True)
    alive = [{"n": n} for n in range(BURST_MIN)]
    for scope in alive:
        open_sockets.opened(scope, _send)
    await until(lambda: open_sockets.freezes == 1, "the burst's freeze")
    # One closes, another opens, as a shift goes on: never down to a tenth.
    for n in range(2 * BURST_MIN):
        open_sockets.closed(alive.pop(0))
        alive.append({"m": n})
        open_sockets.opened(alive[-1], _send)
    await until(lambda: open_sockets.collections == 1, "the sweep after two turnovers")


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
