"""`python -m evaluation export`, run in-process: every kind the Excel page offers, with the named user's
permissions, clear refusals with their exit codes, and a scripted round trip export -> edit -> import."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import select

from evaluation.__main__ import main
from evaluation.db import read_session, write_session
from evaluation.export_cli import DENIED, OK, REFUSED
from evaluation.models import Activity
from evaluation.services.roadmap import save_activity
from tests.integration.excel_fixtures import Bench, Own

pytestmark = pytest.mark.db


@pytest.fixture
def cli(bench: Bench, monkeypatch: pytest.MonkeyPatch):
    """Run the command line against the bench's database; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("DATABASE_URL", bench.engine.url.render_as_string(hide_password=False))

    def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture(scope="module")
def own(bench: Bench) -> Own:
    """An agency with one activity."""
    agency = bench.agency()
    with write_session(bench.engine) as session:
        save_activity(
            session,
            actor=agency.coordinator,
            agency_id=agency.id,
            framework_id="pemdi-2026",
            title="Survei kepuasan",
            owner="Bidang IKP",
            starts_on=date(2026, 7, 1),
            due_on=date(2026, 12, 31),
            indicators=["I20"],
        )
    return agency


def sheet_rows(path: Path, sheet: str) -> list[list[object]]:
    book = openpyxl.load_workbook(path)
    return [[c.value for c in row] for row in book[sheet].iter_rows()]


EVERY_KIND = [
    ("assessment", ["--year", "2026"], "Penilaian"),
    ("national-matrix", ["--year", "2026"], "Matriks"),
    ("targets", [], "Target"),
    ("activities", [], "Kegiatan"),
    ("agencies", [], "Instansi"),
    ("published-results", ["--template"], "Hasil"),
]


@pytest.mark.parametrize(("kind", "options", "sheet"), EVERY_KIND, ids=[k for k, _o, _s in EVERY_KIND])
def test_every_kind_the_page_offers_is_written_for_a_ministry_user(
    cli, capsys, tmp_path, kind, options, sheet
):
    out = tmp_path / f"{kind}.xlsx"
    code, stdout, _err = cli(capsys, "export", kind, "--as", "admin-uji", *options, "--out", str(out))
    assert code == OK and stdout.strip() == str(out)
    assert sheet_rows(out, sheet)[0][0] in ("Kode instansi", "Instansi", "Kode")


@pytest.mark.parametrize("kind", ["assessment", "targets", "activities", "agencies", "national-matrix"])
def test_every_kind_with_a_csv_form_writes_it(cli, capsys, tmp_path, kind):
    out = tmp_path / f"{kind}.csv"
    year = ["--year", "2026"] if kind in ("assessment", "national-matrix") else []
    code, _out, _err = cli(
        capsys, "export", kind, "--as", "admin-uji", *year, "--format", "csv", "--out", str(out)
    )
    assert code == OK
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert header[0] in ("Kode instansi", "Instansi") and len(header) > 3


def test_an_agency_user_gets_only_its_own_activities(cli, capsys, tmp_path, own):
    out = tmp_path / "kegiatan.xlsx"
    code, _out, _err = cli(
        capsys, "export", "activities", "--as", own.coordinator.username, "--out", str(out)
    )
    assert code == OK
    rows = sheet_rows(out, "Kegiatan")[1:]
    assert [(r[0], r[2]) for r in rows] == [(own.code, "Survei kepuasan")]


def test_the_template_option_gives_the_empty_form(cli, capsys, tmp_path, own):
    out = tmp_path / "kegiatan.xlsx"
    code, _out, _err = cli(
        capsys, "export", "activities", "--as", "admin-uji", "--template", "--out", str(out)
    )
    assert code == OK
    assert len(sheet_rows(out, "Kegiatan")) == 1


@pytest.mark.parametrize(
    ("kind", "options"),
    [("agencies", []), ("national-matrix", ["--year", "2026"]), ("published-results", ["--template"])],
)
def test_an_agency_user_is_refused_the_ministrys_files_with_exit_code_3(
    cli, capsys, tmp_path, own, kind, options
):
    out = tmp_path / "x.xlsx"
    code, _out, err = cli(capsys, "export", kind, "--as", own.operator.username, *options, "--out", str(out))
    assert code == DENIED
    assert "tidak boleh melakukan ini" in err and " / " not in err and not out.exists()


