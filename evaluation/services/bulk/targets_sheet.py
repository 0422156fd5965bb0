"""The roadmap targets sheet: short-, medium- and long-term targets of an agency (or national ones), with
where each stands now. Agencies import their own; the ministry any, national ones included."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from evaluation.excel_io.cells import Problem
from evaluation.excel_io.reader import read_upload
from evaluation.excel_io.table import Column, parse_table
from evaluation.excel_io.writer import SheetSpec, write_csv, write_xlsx
from evaluation.models import AGENCY_CATEGORIES, HORIZONS, TARGET_KINDS, Agency, RoadmapTarget
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.bulk.keyed_import import KeyedPlan, PlannedRecord, apply_keyed, stored_limits
from evaluation.services.bulk.plan import problem_at
from evaluation.services.frameworks import framework_of, latest_version
from evaluation.services.results import list_periods, national_trend, period_results

SHEET = "Target"
HORIZON_WORDS = {
    "pendek": "short",
    "menengah": "medium",
    "panjang": "long",
    "short": "short",
    "medium": "medium",
    "long": "long",
}
COLUMNS = (
    Column(
        "agency_code",
        "Kode instansi",
        "Agency code",
        "code",
        width=12,
        note_id="Kosong untuk target nasional.",
        note_en="Blank for a national target.",
    ),
    Column("framework", "Kerangka", "Framework", required=True, width=14),
    Column("horizon", "Jangka", "Horizon", required=True, width=10),
    Column("target_kind", "Jenis target", "Target kind", width=10),
    Column(
        "target_code",
        "Kode yang ditargetkan",
        "Target code",
        "code",
        width=10,
        note_id="Kode domain/aspek/indikator untuk jenis group/indicator.",
        note_en="Group or indicator code.",
    ),
    Column("category", "Kategori (target porsi)", "Category (share target)", width=14),
    Column("predicate", "Predikat minimal (target porsi)", "Lowest predicate (share target)", width=14),
    Column("baseline_year", "Tahun dasar", "Baseline year", "int", required=True, width=10),
    Column("baseline_value", "Nilai dasar", "Baseline value", "number", width=10),
    Column("target_year", "Tahun target", "Target year", "int", required=True, width=10),
    Column("target_value", "Nilai target", "Target value", "number", required=True, width=10),
    Column("note", "Catatan", "Note", width=30),
    Column("current_value", "Nilai terakhir", "Latest value", "number", width=10),
    Column("achieved", "Tercapai", "Achieved", width=9),
)
READ_ONLY = frozenset({"current_value", "achieved"})
STORED = {"agency_code": "agency_id", "framework": "framework_id"}  # sheet column -> stored field


def _visible(actor: Actor, agency_id: int | None) -> bool:
    return actor.is_ministry or (agency_id is not None and agency_id == actor.agency_id)


def _latest_values(session: Session) -> dict[tuple[int | None, str], float]:
    """The latest verified overall index per (agency or None for national, framework)."""
    latest: dict[tuple[int | None, str], float] = {}
    for period in list_periods(session):
        for result in period_results(session, period.id):
            if result.result.index_value is not None:
                latest[(result.agency_id, result.framework_id)] = result.result.index_value
    for point in national_trend(session):
        latest[(None, point.framework_id)] = point.index
    return latest


def targets_file(
    session: Session, *, actor: Actor, lang: str = "id", fmt: str = "xlsx", template: bool = True
) -> bytes:
    codes = {a.id: a.code for a in session.exec(select(Agency))}
    latest = _latest_values(session)
    rows = []
    query = (
        select(RoadmapTarget)
        .where(col(RoadmapTarget.superseded_by).is_(None))
        .order_by(col(RoadmapTarget.id))
    )
    for target in session.exec(query):
        if not _visible(actor, target.agency_id):
            continue
        current = (
            latest.get((target.agency_id, target.framework_id)) if target.target_kind == "index" else None
        )
        rows.append(
            {
                "agency_code": codes.get(target.agency_id),
                "framework": target.framework_id,
                "horizon": target.horizon,
                "target_kind": target.target_kind,
                "target_code": target.target_code,
                "category": target.category,
                "predicate": target.predicate,
                "baseline_year": target.baseline_year,
                "baseline_value": target.baseline_value,
                "target_year": target.target_year,
                "target_value": target.target_value,
                "note": target.note,
                "current_value": current,
                "achieved": None
                if current is None
                else ("ya" if current >= target.target_value else "tidak"),
            }
        )
    spec = SheetSpec(
        SHEET,
        COLUMNS,
        rows,
        read_only=READ_ONLY,
        choices={"horizon": list(HORIZONS), "target_kind": list(TARGET_KINDS)},
    )
    if fmt == "csv":
        return write_csv(spec, lang=lang)
    lines = (
        [
            "Roadmap targets: one row per target; horizon short/medium/long; kind index, group, indicator or "
            "share. The last two columns show where each stands and are not imported."
        ]
        if lang == "en"
        else [
            "Target peta rencana: satu baris per target; jangka short/medium/long (pendek/menengah/panjang); "
            "jenis index, group, indicator atau share. "
            "Dua kolom terakhir menunjukkan capaian dan tidak diimpor."
        ]
    )
    return write_xlsx([spec], lang=lang, instructions=lines, template=template)


def plan_targets_import(session: Session, *, actor: Actor, data: bytes, filename: str) -> KeyedPlan:
    if actor.role not in ("operator", "coordinator", "reviewer", "admin"):
        raise PermissionDenied("Peran tidak dikenal. / Unknown role.")
    sheets = read_upload(data, filename)
    sheet = next((s for s in sheets if s.name == SHEET), sheets[0])
    plan = KeyedPlan(entity="roadmap_target", sheet=sheet.name)
    rows, plan.problems = parse_table(sheet, COLUMNS)
    if rows:
        plan.letters = {STORED.get(k, k): letter for k, letter in rows[0].letters.items()}
    agencies = {a.code: a.id for a in session.exec(select(Agency))}
    live = {
        (t.agency_id, t.framework_id, t.horizon, t.target_kind, t.target_code, t.category, t.predicate): t
        for t in session.exec(select(RoadmapTarget).where(col(RoadmapTarget.superseded_by).is_(None)))
    }
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        v = row.values
        refuse = problem_at(plan.problems, sheet.name, row)
        problem = _check(session, actor, v, agencies)
        if problem is not None:
            refuse(*problem)
            continue
        agency_id = agencies.get(v["agency_code"]) if v.get("agency_code") else None
        kind = (v.get("target_kind") or "index").lower()
        key = (
            agency_id,
            v["framework"].lower(),
            HORIZON_WORDS[v["horizon"].strip().lower()],
            kind,
            v.get("target_code") or None,
            v.get("category") or None,
            v.get("predicate") or None,
        )
        if key in seen:
            plan.problems.append(
                Problem(
                    sheet.name,
                    row.number,
                    "",
                    f"target ganda (lihat baris {seen[key]})",
                    f"duplicate target (see row {seen[key]})",
                )
            )
            continue
        seen[key] = row.number
        values = {
            "agency_id": key[0],
            "framework_id": key[1],
            "horizon": key[2],
            "target_kind": key[3],
            "target_code": key[4],
            "category": key[5],
            "predicate": key[6],
            "baseline_year": v["baseline_year"],
            "baseline_value": v.get("baseline_value"),
            "target_year": v["target_year"],
            "target_value": v["target_value"],
            "note": v.get("note") or None,
        }
        limits = stored_limits(RoadmapTarget, values, {v: k for k, v in STORED.items()})
        for found in limits:
            refuse(*found)
        if not limits:
            plan.rows.append(PlannedRecord(row.number, key, live.get(key), values))
    return plan


def _check(
    session: Session, actor: Actor, v: dict[str, Any], agencies: dict[str, int | None]
) -> tuple[str, str, str] | None:
    code = v.get("agency_code")
    if code and code not in agencies:
        return "agency_code", f"instansi '{code}' tidak dikenal", f"unknown agency '{code}'"
    agency_id = agencies.get(code) if code else None
    if not _visible(actor, agency_id):
        return "agency_code", "hanya target instansi Anda sendiri", "only your own agency's targets"
    version = latest_version(session, v["framework"].strip().lower())
    if version is None:
        return (
            "framework",
            f"kerangka '{v['framework']}' tidak dikenal",
            f"unknown framework '{v['framework']}'",
        )
    if v["horizon"].strip().lower() not in HORIZON_WORDS:
        return "horizon", "jangka: pendek, menengah atau panjang", "horizon: short, medium or long"
    kind = (v.get("target_kind") or "index").lower()
    if kind not in TARGET_KINDS:
        return "target_kind", f"jenis: {', '.join(TARGET_KINDS)}", f"kind: {', '.join(TARGET_KINDS)}"
    framework = framework_of(version)
    target_code = v.get("target_code")
    if kind == "group" and target_code not in framework.group_by_code:
        return "target_code", f"kode '{target_code}' bukan domain/aspek {framework.id}", "not a group code"
    if kind == "indicator" and target_code not in framework.indicator_by_code:
        return "target_code", f"kode '{target_code}' bukan indikator {framework.id}", "not an indicator code"
    if kind == "share" and not (v.get("category") and v.get("predicate")):
        return (
            "category",
            "target porsi perlu kategori dan predikat",
            "a share target needs category and predicate",
        )
    if kind == "share" and v["category"] not in AGENCY_CATEGORIES:
        return (
            "category",
            f"kategori: {', '.join(AGENCY_CATEGORIES)}",
            f"category: {', '.join(AGENCY_CATEGORIES)}",
        )
    bands = [band.name for band in framework.predicate.bands]
    if kind == "share" and v["predicate"] not in bands:
        return "predicate", f"predikat: {', '.join(bands)}", f"predicate: {', '.join(bands)}"
    low, high = (0.0, 1.0) if kind == "share" else (1.0, 5.0)
    for name, word_id, word_en in (
        ("target_value", "target", "target"),
        ("baseline_value", "dasar", "baseline"),
    ):
        if v.get(name) is not None and not low <= v[name] <= high:
            return (
                name,
                f"nilai {word_id} di luar {low:g}-{high:g}",
                f"{word_en} value outside {low:g}-{high:g}",
            )
    if v["target_year"] < v["baseline_year"]:
        return (
            "target_year",
            "tahun target sebelum tahun dasar",
            "the target year is before the baseline year",
        )
    return None


def apply_targets_import(
    session: Session, *, actor: Actor, data: bytes, filename: str, preview: KeyedPlan | None = None
) -> KeyedPlan:
    """Plan again in this transaction and apply it all, or raise ImportRefused (nothing written)."""
    plan = plan_targets_import(session, actor=actor, data=data, filename=filename)
    creator = actor.user_id
    return apply_keyed(
        session,
        actor=actor,
        plan=plan,
        make=lambda values: RoadmapTarget(**values, created_by=creator),
        preview=preview,
    )
