"""Index history, crosswalks and self-vs-final gaps on a real database, in small worlds built row by row
with hand-computed expectations (every indicator at one level scores exactly that level)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from evaluation.db import read_session, write_session
from evaluation.models import (
    Agency,
    Assessment,
    AuditEntry,
    Crosswalk,
    FrameworkVersion,
    IndicatorScore,
    Period,
    PublishedResult,
)
from evaluation.services import audit
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.frameworks import framework_of, latest_version
from evaluation.services.gaps import GAP_COLUMNS, gaps_by_agency, gaps_by_indicator, indicator_gaps
from evaluation.services.results import national_trend, period_results
from evaluation.services.trends import (
    HISTORY_COLUMNS,
    CrosswalkError,
    active_crosswalks,
    define_crosswalk,
    index_history,
    mean_lines,
    with_crosswalks,
    withdraw_crosswalk,
)
from tests.conftest import BACKENDS, Built

pytestmark = pytest.mark.db

ADMIN = Actor(user_id=None, username="admin", role="admin")
REVIEWER = Actor(user_id=None, username="asesor", role="reviewer")


# --- building worlds ---------------------------------------------------------------------------------


def add_agency(session, code: str, category: str, province: str | None) -> int:
    agency = Agency(code=code, name=f"Instansi {code}", category=category, province=province)
    session.add(agency)
    session.flush()
    return agency.id or 0


def add_period(session, year: int, framework_id: str, status: str = "closed") -> int:
    version = latest_version(session, framework_id)
    assert version is not None
    kind = {"spbe-2020": "evaluasi", "pemdi-2026": "pemdi"}.get(framework_id, "evaluasi")
    period = Period(year=year, framework_version_id=version.id, evaluation_type=kind, status=status)
    session.add(period)
    session.flush()
    return period.id or 0


def indicator_codes(session, framework_id: str) -> list[str]:
    version = latest_version(session, framework_id)
    assert version is not None
    return [i.code for i in framework_of(version).indicators]


def add_assessment(
    session,
    agency_id: int,
    period_id: int,
    *,
    status: str = "final",
    self_level: float | None,
    final_level: float | None,
    overrides: dict[str, tuple[float | None, float | None]] | None = None,
    not_applicable: tuple[str, ...] = (),
) -> int:
    """Every indicator at (self_level, final_level) but for `overrides` (code -> (self, final))."""
    period = session.get(Period, period_id)
    assessment = Assessment(
        agency_id=agency_id,
        period_id=period_id,
        framework_version_id=period.framework_version_id,
        status=status,
    )
    session.add(assessment)
    session.flush()
    version = session.get(FrameworkVersion, period.framework_version_id)
    for indicator in framework_of(version).indicators:
        own, final = (overrides or {}).get(indicator.code, (self_level, final_level))
        session.add(
            IndicatorScore(
                assessment_id=assessment.id,
                indicator_code=indicator.code,
                self_level=own,
                final_level=final,
                not_applicable=indicator.code in not_applicable,
            )
        )
    return assessment.id or 0


def publish(session, agency_id: int, year: int, value: float) -> None:
    """A published SPBE result with all four domains at `value` (so its index is `value`)."""
    version = latest_version(session, "spbe-2020")
    session.add(
        PublishedResult(
            agency_id=agency_id,
            year=year,
            framework_version_id=version.id,
            group_kind="domain",
            group_values={"D1": value, "D2": value, "D3": value, "D4": value},
            source="uji",
        )
    )


def count(engine: Engine, model) -> int:
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


@dataclass
class History:
    engine: Engine
    a: int  # Kota, Jawa Tengah
    b: int  # Kabupaten, Jawa Tengah
    c: int  # Provinsi Jawa Tengah: only a submitted (not final) 2024 assessment


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, built: Built, tmp_path: Path) -> Iterator[History]:
    """2023: published only (A 2.0, B 3.0). 2024 (SPBE period): A final 3, B final 4, C submitted; A also
    published 1.0. 2026 (Pemdi period): A final 2. Built once per backend, copied for each test."""
    engine, drop, ids = built.copy(request.param, "trends-history", _build_history, tmp_path)
    yield History(engine, *ids)  # type: ignore[misc]
    engine.dispose()
    drop()


def _build_history(engine: Engine) -> tuple[int, int, int]:
    with write_session(engine) as session:
        a = add_agency(session, "KOTA-001", "Kota", "Jawa Tengah")
        b = add_agency(session, "KAB-001", "Kabupaten", "Jawa Tengah")
        c = add_agency(session, "PROV-001", "Provinsi", "Jawa Tengah")
        spbe = add_period(session, 2024, "spbe-2020")
        pemdi = add_period(session, 2026, "pemdi-2026", status="open")
        add_assessment(session, a, spbe, self_level=4, final_level=3)
        add_assessment(session, b, spbe, self_level=3, final_level=4)
        add_assessment(session, c, spbe, status="submitted", self_level=5, final_level=5)
        add_assessment(session, a, pemdi, self_level=2, final_level=2)
        publish(session, a, 2023, 2.0)
        publish(session, b, 2023, 3.0)
        publish(session, a, 2024, 1.0)
    return a, b, c


def history_of(engine: Engine, actor: Actor = REVIEWER) -> pd.DataFrame:
    with read_session(engine) as session:
        return index_history(session, actor=actor)


# --- index history -----------------------------------------------------------------------------------


def test_the_history_has_one_row_per_agency_and_year_assessed_or_published(world):
    frame = history_of(world.engine)
    assert list(frame.columns) == HISTORY_COLUMNS
    rows = [
        (r.agency_id, r.year, r.framework_id, round(r.index, 9), r.source, r.category)
        for r in frame.itertuples(index=False)
    ]
    assert rows == [
        (world.a, 2023, "spbe-2020", 2.0, "published", "Kota"),
        (world.b, 2023, "spbe-2020", 3.0, "published", "Kabupaten"),
        (world.a, 2024, "spbe-2020", 3.0, "final", "Kota"),
        (world.b, 2024, "spbe-2020", 4.0, "final", "Kabupaten"),
        (world.a, 2026, "pemdi-2026", 2.0, "final", "Kota"),
    ]
    assert set(frame["province"]) == {"Jawa Tengah"}
    assert set(frame["name"]) == {"Instansi KOTA-001", "Instansi KAB-001"}


def test_an_agency_assessed_and_published_in_the_same_year_counts_once_as_final(world):
    frame = history_of(world.engine)
    mine = frame[(frame["agency_id"] == world.a) & (frame["year"] == 2024)]
    assert list(mine["source"]) == ["final"]
    assert list(mine["index"]) == pytest.approx([3.0])  # not the published 1.0


def test_an_assessment_that_is_not_final_is_not_in_the_history(world):
    assert world.c not in set(history_of(world.engine)["agency_id"])


def test_the_national_and_category_lines_of_the_history(world):
    frame = history_of(world.engine)
    national = mean_lines(frame, label="Nasional")
    assert [
        (r.year, r.framework_id, round(r.index, 9), r.agencies, r.source) for r in national.itertuples()
    ] == [
        (2023, "spbe-2020", 2.5, 2, "published"),
        (2024, "spbe-2020", 3.5, 2, "final"),
        (2026, "pemdi-2026", 2.0, 1, "final"),
    ]
    by_category = mean_lines(frame, by="category")
    assert [(r.series, r.year, round(r.index, 9)) for r in by_category.itertuples()] == [
        ("Kabupaten", 2023, 3.0),
        ("Kabupaten", 2024, 4.0),
        ("Kota", 2023, 2.0),
        ("Kota", 2024, 3.0),
        ("Kota", 2026, 2.0),
    ]


def test_the_national_line_agrees_with_the_national_trend(world):
    frame = history_of(world.engine)
    national = mean_lines(frame, label="N")
    with read_session(world.engine) as session:
        points = national_trend(session)
    assert [(p.year, p.framework_id, p.agencies, p.source) for p in points] == [
        (r.year, r.framework_id, r.agencies, r.source) for r in national.itertuples()
    ]
    assert [p.index for p in points] == pytest.approx(list(national["index"]))


def test_a_published_result_in_a_year_a_period_covers_stays_out_of_the_history(world):
    with write_session(world.engine) as session:
        publish(session, world.c, 2024, 1.0)  # C's 2024 assessment is only submitted
    frame = history_of(world.engine)
    assert sorted(frame[frame["year"] == 2024]["agency_id"]) == sorted([world.a, world.b])
    with read_session(world.engine) as session:
        point = next(p for p in national_trend(session) if p.year == 2024)
    national = mean_lines(frame, label="N")
    assert national[national["year"] == 2024]["index"].iloc[0] == pytest.approx(point.index)


def test_an_empty_database_has_an_empty_history_with_its_columns(engine):
    frame = history_of(engine)
    assert frame.empty
    assert list(frame.columns) == HISTORY_COLUMNS


@pytest.mark.parametrize("role", ["operator", "coordinator"])
def test_agency_roles_may_not_read_the_history(world, role):
    with read_session(world.engine) as session, pytest.raises(PermissionDenied):
        index_history(session, actor=Actor(user_id=None, username="x", role=role, agency_id=world.a))


def test_an_admin_may_read_the_history(world):
    assert len(history_of(world.engine, ADMIN)) == 5


# --- crosswalks --------------------------------------------------------------------------------------


def define(engine: Engine, actor: Actor = ADMIN, **fields) -> int:
    values = {
        "from_framework_id": "spbe-2020",
        "to_framework_id": "pemdi-2026",
        "factor": 1.5,
        "offset": -1.0,
        "basis": "  Kajian konversi 2026  ",
        **fields,
    }
    with write_session(engine) as session:
        return define_crosswalk(session, actor=actor, **values)


def crosswalk_rows(engine: Engine) -> list[tuple]:
    with read_session(engine) as session:
        rows = session.exec(select(Crosswalk).order_by(Crosswalk.id))  # type: ignore[arg-type]
        return [
            (c.id, c.from_framework_id, c.to_framework_id, c.factor, c.offset, c.basis, c.active)
            for c in rows
        ]


def crosswalk_audit(engine: Engine, crosswalk_id: int) -> list[AuditEntry]:
    with read_session(engine) as session:
        return audit.history(session, entity="crosswalk", entity_id=crosswalk_id)


def test_an_admin_defines_a_crosswalk_that_is_then_active_and_audited(engine):
    crosswalk_id = define(engine)
    with read_session(engine) as session:
        [active] = active_crosswalks(session)
    assert (active.id, active.from_framework_id, active.to_framework_id) == (
        crosswalk_id,
        "spbe-2020",
        "pemdi-2026",
    )
    assert (active.factor, active.offset, active.basis) == (1.5, -1.0, "Kajian konversi 2026")
    [entry] = crosswalk_audit(engine, crosswalk_id)
    assert (entry.action, entry.actor, entry.field) == ("create", "admin", None)
    assert '"basis": "Kajian konversi 2026"' in entry.new_value
    assert '"factor": 1.5' in entry.new_value and '"from": "spbe-2020"' in entry.new_value


def test_mapped_values_are_offset_plus_factor_times_the_value_kept_on_the_scale(world):
    define(world.engine, factor=1.5, offset=-1.0)
    define(world.engine, from_framework_id="pemdi-2026", to_framework_id="spbe-2020", factor=3.0, offset=0.0)
    with read_session(world.engine) as session:
        crosswalks = active_crosswalks(session)
    lines = with_crosswalks(mean_lines(history_of(world.engine), label="N"), crosswalks)
    mapped = lines[lines["mapped"]]
    # spbe 2023: -1 + 1.5 x 2.5 = 2.75; 2024: -1 + 1.5 x 3.5 = 4.25; pemdi 2026: 3 x 2.0 = 6 -> 5
    assert [(r.year, r.framework_id) for r in mapped.itertuples()] == [
        (2023, "pemdi-2026"),
        (2024, "pemdi-2026"),
        (2026, "spbe-2020"),
    ]
    assert list(mapped["index"]) == pytest.approx([2.75, 4.25, 5.0])
    assert list(lines[~lines["mapped"]]["index"]) == pytest.approx([2.5, 3.5, 2.0])


def test_defining_a_second_crosswalk_for_the_same_pair_withdraws_the_first(engine):
    first = define(engine)
    other_pair = define(engine, from_framework_id="pemdi-2026", to_framework_id="spbe-2020")
    second = define(engine, factor=0.9, offset=0.4, basis="Keputusan baru")
    rows = {row[0]: row for row in crosswalk_rows(engine)}
    assert rows[first][-1] is False
    assert rows[second][-1] is True and rows[second][3:6] == (0.9, 0.4, "Keputusan baru")
    assert rows[other_pair][-1] is True
    with read_session(engine) as session:
        assert sorted(c.id for c in active_crosswalks(session)) == sorted([other_pair, second])
    [created, withdrawn] = crosswalk_audit(engine, first)
    assert (created.action, withdrawn.action) == ("create", "withdraw")
    assert (withdrawn.field, withdrawn.old_value, withdrawn.new_value) == ("active", "true", "false")
    [replacement] = crosswalk_audit(engine, second)
    assert replacement.change_set == withdrawn.change_set  # one change: the replacement
    assert len(crosswalk_audit(engine, other_pair)) == 1


@pytest.mark.parametrize(
    ("fields", "indonesian", "english"),
    [
        (
            {"from_framework_id": "spbe-1999"},
            "kerangka 'spbe-1999' tidak dikenal",
            "framework 'spbe-1999' is unknown",
        ),
        (
            {"to_framework_id": "tidak-ada"},
            "kerangka 'tidak-ada' tidak dikenal",
            "framework 'tidak-ada' is unknown",
        ),
        (
            {"to_framework_id": "spbe-2020"},
            "kerangka asal dan tujuan sama",
            "the source and target framework are",
        ),
        ({"factor": 0.0}, "faktor harus bilangan positif", "the factor must be a positive number"),
        ({"factor": -1.2}, "faktor harus bilangan positif", "the factor must be a positive number"),
        ({"factor": math.nan}, "faktor harus bilangan positif", "the factor must be a positive number"),
        ({"factor": math.inf}, "faktor harus bilangan positif", "the factor must be a positive number"),
        ({"offset": math.inf}, "konstanta harus bilangan terhingga", "the offset must be a finite number"),
        ({"basis": ""}, "dasar konversi wajib diisi", "the basis of the conversion is required"),
        ({"basis": "  \n "}, "dasar konversi wajib diisi", "the basis of the conversion is required"),
    ],
)
def test_a_refused_crosswalk_says_why_in_both_languages_and_changes_nothing(
    engine, fields, indonesian, english
):
    kept = define(engine)
    before = (crosswalk_rows(engine), count(engine, AuditEntry))
    with pytest.raises(CrosswalkError) as raised:
        define(engine, **fields)
    message = str(raised.value)
    assert message.startswith("Konversi ditolak: ")
    first, second = message.split(" / ")
    assert indonesian in first and english in second
    assert second.startswith("Crosswalk refused: ")
    assert (crosswalk_rows(engine), count(engine, AuditEntry)) == before
    with read_session(engine) as session:
        assert [c.id for c in active_crosswalks(session)] == [kept]


def test_every_problem_of_a_refused_crosswalk_is_listed(engine):
    with pytest.raises(CrosswalkError) as raised:
        define(engine, to_framework_id="spbe-2020", factor=0.0, basis=" ")
    message = str(raised.value)
    for part in ("asal dan tujuan sama", "faktor harus", "dasar konversi", "same", "factor must", "basis"):
        assert part in message
    assert crosswalk_rows(engine) == []


@pytest.mark.parametrize("role", ["reviewer", "operator", "coordinator"])
def test_only_an_admin_may_define_or_withdraw_a_crosswalk(engine, role):
    kept = define(engine)
    before = (crosswalk_rows(engine), count(engine, AuditEntry))
    someone = Actor(user_id=None, username="x", role=role, agency_id=None)
    with pytest.raises(PermissionDenied):
        define(engine, someone, from_framework_id="pemdi-2026", to_framework_id="spbe-2020")
    with write_session(engine) as session, pytest.raises(PermissionDenied):
        withdraw_crosswalk(session, actor=someone, crosswalk_id=kept)
    assert (crosswalk_rows(engine), count(engine, AuditEntry)) == before


def test_withdrawing_a_crosswalk_makes_the_change_a_break_again(world):
    crosswalk_id = define(world.engine)
    with write_session(world.engine) as session:
        withdraw_crosswalk(session, actor=ADMIN, crosswalk_id=crosswalk_id)
    with read_session(world.engine) as session:
        assert active_crosswalks(session) == []
    [row] = crosswalk_rows(world.engine)
    assert row[-1] is False
    lines = mean_lines(history_of(world.engine), label="N")
    assert with_crosswalks(lines, []) is lines
    [_, withdrawn] = crosswalk_audit(world.engine, crosswalk_id)
    assert (withdrawn.action, withdrawn.field, withdrawn.actor) == ("withdraw", "active", "admin")


@pytest.mark.parametrize("twice", [True, False])
def test_withdrawing_a_withdrawn_or_unknown_crosswalk_is_refused(engine, twice):
    crosswalk_id = define(engine)
    target = crosswalk_id if twice else crosswalk_id + 100
    if twice:
        with write_session(engine) as session:
            withdraw_crosswalk(session, actor=ADMIN, crosswalk_id=crosswalk_id)
    before = count(engine, AuditEntry)
    with (
        write_session(engine) as session,
        pytest.raises(CrosswalkError, match=f"Konversi {target} tidak ada"),
    ):
        withdraw_crosswalk(session, actor=ADMIN, crosswalk_id=target)
    assert count(engine, AuditEntry) == before


# --- self against final ------------------------------------------------------------------------------


@dataclass
class Gaps:
    engine: Engine
    period: int
    a: int  # Kota Jawa Tengah: self 4, final 3 everywhere; V10.2 not applicable (self 5, final 1)
    b: int  # Kabupaten Jawa Tengah: self 3, final 4; V01.1 self 5
    c: int  # Provinsi Bali: submitted only (self 5, final 1)
    d: int  # Kementerian: self 2, final 2; V01.1 without a self-assessed level
    other_period: int


@pytest.fixture(params=BACKENDS)
def gap_world(request: pytest.FixtureRequest, built: Built, tmp_path: Path) -> Iterator[Gaps]:
    """A period on the project's own framework (the one that allows 'not applicable'), 22 indicators."""
    engine, drop, ids = built.copy(request.param, "trends-gaps", _build_gaps, tmp_path)
    yield Gaps(engine, *ids)  # type: ignore[misc]
    engine.dispose()
    drop()


