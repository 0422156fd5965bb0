"""The admin closes and reopens a period on the frameworks page; other roles do not get the form."""

from __future__ import annotations

import pytest
from sqlmodel import select

from evaluation.db import read_session
from evaluation.models import AuditEntry, Period
from tests.app.signed_in import signed_in_page

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def statuses(engine) -> dict[int, str]:
    with read_session(engine) as session:
        return {p.id: p.status for p in session.exec(select(Period))}


def test_the_admin_closes_and_reopens_a_period_and_each_change_is_audited(demo_engine):
    before = statuses(demo_engine)
    at = signed_in_page(demo_engine, "admin", "frameworks.py")
    assert not at.exception
    open_period = next(pid for pid, status in before.items() if status == "open")
    at = at.selectbox(key="period_admin_choice").set_value(open_period).run()
    button = at.button(key="period_admin_apply")
    assert button.label == "Tutup periode ini"
    at = button.click().run()
    assert not at.exception and at.success[0].value == "Periode ditutup."
    closed = {pid for pid, status in statuses(demo_engine).items() if before[pid] != status}
    assert len(closed) == 1 and statuses(demo_engine)[next(iter(closed))] == "closed"
    at = at.button(key="period_admin_apply").click().run()
    assert at.success[0].value == "Periode dibuka kembali."
    assert statuses(demo_engine) == before
    with read_session(demo_engine) as session:
        actions = session.exec(
            select(AuditEntry.action, AuditEntry.actor).where(AuditEntry.entity == "period")
        )
        assert list(actions)[-2:] == [("close_period", "admin"), ("reopen_period", "admin")]


@pytest.mark.parametrize("username", ["asesor", "koordinator"])
def test_other_roles_do_not_get_the_period_form(demo_engine, username):
    at = signed_in_page(demo_engine, username, "frameworks.py")
    assert not at.exception
    assert not [b for b in at.selectbox if b.key == "period_admin_choice"]
