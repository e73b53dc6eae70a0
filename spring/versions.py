"""The versions of strawberry and graphql-core Spring's fast paths were verified against.

Spring uses internals of both (docs/upgrading.md lists them, with the tests that guard each):
on any other version they may be missing or behave differently, and graphql-core 3.3.0 and
3.3.1 already fail at import. `spring` refuses to start on an unverified version, before it
imports anything that uses them, naming the package, the installed version and the verified
ones. pyproject.toml's ranges are these same specifiers (tests/test_versions.py compares them),
so pip refuses such an install in the first place; this check catches the rest (a manual
`pip install graphql-core==3.3.1`, a stale virtual environment, a platform's own packages).

Kept free of third-party imports: it must run where those libraries do not import.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Mapping

#: Distribution name -> (specifier as written in pyproject.toml, lowest, first excluded).
VERIFIED: dict[str, tuple[str, tuple[int, ...], tuple[int, ...]]] = {
    "strawberry-graphql": (">=0.341.2,<0.342", (0, 341, 2), (0, 342)),
    "graphql-core": ("==3.3.2", (3, 3, 2), (3, 3, 3)),
}


def _release(version: str) -> tuple[int, ...] | None:
    """`0.341.2` -> (0, 341, 2); None for anything else (pre-releases, dev, local builds:
    never verified)."""
    parts = version.split(".")
    if not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def _installed(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def unverified(installed: Mapping[str, str | None] | None = None) -> list[str]:
    """One sentence per package whose installed version was not verified (empty: all were).
    `installed` maps names to versions (None: not installed); by default, what is installed."""
    problems = []
    for name, (specifier, lowest, excluded) in VERIFIED.items():
        version = installed.get(name) if installed is not None else _installed(name)
        if version is None:
            problems.append(f"{name} is not installed (verified: {name}{specifier}).")
            continue
        release = _release(version)
        if release is None or not lowest <= release < excluded:
            problems.append(
                f"{name} {version} is installed; Spring is verified with {name}{specifier} only."
            )
    return problems


def refusal(installed: Mapping[str, str | None] | None = None) -> str | None:
    """The message `spring` refuses to start with, or None."""
    problems = unverified(installed)
    if not problems:
        return None
    return (
        "Spring refuses to start: "
        + " ".join(problems)
        + " Its fast paths use internals of these libraries (docs/upgrading.md). Install the"
        " locked versions: pip install -r requirements.lock && pip install --no-deps -e ."
    )
