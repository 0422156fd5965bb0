"""Quick fuzzing profile for CI: generated files of every kind (tests/fuzz_strategies.py) through the dry
run and apply, on SQLite and PostgreSQL: no unhandled exception, no partial write. The long profile is
`python -m tests.fuzz_imports --cases 1000` (each kind in a child process, aborts counted)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from evaluation.db import make_engine
from tests.conftest import BACKENDS, fresh_database_url
from tests.fuzz_imports import ACTOR_ROLES, Tally, fuzz_world, run_case
from tests.fuzz_strategies import upload

pytestmark = pytest.mark.db


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_db(request, tmp_path_factory):
    url, drop = fresh_database_url(request.param, tmp_path_factory.mktemp("fuzz"))
    engine = make_engine(url)
    actors = fuzz_world(engine)
    yield engine, actors
    engine.dispose()
    drop()


@pytest.mark.parametrize("kind", list(ACTOR_ROLES))
def test_generated_files_of_each_kind_end_as_a_plan_or_a_refusal_with_nothing_half_written(fuzz_db, kind):
    engine, actors = fuzz_db
    tally = Tally(kind)
    roles = ACTOR_ROLES[kind]

    @settings(
        max_examples=8,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(upload(kind))
    def case(generated: tuple[str, bytes]) -> None:
        filename, data = generated
        outcome = run_case(engine, actors[roles[tally.cases % len(roles)]], filename, data, tally)
        assert outcome not in ("unhandled", "partial write"), tally.unhandled[-1:] or outcome

    case()
    assert tally.cases >= 8 and not tally.unhandled and not tally.partial_writes
