"""`python -m evaluation period create|open|close`, run in-process as a named user: periods created with
their schedule, closed and reopened, and clear refusals with non-zero exit codes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from evaluation.__main__ import main
from evaluation.db import read_session
from evaluation.models import AuditEntry, Period
from evaluation.period_cli import DENIED, OK, REFUSED
from tests.integration.workflow_fixtures import World

pytestmark = pytest.mark.db

CREATE = [
    *("period", "create", "--year", "2027", "--framework", "pemdi-2026", "--type", "pemdi"),
    *("--stages", "document,interview", "--opens", "2027-03-01", "--self-assessment-closes", "2027-05-31"),
    *("--verification-ends", "2027-09-30", "--objections-close", "2027-10-31"),
]


@pytest.fixture
def cli(world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run the command line against the world's database; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("DATABASE_URL", world.engine.url.render_as_string(hide_password=False))

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def period_2027(world: World) -> Period | None:
    with read_session(world.engine) as session:
        return session.exec(select(Period).where(Period.year == 2027)).first()


def test_the_admin_creates_a_period_with_its_schedule(world: World, cli):
    code, out, err = cli(*CREATE, "--as", "admin")
    assert (code, err) == (OK, "")
    period = period_2027(world)
    assert period is not None and f"id {period.id}" in out
    assert period.required_stages == "document,interview"
    assert (period.opens_on, period.objections_close_on) == (date(2027, 3, 1), date(2027, 10, 31))


def test_the_admin_closes_and_reopens_a_period_each_audited(world: World, cli):
    assert cli("period", "close", "--year", "2026", "--framework", "pemdi-2026", "--as", "admin")[0] == OK
    with read_session(world.engine) as session:
        period = session.get(Period, world.pemdi)
        assert period is not None and period.status == "closed"
    code, out, _err = cli("period", "close", "--year", "2026", "--framework", "pemdi-2026", "--as", "admin")
    assert code == OK and out == "Periode 2026 sudah ditutup.\n"
    assert cli("period", "open", "--year", "2026", "--framework", "pemdi-2026", "--as", "admin")[0] == OK
    with read_session(world.engine) as session:
        actions = session.exec(
            select(AuditEntry.action).where(AuditEntry.entity == "period").order_by(AuditEntry.id)  # type: ignore[arg-type]
        ).all()
    assert list(actions) == ["close_period", "reopen_period"]


@pytest.mark.parametrize("who", ["reviewer", "coordinator", "operator"])
def test_other_roles_are_denied_with_exit_code_3(world: World, cli, who: str):
    code, _out, err = cli(*CREATE, "--as", who)
    assert code == DENIED and "tidak boleh melakukan ini" in err
    assert period_2027(world) is None
    code, _out, err = cli("period", "close", "--year", "2026", "--framework", "pemdi-2026", "--as", who)
    assert code == DENIED


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--as", "nobody"], "No active user 'nobody'"),
        (["--stages", "interview", "--as", "admin"], "starts with the document review"),
        (["--verification-ends", "2027-04-01", "--as", "admin"], "'verification ends' date"),
        (["--version", "9.9", "--as", "admin"], "Unknown framework: pemdi-2026@9.9"),
    ],
)
def test_bad_input_exits_with_2_and_says_why_in_english_with_lang_en(
    world: World, cli, argv: list[str], message: str
):
    code, _out, err = cli(*CREATE, *argv, "--lang", "en")
    assert code == REFUSED and message in err
    assert period_2027(world) is None


def test_an_existing_period_or_an_unknown_one_exits_with_2(world: World, cli):
    assert cli(*CREATE, "--as", "admin")[0] == OK
    code, _out, err = cli(*CREATE, "--as", "admin")
    assert code == REFUSED and "sudah ada" in err
    code, _out, err = cli("period", "open", "--year", "2030", "--framework", "pemdi-2026", "--as", "admin")
    assert code == REFUSED and err == "Tidak ada periode 2030 pemdi-2026.\n"


def test_a_date_that_is_not_a_date_stops_the_parser(cli, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as stopped:
        cli(*CREATE[:-1], "31-10-2027", "--as", "admin")
    assert stopped.value.code == 2
    assert "'31-10-2027' bukan tanggal YYYY-MM-DD" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli("--lang", "en", *CREATE[:-1], "31-10-2027", "--as", "admin")
    assert "'31-10-2027' is not a YYYY-MM-DD date" in capsys.readouterr().err
