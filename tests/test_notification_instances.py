"""A notification made on one instance reaches its recipient subscribed on another (DESIGN §8):
two `spring serve` processes on one database, nothing shared but PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import PASSWORD, add_user, make_tenant_graph
from tests.live import Subscription, login, post
from tests.test_instances import instances
from tests.test_notifications import APPROVE, COMPANY, EVALUATE, company_values

SUBSCRIBE = """subscription { notificationReceived { cursor notification { kind title
  subjectId read } } }"""


@pytest.mark.slow
async def test_a_notification_made_on_one_instance_is_pushed_by_the_other(
    owner_url: str, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    seller = await add_user(owner_engine, graph, "SELLER")
    supervisor = await add_user(owner_engine, graph, "SUPERVISOR")
    async with instances(owner_url, 2) as (first, second):
        for instance in (first, second):
            await instance.wait_ready()
        listener = await login(first.base, seller, PASSWORD)
        asker = await login(second.base, seller, PASSWORD)
        decider = await login(second.base, supervisor, PASSWORD)
        async with Subscription.open(first.base, listener, SUBSCRIBE) as sub:
            await first.holding("notifications")
            body = await post(second.base, asker, COMPANY, {"i": company_values()})
            company = body["data"]["createCompany"]["company"]["id"]
            body = await post(second.base, asker, EVALUATE, {"i": {"companyId": company}})
            request = body["data"]["requestEvaluation"]["request"]["id"]
            body = await post(second.base, decider, APPROVE, {"i": {"requestId": request}})
            assert body["data"]["approveRequest"]["userErrors"] == [], body
            received = await sub.next()
            assert received["type"] == "next", received
            note = received["payload"]["data"]["notificationReceived"]["notification"]
            assert note["kind"] == "EVALUATION_APPROVED"
            assert note["read"] is False
            assert note["title"] == "Évaluation approuvée : Boulangerie du Port"
            assert note["subjectId"] == company
