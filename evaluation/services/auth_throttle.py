"""Sign-in throttling instead of a lock: growing delays per client and per account, kept in the database
so that every app server agrees.

The model (see SECURITY.md, "Signing in"):

- An attempt first *claims a slot* on its client's row and on the account's row, in one atomic
  `UPDATE ... SET failures = failures + 1 ... WHERE blocked_until <= now RETURNING failures` each, and
  only then is the password checked. The claim counts as a failure until the sign-in succeeds (which
  resets both rows), so twenty parallel wrong guesses cannot all pass a read-then-write check: the fifth
  claim sets a delay and the others find the row blocked.
- After `FREE_FAILURES` (5) consecutive failures the next attempt is allowed only after 2^(n-5) seconds,
  n being the failures so far. Per client (the remote address) the delay grows to 15 minutes: strict.
  Per account it stops at one minute: a stranger's guesses slow the real user down, never lock them out.
- While an account is throttled, a client with no failures of its own may still try once if it sends the
  password *and* a valid TOTP code together (accounts with multi-factor sign-in): a botnet guessing
  passwords from fresh addresses cannot pass that, the real user can.

Unknown user names get rows like real ones, so throttling does not tell who exists.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from evaluation.models import SignInThrottle

FREE_FAILURES = 5
CLIENT_CAP = timedelta(minutes=15)
ACCOUNT_CAP = timedelta(minutes=1)


def client_key(client: str) -> str:
    """The row key of a client address (as the app server or the trusted proxy reports it)."""
    return "c:" + (client or "unknown")[:78]


def account_key(username: str) -> str:
    """The row key of a (normalised) user name: a hash, so any typed name fits and none is stored."""
    return "a:" + hashlib.sha256(username.encode()).hexdigest()


def delay_after(failures: int, cap: timedelta) -> timedelta:
    """How long the next attempt waits after `failures` consecutive failures: none up to 5, then
    1, 2, 4, ... seconds, at most `cap`."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    exponent = min(failures - FREE_FAILURES, 20)
    return min(timedelta(seconds=2**exponent), cap)


def failures(session: Session, key: str) -> int:
    """Consecutive failures (and claimed attempts) recorded for `key`; 0 when there is no row."""
    value = session.exec(select(SignInThrottle.failures).where(SignInThrottle.key == key)).first()
    return int(value or 0)


def _ensure_row(session: Session, key: str) -> None:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(SignInThrottle).values(key=key, failures=0).on_conflict_do_nothing(index_elements=["key"])
    )
    session.execute(statement)


def claim(session: Session, key: str, *, now: datetime, cap: timedelta) -> int | None:
    """Take an attempt slot for `key`: the failure count including this attempt, or None when the key is
    throttled (blocked until a later time). Atomic: one UPDATE ... RETURNING; the row stays locked by
    this transaction until it ends, so commit soon."""
    _ensure_row(session, key)
    row = session.execute(
        update(SignInThrottle)
        .where(
            col(SignInThrottle.key) == key,
            or_(col(SignInThrottle.blocked_until).is_(None), col(SignInThrottle.blocked_until) <= now),
        )
        .values(failures=col(SignInThrottle.failures) + 1, last_failure_at=now)
        .returning(col(SignInThrottle.failures))
    ).first()
    if row is None:
        return None
    count = int(row[0])
    wait = delay_after(count, cap)
    if wait:
        session.execute(
            update(SignInThrottle).where(col(SignInThrottle.key) == key).values(blocked_until=now + wait)
        )
    return count


def claim_both(session: Session, client: str, account: str, *, now: datetime) -> tuple[bool, bool]:
    """Claim the client's slot, then (if it was free) the account's: (client free, both free)."""
    client_ok = claim(session, client, now=now, cap=CLIENT_CAP) is not None
    return client_ok, client_ok and claim(session, account, now=now, cap=ACCOUNT_CAP) is not None


def reset(session: Session, *keys: str) -> None:
    """A successful sign-in clears the failures of its client and account."""
    session.execute(
        update(SignInThrottle).where(col(SignInThrottle.key).in_(keys)).values(failures=0, blocked_until=None)
    )
