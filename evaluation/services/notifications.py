"""Notifications (issue 12): a row per user and occasion, written in the same transaction as the change
that caused it, so a rolled-back change notifies nobody. The text is made when shown, in the reader's
language, from `kind` and `params` (evaluation/messages_notifications.py: `notify.<kind>` keys).

Kinds (models.NOTIFICATION_KINDS): returned, finalized, objection_filed, objection_decided,
recommendation_due, deadline, assigned.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from evaluation.models import NOTIFICATION_KINDS, Notification


def notify(
    session: Session,
    *,
    user_ids: Iterable[int | None],
    kind: str,
    params: dict[str, Any] | None = None,
    assessment_id: int | None = None,
    dedupe_key: str | None = None,
) -> int:
    """Add one notification per distinct user (None ids are skipped); returns how many were added.

    `params`: JSON-serialisable values the message template names (e.g. {"agency": "Kota Bandung",
    "year": 2026}). With `dedupe_key`, a user who already has a notification with that key gets no
    second one (reminders run daily). Raises ValueError for an unknown kind."""
    if kind not in NOTIFICATION_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    wanted = sorted({int(u) for u in user_ids if u is not None})
    if dedupe_key is not None and wanted:
        seen = set(
            session.exec(
                select(Notification.user_id).where(
                    col(Notification.dedupe_key) == dedupe_key, col(Notification.user_id).in_(wanted)
                )
            ).all()
        )
        wanted = [u for u in wanted if u not in seen]
    for user_id in wanted:
        session.add(
            Notification(
                user_id=user_id,
                kind=kind,
                params=dict(params or {}),
                assessment_id=assessment_id,
                dedupe_key=dedupe_key,
            )
        )
    if wanted:
        session.flush()
    return len(wanted)
