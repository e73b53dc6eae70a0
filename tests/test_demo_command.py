"""`spring demo` end to end: a real process, an embedded PostgreSQL, a real uvicorn."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.live import until_sync

DEMO_USERS = {
    "supervisor@alizes.demo": ("SUPERVISOR", "alizes"),
    "seller@alizes.demo": ("SELLER", "alizes"),
    "hotline@alizes.demo": ("HOTLINE", "alizes"),
    "technician@alizes.demo": ("TECHNICIAN", "alizes"),
    "service@alizes.demo": ("SERVICE", "alizes"),
    "supervisor@ocean.demo": ("SUPERVISOR", "ocean"),
    "admin@platform.demo": ("PLATFORM_ADMIN", None),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spring(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "spring.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_ready(base: str, process: subprocess.Popen[str], seconds: float = 180) -> None:
    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"spring demo exited early:\n{process.stdout.read()}")
        try:
            return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    until_sync(ready, "spring demo to be ready", seconds, interval=0.5)


@pytest.mark.slow
def test_spring_demo_serves_graphql_and_every_demo_user_logs_in(tmp_path: Path) -> None:
    port = _free_port()
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SPRING_ENV")}
    base = f"http://127.0.0.1:{port}"
    process = _spring("demo", "--data-dir", str(data_dir), "--port", str(port), env=env)
    try:
        _wait_ready(base, process)
        page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        for email, (role, tenant) in DEMO_USERS.items():
            login = httpx.post(
                f"{base}/graphql",
                json={
                    "query": "mutation($e: String!) { login(input: {email: $e, password: "
                    '"spring-demo"}) { token userErrors { code } } }',
                    "variables": {"e": email},
                },
            ).json()["data"]["login"]
            assert login["userErrors"] == [], email
            me = httpx.post(
                f"{base}/graphql",
                json={"query": "{ me { email role tenant { slug } } }"},
                headers={"Authorization": f"Bearer {login['token']}"},
            ).json()
            assert me["data"]["me"] == {
                "email": email,
                "role": role,
                "tenant": {"slug": tenant} if tenant else None,
            }, me
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    # The embedded server stopped with the command.
    assert not (data_dir / "pgdata" / "postmaster.pid").exists(), output

    # A second run reuses the folder and its data.
    again = _spring("seed", "--demo", "--data-dir", str(data_dir), env=env)
    output, _ = again.communicate(timeout=120)
    assert again.returncode == 0, output
    assert "already present" in output
