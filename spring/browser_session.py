"""The console's session: a refresh token in an httpOnly cookie, exchanged for access tokens.

The console signs in with the `login` mutation like any client, then hands the refresh token
it got to `POST /auth/session`, which spends it at once (rotation) and keeps its successor in
a cookie that scripts cannot read (httpOnly), that the browser sends only to `/auth/*` of this
site (Path=/auth, SameSite=Strict) and only over HTTPS when the site is served so (Secure).
The access token lives in the page's memory only: a reload asks `POST /auth/refresh` for a
new one. `POST /auth/logout` revokes the session (every refresh token of that login) and
clears the cookie.

Against cross-site requests: every route needs the `X-Spring-Console: 1` header (a form or
a simple cross-site request cannot send it, and the CORS middleware does not allow it), and
refuses a request whose Origin or Sec-Fetch-Site says it comes from another site.
"""

from __future__ import annotations

import datetime as dt
import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from db.session import Database
from resolvers import auth
from resolvers import throttle as rt
from schema.context import AuthConfig

COOKIE = "spring_refresh"
COOKIE_PATH = "/auth"
HEADER = "x-spring-console"


def _refused(message: str, status: int) -> JSONResponse:
    return JSONResponse(
        {"error": message}, status_code=status, headers={"Cache-Control": "no-store"}
    )


def cross_site(request: Request) -> str | None:
    """Why this request may not touch the session (None: it may)."""
    if request.headers.get(HEADER) != "1":
        return "this route needs the X-Spring-Console: 1 header"
    origin = request.headers.get("origin")
    if origin is not None:
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin != own:
            return "cross-site request refused"
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return "cross-site request refused"
    return None


def _issued(request: Request, outcome: auth.LoginOutcome) -> JSONResponse:
    assert outcome.token and outcome.refresh_token and outcome.refresh_expires_at
    response = JSONResponse(
        {
            "token": outcome.token,
            "expiresAt": outcome.expires_at.isoformat() if outcome.expires_at else None,
            "refreshExpiresAt": outcome.refresh_expires_at.isoformat(),
        },
        headers={"Cache-Control": "no-store"},
    )
    max_age = int((outcome.refresh_expires_at - dt.datetime.now(dt.UTC)).total_seconds())
    response.set_cookie(
        COOKIE,
        outcome.refresh_token,
        max_age=max(0, max_age),
        path=COOKIE_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


def _cleared(response: Response, request: Request) -> Response:
    response.delete_cookie(
        COOKIE,
        path=COOKIE_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


def session_routes(db: Database, config: AuthConfig) -> list[Route]:
    """`/auth/session`, `/auth/refresh`, `/auth/logout` (POST only)."""

    async def rotate(request: Request, refresh_token: str) -> Response:
        outcome = await auth.refresh(
            db,
            refresh_token=refresh_token,
            secrets=config.secrets,
            lifetime=config.token_lifetime,
            spent=rt.SPENT_REFRESH_TOKENS,
            browser=True,
        )
        if outcome.errors:
            return _cleared(_refused(outcome.errors[0].message, 401), request)
        return _issued(request, outcome)

    async def start(request: Request) -> Response:
        if (why := cross_site(request)) is not None:
            return _refused(why, 403)
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        token = body.get("refreshToken") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token.strip():
            return _refused('send {"refreshToken": "..."} from the login mutation', 400)
        return await rotate(request, token)

    async def refresh(request: Request) -> Response:
        if (why := cross_site(request)) is not None:
            return _refused(why, 403)
        token = request.cookies.get(COOKIE)
        if not token:
            return _refused("no session: sign in", 401)
        return await rotate(request, token)

    async def logout(request: Request) -> Response:
        if (why := cross_site(request)) is not None:
            return _refused(why, 403)
        token = request.cookies.get(COOKIE)
        if token:
            await auth.end_session(
                db, refresh_token=token, secrets=config.secrets, spent=rt.SPENT_REFRESH_TOKENS
            )
        return _cleared(Response(status_code=204, headers={"Cache-Control": "no-store"}), request)

    return [
        Route("/auth/session", start, methods=["POST"]),
        Route("/auth/refresh", refresh, methods=["POST"]),
        Route("/auth/logout", logout, methods=["POST"]),
    ]
