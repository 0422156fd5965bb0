"""Editing targets and activities on the roadmap page in AppTest (issue 13): a target changed and
deleted, its note shown, an activity's status, progress and actual dates updated and the activity
deleted, and the form's defaults (baseline year, a target above the baseline, names with codes)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app_pages.widgets.decimal_cells import read_decimal
from evaluation.db import read_session, write_session
from evaluation.models import Activity, RoadmapTarget
from evaluation.services.roadmap import save_activity, save_target
from tests.app.signed_in import actor, fresh_agency, signed_in_page

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def _page(engine, username):
    at = signed_in_page(engine, username, "roadmap.py")
    at.selectbox(key="rm_framework").set_value("pemdi-2026").run()
    return at


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _target(engine, agency):
    with write_session(engine) as session:
        return save_target(
            session,
            actor=actor(engine, agency.coordinator),
            agency_id=agency.id,
            framework_id="pemdi-2026",
            horizon="short",
            baseline_year=2026,
            baseline_value=2.0,
            target_year=2027,
            target_value=2.6,
            note="Sesuai Renstra",
        )


def test_a_target_is_changed_and_its_note_shown(demo_engine):
    agency = fresh_agency(demo_engine)
    target_id = _target(demo_engine, agency)
    at = _page(demo_engine, agency.coordinator)
    table = next(d.value for d in at.dataframe if "Catatan" in d.value.columns)
    assert list(table["Catatan"]) == ["Sesuai Renstra"]
    at.text_input(key=f"rm_et_v_{target_id}").input("3,1")  # the reader's decimal comma
    at.text_input(key=f"rm_et_n_{target_id}").set_value("Naik")
    _button(at, "Simpan perubahan").click().run()
    assert not at.exception and not at.error
    with read_session(demo_engine) as session:
        stored = session.get(RoadmapTarget, target_id)
    assert (stored.target_value, stored.note) == (3.1, "Naik")  # type: ignore[union-attr]


def test_a_target_is_deleted(demo_engine):
    agency = fresh_agency(demo_engine)
    target_id = _target(demo_engine, agency)
    at = _page(demo_engine, agency.coordinator)
    at.button(key=f"rm_et_del_{target_id}").click().run()
    assert not at.exception and not at.error
    with read_session(demo_engine) as session:
        assert session.get(RoadmapTarget, target_id) is None


def test_an_activity_is_updated_and_deleted(demo_engine):
    agency = fresh_agency(demo_engine)
    with write_session(demo_engine) as session:
        activity_id = save_activity(
            session,
            actor=actor(demo_engine, agency.coordinator),
            agency_id=agency.id,
            framework_id="pemdi-2026",
            title="Katalog data",
            owner="Bidang Statistik",
            starts_on=date(2026, 1, 5),
            due_on=date(2026, 6, 30),
            indicators=["I01"],
        )
    at = _page(demo_engine, agency.operator)
    at.selectbox(key=f"rm_ea_s_{activity_id}").set_value("in_progress")
    at.slider(key=f"rm_ea_p_{activity_id}").set_value(40)
    at.date_input(key=f"rm_ea_a_{activity_id}").set_value(date(2026, 1, 10))
    _button(at, "Simpan perubahan").click().run()
    assert not at.exception and not at.error
    with read_session(demo_engine) as session:
        stored = session.get(Activity, activity_id)
        assert (stored.status, stored.progress, stored.started_on) == ("in_progress", 40, date(2026, 1, 10))  # type: ignore[union-attr]
    at.button(key=f"rm_ea_del_{activity_id}").click().run()
    with read_session(demo_engine) as session:
        assert session.exec(select(Activity).where(Activity.id == activity_id)).first() is None


def test_the_target_form_defaults_make_sense(demo_engine):
    agency = fresh_agency(demo_engine)
    at = _page(demo_engine, agency.coordinator)
    assert at.number_input(key="rm_by").value >= 2026  # pemdi-2026 is effective from 2026
    baseline = read_decimal(next(n for n in at.text_input if n.key.startswith("rm_bv_")).value, "id")
    assert read_decimal(at.text_input(key="rm_tv").value, "id") > baseline
    assert "I01 · " in at.selectbox(key="rm_code").options[-20]
