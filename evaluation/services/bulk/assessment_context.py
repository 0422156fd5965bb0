"""What an assessment import reads from the database before it plans: agencies, periods and their
frameworks, assessments, the stored scores of the assessments a file names, and, for conflicts only, who
changed a value in the database and when. Reads only; one query per kind, whatever the file's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from evaluation.models import Agency, Assessment, AuditEntry, IndicatorScore, Period, User
from evaluation.services.frameworks import load_framework_version
from indicators.schema import Framework

SCORE_FIELDS = ("self_level", "justification", "final_level", "reviewer_note")
STORED = (*SCORE_FIELDS, "id", "version")  # a stored score as `load_scores` keeps it: a tuple in this order


def stored_fields(values: tuple[Any, ...]) -> dict[str, Any]:
    """A stored score's tuple (see STORED) as a dict of STORED (the version an int, 0 for none)."""
    fields = dict(zip(STORED, values, strict=True))
    fields["version"] = int(fields["version"] or 0)
    return fields


@dataclass(frozen=True)
class PeriodRow:
    """What planning needs of a period, as plain values (read per file row: no ORM attribute access)."""

    id: int
    year: int
    status: str
    framework_version_id: int


@dataclass
class Context:
    session: Session
    agencies: dict[str, int]  # code -> id
    periods: dict[int, PeriodRow]  # year -> the period of that year (an open one first)
    assessments: dict[tuple[int, int], tuple[int, str]]  # (agency, period) -> (assessment id, status)
    # (assessment id, code) -> the stored values in the order of STORED (`stored_fields` makes the dict)
    scores: dict[tuple[int, str], tuple[Any, ...]] = field(default_factory=dict)
    _frameworks: dict[int, Framework] = field(default_factory=dict)
    pairs: dict[tuple[str, int], tuple[Any, ...]] = field(default_factory=dict)  # planning's lookups
    codes: dict[tuple[int, str], str] = field(default_factory=dict)  # (period, as written) -> code or ""

    def framework(self, period: PeriodRow) -> Framework:
        """The period's framework, loaded the first time a row of that period asks for it."""
        found = self._frameworks.get(period.id)
        if found is None:
            found = self._frameworks[period.id] = load_framework_version(
                self.session, period.framework_version_id
            )
        return found


def load_context(session: Session) -> Context:
    """Agencies, periods and assessments (small tables: read whole); frameworks when first needed."""
    conn = session.connection()
    agencies = {
        str(code): int(aid or 0)
        for aid, code in conn.execute(sa_select(col(Agency.id), col(Agency.code))).cursor.fetchall()
    }
    periods: dict[int, PeriodRow] = {}
    rows = conn.execute(
        sa_select(col(Period.id), col(Period.year), col(Period.status), col(Period.framework_version_id))
    ).fetchall()
    for pid, year, status, version in sorted(rows, key=lambda r: (r[2] != "open", r[0] or 0)):
        periods.setdefault(int(year), PeriodRow(int(pid or 0), int(year), str(status), int(version)))
    assessments = {
        (int(a), int(p)): (int(i or 0), str(s))
        for i, a, p, s in conn.execute(
            sa_select(
                col(Assessment.id),
                col(Assessment.agency_id),
                col(Assessment.period_id),
                col(Assessment.status),
            )
        ).cursor.fetchall()  # the driver's rows: every assessment of every period
    }
    return Context(session, agencies, periods, assessments)


def load_scores(session: Session, context: Context, assessment_ids: set[int]) -> None:
    """The stored scores of these assessments into `context.scores`, each a tuple in the order of STORED:
    the four editable fields, the score's id and its version (what an import claims). Tuples, not dicts:
    most rows of a returned file are compared and left, and only a changed row needs `stored_fields`."""
    if not assessment_ids:
        return
    query = sa_select(
        col(IndicatorScore.assessment_id),
        col(IndicatorScore.indicator_code),
        *(getattr(IndicatorScore, name) for name in STORED),
    ).where(col(IndicatorScore.assessment_id).in_(assessment_ids))
    # the driver's own rows, fetched at once (iterating the result fetches one Row object at a time)
    rows = session.connection().execute(query).cursor.fetchall()
    context.scores.update(((row[0], row[1]), row[2:]) for row in rows)


def last_changes(session: Session, cells: set[tuple[int, str, str]]) -> dict[tuple[int, str, str], Any]:
    """Who last changed each (assessment id, indicator code, field) in the database and when, from the
    audit log (entity "assessment", field "<code>.<field>"), falling back to the score's `updated_by` and
    `updated_at`: {cell: (username or None, datetime or None)}. Cells never changed are left out."""
    if not cells:
        return {}
    found: dict[tuple[int, str, str], tuple[str | None, datetime | None]] = {}
    entity_ids = {str(aid) for aid, _code, _name in cells}
    fields = {f"{code}.{name}" for _aid, code, name in cells}
    entries = (
        session.connection()
        .execute(
            sa_select(
                col(AuditEntry.entity_id), col(AuditEntry.field), col(AuditEntry.actor), col(AuditEntry.at)
            )
            .where(
                col(AuditEntry.entity) == "assessment",
                col(AuditEntry.entity_id).in_(entity_ids),
                col(AuditEntry.field).in_(fields),
            )
            .order_by(col(AuditEntry.at), col(AuditEntry.id))
        )
        .fetchall()
    )
    for entity_id, name, actor, at in entries:  # oldest first: the last one wins
        code, _, field_name = str(name).partition(".")
        cell = (int(entity_id), code, field_name)
        if cell in cells:
            found[cell] = (actor, at)
    missing = cells - set(found)
    if missing:
        rows = (
            session.connection()
            .execute(
                sa_select(
                    col(IndicatorScore.assessment_id),
                    col(IndicatorScore.indicator_code),
                    col(User.username),
                    col(IndicatorScore.updated_at),
                )
                .outerjoin(User, col(User.id) == col(IndicatorScore.updated_by))
                .where(col(IndicatorScore.assessment_id).in_({aid for aid, _c, _n in missing}))
            )
            .fetchall()
        )
        by_score = {(int(aid), str(code)): (user, at) for aid, code, user, at in rows}
        for aid, code, name in missing:
            if (aid, code) in by_score:
                found[(aid, code, name)] = by_score[(aid, code)]
    return found


def earlier_values(
    session: Session, cells: set[tuple[int, str, str]]
) -> dict[tuple[int, str, str], set[str]]:
    """Every value each (assessment id, indicator code, field) held before a change in the audit log, in
    canonical form (evaluation.excel_io.provenance.canonical; levels read back as numbers): for files
    without an origin column, a file value equal to one of these is a value the database has moved away
    from. Cells never changed are left out."""
    from evaluation.excel_io.provenance import canonical

    if not cells:
        return {}
    found: dict[tuple[int, str, str], set[str]] = {}
    entity_ids = sorted({str(aid) for aid, _code, _name in cells})
    for start in range(0, len(entity_ids), 2000):
        entries = session.connection().execute(
            sa_select(col(AuditEntry.entity_id), col(AuditEntry.field), col(AuditEntry.old_value)).where(
                col(AuditEntry.entity) == "assessment",
                col(AuditEntry.entity_id).in_(entity_ids[start : start + 2000]),
            )
        )
        for entity_id, name, old in entries:
            code, _, field_name = str(name or "").partition(".")
            cell = (int(entity_id), code, field_name)
            if cell not in cells:
                continue
            value: Any = old
            if old is not None and field_name.endswith("_level"):
                try:
                    value = float(old)
                except ValueError:
                    continue
            found.setdefault(cell, set()).add(canonical(value))
    return found
