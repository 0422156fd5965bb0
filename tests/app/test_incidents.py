"""An unexpected error in a page: a short message with an incident id, never the traceback; the server
log has the traceback under that id. Streamlit's own control flow (st.stop, st.rerun) passes through."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from app_pages import components
from app_pages.incidents import LOGGER

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def incidents():
    handler = Records()
    LOGGER.addHandler(handler)
    yield handler.records
    LOGGER.removeHandler(handler)


def test_a_page_that_raises_shows_an_incident_id_and_the_log_has_the_traceback(app, monkeypatch, incidents):
    def broken(_url: str) -> pd.DataFrame:
        raise RuntimeError("password=hunter2 at /srv/secret/path.py")

    monkeypatch.setattr(components, "trend", broken)
    at = app()
    shown = " ".join(e.value for e in at.error)
    assert "Kode insiden: INC-" in shown
    assert "hunter2" not in shown and "RuntimeError" not in shown and "Traceback" not in shown
    assert not at.exception  # Streamlit's own error box (with details) was never drawn
    incident = shown.split("Kode insiden: ")[1].split(".")[0]
    [record] = [r for r in incidents if incident in r.getMessage()]
    assert record.exc_info is not None and "hunter2" in str(record.exc_info[1])
    assert "broken" in logging.Formatter().format(record)  # the traceback names the failing function


def test_the_message_is_in_english_when_english_is_chosen(app, monkeypatch, incidents):
    monkeypatch.setattr(components, "trend", lambda _url: 1 / 0)
    at = app(lang="en")
    assert any("Incident id: INC-" in e.value for e in at.error)


def test_st_stop_in_a_page_is_not_taken_for_an_incident(app, monkeypatch, incidents):
    monkeypatch.setattr(components, "trend", lambda _url: pd.DataFrame())  # the home page calls st.stop()
    at = app()
    assert not at.error and not at.exception and not incidents
    assert at.info  # the page's own "no data yet" message, drawn before st.stop()


def test_error_details_are_off_in_the_server_config():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
