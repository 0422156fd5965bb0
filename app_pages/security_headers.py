"""Security headers on every HTTP response of the app (ASVS V14.4): a Content-Security-Policy that lets
Streamlit run (its own scripts, inline styles, a websocket to this host) but loads nothing from another
host and lets no other site frame the app, plus nosniff, Referrer-Policy and friends.

Set by `SecurityHeadersMiddleware` (Streamlit 1.67's `st.App` takes Starlette middleware: see
auth_routes.middleware); deploy/haproxy.cfg sets the same headers for a deployment behind the proxy.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from starlette.datastructures import MutableHeaders

# Streamlit's index.html has one inline script (`window.prerenderReady = false`): allowed by its hash.
STREAMLIT_INLINE_SCRIPT = "'sha256-THxz9J9+wf7rhwR2YkXJoSZ13UCmYyC+3lNDv2+8ugA='"
# The one script the app itself injects (components.redirect: sign-in and sign-out must be real page
# loads): constant text, its target read from the link beside it, so one hash allows it and nothing else.
REDIRECT_SCRIPT = 'window.location.replace(document.getElementById("spbe-redirect").href);'
REDIRECT_SCRIPT_HASH = (
    "'sha256-" + base64.b64encode(hashlib.sha256(REDIRECT_SCRIPT.encode()).digest()).decode() + "'"
)
CSP = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' {STREAMLIT_INLINE_SCRIPT} {REDIRECT_SCRIPT_HASH}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' blob: data:",
        "worker-src 'self' blob:",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class SecurityHeadersMiddleware:
    """Pure ASGI middleware: every HTTP response start gets HEADERS (replacing any value already set)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
