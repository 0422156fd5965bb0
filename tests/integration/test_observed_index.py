"""Issue 17: an agency's observed series read from a cache shared by many agencies (the off-track check's)
equals the series read alone, for the index and for a group, on both databases."""

from __future__ import annotations

import pytest

from evaluation.db import read_session
from evaluation.services.results import list_periods, period_results
from evaluation.services.roadmap import series


@pytest.mark.parametrize(("kind", "code"), [("index", None), ("group", "D2")])
def test_a_shared_cache_gives_each_agency_its_own_series(demo_engine, kind, code):
    with read_session(demo_engine) as session:
        period = next(
            p for p in list_periods(session) if p.framework_id == "spbe-2020" and not p.is_programme
        )
        agencies = sorted({r.agency_id for r in period_results(session, period.id)})[:6]
        assert len(agencies) >= 3
        shared: dict = {}
        together = {
            a: series(session, agency_id=a, framework_id="spbe-2020", kind=kind, code=code, cache=shared)
            for a in agencies
        }
        alone = {
            a: series(session, agency_id=a, framework_id="spbe-2020", kind=kind, code=code) for a in agencies
        }
        read = {"framework_id": "spbe-2020", "kind": kind, "code": code}
        national = series(session, agency_id=None, cache=shared, **read)  # type: ignore[arg-type]
        national_alone = series(session, agency_id=None, **read)  # type: ignore[arg-type]
    assert together == alone
    assert any(together.values())
    assert len({tuple(v.items()) for v in together.values()}) > 1  # agencies differ: no mixing
    assert national == national_alone


def test_shares_per_category_read_through_one_shared_cache_equal_each_share_read_alone(demo_engine):
    from evaluation.services.dashboard import CATEGORY_ORDER

    read = {"agency_id": None, "framework_id": "spbe-2020", "kind": "share", "predicate": "Baik"}
    with read_session(demo_engine) as session:
        shared: dict = {}
        national_first = series(session, cache=shared, **read)  # type: ignore[arg-type]
        together = {c: series(session, category=c, cache=shared, **read) for c in CATEGORY_ORDER}  # type: ignore[arg-type]
        again = {c: series(session, category=c, cache=shared, **read) for c in CATEGORY_ORDER}  # type: ignore[arg-type]
        alone = {c: series(session, category=c, **read) for c in CATEGORY_ORDER}  # type: ignore[arg-type]
        results = period_results(session, next(p.id for p in list_periods(session) if p.year == 2024))
    assert together == alone == again
    assert national_first == {}  # no agency has the category None
    assert len({tuple(v.items()) for v in together.values() if v}) > 1  # categories differ: no mixing
    for category, by_year in together.items():  # one year counted by hand
        members = [r.result.predicate for r in results if r.category == category and r.result.predicate]
        if members:
            good = sum(1 for band in members if band.name in ("Baik", "Sangat Baik", "Memuaskan"))
            assert by_year[2024] == pytest.approx(good / len(members))


def test_agency_names_are_read_for_many_ids_at_once_and_unknown_ids_show_a_question_mark(demo_engine):
    from sqlmodel import select

    from evaluation.models import Agency
    from evaluation.services.roadmap import agency_names

    with read_session(demo_engine) as session:
        stored = dict(session.exec(select(Agency.id, Agency.name)).all())
        asked = [*range(1_200, 0, -1), *list(stored)[:3]]  # three chunks of the IN list, repeats
        names = agency_names(session, asked)
    assert list(names) == sorted(set(asked))
    assert names == {i: stored.get(i, "?") for i in range(1, 1_201)}
    assert 0 < len(stored) < 1_200 and "?" in names.values()
