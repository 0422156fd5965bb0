"""Self-assessment against the final result: the gap per agency, indicator and period (who over-claims, on
what). A positive gap means the agency claimed more than the assessors confirmed."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from evaluation.models import Agency, Assessment, IndicatorScore
from evaluation.services.actors import Actor, require_agency_access, require_role
from evaluation.services.gap_totals import GapTotals, period_gap_totals
from evaluation.services.results import list_periods, period_results
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


def gaps_by_agency(session: Session, period_id: int, *, actor: Actor) -> pd.DataFrame:
    """Per agency with a finalized assessment: the index from its self-assessed levels and from its final
    levels (the same scoring as everywhere), their difference, how many indicators it claimed higher or
    lower than confirmed, and its mean gap; largest index gap first. From the period's totals
    (gap_totals.py), never a row per indicator score. It scores the whole period: ministry roles only."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    columns = [
        "agency_id", "code", "name", "category", "province", "self_index", "final_index", "index_gap",
        "over", "under", "mean_gap",
    ]  # fmt: skip
    totals = period_gap_totals(session, period_id).by_agency
    if not totals:
        return pd.DataFrame(columns=columns)
    self_index = {
        r.agency_id: r.result.index_value for r in period_results(session, period_id, levels="self")
    }
    rows = []
    for final in period_results(session, period_id):  # by agency name
        if final.agency_id not in totals:
            continue
        gap, over, under, pairs = totals[final.agency_id]
        own, confirmed = self_index.get(final.agency_id), final.result.index_value
        rows.append(
            (
                final.agency_id, final.agency_code, final.agency_name, final.category, final.province, own,
                confirmed, None if own is None or confirmed is None else own - confirmed, over, under,
                gap / pairs,
            )
        )  # fmt: skip
    out = pd.DataFrame(rows, columns=columns).astype({"self_index": float, "final_index": float})
    out["index_gap"] = out["index_gap"].astype(float)
    return out.sort_values("index_gap", ascending=False, na_position="last", kind="stable").reset_index(
        drop=True
    )


def gap_by_year(session: Session, *, actor: Actor) -> pd.DataFrame:
    """Per official period (year and framework) with finalized assessments: the mean gap, the share of
    indicator assessments claimed higher than confirmed, and how many there are; by year. From each
    period's totals (a closed period's are stored: gap_totals.py). Ministry roles only."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    rows = []
    for period in sorted(list_periods(session), key=lambda p: (p.year, p.id)):
        if period.kind != "official":  # programmes are the other family (the home page's view)
            continue
        totals = period_gap_totals(session, period.id)
        if totals.pairs:
            rows.append((period.year, period.framework_id, totals.mean_gap, totals.over_share, totals.pairs))
    frame = pd.DataFrame(rows, columns=["year", "framework_id", "mean_gap", "over_share", "scores"])
    return frame.astype({"mean_gap": float, "over_share": float})


def indicator_gap_totals(
    session: Session, *, actor: Actor, period_id: int, names: dict[str, str]
) -> tuple[pd.DataFrame, float | None, float | None]:
    """What `gaps_by_indicator(indicator_gaps(...), names)` gives for a whole period, with the mean gap and
    the share claimed higher over every indicator score: (per-indicator frame, mean, share), (empty frame,
    None, None) without any pair of levels. Summed in the database per indicator, never a row per score of
    every agency (306,440 at 10x: the national PDF's peak memory, issue 17; gap_totals.py). Ministry roles
    only."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    totals = period_gap_totals(session, period_id)
    return indicator_frame(totals, names), totals.mean_gap, totals.over_share


def period_totals(session: Session, *, actor: Actor, period_id: int) -> GapTotals:
    """The period's gap totals per indicator and per agency (gap_totals.py). Ministry roles only."""
    require_role(actor, Role.REVIEWER, Role.ADMIN)
    return period_gap_totals(session, period_id)


def indicator_frame(totals: GapTotals, names: dict[str, str]) -> pd.DataFrame:
    """The columns of `gaps_by_indicator` from a period's totals: per indicator (in `names`' order, then
    by code) its name, mean gap, share claimed higher and how many agencies have both levels."""
    columns = ["indicator", "indicator_name", "mean_gap", "over_share", "agencies"]
    order = {c: i for i, c in enumerate(names)}
    rows = [
        (c, names.get(c, ""), gap / n, over / n, n)
        for c, (gap, over, n) in sorted(
            totals.by_indicator.items(), key=lambda item: (order.get(item[0], len(order)), item[0])
        )
    ]
    return pd.DataFrame(rows, columns=columns)
