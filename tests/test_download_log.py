"""The request log says who downloaded a document (its line carries the user, tenant and role),
as it does for every GraphQL request and export: a download is an access to merchant data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_user, make_tenant_graph
from tests.operations.conftest import logs  # noqa: F401 (fixture)
from tests.operations.helpers import Captured
from tests.test_documents import PDF_TYPE, download, pdf_with_text, upload


async def test_a_document_download_is_logged_with_who_asked(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    logs: Captured,  # noqa: F811
) -> None:
    graph = await make_tenant_graph(owner_engine)
    seller = await add_user(owner_engine, graph, "SELLER")
    await client.login(seller, PASSWORD)
    response = await upload(
        client, graph.ids["company"], "KBIS", "kbis.pdf", pdf_with_text("Kbis"), PDF_TYPE
    )
    payload: dict[str, Any] = response.json()["data"]["uploadCompanyDocument"]
    assert payload["userErrors"] == [], payload
    got = await download(client, payload["document"]["url"])
    assert got.status_code == 200

    (line,) = [r for r in logs.requests() if r["path"].startswith("/documents/")]
    async with owner_engine.connect() as conn:
        seller_id = await conn.scalar(text("SELECT id FROM users WHERE email = :e"), {"e": seller})
    assert line["status"] == 200
    assert line["user_id"] == str(seller_id)
    assert line["tenant_id"] == str(graph.tenant_id)
    assert line["role"] == "SELLER"
