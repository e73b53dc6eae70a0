"""Cohorts: live subscribers that share one execution and one serialized message per event.

Subscribers with the same document, variables, operation name, role and tenant would each
run the same execution and serialize the same JSON for every event. A cohort runs the
subscription once, with a context built for its first member's principal, serializes each
result once, and only writes the socket per member (one bounded queue and one writer task
per member, so a slow socket delays nobody else: it is closed as too slow instead).

Per member, before every write, the token expiry and the account are checked as the
per-subscriber path does (`still_allowed`). Only live subscriptions of tenant staff without
`after` join cohorts; replays keep the per-subscriber path (each has its own position).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
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
from schema.live.subscriptions import CLOSE_TOO_SLOW, still_allowed
from tenancy.policy import effective_role

if TYPE_CHECKING:
    from strawberry.schema import BaseSchema

log = logging.getLogger("spring.live.cohorts")

#: Messages a member may have waiting for its socket before it is closed as too slow.
MEMBER_QUEUE = 100
#: Longest a single socket write may take before the member is closed as too slow.
WRITE_TIMEOUT_S = 5.0
#: An authentication time later than any revocation: the cohort's own context never closes
#: itself for its first member's account (each member is checked before its own writes).
_NEVER_REVOKED = dt.datetime.max.replace(tzinfo=dt.UTC)


class CohortKey(NamedTuple):
    query: str
    variables: str
    operation_name: str | None
    role: str
    tenant_id: Any


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


def eligible_operation(
    query: str, operation_name: str | None, variables: dict[str, Any] | None = None
) -> bool:
    """A subscription (the operation to run) whose `after` arguments are all null."""
    try:
        document: DocumentNode = parse(query)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation is not OperationType.SUBSCRIPTION:
        return False
    defaults = {
        d.variable.name.value: d.default_value
        for d in operations[0].variable_definitions or ()
        if d.default_value is not None and not isinstance(d.default_value, NullValueNode)
    }
    finder = _AfterFinder(variables or {}, defaults)
    visit(document, finder)
    return not finder.found


class _CohortSocket(WebSocket):
    """The cohort context's `request`: a resolver closing "its" socket closes the cohort."""

    def __init__(self, scope: dict[str, Any], on_close: Callable[[int, str], None]) -> None:
        super().__init__(scope, _never, _never)
        self._on_close = on_close

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self._on_close(code, reason or "")


async def _never(*_: Any) -> Any:
    await asyncio.Future()


class Member:
    """One subscriber (a connection handler and its operation id) of a cohort."""

    def __init__(self, cohort: Cohort, handler: Any, op_id: str) -> None:
        self.cohort = cohort
        self.handler = handler
        self.op_id = op_id
        self.context: Context = handler.context
        #: The constant part of this member's `next` messages.
        self.prefix = '{"type":"next","id":' + json.dumps(op_id) + ',"payload":'
        #: (payload, its cursor) to write; None: the stream ended, do `final` and stop.
        self.queue: asyncio.Queue[tuple[str, str | None] | None] = asyncio.Queue(
            maxsize=MEMBER_QUEUE + 1
        )
        #: After the last payload: a message to send (complete, error) or a close code+reason.
        self.final: dict[str, Any] | tuple[int, str] | None = None
        #: The cursor of the last event written: where to resume if closed as too slow.
        self.cursor: str | None = None
        self.task = asyncio.create_task(self._write(), name=f"cohort-member-{op_id}")
        self.sent = 0

    def offer(self, payload_json: str, cursor: str | None) -> None:
        if self.queue.qsize() >= MEMBER_QUEUE:
            self.cohort.registry.spawn(self.close(CLOSE_TOO_SLOW, self._too_slow()))
            return
        self.queue.put_nowait((payload_json, cursor))

    def _too_slow(self) -> str:
        resume = f" after={self.cursor}" if self.cursor else ""
        return "subscriber too slow: resume with `after`" + resume

    def finish(self, final: dict[str, Any] | tuple[int, str]) -> None:
        """Write what is queued, then send this message or close with this code+reason."""
        self.final = final
        self.queue.put_nowait(None)

    async def _write(self) -> None:
        socket = self.handler.websocket.ws
        while True:
            item = await self.queue.get()
            if item is None:
                if isinstance(self.final, dict):
                    await self.send_json(self.final)
                elif self.final is not None:
                    await self.close(*self.final)
                return
            payload_json, cursor = item
            stop = await still_allowed(self.context)
            await self.context.finish(commit=True)  # the account look-up's transaction, if any
            if stop is not None:
                await self.close(*stop)
                return
            try:
                await asyncio.wait_for(
                    socket.send_text(self.prefix + payload_json + "}"), WRITE_TIMEOUT_S
                )
            except TimeoutError:
                await self.close(CLOSE_TOO_SLOW, self._too_slow())
                return
            except Exception:  # disconnected: the handler's shutdown removes us
                self.cohort.remove(self)
                return
            self.sent += 1
            self.cursor = cursor or self.cursor

    async def send_json(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(Exception):
            await self.handler.websocket.send_json(message)

    async def close(self, code: int, reason: str) -> None:
        self.cohort.remove(self)
        with contextlib.suppress(Exception):
            await self.handler.websocket.close(code=code, reason=reason[:123])


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
            request=_CohortSocket(dict(socket.scope), self._resolver_closed),
            response=None,
            db=template.db,
            auth=template.auth,
            request_id=template.request_id,
            live=template.live,
        )
        self.context.principal = template.principal
        self.context.token_expires_at = None
        self.context.authenticated_at = _NEVER_REVOKED
        self.task: asyncio.Task[None] | None = None

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
        if asyncio.current_task() is not member.task:
            member.task.cancel()
        if not self.members:
            self.stop()

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        if self.registry.cohorts.get(self.key) is self:
            del self.registry.cohorts[self.key]
        if self.task is not None and asyncio.current_task() is not self.task:
            self.task.cancel()

    def _resolver_closed(self, code: int, reason: str) -> None:
        """The subscription closed its (the cohort's) socket (feed closed: too slow, server
        shutting down): close every member alike, after what it still has to write."""
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
                    self.registry.serializations += 1
                    cursor = _cursor_of(result.data)
                    for member in list(self.members.values()):
                        member.offer(payload_json, cursor)
            await self._finish("complete", None)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("cohort stream failed")
            await self._finish("complete", None)
        finally:
            with contextlib.suppress(Exception):
                await self.context.finish(commit=True)

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


def _cursor_of(data: Any) -> str | None:
    """The `cursor` of the (single) root field's value, if the document selected it."""
    if isinstance(data, dict) and len(data) == 1:
        value = next(iter(data.values()))
        if isinstance(value, dict) and isinstance(value.get("cursor"), str):
            return value["cursor"]
    return None


class CohortRegistry:
    """The cohorts of one app (one process)."""

    def __init__(self, schema: BaseSchema) -> None:
        self.schema = schema
        self.cohorts: dict[CohortKey, Cohort] = {}
        #: Executions run and payloads serialized by cohorts (one each per event and cohort).
        self.executions = 0
        self.serializations = 0
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

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
        if not eligible_operation(query, operation_name, variables):
            return None
        try:
            canonical = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))
        except (TypeError, ValueError):
            return None
        return CohortKey(
            query, canonical, operation_name, effective_role(principal).value, principal.tenant_id
        )

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
