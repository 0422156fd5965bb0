"""The index over the years against the straight path to each of its index targets: the chart both roadmap
pages open with (an agency's, app_pages/roadmap.py, and the nation's, app_pages/national_roadmap.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from evaluation.charts import roadmap as roadmap_charts
from evaluation.i18n import t
from evaluation.services.roadmap import TargetView

COLUMNS = ["horizon", "label", "baseline_year", "baseline_value", "target_year", "target_value", "status"]


def index_path_figure(
    observed: Mapping[int, float],
    targets: Iterable[TargetView],
    *,
    title: str,
    lang: str,
    baselines: Mapping[int, float] | None = None,
) -> object:
    """A plotly figure: `observed` (year -> index) and, per index target among `targets`, its path from
    its baseline; a target saved without a baseline value starts from `baselines`' value for its baseline
    year (with no `baselines`, from none)."""
    found = baselines or {}
    frame = pd.DataFrame(
        [
            {
                "horizon": tv.horizon,
                "label": f"{t('horizon.' + tv.horizon, lang)} {tv.target_year}",
                "baseline_year": tv.baseline_year,
                "baseline_value": found.get(tv.baseline_year)
                if tv.baseline_value is None
                else tv.baseline_value,
                "target_year": tv.target_year,
                "target_value": tv.target_value,
                "status": tv.assessment.status if tv.assessment else "on_track",
            }
            for tv in targets
            if tv.target_kind == "index"
        ],
        columns=COLUMNS,
    )
    return roadmap_charts.target_path_figure(
        observed,
        frame,
        title=title,
        actual_name=t("rm.actual", lang),
        y_label=t("word.index", lang),
        lang=lang,
    )
