"""The agency report's programme part (issue 16), for a period on the founding framework: the programme
(who runs it, verified or self-assessed), the ten steps with the targets per horizon, and the bridge to
the official indicators each step prepares."""

from __future__ import annotations

from evaluation.i18n import N_, fmt_number, t
from evaluation.models import HORIZONS
from evaluation.reports.agency_data import AgencyReport
from evaluation.reports.pdf_base import ReportPDF
from indicators.loader import shipped_frameworks

OFFICIAL = ("pemdi-2026", "spbe-2020")


def step_rows(report: AgencyReport, lang: str) -> list[list[str]]:
    """Per step (top group): code, name, verified value, self value, then the live target of each horizon
    (the step's own target; '-' when there is none). Values as the reader's numbers."""
    fw = report.framework
    kind = fw.hierarchy[0]
    verified = report.result.values_of(kind) if report.verified else {}
    own = report.self_result.values_of(kind)
    targets = {
        (tv.horizon, tv.target_code): tv.target_value
        for tv in report.targets
        if tv.target_kind == "group" and not tv.superseded
    }
    rows = []
    for group in fw.groups_of_kind(kind):
        rows.append(
            [
                group.code,
                group.label(lang),
                fmt_number(verified.get(group.code), lang),
                fmt_number(own.get(group.code), lang),
                *[fmt_number(targets.get((h, group.code)), lang) for h in HORIZONS],
            ]
        )
    return rows


def bridge_rows(report: AgencyReport) -> list[list[str]]:
    """Per founding indicator: its code and the official codes it prepares in each official framework."""
    return [
        [ind.code, *[", ".join(ind.prepares.get(official, [])) or "-" for official in OFFICIAL]]
        for ind in report.framework.indicators
    ]


def programme_sections(pdf: ReportPDF, report: AgencyReport, lang: str) -> None:
    """Draw the programme, the ten steps with targets per horizon, and the bridge."""
    fw = report.framework
    label = t(
        "pg.period_label",
        lang,
        year=report.year,
        framework=fw.id,
        runner=t(f"pg.runner.{report.runner}", lang),
    )
    pdf.heading(t("pg.report_programme", lang, label=label))
    runner = report.runner_name or t("pg.runner.ministry", lang)
    pdf.paragraph(
        f"{t('pg.run_by', lang, runner=runner)} · "
        + t(N_("pg.verified") if report.period_verified else N_("pg.self_only"), lang)
    )
    pdf.subheading(t("pg.report_steps", lang) + " · " + t("pg.report_targets", lang))
    pdf.grid(
        [
            t("word.code", lang),
            t("pg.step", lang),
            t("pg.col_verified", lang),
            t("pg.col_self", lang),
            *[t(f"horizon.{h}", lang) for h in HORIZONS],
        ],
        step_rows(report, lang),
        [12, 58, 20, 22, 22, 22, 22],
        align=["LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"],
    )
    pdf.ln(3)
    pdf.subheading(t("pg.report_bridge", lang))
    known = shipped_frameworks()
    names = [
        f"{official} ({known[official].label(lang)})" if official in known else official
        for official in OFFICIAL
    ]
    pdf.grid(
        [t("word.code", lang), *names], bridge_rows(report), [20, 80, 78], align=["LEFT", "LEFT", "LEFT"]
    )
    pdf.paragraph(t("pg.assumption", lang), muted=True, size=8)
