"""The ministry's analysis pages in AppTest (trends, self vs final, province roll-ups), on demo data."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from evaluation.db import read_session, write_session
from evaluation.services.actors import SYSTEM
from evaluation.services.results import list_periods
from evaluation.services.trends import active_crosswalks, define_crosswalk, withdraw_crosswalk
from tests.app.signed_in import APP, offers, signed_in_page, token_for

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def decoded(value: Any) -> Any:
    """Plotly's JSON with its typed arrays (`{"dtype": ..., "bdata": ...}`) turned back into lists."""
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
        return {key: decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decoded(item) for item in value]
    return value


def charts(at: AppTest) -> list[dict]:
    return [decoded(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def trace_names(chart: dict) -> list[str]:
    return [trace.get("name", "") for trace in chart["data"]]


def annotation_texts(chart: dict) -> list[str]:
    return [a.get("text", "") for a in chart["layout"].get("annotations", [])]


@pytest.mark.parametrize("page", ["trends.py", "gaps.py", "rollups.py"])
def test_each_page_renders_for_a_reviewer_with_charts(demo_engine, page):
    at = signed_in_page(demo_engine, "asesor", page)
    assert not at.exception, at.exception
    assert at.get("plotly_chart")


@pytest.mark.parametrize("page", ["trends.py", "gaps.py", "rollups.py"])
def test_agency_users_are_not_offered_the_pages(demo_engine, page):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["session_token"] = token_for(demo_engine, "operator")
    assert not offers(at.run(), page)


@pytest.mark.parametrize("page", ["trends.py", "gaps.py", "rollups.py"])
def test_an_admin_is_offered_the_pages(demo_engine, page):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["session_token"] = token_for(demo_engine, "admin")
    assert offers(at.run(), page)


# --- trends ------------------------------------------------------------------------------------------


@pytest.fixture
def no_crosswalks(demo_engine: Engine) -> Iterator[None]:
    """The demo database is shared by the module: leave no crosswalk behind for the next test."""

    def clear() -> None:
        with write_session(demo_engine) as session:
            for crosswalk in active_crosswalks(session):
                withdraw_crosswalk(session, actor=SYSTEM, crosswalk_id=crosswalk.id)

    clear()
    yield
    clear()


def crosswalk_count(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.connection().execute(text("SELECT count(*) FROM crosswalk")).scalar_one()


@pytest.mark.usefixtures("no_crosswalks")
def test_the_trends_page_draws_national_category_and_agency_lines_with_a_visible_break(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "trends.py")
    assert not at.exception
    assert at.title[0].value == "Tren Indeks"
    national, category, agency = charts(at)
    # the demo: SPBE periods 2021-2025, then Pemdi 2026; the change sits between the two years
    assert trace_names(national) == ["Nasional · SPBE 2020", "Nasional · Pemdi 2026"]
    assert [trace["x"] for trace in national["data"]] == [[2021, 2022, 2023, 2024, 2025], [2026]]
    [shape] = national["layout"]["shapes"]
    assert shape["x0"] == shape["x1"] == 2025.5
    assert annotation_texts(national) == ["Kerangka berganti (tidak ada konversi resmi)"]
    assert {name.split(" · ")[0] for name in trace_names(category)} >= {"Kementerian", "Provinsi", "Kota"}
    chosen = at.selectbox(key="tr_agency").format_func(at.selectbox(key="tr_agency").value)
    assert any(name.startswith(f"{chosen} · ") for name in trace_names(agency))
    assert any(name.startswith("Nasional · ") for name in trace_names(agency))
    assert not any(
        "dipetakan" in name for chart in (national, category, agency) for name in trace_names(chart)
    )
    assert "Belum ada konversi: pergantian kerangka ditampilkan sebagai jeda." in [
        c.value for c in at.caption
    ]


@pytest.mark.usefixtures("no_crosswalks")
def test_choosing_another_agency_redraws_its_line(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "trends.py")
    box = at.selectbox(key="tr_agency")
    other = box.options[-1]
    at = box.select(other).run()
    assert not at.exception
    agency = charts(at)[2]
    assert agency["layout"]["title"]["text"].startswith(f"{other} dibandingkan kategori ")
    assert any(name.startswith(f"{other} · ") for name in trace_names(agency))


@pytest.mark.usefixtures("no_crosswalks")
def test_a_reviewer_sees_the_crosswalks_but_may_not_define_or_withdraw_them(demo_engine):
    with write_session(demo_engine) as session:
        crosswalk_id = define_crosswalk(
            session,
            actor=SYSTEM,
            from_framework_id="spbe-2020",
            to_framework_id="pemdi-2026",
            factor=1.0,
            offset=0.5,
            basis="Kajian uji",
        )
    at = signed_in_page(demo_engine, "asesor", "trends.py")
    assert not at.exception
    assert "SPBE 2020 → Pemdi 2026: 0,50 + 1,00 × indeks. Dasar: Kajian uji" in [c.value for c in at.caption]
    assert not [b for b in at.button if b.key == f"tr_withdraw_{crosswalk_id}"]
    assert not [t for t in at.text_area if t.key == "tr_basis"]
    assert not at.get("form")


@pytest.mark.usefixtures("no_crosswalks")
def test_an_admin_defines_a_crosswalk_and_the_charts_show_mapped_values(demo_engine):
    at = signed_in_page(demo_engine, "admin", "trends.py")
    assert not at.exception
    at.selectbox(key="tr_from").select("spbe-2020")
    at.selectbox(key="tr_to").select("pemdi-2026")
    at.text_input(key="tr_factor").input("1,1")  # the reader's decimal comma
    at.text_input(key="tr_offset").input("-0,2")
    at.text_area(key="tr_basis").input("Kajian konversi uji")
    at = next(b for b in at.button if b.label == "Simpan konversi").click().run()
    assert not at.exception
    assert not at.error
    with read_session(demo_engine) as session:
        [crosswalk] = active_crosswalks(session)
    assert (crosswalk.from_framework_id, crosswalk.to_framework_id) == ("spbe-2020", "pemdi-2026")
    assert (crosswalk.factor, crosswalk.offset, crosswalk.basis) == (1.1, -0.2, "Kajian konversi uji")
    national, category, agency = charts(at)
    for chart in (national, category, agency):
        assert any("dipetakan" in name for name in trace_names(chart))
    mapped = next(trace for trace in national["data"] if trace["name"] == "Nasional · Pemdi 2026 (dipetakan)")
    spbe = next(trace for trace in national["data"] if trace["name"] == "Nasional · SPBE 2020")
    assert mapped["x"] == spbe["x"]
    assert mapped["y"] == pytest.approx([min(5.0, max(1.0, -0.2 + 1.1 * y)) for y in spbe["y"]])
    assert mapped["line"]["dash"] == "dot"
    assert any(text.startswith("Garis titik-titik") for text in annotation_texts(national))
    captions = [c.value for c in at.caption]
    assert "SPBE 2020 → Pemdi 2026: -0,20 + 1,10 × indeks. Dasar: Kajian konversi uji" in captions
    assert "Belum ada konversi: pergantian kerangka ditampilkan sebagai jeda." not in captions


@pytest.mark.usefixtures("no_crosswalks")
def test_a_crosswalk_without_a_basis_shows_an_error_and_saves_nothing(demo_engine):
    before = crosswalk_count(demo_engine)
    at = signed_in_page(demo_engine, "admin", "trends.py")
    at.selectbox(key="tr_from").select("spbe-2020")
    at.selectbox(key="tr_to").select("pemdi-2026")
    at.text_area(key="tr_basis").input("   ")
    at = next(b for b in at.button if b.label == "Simpan konversi").click().run()
    assert not at.exception
    [error] = at.error
    assert "dasar konversi wajib diisi" in error.value
    assert "Crosswalk refused" not in error.value  # the reader's language only
    assert crosswalk_count(demo_engine) == before
    assert not any("dipetakan" in name for chart in charts(at) for name in trace_names(chart))


@pytest.mark.usefixtures("no_crosswalks")
def test_a_crosswalk_onto_the_same_framework_is_refused_on_the_page(demo_engine):
    before = crosswalk_count(demo_engine)
    at = signed_in_page(demo_engine, "admin", "trends.py")
    at.selectbox(key="tr_from").select("spbe-2020")
    at.selectbox(key="tr_to").select("spbe-2020")
    at.text_area(key="tr_basis").input("Kajian")
    at = next(b for b in at.button if b.label == "Simpan konversi").click().run()
    assert any("kerangka asal dan tujuan sama" in e.value for e in at.error)
    assert crosswalk_count(demo_engine) == before


@pytest.mark.usefixtures("no_crosswalks")
def test_an_admin_withdraws_a_crosswalk_and_the_break_returns(demo_engine):
    with write_session(demo_engine) as session:
        crosswalk_id = define_crosswalk(
            session,
            actor=SYSTEM,
            from_framework_id="spbe-2020",
            to_framework_id="pemdi-2026",
            factor=1.0,
            offset=0.0,
            basis="Kajian uji",
        )
    at = signed_in_page(demo_engine, "admin", "trends.py")
    assert any("dipetakan" in name for name in trace_names(charts(at)[0]))
    at = at.button(key=f"tr_withdraw_{crosswalk_id}").click().run()
    assert not at.exception
    with read_session(demo_engine) as session:
        assert active_crosswalks(session) == []
    assert not any("dipetakan" in name for name in trace_names(charts(at)[0]))
    assert "Belum ada konversi: pergantian kerangka ditampilkan sebagai jeda." in [
        c.value for c in at.caption
    ]


# --- self against final ------------------------------------------------------------------------------


def demo_period_id(engine: Engine, year: int) -> int:
    with read_session(engine) as session:
        return next(p.id for p in list_periods(session) if p.year == year)


def raw_gaps(engine: Engine, period_id: int) -> list[float]:
    """self - final of every scored, applicable indicator of the period's final assessments, in plain SQL."""
    query = text(
        "SELECT s.self_level - s.final_level FROM indicator_score s "
        "JOIN assessment a ON a.id = s.assessment_id "
        "WHERE a.period_id = :period AND a.status = 'final' AND s.self_level IS NOT NULL "
        "AND s.final_level IS NOT NULL AND NOT s.not_applicable"
    )
    with read_session(engine) as session:
        return [float(v) for v in session.connection().execute(query, {"period": period_id}).scalars()]


def own_gaps(engine: Engine, period_id: int, agency_name: str) -> dict[str, float]:
    """One agency's self - final per indicator in the period, in plain SQL."""
    query = text(
        "SELECT s.indicator_code, s.self_level - s.final_level FROM indicator_score s "
        "JOIN assessment a ON a.id = s.assessment_id JOIN agency g ON g.id = a.agency_id "
        "WHERE a.period_id = :period AND a.status = 'final' AND g.name = :name AND s.self_level IS NOT NULL "
        "AND s.final_level IS NOT NULL AND NOT s.not_applicable"
    )
    with read_session(engine) as session:
        rows = session.connection().execute(query, {"period": period_id, "name": agency_name})
        return {code: float(gap) for code, gap in rows}


def test_the_gaps_page_summarises_the_latest_periods_gaps(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "gaps.py")
    assert not at.exception
    assert at.title[0].value == "Penilaian Mandiri vs Hasil Final"
    gaps = raw_gaps(demo_engine, demo_period_id(demo_engine, 2026))
    assert gaps
    over = sum(1 for g in gaps if g > 0)
    mean = f"{sum(gaps) / len(gaps):.2f}".replace(".", ",")
    summary = f"{over} dari {len(gaps)} penilaian indikator diklaim lebih tinggi; rata-rata selisih {mean}."
    assert summary in [c.value for c in at.caption]


def test_the_gaps_page_shows_the_indicator_chart_and_tables(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "gaps.py")
    by_year, by_indicator_chart, scatter = charts(at)
    assert by_year["layout"]["title"]["text"] == "Selisih rata-rata per periode"
    assert decoded(by_year["data"][0]["x"]) == [2021, 2022, 2023, 2024, 2025, 2026]
    assert by_indicator_chart["data"][0]["type"] == "bar"
    assert by_indicator_chart["layout"]["title"]["text"] == "Selisih rata-rata per indikator"
    assert scatter["layout"]["title"]["text"] == "Indeks mandiri terhadap indeks final"
    by_indicator, by_agency = (frame.value for frame in at.dataframe)
    assert list(by_indicator["Kode"]) == by_indicator_chart["data"][0]["x"]
    assert list(by_indicator.columns) == [
        "Kode",
        "Indikator",
        "Rata-rata selisih",
        "Mengklaim lebih (%)",
        "Instansi",
    ]
    assert all(0 <= number(v) <= 100 for v in by_indicator["Mengklaim lebih (%)"])
    with read_session(demo_engine) as session:
        finals = (
            session.connection()
            .execute(
                text("SELECT count(*) FROM assessment WHERE period_id = :p AND status = 'final'"),
                {"p": demo_period_id(demo_engine, 2026)},
            )
            .scalar_one()
        )
    assert len(by_agency) == finals
    gaps = [number(v) for v in by_agency["Selisih indeks"] if v != "-"]
    assert gaps == sorted(gaps, reverse=True)  # the largest over-claim first


def test_picking_an_agency_adds_its_indicator_chart_and_marks_it(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "gaps.py")
    assert len(at.get("plotly_chart")) == 3  # per period, per indicator, self against final
    box = at.selectbox(key="gp_agency")
    assert box.value is None
    chosen = box.options[1]
    at = box.select(chosen).run()
    assert not at.exception
    _, _, scatter, mine = charts(at)
    assert mine["layout"]["title"]["text"] == f"Selisih rata-rata per indikator · {chosen}"
    own = own_gaps(demo_engine, demo_period_id(demo_engine, 2026), chosen)
    assert dict(zip(mine["data"][0]["x"], mine["data"][0]["y"], strict=True)) == pytest.approx(own)
    assert scatter["data"][-1]["marker"]["symbol"] == "star"
    assert scatter["data"][-1]["text"] == [chosen]


def test_an_older_period_can_be_chosen(demo_engine):
    at = signed_in_page(demo_engine, "asesor", "gaps.py")
    box = at.selectbox(key="gp_period")
    at = box.select_index(len(box.options) - 1).run()  # 2021, on SPBE 2020
    assert not at.exception
    by_indicator = at.dataframe[0].value
    assert len(by_indicator) == 47
    assert list(by_indicator["Kode"])[:2] == ["I01", "I02"]


# --- province roll-ups -------------------------------------------------------------------------------

RULES = {
    "weighted": "Nilai provinsi = 0,50 × indeks pemerintah provinsi + 0,50 × rata-rata kabupaten/kota",
    "mean": "Nilai provinsi = rata-rata sederhana indeks pemerintah provinsi dan seluruh kabupaten/kotanya.",
    "minimum": "Nilai provinsi = indeks terendah di antara pemerintah provinsi dan kabupaten/kotanya.",
}


def rollup_page(engine: Engine, method: str, province: str = "Aceh") -> AppTest:
    """The roll-up of the 2025 period (Aceh has its government and 13 regencies and cities there)."""
    at = signed_in_page(engine, "asesor", "rollups.py")
    box = at.selectbox(key="ru_period")
    at = box.select_index(box.options.index("2025 · SPBE 2020")).run()
    at = at.radio(key="ru_method").set_value(method).run()
    at = at.selectbox(key="ru_province").select(province).run()
    assert not at.exception, at.exception
    return at


def verified_regional_governments(engine: Engine, province: str) -> list[str]:
    """The province's government, regencies and cities with a final 2025 assessment, in plain SQL."""
    query = text(
        "SELECT g.name FROM agency g JOIN assessment a ON a.agency_id = g.id "
        "WHERE a.period_id = :period AND a.status = 'final' AND g.province = :province "
        "AND g.category IN ('Provinsi', 'Kabupaten', 'Kota') ORDER BY g.name"
    )
    with read_session(engine) as session:
        params = {"period": demo_period_id(engine, 2025), "province": province}
        return list(session.connection().execute(query, params).scalars())


def number(shown: str) -> float:
    """A number as an Indonesian table writes it ("3,28", "+0,42", "25%", "-" when absent)."""
    return float("nan") if shown == "-" else float(shown.replace(".", "").replace(",", ".").rstrip("%"))


def province_values(at: AppTest) -> dict[str, float]:
    table = at.dataframe[0].value
    return dict(zip(table["Provinsi"], map(number, table["Nilai provinsi"]), strict=True))


def aceh_members(at: AppTest):
    members = at.dataframe[1].value
    return members.assign(Indeks=[number(v) for v in members["Indeks"]])


@pytest.mark.parametrize("method", ["weighted", "mean", "minimum"])
def test_the_rollup_states_its_rule_and_computes_by_it(demo_engine, method):
    at = rollup_page(demo_engine, method)
    assert at.title[0].value == "Rekap Provinsi"
    assert any(info.value.startswith(RULES[method]) for info in at.info)
    members = aceh_members(at)
    own = members[members["Kategori"] == "Provinsi"]["Indeks"].tolist()
    local = members[members["Kategori"].isin(["Kabupaten", "Kota"])]["Indeks"].tolist()
    assert len(own) == 1 and len(local) > 1
    everyone = own + local
    expected = {
        "weighted": 0.5 * own[0] + 0.5 * sum(local) / len(local),
        "mean": sum(everyone) / len(everyone),
        "minimum": min(everyone),
    }[method]
    # the tables show values rounded half up to 2 places: the members' and the province's
    assert province_values(at)["Aceh"] == pytest.approx(expected, abs=0.01)


def test_the_methods_give_different_province_values(demo_engine):
    values = {method: province_values(rollup_page(demo_engine, method))["Aceh"] for method in RULES}
    assert len({round(v, 6) for v in values.values()}) == 3
    assert values["minimum"] < values["mean"]


def test_the_weight_slider_shows_only_for_the_weighted_mean_and_changes_the_value(demo_engine):
    at = rollup_page(demo_engine, "weighted")
    assert [s.key for s in at.slider] == ["ru_weight"]
    at = at.slider(key="ru_weight").set_value(1.0).run()
    assert any(
        info.value.startswith("Nilai provinsi = 1,00 × indeks pemerintah provinsi + 0,00 ×")
        for info in at.info
    )
    members = aceh_members(at)
    assert province_values(at)["Aceh"] == pytest.approx(
        members[members["Kategori"] == "Provinsi"]["Indeks"].iloc[0]
    )
    assert not rollup_page(demo_engine, "mean").slider


def test_the_members_table_lists_the_chosen_provinces_governments_only(demo_engine):
    at = rollup_page(demo_engine, "weighted", "Aceh")
    members = aceh_members(at)
    table = at.dataframe[0].value
    governments = dict(zip(table["Provinsi"], table["Pemerintah daerah"], strict=True))
    assert len(members) == governments["Aceh"]
    assert set(members["Kategori"]) == {"Provinsi", "Kabupaten", "Kota"}
    assert sorted(members["Instansi"]) == verified_regional_governments(demo_engine, "Aceh")
    at = at.selectbox(key="ru_province").select("Banten").run()
    banten = aceh_members(at)
    assert len(banten) == governments["Banten"]
    assert sorted(banten["Instansi"]) == verified_regional_governments(demo_engine, "Banten")
    assert list(banten["Indeks"]) == sorted(banten["Indeks"], reverse=True)


def test_the_rollup_chart_has_a_bar_per_province_in_the_tables_order(demo_engine):
    at = rollup_page(demo_engine, "minimum")
    [chart] = charts(at)
    table = at.dataframe[0].value
    assert chart["data"][0]["y"] == list(table["Provinsi"])
    assert chart["data"][0]["x"] == pytest.approx(
        [number(v) for v in table["Nilai provinsi"]], abs=0.0051
    )  # table: 2 places
    assert chart["layout"]["title"]["text"] == "Nilai provinsi (minimum)"
