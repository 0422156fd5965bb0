"""The editor of one indicator in a self-assessment: criteria, level, justification, national index,
evidence (app_pages/indicator_evidence.py). Every change is saved at once (autosave) against the version the
page read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from app_pages import form_state as fs
from app_pages.conflict_panel import conflict_panel
from app_pages.failover import browser_holds
from app_pages.indicator_evidence import evidence_block
from app_pages.level_input import criteria_block, level_widget, widget_level
from app_pages.plain import md
from app_pages.widgets.decimal_cells import decimal_cell
from evaluation.i18n import fmt_number, t
from evaluation.services.actors import Actor
from evaluation.services.assessment_view import AssessmentView

LABELS = {
    "level": "as.level",
    "justification": "as.justification",
    "not_applicable": "as.na",
    "national_index_source": "as.ni_source",
    "national_index_read_on": "as.ni_date",
}


def _label(field: str, indicator: Any, lang: str) -> str:
    """The form's label of a save field (as the conflict panel lists it)."""
    if field == "national_index_value":
        return t("as.ni_value", lang, name=indicator.national_index.name)
    return t(LABELS[field], lang)


def _refusal(
    view: AssessmentView,
    code: str,
    waiting: dict[str, Any],
    *,
    actor: Actor,
    default_source: str | None,
    lang: str,
) -> None:
    indicator = view.framework.indicator_by_code[code]
    conflict_panel(
        code=code,
        stored=waiting["stored"],
        rows=[
            (_label(field, indicator, lang), mine, waiting["stored"].values[fs.FIELDS[field][0]])
            for field, mine in waiting["mine"].items()
        ],
        lang=lang,
        key=f"as_conflict_{code}",
        keep_mine=lambda: fs.keep_mine(view.id, actor, code, default_source, lang),
        take_theirs=lambda: fs.take_theirs(view.id, code, default_source, lang),
    )


def _saving(
    view: AssessmentView, actor: Actor, code: str, *, editable: bool, lang: str
) -> Callable[[str, str], dict[str, Any]]:
    """`saving(field, key)`: the arguments of a widget kept under `key` that saves `field` of indicator
    `code` whenever it changes (form_state.autosave), locked unless `editable`."""

    def saving(field: str, key: str) -> dict[str, Any]:
        args = (view.id, actor, code, field, key, lang)
        return {"key": key, "disabled": not editable, "on_change": fs.autosave, "args": args}

    return saving


def indicator_editor(view: AssessmentView, code: str, *, editable: bool, actor: Actor, lang: str) -> None:
    framework = view.framework
    indicator = framework.indicator_by_code[code]
    scale = framework.scale_of(indicator)
    score = view.scores[code]
    st.markdown(f"##### {code} · {md(indicator.label(lang))}")
    st.caption(f"{t('word.weight', lang)} {fmt_number(float(indicator.weight), lang)} · {scale.label(lang)}")
    criteria_block(indicator, scale, lang, score.self_level)  # issue 13: every criterion in full
    index = indicator.national_index
    default_source = (index.full_name or index.name) if index is not None else None
    fs.show_score(view, code, default_source)
    waiting = fs.conflicts(view.id).get(code)
    slot = st.container()  # always drawn: the widgets below keep their place whether a refusal shows or not
    if waiting is not None:
        with slot:
            _refusal(view, code, waiting, actor=actor, default_source=default_source, lang=lang)
    level_key = f"f_level_{code}"
    if level_key not in st.session_state and not browser_holds(level_key):
        st.session_state[level_key] = widget_level(score.self_level)
    level_widget(
        framework,
        scale,
        assessment_id=view.id,
        actor=actor,
        code=code,
        stored=score.self_level,
        editable=editable,
        lang=lang,
    )
    chosen = st.session_state.get(level_key)
    criterion = indicator.criterion(chosen) if chosen else None
    if criterion is not None and criterion.evidence(lang):
        st.caption(f"{t('as.expected', lang, level=chosen)}: {md(criterion.evidence(lang))}")
    saving = _saving(view, actor, code, editable=editable, lang=lang)
    just_key = f"f_just_{code}"
    if just_key not in st.session_state and not browser_holds(just_key):
        st.session_state[just_key] = score.justification or ""
    st.text_area(
        t("as.justification", lang),
        height=140,
        help=t("as.justification_help", lang),
        placeholder=t("as.justification_help", lang),
        **saving("justification", just_key),
    )
    if framework.not_applicable.allowed:
        na_key = f"f_na_{code}"
        if not browser_holds(na_key):
            st.session_state.setdefault(na_key, score.not_applicable)
        st.checkbox(t("as.na", lang), **saving("not_applicable", na_key))
    if indicator.national_index is not None and indicator.national_index.bands:
        _national_index_fields(view, code, editable=editable, actor=actor, lang=lang)
    fs.adopt_browser_edits(view, actor, code, default_source)  # moved here from another server (issue 14)
    if score.reviewer_note:
        st.info(f"**{t('as.reviewer_note', lang)}:** {md(score.reviewer_note)}")
    evidence_block(view, code, editable=editable, actor=actor, lang=lang)


def _national_index_fields(
    view: AssessmentView, code: str, *, editable: bool, actor: Actor, lang: str
) -> None:
    index = view.framework.indicator_by_code[code].national_index
    assert index is not None
    score = view.scores[code]
    cols = st.columns(3)
    value_key, source_key, date_key = f"f_ni_value_{code}", f"f_ni_source_{code}", f"f_ni_date_{code}"
    for key, value in (
        (value_key, decimal_cell(score.national_index_value, lang)),
        (source_key, score.national_index_source or index.full_name or index.name),
        (date_key, score.national_index_read_on),
    ):
        if not browser_holds(key):  # a session moved from another server keeps the browser's value
            st.session_state.setdefault(key, value)
    saving = _saving(view, actor, code, editable=editable, lang=lang)
    cols[0].text_input(  # a decimal in the reader's locale (2,5 / 2.5); the service checks the range
        t("as.ni_value", lang, name=md(index.name)),
        help=_value_help(index, lang),
        **saving("national_index_value", value_key),
    )
    cols[1].text_input(t("as.ni_source", lang), **saving("national_index_source", source_key))
    cols[2].date_input(
        t("as.ni_date", lang),
        max_value=date.today(),
        format="DD/MM/YYYY",
        **saving("national_index_read_on", date_key),
    )
    if score.national_index_value is not None:
        if score.proposed_level is None:
            st.caption(t("as.ni_none", lang))
        else:
            st.caption(t("as.ni_proposed", lang, name=md(index.name), level=score.proposed_level))


def _value_help(index: Any, lang: str) -> str:
    """How to type the national index value: its range where the framework gives one, the decimal mark."""
    example = decimal_cell(2.5, lang)
    if index.min is None or index.max is None:
        return t("as.ni_number", lang, example=example)
    low, high = decimal_cell(float(index.min), lang), decimal_cell(float(index.max), lang)
    return t("as.ni_range", lang, low=low, high=high, example=example)
