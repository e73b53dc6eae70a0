"""Documents: the contract as a PDF (read back with pypdf), signing on the document shown,
the signed copy and amendments, the merchant's uploads, the evaluation's required documents,
download links, the policy per role, retention."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import uuid
from typing import Any

import pypdf
import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from resolvers import documents as rd
from resolvers.contract_pdf import fee_line_text
from tenancy.principal import Principal
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.contracts.helpers import ERRORS, add_merchant
from tests.factories import TenantGraph, add_user, make_tenant_graph

LINES = [
    {"scheme": scheme, "region": region, "rateBps": 20 + 7 * i, "fixedFee": 3 + i}
    for i, (scheme, region) in enumerate(
        (s, r)
        for s in ("CB", "VISA", "MASTERCARD", "AMEX", "MAESTRO", "VPAY")
        for r in ("DOMESTIC", "EEA", "INTERNATIONAL")
    )
]
FEES = {"currency": "EUR", "terminalRentalMonthly": 2500, "softposFeeMonthly": 990, "lines": LINES}
DOC = "id kind filename contentType sizeBytes sha256 language createdAt url"
CREATE = f"""mutation($i: CreateContractInput!) {{ createContract(input: $i) {{
  contract {{ id number version document {{ {DOC} }} }} {ERRORS} }} }}"""
READ = f"""query($id: ID!, $l: DocumentLanguage) {{ node(id: $id) {{ ... on Contract {{
  status signedDocumentSha256 document(language: $l) {{ {DOC} }}
  documents {{ {DOC} }} }} }} }}"""
UPDATE = f"""mutation($i: UpdateContractDraftInput!) {{ updateContractDraft(input: $i) {{
  contract {{ id version }} {ERRORS} }} }}"""
SIGN = f"""mutation($i: SignContractInput!) {{ signContract(input: $i) {{
  contract {{ id status signedDocumentSha256 document {{ {DOC} }} }} {ERRORS} }} }}"""
CHANGE_FEES = f"""mutation($i: ChangeContractFeesInput!) {{ changeContractFees(input: $i) {{
  contract {{ id documents {{ {DOC} }} }} {ERRORS} }} }}"""
UPLOAD = f"""mutation($i: UploadCompanyDocumentInput!) {{ uploadCompanyDocument(input: $i) {{
  document {{ {DOC} addedBy {{ email }} }} {ERRORS} }} }}"""
COMPANY_DOCS = f"""query($id: ID!) {{ node(id: $id) {{ ... on Company {{
  documents {{ {DOC} addedBy {{ email }} }} }} }} }}"""
SET_KINDS = f"""mutation($i: SetEvaluationDocumentKindsInput!) {{
  setEvaluationDocumentKinds(input: $i) {{ kinds {ERRORS} }} }}"""
REQUEST_EVALUATION = f"""mutation($i: RequestEvaluationInput!) {{ requestEvaluation(input: $i) {{
  request {{ id }} {ERRORS} }} }}"""
EVALUATION = """query($id: ID!) { node(id: $id) { ... on Request {
  missingDocumentKinds documents { kind filename } } } }"""
APPROVE = f"""mutation($i: ApproveRequestInput!) {{ approveRequest(input: $i) {{
  request {{ id status }} {ERRORS} }} }}"""


def pdf_with_text(content: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.drawString(72, 720, content)
    page.save()
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


@pytest.fixture(scope="module")
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {}
    for role in ("SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR"):
        users[role] = await add_user(owner_engine, graph, role)
    users["SELLER2"] = await add_user(owner_engine, graph, "SELLER")
    return graph, users


async def clients(client: GraphQLClient, users: dict[str, str]) -> dict[str, GraphQLClient]:
    return {role: await signed_in(client, users[role]) for role in users}


async def set_iban(engine: AsyncEngine, company: uuid.UUID) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            update(m.Company.__table__)
            .where(m.Company.__table__.c.id == company)
            .values(iban="FR7630006000011234567890189", bic="AGRIFRPP")
        )


async def new_draft(
    engine: AsyncEngine, graph: TenantGraph, seller: GraphQLClient
) -> tuple[Any, dict[str, Any]]:
    merchant = await add_merchant(engine, graph, "APPROVED")
    await set_iban(engine, merchant.company)
    body = await seller.post(
        CREATE,
        {
            "i": {
                "companyId": gid("Company", merchant.company),
                "serviceKinds": ["PAY_ON_SITE", "PAYWISH_SOFTPOS"],
                "shopIds": [gid("Shop", s) for s in merchant.shops],
                "fees": FEES,
            }
        },
    )
    payload = body["data"]["createContract"]
    assert payload["userErrors"] == [], payload
    return merchant, payload["contract"]


async def download(client: GraphQLClient, url: str, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token or client.token}"}
    return await client.http.get(url, headers=headers)


async def upload(
    client: GraphQLClient,
    company: uuid.UUID,
    kind: str,
    name: str,
    content: bytes,
    content_type: str,
    *,
    bearer: bool = True,
) -> Any:
    operations = {
        "query": UPLOAD,
        "variables": {"i": {"companyId": gid("Company", company), "kind": kind, "file": None}},
    }
    headers = {"Authorization": f"Bearer {client.token}"} if bearer else {}
    return await client.http.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.i.file"]})},
        files={"0": (name, content, content_type)},
        headers=headers,
    )


async def count_documents(engine: AsyncEngine, tenant_id: uuid.UUID) -> tuple[int, int]:
    async with engine.connect() as conn:
        docs = await conn.scalar(
            text("SELECT count(*) FROM documents WHERE tenant_id = :t"), {"t": tenant_id}
        )
        blobs = await conn.scalar(
            text("SELECT count(*) FROM document_blobs WHERE tenant_id = :t"), {"t": tenant_id}
        )
    return docs, blobs


# --------------------------------------------------------------------------- the contract


async def test_the_draft_document_shows_the_whole_contract_and_follows_the_draft(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: Any
) -> None:
    graph, users = tenant
    c = await clients(client, users)
    merchant, contract = await new_draft(owner_engine, graph, c["SELLER"])
    document = contract["document"]
    assert document["kind"] == "CONTRACT" and document["contentType"] == "application/pdf"
    assert document["language"] == "fr"
    response = await download(c["SELLER"], document["url"])
    assert response.status_code == 200, response.text
    content = response.content
    assert hashlib.sha256(content).hexdigest() == document["sha256"]
    assert len(content) == document["sizeBytes"]
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert contract["number"] in response.headers["content-disposition"]
    text_ = "\n".join(pages(content))
    flat = text_.replace("\n", " ")
    async with owner_engine.connect() as conn:
        company = (
            await conn.execute(
                text("SELECT siren, legal_name FROM companies WHERE id = :i"),
                {"i": merchant.company},
            )
        ).one()
        sirets = (
            await conn.execute(
                text("SELECT siret FROM shops WHERE id = ANY(:i)"), {"i": merchant.shops}
            )
        ).scalars()
        tenant_name = await conn.scalar(
            text("SELECT name FROM tenants WHERE id = :t"), {"t": graph.tenant_id}
        )
    assert company.siren in text_ and company.legal_name in text_
    for siret in sirets:
        assert siret in text_
    assert contract["number"] in text_ and "Monétik Pay" in text_ and tenant_name in text_
    assert "FR7630006000011234567890189" in text_  # the seller reads the whole IBAN
    assert "CG-MP-2026.1" in text_
    assert "25,00 EUR" in flat and "9,90 EUR" in flat  # rental and SoftPOS monthly fees
    for line in LINES:  # every fee line, with its rate and fixed fee, in order
        assert " ".join(fee_line_text(line, "EUR", "fr")) in flat, line
    # The same data give the same bytes; a change of the draft gives another document.
    again = (await c["SELLER"].post(READ, {"id": contract["id"]}))["data"]["node"]["document"]
    assert again["sha256"] == document["sha256"]
    changed = await c["SELLER"].post(
        UPDATE, {"i": {"id": contract["id"], "shopIds": [gid("Shop", merchant.shops[0])]}}
    )
    assert changed["data"]["updateContractDraft"]["userErrors"] == []
    after = (await c["SELLER"].post(READ, {"id": contract["id"]}))["data"]["node"]["document"]
    assert after["sha256"] != document["sha256"]
    # The old link now names a document that is no more: 410.
    stale = await download(c["SELLER"], document["url"])
    assert stale.status_code == 410, stale.text
    # English on request.
    english = (await c["SELLER"].post(READ, {"id": contract["id"], "l": "EN"}))["data"]["node"]
    content = (await download(c["SELLER"], english["document"]["url"])).content
    flat = " ".join(pages(content)).replace("\n", " ")
    assert "Monétik Pay card acceptance contract" in flat and "Fee schedule" in flat
    assert " ".join(fee_line_text(LINES[0], "EUR", "en")) in flat


async def test_signing_binds_the_document_shown_and_keeps_a_signed_copy(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: Any
) -> None:
    graph, users = tenant
    c = await clients(client, users)
    merchant, contract = await new_draft(owner_engine, graph, c["SELLER"])
    shown = contract["document"]["sha256"]
    # The document required; a document of another state of the draft refused.
    body = await c["SELLER"].post(
        SIGN, {"i": {"id": contract["id"], "signatoryName": "Léa", "documentSha256": " "}}
    )
    (error,) = body["data"]["signContract"]["userErrors"]
    assert error["field"] == ["input", "documentSha256"] and error["code"] == "REQUIRED"
    await c["SELLER"].post(
        UPDATE, {"i": {"id": contract["id"], "shopIds": [gid("Shop", merchant.shops[0])]}}
    )
    body = await c["SELLER"].post(
        SIGN, {"i": {"id": contract["id"], "signatoryName": "Léa", "documentSha256": shown}}
    )
    (error,) = body["data"]["signContract"]["userErrors"]
    assert error["code"] == "CONFLICT" and contract["number"] in error["message"]
    read = (await c["SELLER"].post(READ, {"id": contract["id"]}))["data"]["node"]
    assert read["status"] == "DRAFT" and read["signedDocumentSha256"] is None
    assert read["documents"] == []
    # Signed on the document as it is now (shown in English: that one counts too).
    english = (await c["SELLER"].post(READ, {"id": contract["id"], "l": "EN"}))["data"]["node"]
    current = english["document"]["sha256"]
    body = await c["SELLER"].post(
        SIGN,
        {
            "i": {
                "id": contract["id"],
                "signatoryName": "Maryse Célestine",
                "documentSha256": current,
            }
        },
    )
    payload = body["data"]["signContract"]
    assert payload["userErrors"] == [], payload
    signed = payload["contract"]
    assert signed["status"] == "SIGNED" and signed["signedDocumentSha256"] == current
    copy = signed["document"]
    assert copy["kind"] == "SIGNED_CONTRACT" and copy["language"] == "en"
    response = await download(c["SELLER"], copy["url"])
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == copy["sha256"]
    text_ = pages(response.content)
    assert "Maryse Célestine" in text_[-1] and current in text_[-1].replace("\n", "")
    assert "Signature" in text_[-1]
    # It never changes: editing the company afterwards leaves the signed copy as it was.
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE companies SET legal_name = 'Renamed SAS' WHERE id = :i"),
            {"i": merchant.company},
        )
    later = (await c["SELLER"].post(READ, {"id": contract["id"], "l": "EN"}))["data"]["node"]
    assert later["document"]["sha256"] == copy["sha256"]
    assert [d["kind"] for d in later["documents"]] == ["SIGNED_CONTRACT"]
    # A later fee version is an amendment, listed with the contract.
    body = await c["SUPERVISOR"].post(
        CHANGE_FEES,
        {
            "i": {
                "id": contract["id"],
                "reason": "Baisse négociée",
                "fees": {
                    "lines": [{"scheme": "CB", "region": "DOMESTIC", "rateBps": 11, "fixedFee": 2}]
                },
            }
        },
    )
    payload = body["data"]["changeContractFees"]
    assert payload["userErrors"] == [], payload
    kinds = [d["kind"] for d in payload["contract"]["documents"]]
    assert kinds == ["SIGNED_CONTRACT", "AMENDMENT"]
    amendment = payload["contract"]["documents"][1]
    content = (await download(c["SUPERVISOR"], amendment["url"])).content
    flat = " ".join(pages(content)).replace("\n", " ")
    assert "Avenant" in flat and "Baisse négociée" in flat and "0,11 %" in flat
    assert contract["number"] in flat


# --------------------------------------------------------------------------- policy, links


async def test_who_reads_documents_and_how_the_iban_shows(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: Any
) -> None:
    graph, users = tenant
    c = await clients(client, users)
    merchant, contract = await new_draft(owner_engine, graph, c["SELLER"])
    hotline = (await c["HOTLINE"].post(READ, {"id": contract["id"]}))["data"]["node"]
    content = (await download(c["HOTLINE"], hotline["document"]["url"])).content
    flat = " ".join(pages(content))
    assert "FR7630006000011234567890189" not in flat and "0189" in flat  # masked
    assert hotline["document"]["sha256"] != contract["document"]["sha256"]
    technician = await c["TECHNICIAN"].post(READ, {"id": contract["id"]})
    assert technician["data"]["node"]["document"] is None
    assert {e["extensions"]["code"] for e in technician["errors"]} == {"FORBIDDEN"}
    company = await c["HOTLINE"].post(COMPANY_DOCS, {"id": gid("Company", merchant.company)})
    assert company["data"]["node"]["documents"] is None
    # Links: for their user only, short-lived, with a bearer token.
    url = contract["document"]["url"]
    other = await download(c["SELLER2"], url)
    assert other.status_code == 403, other.text
    assert (await c["SELLER"].http.get(url)).status_code == 401
    forged = url.replace("sig=", "sig=0")
    assert (await download(c["SELLER"], forged)).status_code == 403
    # A link made five minutes and one second ago has expired.
    seller_id = await _user_id(owner_engine, users["SELLER"])
    principal = Principal.__new__(Principal)
    object.__setattr__(principal, "user_id", seller_id)
    view = contract["document"]
    old = rd.download_url(
        [_secret()],
        view["id"],
        view["language"],
        view["sha256"],
        principal,
        now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5, seconds=1),
    )
    expired = await download(c["SELLER"], old)
    assert expired.status_code == 410 and "expired" in expired.text
    fresh = rd.download_url([_secret()], view["id"], view["language"], view["sha256"], principal)
    assert (await download(c["SELLER"], fresh)).status_code == 200


def _secret() -> str:
    from tests.conftest import TEST_SECRET

    return TEST_SECRET


async def _user_id(engine: AsyncEngine, email: str) -> uuid.UUID:
    async with engine.connect() as conn:
        return await conn.scalar(text("SELECT id FROM users WHERE email = :e"), {"e": email})


# --------------------------------------------------------------------------- uploads


async def test_uploads_are_recognised_by_their_bytes_and_bad_ones_store_nothing(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: Any
) -> None:
    graph, users = tenant
    c = await clients(client, users)
    merchant = await add_merchant(owner_engine, graph, "PROSPECT")
    before = await count_documents(owner_engine, graph.tenant_id)
    bad = [
        ("empty.pdf", b"", "application/pdf", "REQUIRED", "vide"),
        (
            "big.png",
            PNG + b"\x00" * (10 * 1024 * 1024),
            "image/png",
            "OUT_OF_RANGE",
            "10 Mo",
        ),
        ("facture.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf", "INVALID", "programme"),
        ("scan.png", PNG, "application/pdf", "INVALID", "image/png"),
        ("notes.txt", b"hello", "text/plain", "INVALID", "PDF, JPEG et PNG"),
        (
            "rib.pdf",
            pdf_with_text("Carte 4111 1111 1111 1111 pour test"),
            "application/pdf",
            "CARD_DATA_REFUSED",
            "carte",
        ),
    ]
    for name, content, content_type, code, words in bad:
        response = await upload(c["SELLER"], merchant.company, "KBIS", name, content, content_type)
        assert response.status_code == 200, (name, response.text)
        payload = response.json()["data"]["uploadCompanyDocument"]
        assert payload["document"] is None, name
        (error,) = payload["userErrors"]
        assert error["code"] == code and words in error["message"], (name, error)
    # Another tenant's company: not found; a generated kind: refused.
    other = await make_tenant_graph(owner_engine)
    response = await upload(
        c["SELLER"], other.ids["company"], "KBIS", "k.pdf", pdf_with_text("Kbis"), PDF_TYPE
    )
    (error,) = response.json()["data"]["uploadCompanyDocument"]["userErrors"]
    assert error["code"] == "NOT_FOUND"
    response = await upload(
        c["SELLER"], merchant.company, "SIGNED_CONTRACT", "k.pdf", pdf_with_text("x"), PDF_TYPE
    )
    (error,) = response.json()["data"]["uploadCompanyDocument"]["userErrors"]
    assert error["field"] == ["input", "kind"]
    assert await count_documents(owner_engine, graph.tenant_id) == before
    # Without a bearer token a multipart request is refused before anything (CSRF).
    response = await upload(
        c["SELLER"],
        merchant.company,
        "KBIS",
        "k.pdf",
        pdf_with_text("Kbis"),
        PDF_TYPE,
        bearer=False,
    )
    assert response.status_code == 400
    # Good ones: stored, listed with who added them; the hotline may not upload.
    kbis = pdf_with_text("Extrait Kbis de la société")
    for kind, name, content, content_type in (
        ("KBIS", "kbis.pdf", kbis, "application/pdf"),
        ("IDENTITY", "cni.jpg", JPEG, "image/jpeg"),
        ("BANK_DETAILS", "rib.png", PNG, "application/octet-stream"),
    ):
        response = await upload(c["SELLER"], merchant.company, kind, name, content, content_type)
        payload = response.json()["data"]["uploadCompanyDocument"]
        assert payload["userErrors"] == [], payload
        document = payload["document"]
        assert document["sha256"] == hashlib.sha256(content).hexdigest()
        assert document["addedBy"]["email"] == users["SELLER"]
    assert document["contentType"] == "image/png"
    response = await upload(c["HOTLINE"], merchant.company, "OTHER", "x.pdf", kbis, PDF_TYPE)
    assert response.json()["data"]["uploadCompanyDocument"] is None
    listed = await c["SUPERVISOR"].post(COMPANY_DOCS, {"id": gid("Company", merchant.company)})
    documents = listed["data"]["node"]["documents"]
    assert [d["kind"] for d in documents] == ["KBIS", "IDENTITY", "BANK_DETAILS"]
    got = await download(c["SUPERVISOR"], documents[0]["url"])
    assert got.status_code == 200 and got.content == kbis
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["cache-control"] == "private, no-store"


PDF_TYPE = "application/pdf"


# --------------------------------------------------------------------------- evaluations


async def test_an_evaluation_is_approved_only_with_the_documents_the_tenant_requires(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    users = {r: await add_user(owner_engine, graph, r) for r in ("SELLER", "SUPERVISOR")}
    c = await clients(client, users)
    body = await c["SELLER"].post(SET_KINDS, {"i": {"kinds": ["KBIS"]}})
    assert body["data"]["setEvaluationDocumentKinds"] is None  # a supervisor's choice
    body = await c["SUPERVISOR"].post(SET_KINDS, {"i": {"kinds": ["KBIS", "IDENTITY"]}})
    assert body["data"]["setEvaluationDocumentKinds"] == {
        "kinds": ["KBIS", "IDENTITY"],
        "userErrors": [],
    }
    merchant = await add_merchant(owner_engine, graph, "PROSPECT")
    body = await c["SELLER"].post(
        REQUEST_EVALUATION, {"i": {"companyId": gid("Company", merchant.company)}}
    )
    request_id = body["data"]["requestEvaluation"]["request"]["id"]
    await upload(c["SELLER"], merchant.company, "KBIS", "kbis.pdf", pdf_with_text("K"), PDF_TYPE)
    seen = (await c["SUPERVISOR"].post(EVALUATION, {"id": request_id}))["data"]["node"]
    assert seen == {
        "missingDocumentKinds": ["IDENTITY"],
        "documents": [{"kind": "KBIS", "filename": "kbis.pdf"}],
    }
    body = await c["SUPERVISOR"].post(APPROVE, {"i": {"requestId": request_id}})
    (error,) = body["data"]["approveRequest"]["userErrors"]
    assert "IDENTITY" in error["message"] and "KBIS" not in error["message"]
    await upload(c["SELLER"], merchant.company, "IDENTITY", "cni.png", PNG, "image/png")
    body = await c["SUPERVISOR"].post(APPROVE, {"i": {"requestId": request_id}})
    assert body["data"]["approveRequest"]["userErrors"] == []
    assert body["data"]["approveRequest"]["request"]["status"] == "APPROVED"


# --------------------------------------------------------------------------- retention


async def test_purge_deletes_identity_documents_of_companies_closed_past_retention(
    client: GraphQLClient, owner_engine: AsyncEngine, owner_url: str, tenant: Any
) -> None:
    graph, users = tenant
    c = await clients(client, users)
    closed = await add_merchant(owner_engine, graph, "PROSPECT")
    recent = await add_merchant(owner_engine, graph, "PROSPECT")
    identity = b"\xff\xd8\xff\xe1" + uuid.uuid4().bytes
    for merchant in (closed, recent):
        for kind, name, content, content_type in (
            ("IDENTITY", "cni.jpg", identity, "image/jpeg"),
            ("KBIS", "k.pdf", pdf_with_text("K"), PDF_TYPE),
        ):
            response = await upload(
                c["SELLER"], merchant.company, kind, name, content, content_type
            )
            assert response.json()["data"]["uploadCompanyDocument"]["userErrors"] == []
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE companies SET status = 'CLOSED', updated_at = now() - interval '6 years'"
                " WHERE id = :i"
            ),
            {"i": closed.company},
        )
        await conn.execute(
            text("UPDATE companies SET status = 'CLOSED' WHERE id = :i"), {"i": recent.company}
        )
    purged = await rd.purge_documents(owner_url, 1825)
    sirens = {await _siren(owner_engine, x.company) for x in (closed, recent)}
    assert [(p.siren, p.filename) for p in purged if p.siren in sirens] == [
        (await _siren(owner_engine, closed.company), "cni.jpg")
    ]
    async with owner_engine.connect() as conn:
        kinds = (
            await conn.execute(
                text("SELECT company_id, kind FROM documents WHERE company_id = ANY(:c)"),
                {"c": [closed.company, recent.company]},
            )
        ).all()
        blob = await conn.scalar(
            text("SELECT count(*) FROM document_blobs WHERE sha256 = :s"),
            {"s": hashlib.sha256(identity).hexdigest()},
        )
    assert sorted((k.company_id == closed.company, k.kind) for k in kinds) == [
        (False, "IDENTITY"),
        (False, "KBIS"),
        (True, "KBIS"),
    ]
    assert blob == 1  # still named by the recent company's document


async def _siren(engine: AsyncEngine, company: uuid.UUID) -> str:
    async with engine.connect() as conn:
        return await conn.scalar(text("SELECT siren FROM companies WHERE id = :i"), {"i": company})
