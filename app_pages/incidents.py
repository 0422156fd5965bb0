"""An unexpected error in a page: the user sees a short message with an incident id, the server log
holds the traceback under that id (`client.showErrorDetails = "none"` in .streamlit/config.toml keeps
Streamlit's own error box free of details for anything that escapes this)."""

from __future__ import annotations

import logging
import secrets
import sys
from collections.abc import Callable

import streamlit as st

from evaluation.i18n import t

LOGGER = logging.getLogger("spbe.incidents")
if not LOGGER.handlers:  # Streamlit configures only its own loggers
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOGGER.addHandler(_handler)
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False


def new_incident_id() -> str:
    """`INC-` and 10 hex digits: short enough to read out over the phone, unique enough for a log."""
    return f"INC-{secrets.token_hex(5).upper()}"


def log_incident(exc: BaseException, *, page: str = "") -> str:
    """Write the traceback to the server log under a new incident id and return the id."""
    incident = new_incident_id()
    LOGGER.error("incident %s on page %r: %s: %s", incident, page, type(exc).__name__, exc, exc_info=exc)
    return incident


def run_guarded(body: Callable[[], object], lang: str, *, page: str = "") -> None:
    """Run a page; an exception shows the incident message instead of a traceback.

    Streamlit's control flow (st.rerun, st.stop, st.switch_page) raises ScriptControlException, which
    derives from BaseException, not Exception, so it passes through untouched."""
    try:
        body()
    except Exception as exc:  # anything a page did not expect: logged in full, shown in short
        st.error(t("error.incident", lang, incident=log_incident(exc, page=page)), icon=":material/error:")
