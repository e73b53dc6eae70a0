"""`QueryLimits`: the schema extension that enforces `Limits` before execution (the
measures are in walks.py and lists.py, the message cleaning in messages.py) and reports the
cost in the response's `extensions.cost`.

Parsing, validation and the variables' coercion are the engine's (engine/preparation.py: both
caches, the coercion execution reuses); this extension decides when they run and what a
refusal says. It reaches them through `Preparation`, the one thing it asks of the engine,
handed over by the Schema's construction (schema/schema.py), so that nothing else in schema/
imports the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
)
from graphql.execution.values import VariableValues
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from schema.limits.config import Limits, too_complex
from schema.limits.lists import list_excess
from schema.limits.messages import sanitize_message
from schema.limits.walks import (
    Cost,
    fragments_of,
    operation_cost,
    root_type,
    structure_errors,
    validation_rules,
)


class Preparation(Protocol):
    """What `QueryLimits` asks of the engine (`engine.PREPARATION` is one)."""

    def parse(self, query: str, max_tokens: int) -> DocumentNode | None:
        """The parsed document (cached), None when it has more than `max_tokens` tokens (not
        parsed then); a syntax error raises graphql-core's GraphQLError."""
        ...

    def count_tokens(self, query: str, ceiling: int) -> int:
        """The document's tokens, comments included, counted no further than `ceiling`."""
        ...

    def validate(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        rules: tuple[type, ...],
        hide_suggestions: bool,
    ) -> list[GraphQLError]:
        """graphql-core's validation with strawberry's rules and `rules` (cached)."""
        ...

    def coerce_variables(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        raw: Mapping[str, Any],
        *,
        hide_suggestions: bool,
    ) -> VariableValues | list[GraphQLError]:
        """The operation's variables coerced, or the coercion's errors."""
        ...

    def measured_variables(
        self,
        raw: Mapping[str, Any],
        document: DocumentNode,
        operation: OperationDefinitionNode,
        operation_name: str | None,
        values: VariableValues,
    ) -> dict[str, Any]:
        """The request's variables, carrying `values` for execution to reuse."""
        ...


# --------------------------------------------------------------------------- measured once


class _Reads(Mapping[str, Any]):
    """A request's variables, noting whether a measure read any of them: a measure that read
    none depends on the document alone, and is kept for the document's next requests."""

    __slots__ = ("read", "source")

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.source = values
        self.read = False

    def __getitem__(self, key: str) -> Any:
        self.read = True
        return self.source[key]

    def __contains__(self, key: object) -> bool:
        self.read = True
        return key in self.source

    def get(self, key: str, default: Any = None) -> Any:
        self.read = True
        return self.source.get(key, default)

    def __iter__(self) -> Iterator[str]:
        self.read = True
        return iter(self.source)

    def __len__(self) -> int:
        self.read = True
        return len(self.source)


class _DocumentFacts:
    """What `QueryLimits` measured of one parsed document and operation name that does not
    depend on the request's variables, so that the document's next requests skip it: the
    structure passed, graphql-core's validation passed, the operation, no list input literal
    over its cap, and the cost, each kept only when no variable was read to measure it.
    Refusals are never kept: a refused document is measured again, the same way, every time.
    """

    __slots__ = ("cost", "document", "fragments", "lists_ok", "operation", "valid")

    def __init__(self, document: DocumentNode) -> None:
        #: Held so that the document's id (the cache's key) is not reused while cached.
        self.document = document
        self.valid = False
        self.operation: OperationDefinitionNode | None = None
        self.fragments: dict[str, FragmentDefinitionNode] | None = None
        self.lists_ok = False
        self.cost: int | None = None


