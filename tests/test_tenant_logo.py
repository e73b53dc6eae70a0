"""The tenant's logo on its contract documents (issue 18: "the tenant's name and logo").

`setTenantLogo` (GraphQL multipart request) sets or removes it; `Tenant.logo` reads it. The
PDFs are read back with pypdf: the first page of a draft's document, of a signed copy and of
an amendment holds an image XObject while a logo is set; a draft's document follows the
change, a signed copy made before it keeps its bytes. Bad input writes nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
from typing import Any

import pypdf
import pytest
from PIL import Image
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api import signed_in
from tests.conftest import GraphQLClient
from tests.contracts.helpers import ERRORS
from tests.factories import TenantGraph, add_user, make_tenant_graph
from tests.test_documents import CHANGE_FEES, READ, SIGN, download, new_draft, pdf_with_text

LOGO = "id kind filename contentType sizeBytes sha256 createdAt url addedBy { email }"
SET_LOGO = f"""mutation($i: SetTenantLogoInput!) {{ setTenantLogo(input: $i) {{
  logo {{ {LOGO} }} {ERRORS} }} }}"""
READ_LOGO = f"{{ me {{ tenant {{ logo {{ {LOGO} }} }} }} }}"


def image(kind: str, size: tuple[int, int] = (120, 40), noise: bool = False) -> bytes:
    """A real PNG or JPEG (a coloured band, or random pixels that do not compress)."""
    if noise:
        picture = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        picture = Image.new("RGB", size, (200, 30, 60) if kind == "PNG" else (20, 90, 200))
    buffer = io.BytesIO()
    picture.save(buffer, format=kind)
    return buffer.getvalue()


def first_page_images(content: bytes) -> int:
    """How many image XObjects the PDF's first page draws."""
    page = pypdf.PdfReader(io.BytesIO(content)).pages[0]
    xobjects = page["/Resources"].get("/XObject")
    if xobjects is None:
        return 0
    xobjects = xobjects.get_object()
    return sum(1 for name in xobjects if xobjects[name].get_object()["/Subtype"] == "/Image")


async def send_logo(
    client: GraphQLClient, content: bytes, name: str, content_type: str
) -> dict[str, Any]:
    operations = {"query": SET_LOGO, "variables": {"i": {"file": None}}}
    response = await client.http.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.i.file"]})},
        files={"0": (name, content, content_type)},
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


async def stored(engine: AsyncEngine, tenant_id: uuid.UUID) -> tuple[Any, int, int]:
    """The tenant's logo hash, its blob count and its journal entries about the logo."""
    async with engine.connect() as conn:
        sha = await conn.scalar(
            text("SELECT logo_sha256 FROM document_settings WHERE tenant_id = :t"),
            {"t": tenant_id},
        )
        blobs = await conn.scalar(
            text("SELECT count(*) FROM document_blobs WHERE tenant_id = :t"), {"t": tenant_id}
        )
        events = await conn.scalar(
            text(
                "SELECT count(*) FROM audit_events WHERE tenant_id = :t"
                " AND action LIKE 'tenant.logo%'"
            ),
            {"t": tenant_id},
        )
    return sha, blobs, events


@pytest.fixture(scope="module")
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {role: await add_user(owner_engine, graph, role) for role in ("SELLER", "SUPERVISOR")}
    return graph, users


async def document_of(client: GraphQLClient, contract_id: str) -> tuple[dict[str, Any], bytes]:
    node = (await client.post(READ, {"id": contract_id}))["data"]["node"]
    response = await download(client, node["document"]["url"])
    assert response.status_code == 200, response.text
    assert hashlib.sha256(response.content).hexdigest() == node["document"]["sha256"]
    return node, response.content