def _build_gaps(engine: Engine) -> tuple[int, ...]:
    with write_session(engine) as session:
        a = add_agency(session, "KOTA-001", "Kota", "Jawa Tengah")
        b = add_agency(session, "KAB-001", "Kabupaten", "Jawa Tengah")
        c = add_agency(session, "PROV-001", "Provinsi", "Bali")
        d = add_agency(session, "KEM-001", "Kementerian", None)
        period = add_period(session, 2026, "vision-to-evaluation")
        other = add_period(session, 2024, "spbe-2020")
        add_assessment(
            session,
            a,
            period,
            self_level=4,
            final_level=3,
            overrides={"V10.2": (5, 1)},
            not_applicable=("V10.2",),
        )
        add_assessment(session, b, period, self_level=3, final_level=4, overrides={"V01.1": (5, 4)})
        add_assessment(session, c, period, status="submitted", self_level=5, final_level=1)
        add_assessment(session, d, period, self_level=2, final_level=2, overrides={"V01.1": (None, 2)})
        add_assessment(session, b, other, self_level=5, final_level=1)  # another period: never mixed in
    return period, a, b, c, d, other


def gaps_of(world: Gaps, actor: Actor = REVIEWER, agency_id: int | None = None) -> pd.DataFrame:
    with read_session(world.engine) as session:
        return indicator_gaps(session, actor=actor, period_id=world.period, agency_id=agency_id)


