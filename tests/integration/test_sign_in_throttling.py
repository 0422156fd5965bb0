"""Sign-in throttling (issue 11): per client and per account, growing delays, atomic slot claims, one
answer for every refusal, and failed sign-ins in the audit log. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlmodel import col, select

from evaluation.db import read_session, write_session
from evaluation.models import AuditEntry
from evaluation.services import auth
from evaluation.services import auth_throttle as throttle
from evaluation.services.auth import AuthError, SecondFactorRequired, authenticate
from evaluation.services.mfa import enable_mfa
from tests.integration.workflow_fixtures import PASSWORD, World

pytestmark = pytest.mark.db

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
WRONG = "bukan-kata-sandinya-2026"


class CountingHasher(PasswordHasher):
    """The test's argon2 hasher: counts verifications against one stored hash (the real checks)."""

    def __init__(self, watched: str) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.watched, self.checks, self._lock = watched, 0, threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        if hash == self.watched:
            with self._lock:
                self.checks += 1
        return super().verify(hash, password)


REFUSED = "ea.sign_in_refused"  # one answer for an unknown user, a wrong password and a throttled one


def stored_hash(world: World, name: str) -> str:
    from evaluation.models import User

    with read_session(world.engine) as session:
        return session.exec(select(User.password_hash).where(User.username == name)).one()


def attempt(
    world: World, password: str, *, name: str = "operator", client: str = "10.0.0.1", now=T0, code=None
) -> str:
    """'ok', 'code' (a second factor is needed) or the refusal's message id."""
    try:
        with read_session(world.engine) as session:
            authenticate(session, username=name, password=password, client=client, code=code, now=now)
    except AuthError as refused:
        return refused.key
    except SecondFactorRequired:
        return "code"
    return "ok"


@pytest.fixture
def counter(world: World, monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    hasher = CountingHasher(stored_hash(world, "operator"))
    monkeypatch.setattr(auth, "HASHER", hasher)
    return hasher


@pytest.mark.parametrize("clients", ["one client", "twenty clients"])
def test_twenty_parallel_wrong_guesses_check_the_password_at_most_five_times(world, counter, clients):
    def guess(i: int) -> str:
        client = "10.0.0.1" if clients == "one client" else f"10.0.1.{i}"
        return attempt(world, WRONG, client=client)

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(guess, range(20)))
    assert answers == [REFUSED] * 20
    assert 1 <= counter.checks <= throttle.FREE_FAILURES


def test_after_five_failures_the_next_attempt_waits_one_second_then_two(world, counter):
    for _ in range(5):
        attempt(world, WRONG)
    assert counter.checks == 5
    assert attempt(world, PASSWORD, now=T0 + timedelta(milliseconds=900)) == REFUSED  # not even checked
    assert counter.checks == 5
    assert attempt(world, WRONG, now=T0 + timedelta(seconds=1)) == REFUSED  # the sixth failure: 2 s
    assert attempt(world, PASSWORD, now=T0 + timedelta(seconds=2.5)) == REFUSED
    assert attempt(world, PASSWORD, now=T0 + timedelta(seconds=3)) == "ok"
    assert counter.checks == 7


@pytest.mark.parametrize(("failures", "seconds"), [(4, 0), (5, 1), (6, 2), (9, 16), (30, 60)])
def test_the_account_delay_doubles_and_stops_at_a_minute(failures, seconds):
    assert throttle.delay_after(failures, throttle.ACCOUNT_CAP) == timedelta(seconds=seconds)


def test_the_client_delay_grows_to_fifteen_minutes():
    assert throttle.delay_after(40, throttle.CLIENT_CAP) == timedelta(minutes=15)


def test_unknown_user_wrong_password_and_throttled_get_the_same_answer(world):
    unknown = attempt(world, PASSWORD, name="tidak-ada", client="10.0.2.1")
    wrong = attempt(world, WRONG, client="10.0.2.2")
    for _ in range(5):
        attempt(world, WRONG, client="10.0.2.3")
    throttled = attempt(world, PASSWORD, client="10.0.2.3")
    assert unknown == wrong == throttled == REFUSED


