"""Self-assessment against the final result: the gap per agency, indicator and period (who over-claims, on
what). A positive gap means the agency claimed more than the assessors confirmed."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Float, case, cast, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from evaluation.models import Agency, Assessment, FrameworkVersion, IndicatorScore, Period
from evaluation.services.actors import Actor, require_agency_access, require_role
from evaluation.services.results import period_results
from evaluation.workflow import AssessmentStatus, Role

GAP_COLUMNS = ["agency_id", "code", "name", "category", "province", "indicator", "self", "final", "gap"]


def indicator_gaps(
    session: Session, *, actor: Actor, period_id: int, agency_id: int | None = None
) -> pd.DataFrame:
    """Every indicator of a period with both a self-assessed and a final level (finalized assessments).
    Ministry roles see every agency; agency roles only their own (`agency_id` required)."""
    require_role(actor, Role.OPERATOR, Role.COORDINATOR, Role.REVIEWER, Role.ADMIN)
    if not actor.is_ministry:
        if agency_id is None:
            agency_id = actor.agency_id or -1
        require_agency_access(actor, agency_id)
    query = (
        sa_select(
            col(Agency.id),
            col(Agency.code),
            col(Agency.name),
            col(Agency.category),
            col(Agency.province),
            col(IndicatorScore.indicator_code),
            col(IndicatorScore.self_level),
            col(IndicatorScore.final_level),
        )
        .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
        .join(Agency, col(Agency.id) == col(Assessment.agency_id))
        .where(
            col(Assessment.period_id) == period_id,
            col(Assessment.status) == AssessmentStatus.FINAL,
            col(IndicatorScore.self_level).is_not(None),
            col(IndicatorScore.final_level).is_not(None),
            col(IndicatorScore.not_applicable).is_(False),
        )
    )
    if agency_id is not None:
        query = query.where(col(Assessment.agency_id) == agency_id)
    # the driver's own rows (no Row objects): a national period is 306,440 of them at 10x (issue 17)
    rows = session.connection().execute(query).cursor.fetchall()
    frame = pd.DataFrame(rows, columns=GAP_COLUMNS[:-1])
    frame["gap"] = frame["self"].astype(float) - frame["final"].astype(float)
    return frame[GAP_COLUMNS]


def gaps_by_indicator(gaps: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Per indicator: mean gap, share of agencies over-claiming, and how many agencies it covers."""
    columns = ["indicator", "indicator_name", "mean_gap", "over_share", "agencies"]
    if gaps.empty:
        return pd.DataFrame(columns=columns)
    grouped = gaps.groupby("indicator", sort=False)
    out = grouped.agg(
        mean_gap=("gap", "mean"),
        over_share=("gap", lambda g: float((g > 0).mean())),
        agencies=("gap", "size"),
    ).reset_index()
    out["indicator_name"] = out["indicator"].map(names).fillna("")
    order = {code: i for i, code in enumerate(names)}
    out = out.sort_values("indicator", key=lambda s: s.map(lambda c: order.get(c, len(order))))
    return out[columns].reset_index(drop=True)


