"""Excel in and out: templates and exports to download; an upload that is checked first (a preview of
every change and problem) and then applied all at once or not at all."""

import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from app_pages.plain import md
from app_pages.uploads import file_input
from evaluation.db import read_session, write_session
from evaluation.excel_io.limits import max_upload_bytes
from evaluation.excel_io.reader import UnreadableFile
from evaluation.formats import fmt_when
from evaluation.i18n import N_, t
from evaluation.services.actors import PermissionDenied
from evaluation.services.bulk import imports, published_results
from evaluation.services.bulk.activities_sheet import activities_file
from evaluation.services.bulk.agencies_sheet import agencies_file
from evaluation.services.bulk.assessment_import import ImportRefused
from evaluation.services.bulk.assessment_sheet import COLUMNS, period_workbook
from evaluation.services.bulk.national_matrix import matrix_file
from evaluation.services.bulk.targets_sheet import targets_file
from evaluation.services.frameworks import FrameworkError
from evaluation.workflow import Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
lang, url, actor = w.page_start(N_("xl.title"))

period = w.period_picker(c.periods(url), lang, key="xl_period", open_first=True, with_status=True)
st.markdown(f"#### {t('xl.download', lang)}")
cols = st.columns(3)


def built(builder, **kwargs):  # type: ignore[no-untyped-def]
    """A file made only when its button is clicked (national files take a moment):
    `builder(session, actor=, lang=, **kwargs)` in a read session."""

    def make() -> bytes:
        with read_session(c.engine()) as session:
            return builder(session, actor=actor, lang=lang, **kwargs)

    return make


def download(column: int, label: str, data: Any, file_name: str, key: str, icon: str) -> None:
    """A download button in column `column` of the downloads; `label` a catalogue key, the file's type
    read from `file_name` (.csv or .xlsx), `icon` a Material icon's name."""
    mime = "text/csv" if file_name.endswith(".csv") else XLSX
    cols[column].download_button(t(label, lang), data, file_name, mime, key=key, icon=f":material/{icon}:")


name = f"penilaian-{period.year}"
template = built(period_workbook, period_id=period.id)
download(0, N_("xl.template"), template, f"{name}.xlsx", "xl_template", "table_view")
export_csv = built(period_workbook, period_id=period.id, fmt="csv")
download(0, N_("xl.export_csv"), export_csv, f"{name}.csv", "xl_csv", "download")
if actor.is_ministry:
    matrix = built(matrix_file, period_id=period.id)
    download(1, N_("xl.matrix"), matrix, f"matriks-nasional-{period.year}.xlsx", "xl_matrix", "grid_on")
    published = published_results.template(lang)
    download(2, N_("xl.published_template"), published, "hasil-terbit.xlsx", "xl_published", "history_edu")
download(1, N_("xl.targets"), built(targets_file), "target-peta-rencana.xlsx", "xl_targets", "flag")
targets_csv = built(targets_file, fmt="csv")
download(1, N_("xl.targets_csv"), targets_csv, "target-peta-rencana.csv", "xl_targets_csv", "download")
activities = built(activities_file)
download(2, N_("xl.activities"), activities, "kegiatan-peta-rencana.xlsx", "xl_activities", "event_note")
if actor.role == Role.ADMIN:
    download(2, N_("xl.agencies"), built(agencies_file), "instansi.xlsx", "xl_agencies", "apartment")

st.markdown(f"#### {t('xl.upload', lang)}")
upload = file_input(
    t("xl.upload_hint", lang), key="xl_file", types=["xlsx", "csv"], lang=lang, limit_bytes=max_upload_bytes()
)
if upload is None:
    st.stop()
data = upload.getvalue()
plan_key = hashlib.sha256(data).hexdigest() + f"|{actor.user_id}|{upload.name}"
if st.session_state.get("xl_plan_key") != plan_key:  # the preview the user sees is the one applied against
    bar = st.progress(0.0, text=t("xl.checking", lang))
    try:
        with read_session(c.engine()) as session:
            st.session_state["xl_plan"] = imports.plan(
                session,
                actor=actor,
                data=data,
                filename=upload.name,
                progress=w.reporting_to(bar, lang),
            )
    except (UnreadableFile, PermissionDenied, FrameworkError, LookupError) as exc:
        bar.empty()
        st.session_state.pop("xl_plan_key", None)
        w.show_error(exc)
        st.stop()
    bar.empty()
    st.session_state["xl_plan_key"] = plan_key
