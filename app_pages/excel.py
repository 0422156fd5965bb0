"""Excel in and out: templates and exports to download; an upload that is checked first (a preview of
every change and problem) and then applied all at once or not at all."""

import pandas as pd
import streamlit as st

from app_pages import components as c
from evaluation.db import database_url, read_session, write_session
from evaluation.excel_io.reader import UnreadableFile
from evaluation.i18n import t
from evaluation.services.actors import PermissionDenied
from evaluation.services.bulk import imports, published_results
from evaluation.services.bulk.activities_sheet import activities_file
from evaluation.services.bulk.agencies_sheet import agencies_file
from evaluation.services.bulk.assessment_import import ImportRefused
from evaluation.services.bulk.assessment_sheet import period_workbook
from evaluation.services.bulk.national_matrix import matrix_file
from evaluation.services.bulk.targets_sheet import targets_file
from evaluation.services.frameworks import FrameworkError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
lang = c.current_lang()
url = database_url()
actor = c.actor()
st.title(t("xl.title", lang))

periods = sorted(c.periods(url), key=lambda p: (p.status != "open", -p.year))
period = st.selectbox(
    t("as.period", lang),
    periods,
    key="xl_period",
    format_func=lambda p: f"{p.year} · {p.framework_id} · {t('period.' + p.status, lang)}",
)
st.markdown(f"#### {t('xl.download', lang)}")
cols = st.columns(3)


def built(builder, **kwargs):  # type: ignore[no-untyped-def]
    """A file made only when its button is clicked (national files take a moment)."""

    def make() -> bytes:
        with read_session(c.engine()) as session:
            return builder(session, actor=actor, period_id=period.id, lang=lang, **kwargs)

    return make


template = built(period_workbook)
export_csv = built(period_workbook, fmt="csv")
matrix = built(matrix_file) if actor.is_ministry else None
name = f"penilaian-{period.year}"
cols[0].download_button(
    t("xl.template", lang), template, f"{name}.xlsx", XLSX, key="xl_template", icon=":material/table_view:"
)
cols[0].download_button(
    t("xl.export_csv", lang), export_csv, f"{name}.csv", "text/csv", key="xl_csv", icon=":material/download:"
)
if matrix is not None:
    cols[1].download_button(
        t("xl.matrix", lang),
        matrix,
        f"matriks-nasional-{period.year}.xlsx",
        XLSX,
        key="xl_matrix",
        icon=":material/grid_on:",
    )
    cols[2].download_button(
        t("xl.published_template", lang),
        published_results.template(lang),
        "hasil-terbit.xlsx",
        XLSX,
        key="xl_published",
        icon=":material/history_edu:",
    )


def plain(builder, **kwargs):  # type: ignore[no-untyped-def]
    def make() -> bytes:
        with read_session(c.engine()) as session:
            return builder(session, actor=actor, lang=lang, **kwargs)

    return make


cols[1].download_button(
    t("xl.targets", lang),
    plain(targets_file),
    "target-peta-rencana.xlsx",
    XLSX,
    key="xl_targets",
    icon=":material/flag:",
)
cols[1].download_button(
    t("xl.targets_csv", lang),
    plain(targets_file, fmt="csv"),
    "target-peta-rencana.csv",
    "text/csv",
    key="xl_targets_csv",
    icon=":material/download:",
)
cols[2].download_button(
    t("xl.activities", lang),
    plain(activities_file),
    "kegiatan-peta-rencana.xlsx",
    XLSX,
    key="xl_activities",
    icon=":material/event_note:",
)
if actor.role == "admin":
    cols[2].download_button(
        t("xl.agencies", lang),
        plain(agencies_file),
        "instansi.xlsx",
        XLSX,
        key="xl_agencies",
        icon=":material/apartment:",
    )

st.markdown(f"#### {t('xl.upload', lang)}")
upload = st.file_uploader(t("xl.upload_hint", lang), type=["xlsx", "csv"], key="xl_file")
if upload is None:
    st.stop()
data = upload.getvalue()
bar = st.progress(0.0, text=t("xl.checking", lang))
try:
    with read_session(c.engine()) as session:
        plan = imports.plan(
            session,
            actor=actor,
            data=data,
            filename=upload.name,
            progress=lambda f, m: bar.progress(min(f, 1.0), text=m),
        )
except (UnreadableFile, PermissionDenied, FrameworkError, LookupError) as exc:
    bar.empty()
    c.show_error(exc)
    st.stop()
bar.empty()
counts = plan.counts
cols = st.columns(4)
cols[0].metric(t("xl.insert", lang), counts["insert"])
cols[1].metric(t("xl.update", lang), counts["update"])
cols[2].metric(t("xl.unchanged", lang), counts["unchanged"])
cols[3].metric(t("xl.problems", lang), len(plan.problems))
for warning in imports.warnings(plan):
    st.warning(c.in_language(warning.replace(" / ", ". / ", 1), lang), icon=":material/warning:")
if plan.problems:
    st.error(t("xl.refused", lang))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("xl.sheet", lang): p.sheet,
                    t("xl.row", lang): p.row,
                    t("xl.column", lang): p.column,
                    t("xl.reason", lang): p.message_en if lang == "en" else p.message_id,
                }
                for p in plan.problems
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.stop()
if counts["insert"] + counts["update"] == 0:
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
                progress=lambda f, m: bar.progress(min(f, 1.0), text=m),
            )
    except (ImportRefused, PermissionDenied, ValueError) as exc:
        c.show_error(exc)
    else:
        st.cache_data.clear()
        done = applied.counts
        st.success(t("xl.applied", lang, insert=done["insert"], update=done["update"]))
