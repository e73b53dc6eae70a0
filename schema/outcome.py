"""What each operation of a request came to, recorded by the execution (`Context.outcomes`).

The request log (spring/logs.py) and the metrics read it once the request is answered: the
operation's name, type and root fields (from the document the execution already parsed), and
its outcome, filled where it is decided:

- `ok`;
- `user_error`: a mutation answered user errors (`RecordUserErrors`, on every mutation field;
  a query's `userErrors`, as `validateCompany`'s, answer a check: it did its job), a mutation
  refused its input (`Context.refused`), or the response holds expected errors (FORBIDDEN, a
  limit, a syntax error...);
- `error`: an unexpected failure, masked behind an error id (`schema.extensions.clean_errors`).

`login` answering no token counts as a failed login (the metrics count them).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import FieldExtension, SchemaExtension

Outcome = Literal["ok", "user_error", "error"]
SEVERITY: dict[Outcome, int] = {"ok": 0, "user_error": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class OperationShape:
    """An operation: its name, its type (query, mutation, subscription) and its root fields."""

    name: str | None
    kind: str | None
    fields: tuple[str, ...] = ()


@dataclass(slots=True)
class OperationRun:
    """One GraphQL operation of a request, once executed."""

    shape: OperationShape
    outcome: Outcome
    login_failed: bool = False


@dataclass
class OperationOutcomes:
    """The operations a Context ran (the last few: a WebSocket runs many) and what the one
    running has met so far."""

    runs: deque[OperationRun] = field(default_factory=lambda: deque(maxlen=8))
    _outcome: Outcome = "ok"
    _login_failed: bool = False

    def met(self, outcome: Outcome) -> None:
        """The running operation met this (kept if worse than what it met before)."""
        if SEVERITY[outcome] > SEVERITY[self._outcome]:
            self._outcome = outcome

    def login_failed(self) -> None:
        self._login_failed = True

    def finished(self, shape: OperationShape, *, refused: bool = False) -> OperationRun:
        """The running operation has ended: record it, and start afresh for the next one."""
        if refused:
            self.met("user_error")
        run = OperationRun(shape, self._outcome, self._login_failed)
        self.runs.append(run)
        self._outcome, self._login_failed = "ok", False
        return run


def _fields(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> Iterator[FieldNode]:
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                yield from _fields(fragment.selection_set, fragments, seen | {name})


def shape_of(document: Any, operation_name: str | None) -> OperationShape:
    """The shape of the operation `operation_name` picks in a parsed document (None: none)."""
    definitions: Iterable[Any] = getattr(document, "definitions", None) or ()
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        chosen = [o for o in operations if o.name and o.name.value == operation_name]
    else:
        chosen = operations if len(operations) == 1 else []
    if not chosen:
        return OperationShape(operation_name, None)
    operation = chosen[0]
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    roots = tuple(
        node.name.value
        for node in _fields(operation.selection_set, fragments)
        if node.name.value != "__typename"
    )
    name = operation.name.value if operation.name else None
    return OperationShape(name, operation.operation.value, roots)


class RecordOutcome(SchemaExtension):
    """Record each operation's shape and outcome in `Context.outcomes` once it has run.

    Listed first: extensions exit in reverse order, so the transaction has ended and the
    errors are cleaned (masked ones recorded) when this records the operation.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        execution = self.execution_context
        outcomes = getattr(execution.context, "outcomes", None)
        if outcomes is None:
            return
        context = execution.context
        outcomes.finished(
            shape_of(execution.graphql_document, execution.operation_name),
            refused=bool(
                getattr(context, "refused", False) or getattr(context, "rollback_only", 0)
            ),
        )


class RecordUserErrors(FieldExtension):
    """On a mutation field: a payload with user errors makes the operation a `user_error`;
    `login` answering no token is a failed login."""

    def resolve(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("mutations are async")  # pragma: no cover

    async def resolve_async(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        outcomes = getattr(info.context, "outcomes", None)
        try:
            payload = await next_(source, info, **kwargs)
        except BaseException:
            if outcomes is not None and info.field_name == "login":
                outcomes.login_failed()
            raise
        if outcomes is not None:
            refused = bool(getattr(payload, "user_errors", None))
            if refused:
                outcomes.met("user_error")
            if info.field_name == "login" and (refused or not getattr(payload, "token", None)):
                outcomes.login_failed()
        return payload


def record_user_errors(mutation_type: Any) -> None:
    """Put `RecordUserErrors` on every field of the Mutation type (once; outermost, so it
    sees the payload, or the failure, of the guarded resolver)."""
    for mutation in mutation_type.__strawberry_definition__.fields:
        if not any(isinstance(e, RecordUserErrors) for e in mutation.extensions):
            mutation.extensions.append(RecordUserErrors())
