"""Province roll-ups: the aggregation rules, table-driven with hand-computed values, and the roll-up table
built from a small ranking frame."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evaluation.services.rollups import METHODS, ROLLUP_COLUMNS, Rule, aggregate, members, province_rollup

# --- aggregate ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("province_index", "local", "rule", "expected"),
    [
        # weighted 0.5: half the province, half the locals' mean (3.0)
        (3.0, [2.0, 4.0, 3.0], Rule("weighted", 0.5), 3.0),
        (4.0, [2.0, 3.0], Rule("weighted", 0.5), 0.5 * 4.0 + 0.5 * 2.5),  # 3.25
        (4.0, [2.0, 3.0], Rule("weighted", 0.2), 0.2 * 4.0 + 0.8 * 2.5),  # 2.8
        (4.0, [2.0, 3.0], Rule("weighted", 0.0), 2.5),  # only the locals' mean
        (4.0, [2.0, 3.0], Rule("weighted", 1.0), 4.0),  # only the provincial government
        # one local among three does not weigh like the province: 0.5*1 + 0.5*(5+5+2)/3
        (1.0, [5.0, 5.0, 2.0], Rule("weighted", 0.5), 2.5),
        # plain mean of everyone: (4 + 2 + 3) / 3
        (4.0, [2.0, 3.0], Rule("mean"), 3.0),
        (1.0, [5.0, 5.0, 2.0], Rule("mean"), 13.0 / 4),
        # minimum of everyone, wherever it sits
        (4.0, [2.0, 3.0], Rule("minimum"), 2.0),
        (1.5, [2.0, 3.0], Rule("minimum"), 1.5),
        # no provincial government: the locals alone, whatever the rule
        (None, [2.0, 4.0], Rule("weighted", 0.5), 3.0),
        (None, [2.0, 4.0], Rule("weighted", 0.9), 3.0),
        (None, [2.0, 4.0], Rule("mean"), 3.0),
        (None, [2.0, 4.0], Rule("minimum"), 2.0),
        # a province with no regencies or cities: its own government alone
        (3.4, [], Rule("weighted", 0.5), 3.4),
        (3.4, [], Rule("weighted", 0.0), 3.4),
        (3.4, [], Rule("mean"), 3.4),
        (3.4, [], Rule("minimum"), 3.4),
    ],
)
def test_aggregate_follows_the_stated_rule(province_index, local, rule, expected):
    assert aggregate(province_index, local, rule) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_aggregate_of_nobody_is_none(method):
    assert aggregate(None, [], Rule(method)) is None


def test_the_default_province_weight_is_one_half():
    assert Rule("weighted").province_weight == 0.5


@pytest.mark.parametrize(
    ("method", "weight", "message"),
    [
        ("median", 0.5, "Unknown aggregation 'median'"),
        ("", 0.5, "Unknown aggregation"),
        ("Weighted", 0.5, "Unknown aggregation"),
        ("weighted", -0.01, "between 0 and 1"),
        ("weighted", 1.01, "between 0 and 1"),
        ("mean", 2.0, "between 0 and 1"),
        ("weighted", math.nan, "between 0 and 1"),
    ],
)
def test_an_invalid_rule_raises_value_error(method, weight, message):
    with pytest.raises(ValueError, match=message):
        Rule(method, weight)  # type: ignore[arg-type]


@pytest.mark.parametrize("weight", [0.0, 0.05, 0.5, 1.0])
def test_weights_on_the_closed_interval_are_accepted(weight):
    assert Rule("weighted", weight).province_weight == weight


# --- province_rollup and members ----------------------------------------------------------------------


def ranked(rows: list[tuple[str, str, str | None, float]]) -> pd.DataFrame:
    """A ranking frame (comparison.ranking's columns that the roll-up reads) from (name, category,
    province, index), highest index first as the ranking is."""
    frame = pd.DataFrame(
        [
            {
                "agency_id": i + 1,
                "code": f"C{i + 1:03d}",
                "name": name,
                "category": category,
                "province": province,
                "index": index,
                "predicate": "Baik",
            }
            for i, (name, category, province, index) in enumerate(rows)
        ]
    )
    frame = frame.sort_values("index", ascending=False).reset_index(drop=True)
    frame.insert(0, "rank", frame["index"].rank(ascending=False, method="min").astype(int))
    return frame


FRAME = ranked(
    [
        ("Pemerintah Provinsi Jawa Tengah", "Provinsi", "Jawa Tengah", 3.0),
        ("Pemerintah Kota Semarang", "Kota", "Jawa Tengah", 2.0),
        ("Pemerintah Kab. Kendal", "Kabupaten", "Jawa Tengah", 4.0),
        ("Pemerintah Kab. Demak", "Kabupaten", "Jawa Tengah", 3.0),
        ("Pemerintah Provinsi Bali", "Provinsi", "Bali", 3.5),  # no regency or city assessed
        ("Pemerintah Kota Denpasar", "Kota", "Gorontalo", 1.5),  # a province with no own government
        ("Pemerintah Kab. Gorontalo", "Kabupaten", "Gorontalo", 2.5),
        ("Kementerian Dalam Negeri", "Kementerian", None, 4.8),  # never part of a province
        ("Badan Otorita", "Lembaga", "Bali", 1.0),  # a central agency with a province: still not regional
    ]
)


def rows_by_province(table: pd.DataFrame) -> dict[str, dict[str, object]]:
    return {row["province"]: row for row in table.to_dict("records")}


def test_the_rollup_has_one_row_per_province_with_regional_governments_only():
    table = province_rollup(FRAME, Rule("weighted"))
    assert list(table.columns) == ROLLUP_COLUMNS
    assert sorted(table["province"]) == ["Bali", "Gorontalo", "Jawa Tengah"]
    rows = rows_by_province(table)
    assert {p: r["governments"] for p, r in rows.items()} == {"Jawa Tengah": 4, "Bali": 1, "Gorontalo": 2}
    # the Lembaga in Bali is neither counted nor the lowest
    assert rows["Bali"]["lowest_name"] == "Pemerintah Provinsi Bali"
    assert rows["Bali"]["lowest_index"] == 3.5


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # Jawa Tengah: province 3.0, locals [2, 4, 3] (mean 3.0); Bali: 3.5 alone; Gorontalo: [1.5, 2.5]
        (Rule("weighted", 0.5), {"Jawa Tengah": 3.0, "Bali": 3.5, "Gorontalo": 2.0}),
        (Rule("weighted", 1.0), {"Jawa Tengah": 3.0, "Bali": 3.5, "Gorontalo": 2.0}),
        (Rule("mean"), {"Jawa Tengah": 3.0, "Bali": 3.5, "Gorontalo": 2.0}),
        (Rule("minimum"), {"Jawa Tengah": 2.0, "Bali": 3.5, "Gorontalo": 1.5}),
    ],
)
def test_the_rolled_up_values_per_rule(rule, expected):
    table = province_rollup(FRAME, rule)
    assert dict(zip(table["province"], table["value"], strict=True)) == pytest.approx(expected)


def test_the_weighted_rollup_differs_from_the_mean_when_locals_outnumber_the_province():
    frame = ranked(
        [
            ("Pemerintah Aceh", "Provinsi", "Aceh", 4.0),
            ("Pemerintah Kota Sabang", "Kota", "Aceh", 2.0),
            ("Pemerintah Kab. Aceh Barat", "Kabupaten", "Aceh", 2.0),
            ("Pemerintah Kab. Aceh Jaya", "Kabupaten", "Aceh", 2.0),
        ]
    )
    values = {
        rule.method if rule.method != "weighted" else f"w{rule.province_weight}": float(
            province_rollup(frame, rule)["value"].iloc[0]
        )
        for rule in (Rule("weighted", 0.5), Rule("weighted", 0.25), Rule("mean"), Rule("minimum"))
    }
    assert values == pytest.approx({"w0.5": 3.0, "w0.25": 2.5, "mean": 2.5, "minimum": 2.0})


def test_the_rollup_row_describes_its_province():
    rows = rows_by_province(province_rollup(FRAME, Rule("weighted")))
    jateng = rows["Jawa Tengah"]
    assert jateng["province_index"] == 3.0
    assert jateng["local_mean"] == pytest.approx(3.0)
    assert jateng["local_count"] == 3
    assert (jateng["lowest_name"], jateng["lowest_index"]) == ("Pemerintah Kota Semarang", 2.0)
    gorontalo = rows["Gorontalo"]
    assert pd.isna(gorontalo["province_index"])
    assert (gorontalo["local_mean"], gorontalo["local_count"]) == (pytest.approx(2.0), 2)
    bali = rows["Bali"]
    assert (bali["province_index"], bali["local_count"]) == (3.5, 0)
    assert pd.isna(bali["local_mean"])


@pytest.mark.parametrize(
    ("rule", "order"),
    [
        (Rule("weighted"), ["Bali", "Jawa Tengah", "Gorontalo"]),
        (Rule("minimum"), ["Bali", "Jawa Tengah", "Gorontalo"]),
        (Rule("weighted", 0.0), ["Bali", "Jawa Tengah", "Gorontalo"]),
    ],
)
def test_the_rollup_lists_the_highest_value_first(rule, order):
    assert list(province_rollup(FRAME, rule)["province"]) == order


def test_the_order_of_the_provinces_follows_the_rule():
    frame = ranked(
        [
            ("Pemerintah Provinsi A", "Provinsi", "A", 4.5),
            ("Pemerintah Kota A1", "Kota", "A", 1.2),
            ("Pemerintah Provinsi B", "Provinsi", "B", 3.0),
            ("Pemerintah Kota B1", "Kota", "B", 3.0),
        ]
    )
    assert list(province_rollup(frame, Rule("weighted"))["province"]) == ["B", "A"]  # 3.0 > 2.85
    assert list(province_rollup(frame, Rule("minimum"))["province"]) == ["B", "A"]
    assert list(province_rollup(frame, Rule("weighted", 1.0))["province"]) == ["A", "B"]  # 4.5 > 3.0


def test_an_empty_ranking_gives_an_empty_rollup_with_its_columns():
    table = province_rollup(pd.DataFrame(), Rule("mean"))
    assert table.empty
    assert list(table.columns) == ROLLUP_COLUMNS


def test_a_ranking_of_central_agencies_only_gives_an_empty_rollup():
    frame = ranked([("Kementerian Dalam Negeri", "Kementerian", None, 3.0), ("BSSN", "Lembaga", None, 2.0)])
    assert province_rollup(frame, Rule("weighted")).empty


def test_members_are_the_provinces_own_government_and_its_regencies_and_cities_in_rank_order():
    chosen = members(FRAME, "Jawa Tengah")
    assert set(chosen["name"]) == {
        "Pemerintah Kab. Kendal",
        "Pemerintah Provinsi Jawa Tengah",
        "Pemerintah Kab. Demak",
        "Pemerintah Kota Semarang",
    }
    assert list(chosen["index"]) == [4.0, 3.0, 3.0, 2.0]
    tied = list(chosen[chosen["index"] == 3.0]["name"])
    assert tied == sorted(tied)  # equal indices: by name, so the order does not depend on the input


def test_members_leave_out_central_agencies_that_carry_the_provinces_name():
    assert list(members(FRAME, "Bali")["name"]) == ["Pemerintah Provinsi Bali"]


def test_members_of_an_unknown_province_are_none():
    assert members(FRAME, "Papua").empty


TWO_PROVINCIAL = pd.DataFrame(
    {
        "agency_id": [1, 2, 3, 4],
        "name": [
            "Pemerintah Provinsi A",
            "Pemerintah Provinsi A (lama)",
            "Pemerintah Kab. X",
            "Pemerintah Kota Y",
        ],
        "category": ["Provinsi", "Provinsi", "Kabupaten", "Kota"],
        "province": ["A", "A", "A", "A"],
        "index": [4.0, 2.0, 3.0, 1.0],
    }
)


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        (Rule("weighted", 0.5), 0.5 * 3.0 + 0.5 * 2.0),  # the provincial side is the mean of both
        (Rule("mean"), (4.0 + 2.0 + 3.0 + 1.0) / 4),
        (Rule("minimum"), 1.0),
    ],
)
def test_two_provincial_governments_under_one_province_both_count(rule, value):
    [row] = province_rollup(TWO_PROVINCIAL, rule).to_dict("records")
    assert row["governments"] == 4
    assert row["province_index"] == pytest.approx(3.0)
    assert row["value"] == pytest.approx(value)
