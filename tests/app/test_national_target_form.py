"""Setting national targets on the national roadmap page (ministry), in AppTest: an index target appears
on the chart, a share target in the table, and a value off the scale is refused and saves nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import func, select
from streamlit.testing.v1 import AppTest

from app_pages.widgets.decimal_cells import decimal_cell
from evaluation.db import read_session
from evaluation.models import RoadmapTarget
from tests.app.signed_in import shown, signed_in_page

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def national_targets(engine) -> int:
    with read_session(engine) as session:
        query = select(func.count()).select_from(RoadmapTarget).where(RoadmapTarget.agency_id == None)  # noqa: E711
        return int(session.exec(query).one())


def page(engine, framework: str = "pemdi-2026") -> AppTest:
    at = signed_in_page(engine, "asesor", "national_roadmap.py")
    return at.selectbox(key="nr_framework").set_value(framework).run()


def submit(at: AppTest, **values: object) -> AppTest:
    for key, value in values.items():
        widget = (
            at.selectbox(key=key) if key in ("nr_kind", "nr_horizon", "nr_category", "nr_predicate") else None
        )
        if widget is not None:
            widget.set_value(value)
        elif key == "nr_note":
            at.text_input(key=key).input(str(value))
        elif key == "nr_value":  # a decimal typed in the reader's locale (3,25)
            at.text_input(key=key).input(decimal_cell(float(value), "id"))
        else:
            at.number_input(key=key).set_value(value)
    return at.button(key="FormSubmitter:nr_target_form-Simpan target").click().run()


def test_an_index_target_set_on_the_page_is_drawn_on_the_national_chart(demo_engine):
    before = national_targets(demo_engine)
    year = date.today().year + 1
    at = submit(page(demo_engine), nr_kind="index", nr_horizon="short", nr_ty=year, nr_value=3.25)
    assert not at.exception and not at.error
    assert national_targets(demo_engine) == before + 1
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    target = next(trace for trace in chart["data"] if trace.get("name") == f"Jangka pendek {year}")
    assert target["y"][-1] == 3.25


def test_a_share_target_is_entered_in_percent_and_listed_with_its_category(demo_engine):
    at = submit(
        page(demo_engine),
        nr_kind="share",
        nr_horizon="medium",
        nr_category="Kota",
        nr_predicate="Baik",
        nr_ty=date.today().year + 3,
        nr_value=75.0,
    )
    assert not at.error
    table = next(d.value for d in at.dataframe if "Jenis target" in d.value.columns)
    shares = table[table["Jenis target"] == "Porsi instansi"]
    assert shares[["Kategori", "Nilai target"]].values.tolist() == [["Kota", "75,00"]]


def test_an_index_target_off_the_scale_is_refused_and_saves_nothing(demo_engine):
    before = national_targets(demo_engine)
    at = submit(page(demo_engine), nr_kind="index", nr_value=7.0)
    assert [shown(e.value) for e in at.error] == ["Nilai di luar 1-5."]
    assert national_targets(demo_engine) == before


def test_agency_users_do_not_see_the_form_on_their_roadmap(demo_engine):
    at = signed_in_page(demo_engine, "koordinator", "roadmap.py")
    assert not [e for e in at.expander if e.label == "Tetapkan target nasional"]
