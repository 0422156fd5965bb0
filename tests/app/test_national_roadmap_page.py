"""The national roadmap page in AppTest, as the demo reviewer: the national index against its targets, the
share of agencies at "Baik" or better per category, the agencies off track; agency users do not get it."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from evaluation.db import write_session
from evaluation.services.roadmap import save_target
from tests.app.signed_in import PAGES, actor, demo_agency_id, offers, shown, signed_in_page, token_for

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]

CATEGORIES = ["Kementerian", "Lembaga", "Provinsi", "Kabupaten", "Kota"]
STATUSES = {"Tercapai", "Sesuai jalur", "Berisiko", "Keluar jalur"}
OFF_TRACK = "Instansi yang keluar jalur atau berisiko"


def national(engine, framework: str = "spbe-2020") -> AppTest:
    at = signed_in_page(engine, "asesor", "national_roadmap.py")
    if framework != "spbe-2020":
        at.selectbox(key="nr_framework").set_value(framework).run()
    assert not at.exception
    return at


def charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def trace_names(figure: dict) -> list[str]:
    return [trace.get("name") for trace in figure["data"]]


def table_with(at: AppTest, column: str):
    return next((d.value for d in at.dataframe if column in d.value.columns), None)


def test_the_national_index_is_drawn_against_the_national_targets(demo_engine):
    at = national(demo_engine)
    assert at.title[0].value == "Peta Rencana Nasional"
    assert at.selectbox(key="nr_framework").value == "spbe-2020"
    index_chart = charts(at)[0]
    assert index_chart["layout"]["title"]["text"] == "Indeks nasional dan target"
    assert trace_names(index_chart) == ["Aktual", "Jangka pendek 2023", "Jangka menengah 2024"]
    assert [trace["y"][-1] for trace in index_chart["data"][1:]] == [2.6, 2.85]


def test_on_spbe_2020_the_shares_by_category_are_charted_and_tabled_with_their_status(demo_engine):
    at = national(demo_engine)
    assert len(charts(at)) == 2
    shares_chart = charts(at)[1]
    assert shares_chart["layout"]["title"]["text"] == (
        "Porsi instansi pada predikat Baik atau lebih per kategori"
    )
    assert set(CATEGORIES) <= set(trace_names(shares_chart))
    targets = table_with(at, "Jenis target")
    shares = targets[targets["Jenis target"] == "Porsi instansi"]
    assert shares["Kategori"].tolist() == CATEGORIES
    assert shares["Nilai target"].tolist() == ["100,00", "100,00", "80,00", "60,00", "60,00"]
    assert targets[targets["Jenis target"] == "Indeks"]["Tahun target"].tolist() == [2023, 2024]
    assert set(targets["Status"]) <= STATUSES and len(targets) == 7


def test_pemdi_2026_has_no_national_targets_yet(demo_engine):
    at = national(demo_engine, "pemdi-2026")
    assert trace_names(charts(at)[0]) == ["Aktual"]
    assert table_with(at, "Jenis target") is None


def test_an_agency_target_missed_in_a_past_year_is_listed_as_off_track(demo_engine):
    with write_session(demo_engine) as session:
        save_target(
            session,
            actor=actor(demo_engine, "koordinator"),
            agency_id=demo_agency_id(demo_engine),
            framework_id="spbe-2020",
            horizon="medium",
            baseline_year=2021,
            target_year=2023,
            target_value=4.9,
        )
    at = national(demo_engine)
    assert f"#### {OFF_TRACK}" in [m.value for m in at.markdown]
    assert not [i.value for i in at.info if i.value == "Tidak ada target instansi yang keluar jalur."]
    lagging = table_with(at, "Instansi")
    row = lagging[(lagging["Instansi"] == "Pemerintah Kota Banda Aceh") & (lagging["Nilai target"] == "4,90")]
    assert row[["Kerangka", "Tahun target", "Status"]].values.tolist() == [
        ["SPBE 2020", 2023, "Keluar jalur"]
    ]
    assert set(lagging["Status"]) <= {"Berisiko", "Keluar jalur"}


@pytest.mark.parametrize("username", ["koordinator", "operator"])
def test_agency_users_are_not_offered_the_national_roadmap(demo_engine, username):
    at = signed_in_page(demo_engine, username, "roadmap.py")
    assert not at.exception
    assert not offers(at, "national_roadmap.py")


def test_the_administrator_is_offered_the_national_roadmap(demo_engine):
    at = signed_in_page(demo_engine, "admin", "national_roadmap.py")
    assert not at.exception
    assert at.title[0].value == "Peta Rencana Nasional"


def test_the_page_itself_refuses_an_agency_user_with_a_message(demo_engine):
    at = AppTest.from_file(str(PAGES / "national_roadmap.py"), default_timeout=60)
    at.session_state["session_token"] = token_for(demo_engine, "koordinator")
    at.run()
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [
        "Peran 'coordinator' tidak boleh melakukan ini (perlu: reviewer, admin)."
    ]
