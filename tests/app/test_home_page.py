"""The home dashboard in AppTest: metrics, charts and language switching on demo data."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.app


def test_home_shows_the_national_index_in_indonesian_number_format(app):
    at = app()
    assert not at.exception
    assert at.title[0].value == "Dasbor Nasional"
    labels = [m.label for m in at.metric]
    assert "Indeks nasional 2026" in labels
    national = at.metric[0].value
    assert "," in national and "." not in national  # 2,87 in Indonesian, not 2.87


def test_home_draws_the_trend_the_predicate_bars_and_the_radar(app):
    at = app()
    charts = at.get("plotly_chart")
    assert len(charts) == 3
    specs = [chart.proto.spec for chart in charts]
    assert "scatterpolar" in specs[2]
    assert "SPBE 2020" in specs[0] and "Pemdi 2026" in specs[0]  # framework names, not ids


def test_home_in_english_uses_english_labels_and_a_decimal_point(app):
    at = app(lang="en")
    assert at.title[0].value == "National dashboard"
    assert any(m.label.startswith("National index") for m in at.metric)
    assert "." in at.metric[0].value


def test_choosing_another_agency_redraws_its_radar(app):
    at = app()
    box = at.selectbox(key="home_agency")
    first = box.index
    before = at.get("plotly_chart")[2].proto.spec
    redrawn = False
    for position in range(len(box.options)):
        if position == first:
            continue
        at.selectbox(key="home_agency").select_index(position).run()
        charts = at.get("plotly_chart")
        if len(charts) == 3:
            redrawn = charts[2].proto.spec != before
            break
    assert not at.exception
    assert redrawn


@pytest.mark.parametrize(("lang", "separators"), [("id", ",."), ("en", ".,")])
def test_charts_use_the_readers_decimal_and_thousands_marks(app, lang, separators):
    import json

    at = app(lang=lang)
    layouts = [json.loads(chart.proto.spec)["layout"] for chart in at.get("plotly_chart")]
    assert layouts and {layout.get("separators") for layout in layouts} == {separators}
