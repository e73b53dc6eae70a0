"""Closing a shop (`updateShop` with `status: CLOSED`): refused while a service of the shop is
live (PENDING, ACTIVE or BLOCKED: its terminal would still take payments for a closed shop),
with a message saying what to do and nothing written; once its services are deactivated the
shop closes, and a terminal assigned there without a service goes back (RETURNED), journaled."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph, add_user, make_tenant_graph

CLOSE = """mutation($i: UpdateShopInput!) { updateShop(input: $i) {
  shop { status closedAt } userErrors { field code message } } }"""
DEACTIVATE = """mutation($i: DeactivateServiceInput!) { deactivateService(input: $i) {
  userErrors { code message } } }"""


async def state(engine: AsyncEngine, graph: TenantGraph) -> tuple[object, ...]:
    async with engine.connect() as conn:
        return (
            await conn.scalar(
                text("SELECT status FROM shops WHERE id = :s"), {"s": graph.ids["shop"]}
            ),
            await conn.scalar(
                text("SELECT count(*) FROM audit_events WHERE tenant_id = :t"),
                {"t": graph.tenant_id},
            ),
        )


async def test_a_shop_with_a_live_service_does_not_close(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)  # its shop has an ACTIVE service
    supervisor = await signed_in(client, await add_user(owner_engine, graph, "SUPERVISOR"))
    before = await state(owner_engine, graph)
    close = {"i": {"id": gid("Shop", graph.ids["shop"]), "status": "CLOSED", "reason": "Cessation"}}
    body = await supervisor.post(CLOSE, close, **{"Accept-Language": "fr"})
    (error,) = body["data"]["updateShop"]["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and error["field"] == ["input", "status"]
    assert error["message"].startswith("Ce magasin a encore 1 service(s) en cours")
    assert await state(owner_engine, graph) == before  # nothing written

    # The service deactivated (its terminal returned), the shop closes.
    ended = await supervisor.post(
        DEACTIVATE, {"i": {"id": gid("Service", graph.ids["service"]), "reason": "Cessation"}}
    )
    assert ended["data"]["deactivateService"]["userErrors"] == [], ended
    body = await supervisor.post(CLOSE, close)
    assert body["data"]["updateShop"]["userErrors"] == [], body
    assert body["data"]["updateShop"]["shop"]["status"] == "CLOSED"


async def test_closing_returns_the_terminals_assigned_without_a_service(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    spare = uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE services SET status = 'DEACTIVATED' WHERE id = :s"),
            {"s": graph.ids["service"]},
        )
        await conn.execute(
            insert(m.Terminal.__table__).values(
                tenant_id=graph.tenant_id,
                id=spare,
                kind="PAX",
                tid="ZR000001",
                serial_number="SN-ZR-1",
                model="A920",
                status="ASSIGNED",
                shop_id=graph.ids["shop"],
            )
        )
    supervisor = await signed_in(client, await add_user(owner_engine, graph, "SUPERVISOR"))
    body = await supervisor.post(
        CLOSE, {"i": {"id": gid("Shop", graph.ids["shop"]), "status": "CLOSED", "reason": "Vente"}}
    )
    assert body["data"]["updateShop"]["userErrors"] == [], body
    async with owner_engine.connect() as conn:
        status, shop = (
            await conn.execute(
                text("SELECT status, shop_id FROM terminals WHERE id = :t"), {"t": spare}
            )
        ).one()
        entry = (
            await conn.execute(
                text(
                    "SELECT reason, before, after FROM audit_events"
                    " WHERE entity_id = :t AND action = 'terminal.returned'"
                ),
                {"t": spare},
            )
        ).one()
    assert (status, shop) == ("RETURNED", None)
    assert entry.reason == "Vente" and entry.before["status"] == "ASSIGNED"
    assert entry.after["status"] == "RETURNED" and entry.after["shopId"] is None
