"""The activities sheet (kegiatan): roadmap work per agency, matched by agency, framework and title, and
saved through the same service as the roadmap page's form."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from evaluation.excel_io.reader import read_upload
from evaluation.excel_io.table import Column, parse_table
from evaluation.excel_io.writer import SheetSpec, write_csv, write_xlsx
from evaluation.models import ACTIVITY_STATUSES, Activity, ActivityIndicator, Agency
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.bulk.keyed_import import KeyedPlan, PlannedRecord, check_preview, stored_limits
from evaluation.services.bulk.plan import ImportRefused, problem_at
from evaluation.services.roadmap import save_activity
from evaluation.services.roadmap.activities import activity_problems

SHEET = "Kegiatan"
COLUMNS = (
    Column("agency_code", "Kode instansi", "Agency code", "code", required=True, width=12),
    Column("framework", "Kerangka", "Framework", required=True, width=14),
    Column("title", "Nama kegiatan", "Activity", required=True, width=40),
    Column("owner", "Penanggung jawab", "Owner", required=True, width=20),
    Column("starts_on", "Mulai", "Start", "date", required=True, width=12),
    Column("due_on", "Selesai", "Due", "date", required=True, width=12),
    Column("status", "Status", "Status", width=12),
    Column("intended_level", "Tingkat sasaran", "Intended level", "int", width=10),
    Column(
        "indicators",
        "Indikator terkait",
        "Indicators",
        required=True,
        width=18,
        note_id="Kode dipisah koma, misalnya I01, I03.",
        note_en="Codes separated by commas, e.g. I01, I03.",
    ),
    Column("notes", "Catatan", "Notes", width=30),
    Column("overdue", "Terlambat", "Overdue", width=9),
)
SHEET_KEY = {"framework_id": "framework"}  # a stored field -> its sheet column, where the names differ


def activities_file(
    session: Session, *, actor: Actor, lang: str = "id", fmt: str = "xlsx", template: bool = True
) -> bytes:
    agencies = {a.id: a.code for a in session.exec(select(Agency))}
    links: dict[int, list[str]] = {}
    for link in session.exec(select(ActivityIndicator)):
        links.setdefault(link.activity_id, []).append(link.indicator_code)
    today = date.today()
    rows = []
    for activity in session.exec(select(Activity).order_by(col(Activity.agency_id), col(Activity.starts_on))):
        if not actor.is_ministry and activity.agency_id != actor.agency_id:
            continue
        rows.append(
            {
                "agency_code": agencies.get(activity.agency_id),
                "framework": activity.framework_id,
                "title": activity.title,
                "owner": activity.owner,
                "starts_on": activity.starts_on.isoformat(),
                "due_on": activity.due_on.isoformat(),
                "status": activity.status,
                "intended_level": activity.intended_level,
                "indicators": ", ".join(sorted(links.get(activity.id or 0, []))),
                "notes": activity.notes,
                "overdue": "ya"
                if activity.due_on < today and activity.status not in ("done", "cancelled")
                else None,
            }
        )
    spec = SheetSpec(
        SHEET,
        COLUMNS,
        rows,
        read_only=frozenset({"overdue"}),
        choices={"status": list(ACTIVITY_STATUSES), "intended_level": [1, 2, 3, 4, 5]},
    )
    if fmt == "csv":
        return write_csv(spec, lang=lang)
    lines = (
        [
            "Roadmap activities: one row per activity; the agency, framework and title identify it. Dates as "
            "2026-12-31 or 31/12/2026; indicators as codes separated by commas."
        ]
        if lang == "en"
        else [
            "Kegiatan peta rencana: satu baris per kegiatan; instansi, kerangka dan nama kegiatan menjadi "
            "pengenal. Tanggal seperti 2026-12-31 atau 31/12/2026; indikator berupa kode dipisah koma."
        ]
    )
    return write_xlsx([spec], lang=lang, instructions=lines, template=template)


def _values(v: dict[str, Any]) -> dict[str, Any]:
    codes = [c.strip().upper() for c in (v.get("indicators") or "").replace(";", ",").split(",") if c.strip()]
    return {
        "title": v["title"],
        "owner": v["owner"],
        "starts_on": v["starts_on"],
        "due_on": v["due_on"],
        "status": (v.get("status") or "planned").strip().lower(),
        "intended_level": v.get("intended_level"),
        "notes": v.get("notes") or None,
        "indicators": tuple(sorted(set(codes))),
    }


def plan_activities_import(session: Session, *, actor: Actor, data: bytes, filename: str) -> KeyedPlan:
    """The dry run: every rule of save_activity (and of the database) checked per row, nothing written.

    Raises PermissionDenied for a role that may not plan activities; everything else is a Problem."""
    if actor.role not in ("operator", "coordinator", "reviewer", "admin"):
        raise PermissionDenied("Peran tidak dikenal. / Unknown role.")
    sheets = read_upload(data, filename)
    sheet = next((s for s in sheets if s.name == SHEET), sheets[0])
    plan = KeyedPlan(entity="activity", sheet=sheet.name)
    rows, plan.problems = parse_table(sheet, COLUMNS)
    if rows:
        plan.letters = dict(rows[0].letters)
    agencies = {a.code: a.id for a in session.exec(select(Agency))}
    links: dict[int, list[str]] = {}
    for link in session.exec(select(ActivityIndicator)):
        links.setdefault(link.activity_id, []).append(link.indicator_code)
    stored = {(a.agency_id, a.framework_id, a.title): a for a in session.exec(select(Activity))}
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        v = row.values

        refuse = problem_at(plan.problems, sheet.name, row)

        agency_id = agencies.get(v["agency_code"])
        if agency_id is None:
            refuse(
                "agency_code",
                f"instansi '{v['agency_code']}' tidak dikenal",
                f"unknown agency '{v['agency_code']}'",
            )
            continue
        if not actor.is_ministry and agency_id != actor.agency_id:
            refuse("agency_code", "hanya kegiatan instansi Anda sendiri", "only your own agency's activities")
            continue
        key = (agency_id, v["framework"].strip().lower(), v["title"])
        if key in seen:
            refuse(
                "title",
                f"kegiatan ganda (lihat baris {seen[key]})",
                f"duplicate activity (see row {seen[key]})",
            )
            continue
        seen[key] = row.number
        values = _values(v)
        found = activity_problems(
            session,
            framework_id=key[1],
            title=values["title"],
            owner=values["owner"],
            starts_on=values["starts_on"],
            due_on=values["due_on"],
            indicators=list(values["indicators"]),
            status=values["status"],
            intended_level=values["intended_level"],
        ) + stored_limits(
            Activity, {"framework_id": key[1], "status": values["status"]}, {"framework_id": "framework"}
        )
        for name, message_id, message_en in found:
            refuse(SHEET_KEY.get(name, name), message_id, message_en)
        if found:
            continue
        existing = stored.get(key)
        old_links = {"indicators": tuple(sorted(links.get(existing.id or 0, [])))} if existing else {}
        plan.rows.append(PlannedRecord(row.number, key, existing, values, stored=old_links))
    return plan


def apply_activities_import(
    session: Session, *, actor: Actor, data: bytes, filename: str, preview: KeyedPlan | None = None
) -> KeyedPlan:
    """Plan again in this transaction, then save each changed row through save_activity (the form's rules).

    Raises ImportRefused, nothing written, when the plan has problems or a row's record changed since the
    `preview` the user saw."""
    plan = plan_activities_import(session, actor=actor, data=data, filename=filename)
    check_preview(plan, preview)
    if not plan.ok:
        raise ImportRefused(plan)
    for planned in plan.rows:
        if planned.action == "unchanged":
            continue
        agency_id, framework_id, _title = planned.key
        values = {k: x for k, x in planned.values.items() if k != "indicators"}
        save_activity(
            session,
            actor=actor,
            agency_id=agency_id,
            framework_id=framework_id,
            indicators=list(planned.values["indicators"]),
            activity_id=getattr(planned.existing, "id", None),
            **values,
        )
    return plan
