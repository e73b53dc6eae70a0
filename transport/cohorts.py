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
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import json
import logging
import math
import time
from typing import TYPE_CHECKING, Any, NamedTuple

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    NonNullTypeNode,
    NullValueNode,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    parse,
    visit,
)
from graphql.language import Visitor
from starlette.websockets import WebSocket
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.utils.aio import aclosing

from schema.context import Context
from schema.live.subscriptions import CLOSE_TOKEN_EXPIRED, CLOSE_TOO_SLOW, still_allowed
from tenancy import policy
from tenancy.policy import effective_role

if TYPE_CHECKING:
    from strawberry.schema import BaseSchema

log = logging.getLogger("spring.live.cohorts")

#: The account check failed unexpectedly (the server's fault, not the subscriber's).
CLOSE_INTERNAL_ERROR = 1011
#: Messages a member may have waiting for its socket before it is closed as too slow.
MEMBER_QUEUE = 100
#: Members written to before the cohort's task lets other tasks run (a wall of 1,000 screens
#: would otherwise hold the event loop for the whole dispatch of each event).
DISPATCH_SLICE = 50
#: Payloads a family keeps for the cohorts that have not reached the row yet.
FAMILY_RESULTS = 1024
#: Longest a single socket write may take before the member is closed as too slow.
WRITE_TIMEOUT_S = 5.0
#: An authentication time later than any revocation: the cohort's own context never closes
#: itself for its first member's account (each member is checked before its own writes).
#: Names of the fields whose reader depends on the row's owner (conservatively matched in
#: the document's text).
_OWNER_FIELD_NAMES = frozenset(field.partition(".")[2] for field in policy.OWN_FIELDS)
#: Subscriptions whose events are the subscriber's own (their notifications): never shared
#: between accounts, whatever their role.
_PER_USER_NAMES = _OWNER_FIELD_NAMES | frozenset({"notificationReceived"})
_NEVER_REVOKED = dt.datetime.max.replace(tzinfo=dt.UTC)
_EXPIRED = "token expired: log in again and resume with `after`"


class CohortKey(NamedTuple):
    query: str
    variables: str
    operation_name: str | None
    role: str
    tenant_id: Any
    #: Cohorts differing only by their `filter` variable: the same key without it.
    family: CohortKey | None = None


class _AfterFinder(Visitor):
    """Whether an `after` argument may carry a value (then the subscription replays)."""

    def __init__(self, variables: dict[str, Any], defaults: dict[str, Any]) -> None:
        super().__init__()
        self.variables = variables
        self.defaults = defaults
        self.found = False

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        if node.name.value != "after" or isinstance(node.value, NullValueNode):
            return
        if isinstance(node.value, VariableNode):
            name = node.value.name.value
            if self.variables.get(name) is None and self.defaults.get(name) is None:
                return
        self.found = True


def _eligible(
    query: str, operation_name: str | None, variables: dict[str, Any] | None
) -> OperationDefinitionNode | None:
    """The operation to run, if it is a subscription whose `after` arguments are all null."""
    try:
        document: DocumentNode = parse(query)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation is not OperationType.SUBSCRIPTION:
        return None
    defaults = {
        d.variable.name.value: d.default_value
        for d in operations[0].variable_definitions or ()
        if d.default_value is not None and not isinstance(d.default_value, NullValueNode)
    }
    finder = _AfterFinder(variables or {}, defaults)
    visit(document, finder)
    return None if finder.found else operations[0]


