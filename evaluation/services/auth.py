"""Password login (argon2id), lockout, server-side sessions and the one-time code behind the cookie.

Flow: `authenticate` checks the password; `create_handoff` gives a one-time code that the browser
exchanges at /auth/session (`redeem_handoff`) for a session whose random token goes into an HttpOnly
cookie; `user_for_token` recognises it on every run, on any app server; `logout` ends it everywhere.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import update
from sqlmodel import Session, col, select

from evaluation.models import LoginHandoff, User, UserSession, utcnow
from evaluation.services import audit
from evaluation.services.actors import Actor

HASHER = PasswordHasher()  # argon2id with the library's current parameters
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SPBE_SESSION_IDLE_MINUTES", "30")))
HANDOFF_LIFETIME = timedelta(seconds=60)
ACTIVITY_GRANULARITY = timedelta(seconds=30)
MIN_PASSWORD = 10
COOKIE_NAME = "spbe_session"


class AuthError(ValueError):
    """Login refused; the message is safe to show (it never says which of name or password was wrong)."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(
            f"Kata sandi minimal {MIN_PASSWORD} karakter. / "
            f"The password needs at least {MIN_PASSWORD} characters."
        )
    return HASHER.hash(password)


def actor_of(user: User) -> Actor:
    return Actor(user_id=user.id, username=user.username, role=user.role, agency_id=user.agency_id)


def _aware(moment: datetime | None) -> datetime | None:
    from datetime import UTC

    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def authenticate(session: Session, *, username: str, password: str, now: datetime | None = None) -> User:
    now = now or utcnow()
    refused = AuthError("Nama pengguna atau kata sandi salah. / Wrong username or password.")
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None or not user.active:
        HASHER.hash(password or "-")  # same work either way, so timing does not reveal who exists
        raise refused
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > now:
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        raise AuthError(
            f"Akun terkunci sementara; coba lagi dalam {minutes} menit. / "
            f"Account locked; try again in {minutes} minutes."
        )
    try:
        HASHER.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            audit.record(
                session,
                actor=actor_of(user),
                change_set=audit.new_change_set(),
                action="lockout",
                entity="user",
                entity_id=user.id,
                new=(now + LOCKOUT).isoformat(),
            )
        session.add(user)
        session.commit()
        raise refused from None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    session.flush()
    return user


def create_handoff(session: Session, *, user: User, now: datetime | None = None) -> str:
    code = secrets.token_urlsafe(32)
    assert user.id is not None
    session.add(
        LoginHandoff(
            code_hash=_digest(code), user_id=user.id, expires_at=(now or utcnow()) + HANDOFF_LIFETIME
        )
    )
    session.flush()
    return code


def redeem_handoff(session: Session, *, code: str, now: datetime | None = None) -> str | None:
    """Exchange a fresh, unused code for a new session token (None when the code is not valid)."""
    now = now or utcnow()
    handoff = session.exec(select(LoginHandoff).where(LoginHandoff.code_hash == _digest(code))).first()
    expires = _aware(handoff.expires_at) if handoff else None
    if handoff is None or handoff.used_at is not None or expires is None or expires < now:
        return None
    # Claim it atomically: of two requests racing with one code, only one finds a row to update.
    claimed = session.execute(
        update(LoginHandoff)
        .where(col(LoginHandoff.id) == handoff.id, col(LoginHandoff.used_at).is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(token_hash=_digest(token), user_id=handoff.user_id, created_at=now, last_seen_at=now)
    )
    user = session.get(User, handoff.user_id)
    if user is not None:
        audit.record(
            session,
            actor=actor_of(user),
            change_set=audit.new_change_set(),
            action="login",
            entity="user",
            entity_id=user.id,
        )
    session.flush()
    return token


def user_for_token(
    session: Session, *, token: str | None, now: datetime | None = None, touch: bool = True
) -> User | None:
    """The user of a live session; sessions idle past the timeout or revoked are refused. With `touch`,
    the caller's transaction also records the activity (at most every 30 s)."""
    if not isinstance(token, str) or not token:
        return None
    now = now or utcnow()
    record = session.exec(select(UserSession).where(UserSession.token_hash == _digest(token))).first()
    if record is None or record.revoked_at is not None:
        return None
    last_seen = _aware(record.last_seen_at)
    if last_seen is None or now - last_seen > IDLE_TIMEOUT:
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.active:
        return None
    if touch and now - last_seen > ACTIVITY_GRANULARITY:
        record.last_seen_at = now
        session.add(record)
        session.flush()
    return user


def touch_session(session: Session, *, token: str, now: datetime | None = None) -> None:
    """Record that a live session was used (what keeps it from expiring)."""
    now = now or utcnow()
    session.execute(
        update(UserSession)
        .where(col(UserSession.token_hash) == _digest(token), col(UserSession.revoked_at).is_(None))
        .values(last_seen_at=now)
    )


def logout(session: Session, *, token: str | None, now: datetime | None = None) -> None:
    if not token:
        return
    record = session.exec(select(UserSession).where(UserSession.token_hash == _digest(token))).first()
    if record is not None and record.revoked_at is None:
        record.revoked_at = now or utcnow()
        session.add(record)
        user = session.get(User, record.user_id)
        if user is not None:
            audit.record(
                session,
                actor=actor_of(user),
                change_set=audit.new_change_set(),
                action="logout",
                entity="user",
                entity_id=user.id,
            )
