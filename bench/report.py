"""The results table (terminal) and docs/performance.md (between its bench markers)."""

from __future__ import annotations

import datetime as dt
import os
import platform
from importlib import metadata
from pathlib import Path

from bench.common import Result

BEGIN = "<!-- bench:begin (written by `python -m bench`; edit outside these markers) -->"
END = "<!-- bench:end -->"
PACKAGES = ("strawberry-graphql", "starlette", "uvicorn", "sqlalchemy", "asyncpg", "websockets")


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def machine(pg_version: str) -> dict[str, str]:
    memory = "?"
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            continue
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "postgresql": pg_version,
        "python": platform.python_version(),
        "packages": ", ".join(versions),
    }


def table(results: list[Result]) -> str:
    rows = [("id", "measured", "baseline", "figure", "goal", "")]
    rows += [(r.id, r.what, r.baseline, r.figure, r.goal, r.verdict) for r in results]
    widths = [min(max(len(row[i]) for row in rows), 60) for i in range(6)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell[:60].ljust(widths[i]) for i, cell in enumerate(row)))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(
    results: list[Result], info: dict[str, str], command: str, notes: list[str], seconds: float
) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        BEGIN,
        "",
        f"## Latest run: {now}",
        "",
        f"- Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} of memory; "
        f"PostgreSQL {info['postgresql']} (embedded, Unix socket); Python {info['python']}; "
        f"{info['packages']}.",
        "- The load generator runs on the same machine and shares its cores with the server "
        "process and PostgreSQL.",
        f"- Command: `{command}` ({seconds / 60:.1f} minutes).",
        *[f"- {note}" for note in notes],
        "",
        "| id | what is measured | baseline (same run) | figure | goal | |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        out.append(
            f"| {r.id} | {_md(r.what)} | {_md(r.baseline)} | {_md(r.figure)} | {_md(r.goal)} "
            f"| {'✅ met' if r.met else ('❌ missed' if r.met is False else 'n/a')} |"
        )
    out.append("")
    for r in results:
        out.append(f"### {r.id}: {r.what}")
        out.append("")
        for line in r.details:
            if line.startswith("    "):
                out.append(line)
            else:
                out.append(f"- {line}")
        out.append("")
    out.append(END)
    return "\n".join(out)


def write(path: Path, generated: str, intro: str) -> None:
    """Replace the generated block, keeping what is written around it."""
    if path.exists():
        text = path.read_text()
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            _, tail = rest.split(END, 1)
            path.write_text(head + generated + tail)
            return
        path.write_text(text.rstrip() + "\n\n" + generated + "\n")
        return
    path.write_text(intro + "\n" + generated + "\n")
