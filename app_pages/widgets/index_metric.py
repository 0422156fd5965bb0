"""An index as a metric (issue 15): the value in the reader's locale (3,28 / 3.28) with its predicate as
the caption below it, never a coloured delta."""

from __future__ import annotations

from typing import Any

from evaluation.i18n import fmt_number


def index_metric(container: Any, label: str, result: Any, lang: str) -> None:
    """Draw `result`'s index (a scoring result: index_value, predicate) as a metric in `container` (st or
    a column)."""
    container.metric(
        label,
        fmt_number(result.index_value, lang),
        result.predicate.label(lang) if result.predicate else None,
        delta_color="off",
        delta_arrow="off",
    )
