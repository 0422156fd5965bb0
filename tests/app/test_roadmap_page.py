"""The roadmap page in AppTest, as the demo coordinator of KOTA-001 (verified spbe-2020 results for
2021-2025): the path chart, the what-if simulator, the best path, targets (saving, refusing, restating),
activities, the reviewer's agency choice and English. Each test makes the rows it asserts on."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, timedelta

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from app_pages.widgets.decimal_cells import read_decimal
from evaluation.db import read_session, write_session
from evaluation.models import Activity, RoadmapTarget
from evaluation.services.roadmap import save_activity, save_target
from tests.app.signed_in import (
    APP,
    actor,
    demo_agency_id,
    fresh_agency,
    open_page,
    shown,
    signed_in_page,
    token_for,
)

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]

TODO = "Kriteria tingkat berikutnya (yang harus dipenuhi)"


def page(engine, framework: str = "pemdi-2026", username: str = "koordinator") -> AppTest:
    at = signed_in_page(engine, username, "roadmap.py")
    if framework != "pemdi-2026":
        at.selectbox(key="rm_framework").set_value(framework).run()
    assert not at.exception
    return at


def charts(at: AppTest) -> dict[str, dict]:
    """The page's plotly figures by title."""
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {figure["layout"]["title"]["text"]: figure for figure in figures}


def metric(at: AppTest, label: str) -> float:
    return float(next(m.value for m in at.metric if m.label == label).replace(",", "."))


def table(at: AppTest, column: str, expander: str | None = None):
    """The first dataframe with `column`, on the page or inside the expander labelled `expander`."""
    where = at if expander is None else next(e for e in at.expander if e.label == expander)
    return next(d.value for d in where.dataframe if column in d.value.columns)


def live_targets(at: AppTest):
    """The targets table of the chosen framework (the one before the history expander), or None."""
    tables = [d.value for d in at.dataframe if "Jangka" in d.value.columns]
    history = [e for e in at.expander if e.label == "Target lama (riwayat)"]
    return tables[0] if len(tables) > len(history) else None


def targets_in_db(engine, agency_id: int) -> list[RoadmapTarget]:
    with read_session(engine) as session:
        rows = list(session.exec(select(RoadmapTarget).where(RoadmapTarget.agency_id == agency_id)))
        for row in rows:
            session.expunge(row)
    return rows


def add_target(
    engine, username: str, agency_id: int, framework: str, start: int, end: int, value: float
) -> int:
    """A medium-term index target saved through the service."""
    with write_session(engine) as session:
        return save_target(
            session,
            actor=actor(engine, username),
            agency_id=agency_id,
            framework_id=framework,
            horizon="medium",
            baseline_year=start,
            target_year=end,
            target_value=value,
        )


def activity_titled(engine, title: str) -> Activity | None:
    with read_session(engine) as session:
        return session.exec(select(Activity).where(Activity.title == title)).first()


