"""A file of reviewer assignments (issue 12): one row per (agency code, reviewer username, role), CSV or
XLSX, headers in Indonesian or English. The file is read through the project's guarded path
(excel_io.reader.read_upload: an XLSX is measured by excel_io.guard before any parser sees it), checked
row by row against the database, and applied all or nothing through reviewers.place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from evaluation.excel_io.cells import Problem
from evaluation.excel_io.reader import read_upload
from evaluation.excel_io.table import Column, parse_table
from evaluation.excel_io.writer import SheetSpec, write_xlsx
from evaluation.i18n import N_, t
from evaluation.models import Agency, Period, ReviewerAssignment, User
from evaluation.services import audit
from evaluation.services.actors import Actor, require_role
from evaluation.services.bulk.plan import ImportRefused, PlanSummary
from evaluation.services.passwords import normalise_username
from evaluation.services.periods import require_open_period
from evaluation.services.reviewers import place
from evaluation.translatable import Message
from evaluation.workflow import Role

SHEET = "Penugasan"
COLUMNS = (
    Column("agency_code", "sh.agency_code", "code", required=True, width=14),
    Column(
        "reviewer",
        "sh.reviewer",
        required=True,
        width=24,
        max_length=80,
        note="sh.reviewer_note",
    ),
    Column(
        "role",
        "sh.role",
        required=True,
        width=12,
        max_length=20,
        note="sh.role_note",
    ),
)
LETTERS = {"agency_code": "A", "reviewer": "B", "role": "C"}  # rows given without a sheet
ROLE_WORDS = {word: "lead" for word in ("lead", "ketua", "ketua tim")} | {
    word: "member" for word in ("member", "anggota", "anggota tim")
}
ROLE_LABELS = {"lead": N_("sh.role_lead"), "member": N_("sh.role_member")}  # catalogue keys of the role words


@dataclass(frozen=True)
class SheetRow:
    """One data row of the file: its spreadsheet row number, the three cells as text, column letters."""

    number: int
    agency_code: str
    reviewer: str
    role: str
    letters: dict[str, str] = field(default_factory=lambda: dict(LETTERS))


@dataclass(frozen=True)
class PlannedAssignment:
    number: int
    agency_id: int
    agency_code: str
    agency_name: str
    reviewer_id: int
    reviewer: str
    role: str
    action: str  # insert (new), update (another role now), unchanged


@dataclass
class AssignmentPlan(PlanSummary):
    """The dry run of a file: the rows as they would apply and every problem; nothing written."""

    period_id: int
    sheet: str = SHEET
    rows: list[PlannedAssignment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_assignment_file(data: bytes, filename: str) -> tuple[str, list[SheetRow], list[Problem]]:
    """(sheet name, rows, problems) of an assignment file: the "Penugasan" sheet, else the first sheet
    that is not the instructions (a CSV's one), and the cells that cannot be read. Raises
    excel_io.guard.UnreadableFile (a ValueError, "Indonesian. / English.") for a file that is not
    CSV/XLSX, is broken or passes a limit."""
    sheets = read_upload(data, filename)
    skipped = {"Petunjuk", "Instructions", "Kode"}
    sheet = next((s for s in sheets if s.name == SHEET), None) or next(
        (s for s in sheets if s.name not in skipped), sheets[0]
    )
    rows, problems = parse_table(sheet, COLUMNS)
    parsed = [
        SheetRow(
            row.number,
            str(row.values["agency_code"]).strip().upper(),
            str(row.values["reviewer"]).strip(),
            str(row.values["role"]).strip(),
            dict(row.letters),
        )
        for row in rows
    ]
    return sheet.name, parsed, problems


FileRow = SheetRow | tuple[str, str, str]


def as_sheet_rows(rows: Iterable[FileRow]) -> list[SheetRow]:
    """SheetRows as they are; (agency code, reviewer, role) tuples numbered from row 2 (after a header)."""
    out = []
    for number, row in enumerate(rows, start=2):
        if isinstance(row, SheetRow):
            out.append(row)
        else:
            code, reviewer, role = row
            out.append(
                SheetRow(
                    number,
                    str(code or "").strip().upper(),
                    str(reviewer or "").strip(),
                    str(role or "").strip(),
                )
            )
    return out


def plan_rows(
    session: Session,
    *,
    actor: Actor,
    period_id: int,
    rows: Iterable[FileRow],
    problems: Iterable[Problem] = (),
    sheet: str = SHEET,
) -> AssignmentPlan:
    """Check every row against the database without writing (admins only): agency code known and
    active, reviewer an active reviewer, role lead/ketua or member/anggota, each (agency, reviewer) once,
    one lead per agency in the file. `problems`: those found reading the file, kept first; `sheet` names
    the sheet in the problems. Raises
    PermissionDenied, LookupError (no such period) and PeriodClosed."""
    require_role(actor, Role.ADMIN)
    require_open_period(session, period_id)
    sheet_rows = as_sheet_rows(rows)
    plan = AssignmentPlan(period_id=period_id, sheet=sheet, problems=list(problems))
    codes = {r.agency_code for r in sheet_rows}
    names = {normalise_username(r.reviewer) for r in sheet_rows}
    agencies = {a.code: a for a in session.exec(select(Agency).where(col(Agency.code).in_(codes)))}
    users = {u.username: u for u in session.exec(select(User).where(col(User.username).in_(names)))}
    current = {
        (a, r): role
        for a, r, role in session.exec(
            select(
                ReviewerAssignment.agency_id, ReviewerAssignment.reviewer_id, ReviewerAssignment.role
            ).where(col(ReviewerAssignment.period_id) == period_id)
        ).all()
    }
    seen: dict[tuple[int, int], int] = {}
    leads: dict[int, int] = {}
    for row in sheet_rows:

        def refuse(key: str, message: Message, row: SheetRow = row) -> None:
            plan.problems.append(Problem(plan.sheet, row.number, row.letters.get(key, ""), message))

        agency = agencies.get(row.agency_code)
        user = users.get(normalise_username(row.reviewer))
        role = ROLE_WORDS.get(row.role.strip().lower())
        bad = False
        if agency is None:
            refuse("agency_code", Message("pr.unknown_agency_code", code=row.agency_code))
            bad = True
        elif not agency.active:
            refuse("agency_code", Message("pr.agency_inactive", code=agency.code))
            bad = True
        if user is None:
            refuse("reviewer", Message("pr.no_such_user", user=row.reviewer))
            bad = True
        elif user.role != Role.REVIEWER or not user.active:
            refuse("reviewer", Message("pr.not_an_active_reviewer", user=user.username))
            bad = True
        if role is None:
            refuse("role", Message("pr.unknown_team_role", role=row.role))
            bad = True
        if bad or agency is None or user is None or role is None:
            continue
        pair = (agency.id or 0, user.id or 0)
        if pair in seen:
            refuse("reviewer", Message("pr.reviewer_twice", row=seen[pair]))
            continue
        seen[pair] = row.number
        if role == "lead":
            if pair[0] in leads:
                refuse("role", Message("pr.lead_twice", row=leads[pair[0]]))
                continue
            leads[pair[0]] = row.number
        before = current.get(pair)
        action = "insert" if before is None else "unchanged" if before == role else "update"
        plan.rows.append(
            PlannedAssignment(
                row.number, pair[0], agency.code, agency.name, pair[1], user.username, role, action
            )
        )
    return plan


def plan_file(
    session: Session, *, actor: Actor, period_id: int, data: bytes, filename: str
) -> AssignmentPlan:
    """The dry run of an uploaded file: `read_assignment_file` then `plan_rows`. Raises what they raise."""
    require_role(actor, Role.ADMIN)
    sheet, rows, problems = read_assignment_file(data, filename)
    return plan_rows(session, actor=actor, period_id=period_id, rows=rows, problems=problems, sheet=sheet)


def apply_plan(session: Session, *, actor: Actor, plan: AssignmentPlan) -> int:
    """Apply a plan with no problem in one change set; returns how many assignments changed. A plan with
    problems raises bulk.plan.ImportRefused (its message lists them) and writes nothing."""
    require_role(actor, Role.ADMIN)
    if plan.problems:
        raise ImportRefused(plan)
    require_open_period(session, plan.period_id)
    period = session.get(Period, plan.period_id)
    assert period is not None
    change_set = audit.new_change_set()
    changed = 0
    for row in plan.rows:
        agency, user = session.get(Agency, row.agency_id), session.get(User, row.reviewer_id)
        assert agency is not None and user is not None
        changed += place(session, period, agency, user, row.role, actor=actor, change_set=change_set)
    return changed


def assignment_template(lang: str = "id", rows: Iterable[tuple[str, str, str]] = ()) -> bytes:
    """The assignment form (XLSX: instructions, then the three columns with a role dropdown), optionally
    filled with (agency code, reviewer username, role) rows."""
    labels = {role: t(key, lang) for role, key in ROLE_LABELS.items()}
    data: list[dict[str, Any]] = [
        {"agency_code": code, "reviewer": reviewer, "role": labels.get(role, role)}
        for code, reviewer, role in rows
    ]
    lines = [t("ew.sheet_assignment_instructions", lang)]
    spec = SheetSpec(SHEET, COLUMNS, data, choices={"role": list(labels.values())})
    return write_xlsx([spec], lang=lang, instructions=lines, template=True)
