"""What the execution records of each operation for the request log (schema/outcome.py):
its name, type and root fields, and its outcome where it is decided."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import strawberry

from resolvers.errors import Forbidden
from schema.extensions import ErrorHygiene, RequestTransaction
from schema.outcome import OperationOutcomes, OperationShape, RecordOutcome, record_user_errors
from schema.schema import SpringSchema


@strawberry.type
class Payload:
    token: str | None
    user_errors: list[str]


@strawberry.type
class Query:
    @strawberry.field
    def boom(self) -> str | None:
        raise RuntimeError("unexpected")

    @strawberry.field
    def denied(self) -> str | None:
        raise Forbidden("Your role may not read this.")

    @strawberry.field
    def fine(self) -> str:
        return "ok"

    @strawberry.field
    def check(self) -> Payload:  # a check answering user errors did its job
        return Payload(token=None, user_errors=["INVALID"])


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def login(self, password: str) -> Payload:
        if password == "right":
            return Payload(token="t", user_errors=[])
        return Payload(token=None, user_errors=["INVALID_CREDENTIALS"])


record_user_errors(Mutation)


class FakeContext(SimpleNamespace):
    async def finish(self, *, commit: bool) -> None:
        self.committed = commit


@pytest.fixture
def schema() -> SpringSchema:
    return SpringSchema(
        query=Query,
        mutation=Mutation,
        extensions=[RecordOutcome, ErrorHygiene, RequestTransaction],
    )


@pytest.mark.parametrize(
    ("document", "shape", "outcome", "login_failed"),
    [
        (
            "query Q { fine ...F } fragment F on Query { check { token } }",
            OperationShape("Q", "query", ("fine", "check")),
            "ok",
            False,
        ),
        ("{ boom fine }", OperationShape(None, "query", ("boom", "fine")), "error", False),
        ("{ denied }", OperationShape(None, "query", ("denied",)), "user_error", False),
        (
            'mutation { login(password: "right") { token } }',
            OperationShape(None, "mutation", ("login",)),
            "ok",
            False,
        ),
        (
            'mutation In { login(password: "wrong") { token } }',
            OperationShape("In", "mutation", ("login",)),
            "user_error",
            True,
        ),
        ("{ fine", OperationShape(None, None), "user_error", False),
    ],
)
async def test_each_operation_records_its_shape_and_outcome(
    schema: SpringSchema, document: str, shape: OperationShape, outcome: str, login_failed: bool
) -> None:
    context = FakeContext(request_id="req-1", outcomes=OperationOutcomes(), refused=False)
    await schema.execute(document, context_value=context)
    (run,) = context.outcomes.runs
    assert (run.shape, run.outcome, run.login_failed) == (shape, outcome, login_failed)


async def test_a_refused_input_makes_the_operation_a_user_error(schema: SpringSchema) -> None:
    context = FakeContext(request_id="req-2", outcomes=OperationOutcomes(), refused=True)
    await schema.execute("{ fine }", context_value=context)
    assert [run.outcome for run in context.outcomes.runs] == ["user_error"]
