"""The PDF report's pure helpers: radar corners (clockwise from 12 o'clock, y downwards, clamped), colour
tints, and the predicate band above the current one on the shipped frameworks."""

from __future__ import annotations

import math

import pytest

from evaluation.reports.agency_data import next_band
from evaluation.reports.pdf_base import hex_rgb, radar_points, tint
from indicators.loader import shipped_frameworks

SPBE = shipped_frameworks()["spbe-2020"]
PEMDI = shipped_frameworks()["pemdi-2026"]
HALF_ROOT3 = math.sqrt(3) / 2

# --- radar_points ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "centre", "radius", "expected"),
    [
        # four axes, full value: top, right, bottom, left (PDF y grows downwards)
        ([5, 5, 5, 5], (0, 0), 10, [(0, -10), (10, 0), (0, 10), (-10, 0)]),
        # half the scale: half the radius
        ([2.5, 2.5, 2.5, 2.5], (0, 0), 10, [(0, -5), (5, 0), (0, 5), (-5, 0)]),
        # each axis its own value
        ([5, 1, 4, 0], (0, 0), 10, [(0, -10), (2, 0), (0, 8), (0, 0)]),
        # moved centre
        ([5, 5, 5, 5], (100, 50), 20, [(100, 30), (120, 50), (100, 70), (80, 50)]),
        # three axes: 12 o'clock, then 120 degrees clockwise twice (4 and 8 o'clock)
        ([5, 5, 5], (0, 0), 10, [(0, -10), (10 * HALF_ROOT3, 5), (-10 * HALF_ROOT3, 5)]),
        # six axes at 60 degrees, the second one at 2 o'clock
        (
            [5] * 6,
            (0, 0),
            2,
            [
                (0, -2),
                (HALF_ROOT3 * 2, -1),
                (HALF_ROOT3 * 2, 1),
                (0, 2),
                (-HALF_ROOT3 * 2, 1),
                (-HALF_ROOT3 * 2, -1),
            ],
        ),
        # one axis: straight up
        ([5], (3, 4), 10, [(3, -6)]),
        # out of range values are clamped to [0, top]
        ([7, -1, 5.0001, 0], (0, 0), 10, [(0, -10), (0, 0), (0, 10), (0, 0)]),
    ],
    ids=["full", "half", "mixed", "moved", "three", "six", "one", "clamped"],
)
def test_radar_points(values, centre, radius, expected):
    points = radar_points(values, centre[0], centre[1], radius)
    assert len(points) == len(expected)
    for got, want in zip(points, expected, strict=True):
        assert got == pytest.approx(want, abs=1e-9)


def test_radar_points_scale_to_another_top():
    points = radar_points([2, 4, 8, -3], 0, 0, 10, top=4.0)
    expected = [(0, -5), (10, 0), (0, 10), (0, 0)]
    assert [pytest.approx(p, abs=1e-9) for p in expected] == points


def test_radar_points_of_no_values_is_empty():
    assert radar_points([], 0, 0, 10) == []


def test_radar_corners_keep_their_distance_from_the_centre_for_any_number_of_axes():
    for n in range(1, 13):
        values = [(k % 6) for k in range(n)]
        for value, (x, y) in zip(values, radar_points(values, 7, -3, 12), strict=True):
            assert math.hypot(x - 7, y + 3) == pytest.approx(12 * min(value, 5) / 5)


# --- colours ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("colour", "rgb"),
    [
        ("#1f4e79", (31, 78, 121)),
        ("b03a2e", (176, 58, 46)),
        ("#FFFFFF", (255, 255, 255)),
        ("#000000", (0, 0, 0)),
        ("#0a0B0c", (10, 11, 12)),
    ],
)
def test_hex_rgb(colour, rgb):
    assert hex_rgb(colour) == rgb


@pytest.mark.parametrize(
    ("colour", "share", "rgb"),
    [
        # 255 - (255 - c) * 0.35: 255 - 224 * .35 = 176.6, 255 - 177 * .35 = 193.05, 255 - 134 * .35 = 208.1
        ("#1f4e79", 0.35, (177, 193, 208)),
        # black: 255 - 255 * 0.35 = 165.75
        ("#000000", 0.35, (166, 166, 166)),
        ("#000000", 0.2, (204, 204, 204)),
        ("#b03a2e", 1.0, (176, 58, 46)),  # all colour
        ("#b03a2e", 0.0, (255, 255, 255)),  # all white
        ("#ffffff", 0.6, (255, 255, 255)),  # white stays white
        # 255 - 79 * 0.5 = 215.5, 255 - 197 * 0.5 = 156.5, 255 - 209 * 0.5 = 150.5
        ("#b03a2e", 0.5, (216, 156, 150)),
    ],
)
def test_tint(colour, share, rgb):
    assert tint(colour, share) == rgb


def test_tint_defaults_to_35_percent_of_the_colour():
    assert tint("#1f4e79") == (177, 193, 208)


# --- next_band -------------------------------------------------------------------------------------


def band(framework, name):
    return next(b for b in framework.predicate.bands if b.name == name)


ORDER = ["Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan"]


@pytest.mark.parametrize("framework", [SPBE, PEMDI], ids=["spbe-2020", "pemdi-2026"])
def test_with_no_predicate_yet_the_next_band_is_the_lowest(framework):
    assert next_band(framework, None) == band(framework, "Kurang")


@pytest.mark.parametrize("framework", [SPBE, PEMDI], ids=["spbe-2020", "pemdi-2026"])
def test_above_the_top_band_there_is_none(framework):
    assert next_band(framework, band(framework, "Memuaskan")) is None


@pytest.mark.parametrize("framework", [SPBE, PEMDI], ids=["spbe-2020", "pemdi-2026"])
@pytest.mark.parametrize("current", ORDER[:-1])
def test_the_next_band_is_the_one_above(framework, current):
    above = next_band(framework, band(framework, current))
    assert above is not None
    assert above.name == ORDER[ORDER.index(current) + 1]


def test_spbe_next_bands_carry_their_published_minimums():
    from fractions import Fraction

    assert next_band(SPBE, band(SPBE, "Baik")).min == Fraction("3.5")
    assert next_band(SPBE, band(SPBE, "Sangat Baik")).min == Fraction("4.2")
    assert next_band(PEMDI, band(PEMDI, "Sangat Baik")).min == Fraction("4.0")


def test_the_order_of_the_bands_in_the_file_does_not_matter():
    shuffled = [band(SPBE, name) for name in ("Baik", "Memuaskan", "Kurang", "Sangat Baik", "Cukup")]
    framework = SPBE.model_copy(update={"predicate": SPBE.predicate.model_copy(update={"bands": shuffled})})
    assert next_band(framework, None).name == "Kurang"
    assert next_band(framework, band(SPBE, "Cukup")).name == "Baik"
    assert next_band(framework, band(SPBE, "Sangat Baik")).name == "Memuaskan"
    assert next_band(framework, band(SPBE, "Memuaskan")) is None
