"""What the request_moves tests share (no fixtures: conftest.py holds those)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from db import models as m
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph

ERRORS = "userErrors { field code message }"


REQUEST = "request { id reference type status version dueAt overdue assignee { email } }"


CREATE = f"""
mutation($i: CreateRequestInput!) {{ createRequest(input: $i) {{ {REQUEST} {ERRORS} }} }}
"""


ASSIGN = f"""
mutation($i: AssignRequestInput!) {{ assignRequest(input: $i) {{ {REQUEST} {ERRORS} }} }}
"""


TAKE = f"""
mutation($i: TakeRequestInput!) {{ takeRequest(input: $i) {{ {REQUEST} {ERRORS} }} }}
"""


CLOSE = f"""
mutation($i: CloseRequestInput!) {{ closeRequest(input: $i) {{
  request {{ id status decisionComment decidedBy {{ email }} }} {ERRORS} }} }}
"""


CANCEL = f"""
mutation($i: CancelRequestInput!) {{ cancelRequest(input: $i) {{
  request {{ id status decisionComment }} {ERRORS} }} }}
"""


COMMENT = f"""
mutation($i: CommentRequestInput!) {{ commentRequest(input: $i) {{ {REQUEST} {ERRORS} }} }}
"""


@dataclass
class Staff:
    graph: TenantGraph
    other: TenantGraph
    emails: dict[str, str]
    ids: dict[str, uuid.UUID]

    def user(self, name: str) -> str:
        return gid("User", self.ids[name])


async def _id_of(engine: AsyncEngine, email: str) -> uuid.UUID:
    async with engine.connect() as conn:
        return await conn.scalar(text("SELECT id FROM users WHERE email = :e"), {"e": email})


async def as_(client: GraphQLClient, staff: Staff, name: str) -> GraphQLClient:
    return await signed_in(client, staff.emails[name])


async def open_support(caller: GraphQLClient, staff: Staff, subject: str = "Écran figé") -> dict:
    body = await caller.post(
        CREATE,
        {
            "i": {
                "type": "SUPPORT",
                "companyId": gid("Company", staff.graph.ids["company"]),
                "subject": subject,
            }
        },
    )
    payload = body["data"]["createRequest"]
    assert payload["userErrors"] == [], payload
    return payload["request"]


async def journal_of(engine: AsyncEngine, request_gid: str) -> list[tuple[Any, ...]]:
    request_id = uuid.UUID(relay.GlobalID.from_id(request_gid).node_id)
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT action, actor_label, before, after, reason FROM audit_events"
                " WHERE entity_id = :i ORDER BY occurred_at, action"
            ),
            {"i": request_id},
        )
        return [tuple(r) for r in rows]


async def _insert_request(
    engine: AsyncEngine, graph: TenantGraph, author: uuid.UUID, kind: str, contract: Any
) -> str:
    request_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Request.__table__).values(
                tenant_id=graph.tenant_id,
                id=request_id,
                reference=uuid.uuid4().hex[:11].upper(),
                type=kind,
                status="OPEN",
                company_id=graph.ids["company"],
                contract_id=contract,
                author_id=author,
                subject="Sujet",
            )
        )
    return gid("Request", request_id)