def gaps_by_agency(session: Session, gaps: pd.DataFrame, period_id: int, *, actor: Actor) -> pd.DataFrame:
    """Per agency: the index from its self-assessed levels and from its final levels (the same scoring as
    everywhere), their difference, and how many indicators it claimed higher or lower than confirmed.
    It scores the whole period: ministry roles only."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    columns = [
        "agency_id", "code", "name", "category", "province", "self_index", "final_index", "index_gap",
        "over", "under", "mean_gap",
    ]  # fmt: skip
    if gaps.empty:
        return pd.DataFrame(columns=columns)
    wanted = set(gaps["agency_id"])
    self_index = {
        r.agency_id: r.result.index_value
        for r in period_results(session, period_id, levels="self")
        if r.agency_id in wanted
    }
    final_index = {
        r.agency_id: r.result.index_value for r in period_results(session, period_id) if r.agency_id in wanted
    }
    # counted by column, not by a Python function per agency (6,520 groups at 10x, issue 17)
    grouped = gaps.assign(over=gaps["gap"] > 0, under=gaps["gap"] < 0).groupby(
        ["agency_id", "code", "name", "category", "province"], dropna=False, sort=False
    )
    out = grouped.agg(over=("over", "sum"), under=("under", "sum"), mean_gap=("gap", "mean")).reset_index()
    out = out.astype({"over": int, "under": int})
    out["self_index"] = out["agency_id"].map(self_index)
    out["final_index"] = out["agency_id"].map(final_index)
    out["index_gap"] = out["self_index"] - out["final_index"]
    return out[columns].sort_values("index_gap", ascending=False, na_position="last").reset_index(drop=True)


def gap_by_year(session: Session, *, actor: Actor) -> pd.DataFrame:
    """Per official period (year and framework) of finalized assessments: the mean gap, the share of
    indicator assessments claimed higher than confirmed, and how many there are. Ministry roles only."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    own, final = col(IndicatorScore.self_level), col(IndicatorScore.final_level)
    query = (
        sa_select(
            col(Period.year),
            col(FrameworkVersion.framework_id),
            func.avg(cast(own - final, Float)),
            func.avg(case((own > final, 1.0), else_=0.0)),
            func.count(),
        )
        .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .join(FrameworkVersion, col(FrameworkVersion.id) == col(Period.framework_version_id))
        .where(
            col(Assessment.status) == AssessmentStatus.FINAL,
            own.is_not(None),
            final.is_not(None),
            col(IndicatorScore.not_applicable).is_(False),
            col(Period.kind) == "official",  # programmes are the other family (the home page's view)
        )
        .group_by(col(Period.id), col(Period.year), col(FrameworkVersion.framework_id))
        .order_by(col(Period.year), col(Period.id))
    )
    rows = session.connection().execute(query).fetchall()
    frame = pd.DataFrame(rows, columns=["year", "framework_id", "mean_gap", "over_share", "scores"])
    return frame.astype({"mean_gap": float, "over_share": float})


def indicator_gap_totals(
    session: Session, *, actor: Actor, period_id: int, names: dict[str, str]
) -> tuple[pd.DataFrame, float | None, float | None]:
    """What `gaps_by_indicator(indicator_gaps(...), names)` gives for a whole period, with the mean gap and
    the share claimed higher over every indicator score: (per-indicator frame, mean, share), (empty frame,
    None, None) without any pair of levels. Summed in the database per indicator, never a row per score of
    every agency (306,440 at 10x: the national PDF's peak memory, issue 17). Ministry roles only."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    own, final = col(IndicatorScore.self_level), col(IndicatorScore.final_level)
    code = col(IndicatorScore.indicator_code)
    query = (
        sa_select(
            code,
            func.sum(cast(own - final, Float)),
            func.sum(case((own > final, 1), else_=0)),
            func.count(),
        )
        .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
        .where(
            col(Assessment.period_id) == period_id,
            col(Assessment.status) == AssessmentStatus.FINAL,
            own.is_not(None),
            final.is_not(None),
            col(IndicatorScore.not_applicable).is_(False),
        )
        .group_by(code)
    )
    totals = {
        row[0]: (float(row[1]), int(row[2]), int(row[3])) for row in session.connection().execute(query)
    }
    columns = ["indicator", "indicator_name", "mean_gap", "over_share", "agencies"]
    count = sum(n for _gap, _over, n in totals.values())
    if not count:
        return pd.DataFrame(columns=columns), None, None
    order = {c: i for i, c in enumerate(names)}
    rows = [
        {
            "indicator": c,
            "indicator_name": names.get(c, ""),
            "mean_gap": gap / n,
            "over_share": over / n,
            "agencies": n,
        }
        for c, (gap, over, n) in sorted(
            totals.items(), key=lambda item: (order.get(item[0], len(order)), item[0])
        )
    ]
    mean = sum(gap for gap, _over, _n in totals.values()) / count
    share = sum(over for _gap, over, _n in totals.values()) / count
    return pd.DataFrame(rows, columns=columns), mean, share
