"""Several `spring serve` processes on one database share live traffic (DESIGN §8).

Two real processes, as a load balancer would run them: a supervisor subscribed on the first
receives the transactions recorded through the second, with no sticky session and nothing
shared between them but PostgreSQL (its NOTIFY carries the signal, its tables the rows).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, add_user, make_tenant_graph
from tests.live import Subscription, free_port, login, post, served_subscriptions, until

RECORD = """
mutation($i: RecordTransactionsInput!) { recordTransactions(input: $i) {
  created userErrors { field code message } } }
"""
SUBSCRIBE = """
subscription { transactionRecorded { cursor transaction { externalId amount status
  terminal { tid } } } }
"""


def _transaction(tid: str, amount: int) -> dict[str, object]:
    # Letters only after the prefix: a long digit run could pass for a card number.
    letters = uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))
    return {
        "externalId": f"inst-{letters}",
        "tid": tid,
        "type": "PURCHASE",
        "amount": amount,
        "currency": "EUR",
        "scheme": "CB",
        "entryMode": "CONTACTLESS",
        "status": "APPROVED",
        "responseCode": "00",
        "authorizationCode": "A1B2C3",
        "maskedPan": "497010******1234",
        "occurredAt": dt.datetime.now(dt.UTC).isoformat(),
    }


class Instance:
    """One `spring serve` subprocess on a free loopback port; its output goes to a file."""

    def __init__(self, owner_url: str, workdir: Path, name: str) -> None:
        self.port = free_port()
        self.base = f"127.0.0.1:{self.port}"
        self.log = workdir / f"{name}.log"
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("SPRING_") and k not in ("DATABASE_URL", "PORT")
        }
        env.update(
            DATABASE_URL=owner_url,  # not migrated by serve; the application role derives
            SPRING_SECRET_KEY=TEST_SECRET,  # the same key: a token works on either
            SPRING_ENV="development",
            # An hour: what arrives within a test's patience was pushed by NOTIFY, not found
            # by the safety-net poll (no timing to assert).
            SPRING_LIVE_POLL_INTERVAL_S="3600",
        )
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "spring.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                env=env,
                cwd=workdir,  # no stray .env
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    async def wait_ready(self, seconds: float = 60) -> dict[str, object]:
        async with httpx.AsyncClient(timeout=2) as http:

            async def ready() -> dict[str, object] | None:
                if self.process.poll() is not None:
                    raise AssertionError(f"spring serve exited early:\n{self.output()}")
                with contextlib.suppress(httpx.HTTPError):
                    response = await http.get(f"http://{self.base}/readyz")
                    if response.status_code == 200:
                        return response.json()
                return None

            return await until(ready, f"spring serve on {self.base} to be ready", seconds, 0.2)

    async def holding(self, feed: str = "transactions") -> None:
        """Wait until this instance holds a live subscription of `feed` (its /metrics)."""
        await until(
            lambda: served_subscriptions(self.base, feed),
            f"{self.base} to hold a subscription of {feed}",
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@contextlib.contextmanager
def _workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="spring-instances-") as folder:
        yield Path(folder)


@contextlib.asynccontextmanager
async def instances(owner_url: str, count: int) -> AsyncIterator[list[Instance]]:
    with _workdir() as workdir:
        started: list[Instance] = []
        try:
            for i in range(count):
                started.append(Instance(owner_url, workdir, f"instance-{i + 1}"))
            yield started
        finally:
            for instance in started:
                instance.stop()


@pytest.mark.slow
async def test_a_subscriber_on_one_instance_receives_what_another_records(
    owner_url: str, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    supervisor = await add_user(owner_engine, graph, "SUPERVISOR")
    service = await add_user(owner_engine, graph, "SERVICE")
    async with owner_engine.connect() as conn:
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )

    async with instances(owner_url, 2) as (first, second):
        for instance in (first, second):
            ready = await instance.wait_ready()
            checks = ready["checks"]
            assert isinstance(checks, dict), ready
            assert checks["database"] == checks["migrations"] == checks["listen"] == "ok", ready

        # A token from one instance is accepted by the other (same secret, no session state).
        watcher = await login(first.base, supervisor, PASSWORD)
        feeder = await login(second.base, service, PASSWORD)
        async with Subscription.open(first.base, watcher, SUBSCRIBE) as sub:
            await first.holding()
            # Recorded through the second: the batch arrives on the first whole, in order.
            # Its feed polls once an hour: it arrived because the NOTIFY woke it.
            batch = [_transaction(tid, 1000 + i) for i in range(5)]
            body = await post(second.base, feeder, RECORD, {"i": {"transactions": batch}})
            assert body["data"]["recordTransactions"]["created"] == 5, body
            received = await sub.take(5)
            got = [e["data"]["transactionRecorded"]["transaction"] for e in received]
            assert [t["externalId"] for t in got] == [t["externalId"] for t in batch]
            assert [t["amount"] for t in got] == [1000, 1001, 1002, 1003, 1004]
            assert {t["terminal"]["tid"] for t in got} == {tid}

        # And the other way round: recorded through the first, seen on the second.
        watcher2 = await login(second.base, supervisor, PASSWORD)
        async with Subscription.open(second.base, watcher2, SUBSCRIBE) as sub:
            await second.holding()
            tx = _transaction(tid, 4242)
            await post(first.base, feeder, RECORD, {"i": {"transactions": [tx]}})
            # The batch above, committed before this feed started, may come first.
            payload = await sub.first(
                lambda p: (
                    p["data"]["transactionRecorded"]["transaction"]["externalId"]
                    == tx["externalId"]
                ),
                "the transaction recorded through the first instance",
            )
            assert payload["data"]["transactionRecorded"]["transaction"]["amount"] == 4242

        for instance in (first, second):
            async with httpx.AsyncClient() as http:
                assert (await http.get(f"http://{instance.base}/healthz")).status_code == 200
    for instance in (first, second):
        assert instance.process.poll() is not None, "an instance is still running"
        assert instance.process.returncode == 0, instance.output()[-3000:]
