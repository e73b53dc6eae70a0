"""One query or mutation, start to end, with the schema's own extensions called directly.

strawberry's `Schema.execute` runs every operation through its extension runner: per request
it instantiates the extensions, wraps each hook of each extension in a context manager, and
opens an exit stack for each of the five phases (operation, parsing, validation, executing),
hooks or none. With Spring's three extensions (schema/schema.py: ErrorHygiene,
RequestTransaction, QueryLimits) that plumbing cost about as much as the work the hooks do.

`execute_operation` is that same sequence with the hooks' work called in the same order at
the same points: QueryLimits parses (cached), measures and validates (schema/limits.py);
graphql-core executes; errors are logged by `Schema.process_errors` before anything rewrites
them; then, as the operation's exit hooks would (in reverse order of the extensions), the
errors are sanitised (QueryLimits), the request's transaction ends (RequestTransaction) and
the errors are coded and masked (ErrorHygiene); the cost goes to `extensions`. An exception
escaping the operation skips the exit hooks' work, as it does in strawberry.

Subscriptions keep strawberry's path (`Schema.subscribe`, with the extensions' hooks, the
per-result cleaning of `on_stream_result` included): only `execute` takes this one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from graphql import GraphQLError
from graphql.execution.middleware import MiddlewareManager
from strawberry.exceptions import MissingQueryError
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.schema.schema import (
    DEFAULT_ALLOWED_OPERATION_TYPES,
    _parse_operation_document,
    _run_validation,
)
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType
from strawberry.utils.await_maybe import await_maybe

from schema.extensions import clean_errors, end_transaction
from schema.limits import QueryLimits

#: No extension of the schema resolves fields (`SchemaExtension.resolve`): one empty manager.
_NO_MIDDLEWARE = MiddlewareManager()


def _coerce_error(error: Exception) -> GraphQLError:
    return (
        error if isinstance(error, GraphQLError) else GraphQLError(str(error), original_error=error)
    )


async def execute_operation(
    schema: Any,
    make_limits: Callable[[], QueryLimits],
    query: str | None,
    variable_values: dict[str, Any] | None = None,
    context_value: Any | None = None,
    root_value: Any | None = None,
    operation_name: str | None = None,
    allowed_operation_types: Iterable[OperationType] | None = None,
    operation_extensions: dict[str, Any] | None = None,
) -> ExecutionResult:
    """What `strawberry.Schema.execute` returns for `schema` with the extensions
    [ErrorHygiene, RequestTransaction, QueryLimits made by `make_limits`]."""
    ec = schema._create_execution_context(
        query=query,
        allowed_operation_types=allowed_operation_types or DEFAULT_ALLOWED_OPERATION_TYPES,
        variable_values=variable_values,
        context_value=context_value,
        root_value=root_value,
        operation_name=operation_name,
        operation_extensions=operation_extensions,
    )
    limits = make_limits()
    limits.execution_context = ec
    try:
        limits.begin_operation()
        result = await _prepare(schema, ec, limits)
        if result is None:
            result = await _execute(schema, ec, operation_extensions)
        # The operation's exit hooks, in reverse order of the extensions.
        limits.end_operation()
        await end_transaction(ec.context, ec.result)
        clean_errors(ec.result, ec.context)
    except (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError):
        raise
    except Exception as exc:
        return _finished(schema, ec, limits, [_coerce_error(exc)], process=True)
    if isinstance(result, ExecutionResult):  # refused before execution: already finished
        return result
    return _finished(schema, ec, limits, result.errors, data=result.data, process=False)


def _finished(
    schema: Any,
    ec: ExecutionContext,
    limits: QueryLimits,
    errors: list[GraphQLError] | None,
    *,
    data: Any = None,
    process: bool,
) -> ExecutionResult:
    """strawberry's `_handle_execution_result`: the response, errors logged if `process`
    (a `PreExecutionError` then, as strawberry's: refused or failed before execution)."""
    if errors:
        ec.pre_execution_errors = errors
        if process:
            schema._process_errors(errors, ec)
    kind = PreExecutionError if process else ExecutionResult
    result = kind(data=data, errors=errors)
    result.extensions = {**limits.get_results(), **ec.extensions_results}
    ec.result = result
    return result


async def _prepare(
    schema: Any, ec: ExecutionContext, limits: QueryLimits
) -> ExecutionResult | None:
    """Parse, check the operation type, measure and validate: the response if refused."""
    if not ec.query and ec.graphql_document is None:
        raise MissingQueryError
    limits.before_parse()
    errors: list[GraphQLError] | None = None
    try:
        _parse_operation_document(ec)
    except GraphQLError as error:
        errors = [error]
    except Exception as error:
        errors = [GraphQLError(str(error), original_error=error)]
    if errors is not None:
        ec.pre_execution_errors = errors
        limits.after_parse()
        return _finished(schema, ec, limits, errors, process=True)
    limits.after_parse()
    try:
        operation_type = ec.operation_type
    except RuntimeError as error:
        raise CannotGetOperationTypeError(ec.operation_name) from error
    if operation_type not in ec.allowed_operations:
        raise InvalidOperationTypeError(operation_type)
    limits.validate()
    _run_validation(ec)
    if ec.pre_execution_errors:
        return _finished(schema, ec, limits, ec.pre_execution_errors, process=True)
    return None


async def _execute(
    schema: Any, ec: ExecutionContext, operation_extensions: dict[str, Any] | None
) -> Any:
    """graphql-core's execution; errors logged before anything rewrites them."""
    assert ec.graphql_document is not None
    if ec.result:
        result = ec.result
    else:
        kwargs: dict[str, Any] = {"operation_extensions": operation_extensions}
        if schema.execution_context_class is not None:
            kwargs["executor_class"] = schema.execution_context_class
        result = await await_maybe(
            schema._get_execute_function()(
                schema._schema,
                ec.graphql_document,
                root_value=ec.root_value,
                middleware=_NO_MIDDLEWARE,
                variable_values=ec.variables,
                operation_name=ec.operation_name,
                context_value=ec.context,
                is_awaitable=optimized_is_awaitable,
                **kwargs,
            )
        )
        ec.result = result
    if result.errors:
        ec.pre_execution_errors = result.errors
        schema._process_errors(result.errors, ec)
    return result
