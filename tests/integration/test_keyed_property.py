"""Property: for every keyed sheet (activities, targets, agencies, published results), whatever rows a file
holds, valid or not, the preview and the apply agree. A plan without problems applies on the unchanged
database and stores exactly the plan (planning the same file again finds nothing to change); a plan with
problems is refused by the apply with the same problems, and nothing changes.

The database is built once for the module; each example runs inside a transaction that is rolled back.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from evaluation.db import write_session
from evaluation.models import Agency, PublishedResult, RoadmapTarget
from evaluation.services.actors import Actor
from evaluation.services.bulk import imports
from evaluation.services.bulk.plan import ImportRefused
from evaluation.services.frameworks import latest_version
from evaluation.services.roadmap import save_activity
from tests.integration.excel_fixtures import Bench, Own, table_rows

pytestmark = pytest.mark.db
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OWN = "UJI-PROP"  # the agency every example works with; its records exist before each example


@pytest.fixture(scope="module")
def world(bench: Bench) -> tuple[Own, dict[str, Actor]]:
    """An agency with one stored record of each keyed kind (so files update as well as insert), and a
    second agency "UJ-A" for the agencies sheet's parents."""
    own = bench.agency()
    with write_session(bench.engine) as session:
        agency = session.get(Agency, own.id)
        assert agency is not None
        agency.code = OWN
        session.add(agency)
        session.add(Agency(code="UJ-A", name="Provinsi Uji", category="Provinsi"))
        session.add(
            RoadmapTarget(
                agency_id=own.id,
                framework_id="pemdi-2026",
                horizon="short",
                baseline_year=2026,
                target_year=2027,
                target_value=3.0,
            )
        )
        spbe = latest_version(session, "spbe-2020")
        assert spbe is not None
        session.add(
            PublishedResult(
                agency_id=own.id,
                year=2024,
                framework_version_id=spbe.id or 0,
                group_values={"D1": 3.0, "D2": 3.0, "D3": 3.0, "D4": 3.0},
                source="LKj",
            )
        )
        session.flush()
        save_activity(
            session,
            actor=own.coordinator,
            agency_id=own.id,
            framework_id="pemdi-2026",
            title="Arsitektur",
            owner="Kominfo",
            starts_on=date(2026, 1, 5),
            due_on=date(2026, 6, 30),
            indicators=["I01"],
        )
    return own, {"coordinator": own.coordinator, "admin": bench.admin}


def as_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def agrees(bench: Bench, actor: Actor, data: bytes, filename: str) -> None:
    """The property itself, for one file."""
    with Session(bench.engine) as session:
        before = table_rows(session)
        try:
            preview = imports.plan(session, actor=actor, data=data, filename=filename)
            if not preview.ok:
                event("refused")
                with pytest.raises(ImportRefused) as refused:
                    imports.apply(session, actor=actor, data=data, filename=filename, preview=preview)
                assert refused.value.plan.problems == preview.problems
                assert table_rows(session) == before
                return
            applied = imports.apply(session, actor=actor, data=data, filename=filename, preview=preview)
            assert applied.counts == preview.counts
            event("applied" if applied.counts["insert"] + applied.counts["update"] else "nothing to apply")
            again = imports.plan(session, actor=actor, data=data, filename=filename)
            assert again.ok and again.counts["insert"] == again.counts["update"] == 0, again.changes()
        finally:
            session.rollback()


def row(*columns: tuple[list[Any], list[Any]]) -> st.SearchStrategy[list[Any]]:
    """A file row: every cell from its column's valid values, or (half the time) one cell from its column's
    invalid ones. A value that is a tuple fills several cells (combinations only valid together)."""
    valid = st.tuples(*(st.sampled_from(good) for good, _bad in columns))
    spoilable = [n for n, (_good, bad) in enumerate(columns) if bad]

    def spoil(cells: tuple[Any, ...], spoiled: bool, which: int, pick: int) -> list[Any]:
        chosen = list(cells)
        if spoiled:
            n = spoilable[which % len(spoilable)]
            chosen[n] = columns[n][1][pick % len(columns[n][1])]
        return [part for cell in chosen for part in (cell if isinstance(cell, tuple) else (cell,))]

    return st.builds(spoil, valid, st.booleans(), st.integers(0, 99), st.integers(0, 99))


ACTIVITIES = row(
    ([OWN], ["UJ-A", "KOTA-999"]),
    (["pemdi-2026", "PEMDI-2026"], ["spbe-2018"]),
    (["Arsitektur", "Survei", " Survei ", "Pelatihan"], ["x" * 201]),
    (["Kominfo", "Bappeda"], ["o" * 121]),
    (["2026-01-05", "05/01/2026"], ["2026-13-01", "31/12/2026"]),
    (["2026-06-30", "01/07/2026"], ["x", "2025-01-01"]),
    (["", "planned", "Done"], ["paused"]),
    (["", "3", 5], ["6", "2.5", "x"]),
    (["I01", "I01, I03", "i02;I04"], ["I99", "", "I01, I99"]),
    (["", "catatan", "=1+1"], []),
)


