"""The level of one indicator as the framework allows it (issue 13): whole levels as a choice of the
scale's levels, fractional ones (pemdi-2026 `fractional_values: true`) as a number with the scale's step
beside the level names; the criteria and expected evidence of every level readable in full."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import form_state as fs
from app_pages.plain import md
from app_pages.widgets.decimal_cells import decimal_cell, decimal_column, read_decimal
from app_pages.widgets.errors import show_error
from evaluation.i18n import fmt_number, half_up, t
from evaluation.translatable import InvalidInput


def fmt_level(value: float | None, lang: str) -> str:
    """A level as the summary, the grid and the report show it: whole levels without decimals, a
    fractional one with its two decimals (2.5 -> "2,50" in Indonesian); "-" for none."""
    if value is None:
        return "-"
    return fmt_number(float(value), lang, 0 if float(value).is_integer() else 2)


def widget_level(value: float | None) -> int | None:
    """The level choice's value for a stored level: the whole level, or none for a fractional one (a
    2.5 is never shown as "2" chosen; the exact input shows it)."""
    if value is None or not float(value).is_integer():
        return None
    return int(value)


def level_names(scale: Any, lang: str) -> str:
    """ "1 Merintis · 2 Membangun · ..." as Markdown-safe text."""
    return " · ".join(f"{lv.level} {md(lv.label(lang))}" for lv in scale.levels)


def _save_exact(
    assessment_id: int, actor: Any, code: str, choice_key: str, exact_key: str, lang: str
) -> None:
    """The exact input's on_change: the choice follows (its whole level, or none), then the level is
    saved as the person's level field (or added to what "keep mine" will save while a refusal waits)."""
    try:
        value = read_decimal(st.session_state.get(exact_key), lang)
        value = None if value is None else float(half_up(value))  # two decimals, as every view shows it
    except InvalidInput as exc:
        st.session_state[f"{exact_key}_refused"] = exc  # shown under the input; nothing saved
        return
    st.session_state[choice_key] = widget_level(value)
    waiting = fs.conflicts(assessment_id)
    if code in waiting:
        waiting[code]["mine"]["level"] = value
        return
    version = fs.versions(assessment_id).get(code, 0)
    fs.write(assessment_id, actor, code, {"level": value}, version, f"{t('as.saved', lang)}: {code}")


def _save_choice(
    assessment_id: int, actor: Any, code: str, choice_key: str, exact_key: str, lang: str
) -> None:
    chosen = st.session_state.get(choice_key)
    st.session_state[exact_key] = decimal_cell(None if chosen is None else float(chosen), lang)
    fs.autosave(assessment_id, actor, code, "level", choice_key, lang)


def level_widget(
    framework: Any,
    scale: Any,
    *,
    assessment_id: int,
    actor: Any,
    code: str,
    stored: float | None,
    editable: bool,
    lang: str,
) -> None:
    """Draw the level input of `code`: the choice of the scale's levels (key f_level_<code>, its value
    already in session state) and, where the framework allows fractional levels, the exact value beside
    it (key f_levelx_<code>, a decimal typed in the reader's locale, kept to two decimals)."""
    choice_key, exact_key = f"f_level_{code}", f"f_levelx_{code}"
    args = (assessment_id, actor, code, choice_key, exact_key, lang)
    fractional = bool(framework.fractional_values)
    cols = st.columns([3, 1]) if fractional else [st.container()]
    cols[0].radio(
        t("as.level", lang),
        [lv.level for lv in scale.levels],
        key=choice_key,
        horizontal=True,
        disabled=not editable,
        format_func=lambda n: f"{n} {scale.level(n).label(lang) if scale.level(n) else ''}",
        on_change=_save_choice if fractional else fs.autosave,
        args=args if fractional else (assessment_id, actor, code, "level", choice_key, lang),
    )
    if not fractional:
        return
    if exact_key not in st.session_state:
        st.session_state[exact_key] = decimal_cell(stored, lang)
    chosen = st.session_state.get(choice_key)
    if chosen is not None and _exact(exact_key, lang) != float(chosen):
        st.session_state[exact_key] = decimal_cell(float(chosen), lang)  # the choice was set elsewhere
    cols[1].text_input(  # a decimal in the reader's locale: Streamlit's number input writes a point
        t("tw.level_exact", lang),
        key=exact_key,
        disabled=not editable,
        on_change=_save_exact,
        args=args,
    )
    refused = st.session_state.pop(f"{exact_key}_refused", None)
    if refused is not None:
        show_error(refused)
    exact = _exact(exact_key, lang)
    if exact is not None and not float(exact).is_integer():
        low, high = int(exact), int(exact) + 1
        names = [scale.level(n) for n in (low, high)]
        if names[0] is not None and names[1] is not None:
            st.caption(
                t(
                    "tw.level_between",
                    lang,
                    low=f"{low} {md(names[0].label(lang))}",
                    high=f"{high} {md(names[1].label(lang))}",
                )
            )


