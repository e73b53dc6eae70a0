"""docs/walkthrough.md runs, step by step, against fresh demo data: the doc stays true."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pypdf
import pytest
from starlette.applications import Starlette

DOC = Path(__file__).resolve().parent.parent / "docs" / "walkthrough.md"
BLOCK = re.compile(r"```graphql\n(.*?)```\s*```json\n(.*?)```", re.S)
PLACEHOLDER = re.compile(r"\{\{([a-zA-Z0-9_.]+)\}\}")


def steps() -> list[tuple[str, str, str]]:
    found = []
    for query, variables in BLOCK.findall(DOC.read_text()):
        actor = re.search(r"#\s*as:\s*(\S+)", query)
        assert actor, f"a step without '# as:': {query[:60]}"
        found.append((actor.group(1), query, variables))
    return found


def sample_file(name: str) -> tuple[str, bytes, str]:
    """A small file for an upload step: a one-page PDF, or a PNG."""
    if name.endswith(".png"):
        return name, b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png"
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.drawString(72, 720, f"Boulangerie de la Darse - {name}")
    page.save()
    return name, buffer.getvalue(), "application/pdf"


def resolve(path: str, results: dict[str, Any]) -> str:
    now = dt.datetime.now(dt.UTC)
    fixed = {
        "now": now.isoformat(),
        "in_one_hour": (now + dt.timedelta(hours=1)).isoformat(),
        "tomorrow": (now.date() + dt.timedelta(days=1)).isoformat(),
    }
    if path in fixed:
        return fixed[path]
    value: Any = results
    for key in path.split("."):
        value = value[int(key)] if isinstance(value, list) else value[key]
    return str(value)


@pytest.mark.slow
async def test_the_walkthrough_runs_end_to_end(demo_app: Starlette) -> None:
    app = demo_app
    tokens: dict[str, str] = {}
    results: dict[str, Any] = {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://spring.test"
    ) as http:

        async def run(query: str, variables: Any, token: str | None) -> Any:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            file = re.search(r"#\s*file:\s*(\S+)", query)
            if file:  # an upload: the GraphQL multipart request, the file in input.file
                operations = {"query": query, "variables": variables}
                response = await http.post(
                    "/graphql",
                    data={
                        "operations": json.dumps(operations),
                        "map": json.dumps({"0": ["variables.input.file"]}),
                    },
                    files={"0": sample_file(file.group(1))},
                    headers=headers,
                )
            else:
                response = await http.post(
                    "/graphql", json={"query": query, "variables": variables}, headers=headers
                )
            body = response.json()
            assert "errors" not in body, (query[:80], body)
            return body["data"]

        for actor, query, raw in steps():
            variables = json.loads(PLACEHOLDER.sub(lambda m: resolve(m[1], results), raw))
            token = None
            if actor != "anyone":
                if actor not in tokens:
                    data = await run(
                        "mutation($e: String!) { login(input: {email: $e, password:"
                        ' "spring-demo"}) { token } }',
                        {"e": actor},
                        None,
                    )
                    tokens[actor] = data["login"]["token"]
                token = tokens[actor]
            data = await run(query, variables, token)
            for field, payload in data.items():
                if isinstance(payload, dict):
                    assert payload.get("userErrors", []) == [], (field, payload)
                results[field] = payload

        # The seller was told of the approval, linked to the company, and read it.
        told = results["notifications"]["edges"][0]["node"]
        assert told["kind"] == "EVALUATION_APPROVED"
        assert told["subject"]["legalName"] == results["createCompany"]["company"]["legalName"]
        assert told["title"].startswith("Évaluation approuvée")
        assert results["markNotificationsRead"]["notifications"] == [{"read": True}]
        signed = results["signContract"]["contract"]
        assert signed["status"] == "SIGNED"
        # Signed on the document shown; the signed copy downloads with the hash it announces.
        assert signed["signedDocumentSha256"] == results["contractDocument"]["document"]["sha256"]
        assert signed["document"]["kind"] == "SIGNED_CONTRACT"
        copy = await http.get(
            signed["document"]["url"],
            headers={"Authorization": f"Bearer {tokens['seller@alizes.demo']}"},
        )
        assert copy.status_code == 200
        assert hashlib.sha256(copy.content).hexdigest() == signed["document"]["sha256"]
        assert (
            "Maryse Célestine" in pypdf.PdfReader(io.BytesIO(copy.content)).pages[-1].extract_text()
        )
        assert results["evaluation"]["missingDocumentKinds"] == []
        assert [d["kind"] for d in results["evaluation"]["documents"]] == [
            "KBIS",
            "IDENTITY",
            "BANK_DETAILS",
        ]
        assert results["activateService"]["service"]["contract"]["status"] == "ACTIVE"
        assert results["recordTransactions"]["created"] == 2
        assert results["recordTerminalEvents"]["acknowledged"] == 1
        # The technician's reboot went through the gateway and came back DONE.
        assert results["sendTerminalCommand"]["command"]["status"] == "QUEUED"
        (collected,) = results["pendingTerminalCommands"]
        assert (collected["id"], collected["status"]) == (
            results["sendTerminalCommand"]["command"]["id"],
            "SENT",
        )
        assert results["answer"]["commands"] == 1
        latest = results["terminal"]["commands"]["edges"][0]["node"]
        assert (latest["kind"], latest["status"]) == ("REBOOT", "DONE")
        assert latest["requestedByLabel"] == "technician@alizes.demo"
        assert results["blockService"]["service"]["status"] == "BLOCKED"
        # Step 15: the hotline found the company by the caller's phone, as said.
        first = results["search"][0]
        assert first["score"] == 1
        assert first["node"]["id"] == results["createCompany"]["company"]["id"]
        assert first["node"]["contactPhone"] == "+590690123456"
        new, signed = results["changeContractFees"]["contract"]["feeHistory"]
        # Step 13 names two lines and removes one: the line it leaves out carries over.
        assert signed["versionNumber"] == 1 and new["versionNumber"] == 2
        assert {(ln["scheme"], ln["region"], ln["rateBps"]) for ln in new["lines"]} == {
            ("CB", "DOMESTIC", 25),
            ("VISA", "DOMESTIC", 40),
            ("MASTERCARD", "DOMESTIC", 45),
        }
        assert new["terminalRentalMonthly"] == 2000
        # The fee change after signature is an amendment, listed with the contract.
        documents = results["changeContractFees"]["contract"]["documents"]
        assert [d["kind"] for d in documents] == ["SIGNED_CONTRACT", "AMENDMENT"]
        actions = {e["node"]["action"] for e in results["node"]["auditEvents"]["edges"]}
        assert {"contract.created", "contract.signed", "contract.activated"} <= actions
        # The technician took the support ticket, found it in MY REQUESTS, and closed it.
        ticket = results["createRequest"]["request"]
        assert results["takeRequest"]["request"]["status"] == "IN_REVIEW"
        mine = [e["node"]["reference"] for e in results["me"]["requests"]["edges"]]
        assert ticket["reference"] in mine
        assert results["closeRequest"]["request"]["status"] == "DONE"
