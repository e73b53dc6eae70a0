"""The execution engine: what makes a request cheaper than graphql-core and strawberry make it
alone, kept apart from the declarations of schema/.

Its entry point is narrow, and only the Schema's construction (schema/schema.py) uses it (the
import contract in .ci/run says so):

- `execution_context_class(hide_suggestions=...)`: the class for strawberry's
  `execution_context_class`: lists of objects completed by compiled plans (completion.py,
  `SpringExecutor`), built with the variables already coerced before execution
  (variables.py, `reusing_measured_variables`);
- `PREPARATION`: what the limits extension (schema/limits/extension.py) asks of the engine
  before execution: the parse and validation caches (documents.py) and the variables coerced
  once by specialised coercers (variables.py), in the form the executor reuses.

What the engine recognises on the schema is declared outside it: a relation marked with
`to_one` (resolvers/relations.py) and a field guarded by the policy (`PolicyGuard`, which
schema/guards.py's `Guard` is).

Library internals it relies on (not in the libraries' documented API; the full table, with
SQLAlchemy's and asyncio's, is in docs/upgrading.md), and the tests that guard each:

- completion.py, graphql-core 3.3's `Executor`: `complete_list_value` and `execute_field`
  overridden (their signatures); `collect_subfields`, `handle_field_error`,
  `settle_in_background`, `middleware_manager`, `abort_signal`, `is_awaitable` called;
  `invalid_return_type_error` (`graphql.execution.executor`), `FieldDetailsList`
  (`graphql.execution.collect_fields`). Guarded by tests/test_fast_execution.py (the fast path
  against graphql-core's own completion, every role) and tests/adversarial/test_policy_walk.py.
- completion.py, strawberry: `StrawberryGraphQLCoreExecutionContext` subclassed;
  `GraphQLCoreConverter.DEFINITION_BACKREF`, `StrawberryField` (resolver, extensions),
  `strawberry.relay.utils.to_base64`. Guarded by tests/test_fast_execution.py.
- completion.py, asyncio's `_asyncio_future_blocking`: list items stepped by hand, a task only
  when one waits. Guarded by tests/test_fast_execution.py
  (`test_items_run_as_tasks_only_when_they_wait`).
- variables.py: graphql-core's `coerce_input_value` copied per type; `input_is_nested_too_deeply`,
  `VariableValues`, `VariableValueSource`, `get_variable_signature`, `coerce_default_value`,
  `MAX_NESTING_DEPTH`. Guarded by tests/test_ingest_fast.py (coercion against graphql-core's,
  value by value), tests/test_request_cost.py, tests/adversarial/test_bad_input.py.
- variables.py: `Executor.build` overridden; the executor's `operation` and `variable_values`
  set after it is built; `hide_suggestions` passed (strawberry does not). Guarded by
  tests/test_limits.py (`test_suggestions_are_never_written_whatever_graphql_core_words_them`)
  and tests/test_request_cost.py.
- documents.py: `count_tokens` counts as graphql-core's `max_tokens` does (comments included);
  `parse(max_tokens=)` kept as a backstop. Guarded by tests/test_limits.py
  (`test_tokens_are_counted_by_springs_own_code_as_graphql_core_counts_them`).
- documents.py: strawberry's `MaybeNullValidationRule` and `OneOfInputValidationRule` (the rules
  its `validate_document` adds); `validate(..., hide_suggestions=)`, new in graphql-core 3.3.
  Guarded by tests/test_limits.py, tests/test_request_cost.py,
  tests/adversarial/test_hostile_queries.py.

`.ci/upgrade-check` runs these suites against the newest versions pyproject.toml allows.
"""

from __future__ import annotations

from engine.completion import SpringExecutor
from engine.preparation import PREPARATION, Preparation
from engine.variables import reusing_measured_variables

__all__ = ["PREPARATION", "Preparation", "SpringExecutor", "execution_context_class"]


def execution_context_class(*, hide_suggestions: bool = True) -> type[SpringExecutor]:
    """strawberry's `execution_context_class`: the fast completion path, built with the
    variables the limits extension coerced; with `hide_suggestions`, graphql-core writes no
    "Did you mean …" when it coerces a variable itself."""
    return reusing_measured_variables(SpringExecutor, hide_suggestions=hide_suggestions)