def _exact(exact_key: str, lang: str) -> float | None:
    """The exact input's number, None when it holds none or text that is not a number."""
    try:
        return read_decimal(st.session_state.get(exact_key), lang)
    except InvalidInput:
        return None


def criteria_block(indicator: Any, scale: Any, lang: str, claimed: float | None) -> None:
    """Every level's criteria and expected evidence in full, one expander per level (plain text); the
    claimed level's (its whole part for a fractional claim) is open."""
    st.caption(t("tw.criteria", lang))
    opened = int(claimed) if claimed is not None else None
    for criterion in indicator.criteria:
        name = scale.level(criterion.level)
        title = f"{criterion.level} {md(name.label(lang)) if name else ''}"
        if criterion.level == opened:
            title += f" · {t('tw.claimed', lang)}"
        with st.expander(title, expanded=criterion.level == opened):
            st.markdown(md(criterion.text(lang)))
            if criterion.evidence(lang):
                st.caption(f"{t('word.evidence', lang)}: {md(criterion.evidence(lang))}")


def claimed_criteria(indicator: Any, scale: Any, lang: str, claimed: float | None) -> None:
    """The criteria of the agency's claimed level, beside the reviewer's grid."""
    if claimed is None:
        return
    criterion = indicator.criterion(int(claimed))
    if criterion is None:
        return
    st.caption(t("tw.criteria_of", lang, level=fmt_level(claimed, lang)))
    st.markdown(md(criterion.text(lang)))
    if criterion.evidence(lang):
        st.caption(f"{t('word.evidence', lang)}: {md(criterion.evidence(lang))}")


def final_column(framework: Any, levels: list[int], label: str, lang: str = "id") -> Any:
    """The reviewer grid's final-level column: a choice of levels, or, when the framework allows fractional
    levels, a decimal cell in the reader's locale (2,5 / 2.5; widgets.decimal_cells)."""
    if framework.fractional_values:
        return decimal_column(label, lang)
    return st.column_config.SelectboxColumn(label, options=levels)


def level_cell(framework: Any, value: float | None, lang: str) -> Any:
    """A level as the grid holds it: the level itself for a choice column, its text in `lang` for a
    fractional framework's decimal cell ("2,5"; "" when none)."""
    return decimal_cell(value, lang) if framework.fractional_values else value


def cell_level(framework: Any, cell: Any, lang: str) -> float | None:
    """A grid cell's level back: None when cleared; a whole level for a choice column; the decimal read
    in `lang` for a fractional framework. Raises InvalidInput for text that is not a number."""
    if framework.fractional_values:
        return read_decimal(cell, lang)
    return None if cell is None or pd.isna(cell) else int(cell)


def grid_changes(
    framework: Any, before: pd.DataFrame, after: pd.DataFrame, lang: str
) -> dict[str, dict[str, Any]]:
    """{code: {"final_level": level, "note": text}} of what the reviewer changed in the grid (columns
    code, final, note); a cleared final cell clears the final level. Raises InvalidInput for a final
    cell that is not a number."""
    entries: dict[str, dict[str, Any]] = {}
    for (_, old), (_, new) in zip(before.iterrows(), after.iterrows(), strict=True):
        change: dict[str, Any] = {}
        final = cell_level(framework, new["final"], lang)
        if final != cell_level(framework, old["final"], lang):
            change["final_level"] = final
        if (new["note"] or "") != (old["note"] or ""):
            change["note"] = new["note"]
        if change:
            entries[new["code"]] = change
    return entries
