"""A small sampling profiler for the server process: where does its CPU time go?
(py-spy is not available on these machines; cProfile mis-attributes time across coroutines
and greenlets, and a sampling thread is biased towards calls that release the GIL.)

SIGPROF fires every `interval` seconds of the process's CPU time; the handler, run by the
main thread (the event loop's), records the Python stack it interrupted. A C call (json,
asyncpg's protocol, uvloop) is charged to the Python frame that made it. Samples are
attributed by function (self and inclusive) and by layer (strawberry/graphql-core,
SQLAlchemy, asyncpg, uvicorn/starlette, the application's own modules...); the collapsed
stacks it writes load into any flame-graph viewer.
"""

from __future__ import annotations

import collections
import signal
from pathlib import Path
from types import FrameType

LAYERS = (
    ("graphql/", "graphql-core"),
    ("strawberry/", "strawberry"),
    ("sqlalchemy/", "SQLAlchemy"),
    ("asyncpg/", "asyncpg"),
    ("greenlet", "SQLAlchemy"),
    ("uvicorn/", "uvicorn"),
    ("starlette/", "starlette"),
    ("websockets/", "websockets"),
    ("structlog/", "logging"),
    ("/logging/", "logging"),
    ("jwt/", "JWT"),
    ("json/", "json"),
    ("pydantic", "pydantic"),
    ("/asyncio/", "asyncio"),
    ("/main/spring/logs", "spring (logs, metrics)"),
    ("/main/spring/", "spring (app)"),
    ("/main/schema/", "schema/"),
    ("/main/resolvers/", "resolvers/"),
    ("/main/subscriptions/", "subscriptions/"),
    ("/main/tenancy/", "tenancy/"),
    ("/main/db/", "db/"),
    ("/main/bench/", "bench (baselines)"),
)


def _layer(filename: str) -> str:
    for marker, name in LAYERS:
        if marker in filename:
            return name
    return "other"


class Profile:
    """The samples of one phase (a label the load generator sets)."""

    def __init__(self) -> None:
        self.samples = 0
        self.self_counts: collections.Counter[str] = collections.Counter()
        self.inclusive: collections.Counter[str] = collections.Counter()
        self.layers: collections.Counter[str] = collections.Counter()
        self.stacks: collections.Counter[str] = collections.Counter()

    def record(self, frame: FrameType) -> None:
        self.samples += 1
        names = []
        f: FrameType | None = frame
        while f is not None:
            code = f.f_code
            names.append((code.co_filename, code.co_name, f.f_lineno))
            f = f.f_back
        labels = [f"{Path(fn).parent.name}/{Path(fn).name}:{name}" for fn, name, _ in names]
        self.self_counts[f"{labels[0]}:{names[0][2]}"] += 1
        self.layers[_layer(names[0][0])] += 1
        for label in set(labels):
            self.inclusive[label] += 1
        self.stacks[";".join(reversed(labels))] += 1

    def lines(self, interval: float) -> list[str]:
        busy = max(self.samples, 1)
        out = [f"samples: {self.samples} (about one per {interval * 1000:.0f}+ ms of CPU time)"]
        out += ["", "by layer (the layer of the innermost Python frame):"]
        for name, n in self.layers.most_common():
            out.append(f"  {n / busy:6.1%}  {name}")
        out += ["", "inclusive (function anywhere on the stack), top 80:"]
        for name, n in self.inclusive.most_common(80):
            out.append(f"  {n / busy:6.1%}  {name}")
        out += ["", "self (innermost frame, with line), top 40:"]
        for name, n in self.self_counts.most_common(40):
            out.append(f"  {n / busy:6.1%}  {name}")
        return out


class Sampler:
    def __init__(self, interval: float = 0.001) -> None:
        self.interval = interval
        self.label = "unlabelled"
        self.profiles: dict[str, Profile] = {}

    def start(self) -> Sampler:
        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        return self

    def _sample(self, signum: int, frame: FrameType | None) -> None:
        if frame is not None:
            profile = self.profiles.get(self.label)
            if profile is None:
                profile = self.profiles[self.label] = Profile()
            profile.record(frame)

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)

    def report(self, path: str) -> None:
        """<path>.txt: every phase's summary; <path>.<phase>.collapsed: its stacks."""
        base = Path(path).with_suffix("")
        lines: list[str] = []
        for label, profile in sorted(self.profiles.items()):
            lines += ["=" * 78, f"phase: {label}", "=" * 78, *profile.lines(self.interval), ""]
            slug = "".join(c if c.isalnum() else "-" for c in label)
            Path(f"{base}.{slug}.collapsed").write_text(
                "".join(f"{stack} {n}\n" for stack, n in profile.stacks.most_common())
            )
        Path(f"{base}.txt").write_text("\n".join(lines) + "\n")


_running: Sampler | None = None


def start(interval: float = 0.001) -> Sampler:
    global _running
    _running = Sampler(interval).start()
    return _running


def set_label(label: str) -> None:
    if _running is not None:
        _running.label = label
