"""Download buttons for the PDF reports. The PDF is built only when the button is pressed (a callable
`data`), on its own database session, so pages stay fast."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from app_pages import components as c
from evaluation.db import database_url, read_session
from evaluation.i18n import t


def pdf_download(
    label: str, build: Callable[[], bytes], file_name: str, key: str, icon: str = ":material/picture_as_pdf:"
) -> None:
    """A download button whose PDF `build` makes only when pressed (the page does not rerun on the click)."""
    st.download_button(
        label, data=build, file_name=file_name, mime="application/pdf", key=key, icon=icon, on_click="ignore"
    )


def _programme_suffix(period: Any) -> str:
    """A programme period's files name its framework, so they never clash with the official period's."""
    return f"-{period.framework_id}" if getattr(period, "is_programme", False) else ""


def agency_report_button(actor: Any, agency_id: int, period: Any, lang: str, key: str) -> None:
    engine = c.engine()
    code = c.agency_codes(database_url()).get(agency_id, (str(agency_id), ""))[0]

    def build() -> bytes:
        # imported on the click: the PDF stack (fpdf, fontTools, Pillow) takes ~350 ms to import, which the
        # first page with a report button would otherwise pay after every start (issue 17, cold pages)
        from evaluation.reports.agency_data import agency_report
        from evaluation.reports.agency_pdf import render_agency_report

        with read_session(engine) as session:
            report = agency_report(session, actor=actor, agency_id=agency_id, period_id=period.id)
        return render_agency_report(report, lang)

    pdf_download(
        t("rp.download", lang),
        build,
        f"laporan-{code}-{period.year}{_programme_suffix(period)}-{lang}.pdf",
        key,
    )


def national_report_button(actor: Any, period: Any, lang: str, key: str) -> None:
    engine = c.engine()

    def build() -> bytes:
        from evaluation.reports.national import national_summary_pdf  # on the click, as above

        with read_session(engine) as session:
            return national_summary_pdf(session, actor=actor, period_id=period.id, lang=lang)

    pdf_download(
        t("rp.download_national", lang),
        build,
        f"ringkasan-nasional-{period.year}-{lang}.pdf",
        key,
        icon=":material/summarize:",
    )