plan = st.session_state["xl_plan"]
counts = plan.counts
conflicts = getattr(plan, "conflicts", [])
tally = st.columns(6)
tally[0].metric(t("xl.insert", lang), counts["insert"])
tally[1].metric(t("xl.update", lang), counts["update"])
tally[2].metric(t("xl.unchanged", lang), counts["unchanged"])
tally[3].metric(t("xl.problems", lang), len(plan.problems))
tally[4].metric(t("xo.conflicts", lang), len({x.row for x in conflicts}))
tally[5].metric(t("xo.skipped", lang), getattr(plan, "skipped", 0))
for warning in imports.warnings(plan, lang):
    st.warning(md(warning), icon=":material/warning:")
for note in imports.notes(plan):
    st.info(note.render(lang), icon=":material/info:")
if plan.problems:
    st.error(t("xl.refused", lang))
    w.problems_table(plan.problems, lang)
    st.stop()
if st.button(t("xo.recheck", lang), key="xl_recheck", icon=":material/refresh:"):
    st.session_state.pop("xl_plan_key", None)
    st.rerun()


headers = {column.key: column.header(lang) for column in COLUMNS}
if hasattr(plan, "headers"):  # the keyed sheets and published results name their own fields
    headers.update(plan.headers(lang))
changes = imports.preview_changes(plan)
if changes:
    st.markdown(f"#### {t('xo.changes', lang)}")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("xl.row", lang): x.row,
                    t("xl.column", lang): x.column,
                    t("xo.what", lang): x.label,
                    t("xo.field", lang): headers.get(x.key, x.key),
                    t("xo.old", lang): imports.cell_text(x.old, lang),
                    t("xo.new", lang): imports.cell_text(x.new, lang),
                }
                for x in changes
            ]
        ),
        hide_index=True,
        width="stretch",
        key="xl_changes",
    )
choices: dict[int, str] = {}
default_choice = None
if conflicts:
    st.markdown(f"#### {t('xo.conflicts_title', lang)}")
    st.caption(t("xo.conflicts_hint", lang))
    labels = {"": t("xo.per_row", lang), "file": t("xo.keep_file", lang), "database": t("xo.keep_db", lang)}
    default_choice = (
        st.radio(
            t("xo.choose_all", lang),
            list(labels),
            format_func=labels.get,
            horizontal=True,
            key="xl_choose_all",
        )
        or None
    )
    by_row: dict[int, list] = {}
    for x in conflicts:
        by_row.setdefault(x.row, []).append(x)
    table = pd.DataFrame(
        [
            {
                t("xl.row", lang): row,
                t("xo.what", lang): items[0].label,
                t("xo.field", lang): ", ".join(headers.get(x.key, x.key) for x in items),
                t("xo.file_value", lang): " | ".join(imports.cell_text(x.file_value, lang) for x in items),
                t("xo.db_value", lang): " | ".join(imports.cell_text(x.db_value, lang) for x in items),
                t("xo.changed_by", lang): ", ".join(sorted({x.changed_by or "-" for x in items})),
                t("xo.changed_at", lang): fmt_when(
                    max((x.changed_at for x in items if x.changed_at), default=None), lang
                ),
                t("xo.choice", lang): None,
            }
            for row, items in by_row.items()
        ]
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        key="xl_conflicts",
        disabled=[name for name in table.columns if name != t("xo.choice", lang)],
        column_config={
            t("xo.choice", lang): st.column_config.SelectboxColumn(
                t("xo.choice", lang), options=[labels["file"], labels["database"]]
            )
        },
    )
    back = {labels["file"]: "file", labels["database"]: "database"}
    for row, picked in zip(edited[t("xl.row", lang)], edited[t("xo.choice", lang)], strict=True):
        if picked in back:
            choices[int(row)] = back[picked]
    unresolved = [row for row in by_row if row not in choices and default_choice is None]
    if unresolved:
        st.warning(t("xo.unresolved", lang, count=len(unresolved)), icon=":material/warning:")
        st.stop()
if counts["insert"] + counts["update"] == 0 and not conflicts:
    st.info(t("xl.nothing", lang))
    st.stop()
if st.button(t("xl.apply", lang), type="primary", key="xl_apply"):
    bar = st.progress(0.0, text=t("xl.applying", lang))
    try:
        with write_session(c.engine()) as session:
            applied = imports.apply(
                session,
                actor=actor,
                data=data,
                filename=upload.name,
                progress=w.reporting_to(bar, lang),
                preview=plan,
                choices=choices,
                default_choice=default_choice,
            )
    except (ImportRefused, PermissionDenied, ValueError) as exc:
        bar.empty()
        st.session_state.pop("xl_plan_key", None)  # the next run checks against the data as it is now
        w.show_error(exc)
    else:
        bar.empty()
        st.session_state.pop("xl_plan_key", None)
        st.cache_data.clear()
        done = applied.counts
        st.success(t("xl.applied", lang, insert=done["insert"], update=done["update"]))
