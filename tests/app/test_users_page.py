"""The users page in AppTest: the administrator lists, creates and deactivates users; nobody else gets it."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from evaluation.db import read_session
from evaluation.models import User
from tests.app.signed_in import APP, PAGES, TEST_PASSWORD, fresh_agency, offers, signed_in_page, token_for

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def user_named(engine, username: str) -> User | None:
    with read_session(engine) as session:
        return session.exec(select(User).where(User.username == username)).first()


def fill_create_form(at: AppTest, *, username: str, password: str, role: str = "reviewer") -> AppTest:
    at.text_input(key="us_username").input(username)
    at.text_input(key="us_full_name").input("Pengguna Uji")
    at.selectbox(key="us_role").set_value(role)
    at.text_input(key="us_password").input(password)
    return next(b for b in at.button if b.label == "Tambah pengguna").click().run()


def test_the_admin_sees_the_demo_users(demo_engine):
    at = signed_in_page(demo_engine, "admin", "users.py")
    assert not at.exception
    assert at.title[0].value == "Pengguna"
    table = at.dataframe[0].value
    demo = table[table["Nama pengguna"].isin(["admin", "asesor", "koordinator", "operator"])]
    assert demo["Peran"].tolist() == [
        "Administrator",
        "Asesor kementerian",
        "Koordinator SPBE",
        "Operator instansi",
    ]
    assert demo["Aktif"].tolist() == [True] * 4


def test_a_too_short_password_is_refused(demo_engine):
    username = f"uji-{uuid.uuid4().hex[:6]}"
    at = fill_create_form(
        signed_in_page(demo_engine, "admin", "users.py"), username=username, password="pendek"
    )
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error] == ["Kata sandi minimal 12 karakter."]
    assert not at.success
    assert user_named(demo_engine, username) is None


def test_a_valid_new_user_is_created(demo_engine):
    username = f"uji-{uuid.uuid4().hex[:6]}"
    at = signed_in_page(demo_engine, "admin", "users.py")
    at = fill_create_form(at, username=username.upper(), password=TEST_PASSWORD)
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Perubahan disimpan."]
    created = user_named(demo_engine, username)
    assert created is not None
    assert (created.role, created.agency_id, created.active) == ("reviewer", None, True)
    assert token_for(demo_engine, username)  # the new user can sign in
    at.run()
    assert username in at.dataframe[0].value["Nama pengguna"].tolist()


def test_an_agency_role_without_an_agency_is_refused(demo_engine):
    username = f"uji-{uuid.uuid4().hex[:6]}"
    at = signed_in_page(demo_engine, "admin", "users.py")
    at = fill_create_form(at, username=username, password="sandi-baru-yang-cukup", role="operator")
    [error] = [e.value.replace("\\", "") for e in at.error]
    assert error.startswith("Instansi wajib dipilih")
    assert user_named(demo_engine, username) is None


def test_deactivating_a_user_ends_their_sessions(demo_engine):
    agency = fresh_agency(demo_engine)
    token = token_for(demo_engine, agency.operator)
    at = signed_in_page(demo_engine, "admin", "users.py")
    target = user_named(demo_engine, agency.operator)
    at.selectbox(key="us_pick").set_value(target.id)
    at.button(key="us_toggle").click().run()
    assert [s.value for s in at.success] == ["Perubahan disimpan."]
    assert user_named(demo_engine, agency.operator).active is False

    page = AppTest.from_file(str(APP), default_timeout=60)
    page.session_state["session_token"] = token
    page.run()
    assert "session_token" not in page.session_state
    assert offers(page, "login.py") and not offers(page, "assessment.py")


def test_changing_a_users_role_ends_their_sessions(demo_engine):
    agency = fresh_agency(demo_engine)
    token = token_for(demo_engine, agency.operator)
    at = signed_in_page(demo_engine, "admin", "users.py")
    target = user_named(demo_engine, agency.operator)
    at.selectbox(key="us_pick").set_value(target.id)
    at.selectbox(key="us_new_role").set_value("reviewer")
    at.button(key="us_role_change").click().run()
    assert not at.exception and [s.value for s in at.success] == ["Perubahan disimpan."]
    changed = user_named(demo_engine, agency.operator)
    assert (changed.role, changed.agency_id) == ("reviewer", None)
    page = AppTest.from_file(str(APP), default_timeout=60)
    page.session_state["session_token"] = token
    page.run()
    assert "session_token" not in page.session_state


def test_a_guessable_password_is_refused_saying_why(demo_engine):
    username = f"uji-{uuid.uuid4().hex[:6]}"
    at = fill_create_form(
        signed_in_page(demo_engine, "admin", "users.py"), username=username, password="password1234"
    )
    assert "mudah ditebak" in at.error[0].value
    assert user_named(demo_engine, username) is None


@pytest.mark.parametrize("username", ["operator", "asesor"])
def test_other_roles_are_not_offered_the_users_page(demo_engine, username):
    at = signed_in_page(demo_engine, username, "audit.py")
    assert not offers(at, "users.py")


def test_the_users_page_itself_refuses_a_non_admin(demo_engine):
    at = AppTest.from_file(str(PAGES / "users.py"), default_timeout=60)
    at.session_state["session_token"] = token_for(demo_engine, "koordinator")
    at.run()
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error] == [
        "Peran 'coordinator' tidak boleh melakukan ini (perlu: admin)."
    ]
    assert not at.dataframe and not at.text_input
