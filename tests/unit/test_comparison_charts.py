"""The comparison figure factories, checked on their traces."""

from __future__ import annotations

import pandas as pd

from evaluation.charts.comparison import distribution_figure, heatmap_figure
from evaluation.services.comparison import filter_ranking, percentile_in_category

FRAME = pd.DataFrame(
    [
        {
            "agency_id": 1,
            "code": "PROV-001",
            "name": "Pemerintah Aceh",
            "category": "Provinsi",
            "province": "Aceh",
            "index": 3.1,
            "predicate": "Baik",
        },
        {
            "agency_id": 2,
            "code": "KAB-001",
            "name": "Pemerintah Kab. Aceh Barat",
            "category": "Kabupaten",
            "province": "Aceh",
            "index": 2.4,
            "predicate": "Cukup",
        },
        {
            "agency_id": 3,
            "code": "KAB-002",
            "name": "Pemerintah Kab. Agam",
            "category": "Kabupaten",
            "province": "Sumatera Barat",
            "index": 2.9,
            "predicate": "Baik",
        },
        {
            "agency_id": 4,
            "code": "KAB-003",
            "name": "Pemerintah Kab. Badung",
            "category": "Kabupaten",
            "province": "Bali",
            "index": 3.6,
            "predicate": "Sangat Baik",
        },
    ]
)


def test_the_heatmap_has_one_row_per_agency_named_and_the_level_scale_fixed_to_1_5():
    matrix = pd.DataFrame({"I01": [3.0, 4.0], "I02": [2.0, 5.0]}, index=[2, 4])
    trace = heatmap_figure(matrix, {2: "Aceh Barat", 4: "Badung"}, title="t", colour_label="Tingkat").data[0]
    assert list(trace.y) == ["Aceh Barat", "Badung"]
    assert list(trace.x) == ["I01", "I02"]
    assert (trace.zmin, trace.zmax) == (1, 5)


def test_the_distribution_has_a_box_per_category_present_and_marks_the_highlighted_agency():
    fig = distribution_figure(
        FRAME,
        categories=["Kementerian", "Provinsi", "Kabupaten"],
        title="t",
        y_label="y",
        highlight=("Kabupaten", "Pemerintah Kab. Agam", 2.9),
    )
    boxes = [trace for trace in fig.data if trace.type == "box"]
    assert [b.name for b in boxes] == ["Provinsi", "Kabupaten"]
    marker = next(trace for trace in fig.data if trace.type == "scatter")
    assert (list(marker.x), list(marker.y), list(marker.text)) == (
        ["Kabupaten"],
        [2.9],
        ["Pemerintah Kab. Agam"],
    )


def test_a_province_filter_keeps_the_province_with_its_regencies_and_cities():
    assert list(filter_ranking(FRAME, province="Aceh")["code"]) == ["PROV-001", "KAB-001"]


def test_filters_combine_and_the_search_finds_names_and_codes_in_any_case():
    assert list(filter_ranking(FRAME, categories=["Kabupaten"], predicates=["Baik"])["code"]) == ["KAB-002"]
    assert list(filter_ranking(FRAME, search="badung")["code"]) == ["KAB-003"]
    assert list(filter_ranking(FRAME, search="kab-00")["code"]) == ["KAB-001", "KAB-002", "KAB-003"]


def test_the_percentile_places_an_agency_among_its_category_only():
    assert percentile_in_category(FRAME, 3) == 2 / 3 * 100
    assert percentile_in_category(FRAME, 1) == 100.0
    assert percentile_in_category(FRAME, 99) is None
