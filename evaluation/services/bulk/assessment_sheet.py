"""The assessment sheet (one row per agency x indicator): its columns, and the rows of a period as they
stand, for templates and exports. The importer reads the same columns back."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from evaluation.excel_io.table import Column
from evaluation.excel_io.writer import SheetSpec, write_csv, write_xlsx
from evaluation.i18n import N_, t
from evaluation.models import Agency, Assessment, Evidence, IndicatorScore, Period, ScoreEvidence
from evaluation.scoring import score_levels
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.frameworks import load_framework_version
from evaluation.translatable import NotFound
from indicators.schema import Framework

SHEET = "Penilaian"
INDEX_SHEET = "Indeks"
COLUMNS = (
    Column("agency_code", "sh.agency_code", "code", required=True, width=12),
    Column("agency_name", "sh.agency_name", width=34),
    Column("year", "sh.year", "int", required=True, width=8),
    Column("indicator", "sh.indicator", "code", required=True, width=10),
    Column("indicator_name", "sh.indicator_name", width=48),
    Column(
        "self_level",
        "sh.self_level",
        "level",
        width=10,
        note="sh.self_level_note",
    ),
    Column(
        "justification",
        "sh.justification",
        width=60,
        note="sh.justification_note",
    ),
    Column("evidence", "sh.evidence", width=30),
    Column(
        "final_level",
        "sh.final_level",
        "level",
        width=10,
        note="sh.final_level_note",
    ),
    Column("reviewer_note", "sh.assessment.reviewer_note", width=40),
)
INFO_COLUMNS = frozenset({"agency_name", "indicator_name", "evidence"})
AGENCY_COLUMNS = ("self_level", "justification")
REVIEWER_COLUMNS = ("final_level", "reviewer_note")
ORIGIN_KEYS = (*AGENCY_COLUMNS, *REVIEWER_COLUMNS)  # stamped per row: what the three-way rule compares
IDENTITY_KEYS = ("agency_code", "year", "indicator")


INSTRUCTIONS = (
    N_("pr.sheet_assessment_title"),
    N_("pr.sheet_assessment_rows"),
    N_("pr.sheet_assessment_who"),
    N_("pr.sheet_assessment_upload"),
    N_("pr.sheet_assessment_origin"),
)


def instructions(lang: str) -> list[str]:
    """The workbook's instruction lines in `lang`."""
    return [t(key, lang) for key in INSTRUCTIONS]


def _allowed_agencies(actor: Actor, agency_ids: list[int] | None) -> list[int] | None:
    if actor.is_ministry:
        return agency_ids
    if actor.agency_id is None:
        raise PermissionDenied("pr.err_no_agency")
    if agency_ids is not None and any(a != actor.agency_id for a in agency_ids):
        raise PermissionDenied("pr.err_own_agency_only")
    return [actor.agency_id]


