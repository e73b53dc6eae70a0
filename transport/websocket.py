"""graphql-transport-ws, where eligible live subscriptions join a cohort (transport/cohorts.py)
instead of running their own execution, and every operation of a connection runs on its own
copy of the connection's Context."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)

from schema.context import Context
from transport.context import fork_context
from transport.documents import DocumentRefused


class _OperationContexts:
    """The schema, as the WebSocket handler sees it: every operation on its own context."""

    def __init__(self, schema: Any) -> None:
        self._schema = schema

    def __getattr__(self, name: str) -> Any:
        return getattr(self._schema, name)

    async def stream(self, *args: Any, context_value: Any = None, **kwargs: Any) -> Any:
        return await self._schema.stream(*args, context_value=fork_context(context_value), **kwargs)


class CohortTransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws, where eligible live subscriptions join a cohort
    (transport/cohorts.py) instead of running their own execution."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Operation id → cohort member, for this connection's cohort subscriptions.
        self.cohort_members: dict[str, Any] = {}
        # strawberry hands the connection's one context to every operation; ours carry a
        # session and loaders per event, so each operation gets its own copy.
        self.schema = _OperationContexts(self.schema)  # type: ignore[assignment]

    async def handle_subscribe(self, message: Any) -> None:
        documents = getattr(self.view, "documents", None)
        if documents is not None:
            try:
                payload = message.get("payload")
                if isinstance(payload, dict):
                    message = {**message, "payload": documents.substitute(payload)}
                    query = message["payload"].get("query")
                    documents.check(query, browser=getattr(self.context, "browser", False))
            except DocumentRefused as refusal:
                await self.send_message(
                    {"id": message["id"], "type": "error", "payload": refusal.body()["errors"]}
                )
                return
        registry = getattr(self.view, "cohorts", None)
        key = None
        if registry is not None and self.connection_acknowledged:
            key = registry.key_for(self.context, message)
        if key is None:
            await super().handle_subscribe(message)
            return
        op_id = message["id"]
        if op_id in self.operations or op_id in self.cohort_members:
            await self.websocket.close(code=4409, reason=f"Subscriber for {op_id} already exists")
            return
        limit = self.max_subscriptions_per_connection
        if limit is not None and len(self.operations) + len(self.cohort_members) >= limit:
            error = GraphQLError("Subscription limit reached")
            await self.send_message({"id": op_id, "type": "error", "payload": [error.formatted]})
            return
        registry.join(key, self, message)

    async def handle_complete(self, message: Any) -> None:
        registry = getattr(self.view, "cohorts", None)
        if registry is not None and registry.leave(self, message["id"]):
            return
        await super().handle_complete(message)

    async def shutdown(self) -> None:
        registry = getattr(self.view, "cohorts", None)
        if registry is not None:
            for op_id in list(self.cohort_members):
                registry.leave(self, op_id)
        await super().shutdown()
