"""Passwords per NIST SP 800-63B (12-128 characters, not the user name, zxcvbn score >= 3) wherever a
password is set, and user names normalised (NFKC, case) so that look-alikes are refused."""

from __future__ import annotations

import io

import pytest
from sqlmodel import select

from evaluation.__main__ import main
from evaluation.db import read_session, write_session
from evaluation.demo.data import DEMO_USERS
from evaluation.models import User
from evaluation.services.auth import AuthError, authenticate
from evaluation.services.passwords import PasswordRejected, check_password, check_username
from evaluation.services.users import change_own_password, create_user, reset_password
from tests.integration.workflow_fixtures import PASSWORD, World

GOOD = "jembatan-kayu-berlumut-7"


@pytest.mark.parametrize(
    ("password", "username", "reason"),
    [
        ("pendek-11ch", "budi", "at least 12"),
        ("x" * 60 + "Kz9!" * 18 + "y", "budi", "at most 128"),
        ("budi.santoso-2026", "budi.santoso", "contain the username"),
        ("BUDI.SANTOSO-2026!", "budi.santoso", "contain the username"),
        ("password1234", "budi", "too easy to guess"),
        ("qwertyuiop123", "budi", "too easy to guess"),
        ("aaaaaaaaaaaaaaaa", "budi", "too easy to guess"),
        ("indonesia2026", "budi", "too easy to guess"),
        ("abcdefghijkl", "budi", "too easy to guess"),
    ],
    ids=[
        "short",
        "long",
        "username",
        "username-case",
        "common",
        "keyboard",
        "repeat",
        "word-year",
        "sequence",
    ],
)
def test_a_password_breaking_a_rule_is_refused_saying_why_in_both_languages(password, username, reason):
    with pytest.raises(PasswordRejected) as refused:
        check_password(password, username=username)
    indonesian, english = str(refused.value).split(". / ", 1)
    assert reason in english and "Kata sandi" in indonesian


@pytest.mark.parametrize("password", [GOOD, "x" * 4 + "Kz9!hutan-pinus-merapi" + "q" * 102])
def test_a_long_uncommon_password_is_accepted(password):
    check_password(password, username="budi")


@pytest.mark.parametrize(("username", "password"), [(u, p) for u, _n, _r, _a, p in DEMO_USERS])
def test_the_published_demo_passwords_pass_the_policy(username, password):
    check_password(password, username=username)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" ＡＤＭＩＮ ", "admin"), ("Budi.Santoso", "budi.santoso"), ("ｏｐｅｒａｔｏｒ-2", "operator-2")],
)
def test_user_names_are_normalised_with_nfkc_and_case_folding(typed, stored):
    assert check_username(typed) == stored


@pytest.mark.parametrize("name", ["оperator", "adm in", "a", "ädmin", "-admin", "x" * 81])
def test_user_names_outside_ascii_letters_digits_and_dot_dash_underscore_are_refused(name):
    with pytest.raises(ValueError, match="Username"):
        check_username(name)


# --- wherever a password is set (both databases) ---------------------------------------------------

pytestmark_db = pytest.mark.db


def new_user(world: World, username: str, password: str) -> None:
    with write_session(world.engine) as session:
        create_user(
            session,
            actor=world.actors["admin"],
            username=username,
            full_name="X",
            password=password,
            role="reviewer",
        )


@pytestmark_db
@pytest.mark.parametrize("look_alike", ["ＯＰＥＲＡＴＯＲ", "Operator", " operator "])
def test_a_look_alike_of_an_existing_user_name_is_refused_as_taken(world, look_alike):
    with pytest.raises(ValueError, match="taken"):
        new_user(world, look_alike, GOOD)


@pytestmark_db
def test_creating_a_user_with_a_guessable_password_is_refused_and_nothing_is_stored(world):
    with pytest.raises(PasswordRejected, match="too easy to guess"):
        new_user(world, "baru", "password1234")
    with read_session(world.engine) as session:
        assert session.exec(select(User).where(User.username == "baru")).first() is None


@pytestmark_db
def test_an_admin_reset_applies_the_policy(world):
    with (
        write_session(world.engine) as session,
        pytest.raises(PasswordRejected, match="contain the username"),
    ):
        reset_password(
            session,
            actor=world.actors["admin"],
            user_id=world.users["operator"],
            password="operator-baru-2026",
        )


@pytestmark_db
def test_ones_own_change_applies_the_policy_and_keeps_the_old_password_when_refused(world):
    with write_session(world.engine) as session, pytest.raises(PasswordRejected, match="at least 12"):
        change_own_password(
            session, actor=world.actors["reviewer"], current_password=PASSWORD, new_password="pendek"
        )
    with write_session(world.engine) as session:
        assert authenticate(session, username="reviewer", password=PASSWORD).username == "reviewer"


@pytestmark_db
def test_signing_in_with_a_fullwidth_user_name_finds_the_same_account(world):
    with write_session(world.engine) as session:
        assert authenticate(session, username="ＲＥＶＩＥＷＥＲ", password=PASSWORD).username == "reviewer"


@pytestmark_db
def test_a_wrong_current_password_is_refused(world):
    with write_session(world.engine) as session, pytest.raises(AuthError):
        change_own_password(
            session, actor=world.actors["reviewer"], current_password="salah", new_password=GOOD
        )


@pytestmark_db
def test_the_create_user_command_refuses_a_weak_password(world, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", world.engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr("sys.stdin", io.StringIO("password1234\n"))
    assert main(["create-user", "kepala", "--role", "reviewer", "--password-stdin"]) == 2
    assert "mudah ditebak" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD + "\n"))
    assert main(["create-user", "kepala", "--role", "reviewer", "--password-stdin"]) == 0