def submit(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def add_activity(at: AppTest, title: str, codes: list[str], length: timedelta) -> AppTest:
    """Fill the activity form (starting today, due `length` later) and submit it."""
    at.text_input(key="rm_a_title").input(title)
    at.text_input(key="rm_a_owner").input("Bidang Aptika")
    at.multiselect(key="rm_a_codes").set_value(codes)
    at.date_input(key="rm_a_start").set_value(date.today())
    at.date_input(key="rm_a_due").set_value(date.today() + length)
    return submit(at, "Tambah kegiatan")


def test_the_page_shows_the_pemdi_2026_path_chart_by_default(demo_engine):
    at = page(demo_engine)
    assert at.title[0].value == "Peta Rencana SPBE"
    assert at.selectbox(key="rm_framework").value == "pemdi-2026"
    path = charts(at)["Indeks aktual dan jalur target"]
    assert path["data"][0]["name"] == "Aktual"
    assert [i.value for i in at.info] == ["Belum ada tingkat lengkap pada kerangka ini untuk titik awal."]


def test_on_spbe_2020_the_what_if_starts_at_the_current_index_with_a_best_path(demo_engine):
    at = page(demo_engine, "spbe-2020")
    assert metric(at, "Sekarang") == metric(at, "Simulasi") > 1
    assert any(c.value.endswith("Titik awal: tingkat final 2025.") for c in at.caption)
    [steps_caption] = [c.value for c in at.caption if "langkah satu tingkat" in c.value]
    steps = table(at, TODO)
    assert int(re.match(r"(\d+) langkah", steps_caption).group(1)) == len(steps) > 0
    assert all(len(text) > 10 for text in steps[TODO])
    assert "Simulasi (bagaimana jika)" in charts(at)


def test_a_higher_what_if_level_raises_the_simulated_index(demo_engine):
    at = page(demo_engine, "spbe-2020")
    key = f"rm_whatif_spbe-2020_{demo_agency_id(demo_engine)}"
    assert table(at, "whatif")["now"][0] < 5
    at.session_state[key] = {"edited_rows": {0: {"whatif": 5}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert metric(at, "Simulasi") > metric(at, "Sekarang")


def test_a_best_path_target_out_of_reach_under_the_cap_is_warned_about(demo_engine):
    at = page(demo_engine, "spbe-2020")
    at.text_input(key="rm_best_spbe-2020").input("5")
    at.number_input(key="rm_cap_spbe-2020").set_value(1).run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Target ini tidak tercapai bahkan dengan semua langkah."]
    assert not any(TODO in d.value.columns for d in at.dataframe)


def test_a_target_saved_through_the_form_is_listed_and_stored(demo_engine):
    agency_id = demo_agency_id(demo_engine)
    at = page(demo_engine, "spbe-2020")
    before = len(live_targets(at)) if live_targets(at) is not None else 0
    at.selectbox(key="rm_horizon").set_value("long")
    at.selectbox(key="rm_kind").set_value("index")
    at.text_input(key="rm_tv").input("3,77")  # the reader's decimal comma
    at = submit(at, "Simpan target")
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Tersimpan."]
    shown = live_targets(at)
    assert len(shown) == before + 1
    assert "3,77" in shown["Nilai target"].tolist()
    [saved] = [tv for tv in targets_in_db(demo_engine, agency_id) if tv.target_value == 3.77]
    assert (saved.framework_id, saved.horizon, saved.target_kind) == ("spbe-2020", "long", "index")
    assert (saved.baseline_year, saved.target_year, saved.superseded_by) == (2026, 2031, None)


def test_a_group_target_without_a_group_code_is_refused(demo_engine):
    agency_id = demo_agency_id(demo_engine)
    before = len(targets_in_db(demo_engine, agency_id))
    at = page(demo_engine, "spbe-2020")
    at.selectbox(key="rm_kind").set_value("group")
    at = submit(at, "Simpan target")
    assert not at.exception and not at.success
    [error] = [shown(e.value) for e in at.error]
    assert error == "Pilih domain/aspek spbe-2020 yang dikenal."
    assert len(targets_in_db(demo_engine, agency_id)) == before


def test_restating_an_spbe_2020_target_on_pemdi_2026_moves_the_old_one_to_history(demo_engine):
    agency_id = demo_agency_id(demo_engine)
    old_id = add_target(demo_engine, "koordinator", agency_id, "spbe-2020", 2025, 2028, 3.41)
    at = page(demo_engine)
    offered = "SPBE 2020 · Jangka menengah · 2028 · 3,41"
    assert offered in at.selectbox(key="rm_replaces").options
    at.selectbox(key="rm_replaces").set_value(old_id)
    at.text_input(key="rm_tv").input("3,12")
    at = submit(at, "Simpan target")
    assert not at.exception and not at.error
    new = next(tv for tv in targets_in_db(demo_engine, agency_id) if tv.target_value == 3.12)
    old = next(tv for tv in targets_in_db(demo_engine, agency_id) if tv.id == old_id)
    assert (new.framework_id, old.superseded_by) == ("pemdi-2026", new.id)
    assert "3,12" in live_targets(at)["Nilai target"].tolist()
    history = table(at, "Jangka", expander="Target lama (riwayat)")
    assert history[history["Nilai target"] == "3,41"]["Kerangka"].tolist() == ["SPBE 2020"]
    assert offered not in at.selectbox(key="rm_replaces").options

    at.selectbox(key="rm_framework").set_value("spbe-2020").run()  # no longer a live spbe-2020 target
    live = live_targets(at)
    assert live is None or "3,41" not in live["Nilai target"].tolist()


def test_an_activity_added_through_the_form_is_listed_and_on_the_timeline(demo_engine):
    title = f"Susun arsitektur SPBE {uuid.uuid4().hex[:6]}"
    at = add_activity(page(demo_engine, "spbe-2020"), title, ["I01", "I05"], timedelta(days=60))
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Tersimpan."]
    activities = table(at, "Nama kegiatan")
    row = activities[activities["Nama kegiatan"] == title]
    assert row[["Penanggung jawab", "Indikator terkait", "Status"]].values.tolist() == [
        ["Bidang Aptika", "I01, I05", "Direncanakan"]
    ]
    assert [title] in [bar["y"] for bar in charts(at)["Kegiatan"]["data"]]
    assert activity_titled(demo_engine, title).agency_id == demo_agency_id(demo_engine)


def test_an_activity_due_before_it_starts_is_refused(demo_engine):
    title = f"Kegiatan mundur {uuid.uuid4().hex[:6]}"
    at = add_activity(page(demo_engine, "spbe-2020"), title, ["I01"], timedelta(days=-1))
    assert not at.exception and not at.success
    assert [shown(e.value) for e in at.error] == ["Tanggal selesai sebelum tanggal mulai."]
    assert activity_titled(demo_engine, title) is None


def test_an_overdue_activity_is_marked_in_the_table(demo_engine):
    title = f"Kegiatan terlambat {uuid.uuid4().hex[:6]}"
    with write_session(demo_engine) as session:
        save_activity(
            session,
            actor=actor(demo_engine, "koordinator"),
            agency_id=demo_agency_id(demo_engine),
            framework_id="spbe-2020",
            title=title,
            owner="Sekretariat",
            starts_on=date.today() - timedelta(days=90),
            due_on=date.today() - timedelta(days=10),
            indicators=["I02"],
        )
    activities = table(page(demo_engine, "spbe-2020"), "Nama kegiatan")
    assert activities[activities["Nama kegiatan"] == f"⚠ {title}"]["Terlambat"].tolist() == ["ya"]


def test_the_reviewer_chooses_the_agency_whose_roadmap_is_shown(demo_engine):
    agency = fresh_agency(demo_engine)
    add_target(demo_engine, agency.coordinator, agency.id, "pemdi-2026", 2026, 2027, 2.22)
    at = page(demo_engine, username="asesor")
    assert agency.name in at.selectbox(key="rm_agency").options
    at.selectbox(key="rm_agency").set_value(agency.id).run()
    assert not at.exception
    assert live_targets(at)["Nilai target"].tolist() == ["2,22"]
    assert [i.value for i in at.info] == ["Belum ada tingkat lengkap pada kerangka ini untuk titik awal."]


def test_the_page_speaks_english(demo_engine):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = "en"
    at.session_state["session_token"] = token_for(demo_engine, "koordinator")
    at = open_page(at.run(), "roadmap.py")
    assert not at.exception
    assert at.title[0].value == "SPBE roadmap"
    assert "Actual index and target paths" in charts(at)
    assert at.selectbox(key="rm_framework").label == "Framework"


def test_the_baseline_value_follows_the_chosen_framework(demo_engine):
    at = page(demo_engine, "spbe-2020")
    baseline = read_decimal(at.text_input(key="rm_bv_spbe-2020").value, "id")
    assert baseline == pytest.approx(metric(at, "Sekarang"), abs=0.01)


def test_a_group_target_is_drawn_against_its_latest_value(demo_engine):
    with write_session(demo_engine) as session:
        save_target(
            session,
            actor=actor(demo_engine, "koordinator"),
            agency_id=demo_agency_id(demo_engine),
            framework_id="spbe-2020",
            horizon="long",
            baseline_year=2025,
            target_year=2030,
            target_value=4.2,
            target_kind="group",
            target_code="D2",
        )
    at = page(demo_engine, "spbe-2020")
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    levels = next(s for s in specs if "per domain" in json.dumps(s["layout"]["title"]))
    target_bar = next(trace for trace in levels["data"] if trace["name"] == "Target")
    assert target_bar["x"] == ["D2"] and target_bar["y"] == [4.2]


def test_the_best_path_target_is_typed_with_a_decimal_comma(demo_engine):
    at = page(demo_engine, "spbe-2020")
    assert "," in at.text_input(key="rm_best_spbe-2020").value  # the next band's edge, e.g. 3,5
    at.text_input(key="rm_best_spbe-2020").input("7").run()
    assert [e.value for e in at.error] == ["Target indeks antara 1 dan 5."]
    at.text_input(key="rm_best_spbe-2020").input("4,2").run()
    assert not at.exception and not at.error