def hammer(world: World, name: str, start: datetime, seconds: int) -> datetime:
    """A botnet guessing `name`'s password every second from a new address; when the account's current
    delay ends."""
    from evaluation.models import SignInThrottle

    for second in range(seconds):
        attempt(
            world,
            WRONG,
            name=name,
            client=f"203.0.{second // 200}.{second % 200}",
            now=start + timedelta(seconds=second),
        )
    with read_session(world.engine) as session:
        row = session.exec(
            select(SignInThrottle).where(SignInThrottle.key == throttle.account_key(name))
        ).one()
    assert row.blocked_until is not None
    return row.blocked_until.replace(tzinfo=UTC)


def test_a_strangers_guesses_delay_the_real_user_by_a_minute_at_most(world, counter):
    blocked_until = hammer(world, "operator", T0, 150)
    assert counter.checks < 15  # 150 guesses, a handful checked
    assert blocked_until - T0 <= timedelta(seconds=150 + 60)
    assert attempt(world, PASSWORD, client="192.0.2.7", now=blocked_until - timedelta(seconds=1)) == REFUSED
    assert attempt(world, PASSWORD, client="192.0.2.7", now=blocked_until) == "ok"


def test_a_clean_client_signs_in_with_password_and_code_while_strangers_keep_the_account_throttled(world):
    secret = pyotp.random_base32()
    with write_session(world.engine) as session:
        enable_mfa(
            session, actor=world.actors["admin"], secret=secret, code=pyotp.TOTP(secret).at(T0), now=T0
        )
    blocked_until = hammer(world, "admin", T0 + timedelta(seconds=31), 90)
    during = blocked_until - timedelta(seconds=2)
    assert attempt(world, PASSWORD, name="admin", client="192.0.2.8", now=during) == REFUSED  # no code
    code = pyotp.TOTP(secret).at(during)
    assert attempt(world, PASSWORD, name="admin", client="192.0.2.9", now=during, code=code) == "ok"


def test_the_bypass_is_not_given_to_accounts_without_a_second_factor(world):
    for i in range(12):
        attempt(world, WRONG, client=f"203.0.113.{i}")
    half = T0 + timedelta(milliseconds=500)
    assert attempt(world, PASSWORD, client="192.0.2.10", now=half, code="123456") == REFUSED


def test_a_client_that_failed_five_times_is_throttled_on_every_account(world):
    for _ in range(5):
        attempt(world, WRONG, name="operator", client="10.0.3.1")
    assert attempt(world, PASSWORD, name="reviewer", client="10.0.3.1") == REFUSED
    assert attempt(world, PASSWORD, name="reviewer", client="10.0.3.2") == "ok"


def test_success_clears_the_failures_of_the_client_and_the_account(world):
    for _ in range(4):
        attempt(world, WRONG)
    assert attempt(world, PASSWORD) == "ok"
    for _ in range(4):
        attempt(world, WRONG)
    assert attempt(world, PASSWORD) == "ok"


def test_a_user_with_a_second_factor_is_asked_for_the_code_after_the_right_password(world):
    secret = pyotp.random_base32()
    with write_session(world.engine) as session:
        enable_mfa(
            session, actor=world.actors["admin"], secret=secret, code=pyotp.TOTP(secret).at(T0), now=T0
        )
    later = T0 + timedelta(seconds=60)
    assert attempt(world, PASSWORD, name="admin", now=later) == "code"
    assert attempt(world, WRONG, name="admin", now=later) == REFUSED
    assert attempt(world, PASSWORD, name="admin", now=later, code="000000") == REFUSED


def test_failed_sign_ins_are_audited_with_the_typed_name_normalised_and_the_client(world):
    attempt(world, WRONG, name="  ＯＰＥＲＡＴＯＲ ", client="198.51.100.4")
    attempt(world, WRONG, name="tidak-ada", client="198.51.100.5")
    with read_session(world.engine) as session:
        rows = session.exec(
            select(AuditEntry).where(AuditEntry.action == "sign_in_failed").order_by(col(AuditEntry.id))
        ).all()
    assert [(r.actor, r.user_id) for r in rows] == [("operator", None), ("tidak-ada", None)]
    assert "198.51.100.4" in (rows[0].new_value or "") and "wrong password" in (rows[0].new_value or "")
    assert PASSWORD not in (rows[0].new_value or "") and WRONG not in (rows[0].new_value or "")
