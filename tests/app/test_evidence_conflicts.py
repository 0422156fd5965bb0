"""An evidence change refused because the indicator's score changed since the form read it (issue 10), in
AppTest: the change is kept (who changed the score, when) and offered again; a change on another indicator
is not refused."""

from __future__ import annotations

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from evaluation.db import read_session
from evaluation.models import Evidence, IndicatorScore, ScoreEvidence
from tests.app.signed_in import FreshAgency, fresh_agency, opened, save, scores_of, shown, signed_in_page

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


@pytest.fixture
def agency(demo_engine) -> FreshAgency:
    return fresh_agency(demo_engine)


def links_of(engine, assessment_id: int, code: str) -> list[str]:
    with read_session(engine) as session:
        rows = session.exec(
            select(Evidence.url)
            .join(ScoreEvidence, ScoreEvidence.evidence_id == Evidence.id)  # type: ignore[arg-type]
            .join(IndicatorScore, IndicatorScore.id == ScoreEvidence.score_id)  # type: ignore[arg-type]
            .where(IndicatorScore.assessment_id == assessment_id, IndicatorScore.indicator_code == code)
        )
        return sorted(url or "" for url in rows)


def add_link(at: AppTest, code: str, url: str) -> AppTest:
    at.text_input(key=f"link_{code}").input(url)
    return at.button(key=f"link_add_{code}").click().run()


@pytest.fixture
def refused(demo_engine, agency) -> tuple[AppTest, int]:
    """The coordinator's form on I01; the operator saves I01 behind its back; the coordinator then adds a
    link to I01, which is refused."""
    assessment_id = opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    save(demo_engine, agency.operator, assessment_id, {"I01": {"level": 4}})
    add_link(at, "I01", "https://contoh.go.id/sk-tim")
    assert not at.exception
    return at, assessment_id


def test_a_refused_link_is_kept_with_who_changed_the_score_and_nothing_is_saved(refused, demo_engine, agency):
    at, assessment_id = refused
    [warning] = [shown(w.value) for w in at.warning]
    assert warning.startswith(f"I01 baru saja diubah oleh operator {agency.code[4:].lower()} pada ")
    assert "(tambah tautan: https://contoh.go.id/sk-tim)" in warning
    assert links_of(demo_engine, assessment_id, "I01") == []
    assert at.radio(key="f_level_I01").value == 4  # the form shows the newer score
    assert [b.label for b in at.button if b.key in ("ev_retry_I01", "ev_drop_I01")] == [
        "Coba lagi",
        "Batalkan perubahan ini",
    ]


def test_try_again_attaches_the_kept_link_on_the_newer_version(refused, demo_engine):
    at, assessment_id = refused
    version = scores_of(demo_engine, assessment_id)["I01"].version
    at.button(key="ev_retry_I01").click().run()
    assert not at.exception and not at.warning
    assert links_of(demo_engine, assessment_id, "I01") == ["https://contoh.go.id/sk-tim"]
    row = scores_of(demo_engine, assessment_id)["I01"]
    assert (row.self_level, row.version) == (4, version + 1)  # the operator's level is kept


def test_dropping_the_refused_change_saves_nothing_and_clears_the_warning(refused, demo_engine):
    at, assessment_id = refused
    at.button(key="ev_drop_I01").click().run()
    assert not at.exception and not at.warning
    assert links_of(demo_engine, assessment_id, "I01") == []


def test_a_link_while_a_colleague_saved_another_indicator_is_not_refused(demo_engine, agency):
    assessment_id = opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.coordinator, "assessment.py")
    save(demo_engine, agency.operator, assessment_id, {"I02": {"level": 4}})
    add_link(at, "I01", "https://contoh.go.id/sop")
    assert not at.exception and not at.warning
    assert links_of(demo_engine, assessment_id, "I01") == ["https://contoh.go.id/sop"]
