"""The agency report's section of recommendations and their follow-up (issue 12): per recommendation the
indicator (or the whole agency), priority, what is recommended, due date, status and the agency's
follow-up (what, by whom, by when; the reviewer's check note when checked)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evaluation.i18n import fmt_date, t
from evaluation.reports.pdf_base import ReportPDF


def _followup(rec: Any, lang: str) -> str:
    if not rec.followup_action:
        return "-"
    lines = [rec.followup_action, f"{t('rc.owner', lang)}: {rec.followup_owner or '-'}"]
    if rec.followup_due_on:
        lines.append(f"{t('rc.followup_due', lang)}: {fmt_date(rec.followup_due_on, lang)}")
    if rec.check_note:
        lines.append(f"{t('rc.check_note', lang)}: {rec.check_note}")
    return "\n".join(lines)


def recommendations_section(pdf: ReportPDF, recommendations: Sequence[Any], lang: str) -> None:
    """The section (`recommendations`: services.recommendations.RecommendationView of the assessment)."""
    pdf.heading(t("rc.pdf_heading", lang))
    if not recommendations:
        pdf.paragraph(t("rc.pdf_none", lang), muted=True)
        return
    rows = [
        [
            rec.indicator_code or t("rc.whole_agency", lang),
            t(f"rc.priority.{rec.priority}", lang),
            rec.text,
            fmt_date(rec.due_on, lang) if rec.due_on else "-",
            t(f"rc.status.{rec.status}", lang),
            _followup(rec, lang),
        ]
        for rec in recommendations
    ]
    pdf.grid(
        [
            t("rc.indicator", lang),
            t("rc.priority", lang),
            t("rc.text", lang),
            t("rc.due", lang),
            t("rc.status", lang),
            t("rc.followup", lang),
        ],
        rows,
        [18, 15, 60, 22, 23, 42],
        size=7.5,
    )
