"""What a person reads of a number, a level, a range, a date or a framework, in the reader's locale
(issue 15). Pages, charts, PDFs and the CLI write numbers through these functions and never with
`f"{x:.2f}"` or `str(x)`: Indonesian 3,28 · 10.680 · +0,42 · [1; 1,5] · 22 November 2026; English
3.28 · 10,680 · +0.42 · [1, 1.5] · 22 November 2026. Every decimal is rounded half-up to two places, the
scoring's rule (`evaluation.i18n.half_up`). An absent value (None, NaN) reads as a dash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

import pandas as pd
from babel.dates import format_date

from evaluation.i18n import LOCALES, N_, fmt_date, fmt_number, fmt_percent, known, t

DASH = "-"
# plotly's layout.separators: the decimal mark, then the thousands separator
SEPARATORS = {"id": ",.", "en": ".,"}
# the framework names a period or a legend shows; an uploaded framework without one shows its id
FRAMEWORK_KEYS = {
    "spbe-2020": N_("fmt.framework.spbe-2020"),
    "pemdi-2026": N_("fmt.framework.pemdi-2026"),
    "vision-to-evaluation": N_("fmt.framework.vision-to-evaluation"),
}

__all__ = ["DASH", "SEPARATORS", "fmt_date", "fmt_number", "fmt_percent"]


def _absent(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def fmt_level(value: float | None, lang: str = "id") -> str:
    """A level or index: two decimals (3,28), a dash when absent."""
    return DASH if _absent(value) else fmt_number(value, lang)


def fmt_count(value: int | float | None, lang: str = "id") -> str:
    """A whole number, grouped (10.680 / 10,680)."""
    return DASH if _absent(value) else fmt_number(value, lang, places=0)


def fmt_delta(value: float | None, lang: str = "id", places: int = 2) -> str:
    """A change with its sign: +0,42, -0,10, 0,00 (no sign on zero after rounding)."""
    if _absent(value):
        return DASH
    text = fmt_number(value, lang, places)
    return text if text.startswith("-") or not any(c in "123456789" for c in text) else "+" + text


def fmt_range(low: float, high: float, lang: str = "id", *, closed: tuple[bool, bool] = (True, True)) -> str:
    """An interval: "[1; 1,5]" in Indonesian (the comma is the decimal mark), "[1, 1.5]" in English;
    `closed` says which ends belong to it ("(1,5; 2,5]")."""
    left, right = ("[" if closed[0] else "("), ("]" if closed[1] else ")")
    separator = "; " if lang == "id" else ", "
    return f"{left}{fmt_short(low, lang)}{separator}{fmt_short(high, lang)}{right}"


def fmt_short(value: float | None, lang: str = "id") -> str:
    """A number with only the decimals it needs, at most two: 1 · 1,5 · 2,25 (a bound, a weight)."""
    if _absent(value):
        return DASH
    assert value is not None
    rounded = fmt_number(value, lang)
    mark = "," if lang == "id" else "."
    return rounded.rstrip("0").rstrip(mark) if mark in rounded else rounded


def fmt_day(value: date | datetime | None, lang: str = "id") -> str:
    """A date without its time: 22 November 2026."""
    if value is None:
        return DASH
    return fmt_date(value.date() if isinstance(value, datetime) else value, lang)


def fmt_when(value: datetime | None, lang: str = "id") -> str:
    """A moment: 22 November 2026 14:05."""
    return DASH if value is None else fmt_date(value, lang)


def fmt_month(value: date, lang: str = "id", *, with_year: bool = True) -> str:
    """A month for a chart tick: "Sep 2026" / "Agu 2026" (the language's abbreviation)."""
    return format_date(value, format="MMM y" if with_year else "MMM", locale=LOCALES[lang])


def month_ticks(
    start: date, end: date, lang: str = "id", *, at_most: int = 12
) -> tuple[list[str], list[str]]:
    """(tickvals as ISO dates, ticktext as month names in `lang`) for a date axis from `start` to `end`:
    the first of every month (every 2nd, 3rd... month when there would be more than `at_most`)."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    step = max(1, -(-len(months) // at_most))
    chosen = months[::step]
    return [m.isoformat() for m in chosen], [fmt_month(m, lang) for m in chosen]


def framework_label(framework_id: str | None, lang: str = "id") -> str:
    """A framework's short name ("SPBE 2020", "Pemdi 2026") for a period, a legend or a picker."""
    if framework_id is None:
        return DASH
    key = FRAMEWORK_KEYS.get(framework_id)
    return t(key, lang) if key is not None and known(key, lang) else framework_id


def period_text(year: int, framework_id: str, lang: str = "id") -> str:
    """A period as a reader names it: "2026 · Pemdi 2026"."""
    return f"{year} · {framework_label(framework_id, lang)}"


def text_columns(
    frame: pd.DataFrame,
    columns: Iterable[str],
    lang: str = "id",
    fmt: Callable[[float | None, str], str] = fmt_level,
) -> pd.DataFrame:
    """A copy of `frame` whose numeric `columns` are written as text in `lang` by `fmt` (fmt_level: 3,28;
    fmt_delta: +0,42; fmt_share: 25%): Streamlit's column formats cannot write a decimal comma, so a
    read-only table shows text. Absent values become a dash. Sort the frame before: the text sorts as
    text (fine for levels and indices 1-5, which all have one digit before the mark)."""
    shown = frame.copy()
    for column in columns:
        if column in shown.columns:
            written: dict[float | None, str] = {}  # each distinct value written once (91,280 cells at 10x)
            cells = []
            for v in shown[column].tolist():
                key = None if _absent(v) else float(v)
                text = written.get(key)
                if text is None:
                    text = written[key] = fmt(key, lang)
                cells.append(text)
            shown[column] = cells
    return shown


def fmt_share(value: float | None, lang: str = "id") -> str:
    """A share given as a fraction (0.25) as a whole percent: 25%; a dash when absent."""
    return DASH if value is None or _absent(value) else fmt_percent(value, lang)
