"""What every benchmark shares: results, percentiles, queries, the ingest client."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.client import Http, graphql_body, graphql_headers
from bench.env import TerminalRef
from bench.server import gid


@dataclass
class Result:
    id: str
    what: str
    baseline: str
    figure: str
    goal: str
    met: bool | None
    details: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return {True: "met", False: "MISSED", None: "n/a"}[self.met]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# 15 fields: 12 on the transaction, and terminal.tid, shop.name, company.legalName.
PAGE_FIELDS = """
id externalId type amount currency scheme entryMode status occurredAt maskedPan
authorizationCode responseCode terminal { tid shop { name company { legalName } } }
"""
PAGE_QUERY = (
    "query($n: Int!, $f: TransactionFilter) { transactions(first: $n, filter: $f) {"
    " edges { node {" + PAGE_FIELDS + "} } } }"
)
# 8 fields of one terminal.
NODE_QUERY = """
query($id: ID!) { node(id: $id) { ... on Terminal {
  id tid kind model serialNumber status firmwareVersion lastSeenAt } } }
"""
SUBSCRIPTION = """
subscription($f: TransactionFilter) { transactionRecorded(filter: $f) {
  cursor transaction { id amount status } } }
"""
RECORD = """
mutation($i: RecordTransactionsInput!) { recordTransactions(input: $i) {
  created transactions { id } userErrors { field code message } } }
"""


async def timed_request(http: Http, method: str, path: str, body: bytes, headers: dict[str, str]):
    started = time.perf_counter()
    status, payload = await http.request(method, path, body, headers)
    return time.perf_counter() - started, status, payload


def graphql_call(query: str, variables: dict[str, Any], token: str) -> tuple[bytes, dict[str, str]]:
    return graphql_body(query, variables), graphql_headers(token)


# ------------------------------------------------------------------------------ ingestion

_LETTERS = str.maketrans("0123456789", "ghijklmnop")


@dataclass
class Sent:
    """A recorded transaction: where it went, when its batch was sent and answered."""

    gid: str
    tenant: str
    company_id: uuid.UUID
    shop_id: uuid.UUID
    sent: float
    answered: float


class Ingester:
    """Records transactions through `recordTransactions` as each tenant's SERVICE account."""

    def __init__(self, port: int, tokens: dict[str, str], terminals: dict[str, list[TerminalRef]]):
        self.port = port
        self.tokens = tokens
        self.terminals = terminals
        self.tag = uuid.uuid4().hex[:8].translate(_LETTERS)
        self.counter = itertools.count()
        self.sent: list[Sent] = []
        self.errors: list[str] = []
        self.requests = 0

    def batch(self, tenant: str, size: int) -> tuple[list[dict[str, Any]], list[TerminalRef]]:
        now = dt.datetime.now(dt.UTC).isoformat()
        terminals = self.terminals[tenant]
        items, refs = [], []
        for _ in range(size):
            n = next(self.counter)
            ref = terminals[n % len(terminals)]
            refs.append(ref)
            items.append(
                {
                    "externalId": f"bench-{self.tag}-{n}",
                    "tid": ref.tid,
                    "type": "PURCHASE",
                    "amount": 100 + n % 5000,
                    "currency": "EUR",
                    "scheme": "CB",
                    "entryMode": "CONTACTLESS",
                    "status": "APPROVED",
                    "responseCode": "00",
                    "authorizationCode": "A1B2C3",
                    "maskedPan": "497010******1234",
                    "occurredAt": now,
                }
            )
        return items, refs

    async def record(self, http: Http, tenant: str, size: int) -> int:
        items, refs = self.batch(tenant, size)
        body, headers = graphql_call(RECORD, {"i": {"transactions": items}}, self.tokens[tenant])
        sent = time.monotonic()
        status, raw = await http.request("POST", "/graphql", body, headers)
        answered = time.monotonic()
        self.requests += 1
        if status != 200:
            self.errors.append(f"HTTP {status}")
            return 0
        payload = json.loads(raw)
        result = (payload.get("data") or {}).get("recordTransactions")
        if not result or result["userErrors"] or payload.get("errors"):
            self.errors.append(str(payload)[:300])
            return 0
        for item, ref in zip(result["transactions"], refs, strict=True):
            self.sent.append(Sent(item["id"], tenant, ref.company_id, ref.shop_id, sent, answered))
        return len(items)


async def paced(
    count: int,
    interval: float,
    action: Callable[[Http, int], Awaitable[Any]],
    port: int,
    *,
    in_flight: int = 16,
) -> tuple[float, int]:
    """Call `action(http, i)` `count` times, one every `interval` seconds (open loop), at most
    `in_flight` at once on as many keep-alive connections. Returns (seconds, late starts)."""
    connections: asyncio.Queue[Http] = asyncio.Queue()
    for _ in range(in_flight):
        connections.put_nowait(await Http(port).open())
    late = 0
    tasks = []

    async def one(i: int, http: Http) -> None:
        try:
            await action(http, i)
        finally:
            connections.put_nowait(http)

    started = time.monotonic()
    for i in range(count):
        delay = started + i * interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -interval:
            late += 1
        http = await connections.get()
        tasks.append(asyncio.create_task(one(i, http)))
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - started
    while not connections.empty():
        await connections.get_nowait().close()
    return elapsed, late


def global_id(type_name: str, value: uuid.UUID) -> str:
    return gid(type_name, value)
