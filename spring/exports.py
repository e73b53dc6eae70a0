"""`GET /exports/{transactions,audit-events,terminals}.csv?filter=<JSON>&orderBy=<JSON>`: a list
as CSV, in the order asked (transactions and terminals) or the list's own.

Authenticated like /graphql (`Authorization: Bearer <token>`, `X-Tenant` for a platform
admin). The answer streams (chunked): a header row, then the rows, UTF-8; errors come before
any row, as JSON in the API's error shape (`{"errors": [{"message", "extensions": {"code"}}]}`):
401 without a valid token, 403 for a role that may not read the list, 404 for an unknown
export, 400 for a filter the API would refuse (the same message) or an export of more rows than
SPRING_EXPORT_MAX_ROWS (`EXPORT_TOO_LARGE`, with the count and the limit).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from db.identifiers import request_id
from db.session import Database
from resolvers import exports as rx
from resolvers.errors import SpringError, Text
from resolvers.messages import user_locale
from schema.context import AuthConfig, Context
from schema.exports import EXPORTS, prepare
from transport.context import authenticate, bearer_token

STATUS = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403, "NOT_FOUND": 404, "BAD_USER_INPUT": 400}


def _error(code: str, message: str, status: int | None = None, **extensions: Any) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    return JSONResponse(body, status_code=status or STATUS.get(code, 400))


def export_routes(schema: Any, db: Database, auth: AuthConfig, max_rows: int) -> list[Route]:
    async def export(request: Request) -> Response:
        name = request.path_params["name"]
        locale = user_locale(None, request.headers.get("accept-language"))
        spec = EXPORTS.get(name)
        if spec is None:
            return _error("NOT_FOUND", Text("export_unknown", name=name).render(locale))
        context = Context(
            request=request,
            response=None,
            db=db,
            auth=auth,
            request_id=request.scope.get("spring.request_id") or request_id(),
        )
        token = bearer_token(request.headers.get("authorization"))
        try:
            if token is not None:
                await authenticate(context, token, request.headers.get("x-tenant"))
            principal = context.require_principal()
            locale = context.locale()
        except SpringError as exc:
            return _error(exc.code.value, exc.localized(locale), **exc.extensions)
        finally:
            await context.finish(commit=False)
        # The request log reads who asked.
        request.scope["spring.context"] = context
        try:
            prepared = await prepare(
                schema,
                db,
                spec,
                principal,
                request.query_params.get("filter"),
                request.query_params.get("orderBy"),
            )
        except SpringError as exc:
            return _error(exc.code.value, exc.localized(locale), **exc.extensions)
        claims = principal.db_claims()
        rows = await rx.count_rows(db, claims, prepared.statement)
        if rows > max_rows:
            return _error(
                "EXPORT_TOO_LARGE",
                Text("export_too_large", rows=rows, maximum=max_rows).render(locale),
                400,
                rows=rows,
                maxRows=max_rows,
            )
        return StreamingResponse(
            rx.stream_csv(db, claims, prepared.statement, prepared.columns),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{name}.csv"',
                "X-Export-Rows": str(rows),
                "Cache-Control": "no-store",
            },
        )

    return [Route("/exports/{name}.csv", export, methods=["GET"])]
