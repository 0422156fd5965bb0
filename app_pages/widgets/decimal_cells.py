"""Editable decimal cells in the reader's locale (issue 15). Streamlit's number column and number input
write and read a decimal point whatever the language (its "localized" format follows the browser, not
the app), so a grid column that can hold decimals is a text column instead: its cells are written by the
one formatter (2,5 in Indonesian, 2.5 in English; half-up to two decimals), the browser accepts only
what the locale's pattern allows (`validate`), and the page reads the text back with Babel. A column of
whole numbers stays a NumberColumn (format "%d"), whose cells look alike in both languages."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st
from babel.numbers import NumberFormatError, parse_decimal

from app_pages.widgets.errors import show_error
from evaluation.formats import fmt_short
from evaluation.i18n import LOCALES
from evaluation.translatable import InvalidInput

# up to two decimals after the locale's mark; empty clears the cell
PATTERNS = {"id": r"^\s*(\d+(,\d{1,2})?)?\s*$", "en": r"^\s*(\d+(\.\d{1,2})?)?\s*$"}


def decimal_column(label: str, lang: str, *, disabled: bool = False, help: str | None = None) -> Any:
    """A text column for numbers with decimals in `lang` (cells from `decimal_cell`, read with
    `read_decimal`); a cell the locale's pattern refuses is not submitted by the browser."""
    return st.column_config.TextColumn(
        label, validate=PATTERNS.get(lang, PATTERNS["en"]), disabled=disabled, help=help
    )


def decimal_cell(value: float | None, lang: str) -> str:
    """A number as its cell shows it: only the decimals it needs, at most two (3 · 2,5 · 2,25); "" when
    absent."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return fmt_short(float(value), lang)


def read_decimal(cell: object, lang: str) -> float | None:
    """A cell's number: text in `lang`'s form ("2,5" in Indonesian, "2.5" in English; a number as such
    when the grid held one), None when empty. Raises InvalidInput ("fmt.err_not_a_number") for text the
    locale cannot read as a number (the English "2.5" in Indonesian is refused, never read as 25)."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip()
    if not text:
        return None
    try:
        return float(parse_decimal(text, locale=LOCALES.get(lang, LOCALES["en"]), strict=True))
    except NumberFormatError:
        raise InvalidInput("fmt.err_not_a_number", text=text, example=decimal_cell(2.5, lang)) from None


def decimal_input(
    container: Any,
    label: str,
    value: float | None,
    lang: str,
    *,
    key: str,
    help: str | None = None,
    required: bool = True,
) -> float | None:
    """A number with decimals typed in the reader's locale: a text input showing `value` as 2,5 / 2.5
    (Streamlit's number input writes a decimal point whatever the language). Returns the number read, or
    None with the refusal shown under the input when the text is not a number (empty too when
    `required`; an optional input left empty is None without a word); the service that takes the number
    checks its range."""
    text = container.text_input(label, decimal_cell(value, lang), key=key, help=help)
    try:
        number = read_decimal(text, lang)
    except InvalidInput as exc:
        show_error(exc)
        return None
    if number is None and required:
        show_error(InvalidInput("fmt.err_not_a_number", text=text, example=decimal_cell(2.5, lang)))
    return number
