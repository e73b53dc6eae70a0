"""Unexpected failures are masked behind a logged error id; expected errors keep their code."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
import strawberry

from resolvers.errors import Forbidden
from schema.extensions import ErrorHygiene, RequestTransaction
from schema.schema import SpringSchema


@strawberry.type
class Query:
    @strawberry.field
    def boom(self) -> str | None:
        raise RuntimeError("secret internals: password=hunter2")

    @strawberry.field
    def denied(self) -> str | None:
        raise Forbidden("Your role may not read this.")

    @strawberry.field
    def fine(self) -> str:
        return "ok"


class FakeContext(SimpleNamespace):
    """Only what the extensions read: a request id and a transaction to end."""

    async def finish(self, *, commit: bool) -> None:
        self.committed = commit


@pytest.fixture
def schema() -> SpringSchema:
    return SpringSchema(query=Query, extensions=[ErrorHygiene, RequestTransaction])


async def test_unexpected_errors_are_masked_with_a_logged_id(
    schema: SpringSchema, caplog: pytest.LogCaptureFixture
) -> None:
    context = FakeContext(request_id="req-12345678")
    with caplog.at_level(logging.INFO, logger="spring.graphql"):
        result = await schema.execute("{ boom fine }", context_value=context)
    assert result.data == {"boom": None, "fine": "ok"}
    (error,) = result.errors
    formatted = error.formatted
    assert "secret" not in str(formatted) and "RuntimeError" not in str(formatted)
    assert formatted["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert formatted["extensions"]["requestId"] == "req-12345678"
    error_id = formatted["extensions"]["errorId"]
    assert error_id in formatted["message"]
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # the full error is in the log
    assert context.committed is False  # a failed operation writes nothing


async def test_expected_errors_keep_their_code_and_log_no_traceback(
    schema: SpringSchema, caplog: pytest.LogCaptureFixture
) -> None:
    context = FakeContext(request_id="req-abcdefgh")
    with caplog.at_level(logging.INFO, logger="spring.graphql"):
        result = await schema.execute("{ denied }", context_value=context)
    (error,) = result.errors
    assert error.formatted["extensions"]["code"] == "FORBIDDEN"
    assert error.formatted["message"] == "Your role may not read this."
    assert all(r.exc_info is None for r in caplog.records)


async def test_invalid_queries_are_bad_user_input(schema: SpringSchema) -> None:
    context = FakeContext(request_id="req-abcdefgh")
    result = await schema.execute("{ nope }", context_value=context)
    assert result.errors[0].formatted["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_successful_operation_commits(schema: SpringSchema) -> None:
    context = FakeContext(request_id="req-abcdefgh")
    result = await schema.execute("{ fine }", context_value=context)
    assert result.errors is None
    assert context.committed is True


async def test_an_expected_field_error_does_not_undo_the_operation(schema: SpringSchema) -> None:
    """A denied nested read in a mutation's payload must not roll the mutation back."""
    context = FakeContext(request_id="req-abcdefgh")
    result = await schema.execute("{ denied fine }", context_value=context)
    assert result.errors and result.errors[0].formatted["extensions"]["code"] == "FORBIDDEN"
    assert context.committed is True
