"""Server-side sessions and the one-time code behind the cookie (signing in itself is `auth`).

`create_handoff` gives a one-time code bound to the browser's pre-sign-in nonce, which that browser
exchanges at /auth/session (`redeem_handoff`) for a session whose random token goes into an HttpOnly
cookie; `user_for_token` recognises it on every run, on any app server, until it is idle too long
(`SPBE_SESSION_IDLE_MINUTES`), older than its absolute lifetime (`SPBE_SESSION_MAX_HOURS`) or revoked;
`logout` ends it everywhere. Only hashes of codes, nonces and tokens are stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from evaluation.models import LoginHandoff, User, UserSession, utcnow
from evaluation.services import audit
from evaluation.services.actors import Actor
from evaluation.settings import session_idle_timeout, session_max_lifetime
from evaluation.translatable import InvalidInput

HANDOFF_LIFETIME = timedelta(seconds=60)
ACTIVITY_GRANULARITY = timedelta(seconds=30)
COOKIE_NAME = "spbe_session"
NONCE_COOKIE = "spbe_presign"  # the pre-sign-in nonce: HttpOnly, set on the first page load


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def actor_of(user: User) -> Actor:
    return Actor(user_id=user.id, username=user.username, role=user.role, agency_id=user.agency_id)


def create_handoff(session: Session, *, user: User, nonce: str, now: datetime | None = None) -> str:
    """A one-time code (60 s) that only the browser holding `nonce` (its pre-sign-in cookie) can redeem."""
    if not nonce:
        raise InvalidInput("ea.nonce_required")
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
    _log_own(session, handoff.user_id, "login")
    session.flush()
    return token


def _log_own(session: Session, user_id: int, action: str) -> None:
    """Log a user's own `action` ("login", "logout") on their account, when the account still exists."""
    user = session.get(User, user_id)
    if user is not None:
        audit.record(session, actor=actor_of(user), action=action, entity="user", entity_id=user.id)


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
        _log_own(session, record.user_id, "logout")
