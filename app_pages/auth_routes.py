"""Two small HTTP routes beside the Streamlit app: set and clear the HttpOnly session cookie.

A script cannot set an HttpOnly cookie over the websocket, so a successful login hands the browser a
one-time code; GET /auth/session exchanges it for a server-side session and sets the cookie.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from evaluation.db import database_url, make_engine, write_session
from evaluation.services.auth import COOKIE_NAME, IDLE_TIMEOUT, logout, redeem_handoff


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    return make_engine(url)


def _safe_next(request: Request) -> str:
    target = request.query_params.get("next") or "/"
    return target if target.startswith("/") and not target.startswith("//") else "/"


def session_route(request: Request) -> RedirectResponse:
    code = request.query_params.get("code", "")
    with write_session(_engine(database_url())) as session:
        token = redeem_handoff(session, code=code) if code else None
    response = RedirectResponse(_safe_next(request) if token else "/?login=expired", status_code=303)
    if token:
        response.set_cookie(
            COOKIE_NAME,
            token,
            httponly=True,
            samesite="lax",
            path="/",
            secure=request.url.scheme == "https",
            max_age=int(IDLE_TIMEOUT.total_seconds()) * 48,
        )
    return response


def logout_route(request: Request) -> RedirectResponse:
    with write_session(_engine(database_url())) as session:
        logout(session, token=request.cookies.get(COOKIE_NAME))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response


def routes() -> list[Route]:
    return [Route("/auth/session", session_route), Route("/auth/logout", logout_route)]
