"""Cohorts: live subscribers that share one execution and one serialized message per event.

Subscribers with the same document, variables, operation name, role and tenant would each
run the same execution and serialize the same JSON for every event. A cohort runs the
subscription once, with a context built for its first member's principal, serializes each
result once, and writes the frame to every member from its own task: no task or queue per
member; a member whose socket is behind gets a task until it catches up, and is closed as
too slow (with its cursor) rather than delaying anyone else.

Per member, before every write, the token's expiry is compared with the event's time; the
account is looked up again (`still_allowed`) only when the broker has heard of a revocation
(or lost its LISTEN for a while). Only live subscriptions of tenant staff without `after`
join cohorts; replays keep the per-subscriber path (each has its own position).

Cohorts whose keys differ only by the `filter` variable of `transactionRecorded` or
`terminalEventRecorded` form a family (`Family`): each cohort still runs its own stream (so
its filter is validated, and its errors reported, exactly as before), but a row is executed
by the first cohort of the family that reaches it; the others write that payload to their
members. The payload of a row depends on the document, the role and the tenant (all in the
key), never on the filter, which only decides whether the row is delivered.

Beside it: cohort_keys.py decides which cohort a subscribe message may join (its key, its
family); members.py holds `Member`, one subscriber's writes, backlog, checks and close.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import json
import logging
import time
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError
from starlette.websockets import WebSocket
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.utils.aio import aclosing

from schema.context import Context
from transport.cohort_keys import CohortKey, cohort_key
from transport.members import Member

if TYPE_CHECKING:
    from strawberry.schema import BaseSchema

log = logging.getLogger("spring.live.cohorts")

#: Members written to before the cohort's task lets other tasks run (a wall of 1,000 screens
#: would otherwise hold the event loop for the whole dispatch of each event).
DISPATCH_SLICE = 50
#: Payloads a family keeps for the cohorts that have not reached the row yet.
FAMILY_RESULTS = 1024
#: An authentication time later than any revocation: the cohort's own context never closes
#: itself for its first member's account (each member is checked before its own writes).
_NEVER_REVOKED = dt.datetime.max.replace(tzinfo=dt.UTC)


async def _never(*_: Any) -> Any:
    await asyncio.Future()


class Cohort:
    def __init__(self, registry: CohortRegistry, key: CohortKey, first: Any, message: Any) -> None:
        self.registry = registry
        self.key = key
        self.members: dict[tuple[int, str], Member] = {}
        self.stopped = False
        payload = message["payload"]
        self.query: str = payload["query"]
        self.variables: dict[str, Any] | None = payload.get("variables")
        self.operation_name: str | None = payload.get("operationName")
        template: Context = first.context
        socket = template.request
        self.context = Context(
            # The first member's handshake (headers: the language), on a socket nothing
            # writes to: the cohort writes frames to its members itself.
            request=WebSocket(dict(socket.scope), _never, _never),
            response=None,
            db=template.db,
            auth=template.auth,
            request_id=template.request_id,
            live=template.live,
            close_connection=self._resolver_closed,
        )
        self.context.principal = template.principal
        self.context.token_expires_at = None
        self.context.authenticated_at = _NEVER_REVOKED
        self.task: asyncio.Task[None] | None = None
        #: Shared executions with the other cohorts of its family (the subscription resolver
        #: finds it on its context), or None.
        self.share: Share | None = None
        if key.family is not None:
            self.share = Share(self, registry.family(key.family))
            self.context.live_share = self.share

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name="cohort")

    def add(self, handler: Any, op_id: str) -> Member:
        member = Member(self, handler, op_id)
        self.members[(id(handler), op_id)] = member
        handler.cohort_members[op_id] = member
        return member

    def remove(self, member: Member) -> None:
        if self.members.pop((id(member.handler), member.op_id), None) is None:
            return
        member.handler.cohort_members.pop(member.op_id, None)
        member.gone = True
        busy = member.busy
        current = asyncio.current_task()
        if busy is not None and current is not busy:
            busy.cancel()
        if not self.members:
            self.stop()
            if self.task is not None and current is self.task:
                # Dropped by the cohort's own task (a write failed while dispatching): stop
                # the stream at its next await, rather than run it for nobody.
                self.task.cancel()

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        if self.share is not None:
            self.share.close()
        if self.registry.cohorts.get(self.key) is self:
            del self.registry.cohorts[self.key]
        if self.task is not None and asyncio.current_task() is not self.task:
            self.task.cancel()

    async def _resolver_closed(self, code: int, reason: str) -> None:
        """`Context.close_connection` of the cohort's context: the subscription closed the
        cohort's connection (feed closed: too slow, server shutting down): close every member
        alike, after what it still has to write."""
        self._detach_all((code, reason))
        if self.task is not None:
            self.task.cancel()  # the resolver now waits to be cancelled

    async def _run(self) -> None:
        try:
            stream = await self.registry.schema.stream(
                self.query,
                variable_values=self.variables,
                context_value=self.context,
                root_value=None,
                operation_name=self.operation_name,
            )
            first = True
            async with aclosing(stream):
                async for result in stream:
                    if first and isinstance(result, PreExecutionError):
                        await self._finish("error", [e.formatted for e in (result.errors or [])])
                        return
                    first = False
                    if not isinstance(result, ExecutionResult):
                        error = GraphQLError("Incremental delivery is not supported")
                        await self._finish("error", [error.formatted])
                        return
                    self.registry.executions += 1
                    payload: dict[str, Any] = {"data": result.data}
                    if result.errors:
                        payload["errors"] = [e.formatted for e in result.errors]
                    if result.extensions:
                        payload["extensions"] = result.extensions
                    payload_json = json.dumps(payload)
                    cursor = _cursor_of(result.data)
                    if self.share is not None:
                        self.share.executed(payload_json)
                    await self.dispatch(payload_json, cursor)
            await self._finish("complete", None)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("cohort stream failed")
            await self._finish("complete", None)
        finally:
            if self.share is not None:
                self.share.close()
            with contextlib.suppress(Exception):
                await self.context.finish(commit=True)

    async def dispatch(self, payload_json: str, cursor: str | None) -> None:
        """Write one event's payload to every member (in slices: others may run between)."""
        live = self.context.live
        check = live.recheck_before is not None or bool(live.revoked)
        now = time.time()
        members = list(self.members.values())
        for start in range(0, len(members), DISPATCH_SLICE):
            if start:
                # Let other work (an ingest request's round trips) in between.
                await asyncio.sleep(0)
            for member in members[start : start + DISPATCH_SLICE]:
                member.deliver(payload_json, cursor, now, check)

    async def _finish(self, kind: str, payload: Any) -> None:
        """The stream ended: say so to each member (after what it still has to write)."""
        for member in list(self.members.values()):
            message: dict[str, Any] = {"id": member.op_id, "type": kind}
            if payload is not None:
                message["payload"] = payload
            member.final = message
        self._detach_all(None)

    def _detach_all(self, close: tuple[int, str] | None) -> None:
        members = list(self.members.values())
        self.stop()
        for member in members:
            self.members.pop((id(member.handler), member.op_id), None)
            member.handler.cohort_members.pop(member.op_id, None)
            member.finish(close or member.final or {"id": member.op_id, "type": "complete"})