@SETTINGS
@given(rows=st.lists(ACTIVITIES, min_size=1, max_size=3), who=st.sampled_from(["coordinator", "admin"]))
def test_activities_preview_and_apply_agree(bench, world, rows, who):
    header = ["Kode instansi", "Kerangka", "Nama kegiatan", "Penanggung jawab", "Mulai", "Selesai", "Status"]
    header += ["Tingkat sasaran", "Indikator terkait", "Catatan"]
    agrees(bench, world[1][who], as_csv(header, rows), "kegiatan.csv")


TARGETS = row(
    ([OWN], ["", "KOTA-999"]),  # national targets: the ministry's only
    (["pemdi-2026"], ["spbe-2018"]),
    (["pendek", "short", "medium", "long"], ["x"]),
    (  # kind, code, category, predicate
        [("", "", "", ""), ("index", "", "", ""), ("group", "A1", "", ""), ("indicator", "I01", "", "")],
        [
            ("x", "", "", ""),
            ("group", "D1", "", ""),
            ("indicator", "I99", "", ""),
            ("index", "X" * 20, "", ""),
        ],
    ),
    ([2025, 2026], ["x", 2**40]),
    (["", 2.5], [0.5, 7, "nan", "inf"]),
    ([2026, 2027, 2030], [2024, 2**40]),
    ([3.0, 3.5], [0.6, 9, "nan", "-inf"]),
    (["", "n", "=x"], []),
)
SHARES = row(
    ([""], [OWN]),
    (["pemdi-2026", "spbe-2020"], []),
    (["panjang"], []),
    (
        [("share", "", "Kota", "Baik"), ("share", "", "Kabupaten", "Memuaskan")],
        [("share", "", "Desa", "Baik")],
    ),
    ([2026], []),
    (["", 0.5], [2.5]),
    ([2030], []),
    ([0.6, 0.8], [3.0, "nan"]),
    ([""], []),
)


@SETTINGS
@given(rows=st.lists(TARGETS, min_size=1, max_size=3), who=st.sampled_from(["coordinator", "admin"]))
def test_targets_preview_and_apply_agree(bench, world, rows, who):
    agrees(bench, world[1][who], as_csv(TARGET_HEADER, rows), "target.csv")


@SETTINGS
@given(rows=st.lists(SHARES, min_size=1, max_size=3), who=st.sampled_from(["coordinator", "admin"]))
def test_national_share_targets_preview_and_apply_agree(bench, world, rows, who):
    agrees(bench, world[1][who], as_csv(TARGET_HEADER, rows), "target.csv")


TARGET_HEADER = ["Kode instansi", "Kerangka", "Jangka", "Jenis target", "Kode yang ditargetkan"]
TARGET_HEADER += ["Kategori (target porsi)", "Predikat minimal (target porsi)", "Tahun dasar", "Nilai dasar"]
TARGET_HEADER += ["Tahun target", "Nilai target", "Catatan"]
AGENCIES = row(
    (["UJ-A", "UJ-B", "UJ-C", OWN], ["K" * 33]),
    (["Kota A", "Kota B"], ["n" * 201]),
    (["Kota", "kabupaten", "Provinsi"], ["Desa"]),
    (["", "s"], ["s" * 61]),
    (["", "Jawa"], ["p" * 81]),
    (["", "UJ-A", "UJ-B", OWN], ["UJ-Z"]),
    (["", "ya", "tidak"], ["mungkin"]),
)


@SETTINGS
@given(rows=st.lists(AGENCIES, min_size=1, max_size=3))
def test_agencies_preview_and_apply_agree(bench, world, rows):
    header = ["Kode instansi", "Nama instansi", "Kategori", "Subkategori", "Provinsi", "Kode induk", "Aktif"]
    agrees(bench, world[1]["admin"], as_csv(header, rows), "instansi.csv")


PUBLISHED = row(
    ([OWN], ["KOTA-999"]),
    ([2023, 2024, 2025], ["x", 2**40]),
    (  # framework, D1-D4, A1-A7
        [
            ("", 3, 3, 2.5, 4, *[""] * 7),
            ("spbe-2020", 3, 3, 3, 3, *[""] * 7),
            ("pemdi-2026", *[""] * 4, *[3] * 7),
        ],
        [("", 3, 3, 6, 4, *[""] * 7), ("", 3, "", 3, "nan", *[""] * 7), ("spbe-2018", 3, 3, 3, 3, *[""] * 7)],
    ),
    (["", 3.2], ["inf"]),
    (["", "Baik"], ["p" * 41]),
    (["", "LKj"], ["s" * 201]),
)


@SETTINGS
@given(rows=st.lists(PUBLISHED, min_size=1, max_size=3))
def test_published_results_preview_and_apply_agree(bench, world, rows):
    header = ["Kode instansi", "Tahun", "Kerangka", "D1", "D2", "D3", "D4"]
    header += [f"A{n}" for n in range(1, 8)] + ["Indeks", "Predikat", "Sumber"]
    agrees(bench, world[1]["admin"], as_csv(header, rows), "hasil.csv")
