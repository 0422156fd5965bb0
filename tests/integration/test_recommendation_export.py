"""`python -m evaluation export recommendations`: the recommendations with their follow-up as XLSX or CSV,
for the ministry (all agencies or some) and for an agency (its own only), text kept from becoming formulas."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest

from evaluation.__main__ import main
from evaluation.db import write_session
from evaluation.export_cli import DENIED, OK, REFUSED
from evaluation.services.recommendations import add_recommendation, record_followup
from evaluation.services.review import finalize
from tests.integration.workflow_fixtures import act, prepared


@pytest.fixture
def written(world, monkeypatch):
    """Agency a (2025) has two recommendations, one followed up; agency b one; the CLI uses this world."""
    monkeypatch.setenv("DATABASE_URL", world.engine.url.render_as_string(hide_password=False))
    ids = {}
    for key in ("a", "b"):
        assessment_id = prepared(world, key, "finalizable", world.spbe)
        act(world, finalize, "reviewer", assessment_id)
        ids[key] = assessment_id
    with write_session(world.engine) as session:
        reviewer = world.actors["reviewer"]
        first = add_recommendation(
            session,
            actor=reviewer,
            assessment_id=ids["a"],
            indicator_code="I01",
            priority="high",
            text='=HYPERLINK("http://x") tetapkan SK',
            due_on=date(2026, 6, 30),
        )
        add_recommendation(
            session,
            actor=reviewer,
            assessment_id=ids["a"],
            indicator_code=None,
            priority="low",
            text="Susun peta rencana",
            due_on=None,
        )
        add_recommendation(
            session,
            actor=reviewer,
            assessment_id=ids["b"],
            indicator_code="I02",
            priority="medium",
            text="Rekomendasi B",
            due_on=None,
        )
    with write_session(world.engine) as session:
        record_followup(
            session,
            actor=world.actors["operator"],
            recommendation_id=first,
            action="SK ditetapkan",
            owner="Bagian Hukum",
            due_on=date(2026, 3, 1),
            expected_version=1,
        )
    return world


def run(capsys, *argv):
    code = main(list(argv))
    return code, capsys.readouterr()


def test_the_ministry_exports_every_agencys_recommendations_as_xlsx(written, tmp_path, capsys):
    out = tmp_path / "rek.xlsx"
    code, _ = run(
        capsys, "export", "recommendations", "--as", "reviewer", "--year", "2025", "--out", str(out)
    )
    assert code == OK
    book = openpyxl.load_workbook(out)
    rows = [[c.value for c in row] for row in book["Rekomendasi"].iter_rows()]
    header = rows[0]
    assert header[:3] == ["Kode instansi", "Nama instansi", "Kategori"]
    table = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [(r["Kode instansi"], r["Indikator"], r["Prioritas"], r["Status"]) for r in table] == [
        ("KAB-902", "I02", "Sedang", "Terbuka"),
        ("KOTA-901", "I01", "Tinggi", "Terbuka"),
        ("KOTA-901", "Seluruh instansi", "Rendah", "Terbuka"),
    ]
    followed = table[1]
    assert (followed["Tindak lanjut"], followed["Penanggung jawab"], followed["Target selesai"]) == (
        "SK ditetapkan",
        "Bagian Hukum",
        "2026-03-01",
    )
    assert followed["Rekomendasi"].startswith("=HYPERLINK")  # kept as text, quote-prefixed
    assert book["Rekomendasi"]["I3"].data_type == "s"


def test_an_agency_gets_only_its_own_as_csv_in_english(written, tmp_path, capsys):
    out = tmp_path / "rek.csv"
    code, _ = run(
        capsys,
        "export",
        "recommendations",
        "--as",
        "coordinator",
        "--format",
        "csv",
        "--lang",
        "en",
        "--out",
        str(out),
    )
    assert code == OK
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["Agency code"], r["Indicator"], r["Priority"]) for r in rows] == [
        ("KOTA-901", "I01", "High"),
        ("KOTA-901", "Whole agency", "Low"),
    ]
    assert rows[0]["Recommendation"].startswith("'=HYPERLINK")  # neutralised in CSV


def test_the_ministry_narrows_to_one_agency_and_an_agency_may_not_name_another(written, tmp_path, capsys):
    out = tmp_path / "b.csv"
    code, _ = run(
        capsys,
        "export",
        "recommendations",
        "--as",
        "admin",
        "--agency",
        "KAB-902",
        "--format",
        "csv",
        "--out",
        str(out),
    )
    assert code == OK
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["Rekomendasi"] for r in rows] == ["Rekomendasi B"]
    code, captured = run(
        capsys,
        "export",
        "recommendations",
        "--as",
        "operator",
        "--agency",
        "KAB-902",
        "--out",
        str(tmp_path / "x"),
    )
    assert code == DENIED and "instansi Anda sendiri" in captured.err
    assert not (tmp_path / "x").exists()


def test_another_year_is_empty_and_there_is_no_template(written, tmp_path, capsys):
    out = tmp_path / "2026.csv"
    code, _ = run(
        capsys,
        "export",
        "recommendations",
        "--as",
        "reviewer",
        "--year",
        "2026",
        "--format",
        "csv",
        "--out",
        str(out),
    )
    assert code == OK
    assert list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))) == []
    code, captured = run(
        capsys,
        "export",
        "recommendations",
        "--as",
        "reviewer",
        "--template",
        "--out",
        str(tmp_path / "t.xlsx"),
    )
    assert code == REFUSED and captured.err == "Rekomendasi tidak punya templat.\n"