def test_the_gap_is_self_minus_final_for_finalized_assessments_only(gap_world):
    gaps = gaps_of(gap_world)
    assert list(gaps.columns) == GAP_COLUMNS
    counts = gaps.groupby("agency_id").size().to_dict()
    # A: 22 less the one not applicable; B: all 22; C: not final; D: 22 less the one without a self level
    assert counts == {gap_world.a: 21, gap_world.b: 22, gap_world.d: 21}
    assert set(gaps[gaps["agency_id"] == gap_world.a]["gap"]) == {1.0}
    mine = gaps[gaps["agency_id"] == gap_world.b].set_index("indicator")["gap"]
    assert mine["V01.1"] == 1.0 and set(mine.drop("V01.1")) == {-1.0}
    assert set(gaps[gaps["agency_id"] == gap_world.d]["gap"]) == {0.0}
    assert (gaps["gap"] == gaps["self"] - gaps["final"]).all()


def test_not_applicable_indicators_and_missing_levels_are_left_out(gap_world):
    gaps = gaps_of(gap_world)
    assert "V10.2" not in set(gaps[gaps["agency_id"] == gap_world.a]["indicator"])
    assert "V01.1" not in set(gaps[gaps["agency_id"] == gap_world.d]["indicator"])
    assert gap_world.c not in set(gaps["agency_id"])