def period_rows(
    session: Session, *, actor: Actor, period_id: int, agency_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """Every indicator of every chosen agency in the period, with its current values (blank when none)."""
    agency_ids = _allowed_agencies(actor, agency_ids)
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("pr.err_no_period", period_id=str(period_id))
    framework = load_framework_version(session, period.framework_version_id)
    query = sa_select(col(Agency.id), col(Agency.code), col(Agency.name)).where(col(Agency.active))
    if agency_ids is not None:
        query = query.where(col(Agency.id).in_(agency_ids))
    agencies = session.connection().execute(query.order_by(col(Agency.code))).fetchall()
    scores = (
        session.connection()
        .execute(
            sa_select(
                col(Assessment.agency_id),
                col(IndicatorScore.id),
                col(IndicatorScore.indicator_code),
                col(IndicatorScore.self_level),
                col(IndicatorScore.justification),
                col(IndicatorScore.final_level),
                col(IndicatorScore.reviewer_note),
                col(IndicatorScore.not_applicable),
            )
            .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
            .where(col(Assessment.period_id) == period_id)
        )
        .fetchall()
    )
    by_key: dict[tuple[int, str], tuple[Any, ...]] = {
        (int(a), str(code)): (sid, own, text, final, note, na)
        for a, sid, code, own, text, final, note, na in scores
    }
    evidence: dict[int, list[str]] = defaultdict(list)
    links = (
        session.connection()
        .execute(
            sa_select(col(ScoreEvidence.score_id), col(Evidence.filename), col(Evidence.url))
            .join(Evidence, col(Evidence.id) == col(ScoreEvidence.evidence_id))
            .join(IndicatorScore, col(IndicatorScore.id) == col(ScoreEvidence.score_id))
            .join(Assessment, col(Assessment.id) == col(IndicatorScore.assessment_id))
            .where(col(Assessment.period_id) == period_id)
        )
        .fetchall()
    )
    for score_id, name, url in links:
        evidence[score_id].append(url or name)
    rows = []
    for agency_id, code, name in agencies:
        for indicator in framework.indicators:
            sid, own, text, final, note, na = by_key.get((int(agency_id or 0), indicator.code), (None,) * 6)
            rows.append(
                {
                    "agency_code": code,
                    "agency_name": name,
                    "year": period.year,
                    "indicator": indicator.code,
                    "indicator_name": indicator.name,
                    "self_level": _level(own),
                    "justification": text,
                    "evidence": "; ".join(evidence.get(sid or -1, [])) or None,
                    "final_level": _level(final),
                    "reviewer_note": note,
                    "not_applicable": bool(na),  # not a column: the index sheet leaves it out, as the app
                }
            )
    return rows


def _level(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def period_workbook(
    session: Session,
    *,
    actor: Actor,
    period_id: int,
    agency_ids: list[int] | None = None,
    lang: str = "id",
    template: bool = True,
    fmt: str = "xlsx",
) -> bytes:
    """A template (dropdowns, locked header, instructions) or a plain export of the period's assessments."""
    rows = period_rows(session, actor=actor, period_id=period_id, agency_ids=agency_ids)
    period = session.get(Period, period_id)
    assert period is not None
    framework = load_framework_version(session, period.framework_version_id)
    levels = sorted({lv.level for scale in framework.scales.values() for lv in scale.levels})
    level_columns = ("self_level", "final_level")
    if framework.fractional_values:  # Pemdi: values such as 2.5 from a national index; a range, no list
        limits = (float(min(levels)), float(max(levels)))
        spec = SheetSpec(
            SHEET,
            COLUMNS,
            rows,
            read_only=INFO_COLUMNS,
            ranges=dict.fromkeys(level_columns, limits),
            origin_keys=ORIGIN_KEYS,
            identity_keys=IDENTITY_KEYS,
        )
    else:
        spec = SheetSpec(
            SHEET,
            COLUMNS,
            rows,
            read_only=INFO_COLUMNS,
            choices={key: list(levels) for key in level_columns},
            origin_keys=ORIGIN_KEYS,
            identity_keys=IDENTITY_KEYS,
        )
    if fmt == "csv":
        return write_csv(spec, lang=lang)
    sheets = [spec] if template else [spec, _indices_sheet(framework, rows, period.predicate_rounding)]
    return write_xlsx(sheets, lang=lang, instructions=instructions(lang), template=template)


def _indices_sheet(framework: Framework, rows: list[dict[str, Any]], rounding: str | None) -> SheetSpec:
    """Per agency the index as self-assessed and as verified, with group indices and predicate (for
    reading; the import reads only the assessment sheet)."""
    by_agency: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_agency[row["agency_code"]].append(row)
    groups = list(framework.group_by_code)
    summary = []
    for code, items in by_agency.items():
        for which, column in (("mandiri", "self_level"), ("final", "final_level")):
            levels = {r["indicator"]: r[column] for r in items if not r["not_applicable"]}
            na = [r["indicator"] for r in items if r["not_applicable"]]
            result = score_levels(framework, levels, not_applicable=na, rounding=rounding)  # type: ignore[arg-type]
            summary.append(
                {
                    "agency_code": code,
                    "agency_name": items[0]["agency_name"],
                    "year": items[0]["year"],
                    "levels": which,
                    "index": result.index_value,
                    "predicate": result.predicate.name if result.predicate else None,
                    "missing": len(result.missing) or None,
                    **{g: float(v) for g, v in result.groups.items()},
                }
            )
    columns = [
        Column("agency_code", "sh.agency_code", "code", width=12),
        Column("agency_name", "sh.agency_name", width=34),
        Column("year", "sh.year", "int", width=8),
        Column("levels", "sh.levels", width=9),
        Column("index", "sh.index", "number", width=9),
        Column("predicate", "sh.predicate", width=12),
        Column("missing", "sh.missing", "int", width=10),
        *[Column(g, g, "number", width=7, verbatim=True) for g in groups],
    ]
    return SheetSpec(INDEX_SHEET, columns, summary)
