"""What the agency's indicator form keeps between runs: the versions it read, autosave per field, and a
refused save's input (issue 10). Each indicator's widgets show the score at the version the form read for
it; a save carries that version; a refusal keeps the person's input and the newer stored score until they
keep theirs or take the newer one."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from app_pages import components as c
from app_pages.failover import browser_holds
from app_pages.plain import md
from app_pages.widgets.decimal_cells import decimal_cell, read_decimal
from evaluation.db import write_session
from evaluation.i18n import t
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.assessment_view import AssessmentView, ScoreView
from evaluation.services.score_versions import ScoreConflict, StoredScore
from evaluation.services.self_assessment import save_self_assessment
from evaluation.translatable import InvalidInput, message_of

VERSION = "as_version"
ADOPTED = "as_adopted"  # {code: widget key prefixes whose browser value this run took}
# a save's field -> (the stored field, the prefix of its widget key)
FIELDS = {
    "level": ("self_level", "f_level_"),
    "justification": ("justification", "f_just_"),
    "not_applicable": ("not_applicable", "f_na_"),
    "national_index_value": ("national_index_value", "f_ni_value_"),
    "national_index_source": ("national_index_source", "f_ni_source_"),
    "national_index_read_on": ("national_index_read_on", "f_ni_date_"),
}


def remember_version(view: AssessmentView) -> None:
    """The assessment version this page shows (status changes and evidence carry it)."""
    key = (view.id, view.version)
    if st.session_state.get("as_loaded") != key:
        st.session_state["as_loaded"] = key
        st.session_state[VERSION] = view.version


def version_of(view: AssessmentView) -> int:
    return int(st.session_state.get(VERSION, view.version))


def versions(assessment_id: int) -> dict[str, int]:
    """{code: score version} the form read for each indicator it has shown."""
    return st.session_state.setdefault(f"as_versions_{assessment_id}", {})


def conflicts(assessment_id: int) -> dict[str, dict[str, Any]]:
    """{code: {"stored": StoredScore, "mine": {save field: the person's value}}} of refused saves (kept
    here too: Streamlit forgets the widgets of an indicator that is not shown)."""
    return st.session_state.setdefault(f"as_conflicts_{assessment_id}", {})


def widget_values(score: ScoreView | StoredScore, default_source: str | None) -> dict[str, Any]:
    """Widget key prefix -> the value the widget shows for a stored score."""
    values = score.values if isinstance(score, StoredScore) else vars(score)
    level = values.get("self_level")
    return {
        "f_level_": None if level is None or not float(level).is_integer() else int(level),
        # the exact input of a fractional framework: text in the reader's locale (2,5 / 2.5)
        "f_levelx_": decimal_cell(level, c.current_lang()),
        "f_just_": values.get("justification") or "",
        "f_na_": bool(values.get("not_applicable")),
        "f_ni_value_": decimal_cell(values.get("national_index_value"), c.current_lang()),
        "f_ni_source_": values.get("national_index_source") or default_source,
        "f_ni_date_": values.get("national_index_read_on"),
    }


def show_score(view: AssessmentView, code: str, default_source: str | None) -> None:
    """Before the widgets of `code` are drawn: when the stored score is newer than what the form read (and
    no refused input waits for a decision), show the stored one and read its version."""
    read = versions(view.id)
    score = view.scores[code]
    waiting = conflicts(view.id).get(code)
    if waiting is not None:  # the person's refused input, back in its widgets
        for field, value in waiting["mine"].items():
            st.session_state.setdefault(f"{FIELDS[field][1]}{code}", widget_value(field, value))
        return
    if read.get(code) == score.version:
        return
    adopted = []
    for prefix, value in widget_values(score, default_source).items():
        if browser_holds(f"{prefix}{code}"):  # moved here from another server: the browser's value
            adopted.append(prefix)
        else:
            st.session_state[f"{prefix}{code}"] = value
    read[code] = score.version  # the version read from the database, never a default
    if adopted:
        st.session_state.setdefault(ADOPTED, {})[code] = adopted


def adopt_browser_edits(view: AssessmentView, actor: Actor, code: str, default_source: str | None) -> None:
    """After the widgets of `code` are drawn on the first run of a session that moved here from another
    server (app_pages/failover.py): save what the browser shows that differs from the database, on the
    version read from the database, then rerun to show it."""
    prefixes = st.session_state.get(ADOPTED, {}).pop(code, None)
    if not prefixes:
        return
    stored = widget_values(view.scores[code], default_source)
    try:
        entry = {
            field: entry_value(field, code)
            for field, (_stored, prefix) in FIELDS.items()
            if prefix in prefixes and st.session_state.get(f"{prefix}{code}") != stored[prefix]
        }
    except InvalidInput as exc:  # the browser held a number the reader's locale cannot read
        st.session_state["as_error"] = exc
        return
    if entry:
        write(view.id, actor, code, entry, versions(view.id)[code], t("deploy.reloaded", c.current_lang()))
        st.rerun()


def entry_value(field: str, code: str) -> Any:
    """What a save takes for `field` from its widget: the national index value typed in the reader's
    locale is read as a number (InvalidInput when it is not one; empty is None)."""
    value = st.session_state.get(f"{FIELDS[field][1]}{code}")
    if field == "national_index_read_on" and value is not None and not isinstance(value, date):
        return None
    if field == "national_index_value":
        return read_decimal(value, c.current_lang())
    return value


def widget_value(field: str, value: Any) -> Any:
    """What the widget of `field` shows for a value a save took (the inverse of `entry_value`)."""
    return decimal_cell(value, c.current_lang()) if field == "national_index_value" else value


def write(
    assessment_id: int, actor: Actor, code: str, entry: dict[str, Any], version: int, done: str
) -> bool:
    """Save `entry` ({save field: value}) for `code` on `version`; a refusal keeps it as a conflict.
    True when saved."""
    waiting = conflicts(assessment_id)
    try:
        with write_session(c.engine()) as session:
            saved = save_self_assessment(
                session,
                actor=actor,
                assessment_id=assessment_id,
                versions={code: version},
                entries={code: entry},
            )
    except ScoreConflict as exc:
        mine = {**waiting.get(code, {}).get("mine", {}), **entry}
        waiting[code] = {"stored": exc.conflicts[code], "mine": mine}
    except (WorkflowError, PermissionDenied) as exc:
        st.session_state["as_error"] = exc
    else:
        versions(assessment_id)[code] = saved[code]
        waiting.pop(code, None)
        flash(done)
        return True
    return False


def autosave(assessment_id: int, actor: Actor, code: str, field: str, _key: str, lang: str) -> None:
    """A widget's on_change: save that field at once on the version read (while a refusal waits for a
    decision, the field is only added to what "keep mine" will save)."""
    waiting = conflicts(assessment_id)
    try:
        value = entry_value(field, code)
    except InvalidInput as exc:  # not a number in the reader's locale: shown, nothing saved
        st.session_state["as_error"] = exc
        return
    if code in waiting:
        waiting[code]["mine"][field] = value
        return
    version = versions(assessment_id).get(code, 0)
    entry = {field: value}
    write(assessment_id, actor, code, entry, version, f"{t('as.saved', lang)}: {code}")


def keep_mine(assessment_id: int, actor: Actor, code: str, default_source: str | None, lang: str) -> None:
    """Save what the person typed again, on the newer version the refusal named."""
    waiting = conflicts(assessment_id)[code]
    stored: StoredScore = waiting["stored"]
    mine = dict(waiting["mine"])
    if write(assessment_id, actor, code, mine, stored.version, t("cf.kept", lang, code=code)):
        typed = {FIELDS[field][1] for field in mine}  # the other fields now show the newer stored values
        for prefix, value in widget_values(stored, default_source).items():
            if prefix not in typed:
                st.session_state[f"{prefix}{code}"] = value


def take_theirs(assessment_id: int, code: str, default_source: str | None, lang: str) -> None:
    """Drop the person's input for `code`: the widgets show the newer stored score, at its version."""
    stored: StoredScore = conflicts(assessment_id).pop(code)["stored"]
    for prefix, value in widget_values(stored, default_source).items():
        st.session_state[f"{prefix}{code}"] = value
    versions(assessment_id)[code] = stored.version
    flash(t("cf.taken", lang, code=code))


def flash(message: str) -> None:
    st.session_state["as_flash"] = message


def show_flash(lang: str) -> None:
    message = st.session_state.pop("as_flash", None)
    if message:
        st.toast(message, icon=":material/check_circle:")
    error = st.session_state.pop("as_error", None)
    if error:
        st.error(md(message_of(error, lang)), icon=":material/error:")
        if st.button(t("as.reload", lang), key="as_reload"):
            for key in [k for k in st.session_state if str(k).startswith(("as_versions_", "as_conflicts_"))]:
                del st.session_state[key]
            st.session_state.pop("as_loaded", None)
            st.rerun()
