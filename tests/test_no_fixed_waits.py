"""The house rule: tests wait for readiness, never sleep a fixed time.

A fixed sleep that "lets something happen" is too short on a loaded machine (a flake) and too
long everywhere else (a slow suite). Tests wait for the condition instead (`tests.live.until`,
`held`, `watched`, `Subscription.first`), with a generous deadline that costs time only on
failure. A sleep that is itself what is tested (time passing, a verification holding its
locks) stays, with a `# not a wait: <reason>` comment on its line or the line above.

This reads every test module's syntax tree and refuses a sleep (`asyncio.sleep`,
`time.sleep`, `sleep`, `page.wait_for_timeout`, ...) whose duration is a constant.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent
MARKER = "# not a wait:"
SLEEPS = {"sleep", "wait_for_timeout", "waitForTimeout"}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _constant(node: ast.expr) -> bool:
    """A literal duration, or arithmetic on literals only (`0.1 * 3`, `-1`)."""
    return all(not isinstance(n, (ast.Name, ast.Attribute, ast.Call)) for n in ast.walk(node))


def fixed_waits(source: str, filename: str = "<test>") -> list[int]:
    """Lines of the sleeps with a constant duration and no marker comment."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or _name(node.func) not in SLEEPS:
            continue
        duration = node.args[0] if node.args else None
        if duration is None:
            duration = next((k.value for k in node.keywords if k.arg in ("delay", "seconds")), None)
        if duration is None or not _constant(duration):
            continue
        end = node.end_lineno or node.lineno
        nearby = lines[max(node.lineno - 2, 0) : end]  # the line above, and the call's lines
        if not any(MARKER in line for line in nearby):
            found.append(node.lineno)
    return sorted(found)


def test_no_test_sleeps_a_fixed_time_to_let_something_happen() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        for line in fixed_waits(path.read_text(encoding="utf-8"), str(path)):
            offenders.append(f"{path.relative_to(TESTS.parent)}:{line}")
    assert not offenders, (
        "fixed waits in the tests: wait for the condition instead (tests/live.py: until, held,"
        f" watched), or say why the sleep is what is tested with '{MARKER} <reason>':\n"
        + "\n".join(offenders)
    )


def test_the_guard_sees_what_it_must_and_only_that() -> None:
    source = "\n".join(
        [
            "import asyncio, time",
            "async def f(page, interval, deadline):",
            "    await asyncio.sleep(0.3)",  # 3: refused
            "    time.sleep(1)",  # 4: refused
            "    await page.wait_for_timeout(500)",  # 5: refused
            "    await asyncio.sleep(0.1 * 3)",  # 6: refused (arithmetic on literals)
            "    await asyncio.sleep(delay=2)",  # 7: refused (by keyword)
            "    await asyncio.sleep(interval)",  # 8: a variable: a poll's pace
            "    await asyncio.sleep(deadline - time.monotonic())",  # 9: computed
            "    await asyncio.sleep(0)  # not a wait: a loader that really suspends",  # 10
            "    # not a wait: the heartbeat interval passing is what is tested",
            "    await asyncio.sleep(",  # 12: marked on the line above
            "        2.5",
            "    )",
            "    asyncio.wait_for(x, 5)",  # 15: a deadline, not a sleep
        ]
    )
    assert fixed_waits(source) == [3, 4, 5, 6, 7]