async def test_the_logo_is_drawn_on_drafts_and_kept_on_signed_copies(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: Any
) -> None:
    graph, users = tenant
    seller = await signed_in(client, users["SELLER"])
    supervisor = await signed_in(client, users["SUPERVISOR"])
    _, draft = await new_draft(owner_engine, graph, seller)
    _, signed = await new_draft(owner_engine, graph, seller)
    # No logo yet: no image on the first page.
    assert (await supervisor.post(READ_LOGO))["data"]["me"]["tenant"]["logo"] is None
    before, content = await document_of(seller, draft["id"])
    assert first_page_images(content) == 0

    # Who may change the tenant's settings sets it; a seller may not.
    png = image("PNG")
    refused = await send_logo(seller, png, "logo.png", "image/png")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await send_logo(supervisor, png, "logo.png", "image/png")
    payload = body["data"]["setTenantLogo"]
    assert payload["userErrors"] == [], payload
    logo = payload["logo"]
    assert logo["kind"] == "LOGO" and logo["contentType"] == "image/png"
    assert logo["sha256"] == hashlib.sha256(png).hexdigest() and logo["sizeBytes"] == len(png)
    assert logo["addedBy"]["email"] == users["SUPERVISOR"]
    read = (await seller.post(READ_LOGO))["data"]["me"]["tenant"]["logo"]
    assert read["sha256"] == logo["sha256"]
    response = await download(seller, read["url"])
    assert response.status_code == 200 and response.content == png
    assert response.headers["content-type"].startswith("image/png")

    # The draft's document follows the change: another hash, the logo on its first page.
    after, content = await document_of(seller, draft["id"])
    assert after["document"]["sha256"] != before["document"]["sha256"]
    assert first_page_images(content) == 1

    # Signed with the logo: the signed copy draws it, and keeps its bytes after a new logo.
    shown = (await seller.post(READ, {"id": signed["id"]}))["data"]["node"]["document"]
    body = await seller.post(
        SIGN, {"i": {"id": signed["id"], "signatoryName": "Léa", "documentSha256": shown["sha256"]}}
    )
    assert body["data"]["signContract"]["userErrors"] == [], body
    copy, copy_bytes = await document_of(seller, signed["id"])
    assert copy["document"]["kind"] == "SIGNED_CONTRACT" and first_page_images(copy_bytes) == 1
    jpeg = image("JPEG", (200, 100))
    body = await send_logo(supervisor, jpeg, "nouveau.jpg", "image/jpeg")
    assert body["data"]["setTenantLogo"]["logo"]["contentType"] == "image/jpeg", body
    later, later_bytes = await document_of(seller, signed["id"])
    assert later["document"]["sha256"] == copy["document"]["sha256"]
    assert later_bytes == copy_bytes
    redrawn, _ = await document_of(seller, draft["id"])
    assert redrawn["document"]["sha256"] != after["document"]["sha256"]

    # An amendment made now draws the new logo; removing the logo changes neither.
    body = await supervisor.post(
        CHANGE_FEES,
        {
            "i": {
                "id": signed["id"],
                "reason": "Baisse négociée",
                "fees": {
                    "lines": [{"scheme": "CB", "region": "DOMESTIC", "rateBps": 11, "fixedFee": 2}]
                },
            }
        },
    )
    documents = body["data"]["changeContractFees"]["contract"]["documents"]
    assert [d["kind"] for d in documents] == ["SIGNED_CONTRACT", "AMENDMENT"]
    amendment = (await download(supervisor, documents[1]["url"])).content
    assert first_page_images(amendment) == 1
    body = await supervisor.post(SET_LOGO, {"i": {"remove": True}})
    assert body["data"]["setTenantLogo"] == {"logo": None, "userErrors": []}
    assert (await seller.post(READ_LOGO))["data"]["me"]["tenant"]["logo"] is None
    _, content = await document_of(seller, draft["id"])
    assert first_page_images(content) == 0
    node = (await seller.post(READ, {"id": signed["id"]}))["data"]["node"]
    assert [d["sha256"] for d in node["documents"]] == [d["sha256"] for d in documents]
    assert (await download(seller, node["documents"][1]["url"])).content == amendment
    # The old link to the logo no longer names a logo.
    assert (await download(seller, read["url"])).status_code == 410
    async with owner_engine.connect() as conn:
        actions = (
            await conn.execute(
                text(
                    "SELECT action FROM audit_events WHERE tenant_id = :t"
                    " AND action LIKE 'tenant.logo%' ORDER BY occurred_at"
                ),
                {"t": graph.tenant_id},
            )
        ).scalars()
        assert list(actions) == ["tenant.logo_set", "tenant.logo_set", "tenant.logo_removed"]


async def test_bad_logos_are_refused_and_write_nothing(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: Any
) -> None:
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    before = await stored(owner_engine, graph.tenant_id)
    cases = [
        (pdf_with_text("Kbis"), "logo.png", "application/pdf", "INVALID", "PNG"),
        (b"MZ\x90\x00" + b"\x00" * 64, "logo.png", "image/png", "INVALID", "programme"),
        (b"", "logo.png", "image/png", "REQUIRED", "vide"),
        (image("PNG", (600, 600), noise=True), "big.png", "image/png", "OUT_OF_RANGE", "512"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png", "image/png", "INVALID", "illisible"),
        (image("PNG", (5000, 2)), "wide.png", "image/png", "INVALID", "4096"),
        (image("PNG"), "logo.png", "image/jpeg", "INVALID", "image/png"),
    ]
    for content, name, content_type, code, words in cases:
        body = await send_logo(supervisor, content, name, content_type)
        payload = body["data"]["setTenantLogo"]
        assert payload["logo"] is None, (name, payload)
        (error,) = payload["userErrors"]
        assert error["code"] == code and error["field"] == ["input", "file"], (name, error)
        assert words in error["message"], (name, error)
    for variables in ({"i": {}}, {"i": {"remove": False}}):
        body = await supervisor.post(SET_LOGO, variables)
        (error,) = body["data"]["setTenantLogo"]["userErrors"]
        assert error["code"] == "INVALID", error
    assert await stored(owner_engine, graph.tenant_id) == before


async def test_a_logo_is_the_tenants_own(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: Any
) -> None:
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    other = await make_tenant_graph(owner_engine)
    other_users = {r: await add_user(owner_engine, other, r) for r in ("SELLER", "SUPERVISOR")}
    other_seller = await signed_in(client, other_users["SELLER"])
    png = image("PNG")
    body = await send_logo(supervisor, png, "logo.png", "image/png")
    logo = body["data"]["setTenantLogo"]["logo"]
    # The other tenant sees no logo, draws none, and the link does not work for its staff.
    assert (await other_seller.post(READ_LOGO))["data"]["me"]["tenant"]["logo"] is None
    _, draft = await new_draft(owner_engine, other, other_seller)
    _, content = await document_of(other_seller, draft["id"])
    assert first_page_images(content) == 0
    assert (await download(other_seller, logo["url"])).status_code == 403
    # Nor may the other tenant's supervisor name this tenant's logo: its own changes.
    other_supervisor = await signed_in(client, other_users["SUPERVISOR"])
    assert (await stored(owner_engine, other.tenant_id))[0] is None
    body = await other_supervisor.post(SET_LOGO, {"i": {"remove": True}})
    assert body["data"]["setTenantLogo"]["userErrors"] == []
    assert (await stored(owner_engine, graph.tenant_id))[0] == logo["sha256"]
