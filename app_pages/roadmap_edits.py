"""Editing targets and activities on the roadmap page (issue 13): change or delete a target, update an
activity's status, progress and actual dates or delete it; and the form defaults (a baseline year inside
the framework's effective years, a target above its baseline, indicator choices with their names)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import streamlit as st

from app_pages.widgets.decimal_cells import decimal_input
from app_pages.widgets.writes import written
from evaluation.i18n import fmt_number, t
from evaluation.models import ACTIVITY_STATUSES
from evaluation.services.actors import Actor
from evaluation.services.roadmap.edits import (
    delete_activity,
    delete_target,
    update_activity_progress,
    update_target,
)


def default_baseline_year(fw: Any, today: date) -> int:
    """This year, kept inside the framework's effective years (its first year before it starts)."""
    start, end = fw.effective_years.start, fw.effective_years.end
    year = max(today.year, start)
    return min(year, end) if end is not None else year


def default_target(baseline: float | None) -> float:
    """Half a level above the baseline (at most 5): a target is meant to be above where one stands."""
    return min(5.0, round(float(baseline or 2.5) + 0.5, 2))


def code_label(fw: Any, lang: str) -> Callable[[str | None], str]:
    """format_func for group and indicator codes: "I01 · name"."""

    def label(code: str | None) -> str:
        if code is None:
            return "-"
        found = fw.group_by_code.get(code) or fw.indicator_by_code.get(code)
        return f"{code} · {found.label(lang)}" if found is not None else code

    return label


def flash_and_rerun(done: str, lang: str) -> None:
    """Rerun the page, which shows the text of `done` at its top once (the roadmap page's flash)."""
    st.session_state["rm_flash"] = t(done, lang)
    st.rerun()


def _save_or_delete(
    save: bool,
    services: tuple[Any, Any],
    actor: Actor,
    lang: str,
    *,
    key: str,
    ids: dict[str, Any],
    values: dict[str, Any],
) -> None:
    """The end of an editor of one picked record: `services` (update, delete) called with its `ids` when
    the form was saved (with the form's `values`) or the delete button (`key`) pressed; a success reruns
    the page with its flash."""
    update, delete = services
    if save and written(update, actor=actor, **ids, **values):
        flash_and_rerun("tw.updated", lang)
    if st.button(t("tw.delete", lang), key=key, icon=":material/delete:") and written(
        delete, actor=actor, **ids
    ):
        flash_and_rerun("tw.deleted", lang)


@contextmanager
def _picked(
    records: list[Any], title: str, pick: str, key: str, label: Callable[[Any], str]
) -> Iterator[Any]:
    """An expander `title` whose first widget picks one of `records` (by id, shown by `label`); the
    editor of the picked record is drawn inside it."""
    by_id = {record.id: record for record in records}
    with st.expander(title):
        chosen = st.selectbox(pick, list(by_id), key=key, format_func=lambda i: label(by_id[i]))
        yield by_id[chosen]


def target_editor(live: list[Any], actor: Actor, lang: str) -> None:
    """Change a live target's values, years and note, or delete it."""
    if not live:
        return
    with _picked(
        live,
        t("tw.edit_targets", lang),
        t("tw.pick_target", lang),
        "rm_edit_target",
        lambda tv: (
            f"{t('horizon.' + tv.horizon, lang)} · {tv.target_code or ''} "
            f"{tv.target_year} · {fmt_number(tv.target_value, lang)}"
        ),
    ) as tv:
        picked = tv.id
        with st.form(f"rm_edit_target_{picked}"):
            cols = st.columns(2)
            value = decimal_input(
                cols[0], t("tw.target_value", lang), float(tv.target_value), lang, key=f"rm_et_v_{picked}"
            )
            year = cols[1].number_input(
                t("rm.target_year", lang), tv.baseline_year, 2100, tv.target_year, key=f"rm_et_y_{picked}"
            )
            note = st.text_input(t("tw.note", lang), tv.note or "", key=f"rm_et_n_{picked}")
            save = st.form_submit_button(t("tw.save_changes", lang), type="primary")
        _save_or_delete(
            save and value is not None,  # the service checks the value's range (share 0-1, index 1-5)
            (update_target, delete_target),
            actor,
            lang,
            key=f"rm_et_del_{picked}",
            ids={"target_id": picked},
            values={"target_value": value, "target_year": int(year), "note": note},
        )


def activity_editor(activities: list[Any], actor: Actor, lang: str) -> None:
    """Update an activity's status, progress and actual dates, or delete it."""
    if not activities:
        return
    with _picked(
        activities,
        t("tw.edit_activities", lang),
        t("tw.pick_activity", lang),
        "rm_edit_activity",
        lambda a: a.title,
    ) as a:
        picked = a.id
        with st.form(f"rm_edit_activity_{picked}"):
            cols = st.columns(2)
            status = cols[0].selectbox(
                t("tw.status", lang),
                ACTIVITY_STATUSES,
                index=ACTIVITY_STATUSES.index(a.status),
                format_func=lambda s: t(f"activity.{s}", lang),
                key=f"rm_ea_s_{picked}",
            )
            progress = cols[1].slider(
                t("tw.progress_pct", lang), 0, 100, a.progress, 5, key=f"rm_ea_p_{picked}"
            )
            started = cols[0].date_input(
                t("tw.started_on", lang), a.started_on, key=f"rm_ea_a_{picked}", format="DD/MM/YYYY"
            )
            finished = cols[1].date_input(
                t("tw.finished_on", lang),
                a.finished_on,
                key=f"rm_ea_f_{picked}",
                format="DD/MM/YYYY",
                max_value=date.today(),
            )
            save = st.form_submit_button(t("tw.save_changes", lang), type="primary")
        _save_or_delete(
            save,
            (update_activity_progress, delete_activity),
            actor,
            lang,
            key=f"rm_ea_del_{picked}",
            ids={"activity_id": picked},
            values={
                "status": status,
                "progress": int(progress),
                "started_on": started,
                "finished_on": finished,
            },
        )
