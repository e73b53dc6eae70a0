"""Installs that keep working (issue 13): the verified versions, the start-up refusal, the lock,
and what an install puts into site-packages."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from spring.versions import VERIFIED, refusal, unverified

ROOT = Path(__file__).resolve().parent.parent
GOOD = {"strawberry-graphql": "0.341.2", "graphql-core": "3.3.2"}


def test_the_verified_versions_pass_and_others_are_named() -> None:
    assert unverified(GOOD) == []
    assert refusal(GOOD) is None
    assert unverified({**GOOD, "strawberry-graphql": "0.341.9"}) == []  # a patch release
    for name, version in [
        ("graphql-core", "3.3.1"),  # lacks input_is_nested_too_deeply: fails at import
        ("graphql-core", "3.3.3"),
        ("graphql-core", "3.3.2rc1"),
        ("strawberry-graphql", "0.341.1"),
        ("strawberry-graphql", "0.342.0"),
        ("strawberry-graphql", "0.400.0"),
    ]:
        (problem,) = unverified({**GOOD, name: version})
        specifier = VERIFIED[name][0]
        assert problem == (
            f"{name} {version} is installed; Spring is verified with {name}{specifier} only."
        )
        message = refusal({**GOOD, name: version})
        assert message is not None and message.startswith("Spring refuses to start: " + problem)
        assert "requirements.lock" in message
    (problem,) = unverified({**GOOD, "graphql-core": None})
    assert problem == "graphql-core is not installed (verified: graphql-core==3.3.2)."


def test_what_is_installed_here_is_verified() -> None:
    assert unverified() == []


def test_pyproject_ranges_are_the_verified_ones_and_ruff_is_pinned() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    dependencies = {re.split(r"[<>=!~\[]", d, maxsplit=1)[0]: d for d in project["dependencies"]}
    for name, (specifier, _, _) in VERIFIED.items():
        assert dependencies[name] == name + specifier
    test_extras = project["optional-dependencies"]["test"]
    (ruff,) = [d for d in test_extras if d.startswith("ruff")]
    assert re.fullmatch(r"ruff==\d+\.\d+\.\d+", ruff)


def _locked(path: Path) -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", path.read_text(), re.M)
    return {name.lower().replace("_", "-"): version for name, version in pins}


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-test.lock"])
def test_the_locks_pin_every_package_with_hashes_and_verified_versions(lock: str) -> None:
    text = (ROOT / lock).read_text()
    locked = _locked(ROOT / lock)
    requirements = [b for b in re.split(r"\n(?=[A-Za-z])", text) if re.match(r"[A-Za-z]", b)]
    assert requirements and all("--hash=sha256:" in block for block in requirements)
    assert unverified({name: locked.get(name) for name in VERIFIED}) == []
    service = _locked(ROOT / "requirements.lock")
    assert all(locked[name] == version for name, version in service.items())  # one version each
    if lock == "requirements-test.lock":
        assert {"pytest", "ruff", "websockets"} <= locked.keys()
        # What the test run installs is what is installed here (CI installs from this lock).
        for name, version in locked.items():
            try:
                installed = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                continue  # another platform's package (colorama on Windows)
            assert installed == version, name
    else:
        assert "pytest" not in locked and "ruff" not in locked


def test_an_install_puts_only_the_service_packages_into_site_packages() -> None:
    """bench/ and tests/ stay in the checkout; `schema` and `db` are installed under their own
    names (docs/deploy.md, "Installed names")."""
    top_level = importlib.metadata.distribution("spring-backoffice").read_text("top_level.txt")
    assert top_level is not None
    assert set(top_level.split()) == {
        "spring",
        "transport",
        "schema",
        "engine",
        "resolvers",
        "tenancy",
        "db",
        "subscriptions",
    }


def test_spring_refuses_to_start_on_an_unverified_graphql_core(tmp_path: Path) -> None:
    """graphql-core 3.3.1 (which pip would refuse, pyproject.toml pinning 3.3.2) installed
    anyway: `spring` names the problem instead of failing at import with a traceback. The
    fake distribution's metadata comes first on the path, as a real install would."""
    info = tmp_path / "graphql_core-3.3.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: graphql-core\nVersion: 3.3.1\n")
    spring = Path(sys.executable).with_name("spring")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    refused = subprocess.run(
        [str(spring), "schema"], env=env, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode == 3, refused.stderr
    assert refused.stdout == ""
    assert "graphql-core 3.3.1 is installed" in refused.stderr
    assert "graphql-core==3.3.2" in refused.stderr
    assert "Traceback" not in refused.stderr
    # The same command on the verified versions starts and prints the schema.
    started = subprocess.run([str(spring), "schema"], capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    assert "type Query" in started.stdout
