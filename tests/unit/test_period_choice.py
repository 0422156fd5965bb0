"""A command asked for a year without --framework takes the official period when a programme sits beside
it, and still asks when two official periods share the year."""

from __future__ import annotations

import pytest

from evaluation.services.programmes import prefer_official
from evaluation.services.results import PeriodInfo


def period(pid: int, framework: str, kind: str = "official") -> PeriodInfo:
    return PeriodInfo(pid, 2026, framework, pid, "pemdi", "open", None, kind=kind)


OFFICIAL = period(1, "pemdi-2026")
OTHER_OFFICIAL = period(2, "spbe-2020")
PROGRAMME = period(3, "vision-to-evaluation", "programme")


@pytest.mark.parametrize(
    ("periods", "chosen"),
    [
        ([OFFICIAL], [OFFICIAL]),
        ([OFFICIAL, PROGRAMME], [OFFICIAL]),
        ([PROGRAMME], [PROGRAMME]),
        ([OFFICIAL, OTHER_OFFICIAL, PROGRAMME], [OFFICIAL, OTHER_OFFICIAL, PROGRAMME]),
        ([PROGRAMME, period(4, "x", "programme")], [PROGRAMME, period(4, "x", "programme")]),
        ([], []),
    ],
    ids=["one", "official-beside-programme", "programme-alone", "two-official", "two-programmes", "none"],
)
def test_prefer_official(periods, chosen):
    assert prefer_official(periods) == chosen
