"""Shared helpers for the Excel/CSV import and export tests.

`bench` is a module-scoped database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set) with an open
Pemdi 2026 period, a closed SPBE 2025 period and a reviewer and an admin. Tests that write take an agency
of their own (`bench.agency()`, with an operator and a coordinator), so they share the database without
seeing each other. Test modules use the fixture by name: tests/integration/conftest.py provides it.

Workbooks for uploads are written with openpyxl (what a person's spreadsheet program would produce), and
`db_state` dumps every row of every table so that "nothing changed" means nothing at all.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, select

from evaluation.bootstrap import ensure_schema
from evaluation.db import make_engine, read_session, write_session
from evaluation.models import Agency, Assessment, AuditEntry, IndicatorScore, Period, User
from evaluation.services.actors import Actor
from evaluation.services.auth import actor_of
from evaluation.services.bulk.assessment_import import (
    ImportPlan,
    apply_assessment_import,
    plan_assessment_import,
)
from evaluation.services.bulk.assessment_sheet import COLUMNS, period_workbook
from evaluation.services.frameworks import latest_version
from evaluation.services.review import start_review
from evaluation.services.score_versions import score_versions
from evaluation.services.self_assessment import open_assessment, save_self_assessment, submit
from tests.conftest import BACKENDS, fresh_database_url

HEADER = [c.header("id") for c in COLUMNS]
HEADER_EN = [c.header("en") for c in COLUMNS]
LETTER = {c.key: chr(65 + i) for i, c in enumerate(COLUMNS)}  # the template's column letters
PEMDI_CODES = [f"I{n:02d}" for n in range(1, 21)]
NO_HASH = "$argon2id$v=19$m=1024,t=1,p=1$bm90LWEtcmVhbA$bm90LWEtcmVhbC1oYXNo"  # these users never sign in


@dataclass(frozen=True)
class Own:
    """An agency of a test's own, with its operator and coordinator."""

    id: int
    code: str
    name: str
    operator: Actor
    coordinator: Actor


@dataclass
class Bench:
    engine: Engine
    pemdi: int  # the open 2026 period
    spbe: int  # the closed 2025 period
    reviewer: Actor
    admin: Actor

    def agency(self, name: str | None = None) -> Own:
        tag = uuid.uuid4().hex[:8]
        code = f"UJI-{tag.upper()}"
        with write_session(self.engine) as session:
            agency = Agency(code=code, name=name or f"Kota Uji {tag}", category="Kota")
            session.add(agency)
            session.flush()
            agency_id, agency_name = agency.id or 0, agency.name
            actors = {}
            for role in ("operator", "coordinator"):
                user = User(
                    username=f"{role}-{tag}",
                    full_name=f"{role} {tag}",
                    password_hash=NO_HASH,
                    role=role,
                    agency_id=agency_id,
                )
                session.add(user)
                session.flush()
                actors[role] = actor_of(user)
        return Own(agency_id, code, agency_name, actors["operator"], actors["coordinator"])


@pytest.fixture(scope="module", params=BACKENDS, name="bench")
def bench_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bench]:
    url, drop = fresh_database_url(request.param, tmp_path_factory.mktemp("excel"))
    engine = make_engine(url)
    ensure_schema(engine)
    with write_session(engine) as session:
        periods = {}
        for framework_id, year, kind, status in (
            ("pemdi-2026", 2026, "pemdi", "open"),
            ("spbe-2020", 2025, "pemantauan", "closed"),
        ):
            version = latest_version(session, framework_id)
            assert version is not None
            period = Period(year=year, framework_version_id=version.id, evaluation_type=kind, status=status)
            session.add(period)
            session.flush()
            periods[year] = period.id or 0
        actors = {}
        for role in ("reviewer", "admin"):
            user = User(username=f"{role}-uji", full_name=role.title(), password_hash=NO_HASH, role=role)
            session.add(user)
            session.flush()
            actors[role] = actor_of(user)
    yield Bench(engine, periods[2026], periods[2025], actors["reviewer"], actors["admin"])
    engine.dispose()
    drop()


# --- the state of the database ---------------------------------------------------------------------


