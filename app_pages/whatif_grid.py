"""The what-if grid shared by the roadmap's simulator and its bridge (issues 13 and 16): one row per
indicator with its level now (read-only) and a what-if choice of level 1-5, starting at the level now.
Levels now are written as the reader reads them: whole levels as whole numbers, a fractional framework's
levels as decimal cells in the reader's locale (2,5 / 2.5)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.level_input import level_cell
from evaluation.i18n import t

WHATIF_LEVELS = [1, 2, 3, 4, 5]


def whatif_levels(
    framework: Any,
    rows: Sequence[dict[str, Any]],
    *,
    key: str,
    lang: str,
    extra: dict[str, str] | None = None,
) -> dict[str, float]:
    """Draw the grid of `rows` (code, name, now, and the `extra` columns: {column: label}, read-only) and
    return {code: what-if level} as edited."""
    extra = extra or {}
    table = pd.DataFrame(
        [
            {
                "code": row["code"],
                "name": row["name"],
                "now": level_cell(framework, row["now"], lang),
                "whatif": row["now"],
                **{column: row[column] for column in extra},
            }
            for row in rows
        ]
    )
    now_label = t("rm.now", lang)
    edited = st.data_editor(
        table,
        key=key,
        hide_index=True,
        width="stretch",
        height=300,
        disabled=["code", "name", "now", *extra],
        column_config={
            "code": t("word.code", lang),
            "name": t("word.indicator", lang),
            "now": now_label
            if framework.fractional_values
            else st.column_config.NumberColumn(now_label, format="%d"),
            "whatif": st.column_config.SelectboxColumn(
                t("rm.whatif_level", lang), options=WHATIF_LEVELS, required=True
            ),
            **extra,
        },
    )
    return {row["code"]: float(row["whatif"]) for _, row in edited.iterrows()}