def test_the_gap_rows_describe_the_agency(gap_world):
    gaps = gaps_of(gap_world)
    row = gaps[gaps["agency_id"] == gap_world.b].iloc[0]
    assert (row["code"], row["name"], row["category"], row["province"]) == (
        "KAB-001",
        "Instansi KAB-001",
        "Kabupaten",
        "Jawa Tengah",
    )


def test_gaps_per_indicator(gap_world):
    gaps = gaps_of(gap_world)
    with read_session(gap_world.engine) as session:
        names = {code: f"Indikator {code}" for code in indicator_codes(session, "vision-to-evaluation")}
    table = gaps_by_indicator(gaps, names).set_index("indicator")
    assert list(table.index) == list(names)  # in the framework's order
    # V01.1: A +1, B +1 (D has no self level); V01.2: A +1, B -1, D 0; V10.2: B -1, D 0 (A not applicable)
    assert table.loc["V01.1", ["mean_gap", "over_share", "agencies"]].tolist() == [1.0, 1.0, 2]
    assert table.loc["V01.2", "mean_gap"] == pytest.approx(0.0)
    assert table.loc["V01.2", "over_share"] == pytest.approx(1 / 3)
    assert table.loc["V01.2", "agencies"] == 3
    assert table.loc["V10.2", ["mean_gap", "over_share", "agencies"]].tolist() == [-0.5, 0.0, 2]
    assert table.loc["V01.1", "indicator_name"] == "Indikator V01.1"


