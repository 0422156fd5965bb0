"""Notification emails (issue 12) against a real SMTP server (aiosmtpd) that each test starts on a free
local port: what arrives (recipient, subject, body in both languages, link), nothing with email off or in
the demo, a refusing or absent server marks the email failed and keeps the notification, retries, no
header injection through a param, no email sent twice by two senders at once, the command line."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlmodel import select

from evaluation.__main__ import main
from evaluation.db import read_session, write_session
from evaluation.models import Notification, Period, User, utcnow
from evaluation.services.notification_email import MAX_ATTEMPTS, RETRY_MINUTES, deliver_pending
from evaluation.services.notifications import notify
from evaluation.services.review import return_for_revision
from tests.integration.workflow_fixtures import act, prepared
from tests.smtp_inbox import Inbox, free_port, smtp_server

ADDRESSES = {"coordinator": "koordinator@kota-contoh.go.id", "operator_b": "operator@kab-contoh.go.id"}


@pytest.fixture
def mail(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with smtp_server() as inbox:
        monkeypatch.setenv("SPBE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SPBE_SMTP_PORT", str(inbox.port))
        monkeypatch.setenv("SPBE_SMTP_STARTTLS", "false")
        monkeypatch.setenv("SPBE_MAIL_FROM", "spbe@kementerian.go.id")
        monkeypatch.setenv("SPBE_APP_URL", "https://spbe.example.go.id/")
        monkeypatch.delenv("SPBE_DEMO", raising=False)
        yield inbox


def with_addresses(world, addresses=ADDRESSES):
    with write_session(world.engine) as session:
        for name, address in addresses.items():
            user = session.get(User, world.users[name])
            user.email = address  # type: ignore[union-attr]
            session.add(user)


def statuses(world):
    with read_session(world.engine) as session:
        rows = session.exec(select(Notification).order_by(Notification.id))  # type: ignore[arg-type]
        names = {uid: name for name, uid in world.users.items()}
        return {(names[r.user_id], r.kind): r.email_status for r in rows}


def returned(world):
    aid = prepared(world, "a", "in_review")
    act(world, return_for_revision, "reviewer", aid, note="Lengkapi bukti I01.")
    return aid


def test_an_email_arrives_with_the_right_recipient_subject_and_body(world, mail):
    with_addresses(world)
    returned(world)
    # the coordinator has an address, the operator none: only one email is due
    assert statuses(world) == {("coordinator", "returned"): "pending", ("operator", "returned"): None}
    done = deliver_pending(world.engine)
    assert (done.sent, done.failed) == (1, 0)
    [(rcpt, message)] = mail.received
    assert rcpt == [ADDRESSES["coordinator"]] and message["To"] == ADDRESSES["coordinator"]
    assert message["From"] == "spbe@kementerian.go.id"
    assert message["Subject"].startswith("[SPBE] Notifikasi: Penilaian Kota Contoh periode 2026 dikembalikan")
    body = message.get_content()
    indonesian, english = body.index("dikembalikan untuk perbaikan"), body.index("was returned for revision")
    assert indonesian < english
    assert "https://spbe.example.go.id/penilaian" in body
    assert statuses(world)[("coordinator", "returned")] == "sent"
    assert deliver_pending(world.engine).claimed == 0 and len(mail.received) == 1  # never twice


def test_email_is_off_by_default(world, mail, monkeypatch):
    monkeypatch.delenv("SPBE_SMTP_HOST")
    with_addresses(world)
    returned(world)
    assert set(statuses(world).values()) == {None}
    assert deliver_pending(world.engine).claimed == 0
    assert mail.received == []


def test_the_demo_never_sends(world, mail, monkeypatch):
    with_addresses(world)
    returned(world)  # email on: the coordinator's is pending
    monkeypatch.setenv("SPBE_DEMO", "1")
    assert deliver_pending(world.engine).claimed == 0
    with write_session(world.engine) as session:
        notify(session, user_ids=[world.users["coordinator"]], kind="assigned", params={"year": 2026})
    assert statuses(world)[("coordinator", "assigned")] is None
    assert mail.received == []


def test_a_refused_recipient_is_marked_failed_the_others_are_sent_and_notifications_stay(world, mail):
    with_addresses(world, {"coordinator": "refuse@kota-contoh.go.id", "operator_b": ADDRESSES["operator_b"]})
    with write_session(world.engine) as session:
        for name in ("coordinator", "operator_b"):
            notify(
                session, user_ids=[world.users[name]], kind="assigned", params={"agency": "X", "year": 2026}
            )
    done = deliver_pending(world.engine)
    assert (done.sent, done.failed) == (1, 1)
    assert statuses(world) == {("coordinator", "assigned"): "failed", ("operator_b", "assigned"): "sent"}
    assert [rcpt for rcpt, _message in mail.received] == [[ADDRESSES["operator_b"]]]
    with read_session(world.engine) as session:
        kept = session.exec(
            select(Notification).where(Notification.user_id == world.users["coordinator"])
        ).one()
    assert kept.read_at is None and kept.params["agency"] == "X"


def test_a_failed_email_is_retried_later_and_given_up_after_the_last_attempt(world, mail):
    with_addresses(world, {"coordinator": "refuse@kota-contoh.go.id"})
    with write_session(world.engine) as session:
        notify(session, user_ids=[world.users["coordinator"]], kind="assigned")
    later = utcnow()
    assert deliver_pending(world.engine, now=later).failed == 1
    assert deliver_pending(world.engine, now=later + timedelta(seconds=30)).claimed == 0  # not due yet
    for attempt in range(2, MAX_ATTEMPTS + 1):
        later += timedelta(minutes=RETRY_MINUTES * attempt)
        assert deliver_pending(world.engine, now=later).failed == 1
    assert statuses(world)[("coordinator", "assigned")] == "skipped"
    assert deliver_pending(world.engine, now=later + timedelta(days=1)).claimed == 0
    with read_session(world.engine) as session:
        row = session.exec(select(Notification)).one()
    assert row.params["_email_attempts"] == MAX_ATTEMPTS


def test_a_server_that_is_down_marks_failed_and_a_later_run_sends(world, mail, monkeypatch):
    with_addresses(world)
    returned(world)
    port = os.environ["SPBE_SMTP_PORT"]  # the fixture's server, for the second run
    monkeypatch.setenv("SPBE_SMTP_PORT", str(free_port()))  # nothing listens there
    first = utcnow()
    done = deliver_pending(world.engine, now=first)
    assert (done.sent, done.failed) == (0, 1)
    assert statuses(world)[("coordinator", "returned")] == "failed"
    monkeypatch.setenv("SPBE_SMTP_PORT", port)
    done = deliver_pending(world.engine, now=first + timedelta(minutes=RETRY_MINUTES + 1))
    assert done.sent == 1 and len(mail.received) == 1
    assert statuses(world)[("coordinator", "returned")] == "sent"


def test_a_line_break_in_a_param_adds_no_header_and_no_recipient(world, mail):
    with_addresses(world)
    hostile = "Kota X\r\nBcc: korban@contoh.id\r\nX-Injected: 1\nSubject: palsu"
    with write_session(world.engine) as session:
        notify(session, user_ids=[world.users["coordinator"]], kind="returned", params={"agency": hostile})
    assert deliver_pending(world.engine).sent == 1
    [(rcpt, message)] = mail.received
    assert rcpt == [ADDRESSES["coordinator"]]
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert len(message.get_all("Subject")) == 1
    assert (
        "\n" not in message["Subject"] and "Kota X Bcc: korban@contoh.id X-Injected: 1" in message["Subject"]
    )


def test_two_senders_at_once_send_each_email_once(world, mail):
    with_addresses(world)
    with write_session(world.engine) as session:
        for year in range(2020, 2030):
            notify(session, user_ids=[world.users["coordinator"]], kind="assigned", params={"year": year})
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(deliver_pending(world.engine))) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in results) == 10 and len(mail.received) == 10
    assert len({message["Subject"] for _rcpt, message in mail.received}) == 10


@pytest.mark.parametrize("who", ["coordinator"])
def test_the_commands_remind_and_send(world, mail, monkeypatch, capsys, who):
    monkeypatch.setenv("DATABASE_URL", world.engine.url.render_as_string(hide_password=False))
    with_addresses(world)
    prepared(world, "a", "draft")
    with write_session(world.engine) as session:
        period = session.get(Period, world.pemdi)
        period.self_assessment_closes_on = date(2026, 6, 8)  # type: ignore[union-attr]
        session.add(period)
    assert main(["notify", "remind", "--today", "2026-06-01"]) == 0
    out = capsys.readouterr().out
    assert "Pengingat 1 Juni 2026: penilaian mandiri 2" in out and "Email terkirim 1, gagal 0." in out
    [(rcpt, message)] = mail.received
    assert rcpt == [ADDRESSES[who]] and "7 hari lagi" in message.get_content()
    assert main(["notify", "remind", "--today", "2026-06-01"]) == 0  # the same day: nothing new
    assert "penilaian mandiri 0" in capsys.readouterr().out
    assert main(["notify", "send", "--lang", "en"]) == 0
    assert capsys.readouterr().out == "Emails sent 0, failed 0.\n" and len(mail.received) == 1


def test_the_send_command_says_when_email_is_off(world, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", world.engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv("SPBE_SMTP_HOST", raising=False)
    assert main(["notify", "send"]) == 0
    assert "Email mati" in capsys.readouterr().out
    assert main(["--lang", "en", "notify", "send"]) == 0
    assert "Email is off" in capsys.readouterr().out


def test_no_email_goes_to_an_address_removed_or_an_account_deactivated_since(world, mail):
    with_addresses(world)
    with write_session(world.engine) as session:
        for name in ("coordinator", "operator_b"):
            notify(session, user_ids=[world.users[name]], kind="assigned", params={"year": 2026})
        session.get(User, world.users["coordinator"]).email = None  # type: ignore[union-attr]
        session.get(User, world.users["operator_b"]).active = False  # type: ignore[union-attr]
    assert deliver_pending(world.engine).claimed == 0
    assert mail.received == []
    assert set(statuses(world).values()) == {"skipped"}
