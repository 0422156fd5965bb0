"""Numbers as people read them: Babel's locale formats, rounded half up as results are published."""

from __future__ import annotations

import pytest

from evaluation.i18n import fmt_number


@pytest.mark.parametrize(
    ("value", "lang", "places", "shown"),
    [
        (409 / 200, "id", 2, "2,05"),  # 2.045 exactly as an index; the binary float lies just below
        (3.625, "en", 2, "3.63"),
        (3.615, "en", 2, "3.62"),
        (2.5, "id", 0, "3"),
        (1234.5, "en", 0, "1,235"),
        (1234.5, "id", 1, "1.234,5"),
        (3.0, "id", 2, "3,00"),
        (-0.25, "en", 1, "-0.2"),  # half up is towards +infinity, as the scoring rounds
        (None, "id", 2, "-"),
        (float("nan"), "en", 2, "-"),
    ],
)
def test_fmt_number_rounds_half_up_in_the_readers_locale(value, lang, places, shown):
    assert fmt_number(value, lang, places) == shown


def test_half_up_is_the_scorings_rounding_rule_on_every_decimal_value():
    from decimal import Decimal
    from fractions import Fraction

    from evaluation.i18n import half_up
    from evaluation.scoring.values import round_half_up

    for thousandths in range(-6000, 6001):
        value = thousandths / 1000
        expected = round_half_up(Fraction(thousandths, 1000), 2)
        assert half_up(value) == Decimal(expected.numerator) / Decimal(expected.denominator), value