def test_gaps_per_indicator_of_nothing_are_empty():
    empty = pd.DataFrame(columns=GAP_COLUMNS)
    assert gaps_by_indicator(empty, {"I01": "x"}).empty


def test_gaps_per_agency_score_self_and_final_levels_like_the_results(gap_world):
    gaps = gaps_of(gap_world)
    with read_session(gap_world.engine) as session:
        table = gaps_by_agency(session, gap_world.period, actor=REVIEWER)
        own = {
            r.agency_id: r.result.index_value
            for r in period_results(session, gap_world.period, levels="self")
        }
        final = {r.agency_id: r.result.index_value for r in period_results(session, gap_world.period)}
    rows = table.set_index("agency_id")
    assert list(table["agency_id"]) == [gap_world.a, gap_world.b, gap_world.d]  # largest index gap first
    for agency_id in (gap_world.a, gap_world.b):
        assert rows.loc[agency_id, "self_index"] == pytest.approx(own[agency_id])
        assert rows.loc[agency_id, "final_index"] == pytest.approx(final[agency_id])
    # A: every applicable indicator self 4 / final 3
    assert rows.loc[gap_world.a, ["self_index", "final_index", "index_gap"]].tolist() == pytest.approx(
        [4.0, 3.0, 1.0]
    )
    assert rows.loc[gap_world.a, ["over", "under"]].tolist() == [21, 0]
    assert rows.loc[gap_world.a, "mean_gap"] == pytest.approx(1.0)
    assert rows.loc[gap_world.b, "final_index"] == pytest.approx(4.0)
    assert 3.0 < rows.loc[gap_world.b, "self_index"] < 4.0  # one indicator of 22 at 5, the rest at 3
    assert rows.loc[gap_world.b, ["over", "under"]].tolist() == [1, 21]
    assert rows.loc[gap_world.b, "mean_gap"] == pytest.approx((1 - 21) / 22)
    # D's self-assessment lacks a level: no self index, so no index gap (listed last)
    assert own[gap_world.d] is None and pd.isna(rows.loc[gap_world.d, "self_index"])
    assert pd.isna(rows.loc[gap_world.d, "index_gap"])
    assert rows.loc[gap_world.d, "final_index"] == pytest.approx(2.0)
    # the totals summed in the database are what the rows of every indicator score give
    counted = gaps.assign(over=gaps["gap"] > 0, under=gaps["gap"] < 0).groupby("agency_id")
    expected = counted.agg(over=("over", "sum"), under=("under", "sum"), mean_gap=("gap", "mean"))
    assert rows[["over", "under"]].sort_index().values.tolist() == expected[["over", "under"]].values.tolist()
    assert rows["mean_gap"].sort_index().tolist() == pytest.approx(expected["mean_gap"].tolist())