class Family:
    """Cohorts that differ only by their `filter` variable (same document otherwise, same
    role and tenant): a row's payload does not depend on the filter, only whether the row is
    delivered does. The first cohort whose feed reaches a row executes it; the others wait
    for that payload and write it to their members instead of executing the row again."""

    def __init__(self, registry: CohortRegistry, key: CohortKey) -> None:
        self.registry = registry
        self.key = key
        self.cohorts = 0
        #: Row cursor → its payload (a future while the executing cohort is at it).
        self.results: collections.OrderedDict[str, str | asyncio.Future[str]] = (
            collections.OrderedDict()
        )


class Share:
    """A cohort's side of its family (what the subscription resolver calls, per row)."""

    def __init__(self, cohort: Cohort, family: Family) -> None:
        self.cohort = cohort
        self.family = family
        family.cohorts += 1
        #: The row this cohort is executing for its family: its cursor and the future the
        #: other cohorts wait on.
        self.pending: tuple[str, asyncio.Future[str]] | None = None
        self.closed = False

    async def delivered(self, row_cursor: str) -> bool:
        """True: another cohort of the family executed this row, and its payload was written
        to this cohort's members. False: execute it (the family then reuses the result)."""
        results = self.family.results
        entry = results.get(row_cursor)
        if entry is None:
            future = asyncio.get_running_loop().create_future()
            results[row_cursor] = future
            if len(results) > FAMILY_RESULTS:
                results.popitem(last=False)
            self.pending = (row_cursor, future)
            return False
        if isinstance(entry, str):
            payload_json = entry
        else:
            if not entry.done():
                try:
                    await asyncio.shield(entry)
                except asyncio.CancelledError:
                    if not entry.cancelled():
                        raise  # this cohort is being stopped
            if entry.cancelled() or entry.exception() is not None:
                return False  # the executing cohort stopped before its result: execute it here
            payload_json = entry.result()
        self.family.registry.shared += 1
        await self.cohort.dispatch(payload_json, row_cursor)
        return True

    def executed(self, payload_json: str) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        row_cursor, future = pending
        if not future.done():
            future.set_result(payload_json)
        results = self.family.results
        if results.get(row_cursor) is future:
            # Kept as the plain string: no future (a GC-tracked object) per row kept.
            results[row_cursor] = payload_json

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        pending, self.pending = self.pending, None
        if pending is not None and not pending[1].done():
            pending[1].cancel()  # whoever waits for it executes the row itself
        family = self.family
        family.cohorts -= 1
        registry = family.registry
        if family.cohorts <= 0 and registry.families.get(family.key) is family:
            del registry.families[family.key]


