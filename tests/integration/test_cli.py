"""The command line, run in-process: `score` needs no database; init, frameworks and demo use DATABASE_URL."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func
from sqlmodel import select

from evaluation.__main__ import main
from evaluation.db import make_engine, read_session, schema_is_current
from evaluation.models import Agency
from indicators.loader import shipped_frameworks

SPBE = shipped_frameworks()["spbe-2020"]
PEMDI = shipped_frameworks()["pemdi-2026"]


def write_csv(tmp_path: Path, rows: list[tuple], name: str = "scores.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(",".join(str(c) for c in row) for row in rows) + "\n", encoding="utf-8")
    return path


def score_json(capsys, path: Path, *options: str):
    assert main(["score", str(path), "--json", *options]) == 0
    return json.loads(capsys.readouterr().out)


def domains(values: list) -> list[tuple]:
    return [("domain", "index"), *zip(("D1", "D2", "D3", "D4"), values, strict=True)]


def spbe_levels(codes=lambda n: f"I{n:02d}", level_of=lambda n: 3) -> list[tuple]:
    return [("indicator", "level"), *((codes(n), level_of(n)) for n in range(1, 48))]


# --- score: the worked examples --------------------------------------------------------------------


def test_score_reproduces_the_spbe_index_worked_example(tmp_path, capsys):
    result = score_json(
        capsys, write_csv(tmp_path, domains(["3.70", "3.40", "3.00", "3.20"])), "--framework", "spbe-2020"
    )
    assert set(result) >= {"agency", "framework", "index", "index_display", "predicate", "domains", "aspects"}
    assert (result["framework"], result["index_display"], result["predicate"]) == (
        "spbe-2020",
        "3.28",
        "Baik",
    )
    assert result["index"] == pytest.approx(3.282, abs=1e-12)
    assert result["domains"] == {"D1": 3.7, "D2": 3.4, "D3": 3.0, "D4": 3.2}


def test_score_prints_a_readable_line_without_json(tmp_path, capsys):
    path = write_csv(tmp_path, domains(["3.70", "3.40", "3.00", "3.20"]))
    assert main(["score", str(path), "--framework", "spbe-2020"]) == 0
    out = capsys.readouterr().out
    assert "indeks 3,28" in out and "Baik" in out and "D1 3,70" in out


def test_score_prints_in_english_with_lang_en_before_or_after_the_command(tmp_path, capsys, monkeypatch):
    path = write_csv(tmp_path, domains(["3.70", "3.40", "3.00", "3.20"]))
    assert main(["--lang", "en", "score", str(path), "--framework", "spbe-2020"]) == 0
    assert "index 3.28" in capsys.readouterr().out
    assert main(["score", str(path), "--framework", "spbe-2020", "--lang", "en"]) == 0
    assert "D1 3.70" in capsys.readouterr().out
    monkeypatch.setenv("SPBE_LANG", "en")
    assert main(["score", str(path), "--framework", "spbe-2020"]) == 0
    assert "index 3.28" in capsys.readouterr().out
    assert main(["score", str(path), "--framework", "spbe-2020", "--lang", "id"]) == 0
    assert "indeks 3,28" in capsys.readouterr().out


def test_score_reproduces_the_pemdi_aspect_example(tmp_path, capsys):
    rows = [
        ("aspect", "index"),
        *zip([f"A{n}" for n in range(1, 8)], [2.60, 3.50, 1.20, 3.50, 2.50, 2.40, 3.50], strict=True),
    ]
    result = score_json(capsys, write_csv(tmp_path, rows), "--framework", "pemdi-2026")
    assert (result["index"], result["index_display"], result["predicate"]) == (
        pytest.approx(2.8),
        "2.80",
        "Baik",
    )


def test_a_pemdi_index_of_exactly_2_50_is_cukup(tmp_path, capsys):
    rows = [("indicator", "level"), *((ind.code, "2.50") for ind in PEMDI.indicators)]
    result = score_json(capsys, write_csv(tmp_path, rows), "--framework", "pemdi-2026")
    assert (result["index_display"], result["predicate"]) == ("2.50", "Cukup")


@pytest.mark.parametrize("options, predicate", [((), "Cukup"), (("--predicate-rounding", "raw"), "Kurang")])
def test_an_spbe_index_of_1_797_is_banded_by_the_rounding_rule(tmp_path, capsys, options, predicate):
    path = write_csv(tmp_path, domains(["1.797"] * 4))
    assert score_json(capsys, path, "--framework", "spbe-2020", *options)["predicate"] == predicate


def test_indicator_codes_may_be_written_bare_or_with_their_prefix(tmp_path, capsys):
    def level_of(n: int) -> int:
        return 5 if n == 7 else 3

    coded = score_json(
        capsys, write_csv(tmp_path, spbe_levels(level_of=level_of), "coded.csv"), "--framework", "spbe-2020"
    )
    bare = score_json(
        capsys,
        write_csv(tmp_path, spbe_levels(codes=str, level_of=level_of), "bare.csv"),
        "--framework",
        "spbe-2020",
    )
    assert bare == coded
    assert coded["aspects"]["A1"] == pytest.approx(3.2)


def test_a_file_with_an_agency_column_gives_one_result_per_agency(tmp_path, capsys):
    rows = [("agency", "domain", "index")]
    rows += [("Kota A", d, v) for d, v in zip(("D1", "D2", "D3", "D4"), (3.7, 3.4, 3.0, 3.2), strict=True)]
    rows += [("Kota B", d, 2) for d in ("D1", "D2", "D3", "D4")]
    results = score_json(capsys, write_csv(tmp_path, rows), "--framework", "spbe-2020")
    assert [(r["agency"], r["index_display"], r["predicate"]) for r in results] == [
        ("Kota A", "3.28", "Baik"),
        ("Kota B", "2.00", "Cukup"),
    ]


def test_an_xlsx_file_gives_the_same_result_as_the_csv(tmp_path, capsys):
    rows = spbe_levels(level_of=lambda n: 1 + n % 5)
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    workbook.save(tmp_path / "scores.xlsx")
    from_xlsx = score_json(capsys, tmp_path / "scores.xlsx", "--framework", "spbe-2020")
    from_csv = score_json(capsys, write_csv(tmp_path, rows), "--framework", "spbe-2020")
    assert from_xlsx == from_csv and from_csv["index"] is not None


# --- score: bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([("indicator", "level"), ("I01", 3), ("I02", 7)], ["row 3", "column 'level'", "I02"]),
        ([("indicator", "level"), ("I01", 3), ("I99", 2)], ["row 3", "column 'indicator'", "I99"]),
        ([("indicator", "level"), ("I01", 3), ("1", 2)], ["row 3", "column 'indicator'", "row 2"]),
        ([("indicator", "level"), ("I01", "abc")], ["row 2", "column 'level'", "abc"]),
        ([("code", "value"), ("I01", 3)], ["row 1", "indicator,level"]),
        ([("indicator", "level"), ("I01", "")], ["row 2", "column 'level'", "empty"]),
    ],
    ids=[
        "level-7",
        "unknown-indicator",
        "duplicate-indicator",
        "text-level",
        "missing-header",
        "empty-level",
    ],
)
def test_bad_input_exits_non_zero_naming_the_row_and_column(tmp_path, capsys, rows, expected):
    assert main(["score", str(write_csv(tmp_path, rows)), "--framework", "spbe-2020", "--lang", "en"]) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    for fragment in expected:
        assert fragment in captured.err


def test_an_unknown_framework_exits_2_with_the_known_ones_named(tmp_path, capsys):
    path = write_csv(tmp_path, domains([3, 3, 3, 3]))
    assert main(["score", str(path), "--framework", "spbe-2099"]) == 2
    err = capsys.readouterr().err
    assert "spbe-2099" in err and "spbe-2020" in err


@pytest.mark.parametrize("count", ["0", "-3"])
def test_a_demo_of_no_agencies_is_refused_by_the_argument_check(count, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["demo", "--agencies", count])
    assert stopped.value.code == 2
    assert "harus 1 atau lebih" in capsys.readouterr().err


def test_a_missing_file_exits_non_zero(tmp_path, capsys):
    assert main(["score", str(tmp_path / "absent.csv"), "--framework", "spbe-2020"]) != 0
    assert "absent.csv" in capsys.readouterr().err


def test_an_incomplete_indicator_file_exits_1_naming_the_missing_codes(tmp_path, capsys):
    rows = [row for row in spbe_levels() if row[0] not in ("I05", "I47")]
    assert main(["score", str(write_csv(tmp_path, rows)), "--framework", "spbe-2020"]) == 1
    err = capsys.readouterr().err
    assert "I05" in err and "I47" in err and "I06" not in err


def test_score_never_touches_the_database(tmp_path, capsys, monkeypatch):
    absent = tmp_path / "no-such-dir"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{absent / 'spbe.db'}")
    assert (
        score_json(capsys, write_csv(tmp_path, domains([3, 3, 3, 3])), "--framework", "spbe-2020")["index"]
        == 3
    )
    assert not absent.exists()


# --- database commands ------------------------------------------------------------------------------


def test_init_creates_a_database_that_does_not_exist_yet(tmp_path, capsys, monkeypatch):
    path = tmp_path / "new" / "spbe.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    assert main(["init"]) == 0
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert path.exists() and schema_is_current(engine)
    finally:
        engine.dispose()
    said = capsys.readouterr().out
    assert said.startswith("Basis data siap: ") and "spbe.db" in said
    assert main(["--lang", "en", "init"]) == 0
    assert capsys.readouterr().out.startswith("Database ready: ")


@pytest.mark.db
def test_frameworks_lists_the_three_shipped_ids_with_their_indicator_counts(db_url, capsys, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["frameworks"]) == 0
    lines = capsys.readouterr().out.split("\n\n")[0].splitlines()[1:]  # periods follow a blank line
    listed = {line.split()[0]: int(line.split()[2]) for line in lines}
    assert listed == {"pemdi-2026": 20, "spbe-2020": 47, "vision-to-evaluation": 22}


def agencies_in(url: str) -> int:
    engine = make_engine(url)
    try:
        with read_session(engine) as session:
            return session.exec(select(func.count()).select_from(Agency)).one()
    finally:
        engine.dispose()


@pytest.mark.db
def test_demo_loads_the_asked_number_of_agencies(db_url, capsys, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["demo", "--agencies", "20"]) == 0
    assert "20 instansi" in capsys.readouterr().out
    assert agencies_in(db_url) == 20


@pytest.mark.db
def test_a_second_demo_is_refused_and_loads_nothing(db_url, capsys, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["demo", "--agencies", "20"]) == 0
    capsys.readouterr()
    assert main(["demo", "--agencies", "20"]) == 1
    assert "sudah berisi instansi" in capsys.readouterr().err
    assert main(["demo", "--agencies", "20", "--lang", "en"]) == 1
    assert "already holds agencies" in capsys.readouterr().err
    assert agencies_in(db_url) == 20


# --- report: PDF files acting as a user ----------------------------------------------------------------


@pytest.mark.db
def test_report_writes_an_agency_pdf_naming_the_agency_and_refuses_what_the_user_may_not_see(
    demo_db_url, capsys, monkeypatch, tmp_path
):
    from pypdf import PdfReader

    db_url = demo_db_url
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "pdf"
    assert (
        main(["report", "--as", "asesor", "--year", "2025", "--agency", "kota-001", "--out", str(out)]) == 0
    )
    written = out / "laporan-KOTA-001-2025-id.pdf"
    assert str(written) in capsys.readouterr().out
    engine = make_engine(db_url)
    try:
        with read_session(engine) as session:
            name = session.exec(select(Agency.name).where(Agency.code == "KOTA-001")).one()
    finally:
        engine.dispose()
    assert name in " ".join(PdfReader(written).pages[0].extract_text().split())

    assert main(["report", "--as", "asesor", "--year", "2025", "--agency", "NOPE-1", "--out", str(out)]) == 1
    assert "NOPE-1: tidak ada penilaian pada 2025" in capsys.readouterr().err
    assert main(["report", "--as", "operator", "--year", "2025", "--national", "--out", str(out)]) == 2
    assert "Peran 'operator' tidak boleh melakukan ini" in capsys.readouterr().err
    assert not (out / "ringkasan-nasional-2025-id.pdf").exists()
    assert main(["report", "--as", "asesor", "--year", "1999", "--national", "--out", str(out)]) == 2
    assert "Tidak ada periode 1999" in capsys.readouterr().err
    english = ["--lang", "en", "report", "--as", "asesor", "--year", "1999", "--national", "--out", str(out)]
    assert main(english) == 2
    assert capsys.readouterr().err == "No period 1999.\n"


@pytest.mark.db
def test_report_all_for_an_agency_user_is_its_own_agency_and_an_ambiguous_year_asks_for_the_framework(
    demo_db_url, capsys, monkeypatch, tmp_path
):
    from evaluation.db import write_session
    from evaluation.models import Period
    from evaluation.services.frameworks import latest_version

    db_url = demo_db_url
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "pdf"
    assert main(["report", "--as", "operator", "--year", "2025", "--all", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["laporan-KOTA-001-2025-id.pdf"]

    engine = make_engine(db_url)
    try:
        with write_session(engine) as session:
            pemdi = latest_version(session, "pemdi-2026")
            assert pemdi is not None and pemdi.id is not None
            session.add(Period(year=2025, framework_version_id=pemdi.id, evaluation_type="pemdi"))
    finally:
        engine.dispose()
    capsys.readouterr()
    assert main(["report", "--as", "asesor", "--year", "2025", "--national", "--out", str(out)]) == 2
    assert "pilih dengan --framework" in capsys.readouterr().err
    args = ["report", "--as", "asesor", "--year", "2025", "--framework", "spbe-2020", "--national"]
    assert main([*args, "--out", str(out)]) == 0
    assert (out / "ringkasan-nasional-2025-id.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.db
def test_a_run_as_an_unknown_or_deactivated_user_is_refused_before_anything_happens(
    demo_db_url, capsys, monkeypatch, tmp_path
):
    from evaluation.db import write_session
    from evaluation.models import User

    db_url = demo_db_url
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "pdf"
    assert main(["report", "--as", "nobody", "--year", "2025", "--national", "--out", str(out)]) == 2
    assert "Pengguna 'nobody' tidak ada" in capsys.readouterr().err
    engine = make_engine(db_url)
    try:
        with write_session(engine) as session:
            session.exec(select(User).where(User.username == "asesor")).one().active = False
    finally:
        engine.dispose()
    assert main(["report", "--as", "ASESOR", "--year", "2025", "--national", "--out", str(out)]) == 2
    assert "Pengguna 'ASESOR' tidak ada" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())
