"""The programme views in AppTest (issue 16) on the demo: the home page's programme family (the ten
steps against targets, progress per horizon, the stuck step) and the roadmap page's bridge for the
programme's coordinator (the official indicators a planned step moves, the what-if through the bridge
with its assumption, the best path in founding terms)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from evaluation.db import read_session
from evaluation.demo.programme import PROGRAMME_PROVINCE
from evaluation.models import Agency
from evaluation.services.programmes import programme_overview, programme_periods
from tests.app.signed_in import signed_in_page

pytestmark = pytest.mark.app


def figures(at: AppTest) -> dict[str, dict]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


def programme_home(app, lang: str = "id") -> AppTest:
    at = app(lang=lang)
    at.radio(key="home_family").set_value("programme").run()
    assert not at.exception
    return at


def test_the_home_page_offers_the_official_and_the_programme_family(app):
    at = app()
    assert at.radio(key="home_family").options == ["Resmi (SPBE/Pemdi)", "Program (Dari Visi ke Evaluasi)"]
    assert at.radio(key="home_family").value == "official"
    assert "Indeks nasional 2026" in [m.label for m in at.metric]


def test_the_programme_view_names_the_framework_and_the_runner_of_each_period(app):
    at = programme_home(app)
    options = at.selectbox(key="home_programme_period").options
    assert options == [f"{year} · vision-to-evaluation · program provinsi" for year in (2024, 2025, 2026)]
    assert any("Pemerintah Aceh" in caption.value for caption in at.caption)
    assert not any(m.label.startswith("Indeks nasional") for m in at.metric)


def test_the_ten_steps_are_a_radar_of_verified_and_self_means_against_the_chosen_horizon(app, demo_engine):
    at = programme_home(app)
    radar = figures(at)["Sepuluh langkah: capaian terhadap target"]
    names = [trace["name"] for trace in radar["data"]]
    assert names == [
        "Rata-rata terverifikasi",
        "Rata-rata penilaian mandiri",
        "Target Jangka menengah (rata-rata)",
    ]
    assert len(radar["data"][0]["r"]) == 11  # ten steps, closed
    with read_session(demo_engine) as session:
        overview = programme_overview(session, programme_periods(session)[-1].id)
    assert radar["data"][0]["r"][:10] == pytest.approx(list(overview.verified_means.values()))
    assert all(
        own >= verified for own, verified in zip(radar["data"][1]["r"], radar["data"][0]["r"], strict=True)
    )
    at.radio(key="home_programme_horizon").set_value("long").run()
    radar = figures(at)["Sepuluh langkah: capaian terhadap target"]
    assert radar["data"][2]["name"] == "Target Jangka panjang (rata-rata)"
    assert radar["data"][2]["r"][:10] == pytest.approx(list(overview.target_means["long"].values()))


def test_progress_per_horizon_and_the_stuck_step_are_shown(app, demo_engine):
    at = programme_home(app)
    bars = figures(at)["Kemajuan per jangka target indeks"]
    assert bars["data"][0]["x"] == ["Jangka pendek", "Jangka menengah", "Jangka panjang"]
    with read_session(demo_engine) as session:
        overview = programme_overview(session, programme_periods(session)[-1].id)
    assert bars["data"][0]["text"] == [f"{h.reached}/{h.agencies}" for h in overview.horizons]
    stuck = next(m for m in at.metric if m.label == "Langkah yang paling sering tertinggal")
    assert stuck.value.startswith(overview.stuck_step)
    table = at.dataframe[-1].value
    assert list(table["Jumlah instansi"]) == [n for _, n in overview.stuck]
    na = next(m for m in at.metric if m.label == "Indikator N/A")
    assert int(na.value) == overview.not_applicable > 0


def test_an_earlier_programme_year_redraws_the_steps(app):
    at = programme_home(app)
    before = figures(at)["Sepuluh langkah: capaian terhadap target"]["data"][0]["r"]
    at.selectbox(key="home_programme_period").select_index(0).run()
    after = figures(at)["Sepuluh langkah: capaian terhadap target"]["data"][0]["r"]
    assert not at.exception and after != before and sum(after[:10]) < sum(before[:10])


def test_the_programme_view_in_english(app):
    at = programme_home(app, lang="en")
    assert (
        "2026 · vision-to-evaluation · province programme"
        in at.selectbox(key="home_programme_period").options
    )
    assert "The ten steps against targets" in figures(at)
    assert any(m.label == "The step most agencies are stuck on" for m in at.metric)


# --- the roadmap page's bridge, as the programme's coordinator (PROV-001) -----------------------------


def bridge_page(demo_engine, lang: str = "id") -> AppTest:
    at = signed_in_page(demo_engine, "koordinator-program", "roadmap.py")
    if lang == "en":
        at.selectbox(key="lang").set_value("en").run()
    at.selectbox(key="rm_framework").set_value("vision-to-evaluation").run()
    assert not at.exception
    return at


def frame_with(at: AppTest, *columns: str):
    """The table on the page with exactly these columns."""
    return next(frame.value for frame in at.dataframe if list(frame.value.columns) == list(columns))


MOVES = ("Langkah", "Indikator resmi yang digerakkan")


def moved_by(at: AppTest, step: str) -> str:
    moves = frame_with(at, *MOVES)
    return next(
        text for name, text in zip(moves[MOVES[0]], moves[MOVES[1]], strict=True) if name.startswith(step)
    )


def test_a_planned_step_shows_the_official_indicators_it_moves(app, demo_engine):
    at = bridge_page(demo_engine)
    moves = frame_with(at, *MOVES)
    # the runner's demo roadmap plans V01-V07 (targets) and V02, V03, V08, V10 (activities); V09 has none
    assert not any(step.startswith("V09") for step in moves["Langkah"])
    v08 = moved_by(at, "V08")
    assert v08.split(", ")[0].startswith("I05 ") and "I10 " in v08 and "I12 " in v08
    at.selectbox(key="rm_bridge_official").set_value("spbe-2020").run()
    v10 = moved_by(at, "V10")
    assert v10.startswith("I25 ") and "I27 " in v10


def test_the_bridge_what_if_states_its_assumption_and_raises_the_official_index(app, demo_engine):
    at = bridge_page(demo_engine)
    assert any(info.value.startswith("Asumsi: menaikkan indikator kerangka pendiri") for info in at.info)
    now = next(m for m in at.metric if m.label == "Indeks resmi sekarang")
    same = next(m for m in at.metric if m.label == "Indeks resmi yang didukung")
    assert now.value == same.value  # nothing raised yet
    with read_session(demo_engine) as session:
        province = session.exec(select(Agency).where(Agency.code == PROGRAMME_PROVINCE)).one()
    at.session_state[f"rm_bridge_whatif_{province.id}_pemdi-2026"] = {
        "edited_rows": {str(n): {"whatif": 5} for n in range(22)},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    then = next(m for m in at.metric if m.label == "Indeks resmi yang didukung")
    assert float(then.value.replace(",", ".")) > float(now.value.replace(",", "."))
    moved = frame_with(at, "Kode", "Indikator", "Tingkat")
    assert set(moved["Kode"]) >= {"I10", "I11", "I12"} and "I06" not in set(moved["Kode"])


def test_the_best_path_names_the_steps_to_take_first(app, demo_engine):
    at = bridge_page(demo_engine)
    assert not at.exception
    order = [element.value for element in at.text if element.value.startswith("Urutan langkah: V")]
    assert len(order) == 1
    path = next(f.value for f in at.dataframe if "Indeks resmi sesudahnya" in f.value.columns)
    assert order[0].split(": ")[1].startswith(path["Langkah"].iloc[0])
    at.selectbox(key="rm_bridge_goal_pemdi-2026").set_value("Memuaskan")
    at.number_input(key="rm_bridge_cap_pemdi-2026").set_value(1).run()
    assert [w.value for w in at.warning] == [
        "Kerangka pendiri saja tidak cukup untuk mencapainya (indikator resmi di luar jembatan, atau batas "
        "kenaikan)."
    ]


def test_the_bridge_in_english(app, demo_engine):
    at = bridge_page(demo_engine, lang="en")
    assert any(info.value.startswith("Assumption: raising a founding indicator") for info in at.info)
    assert len(frame_with(at, "Step", "Official indicators it moves")) >= 1