def db_state(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order: equal dumps mean an unchanged database."""
    with read_session(engine) as session:
        return table_rows(session)


def table_rows(session: Any) -> dict[str, list[tuple[Any, ...]]]:
    dump = {}
    for table in SQLModel.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        dump[table.name] = [
            tuple(row) for row in session.connection().execute(table.select().order_by(*order))
        ]
    return dump


def scores_of(engine: Engine, agency_id: int, period_id: int) -> dict[str, IndicatorScore]:
    with read_session(engine) as session:
        rows = session.exec(
            select(IndicatorScore)
            .join(Assessment, Assessment.id == IndicatorScore.assessment_id)  # type: ignore[arg-type]
            .where(Assessment.agency_id == agency_id, Assessment.period_id == period_id)
        ).all()
        for row in rows:
            session.expunge(row)
    return {row.indicator_code: row for row in rows}


def assessment_of(engine: Engine, agency_id: int, period_id: int) -> Assessment | None:
    with read_session(engine) as session:
        found = session.exec(
            select(Assessment).where(Assessment.agency_id == agency_id, Assessment.period_id == period_id)
        ).first()
        if found is not None:
            session.expunge(found)
        return found


def audit_of(engine: Engine, assessment_id: int) -> list[AuditEntry]:
    with read_session(engine) as session:
        rows = session.exec(
            select(AuditEntry)
            .where(AuditEntry.entity == "assessment", AuditEntry.entity_id == str(assessment_id))
            .order_by(AuditEntry.id)  # type: ignore[arg-type]
        ).all()
        for row in rows:
            session.expunge(row)
    return list(rows)


def max_audit_id(engine: Engine) -> int:
    with read_session(engine) as session:
        return max(session.connection().execute(sa_select(AuditEntry.id)).scalars(), default=0)  # type: ignore[arg-type]


# --- building state through the services -----------------------------------------------------------


def opened(bench: Bench, own: Own) -> int:
    with write_session(bench.engine) as session:
        return open_assessment(session, actor=own.coordinator, agency_id=own.id, period_id=bench.pemdi)


def save(bench: Bench, own: Own, entries: dict[str, dict[str, Any]]) -> int:
    """Self-assessment entries saved through the service (the assessment opened first if need be)."""
    assessment_id = opened(bench, own)
    with write_session(bench.engine) as session:
        read = score_versions(session, assessment_id)
        save_self_assessment(
            session,
            actor=own.operator,
            assessment_id=assessment_id,
            versions={code: read.get(code, 0) for code in entries},
            entries=entries,
        )
    return assessment_id


def in_review(bench: Bench, own: Own, level: int = 3) -> int:
    """A complete 2026 assessment, submitted by the coordinator and taken into review."""
    assessment_id = save(
        bench, own, {c: {"level": level, "justification": f"Bukti {c}"} for c in PEMDI_CODES}
    )
    for step in ("submit", "review"):
        version = assessment_of(bench.engine, own.id, bench.pemdi).version  # type: ignore[union-attr]
        with write_session(bench.engine) as session:
            if step == "submit":
                submit(session, actor=own.coordinator, assessment_id=assessment_id, expected_version=version)
            else:
                start_review(
                    session, actor=bench.reviewer, assessment_id=assessment_id, expected_version=version
                )
    return assessment_id


# --- files -----------------------------------------------------------------------------------------


def exported(
    bench: Bench,
    actor: Actor,
    agency_ids: list[int] | None = None,
    *,
    period_id: int | None = None,
    **options: Any,
) -> bytes:
    """`period_workbook` (a template unless `template=False`; `fmt="csv"` for CSV)."""
    with read_session(bench.engine) as session:
        return period_workbook(
            session, actor=actor, period_id=period_id or bench.pemdi, agency_ids=agency_ids, **options
        )


def row(
    agency: str,
    indicator: Any,
    self_level: Any = None,
    justification: Any = None,
    *,
    year: Any = 2026,
    final_level: Any = None,
    note: Any = None,
) -> list[Any]:
    """One data row in the template's column order."""
    return [agency, None, year, indicator, None, self_level, justification, None, final_level, note]


def workbook(
    rows: Sequence[Sequence[Any]],
    header: Sequence[str] = tuple(HEADER),
    *,
    sheet: str = "Penilaian",
    edit: Callable[[Worksheet], None] | None = None,
) -> bytes:
    """An XLSX written by openpyxl: a header, the rows, then `edit(worksheet)` (merges, formulas...)."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append(list(header))
    for values in rows:
        ws.append(list(values))
    if edit is not None:
        edit(ws)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def edited(data: bytes, edit: Callable[[Worksheet], None], sheet: str = "Penilaian") -> bytes:
    """An exported workbook opened in openpyxl, changed by `edit`, and saved again."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    edit(book[sheet])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], header: Sequence[str] = tuple(HEADER), sep: str = ",") -> bytes:
    buffer = io.StringIO()
    out = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    out.writerows([header, *rows])
    return buffer.getvalue().encode("utf-8")


def plan(bench: Bench, actor: Actor, data: bytes, filename: str = "penilaian.xlsx") -> ImportPlan:
    with read_session(bench.engine) as session:
        return plan_assessment_import(session, actor=actor, data=data, filename=filename)


def apply(bench: Bench, actor: Actor, data: bytes, filename: str = "penilaian.xlsx") -> ImportPlan:
    with write_session(bench.engine) as session:
        return apply_assessment_import(session, actor=actor, data=data, filename=filename)


def located(plan_: ImportPlan) -> list[tuple[str, int, str]]:
    return [(p.sheet, p.row, p.column) for p in plan_.problems]
