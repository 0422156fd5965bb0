"""One write from a page (issue 15): a service call in its own write transaction, its refusal shown in the
reader's words. The pages add what follows a success (a flash, a toast, a rerun)."""

from __future__ import annotations

from typing import Any

from app_pages import components as c
from app_pages.widgets.errors import show_error
from evaluation.db import write_session
from evaluation.services.actors import PermissionDenied

# a refused write: WorkflowError, InvalidInput and the stale-record errors are ValueErrors, NotFound a
# LookupError
REFUSALS = (ValueError, PermissionDenied, LookupError)


def written(action: Any, **kwargs: Any) -> bool:
    """Run `action(session, **kwargs)` in a write session: True when it saved, False with the refusal
    shown (anything else is a fault and propagates)."""
    try:
        with write_session(c.engine()) as session:
            action(session, **kwargs)
    except REFUSALS as exc:
        show_error(exc)
        return False
    return True