def _cursor_of(data: Any) -> str | None:
    """The `cursor` of the (single) root field's value, if the document selected it."""
    if isinstance(data, dict) and len(data) == 1:
        value = next(iter(data.values()))
        if isinstance(value, dict) and isinstance(value.get("cursor"), str):
            return value["cursor"]
    return None


class CohortRegistry:
    """The cohorts of one app (one process)."""

    def __init__(self, schema: BaseSchema, *, share_filters: bool = True) -> None:
        self.schema = schema
        self.cohorts: dict[CohortKey, Cohort] = {}
        #: Whether cohorts differing only by their `filter` share each row's execution.
        self.share_filters = share_filters
        self.families: dict[CohortKey, Family] = {}
        #: Rows written from another cohort's execution (no execution of their own).
        self.shared = 0
        #: Executions run (each serialized once) by cohorts: one per event and cohort.
        self.executions = 0
        #: Frames written to members; writes that had to wait for a socket behind.
        self.writes = 0
        self.deferred = 0
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def family(self, key: CohortKey) -> Family:
        family = self.families.get(key)
        if family is None:
            family = self.families[key] = Family(self, key)
        return family

    def key_for(self, context: Any, message: Any) -> CohortKey | None:
        """The cohort this subscribe message may join, or None (per-subscriber path)."""
        return cohort_key(context, message, share_filters=self.share_filters)

    def join(self, key: CohortKey, handler: Any, message: Any) -> Member:
        cohort = self.cohorts.get(key)
        if cohort is None or cohort.stopped:
            cohort = Cohort(self, key, handler, message)
            self.cohorts[key] = cohort
            member = cohort.add(handler, message["id"])
            cohort.start()
            return member
        return cohort.add(handler, message["id"])

    def leave(self, handler: Any, op_id: str) -> bool:
        member = handler.cohort_members.get(op_id)
        if member is None:
            return False
        member.cohort.remove(member)
        return True
