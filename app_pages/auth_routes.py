"""HTTP pieces beside the Streamlit app: the pre-sign-in nonce cookie, and the routes that set and clear
the HttpOnly session cookie.

A script cannot set an HttpOnly cookie over the websocket, so a successful sign-in hands the browser a
one-time code; GET /auth/session exchanges it for a server-side session and sets the cookie. The code is
bound to the browser that signed in: every page load without one gets a random nonce cookie (HttpOnly,
SameSite=Lax) from `NonceCookieMiddleware`; the sign-in page reads it (`st.context.cookies`) and the
handoff stores its hash; /auth/session redeems the code only for a browser presenting the same nonce, so a
code opened in another browser (login CSRF) does nothing. All state is in the database and the cookie:
any app server can serve any step.
"""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import unquote

from sqlalchemy.engine import Engine
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from evaluation.db import database_url, shared_engine, write_session
from evaluation.services.auth import COOKIE_NAME, NONCE_COOKIE, logout, redeem_handoff
from evaluation.settings import cookie_secure, session_max_lifetime

NONCE_LIFETIME_S = 24 * 3600
_LOCAL_PATH = re.compile(r"/(?![/\\])[^\\\x00-\x1f\x7f]*")


def _engine(url: str) -> Engine:
    return shared_engine(url)  # the same pool as the pages (evaluation.db.shared_engine)


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else "/": one leading "/", then no "//", no backslash
    (browsers read "/\\host" as "//host"), no scheme, no control characters, also once percent-decoded."""
    if not target:
        return "/"
    for form in (target, unquote(target)):
        if not _LOCAL_PATH.fullmatch(form) or "//" in form or ":" in form.split("?", 1)[0]:
            return "/"
    return target


def _safe_next(request: Request) -> str:
    return safe_next(request.query_params.get("next"))


def _secure(request: Request) -> bool:
    return cookie_secure() or request.url.scheme == "https"


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def nonce_cookie_header(nonce: str, *, secure: bool) -> str:
    """The Set-Cookie value of a pre-sign-in nonce."""
    flags = f"; Max-Age={NONCE_LIFETIME_S}; Path=/; HttpOnly; SameSite=Lax"
    return f"{NONCE_COOKIE}={nonce}{flags}" + ("; Secure" if secure else "")


class NonceCookieMiddleware:
    """Pure ASGI middleware: an HTTP response to a browser without the nonce cookie sets one."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or NONCE_COOKIE in Request(scope).cookies:
            await self.app(scope, receive, send)
            return
        secure = cookie_secure() or scope.get("scheme") == "https"
        cookie = nonce_cookie_header(new_nonce(), secure=secure)

        async def send_with_cookie(message: Any) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def session_route(request: Request) -> RedirectResponse:
    code = request.query_params.get("code", "")
    nonce = request.cookies.get(NONCE_COOKIE)
    with write_session(_engine(database_url())) as session:
        token = redeem_handoff(session, code=code, nonce=nonce) if code else None
    response = RedirectResponse(_safe_next(request) if token else "/?login=expired", status_code=303)
    if token:
        secure = _secure(request)
        response.set_cookie(
            COOKIE_NAME,
            token,
            httponly=True,
            samesite="lax",
            path="/",
            secure=secure,
            max_age=int(session_max_lifetime().total_seconds()),
        )
        # a fresh nonce for the next sign-in from this browser
        response.headers.append("set-cookie", nonce_cookie_header(new_nonce(), secure=secure))
    return response


def logout_route(request: Request) -> RedirectResponse:
    with write_session(_engine(database_url())) as session:
        logout(session, token=request.cookies.get(COOKIE_NAME))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/", secure=_secure(request), httponly=True, samesite="lax")
    return response


def routes() -> list[Route]:
    from app_pages.deploy_routes import deploy_routes  # /ready and /evidence/{id} (issue 14)

    return [Route("/auth/session", session_route), Route("/auth/logout", logout_route), *deploy_routes()]


def middleware() -> list[Any]:
    from starlette.middleware import Middleware

    from app_pages.security_headers import SecurityHeadersMiddleware

    return [Middleware(NonceCookieMiddleware), Middleware(SecurityHeadersMiddleware)]
