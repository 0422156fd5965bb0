"""Password sign-in (argon2id) with throttling (auth_throttle.py) and multi-factor codes (mfa.py).

`authenticate` claims throttle slots in a short committed write, then checks the password outside any
transaction or writer lock (and the TOTP code when the user has multi-factor sign-in; without one it
raises `SecondFactorRequired` and the page asks for it, then calls `verify_second_factor`). What follows
a sign-in (the one-time code for the cookie, sessions, logout) is in sessions.py, re-exported here.
Call these with a fresh session (`read_session`): they commit it in steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from evaluation.db import is_sqlite, sqlite_writer_lock
from evaluation.models import User, utcnow
from evaluation.services import audit
from evaluation.services import auth_throttle as throttle
from evaluation.services.actors import Actor
from evaluation.services.mfa import mfa_enabled, revoke_sessions, verify_code
from evaluation.services.passwords import MAX_LENGTH, normalise_username
from evaluation.services.sessions import (
    ACTIVITY_GRANULARITY,
    COOKIE_NAME,
    NONCE_COOKIE,
    actor_of,
    create_handoff,
    logout,
    redeem_handoff,
    touch_session,
    user_for_token,
)
from evaluation.translatable import InvalidInput, Translatable

__all__ = [  # the session half lives in sessions.py; callers may import it from here
    "ACTIVITY_GRANULARITY",
    "COOKIE_NAME",
    "NONCE_COOKIE",
    "actor_of",
    "create_handoff",
    "logout",
    "redeem_handoff",
    "revoke_sessions",
    "touch_session",
    "user_for_token",
]

HASHER = PasswordHasher()  # argon2id with the library's current parameters
LOCAL_CLIENT = "local"


class AuthError(Translatable, ValueError):
    """Sign-in refused; the message is the same for an unknown user, a wrong password or code and a
    throttled attempt, so it is safe to show."""


class SecondFactorRequired(Exception):
    """The password was right; the user has multi-factor sign-in, so a code must follow
    (`verify_second_factor` with this `user_id`)."""

    def __init__(self, user_id: int) -> None:
        super().__init__("second factor required")
        self.user_id = user_id


def hash_password(password: str) -> str:
    """The argon2id hash of a password (the policy is checked by the services that set passwords)."""
    if not password or len(password) > MAX_LENGTH:
        raise InvalidInput("ea.password_length", n=MAX_LENGTH)
    return HASHER.hash(password)


def _begin_write(session: Session) -> None:
    """Start the session's next transaction as a writer (SQLite: BEGIN IMMEDIATE, so it queues)."""
    if session.get_bind().dialect.name == "sqlite" and not session.in_transaction():
        session.connection(execution_options={"sqlite_immediate": True})


@contextmanager
def _write_turn(session: Session) -> Iterator[None]:
    """A short write transaction, committed at the end (with this process's SQLite writer lock): argon2
    runs between turns, so no writer waits for a password check."""
    engine = session.get_bind()
    lock = sqlite_writer_lock(engine) if isinstance(engine, Engine) and is_sqlite(engine) else None
    if lock is not None:
        lock.acquire()
    try:
        _begin_write(session)
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        if lock is not None:
            lock.release()


def _failed(session: Session, name: str, client: str, reason: str) -> AuthError:
    with _write_turn(session):
        audit.record(
            session,
            actor=Actor(user_id=None, username=(name or "-")[:80], role="anonymous"),
            action="sign_in_failed",
            entity="user",
            entity_id=(name or "-")[:64],
            new={"client": client, "reason": reason},
        )
    return AuthError("ea.sign_in_refused")


