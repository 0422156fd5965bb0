"""The minute (berita acara) of an interview or a site visit as a PDF for signing: title, agency, period,
stage, date and place, the participants with a signature line each, the findings per indicator and the
changes agreed. Built on the agency report's document (`pdf_base.ReportPDF`: A4, DejaVu Sans shipped in
the repository)."""

from __future__ import annotations

from fpdf.enums import XPos, YPos

from evaluation.i18n import fmt_date, t
from evaluation.reports.pdf_base import ReportPDF
from evaluation.services.stage_minutes import MinuteContext, MinuteView


def render_minute(minute: MinuteView, context: MinuteContext, lang: str = "id") -> bytes:
    """The printable minute in `lang` ("id" or "en"); user texts are printed as they were typed."""
    stage = t(f"stage.{minute.stage}", lang)
    pdf = ReportPDF(
        t("sg.pdf_footer", lang, stage=stage, agency=context.agency_name, year=context.year),
        t("rp.page", lang),
    )
    pdf.set_title(f"{t('sg.pdf_title', lang, stage=stage)} {context.agency_name} {context.year}")
    pdf.set_creator("SPBE maturity tracker")
    pdf.add_page()
    pdf.title_block(
        t("sg.pdf_kicker", lang, framework=context.framework_label[lang]),
        t("sg.pdf_title", lang, stage=stage),
        f"{context.agency_name} ({context.agency_code}) · {context.category}",
    )
    _facts(pdf, minute, context, lang, stage)
    _findings(pdf, minute, context, lang)
    pdf.heading(t("sg.agreed", lang))
    pdf.paragraph(minute.agreed_changes or t("sg.pdf_none", lang), muted=not minute.agreed_changes)
    _participants(pdf, minute, lang)
    return bytes(pdf.output())


def _facts(pdf: ReportPDF, minute: MinuteView, context: MinuteContext, lang: str, stage: str) -> None:
    rows = [
        (t("as.agency", lang), f"{context.agency_name} ({context.agency_code})"),
        (t("sg.period", lang), f"{context.year} · {context.framework_label[lang]}"),
        (t("rv.stage", lang), stage),
        (t("sg.held_on", lang), fmt_date(minute.held_on, lang)),
        (t("sg.place", lang), minute.place),
    ]
    width = 44
    for label, value in rows:
        pdf.set_font("DejaVu", "B", 9)
        pdf.cell(width, 5.5, label)
        pdf.set_font("DejaVu", size=9)
        pdf.multi_cell(0, 5.5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _findings(pdf: ReportPDF, minute: MinuteView, context: MinuteContext, lang: str) -> None:
    pdf.heading(t("sg.findings", lang))
    if not minute.findings:
        pdf.paragraph(t("sg.pdf_none", lang), muted=True)
        return
    rows = [
        (code, context.indicator_names.get(code, {}).get(lang, code), text)
        for code, text in minute.findings.items()
    ]
    full = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.grid(
        (t("word.code", lang), t("word.indicator", lang), t("sg.finding", lang)),
        rows,
        (16, 52, full - 68),
    )


def _participants(pdf: ReportPDF, minute: MinuteView, lang: str) -> None:
    """One row per participant: number, name as typed, and a line to sign on."""
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.heading(t("sg.participants", lang))
    pdf.paragraph(t("sg.pdf_signed", lang), muted=True, size=8)
    pdf.ln(2)
    full = pdf.w - pdf.l_margin - pdf.r_margin
    sign_x = pdf.l_margin + full * 0.62
    for n, person in enumerate(minute.participants, start=1):
        if pdf.get_y() > pdf.h - 30:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y + 4)
        pdf.multi_cell(full * 0.58, 5, f"{n}. {person}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(180, 180, 180)
        pdf.line(sign_x, y + 12, pdf.w - pdf.r_margin, y + 12)
        pdf.set_font("DejaVu", size=7)
        pdf.text(sign_x, y + 15, t("sg.pdf_signature", lang))
        pdf.set_font("DejaVu", size=9)
        pdf.set_y(max(pdf.get_y(), y + 17))
