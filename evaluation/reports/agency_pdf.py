"""The agency report as a PDF: key figures, group indices with a radar against the national mean, levels
per indicator, reviewer notes, roadmap status, the best path to the next predicate, and a sign-off."""

from __future__ import annotations

from evaluation.charts.figures import PREDICATE_COLOURS
from evaluation.formats import fmt_delta
from evaluation.i18n import N_, fmt_date, fmt_number, t
from evaluation.reports.agency_data import AgencyReport
from evaluation.reports.pdf_base import Column, ReportPDF
from evaluation.services.objections import changed_lines

AGENCY, NATIONAL = "#1f4e79", "#b03a2e"
GROUP_COLUMNS: tuple[Column, ...] = (
    (N_("word.code"), 11, "LEFT"),
    (N_("kind.group"), 47, "LEFT"),
    (N_("rp.index"), 13, "RIGHT"),
    (N_("rp.national_mean"), 21, "RIGHT"),
)
INDICATOR_COLUMNS: tuple[Column, ...] = (
    (N_("word.code"), 14, "LEFT"),
    (N_("word.indicator"), 112, "LEFT"),
    (N_("rv.self"), 18, "CENTER"),
    (N_("rv.final"), 18, "CENTER"),
    (N_("rp.gap"), 18, "CENTER"),
)
TARGET_COLUMNS: tuple[Column, ...] = (
    (N_("rm.horizon"), 32, "LEFT"),
    (N_("rp.target"), 40, "LEFT"),
    (N_("rp.target_year"), 24, "CENTER"),
    (N_("rp.index"), 22, "RIGHT"),
    (N_("rp.latest"), 26, "RIGHT"),
    (N_("rm.status"), 36, "LEFT"),
)
STEP_COLUMNS: tuple[Column, ...] = (
    (N_("word.code"), 12, "LEFT"),
    (N_("word.indicator"), 48, "LEFT"),
    (N_("rp.step"), 16, "CENTER"),
    (N_("rp.gain"), 18, "RIGHT"),
    (N_("rp.todo"), 86, "LEFT"),
)


def _level(value: float | None, lang: str) -> str:
    if value is None:
        return "-"
    return fmt_number(value, lang, 0 if float(value).is_integer() else 2)


def render_agency_report(report: AgencyReport, lang: str = "id") -> bytes:
    fw = report.framework
    pdf = ReportPDF(t("rp.footer", lang, agency=report.agency_name, year=report.year), t("rp.page", lang))
    pdf.set_title(f"{report.agency_name} {report.year}")
    pdf.set_creator("SPBE maturity tracker")
    pdf.add_page()
    pdf.title_block(
        t("rp.kicker", lang, framework=f"{fw.label(lang)} ({fw.id})"),
        report.agency_name,
        t(
            "rp.subtitle",
            lang,
            code=report.agency_code,
            category=report.category,
            province=f" · {report.province}" if report.province else "",
            year=report.year,
            type=t(f"etype.{report.evaluation_type}", lang),
            made=fmt_date(report.made_on, lang),
        ),
    )
    if not report.verified:
        pdf.set_text_color(176, 58, 46)
        pdf.paragraph(t("rp.provisional", lang, status=t(f"status.{report.status}", lang)))
        pdf.ln(2)
    _key_figures(pdf, report, lang)
    _groups(pdf, report, lang)
    _indicators(pdf, report, lang)
    _objection_changes(pdf, report, lang)
    _notes(pdf, report, lang)
    from evaluation.reports.recommendation_section import recommendations_section

    recommendations_section(pdf, report.recommendations, lang)  # issue 12: with their follow-up
    if report.period_kind == "programme":  # the founding framework's steps, targets and bridge (issue 16)
        from evaluation.reports.programme_pdf import programme_sections

        programme_sections(pdf, report, lang)
    _roadmap(pdf, report, lang)
    _next_steps(pdf, report, lang)
    _signatures(pdf, report, lang)
    return bytes(pdf.output())


def _key_figures(pdf: ReportPDF, report: AgencyReport, lang: str) -> None:
    result = report.result
    band = result.predicate
    index = fmt_number(result.index_value, lang) if result.complete else t("rp.incomplete", lang)
    self_value = report.self_result.index_value
    gap = (
        fmt_delta(self_value - result.index_value, lang)
        if report.verified and self_value is not None and result.index_value is not None
        else "-"
    )
    y, width = pdf.get_y(), (pdf.w - pdf.l_margin - pdf.r_margin - 9) / 4
    figures = [
        (t("rp.index", lang), index, None),
        (
            t("word.predicate", lang),
            band.label(lang) if band else "-",
            PREDICATE_COLOURS.get(band.name) if band else None,
        ),
        (t("rp.self_index", lang), fmt_number(self_value, lang), None),
        (t("rp.gap", lang), gap, None),
    ]
    for n, (label, value, fill) in enumerate(figures):
        pdf.figure_box(pdf.l_margin + n * (width + 3), y, width, label, value, fill)
    pdf.set_xy(pdf.l_margin, y + 24)


