"""The roadmap page's bridge (issue 16), for an agency's roadmap on the founding framework: the official
indicators each planned step moves, the what-if through the bridge (with its assumption stated) and the
best path in founding terms."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages.whatif_grid import whatif_levels
from app_pages.widgets.index_metric import index_metric
from evaluation import bridge, roadmap_math
from evaluation.db import database_url, read_session
from evaluation.i18n import fmt_number, t
from evaluation.services.bridge_levels import BridgeStart, bridge_start
from indicators.schema import Framework

OFFICIAL_FRAMEWORKS = ("pemdi-2026", "spbe-2020")


def planned_steps(founding: Framework, targets: list[Any], activities: list[Any]) -> list[str]:
    """Steps (top groups) with a live target on the step or one of its indicators, or an activity on one
    of its indicators, in framework order."""
    codes: set[str] = set()
    for target in targets:
        code = target.target_code or ""
        codes.add(founding.parent_of.get(code, code))
    for activity in activities:
        codes.update(founding.parent_of.get(code, code) for code in activity.indicators)
    return [g.code for g in founding.groups if g.code in codes]


def _official(framework_id: str) -> Framework:
    url = database_url()
    versions = [v for v in c.framework_versions(url) if v.framework_id == framework_id]
    return c.framework(url, versions[-1].version_id)


def bridge_section(
    actor: Any, agency_id: int, founding: Framework, targets: list[Any], activities: list[Any], lang: str
) -> None:
    """Draw the bridge for one agency (targets: its live targets on the founding framework)."""
    st.markdown(f"#### {t('pg.bridge_title', lang)}")
    official_id = st.selectbox(
        t("pg.official_framework", lang), OFFICIAL_FRAMEWORKS, key="rm_bridge_official"
    )
    official = _official(official_id)
    st.caption(t("pg.bridge_caption", lang, official=official_id))
    steps = planned_steps(founding, targets, activities)
    if not steps:
        st.info(t("pg.bridge_none", lang))
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("pg.step", lang): f"{code} {founding.group_by_code[code].label(lang)}",
                        t("pg.moves", lang): ", ".join(
                            f"{o} {official.indicator_by_code[o].label(lang)}"
                            for o in bridge.moved_by_step(founding, official, code)
                        ),
                    }
                    for code in steps
                ]
            ),
            hide_index=True,
            width="stretch",
            key="rm_bridge_moves",
        )
    with read_session(c.engine()) as session:
        start = bridge_start(
            session, actor=actor, agency_id=agency_id, founding_id=founding.id, official_id=official_id
        )
    st.markdown(f"#### {t('pg.whatif_title', lang)}")
    if not start.official:
        st.info(t("pg.no_official", lang, official=official_id))
        return
    if not start.founding:
        st.info(t("pg.no_founding", lang))
        return
    st.caption(
        t(
            "pg.levels_from",
            lang,
            official=official_id,
            official_year=start.official_year,
            founding_year=start.founding_year,
        )
    )
    st.info(t("pg.assumption", lang))
    founding_now = start.founding
    applicable = [i for i in founding.indicators if founding_now.get(i.code) is not None]
    rows = [
        {
            "code": i.code,
            "name": i.label(lang),
            "now": founding_now[i.code],
            "moves": ", ".join(i.prepares.get(official_id, [])),
        }
        for i in applicable
    ]
    then: dict[str, float | None] = {**founding_now}
    then.update(
        whatif_levels(
            founding,
            rows,
            key=f"rm_bridge_whatif_{agency_id}_{official_id}",
            lang=lang,
            extra={"moves": t("pg.moves", lang)},
        )
    )
    result = bridge.BridgeMove(founding, official, start.official, founding_now, then).what_if()
    cols = st.columns(2)
    for col, label, scored in (
        (cols[0], "pg.official_now", result.now),
        (cols[1], "pg.official_then", result.then),
    ):
        index_metric(col, t(label, lang), scored, lang)
    if result.moved:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("word.code", lang): code,
                        t("word.indicator", lang): official.indicator_by_code[code].label(lang),
                        t("pg.level_change", lang): f"{fmt_number(a, lang, 1)} → {fmt_number(b, lang, 0)}",
                    }
                    for code, (a, b) in result.moved.items()
                ]
            ),
            hide_index=True,
            width="stretch",
            key="rm_bridge_moved",
        )
    _best_path(founding, official, start, result.now.index, lang)


def _best_path(
    founding: Framework, official: Framework, start: BridgeStart, index_now: Any, lang: str
) -> None:
    """The founding steps that first reach a chosen predicate on `official`, from both of `start`'s levels."""
    st.markdown(f"#### {t('pg.best_title', lang)}")
    bands = [b.name for b in official.predicate.bands]
    above = [b.name for b in official.predicate.bands if index_now is not None and b.min > index_now]
    default = "Baik" if "Baik" in above else (above[0] if above else bands[-1])
    cols = st.columns(2)
    predicate = cols[0].selectbox(
        t("pg.best_goal", lang), bands, index=bands.index(default), key=f"rm_bridge_goal_{official.id}"
    )
    cap = cols[1].number_input(t("pg.best_cap", lang), 0, 4, 2, key=f"rm_bridge_cap_{official.id}")
    goal, strict = roadmap_math.threshold_for(official, predicate)
    path = bridge.best_founding_path(
        founding,
        official,
        start.official,
        start.founding,
        goal,
        strict=strict,
        max_steps_per_indicator=int(cap) or None,
    )
    if path is None:
        st.warning(t("pg.best_none", lang))
        return
    if not path:
        st.success(t("pg.best_reached", lang))
        return
    order = " → ".join(f"{s} {founding.group_by_code[s].label(lang)}" for s in bridge.steps_first(path))
    st.text(t("pg.best_order", lang, steps=order))
    st.caption(t("pg.best_note", lang))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("pg.step", lang): step.step,
                    t("word.code", lang): step.indicator,
                    t("word.indicator", lang): founding.indicator_by_code[step.indicator].label(lang),
                    t("word.level", lang): f"{fmt_number(step.from_level, lang, 0)} → {step.to_level}",
                    t("pg.moves", lang): ", ".join(step.moves),
                    t("pg.index_after", lang): fmt_number(float(step.index_after), lang),
                }
                for step in path
            ]
        ),
        hide_index=True,
        width="stretch",
        key="rm_bridge_path",
    )
