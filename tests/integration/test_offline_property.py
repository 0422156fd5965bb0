"""Property of the three-way rule on an exported assessment workbook (issue 10): for random edits to the
file and random changes made in the app after it was exported, a preview without problems applies on the
unchanged database, and every stored value is what the rule says - the database's where the file did not
change the cell, the file's where only the file changed it, the user's choice where both did - and what
the plan said it would write.

The database is built once for the module; each example runs inside a transaction that is rolled back.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from sqlmodel import Session, col, select

from evaluation.models import Assessment, IndicatorScore
from evaluation.services.bulk.assessment_import import apply_assessment_import, plan_assessment_import
from tests.integration.excel_fixtures import LETTER, PEMDI_CODES, Bench, edited, exported, save

pytestmark = pytest.mark.db
FIELDS = ("self_level", "justification")
ROW = {code: n for n, code in enumerate(PEMDI_CODES, start=2)}
START = {code: {"self_level": 2.0, "justification": f"Awal {code}"} for code in PEMDI_CODES}

levels = st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, None])
texts = st.sampled_from([f"Awal {PEMDI_CODES[0]}", "Perwal 12/2025", "- daftar", "+62 812", "Baru", None])
cell = st.tuples(st.sampled_from(PEMDI_CODES), st.sampled_from(FIELDS))
value_for = {"self_level": levels, "justification": texts}


@st.composite
def edits(draw: Any) -> dict[tuple[str, str], Any]:
    """Some cells with a new value: {(indicator, field): value}."""
    chosen = draw(st.lists(cell, max_size=8, unique=True))
    return {key: draw(value_for[key[1]]) for key in chosen}


@pytest.fixture(scope="module")
def offline(bench: Bench):
    own = bench.agency()
    assessment_id = save(bench, own, {c: {"level": 2, "justification": f"Awal {c}"} for c in PEMDI_CODES})
    return own, assessment_id, exported(bench, own.operator)


def stored(session: Session, assessment_id: int) -> dict[tuple[str, str], Any]:
    rows = session.exec(select(IndicatorScore).where(IndicatorScore.assessment_id == assessment_id)).all()
    return {(r.indicator_code, name): getattr(r, name) for r in rows for name in FIELDS}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(file_edits=edits(), app_edits=edits(), prefer=st.sampled_from(["file", "database"]))
def test_a_clean_preview_applies_and_every_cell_ends_as_the_three_way_rule_says(
    bench, offline, file_edits, app_edits, prefer
):
    own, assessment_id, template = offline

    def edit(ws):
        for (code, name), value in file_edits.items():
            ws[f"{LETTER[name]}{ROW[code]}"] = value

    upload = edited(template, edit)
    with Session(bench.engine) as session:
        try:
            for (code, name), value in app_edits.items():  # a colleague, after the export
                session.execute(
                    update(IndicatorScore)
                    .where(
                        col(IndicatorScore.assessment_id) == assessment_id,
                        col(IndicatorScore.indicator_code) == code,
                    )
                    .values({name: value, "version": IndicatorScore.version + 1})
                )
            now = stored(session, assessment_id)
            preview = plan_assessment_import(session, actor=own.operator, data=upload, filename="t.xlsx")
            assert preview.problems == []  # every edit here is a valid value
            choices = {c.row: prefer for c in preview.conflicts}
            event(f"{len(preview.conflicts)} conflicts" if preview.conflicts else "no conflict")
            applied = apply_assessment_import(
                session, actor=own.operator, data=upload, filename="t.xlsx", preview=preview, choices=choices
            )
            assert applied.ok
            after = stored(session, assessment_id)
            for code in PEMDI_CODES:
                for name in FIELDS:
                    key = (code, name)
                    origin = START[code][name]
                    in_file = file_edits.get(key, origin)
                    file_changed = in_file != origin
                    db_changed = now[key] != origin
                    if not file_changed or in_file == now[key]:
                        expected = now[key]
                    elif not db_changed:
                        expected = in_file
                    else:
                        expected = in_file if prefer == "file" else now[key]
                    assert after[key] == expected, (key, origin, in_file, now[key])
            planned = {(c.indicator, c.key): c.new for c in preview.changes()}
            chosen = {(c.indicator, c.key): c.file_value for c in preview.conflicts if prefer == "file"}
            for key, value in {**planned, **chosen}.items():
                assert after[key] == value
            status = session.exec(select(Assessment.status).where(Assessment.id == assessment_id)).one()
            assert status == "draft"
        finally:
            session.rollback()