def _groups(pdf: ReportPDF, report: AgencyReport, lang: str) -> None:
    fw = report.framework
    pdf.heading(t("rp.groups", lang))
    top = pdf.get_y()
    radar_groups = fw.groups_of_kind(report.radar_kind)
    mine = report.result.values_of(report.radar_kind)
    drawn = all(g.code in mine for g in radar_groups)  # a missing group drawn at 0 would read as level 0
    if drawn:
        pdf.radar(
            pdf.l_margin + 40,
            top + 42,
            32,
            [g.code for g in radar_groups],
            [
                (t("rp.radar_agency", lang), [mine.get(g.code, 0.0) for g in radar_groups], AGENCY),
                (
                    t("rp.national_mean", lang),
                    [report.national_mean.get(g.code, 0.0) for g in radar_groups],
                    NATIONAL,
                ),
            ],
        )
    rows = []
    for kind in fw.hierarchy:
        values = report.result.values_of(kind)
        for group in fw.groups_of_kind(kind):
            mean = report.national_mean.get(group.code) if kind == report.radar_kind else None
            rows.append(
                [
                    group.code,
                    group.label(lang),
                    fmt_number(values.get(group.code), lang),
                    fmt_number(mean, lang) if mean is not None else "",
                ]
            )
    shift = 88 if drawn else 0
    left = pdf.l_margin
    pdf.set_xy(left + shift, top)
    pdf.set_left_margin(left + shift)
    pdf.columns_grid(GROUP_COLUMNS, rows, lang, size=7)
    pdf.set_left_margin(left)
    pdf.set_xy(left, max(pdf.get_y(), top + shift) + 2)


def _indicators(pdf: ReportPDF, report: AgencyReport, lang: str) -> None:
    fw = report.framework
    pdf.heading(t("rp.indicators", lang))
    rows = []
    for row in report.rows:
        indicator = fw.indicator_by_code[row.code]
        if row.not_applicable:
            levels = [t("rp.na", lang)] * 2 + ["-"]
        else:
            gap = (
                _level(row.self_level - row.final_level, lang)
                if row.self_level is not None and row.final_level is not None
                else "-"
            )
            levels = [_level(row.self_level, lang), _level(row.final_level, lang), gap]
        rows.append([row.code, indicator.label(lang), *levels])
    pdf.columns_grid(INDICATOR_COLUMNS, rows, lang, size=7.5)


def _objection_changes(pdf: ReportPDF, report: AgencyReport, lang: str) -> None:
    """Issue 12: a line per final level changed on an upheld objection (nothing when none was)."""
    lines = changed_lines(list(report.objection_changes), lang)
    if lines:
        pdf.heading(t("ob.changed_heading", lang))
    for line in lines:
        pdf.paragraph(f"• {line}")


def _notes(pdf: ReportPDF, report: AgencyReport, lang: str) -> None:
    pdf.heading(t("rp.notes", lang))
    lines = [f"{row.code}: {row.reviewer_note}" for row in report.rows if row.reviewer_note]
    for note in report.notes:
        where = f"{note.indicator_code} · " if note.indicator_code else ""
        lines.append(
            f"[{where}{t(f'stage.{note.stage}', lang)} · {t(f'rp.note_kind.{note.kind}', lang)}] {note.text}"
        )
    if not lines:
        pdf.paragraph(t("rp.no_notes", lang), muted=True)
    for line in lines:
        pdf.paragraph(f"• {line}")


def _roadmap(pdf: ReportPDF, report: AgencyReport, lang: str) -> None:
    pdf.heading(t("rp.roadmap", lang))
    if not report.targets:
        pdf.paragraph(t("rp.no_targets", lang), muted=True)
        return
    rows = []
    for target in report.targets:
        what = t(f"kind.{target.target_kind}", lang) + (
            f" {target.target_code}" if target.target_code else ""
        )
        state = target.assessment
        rows.append(
            [
                t(f"horizon.{target.horizon}", lang),
                what,
                str(target.target_year),
                fmt_number(target.target_value, lang),
                fmt_number(state.latest_value if state else None, lang),
                t(f"status.{state.status}", lang) if state else "-",
            ]
        )
    pdf.columns_grid(TARGET_COLUMNS, rows, lang)


def _next_steps(pdf: ReportPDF, report: AgencyReport, lang: str) -> None:
    fw = report.framework
    pdf.heading(t("rp.next", lang))
    if not report.result.complete:
        pdf.paragraph(t("rp.next_incomplete", lang), muted=True)
        return
    if report.next_band is None:
        pdf.paragraph(t("rp.next_top", lang))
        return
    band = report.next_band.label(lang)
    if report.steps is None:
        pdf.paragraph(t("rp.next_none", lang, band=band))
        return
    pdf.paragraph(
        t(
            "rp.next_intro",
            lang,
            band=band,
            n=len(report.steps),
            after=fmt_number(report.index_after_steps, lang),
        )
    )
    pdf.ln(1)
    rows = []
    for step in report.steps:
        indicator = fw.indicator_by_code[step.indicator]
        criterion = indicator.criterion(step.to_level)
        rows.append(
            [
                step.indicator,
                indicator.label(lang),
                f"{_level(step.from_level, lang)} → {step.to_level}",
                fmt_delta(float(step.gain), lang),
                criterion.text(lang) if criterion else "",
            ]
        )
    pdf.columns_grid(STEP_COLUMNS, rows, lang, size=7)


def _signatures(pdf: ReportPDF, report: AgencyReport, lang: str) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.heading(t("rp.signatures", lang))
    y = pdf.get_y() + 2
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    for n, role in enumerate((t("rp.sign_head", lang), t("rp.sign_coordinator", lang))):
        x = pdf.l_margin + n * half
        pdf.set_xy(x, y)
        pdf.cell(half - 10, 5, role)
        pdf.line(x, y + 28, x + half - 15, y + 28)
        pdf.set_xy(x, y + 29)
        pdf.set_font("DejaVu", size=7)
        pdf.cell(half - 10, 4, t("rp.sign_name", lang))
        pdf.set_font("DejaVu", size=9)
    pdf.set_xy(pdf.l_margin, y + 36)
