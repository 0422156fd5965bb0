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
