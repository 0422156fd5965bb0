"""The notifications page and the sidebar badge in AppTest (issue 12): the unread count, the user's own
list newest first in the reader's language with user text escaped, mark one and mark all read; the email
address on the account page."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import User
from evaluation.services.actors import SYSTEM
from evaluation.services.auth import actor_of
from evaluation.services.notifications import notify, unread_count
from evaluation.services.users import create_user
from tests.app.signed_in import TEST_PASSWORD, offers, open_page, shown, sign_in

pytestmark = pytest.mark.app


def new_user(engine, role: str = "reviewer") -> tuple[str, int]:
    name = f"notif-{uuid.uuid4().hex[:6]}"
    with write_session(engine) as session:
        user = create_user(
            session, actor=SYSTEM, username=name, full_name="Uji", password=TEST_PASSWORD, role=role
        )
        return name, user.id or 0


def with_notifications(engine, user_id: int) -> None:
    with write_session(engine) as session:
        notify(session, user_ids=[user_id], kind="assigned", params={"agency": "Kota Satu", "year": 2025})
        notify(session, user_ids=[user_id], kind="assigned", params={"agency": "Kota Dua", "year": 2026})
        notify(
            session,
            user_ids=[user_id],
            kind="returned",
            params={"agency": "**Kota** [tautan](https://evil.example)", "year": 2026},
        )


def unread(engine, user_id: int) -> int:
    with read_session(engine) as session:
        user = session.get(User, user_id)
        return unread_count(session, actor=actor_of(user))


def badge(at) -> str:
    texts = [m.value for m in at.sidebar.markdown] + [c.value for c in at.sidebar.caption]
    return " ".join(text for text in texts if "otifi" in text)


def test_the_badge_shows_the_unread_count(app, demo_engine):
    name, user_id = new_user(demo_engine)
    at = sign_in(app(), demo_engine, name)
    assert "Tidak ada notifikasi baru" in badge(at)
    with_notifications(demo_engine, user_id)
    at.run()
    assert "Notifikasi belum dibaca: **3**" in badge(at)


def test_the_list_is_the_users_own_newest_first_with_user_text_escaped(app, demo_engine):
    name, user_id = new_user(demo_engine)
    _other, other_id = new_user(demo_engine)
    with_notifications(demo_engine, user_id)
    with write_session(demo_engine) as session:
        notify(
            session, user_ids=[other_id], kind="assigned", params={"agency": "Kota Orang Lain", "year": 2026}
        )
    at = open_page(sign_in(app(), demo_engine, name), "notifications.py")
    texts = [shown(m.value) for m in at.markdown if "Kota" in m.value]
    assert len(texts) == 3
    assert "**Kota** [tautan](https://evil.example)" in texts[0]  # as typed, never rendered as a link
    assert "](https" not in next(m.value for m in at.markdown if "tautan" in m.value)
    assert "Kota Dua" in texts[1] and "Kota Satu" in texts[2]
    assert not any("Orang Lain" in m.value for m in at.markdown)
    links = at.get("page_link")
    assert [link.proto.page for link in links] == ["penilaian", "verifikasi", "verifikasi"]


def test_the_list_is_in_english_for_an_english_reader(app, demo_engine):
    name, user_id = new_user(demo_engine)
    with_notifications(demo_engine, user_id)
    at = open_page(sign_in(app(lang="en"), demo_engine, name), "notifications.py")
    texts = [shown(m.value) for m in at.markdown if "Kota" in m.value]
    assert texts[1] == "You are assigned as member of the reviewer team for Kota Dua (2026)."


def test_marking_one_read_then_all_read(app, demo_engine):
    name, user_id = new_user(demo_engine)
    with_notifications(demo_engine, user_id)
    at = open_page(sign_in(app(), demo_engine, name), "notifications.py")
    read_buttons = [b for b in at.button if (b.key or "").startswith("nt_read_")]
    assert len(read_buttons) == 3
    read_buttons[0].click().run()
    assert unread(demo_engine, user_id) == 2
    assert "Notifikasi belum dibaca: **2**" in badge(at)
    assert len([b for b in at.button if (b.key or "").startswith("nt_read_")]) == 2
    at.button(key="nt_mark_all").click().run()
    assert unread(demo_engine, user_id) == 0
    assert "Tidak ada notifikasi baru" in badge(at)
    at.toggle(key="nt_only_unread").set_value(True).run()
    assert any("Belum ada notifikasi" in i.value for i in at.info)


def test_a_user_sets_an_email_address_on_the_account_page(app, demo_engine):
    name, user_id = new_user(demo_engine)
    at = open_page(sign_in(app(), demo_engine, name), "account.py")
    at.text_input(key="own_email").set_value("bukan alamat")
    [save] = [b for b in at.button if b.label == "Simpan email"]
    save.click().run()
    assert at.error and "tidak valid" in at.error[0].value
    at.text_input(key="own_email").set_value("saya@instansi.go.id")
    [save] = [b for b in at.button if b.label == "Simpan email"]
    save.click().run()
    with read_session(demo_engine) as session:
        assert session.exec(select(User.email).where(User.id == user_id)).one() == "saya@instansi.go.id"
    assert any("disimpan" in s.value for s in at.success)


def test_a_rerun_after_a_write_sends_the_pending_email_in_the_background(app, demo_engine, monkeypatch):
    from app_pages import notification_badge
    from evaluation.data_version import bump
    from tests.smtp_inbox import smtp_server

    with smtp_server() as inbox:
        monkeypatch.setenv("SPBE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SPBE_SMTP_PORT", str(inbox.port))
        monkeypatch.setenv("SPBE_SMTP_STARTTLS", "false")
        name, user_id = new_user(demo_engine)
        at = sign_in(app(), demo_engine, name)
        state = notification_badge._sender(str(notification_badge.c.engine().url))
        if state["thread"] is not None:  # the first run's look (nothing due then) ends first
            state["thread"].join(timeout=30)
        with write_session(demo_engine) as session:
            session.get(User, user_id).email = "asesor@kementerian.go.id"  # type: ignore[union-attr]
            session.flush()
            notify(session, user_ids=[user_id], kind="assigned", params={"agency": "Kota Tiga", "year": 2026})
            # a write that notifies is audited, which bumps the data version the badge watches
            bump(session.connection())
        at.run()
        state["thread"].join(timeout=30)
        assert [rcpt for rcpt, _message in inbox.received] == [["asesor@kementerian.go.id"]]
        assert "Kota Tiga" in inbox.received[0][1]["Subject"]
        at.run()  # nothing written since: no new thread, nothing sent twice
        assert len(inbox.received) == 1
        assert notification_badge.deliver_soon() is False


def test_the_admin_sets_a_users_email_on_the_users_page(app, demo_engine):
    from tests.app.signed_in import signed_in_page

    name, user_id = new_user(demo_engine)
    at = signed_in_page(demo_engine, "admin", "users.py")
    at.selectbox(key="us_pick").set_value(user_id).run()
    at.text_input(key=f"us_email_{user_id}").set_value("baru@kementerian.go.id")
    at.button(key="us_email_save").click().run()
    assert not at.error
    with read_session(demo_engine) as session:
        assert session.get(User, user_id).email == "baru@kementerian.go.id"  # type: ignore[union-attr]
    table = at.dataframe[0].value
    assert table.loc[table["Nama pengguna"] == name, "Email untuk notifikasi"].tolist() == [
        "baru@kementerian.go.id"
    ]


@pytest.mark.parametrize("username", ["operator", "koordinator", "asesor", "admin"])
def test_every_signed_in_role_gets_the_page_and_a_visitor_does_not(app, demo_engine, username):
    assert not offers(app(), "notifications.py")
    at = sign_in(app(), demo_engine, username)
    assert offers(at, "notifications.py")
    at = open_page(at, "notifications.py")
    assert not at.exception and at.title[0].value == "Notifikasi"
