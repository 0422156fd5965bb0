"""A file put into the evidence store inside a write transaction, undone when that transaction does not commit
(issue 10): the store is outside the database, so a rolled-back upload would otherwise leave an object no
row names.

The rule, and why it is safe although stores are content-addressed (two rows, even of two agencies, may
name one object):

1. `put_for_transaction` takes a lock on the content's digest held to the end of the uploading transaction
   (PostgreSQL `pg_advisory_xact_lock`; SQLite runs one write transaction at a time already), then notes
   whether the store holds the object, then puts it.
2. Only an object this put created is a candidate for undoing. When the transaction ends without a commit
   (rollback, a failed commit, a session closed unfinished), `undo_puts` runs in a new write transaction:
   it takes the same digest lock and deletes the object only if no committed `evidence` row names the
   digest.

A concurrent upload of the same content holds the digest lock from before its put until its commit, so the
undo either runs first (the object is deleted, then the other upload's put writes it again) or after that
commit (its row names the digest and the object stays). A committed row's object is never deleted. A crash
between the put and the end of the transaction still leaves an unnamed object behind; `python -m evaluation
evidence orphans` lists such objects (and deletes them with --delete, under the same lock and check).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from evaluation.models import Evidence

LOCK_CLASS = 0x45_56_49_44  # first key of pg_advisory_xact_lock(class, digest) for evidence contents ("EVID")
_PENDING = "evidence_puts"  # session.info key: [(store, digest)] created by this transaction's puts
_WATCHED = "evidence_puts_watched"  # session.info key: the listeners below are registered
log = logging.getLogger(__name__)


def lock_digest(session: Session, digest: str) -> None:
    """Hold a lock on one content digest to the end of the session's transaction (PostgreSQL; on SQLite
    write transactions run one at a time). Digests sharing their first 32 bits share a lock: harmless."""
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(bytes.fromhex(digest[:8]), "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:cls, :key)"), {"cls": LOCK_CLASS, "key": key})


def referenced(session: Session, digest: str) -> bool:
    """True when an evidence row (of any agency) names `digest`."""
    return session.exec(select(Evidence.id).where(Evidence.sha256 == digest).limit(1)).first() is not None


def put_for_transaction(session: Session, store: Any, data: bytes) -> str:
    """Store `data` for the session's write transaction and return its SHA-256 digest; the object is
    deleted again (rule above) when the transaction does not commit and the put created it."""
    digest = hashlib.sha256(data).hexdigest()
    lock_digest(session, digest)
    created = not store.exists(digest)
    stored = store.put(data)
    assert stored == digest, "the store names objects by their SHA-256"
    if created:
        _watch(session)
        session.info.setdefault(_PENDING, []).append((store, digest))
    return digest


def _watch(session: Session) -> None:
    if session.info.get(_WATCHED):
        return
    session.info[_WATCHED] = True

    def committed(sess: Session) -> None:
        sess.info.pop(_PENDING, None)

    def ended(sess: Session, transaction: Any) -> None:
        if transaction.parent is not None:
            return  # a savepoint: the put belongs to the outer transaction
        pending = sess.info.pop(_PENDING, None)
        if pending:
            undo_puts(sess.get_bind(), pending)  # type: ignore[arg-type]

    event.listen(session, "after_commit", committed)
    event.listen(session, "after_transaction_end", ended)


def undo_puts(engine: Engine, puts: list[tuple[Any, str]]) -> list[str]:
    """Delete each (store, digest) no committed evidence row names, each under its digest lock in a write
    transaction of its own; returns the digests deleted. Errors are logged, never raised: the caller is
    already handling the failure that rolled the upload back, and a left object is only wasted space."""
    from evaluation.db import write_session

    deleted = []
    for store, digest in puts:
        try:
            with write_session(engine) as session:
                lock_digest(session, digest)
                if not referenced(session, digest):
                    store.delete(digest)
                    deleted.append(digest)
        except Exception:  # see the docstring
            log.exception("evidence %s: undoing the put of a rolled-back upload failed", digest)
    return deleted