def test_gaps_per_agency_of_a_period_without_assessments_are_empty(gap_world):
    with write_session(gap_world.engine) as session:
        empty = add_period(session, 2027, "pemdi-2026", status="open")
    with read_session(gap_world.engine) as session:
        assert gaps_by_agency(session, empty, actor=REVIEWER).empty


def test_the_ministry_may_narrow_the_gaps_to_one_agency(gap_world):
    gaps = gaps_of(gap_world, ADMIN, agency_id=gap_world.b)
    assert set(gaps["agency_id"]) == {gap_world.b}
    assert len(gaps) == 22


@pytest.mark.parametrize("role", ["operator", "coordinator"])
def test_agency_roles_see_only_their_own_agency(gap_world, role):
    actor = Actor(user_id=None, username="x", role=role, agency_id=gap_world.a)
    assert set(gaps_of(gap_world, actor)["agency_id"]) == {gap_world.a}
    assert set(gaps_of(gap_world, actor, agency_id=gap_world.a)["agency_id"]) == {gap_world.a}
    with pytest.raises(PermissionDenied):
        gaps_of(gap_world, actor, agency_id=gap_world.b)


def test_an_agency_role_without_an_agency_sees_nothing(gap_world):
    with pytest.raises(PermissionDenied):
        gaps_of(gap_world, Actor(user_id=None, username="x", role="operator", agency_id=None))


