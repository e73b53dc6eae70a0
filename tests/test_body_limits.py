"""The 413 answer names the limit the request was held to: a JSON request the body limit
(`max_body_bytes`), a multipart upload the upload's (`max_upload_bytes` and room for its
form), which used to be answered with the JSON limit's figure."""

from __future__ import annotations

import json

import httpx

from spring.app import create_app
from spring.settings import Settings
from tests.conftest import TEST_SECRET


async def test_an_upload_over_its_limit_is_told_the_upload_limit(app_url: str) -> None:
    app = create_app(
        Settings(secret_key=TEST_SECRET, max_body_bytes=2048, max_upload_bytes=4096), app_url
    )
    upload_limit = 4096 + 64 * 1024
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://spring.test"
        ) as http:
            operations = {"query": "mutation($f: Upload!) { x(f: $f) }", "variables": {"f": None}}
            response = await http.post(
                "/graphql",
                data={
                    "operations": json.dumps(operations),
                    "map": json.dumps({"0": ["variables.f"]}),
                },
                files={"0": ("big.pdf", b"%PDF" + b"x" * (upload_limit + 10), "application/pdf")},
            )
            assert response.status_code == 413
            message = response.json()["errors"][0]["message"]
            assert message == f"Request body larger than {upload_limit} bytes.", message
            json_body = await http.post("/graphql", json={"query": "{ __typename }" + " " * 4096})
            assert json_body.status_code == 413
            assert (
                json_body.json()["errors"][0]["message"] == "Request body larger than 2048 bytes."
            )
    finally:
        await app.state.database.dispose()
