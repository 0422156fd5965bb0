"""Delegation in the Excel import (issue 13): an operator's change to an indicator assigned to neither
them nor their unit is a located problem; an unchanged row of such an indicator is no problem at all."""

from __future__ import annotations

from evaluation.db import write_session
from evaluation.services.delegation import assign, create_unit, set_user_unit
from tests.integration.excel_fixtures import LETTER, edited, exported, located, plan, save


def _delegated(bench):
    own = bench.agency()
    assessment_id = save(bench, own, {"I01": {"level": 2, "justification": "a"}, "I02": {"level": 2}})
    with write_session(bench.engine) as session:
        unit_id = create_unit(session, actor=own.coordinator, agency_id=own.id, name="Bidang Data")
        set_user_unit(session, actor=own.coordinator, user_id=own.operator.user_id or 0, unit_id=unit_id)
        assign(session, actor=own.coordinator, assessment_id=assessment_id, codes=["I01"], unit_id=unit_id)
    return own


def _row_of(ws, code: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws[f"{LETTER['indicator']}{r}"].value == code:
            return r
    raise AssertionError(code)


def test_an_operator_changing_an_indicator_not_theirs_gets_a_located_problem(bench):
    own = _delegated(bench)
    found: dict[str, int] = {}

    def edit(ws):
        found["row"] = _row_of(ws, "I02")
        ws[f"{LETTER['self_level']}{found['row']}"] = 4
        ws[f"{LETTER['self_level']}{_row_of(ws, 'I01')}"] = 4

    data = edited(exported(bench, own.operator, [own.id]), edit)
    result = plan(bench, own.operator, data)
    assert located(result) == [("Penilaian", found["row"], LETTER["indicator"])]
    assert "I02" in result.problems[0].reason("en")
    assert [r.code for r in result.rows if r.touched] == ["I01"]


def test_an_unchanged_row_of_an_indicator_not_theirs_is_no_problem(bench):
    own = _delegated(bench)
    result = plan(bench, own.operator, exported(bench, own.operator, [own.id]))
    assert result.problems == []


def test_the_coordinator_imports_every_indicator(bench):
    own = _delegated(bench)

    def edit(ws):
        ws[f"{LETTER['self_level']}{_row_of(ws, 'I02')}"] = 4

    result = plan(bench, own.coordinator, edited(exported(bench, own.coordinator, [own.id]), edit))
    assert result.problems == []
    assert [r.code for r in result.rows if r.touched] == ["I02"]
