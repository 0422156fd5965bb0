"""HTTP routes of a multi-server deployment (issue 14), served by `st.App` beside the pages:

- `GET /ready`: 200 when this server's database and evidence store answer, else 503, with a small JSON body
  saying which part failed. A load balancer checks it (deploy/haproxy.cfg); `/_stcore/health` stays a
  liveness check that says nothing about the database.
- `GET /evidence/{id}`: an evidence file streamed from the store (a folder or S3), verified against its
  hash, for the signed-in user (session cookie) whose agency it belongs to or the ministry. Any server can
  answer it: nothing of it lives in one process.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from evaluation.db import database_url, read_session, shared_engine
from evaluation.readiness import readiness
from evaluation.storage import CHUNK, default_store


def ready_route(_request: Request) -> JSONResponse:
    report = readiness(shared_engine(database_url()), default_store)
    return JSONResponse(
        report, status_code=200 if report["ready"] else 503, headers={"Cache-Control": "no-store"}
    )


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def evidence_route(request: Request) -> Response:
    from evaluation.services.actors import PermissionDenied
    from evaluation.services.auth import COOKIE_NAME, actor_of, user_for_token
    from evaluation.services.evidence import open_evidence

    token = request.cookies.get(COOKIE_NAME)
    evidence_id = int(request.path_params["evidence_id"])
    with read_session(shared_engine(database_url())) as session:
        user = user_for_token(session, token=token, touch=False) if token else None
        if user is None:
            return Response(status_code=401, headers={"Cache-Control": "no-store"})
        try:
            name, mime, handle = open_evidence(
                session, actor=actor_of(user), store=default_store(), evidence_id=evidence_id
            )
        except (LookupError, PermissionDenied):
            return Response(status_code=404, headers={"Cache-Control": "no-store"})
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "private, no-store",
    }
    return StreamingResponse(_chunks(handle), media_type=mime or "application/octet-stream", headers=headers)


def deploy_routes() -> list[Route]:
    """The routes above, for `st.App(routes=...)`."""
    return [Route("/ready", ready_route), Route("/evidence/{evidence_id:int}", evidence_route)]