def test_an_agency_user_may_not_export_another_agencys_assessment(cli, capsys, tmp_path, own, bench):
    other = bench.agency()
    out = tmp_path / "x.xlsx"
    code, _out, err = cli(
        capsys,
        "export",
        "assessment",
        "--as",
        own.operator.username,
        "--year",
        "2026",
        "--agency",
        other.code,
        "--out",
        str(out),
    )
    assert code == DENIED and not out.exists()
    assert err.strip()


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["targets", "--as", "nobody"], "Pengguna 'nobody' tidak ada."),
        (["assessment", "--as", "admin-uji", "--year", "2019"], "Tidak ada periode 2019."),
        (["assessment", "--as", "admin-uji"], "Sebutkan --year untuk berkas periode."),
        (
            ["assessment", "--as", "admin-uji", "--year", "2026", "--agency", "KOTA-999"],
            "Instansi tidak dikenal",
        ),
        (["published-results", "--as", "admin-uji", "--format", "csv"], "Templat hasil terbit hanya XLSX."),
        (["agencies", "--as", "admin-uji", "--agency", "KOTA-001"], "--agency hanya untuk"),
        (["targets", "--as", "admin-uji", "--agency", "KOTA-999"], "Instansi tidak dikenal: KOTA-999."),
        (
            ["--lang", "en", "targets", "--as", "admin-uji", "--agency", "KOTA-999"],
            "Unknown agencies: KOTA-999.",
        ),
        (["assessment", "--as", "admin-uji", "--year", "2019", "--lang", "en"], "No period 2019."),
    ],
)
def test_a_request_that_cannot_be_served_exits_2_and_says_why(cli, capsys, tmp_path, argv, says):
    out = tmp_path / "x.xlsx"
    code, _out, err = cli(capsys, "export", *argv, "--out", str(out))
    assert code == REFUSED and says in err and not out.exists()


def test_export_edit_dry_run_and_import_round_trip(cli, capsys, tmp_path, own, bench):
    out = tmp_path / "kegiatan.xlsx"
    user = own.coordinator.username
    assert cli(capsys, "export", "activities", "--as", user, "--out", str(out))[0] == OK
    book = openpyxl.load_workbook(out)
    ws = book["Kegiatan"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("Penanggung jawab") + 1).value = "Bidang Statistik"
    book.save(out)
    code, stdout, err = cli(capsys, "import", str(out), "--as", user, "--dry-run")
    assert (code, err) == (OK, "")
    assert "kegiatan.xlsx: sisip 0, ubah 1, tetap 0, masalah 0" in stdout
    code, stdout, _err = cli(capsys, "import", str(out), "--as", user, "--lang", "en")
    assert code == OK and "kegiatan.xlsx: insert 0, update 1, unchanged 0, problems 0" in stdout
    assert stdout.endswith("Applied.\n")
    with read_session(bench.engine) as session:
        owners = {a.owner for a in session.exec(select(Activity).where(Activity.agency_id == own.id))}
    assert owners == {"Bidang Statistik"}


def test_the_ministry_narrows_an_activities_export_to_one_agency(cli, capsys, tmp_path, own, bench):
    other = bench.agency()
    with write_session(bench.engine) as session:
        save_activity(
            session,
            actor=other.coordinator,
            agency_id=other.id,
            framework_id="pemdi-2026",
            title="Pelatihan ASN",
            owner="BKPSDM",
            starts_on=date(2026, 2, 1),
            due_on=date(2026, 3, 1),
            indicators=["I05"],
        )
    out = tmp_path / "kegiatan.csv"
    code, _out, _err = cli(
        capsys,
        "export",
        "activities",
        "--as",
        "admin-uji",
        "--agency",
        other.code,
        "--format",
        "csv",
        "--out",
        str(out),
    )
    assert code == OK
    lines = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[1:]
    assert [(line[0], line[2]) for line in lines] == [(other.code, "Pelatihan ASN")]


def test_an_agency_user_may_not_narrow_targets_to_another_agency(cli, capsys, tmp_path, own, bench):
    other = bench.agency()
    out = tmp_path / "target.xlsx"
    code, _out, err = cli(
        capsys,
        "export",
        "targets",
        "--as",
        own.coordinator.username,
        "--agency",
        other.code,
        "--out",
        str(out),
    )
    assert code == DENIED and "instansi Anda sendiri" in err and not out.exists()
