"""The merchant's and the contract's documents in the console, in a real browser (Debian's
Chromium, Playwright), against a real server (issue 18).

A seller uploads a Kbis and an identity document on the evaluation request's page (the
GraphQL multipart request, from the console), sees them listed and the missing kinds go away,
is told in French why an executable is refused, and downloads one: the same bytes. Once the
evaluation is approved, the seller signs the contract on the company's page, which then lists
the signed copy; after a fee change the contract's page (Frais) lists an amendment too, and
downloads it with the hash the API gives.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncEngine

from spring.app import create_app
from tests import test_console_browser as ui
from tests.api import gid
from tests.contracts.helpers import add_merchant
from tests.factories import PASSWORD, TenantGraph, add_user
from tests.live import login, post, running
from tests.test_console_browser import Watched, assert_accessible, sign_in
from tests.test_documents import pdf_with_text

try:
    from playwright.async_api import Page, expect
except ImportError:  # the test extra is not installed: pytestmark skips the module
    expect = None  # type: ignore[assignment]

# The browser tests' fixtures and their skip rule, shared with tests/test_console_browser.py.
pytestmark = ui.pytestmark
browser = ui.browser
graph = ui.graph
page = ui.page

ERRORS = "userErrors { field code message }"
SET_KINDS = f"""mutation($i: SetEvaluationDocumentKindsInput!) {{
  setEvaluationDocumentKinds(input: $i) {{ kinds {ERRORS} }} }}"""
REQUEST_EVALUATION = f"""mutation($i: RequestEvaluationInput!) {{
  requestEvaluation(input: $i) {{ request {{ id }} {ERRORS} }} }}"""
APPROVE = f"""mutation($i: ApproveRequestInput!) {{
  approveRequest(input: $i) {{ request {{ status }} {ERRORS} }} }}"""
CREATE = f"""mutation($i: CreateContractInput!) {{ createContract(input: $i) {{
  contract {{ id number }} {ERRORS} }} }}"""
CHANGE_FEES = f"""mutation($i: ChangeContractFeesInput!) {{ changeContractFees(input: $i) {{
  contract {{ id }} {ERRORS} }} }}"""
DOCUMENTS = """query($id: ID!) { node(id: $id) { ... on Contract {
  documents { kind filename sha256 } } } }"""
FEES = {
    "currency": "EUR",
    "terminalRentalMonthly": 2500,
    "softposFeeMonthly": 0,
    "lines": [{"scheme": "CB", "region": "DOMESTIC", "rateBps": 30, "fixedFee": 5}],
}


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
async def base(app_url: str) -> AsyncIterator[str]:
    async with running(create_app(ui._settings(), app_url)) as address:
        yield f"http://{address}"


async def ok(base: str, token: str, query: str, variables: dict[str, Any], field: str) -> Any:
    body = await post(base.removeprefix("http://"), token, query, variables)
    payload = body["data"][field]
    assert payload and payload["userErrors"] == [], body
    return payload


async def upload(p: Page, kind: str, name: str, content: bytes, mime: str) -> None:
    form = p.get_by_role("form", name="Ajouter le document")
    await form.get_by_label("Type de document").select_option(label=kind)
    await form.get_by_label(re.compile("^Fichier")).set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )
    await form.get_by_role("button", name="Ajouter le document").click()


async def downloaded(p: Page, name: str, scope: Any = None) -> bytes:
    async with p.expect_download() as info:
        await (scope or p).get_by_role("button", name=f"Télécharger {name}").click()
    download = await info.value
    assert download.suggested_filename == name
    return await asyncio.to_thread(Path(await download.path()).read_bytes)


async def test_a_seller_uploads_the_evaluation_documents_and_downloads_the_contracts(
    base: str, page: Watched, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    host = base.removeprefix("http://")
    seller = await add_user(owner_engine, graph, "SELLER")
    supervisor = await add_user(owner_engine, graph, "SUPERVISOR")
    seller_token = await login(host, seller, PASSWORD)
    supervisor_token = await login(host, supervisor, PASSWORD)
    await ok(
        base, supervisor_token, SET_KINDS, {"i": {"kinds": ["KBIS", "IDENTITY"]}},
        "setEvaluationDocumentKinds",
    )  # fmt: skip
    merchant = await add_merchant(owner_engine, graph, "PROSPECT")
    company = gid("Company", merchant.company)
    asked = await ok(
        base, seller_token, REQUEST_EVALUATION, {"i": {"companyId": company}}, "requestEvaluation"
    )
    request_id = asked["request"]["id"]

    p = page.page
    await sign_in(p, base, seller)
    await p.goto(f"{base}/demandes/{request_id}")
    await expect(
        p.get_by_role("heading", name=re.compile("^Documents du marchand"))
    ).to_be_visible()
    checklist = p.get_by_test_id("required-documents")
    await expect(checklist.locator("li.missing")).to_have_count(2)
    await expect(p.get_by_role("status").filter(has_text="Il manque encore")).to_contain_text(
        "Extrait Kbis"
    )
    # An executable renamed .pdf: refused, in French, and nothing listed.
    await upload(p, "Extrait Kbis", "kbis.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    await expect(p.get_by_role("alert")).to_contain_text("programme ou une archive")
    table = p.get_by_test_id("company-documents")
    await expect(table.locator("tbody")).to_contain_text("Aucun document.")

    kbis = pdf_with_text("Extrait Kbis de la société")
    await upload(p, "Extrait Kbis", "kbis.pdf", kbis, "application/pdf")
    await expect(table.get_by_role("row", name=re.compile("kbis.pdf"))).to_be_visible()
    await expect(checklist.locator("li.missing")).to_have_count(1)
    await expect(checklist.locator('li[data-kind="KBIS"]')).to_contain_text("fourni")
    identity = png()
    await upload(p, "Pièce d'identité du représentant légal", "cni.png", identity, "image/png")
    row = table.get_by_role("row", name=re.compile("cni.png"))
    await expect(row).to_contain_text("Pièce d'identité du représentant légal")
    await expect(checklist.locator("li.missing")).to_have_count(0)
    await expect(p.get_by_role("status").filter(has_text="Tous les documents")).to_be_visible()
    assert await downloaded(p, "kbis.pdf") == kbis
    await assert_accessible(p)

    # Approved with its documents; the seller makes the contract and signs it in the console.
    await ok(base, supervisor_token, APPROVE, {"i": {"requestId": request_id}}, "approveRequest")
    created = await ok(
        base,
        seller_token,
        CREATE,
        {
            "i": {
                "companyId": company,
                "serviceKinds": ["PAY_ON_SITE"],
                "shopIds": [gid("Shop", merchant.shops[0])],
                "fees": FEES,
            }
        },
        "createContract",
    )
    contract, number = created["contract"]["id"], created["contract"]["number"]
    await p.goto(f"{base}/societes/{company}")
    # The merchant's documents are on the company's page too.
    await expect(p.get_by_test_id("company-documents")).to_contain_text("cni.png")
    signing = p.get_by_role("form", name=f"Signature du contrat {number}")
    await signing.get_by_label(f"Signataire du marchand pour {number}").fill("Léa Marchand")
    await signing.get_by_role("button", name=f"Signer le contrat {number}").click()
    listed = p.get_by_test_id(f"contract-documents-{number}")
    await expect(listed).to_contain_text("Contrat signé")
    await expect(listed).to_contain_text(f"{number}-signe-fr.pdf")

    # A fee change after signature: the contract's page lists an amendment and downloads it.
    await ok(
        base,
        supervisor_token,
        CHANGE_FEES,
        {
            "i": {
                "id": contract,
                "reason": "Renégociation",
                "fees": {
                    "lines": [{"scheme": "CB", "region": "DOMESTIC", "rateBps": 25, "fixedFee": 5}]
                },
            }
        },
        "changeContractFees",
    )
    await p.goto(f"{base}/frais?contract={contract}")
    listed = p.get_by_test_id(f"contract-documents-{number}")
    await expect(listed.locator("tbody tr")).to_have_count(2)
    await expect(listed.locator("tbody tr").nth(1)).to_contain_text("Avenant")
    body = await post(host, seller_token, DOCUMENTS, {"id": contract})
    signed, amendment = body["data"]["node"]["documents"]
    assert (signed["kind"], amendment["kind"]) == ("SIGNED_CONTRACT", "AMENDMENT")
    content = await downloaded(p, amendment["filename"], listed)
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == amendment["sha256"]
    await assert_accessible(p)
    assert page.foreign(base) == [] and page.refused() == []
