"""Imports flow one way: spring → transport → schema → engine → resolvers → subscriptions → db,
tenancy beneath all; only the Schema's construction (schema/schema.py) imports the engine.

A module may import only from the packages below its own (a backward import means the design
wants changing, not the rule). Every import is read, at module level and inside functions alike.
The same rules are import-linter's contracts in pyproject.toml (`lint-imports`, in .ci/run);
this test keeps them in every pytest run.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Each package's rank: it may import only packages of a lower rank.
RANK = {
    "tenancy": 0,
    "db": 1,
    "subscriptions": 2,
    "resolvers": 3,
    "engine": 4,
    "schema": 5,
    "transport": 6,
    "spring": 7,
}

#: The only module that may import the engine: the Schema's construction.
ENGINE_USERS = {"schema/schema.py"}

#: The one import of bench/ from the service: `spring bench` launches the checkout's benchmarks.
LAUNCHERS = {("spring/cli.py", "bench")}


def imported_packages(path: Path) -> set[str]:
    """The packages of ours that `path` imports (absolute imports; relative ones stay home)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names)
    return found & (set(RANK) | {"bench"})


def backward_imports() -> list[str]:
    wrong = []
    for package, rank in RANK.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for target in sorted(imported_packages(path) - {package}):
                if (relative, target) in LAUNCHERS:
                    continue
                if target == "bench" or RANK[target] >= rank:
                    wrong.append(f"{relative} imports {target}")
                elif target == "engine" and relative not in ENGINE_USERS:
                    wrong.append(f"{relative} imports engine (only {sorted(ENGINE_USERS)} may)")
    return wrong


def test_imports_flow_one_way() -> None:
    assert backward_imports() == []


def test_the_check_sees_a_backward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from schema.types import X\n    import resolvers.terminals\n")
    assert imported_packages(module) == {"schema", "resolvers"}