class _FactsCache:
    """`_DocumentFacts` by (document, operation name), for one schema's limits and rules;
    documents come from the engine's parse cache, so the same text is the same object."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._facts: dict[tuple[int, str | None], _DocumentFacts] = {}

    def get(self, document: DocumentNode, operation_name: str | None) -> _DocumentFacts:
        key = (id(document), operation_name)
        facts = self._facts.get(key)
        if facts is None or facts.document is not document:
            if len(self._facts) >= self.size:
                self._facts.clear()
            facts = self._facts[key] = _DocumentFacts(document)
        return facts


class QueryLimits(SchemaExtension):
    """Enforces `Limits` before execution and reports the cost in `extensions.cost`.

    It parses and validates (both cached, replacing strawberry's ParserCache and
    ValidationCache): the structure is measured before graphql-core's validation, which it
    protects, and the variables are measured and coerced before execution.
    """

    def __init__(
        self,
        *,
        limits: Limits,
        rules: tuple[type, ...],
        suggestions: bool = False,
        preparation: Preparation,
        facts: _FactsCache | None = None,
    ) -> None:
        self.limits = limits
        #: The engine's parse and validation caches and its variable coercion.
        self.preparation = preparation
        self.rules = rules
        self.suggestions = suggestions
        self.cost: int | None = None
        #: Shared by the schema's operations (`query_limits`); a private one otherwise.
        self.facts = facts if facts is not None else _FactsCache()

    # -- hooks

    def on_operation(self) -> Iterator[None]:
        ec = self.execution_context
        ec.validation_rules = (*ec.validation_rules, *self.rules)
        ec.parse_options["max_tokens"] = self.limits.max_tokens
        yield
        for error in getattr(ec.result, "errors", None) or ():
            self._sanitize(error, echoes=True)

    def on_parse(self) -> Iterator[None]:
        ec = self.execution_context
        refusal: GraphQLError | None = None
        if ec.graphql_document is None and ec.query:
            try:
                document = self.preparation.parse(ec.query, self.limits.max_tokens)
            except GraphQLError:
                # A syntax error: strawberry parses again and reports it the usual way.
                pass
            else:
                if document is None:  # over the token limit: not parsed
                    refusal = self._too_many_tokens(ec.query)
                    # strawberry parses next (the document is None): let graphql-core's
                    # parser stop at its first token, its error then becomes this refusal.
                    ec.parse_options["max_tokens"] = 1
                else:
                    ec.graphql_document = document
        yield
        if refusal is not None:
            errors = ec.pre_execution_errors
            if errors:
                # The error strawberry returns: the parser's, made this refusal in place.
                _become(errors[0], refusal)
                del errors[1:]
            else:  # pragma: no cover - graphql-core stops at max_tokens=1 on any such text
                ec.pre_execution_errors = [refusal]
        for error in ec.pre_execution_errors or ():
            self._sanitize(error)

    def on_validate(self) -> Iterator[None]:
        self.validate()
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cost": self.cost} if self.cost is not None else {}

    def _too_many_tokens(self, query: str) -> GraphQLError:
        """The refusal, the tokens counted up to ten times the limit for its message."""
        maximum = self.limits.max_tokens
        measured = self.preparation.count_tokens(query, 10 * maximum)
        return too_complex(
            f"The query has {'at least ' if measured >= 10 * maximum else ''}"
            f"{measured} tokens; the maximum is {maximum}.",
            "tokens",
            maximum,
            measured,
        )

    def validate(self) -> None:
        ec = self.execution_context
        document = ec.graphql_document
        if document is not None and ec.pre_execution_errors is None and _ambiguous(ec, document):
            ec.pre_execution_errors = [_no_operation()]
            return
        if document is not None and ec.pre_execution_errors is None:
            facts = self.facts.get(document, ec.operation_name)
            if facts.valid:
                # Measured and validated before, without a refusal: only what depends on
                # the variables is measured again.
                ec.pre_execution_errors = self._measure(document, passed=True, facts=facts)
                return
            refused = structure_errors(document, self.limits)
            if refused:
                ec.pre_execution_errors = refused
                self._measure(document, passed=False)
            else:
                errors = self.preparation.validate(
                    ec.schema._schema, document, ec.validation_rules, not self.suggestions
                )
                for error in errors:
                    self._sanitize(error)
                    self._blame_the_request(error)
                refusal = self._measure(document, passed=not errors, facts=facts)
                # Kept only when nothing was refused. (The rules are the same for every
                # operation of the schema: specified ones plus `self.rules`, see on_operation.)
                facts.valid = not errors and not refusal
                ec.pre_execution_errors = list(errors) or refusal

    # -- measures

    def _measure(
        self, document: DocumentNode, *, passed: bool, facts: _DocumentFacts | None = None
    ) -> list[GraphQLError]:
        ec = self.execution_context
        schema: GraphQLSchema = ec.schema._schema
        if facts is not None and facts.operation is not None:
            operation = facts.operation
        else:
            operation = get_operation_ast(document, ec.operation_name)
            if operation is None:
                return []
            if facts is not None and passed:
                facts.operation = operation
                facts.fragments = fragments_of(document)
        raw = ec.variables if isinstance(ec.variables, dict) else {}
        if not passed:
            # Best effort, for the response's extensions only (the query is refused anyway).
            try:
                self.cost = operation_cost(schema, document, operation, raw, self.limits)
            except Exception:  # a malformed document has no meaningful cost
                self.cost = None
            return []
        fragments = facts.fragments if facts is not None else None
        if fragments is None:
            fragments = fragments_of(document)
        if facts is None or not facts.lists_ok:
            reads = _Reads(raw)
            excess = list_excess(schema, operation, fragments, reads, self.limits)
            if excess is not None:
                return [excess]
            if facts is not None and not reads.read:
                facts.lists_ok = True
        coerced = self.preparation.coerce_variables(
            schema, operation, raw, hide_suggestions=not self.suggestions
        )
        if isinstance(coerced, list):
            for error in coerced:
                self._sanitize(error)
                self._blame_the_request(error)
            return coerced
        values = getattr(coerced, "coerced", coerced)
        if facts is not None and facts.cost is not None:
            self.cost = facts.cost
        else:
            reads = _Reads(values)
            self.cost = Cost(schema, fragments, reads, self.limits).selection(
                operation.selection_set, root_type(schema, operation), None
            )
            if facts is not None and not reads.read and self.cost <= self.limits.max_cost:
                facts.cost = self.cost
        if self.cost > self.limits.max_cost:
            return [
                too_complex(
                    f"The query's estimated cost is {self.cost}; the maximum is "
                    f"{self.limits.max_cost}. Ask for smaller pages (`first`) or fewer "
                    "nested lists.",
                    "cost",
                    self.limits.max_cost,
                    self.cost,
                    operation,
                )
            ]
        if isinstance(ec.variables, dict) and isinstance(coerced, VariableValues):
            # Execution takes these instead of coercing the same variables again.
            ec.variables = self.preparation.measured_variables(
                ec.variables, document, operation, ec.operation_name, coerced
            )
        return []

    @staticmethod
    def _blame_the_request(error: GraphQLError) -> None:
        """An error found before execution is about the request: when a scalar refused a value
        by raising (the Long scalar's ValueError), graphql-core keeps that exception as the
        error's `original_error`, which would make it look like a failure of ours (masked as
        INTERNAL_SERVER_ERROR, logged with a traceback). Its message already says what was
        wrong."""
        error.original_error = None

    def _sanitize(self, error: GraphQLError, *, echoes: bool = False) -> None:
        clean = sanitize_message(error.message, echoes=echoes)
        if clean != error.message:
            error.message = clean


def _become(error: GraphQLError, refusal: GraphQLError) -> None:
    """`error` (a parser's) rewritten as `refusal`: its message and extensions, no location."""
    error.message = refusal.message
    error.extensions = refusal.extensions
    error.locations = error.positions = error.nodes = error.source = None
    error.original_error = None


def query_limits(
    limits: Limits | None = None,
    *,
    preparation: Preparation,
    introspection: bool = True,
    suggestions: bool = False,
) -> Callable[[], QueryLimits]:
    """A factory for the schema's `extensions=[...]` (a new extension per operation);
    `preparation` is the engine's (schema/schema.py hands it over)."""
    chosen = limits or Limits()
    rules = validation_rules(introspection=introspection)
    facts = _FactsCache()

    def make() -> QueryLimits:
        return QueryLimits(
            limits=chosen,
            rules=rules,
            suggestions=suggestions,
            preparation=preparation,
            facts=facts,
        )

    return make


def _ambiguous(ec: Any, document: DocumentNode) -> bool:
    """Several operations and no operationName in the request. (strawberry's
    `ExecutionContext.operation_name` falls back to the first operation's name; the name the
    request gave is its private `_provided_operation_name`: docs/upgrading.md.)"""
    if getattr(ec, "_provided_operation_name", None) is not None:
        return False
    operations = 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            operations += 1
            if operations > 1:
                return True
    return False


def _no_operation() -> GraphQLError:
    """GraphQL's GetOperation: several operations and no operationName is a request error
    (strawberry would run the first one, so a GET could run what it did not name)."""
    return GraphQLError(
        "Must provide operationName when the document contains several operations.",
        extensions={"code": "BAD_USER_INPUT"},
    )
