"""The national summary of a period as a PDF: the national index and its change, categories, predicates,
the ten highest and lowest agencies, provinces (plain mean), and self-assessment against final. Built from
the comparison ranking, the province roll-up and the gap analysis the app shows."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd
from sqlmodel import Session

from evaluation.charts.figures import PREDICATE_COLOURS
from evaluation.formats import fmt_delta
from evaluation.i18n import fmt_date, fmt_number, fmt_percent, t
from evaluation.reports.pdf_base import MUTED, ReportPDF, hex_rgb
from evaluation.services import gaps, rollups
from evaluation.services.actors import Actor
from evaluation.services.comparison import previous_period, ranking
from evaluation.services.dashboard import CATEGORY_ORDER, status_counts
from evaluation.services.frameworks import load_framework_version
from evaluation.services.results import list_periods


def national_summary_pdf(
    session: Session, *, actor: Actor, period_id: int, lang: str = "id", today: date | None = None
) -> bytes:
    """Ministry roles only (the ranking checks)."""
    frame = ranking(session, actor=actor, period_id=period_id)
    period = next(p for p in list_periods(session) if p.id == period_id)
    framework = load_framework_version(session, period.framework_version_id)
    total = sum(status_counts(session, period_id).values())
    pdf = ReportPDF(t("rn.footer", lang, year=period.year), t("rp.page", lang))
    pdf.set_title(t("rn.title", lang, year=period.year))
    pdf.add_page()
    pdf.title_block(
        t("rn.kicker", lang, framework=f"{framework.label(lang)} ({framework.id})"),
        t("rn.title", lang, year=period.year),
        t(
            "rn.subtitle",
            lang,
            verified=fmt_number(len(frame), lang, 0),
            total=fmt_number(total, lang, 0),
            made=fmt_date(today or date.today(), lang),
        ),
    )
    if frame.empty:
        pdf.paragraph(t("rn.empty", lang), muted=True)
        return bytes(pdf.output())
    before = previous_period(session, period_id)
    national = float(frame["index"].mean())
    change = "-"
    if before is not None:
        earlier = ranking(session, actor=actor, period_id=before.id)
        if not earlier.empty:
            delta = national - float(earlier["index"].mean())
            change = fmt_delta(delta, lang)
    y, width = pdf.get_y(), (pdf.w - pdf.l_margin - pdf.r_margin - 6) / 3
    for n, (label, value) in enumerate(
        [
            (t("rn.national", lang), fmt_number(national, lang)),
            (t("rn.verified", lang), fmt_number(len(frame), lang, 0)),
            (t("rn.change", lang, year=before.year if before else "-"), change),
        ]
    ):
        pdf.figure_box(pdf.l_margin + n * (width + 3), y, width, label, value)
    pdf.set_xy(pdf.l_margin, y + 24)
    labels = {b.name: b.label(lang) for b in framework.predicate.bands}
    _categories(pdf, frame, labels, lang)
    _agencies(pdf, frame, labels, lang)
    _provinces(pdf, frame, lang)
    names = {ind.code: ind.label(lang) for ind in framework.indicators}
    _gaps(pdf, *gaps.indicator_gap_totals(session, actor=actor, period_id=period_id, names=names), lang)
    return bytes(pdf.output())


def _categories(pdf: ReportPDF, frame: pd.DataFrame, labels: dict[str, str], lang: str) -> None:
    pdf.heading(t("rn.by_category", lang))
    counts = Counter(zip(frame["category"], frame["predicate"], strict=True))
    rows, means = [], []
    others = sorted(set(frame["category"]) - set(CATEGORY_ORDER))  # a register may hold more categories
    for category in [*CATEGORY_ORDER, *others]:
        part = frame[frame["category"] == category]
        if part.empty:
            continue
        means.append((category, float(part["index"].mean())))
        rows.append(
            [
                category,
                fmt_number(len(part), lang, 0),
                fmt_number(float(part["index"].mean()), lang),
                *[fmt_number(counts[(category, b)], lang, 0) for b in labels],
            ]
        )
    top = pdf.get_y()
    pdf.grid(
        [t("word.category", lang), t("word.count", lang), t("rn.mean", lang), *labels.values()],
        rows,
        [24, 13, 14, *[15.5] * len(labels)],
        align=["LEFT", "RIGHT", "RIGHT", *["RIGHT"] * len(labels)],
        size=6.5,
    )
    after = pdf.get_y()
    _mean_bars(pdf, means, pdf.l_margin + 132, top + 2, 48, lang)
    pdf.set_y(max(after, top + 8 + 7 * len(means)) + 2)


def _mean_bars(
    pdf: ReportPDF, means: list[tuple[str, float]], x: float, y: float, width: float, lang: str
) -> None:
    """Horizontal bars of the category means on a 1-5 axis."""
    pdf.set_font("DejaVu", size=7)
    for n, (category, value) in enumerate(means):
        row_y = y + n * 7
        pdf.set_text_color(*MUTED)
        pdf.text(x, row_y + 3.5, category)
        pdf.set_fill_color(*hex_rgb("#1f4e79"))
        length = (value - 1) / 4 * (width - 22)
        pdf.rect(x + 20, row_y, max(length, 0.5), 4.5, style="F")
        pdf.set_text_color(33, 37, 41)
        pdf.text(x + 21 + length, row_y + 3.5, fmt_number(value, lang))
    pdf.set_font("DejaVu", size=9)


def _agencies(pdf: ReportPDF, frame: pd.DataFrame, labels: dict[str, str], lang: str) -> None:
    for key, part in (("rn.top", frame.head(10)), ("rn.bottom", frame.tail(10).iloc[::-1])):
        pdf.heading(t(key, lang))
        pdf.grid(
            [
                t("cp.rank", lang),
                t("as.agency", lang),
                t("word.category", lang),
                t("rp.index", lang),
                t("word.predicate", lang),
            ],
            [
                [
                    str(r["rank"]),
                    str(r["name"]),
                    str(r["category"]),
                    fmt_number(r["index"], lang),
                    labels.get(str(r["predicate"]), "-"),
                ]
                for _, r in part.iterrows()
            ],
            [17, 83, 26, 18, 36],
            align=["RIGHT", "LEFT", "LEFT", "RIGHT", "LEFT"],
            fills=[PREDICATE_COLOURS.get(str(p)) for p in part["predicate"]],
            size=7.5,
        )


def _provinces(pdf: ReportPDF, frame: pd.DataFrame, lang: str) -> None:
    table = rollups.province_rollup(frame, rollups.Rule("mean"))
    if table.empty:
        return
    pdf.heading(t("rn.provinces", lang))
    pdf.grid(
        [
            t("ru.province", lang),
            t("ru.governments", lang),
            t("ru.province_index", lang),
            t("ru.local_mean", lang),
            t("ru.value", lang),
        ],
        [
            [
                str(r["province"]),
                fmt_number(r["governments"], lang, 0),
                fmt_number(r["province_index"], lang),
                fmt_number(r["local_mean"], lang),
                fmt_number(r["value"], lang),
            ]
            for _, r in table.iterrows()
        ],
        [56, 26, 34, 34, 30],
        align=["LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"],
        size=7.5,
    )


def _gaps(
    pdf: ReportPDF, by_indicator: pd.DataFrame, mean: float | None, share: float | None, lang: str
) -> None:
    """Self against final: the period's totals (`gaps.indicator_gap_totals`) and the five indicators
    claimed highest above the final level."""
    if mean is None or share is None:
        return
    pdf.heading(t("rn.gaps", lang))
    pdf.paragraph(t("rn.gap_line", lang, mean=fmt_number(mean, lang), share=fmt_percent(share, lang)))
    pdf.ln(1)
    pdf.subheading(t("rn.gap_top", lang))
    top = by_indicator.sort_values("mean_gap", ascending=False).head(5)
    pdf.grid(
        [t("word.code", lang), t("word.indicator", lang), t("gp.mean_gap", lang), t("gp.over_share", lang)],
        [
            [
                str(r["indicator"]),
                str(r["indicator_name"]),
                fmt_number(r["mean_gap"], lang),
                fmt_percent(r["over_share"], lang),
            ]
            for _, r in top.iterrows()
        ],
        [14, 116, 24, 26],
        align=["LEFT", "LEFT", "RIGHT", "RIGHT"],
        size=7.5,
    )
