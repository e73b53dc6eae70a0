"""GET /documents/{id}: a document's bytes through a short-lived link made for one user.

The link (`Document.url`) is an HMAC of the document, its hash, its expiry (5 minutes) and
the user it was made for; the request must also carry that user's bearer token, so a link
passed on to someone else does not work. The policy is checked again (a role that may no
longer read documents gets 403), a draft changed since the link was made gives 410, and the
answer is never kept by shared caches.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from db.identifiers import request_id
from db.session import Database
from resolvers import documents as rd
from resolvers.errors import SpringError
from schema.context import AuthConfig, Context
from transport.context import authenticate, bearer_token

NO_STORE = {"Cache-Control": "private, no-store"}


def _refused(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=NO_STORE)


def content_disposition(filename: str) -> str:
    """attachment; with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def document_routes(database: Database, auth_config: AuthConfig) -> list[Route]:
    async def get_document(request: Request) -> Response:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            return _refused(401, "a document is downloaded with your bearer token")
        context = Context(
            request=request,
            response=None,
            db=database,
            auth=auth_config,
            request_id=request.scope.get("spring.request_id") or request_id(),
        )
        # The request log reads who asked.
        request.scope["spring.context"] = context
        try:
            await authenticate(context, token, request.headers.get("x-tenant"))
            try:
                principal = context.require_principal()
            except SpringError:
                return _refused(401, "sign in again")
            if principal.tenant_id is None:
                return _refused(403, "documents belong to a tenant: send X-Tenant")
            doc_id = request.path_params["document_id"]
            try:
                language, sha = rd.check_link(
                    auth_config.secrets, doc_id, dict(request.query_params), principal
                )
                async with context.db_session() as session:
                    view = await rd.download(session, principal, doc_id, language, sha)
            except rd.LinkRefused as refused:
                return _refused(refused.status, refused.reason)
        finally:
            await context.finish(commit=False)
        return Response(
            view.content,
            media_type=view.content_type,
            headers={
                **NO_STORE,
                "Content-Disposition": content_disposition(view.filename),
                "X-Content-Type-Options": "nosniff",
                "ETag": f'"{view.sha256}"',
            },
        )

    return [Route("/documents/{document_id}", get_document, methods=["GET"])]
