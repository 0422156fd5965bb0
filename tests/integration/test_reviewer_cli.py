"""`python -m evaluation assign-reviewers FILE --year Y --as USER`, run in-process on the workflow world:
an admin's file is applied; a file with problems lists each and applies nothing (exit 1); other roles are
denied (exit 3); unknown users, periods and unreadable files exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from evaluation.__main__ import main
from evaluation.db import read_session
from evaluation.models import ReviewerAssignment
from evaluation.reviewer_cli import DENIED, OK, PROBLEMS, REFUSED
from evaluation.services.reviewer_sheet import assignment_template
from tests.hostile_workbooks import HOSTILE
from tests.integration.workflow_fixtures import World

pytestmark = pytest.mark.db


@pytest.fixture
def cli(world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run the command against the world's database; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("DATABASE_URL", world.engine.url.render_as_string(hide_password=False))

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["assign-reviewers", *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def stored(world: World) -> set[tuple[int, int, str]]:
    with read_session(world.engine) as session:
        rows = session.exec(select(ReviewerAssignment))
        return {(r.period_id, r.agency_id, r.role) for r in rows}


def written(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


GOOD = "Agency code,Reviewer,Role\nKOTA-901,reviewer,lead\nKAB-902,reviewer,member\n"


def test_an_admin_applies_a_csv_to_the_period_of_the_year(world, cli, tmp_path):
    code, out, err = cli(written(tmp_path, "p.csv", GOOD), "--year", "2026", "--as", "admin")
    assert (code, err) == (OK, "")
    assert (
        "p.csv: baru 2, ganti peran 0, tetap 0, masalah 0" in out
        and "Diterapkan: 2 penugasan berubah." in out
    )
    assert stored(world) == {
        (world.pemdi, world.agency["a"], "lead"),
        (world.pemdi, world.agency["b"], "member"),
    }


def test_a_dry_run_checks_and_writes_nothing(world, cli, tmp_path):
    code, out, _err = cli(written(tmp_path, "p.csv", GOOD), "--year", "2026", "--as", "admin", "--dry-run")
    assert code == OK and "baru 2" in out and "Diterapkan" not in out
    assert stored(world) == set()


def test_an_xlsx_template_filled_in_applies_to_the_named_framework(world, cli, tmp_path):
    data = assignment_template("id", rows=[("KOTA-901", "reviewer", "lead")])
    path = written(tmp_path, "p.xlsx", data)
    assert cli(path, "--year", "2025", "--framework", "spbe-2020", "--as", "admin")[0] == OK
    assert stored(world) == {(world.spbe, world.agency["a"], "lead")}


def test_every_problem_is_listed_and_nothing_applied(world, cli, tmp_path):
    data = GOOD + "KOTA-999,reviewer,member\nKAB-902,admin,lead\nKOTA-901,reviewer,boss\n"
    code, _out, err = cli(written(tmp_path, "p.csv", data), "--year", "2026", "--as", "admin", "--lang", "en")
    assert code == PROBLEMS
    assert "p!A4: unknown agency code 'KOTA-999'" in err
    assert "p!B5: 'admin' is not an active reviewer" in err
    assert "p!C6: unknown role 'boss' (lead or member)" in err
    assert "Nothing was applied." in err and "problems 3" in _out
    assert stored(world) == set()


@pytest.mark.parametrize("who", ["reviewer", "coordinator", "operator"])
def test_other_roles_are_denied(world, cli, tmp_path, who):
    code, _out, err = cli(written(tmp_path, "p.csv", GOOD), "--year", "2026", "--as", who)
    assert code == DENIED and "perlu: admin" in err
    assert stored(world) == set()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--year", "2026", "--as", "nobody"), "Pengguna 'nobody' tidak ada."),
        (("--year", "2019", "--as", "admin"), "Tidak ada periode 2019."),
        (("--year", "2019", "--as", "admin", "--lang", "en"), "No period 2019."),
    ],
)
def test_an_unknown_user_or_period_exits_2(world, cli, tmp_path, argv, message):
    code, _out, err = cli(written(tmp_path, "p.csv", GOOD), *argv)
    assert code == REFUSED and err == message + "\n"
    assert stored(world) == set()


def test_a_hostile_workbook_exits_2_with_the_limit_named(world, cli, tmp_path):
    data = HOSTILE["value at XFD1048576"]()
    code, _out, err = cli(written(tmp_path, "h.xlsx", data), "--year", "2026", "--as", "admin")
    assert code == REFUSED and "melebihi batas" in err and "Traceback" not in err
    assert stored(world) == set()
