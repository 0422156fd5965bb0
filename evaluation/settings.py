"""Settings from the environment, read at call time (so a test or an operator can change them without a
restart of the module). One small function per setting; each says its variable and its default.

| variable | meaning | default |
|---|---|---|
| `SPBE_SESSION_IDLE_MINUTES` | a session ends after this much inactivity | 30 |
| `SPBE_SESSION_MAX_HOURS` | a session ends this long after sign-in, active or not | 12 |
| `SPBE_MFA_REQUIRED_ROLES` | comma-separated roles that must use a sign-in code (TOTP) | admin |
| `SPBE_COOKIE_SECURE` | 1: cookies always carry Secure (behind a TLS-terminating proxy) | 0 |
| `SPBE_CLIENT_IP_HEADER` | header a trusted proxy fills with the client address, e.g. X-Real-IP | unset |
"""

from __future__ import annotations

import os
from datetime import timedelta

ROLES_REQUIRING_MFA_DEFAULT = "admin"


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


def session_idle_timeout() -> timedelta:
    """How long a session may stay unused (`SPBE_SESSION_IDLE_MINUTES`, default 30 minutes)."""
    return timedelta(minutes=_number("SPBE_SESSION_IDLE_MINUTES", 30))


def session_max_lifetime() -> timedelta:
    """How long a session lives from sign-in whatever the activity (`SPBE_SESSION_MAX_HOURS`, 12 h)."""
    return timedelta(hours=_number("SPBE_SESSION_MAX_HOURS", 12))


def mfa_required_roles() -> frozenset[str]:
    """Roles that must sign in with a TOTP code (`SPBE_MFA_REQUIRED_ROLES`, default "admin"; an empty
    value requires it of nobody)."""
    raw = os.environ.get("SPBE_MFA_REQUIRED_ROLES", ROLES_REQUIRING_MFA_DEFAULT)
    return frozenset(part.strip().lower() for part in raw.split(",") if part.strip())


def cookie_secure() -> bool:
    """True when `SPBE_COOKIE_SECURE` is 1/true/yes: the app sits behind a proxy that ends TLS, so the
    request the app sees is http but the browser's is https."""
    return os.environ.get("SPBE_COOKIE_SECURE", "").strip().lower() in ("1", "true", "yes", "on")


def client_ip_header() -> str | None:
    """The header a trusted reverse proxy fills with the client's address (`SPBE_CLIENT_IP_HEADER`), or
    None to use the address of the connection itself. Set it only behind a proxy that overwrites it."""
    value = os.environ.get("SPBE_CLIENT_IP_HEADER", "").strip()
    return value or None
