"""Password sign-in (argon2id) with throttling and multi-factor codes, server-side sessions and the
one-time code behind the cookie.

Flow: `authenticate` claims throttle slots, then checks the password (and the TOTP code when the user has
multi-factor sign-in; without one it raises `SecondFactorRequired` and the page asks for it, then calls
`verify_second_factor`); `create_handoff` gives a one-time code bound to the browser's pre-sign-in nonce,
which that browser exchanges at /auth/session (`redeem_handoff`) for a session whose random token goes
into an HttpOnly cookie; `user_for_token` recognises it on every run, on any app server, until it is idle
too long, older than its absolute lifetime, or revoked; `logout` ends it everywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import update
from sqlmodel import Session, col, select

from evaluation.models import LoginHandoff, User, UserSession, utcnow
from evaluation.services import audit
from evaluation.services import auth_throttle as throttle
from evaluation.services.actors import Actor
from evaluation.services.mfa import mfa_enabled, revoke_sessions, verify_code
from evaluation.services.passwords import MAX_LENGTH, normalise_username
from evaluation.settings import session_idle_timeout, session_max_lifetime

__all__ = ["revoke_sessions"]

HASHER = PasswordHasher()  # argon2id with the library's current parameters
HANDOFF_LIFETIME = timedelta(seconds=60)
ACTIVITY_GRANULARITY = timedelta(seconds=30)
COOKIE_NAME = "spbe_session"
NONCE_COOKIE = "spbe_presign"  # the pre-sign-in nonce: HttpOnly, set on the first page load
LOCAL_CLIENT = "local"
REFUSED = "Nama pengguna atau kata sandi salah. / Wrong username or password."


class AuthError(ValueError):
    """Sign-in refused; the message is the same for an unknown user, a wrong password or code and a
    throttled attempt, so it is safe to show."""


class SecondFactorRequired(Exception):
    """The password was right; the user has multi-factor sign-in, so a code must follow
    (`verify_second_factor` with this `user_id`)."""

    def __init__(self, user_id: int) -> None:
        super().__init__("second factor required")
        self.user_id = user_id


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    """The argon2id hash of a password (the policy is checked by the services that set passwords)."""
    if not password or len(password) > MAX_LENGTH:
        raise ValueError(
            f"Kata sandi 1-{MAX_LENGTH} karakter. / The password needs 1 to {MAX_LENGTH} characters."
        )
    return HASHER.hash(password)


def actor_of(user: User) -> Actor:
    return Actor(user_id=user.id, username=user.username, role=user.role, agency_id=user.agency_id)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _begin_write(session: Session) -> None:
    """Start the session's next transaction as a writer (SQLite: BEGIN IMMEDIATE, so it queues)."""
    if session.get_bind().dialect.name == "sqlite" and not session.in_transaction():
        session.connection(execution_options={"sqlite_immediate": True})


def _failed(session: Session, name: str, client: str, reason: str) -> AuthError:
    _begin_write(session)
    audit.record(
        session,
        actor=Actor(user_id=None, username=(name or "-")[:80], role="anonymous"),
        change_set=audit.new_change_set(),
        action="sign_in_failed",
        entity="user",
        entity_id=(name or "-")[:64],
        new={"client": client, "reason": reason},
    )
    session.commit()
    return AuthError(REFUSED)


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
    _begin_write(session)
    client_was_clean = throttle.failures(session, client_key) == 0
    client_ok, account_ok = throttle.claim_both(session, client_key, account_key, now=now)
    # an account throttled by someone else's guesses: a clean client may try password + code together
    bypass = client_ok and not account_ok and client_was_clean and bool(code)
    user = session.exec(select(User).where(User.username == name)).first()
    found = (user.id or 0, user.password_hash, user.active, mfa_enabled(user)) if user else None
    session.commit()  # the claims count for every other attempt from here on
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
    _begin_write(session)
    if with_mfa and not verify_code(session, user_id=user_id, code=code or "", now=now):
        session.rollback()
        raise _failed(session, name, client, "wrong code")
    throttle.reset(session, client_key, account_key)
    user = session.get(User, user_id)
    assert user is not None
    if HASHER.check_needs_rehash(stored_hash):
        user.password_hash = HASHER.hash(password)
        session.add(user)
    session.flush()
    return user


def verify_second_factor(
    session: Session, *, user_id: int, code: str, client: str = LOCAL_CLIENT, now: datetime | None = None
) -> User:
    """The second step after `SecondFactorRequired`: the user when `code` is their TOTP code or an unused
    recovery code. Only call it for a user whose password this server session has just checked.
    Throttled like the password (slots claimed first); raises AuthError."""
    now = now or utcnow()
    user = session.get(User, user_id)
    name = user.username if user is not None else "-"
    client_key, account_key = throttle.client_key(client), throttle.account_key(name)
    _begin_write(session)
    _client_ok, account_ok = throttle.claim_both(session, client_key, account_key, now=now)
    session.commit()
    if not account_ok:
        raise _failed(session, name, client, "throttled")
    _begin_write(session)
    user = session.get(User, user_id)
    if user is None or not user.active or not verify_code(session, user_id=user_id, code=code, now=now):
        session.rollback()
        raise _failed(session, name, client, "wrong code")
    throttle.reset(session, client_key, account_key)
    session.flush()
    return user


def create_handoff(session: Session, *, user: User, nonce: str, now: datetime | None = None) -> str:
    """A one-time code (60 s) that only the browser holding `nonce` (its pre-sign-in cookie) can redeem."""
    if not nonce:
        raise ValueError("A pre-sign-in nonce is needed to bind the sign-in to this browser.")
    code = secrets.token_urlsafe(32)
    assert user.id is not None
    session.add(
        LoginHandoff(
            code_hash=_digest(code),
            user_id=user.id,
            expires_at=(now or utcnow()) + HANDOFF_LIFETIME,
            nonce_hash=_digest(nonce),
        )
    )
    session.flush()
    return code


def redeem_handoff(
    session: Session, *, code: str, nonce: str | None, now: datetime | None = None
) -> str | None:
    """Exchange a fresh, unused code for a new session token, if `nonce` is the one of the browser that
    signed in (None when anything does not hold; a code tried from another browser stays unused)."""
    now = now or utcnow()
    handoff = session.exec(select(LoginHandoff).where(LoginHandoff.code_hash == _digest(code))).first()
    expires = _aware(handoff.expires_at) if handoff else None
    if handoff is None or handoff.used_at is not None or expires is None or expires < now:
        return None
    if not nonce or not handoff.nonce_hash or not hmac.compare_digest(handoff.nonce_hash, _digest(nonce)):
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
    """The user of a live session; sessions idle past the timeout, older than the absolute lifetime
    (`SPBE_SESSION_MAX_HOURS`) or revoked are refused. With `touch`, the caller's transaction also
    records the activity (at most every 30 s)."""
    if not isinstance(token, str) or not token:
        return None
    now = now or utcnow()
    record = session.exec(select(UserSession).where(UserSession.token_hash == _digest(token))).first()
    if record is None or record.revoked_at is not None:
        return None
    last_seen, created = _aware(record.last_seen_at), _aware(record.created_at)
    if last_seen is None or now - last_seen > session_idle_timeout():
        return None
    if created is None or now - created > session_max_lifetime():
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
    """Record that a live session was used (what keeps it from expiring while idle; the absolute
    lifetime still ends it)."""
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