def test_another_role_may_not_read_the_gaps(gap_world):
    with pytest.raises(PermissionDenied):
        gaps_of(gap_world, Actor(user_id=None, username="x", role="guest"))


def test_a_period_without_finalized_assessments_has_no_gaps(engine):
    with write_session(engine) as session:
        a = add_agency(session, "KOTA-001", "Kota", "Jawa Tengah")
        period = add_period(session, 2026, "pemdi-2026", status="open")
        add_assessment(session, a, period, status="in_review", self_level=4, final_level=3)
    with read_session(engine) as session:
        gaps = indicator_gaps(session, actor=REVIEWER, period_id=period)
        assert gaps.empty and list(gaps.columns) == GAP_COLUMNS
        assert gaps_by_agency(session, period, actor=REVIEWER).empty


def test_the_gap_by_year_takes_every_finalized_period_with_its_framework(gap_world):
    from evaluation.services.gaps import gap_by_year

    with read_session(gap_world.engine) as session:
        frame = gap_by_year(session, actor=REVIEWER)
    assert list(frame["year"]) == [2024, 2026]
    assert list(frame["framework_id"]) == ["spbe-2020", "vision-to-evaluation"]
    # 2024: B alone, 47 indicators self 5 / final 1
    assert (frame.loc[0, "mean_gap"], frame.loc[0, "over_share"], frame.loc[0, "scores"]) == (4.0, 1.0, 47)
    # 2026: A 21 x (+1), B 1 x (+1) and 21 x (-1), D 21 x 0; C is not final
    assert frame.loc[1, "scores"] == 64
    assert frame.loc[1, "mean_gap"] == pytest.approx(1 / 64)
    assert frame.loc[1, "over_share"] == pytest.approx(22 / 64)


@pytest.mark.parametrize("role", ["operator", "coordinator"])
def test_agency_roles_do_not_get_the_national_gap_by_year(gap_world, role):
    from evaluation.services.gaps import gap_by_year

    with read_session(gap_world.engine) as session, pytest.raises(PermissionDenied):
        gap_by_year(session, actor=Actor(None, role, role, gap_world.a))


@pytest.mark.parametrize("role", ["operator", "coordinator"])
def test_agency_roles_may_not_score_a_whole_period_through_gaps_by_agency(gap_world, role):
    with read_session(gap_world.engine) as session, pytest.raises(PermissionDenied):
        gaps_by_agency(session, gap_world.period, actor=Actor(None, role, role, gap_world.a))


def test_the_excel_index_sheet_leaves_not_applicable_indicators_out_as_the_app_does(gap_world):
    import io

    import openpyxl

    from evaluation.services.bulk.assessment_sheet import INDEX_SHEET, period_workbook

    with read_session(gap_world.engine) as session:
        data = period_workbook(session, actor=REVIEWER, period_id=gap_world.period, template=False)
        expected = {r.agency_code: r.result.index_value for r in period_results(session, gap_world.period)}
    rows = [
        [c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(data))[INDEX_SHEET].iter_rows()
    ]
    finals = {r[0]: r[4] for r in rows[1:] if r[3] == "final"}
    # KOTA-001 has V10.2 not applicable (self 5, final 1 stored): its index is 3, not pulled down by the 1
    assert finals["KOTA-001"] == pytest.approx(3.0)
    assert {code: finals[code] for code in expected} == pytest.approx(expected)
