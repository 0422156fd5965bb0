"""Who is acting, and the permission checks every service runs before it touches data."""

from __future__ import annotations

from dataclasses import dataclass

from evaluation.translatable import Translatable
from evaluation.workflow import AGENCY_ROLES as AGENCY_ROLES  # re-exported: roles live in workflow.py
from evaluation.workflow import MINISTRY_ROLES, Role


class PermissionDenied(Translatable, PermissionError):
    """The actor may not do this; the message says why, in Indonesian and English."""


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: str
    agency_id: int | None = None

    @property
    def is_ministry(self) -> bool:
        return self.role in MINISTRY_ROLES


SYSTEM = Actor(user_id=None, username="system", role=Role.ADMIN)


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise PermissionDenied("ew.perm_role", role=actor.role, roles=roles)


def require_agency_access(actor: Actor, agency_id: int) -> None:
    """Ministry roles see every agency; agency roles only their own."""
    if actor.is_ministry:
        return
    if actor.agency_id != agency_id:
        raise PermissionDenied("ew.perm_own_agency")