def verify_password(stored_hash: str, password: str) -> bool:
    """True when `password` matches the stored argon2 hash (one full argon2 verification)."""
    try:
        return bool(HASHER.verify(stored_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    client: str = LOCAL_CLIENT,
    code: str | None = None,
    now: datetime | None = None,
) -> User:
    """The user whose password (and code, with multi-factor sign-in) this is.

    `client` is the remote address (throttled separately from the account). Commits the session: the
    throttle slots are claimed and committed *before* the password is checked. Raises AuthError (one
    message for every refusal, about the same time spent), or SecondFactorRequired when the password is
    right but the user's code is still needed."""
    now = now or utcnow()
    name = normalise_username(username)[:80]
    client_key, account_key = throttle.client_key(client), throttle.account_key(name)
    with _write_turn(session):  # the claims count for every other attempt before any password is checked
        client_was_clean = throttle.failures(session, client_key) == 0
        client_ok, account_ok = throttle.claim_both(session, client_key, account_key, now=now)
        user = session.exec(select(User).where(User.username == name)).first()
        found = (user.id or 0, user.password_hash, user.active, mfa_enabled(user)) if user else None
    # an account throttled by someone else's guesses: a clean client may try password + code together
    bypass = client_ok and not account_ok and client_was_clean and bool(code)
    if not (account_ok or bypass) or (bypass and not (found and found[3])):
        HASHER.hash(password or "-")  # the same work as a check, so the answer takes as long
        raise _failed(session, name, client, "throttled")
    if found is None or not found[2]:
        HASHER.hash(password or "-")
        raise _failed(session, name, client, "unknown or inactive user")
    user_id, stored_hash, _active, with_mfa = found
    if not verify_password(stored_hash, password or ""):
        raise _failed(session, name, client, "wrong password")
    if with_mfa and not code:
        raise SecondFactorRequired(user_id)
    new_hash = HASHER.hash(password) if HASHER.check_needs_rehash(stored_hash) else None
    with _write_turn(session):
        code_ok = not with_mfa or verify_code(session, user_id=user_id, code=code or "", now=now)
        if code_ok:
            throttle.reset(session, client_key, account_key)
            if new_hash:
                session.execute(update(User).where(col(User.id) == user_id).values(password_hash=new_hash))
    return _signed_in(session, code_ok, name, client, user_id)


def _signed_in(session: Session, code_ok: bool, name: str, client: str, user_id: int) -> User:
    """The user whose second factor (if any) was checked, or AuthError ("wrong code", logged) when not."""
    if not code_ok:
        raise _failed(session, name, client, "wrong code")
    user = session.get(User, user_id)
    assert user is not None
    return user


def verify_second_factor(
    session: Session, *, user_id: int, code: str, client: str = LOCAL_CLIENT, now: datetime | None = None
) -> User:
    """The second step after `SecondFactorRequired`: the user when `code` is their TOTP code or an unused
    recovery code. Only call it for a user whose password this server session has just checked.
    Throttled like the password (slots claimed first); commits the session; raises AuthError."""
    now = now or utcnow()
    with _write_turn(session):
        name = session.exec(select(User.username).where(User.id == user_id)).first() or "-"
        client_key, account_key = throttle.client_key(client), throttle.account_key(name)
        _client_ok, account_ok = throttle.claim_both(session, client_key, account_key, now=now)
    if not account_ok:
        raise _failed(session, name, client, "throttled")
    with _write_turn(session):
        user = session.get(User, user_id)
        code_ok = (
            user is not None and user.active and verify_code(session, user_id=user_id, code=code, now=now)
        )
        if code_ok:
            throttle.reset(session, client_key, account_key)
    return _signed_in(session, code_ok, name, client, user_id)


def reauthenticate(
    session: Session, *, user_id: int, password: str, client: str = LOCAL_CLIENT, now: datetime | None = None
) -> None:
    """Check a signed-in user's current password before a sensitive change, throttled like a sign-in
    (so a borrowed session cannot guess it). Commits the session; raises AuthError when it is wrong."""
    now = now or utcnow()
    with _write_turn(session):
        row = session.exec(select(User.username, User.password_hash).where(User.id == user_id)).first()
        name = row[0] if row else "-"
        client_key, account_key = throttle.client_key(client), throttle.account_key(name)
        _client_ok, account_ok = throttle.claim_both(session, client_key, account_key, now=now)
    wrong = AuthError("ea.current_password_wrong")
    if row is None or not account_ok:
        HASHER.hash(password or "-")
        _failed(session, name, client, "re-authentication throttled")
        raise wrong
    if not verify_password(row[1], password or ""):
        _failed(session, name, client, "re-authentication: wrong password")
        raise wrong
    with _write_turn(session):
        throttle.reset(session, client_key, account_key)