class _VariableUses(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.uses: dict[str, int] = {}

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.uses[node.name.value] = self.uses.get(node.name.value, 0) + 1


#: Root fields whose `filter` only decides which rows a subscriber receives, never what a
#: row's payload is: cohorts that differ only by it share each row's execution.
SHARED_FILTER_FIELDS = frozenset({"transactionRecorded", "terminalEventRecorded"})


def filter_variable(operation: OperationDefinitionNode) -> str | None:
    """The variable that is the subscription's `filter` and nothing else (so cohorts that
    differ only by it receive the same payload for a row they both receive), or None."""
    selections = operation.selection_set.selections
    if len(selections) != 1 or not isinstance(selections[0], FieldNode):
        return None
    field = selections[0]
    if field.name.value not in SHARED_FILTER_FIELDS:
        return None
    values = [a.value for a in field.arguments or () if a.name.value == "filter"]
    if len(values) != 1 or not isinstance(values[0], VariableNode):
        return None
    name = values[0].name.value
    definitions = [d for d in operation.variable_definitions or () if d.variable.name.value == name]
    if len(definitions) != 1 or isinstance(definitions[0].type, NonNullTypeNode):
        return None
    uses = _VariableUses()
    visit(operation.selection_set, uses)
    return name if uses.uses.get(name) == 1 else None


async def _never(*_: Any) -> Any:
    await asyncio.Future()


class Member:
    """One subscriber (a connection handler and its operation id) of a cohort.

    No task and no queue of its own: the cohort's task writes each event's frame to every
    member in turn. A write that completes at once (the socket keeps up: the usual case) costs
    no task switch; a write that has to wait (the socket is behind) continues in a task of its
    own, and the frames that come meanwhile wait in a bounded backlog, written in order when the
    socket drains (asyncio's transport buffers them together). A member whose backlog fills up,
    or whose write takes longer than WRITE_TIMEOUT_S, is closed as too slow with its cursor.
    """

    __slots__ = (
        "backlog",
        "busy",
        "cohort",
        "context",
        "cursor",
        "deadline",
        "final",
        "gone",
        "handler",
        "op_id",
        "prefix",
        "sent",
        "socket",
    )

    def __init__(self, cohort: Cohort, handler: Any, op_id: str) -> None:
        self.cohort = cohort
        self.handler = handler
        self.op_id = op_id
        self.context: Context = handler.context
        self.socket: Any = handler.websocket.ws
        #: The constant part of this member's `next` messages.
        self.prefix = '{"type":"next","id":' + json.dumps(op_id) + ',"payload":'
        expires = self.context.token_expires_at
        #: When the member's token expires (epoch seconds): checked against each event's time.
        self.deadline = expires.timestamp() if expires is not None else math.inf
        #: (payload, its cursor) waiting while a write or an account check is in progress.
        self.backlog: list[tuple[str, str | None]] = []
        #: The task finishing a write that had to wait, or checking the account; None: idle.
        self.busy: asyncio.Task[None] | None = None
        #: After the last payload: a message to send (complete, error) or a close code+reason.
        self.final: dict[str, Any] | tuple[int, str] | None = None
        #: The cursor of the last event written: where to resume if closed as too slow.
        self.cursor: str | None = None
        self.sent = 0
        self.gone = False

    # ------------------------------------------------------------------ per event

    def deliver(self, payload_json: str, cursor: str | None, now: float, check: bool) -> None:
        """Write one event's payload (or queue it behind a write in progress).

        `now`: the event's time (epoch seconds); `check`: the broker knows of revocations
        (or lost its LISTEN for a while), so the account may have to be looked up again.
        """
        if self.gone:
            return
        if self.busy is not None:
            if len(self.backlog) >= MEMBER_QUEUE:
                self._close_soon(CLOSE_TOO_SLOW, self._too_slow())
                return
            self.backlog.append((payload_json, cursor))
            return
        if now >= self.deadline:
            self._close_soon(CLOSE_TOKEN_EXPIRED, _EXPIRED)
            return
        if check and self._must_recheck():
            self.backlog.append((payload_json, cursor))
            self.busy = self.cohort.registry.spawn(self._recheck_then_drain())
            return
        self._write_now(payload_json, cursor)

    def _must_recheck(self) -> bool:
        context = self.context
        live = context.live
        if live.recheck_before is not None and context.authenticated_at < live.recheck_before:
            return True
        return bool(live.is_revoked(context.principal.user_id, context.authenticated_at))

    def _write_now(self, payload_json: str, cursor: str | None) -> None:
        registry = self.cohort.registry
        coroutine = self.socket.send_text(self.prefix + payload_json + "}")
        try:
            waiting = coroutine.send(None)
        except StopIteration:
            self.sent += 1
            registry.writes += 1
            if cursor:
                self.cursor = cursor
            return
        except Exception:  # disconnected: the handler's shutdown removes us too
            self._gone()
            return
        # The socket is behind: finish this write in a task; later frames wait their turn.
        registry.deferred += 1
        self.busy = registry.spawn(self._finish_then_drain(coroutine, waiting, cursor))

    # ------------------------------------------------------------------ behind

    async def _finish_then_drain(self, coroutine: Any, waiting: Any, cursor: str | None) -> None:
        try:
            async with asyncio.timeout(WRITE_TIMEOUT_S):
                await _resume(coroutine, waiting)
        except TimeoutError:
            await self.close(CLOSE_TOO_SLOW, self._too_slow())
            return
        except Exception:
            self._gone()
            return
        self.sent += 1
        self.cohort.registry.writes += 1
        if cursor:
            self.cursor = cursor
        await self._drain()

    async def _recheck_then_drain(self) -> None:
        try:
            stop = await still_allowed(self.context)
        except Exception:
            log.exception("account check failed; closing the subscriber")
            resume = f" after={self.cursor}" if self.cursor else ""
            stop = (
                CLOSE_INTERNAL_ERROR,
                "internal error: reconnect and resume with `after`" + resume,
            )
        finally:
            with contextlib.suppress(Exception):
                await self.context.finish(commit=True)  # the account look-up's transaction
        if stop is not None:
            await self.close(*stop)
            return
        await self._drain()

    async def _drain(self) -> None:
        """Write the backlog in order (the socket may be behind), then the final message."""
        registry = self.cohort.registry
        while self.backlog and not self.gone:
            if time.time() >= self.deadline:
                await self.close(CLOSE_TOKEN_EXPIRED, _EXPIRED)
                return
            frames, self.backlog = self.backlog, []
            for payload_json, cursor in frames:
                try:
                    async with asyncio.timeout(WRITE_TIMEOUT_S):
                        await self.socket.send_text(self.prefix + payload_json + "}")
                except TimeoutError:
                    await self.close(CLOSE_TOO_SLOW, self._too_slow())
                    return
                except Exception:
                    self._gone()
                    return
                self.sent += 1
                registry.writes += 1
                if cursor:
                    self.cursor = cursor
        self.busy = None
        if self.final is not None and not self.gone:
            await self._send_final()

    # ------------------------------------------------------------------ ending

    def finish(self, final: dict[str, Any] | tuple[int, str]) -> None:
        """Write what is waiting, then send this message or close with this code+reason."""
        self.final = final
        if self.busy is None and not self.gone:
            self.busy = self.cohort.registry.spawn(self._send_final())

    async def _send_final(self) -> None:
        final, self.final = self.final, None
        if isinstance(final, dict):
            await self.send_json(final)
        elif final is not None:
            await self.close(*final)

    def _too_slow(self) -> str:
        resume = f" after={self.cursor}" if self.cursor else ""
        return "subscriber too slow: resume with `after`" + resume

    def _close_soon(self, code: int, reason: str) -> None:
        self._gone()
        self.cohort.registry.spawn(self._close_socket(code, reason))

    def _gone(self) -> None:
        """Stop writing to this member and leave the cohort (idempotent)."""
        if not self.gone:
            self.gone = True
            self.backlog = []
            self.cohort.remove(self)

    async def send_json(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(Exception):
            await self.handler.websocket.send_json(message)

    async def close(self, code: int, reason: str) -> None:
        self._gone()
        await self._close_socket(code, reason)

    async def _close_socket(self, code: int, reason: str) -> None:
        with contextlib.suppress(Exception):
            await self.handler.websocket.close(code=code, reason=reason[:123])


async def _resume(coroutine: Any, waiting: Any) -> Any:
    """Run a coroutine to its end that was started by hand (`coroutine.send(None)`) and is
    waiting for `waiting` (what it yielded): as an asyncio Task would have driven it."""
    while True:
        try:
            if waiting is None:
                await asyncio.sleep(0)
            else:
                waiting._asyncio_future_blocking = False
                await asyncio.wait((waiting,))
        except BaseException as exc:  # cancelled (or timed out) while it waited
            if waiting is not None:
                waiting.cancel()
            try:
                waiting = coroutine.throw(exc)
            except StopIteration as stop:
                return stop.value
            continue
        try:
            waiting = coroutine.send(None)
        except StopIteration as stop:
            return stop.value


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
        principal = getattr(context, "principal", None)
        if (
            principal is None
            or principal.is_platform
            or principal.tenant_id is None
            or context.context_error is not None
            or context.live is None
        ):
            return None
        payload = message.get("payload") or {}
        query = payload.get("query")
        variables = payload.get("variables")
        operation_name = payload.get("operationName")
        if not isinstance(query, str) or not (variables is None or isinstance(variables, dict)):
            return None
        operation = _eligible(query, operation_name, variables)
        if operation is None:
            return None
        try:
            canonical = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))
        except (TypeError, ValueError):
            return None
        role = effective_role(principal).value
        if any(name in query for name in _PER_USER_NAMES):
            # A field its own account reads (policy.OWN_FIELDS): the payload depends on who
            # asks, not only on the role, so members share only their own executions.
            role = f"{role}:{principal.user_id}"
        family = None
        name = filter_variable(operation) if self.share_filters else None
        if name is not None:
            rest = {k: v for k, v in (variables or {}).items() if k != name}
            others = json.dumps(rest, sort_keys=True, separators=(",", ":"))
            family = CohortKey(query, others, operation_name, role, principal.tenant_id)
        return CohortKey(query, canonical, operation_name, role, principal.tenant_id, family)

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
