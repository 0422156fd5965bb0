"""Notifications (issue 12): a row per user and occasion, written in the same transaction as the change
that caused it, so a rolled-back change notifies nobody. The text is made when shown, in the reader's
language, from `kind` and `params` (locale/*/LC_MESSAGES/notifications.po: the key `nt.<kind>`, whose
format fields are the params; a field the params lack shows as "-").

Kinds (models.NOTIFICATION_KINDS) and the params their texts use:

| kind | params |
|---|---|
| returned, finalized | agency, year (finalized also index, predicate: from the final snapshot) |
| objection_filed | agency, year, indicator |
| objection_decided | agency, year, indicator; outcome: status or decision "upheld"/"rejected", or upheld |
| recommendation_due | agency, year, indicator, due (ISO date) |
| deadline | stage ("self_assessment" or "verification"), year, date (ISO), days, agency or count |
| assigned | agency, year, role ("lead" or "member") |
| submitted | agency, year (to the reviewers assigned to the agency for the period) |

Email: when a mail server is configured (evaluation/settings.py `mail_settings`) and the user has an
address, the row is marked email_status "pending"; evaluation/services/notification_email.py sends it
after the commit. Reading state (read_at) is the reader's own and is not audited: it changes no
evaluation data.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from evaluation.i18n import N_, fmt_date, t
from evaluation.models import NOTIFICATION_KINDS, Agency, Assessment, Notification, Period, User, utcnow
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.settings import mail_settings
from evaluation.translatable import InvalidInput

# The page a notification leads to, per kind (and for "deadline" per stage): a file under app_pages/.
PAGES = {
    "returned": "assessment.py",
    "finalized": "assessment.py",
    "objection_filed": "objections.py",
    "objection_decided": "assessment.py",
    "recommendation_due": "recommendations.py",
    "assigned": "verification.py",
    "submitted": "verification.py",
    "deadline:self_assessment": "assessment.py",
    "deadline:verification": "verification.py",
}
MAX_LIST = 500


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
    second one (reminders run daily). A user with an email address gets email_status "pending" while
    email is on. Raises ValueError for an unknown kind."""
    if kind not in NOTIFICATION_KINDS:
        raise InvalidInput("ew.unknown_notification_kind", kind=kind)
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
    with_email: set[int] = set()
    if wanted and mail_settings() is not None:
        with_email = {
            int(uid)
            for uid, email in session.exec(
                select(User.id, User.email).where(col(User.id).in_(wanted), col(User.active))
            )
            if uid is not None and (email or "").strip()
        }
    for user_id in wanted:
        session.add(
            Notification(
                user_id=user_id,
                kind=kind,
                params=dict(params or {}),
                assessment_id=assessment_id,
                dedupe_key=dedupe_key,
                email_status="pending" if user_id in with_email else None,
            )
        )
    if wanted:
        session.flush()
    return len(wanted)


def agency_user_ids(session: Session, agency_id: int, roles: Iterable[str]) -> list[int]:
    """The active users of one agency with one of `roles` (e.g. ("coordinator", "operator"))."""
    rows = session.exec(
        select(User.id).where(
            col(User.agency_id) == agency_id, col(User.role).in_(list(roles)), col(User.active)
        )
    ).all()
    return sorted(int(u) for u in rows if u is not None)


def notify_agency(
    session: Session,
    *,
    assessment: Assessment,
    kind: str,
    roles: Iterable[str],
    params: Mapping[str, Any] | None = None,
) -> int:
    """Notify the agency's users with `roles` about `assessment` (params agency and year added; for
    "finalized" also the final snapshot's index and predicate). Returns how many were notified."""
    agency = session.get(Agency, assessment.agency_id)
    period = session.get(Period, assessment.period_id)
    values: dict[str, Any] = {
        "agency": agency.name if agency else "",
        "year": period.year if period else "",
    }
    if kind == "finalized" and assessment.final_snapshot:
        values["index"] = assessment.final_snapshot.get("index_display")
        values["predicate"] = assessment.final_snapshot.get("predicate")
    values.update(params or {})
    return notify(
        session,
        user_ids=agency_user_ids(session, assessment.agency_id, roles),
        kind=kind,
        params=values,
        assessment_id=assessment.id,
    )


# --- reading and marking ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationItem:
    id: int
    kind: str
    params: dict[str, Any]
    assessment_id: int | None
    created_at: datetime
    read: bool

    @property
    def page(self) -> str | None:
        """The app page (a file under app_pages/) this notification leads to, or None."""
        if self.kind == "deadline":
            return PAGES.get(f"deadline:{self.params.get('stage', 'self_assessment')}")
        return PAGES.get(self.kind)


def _own(actor: Actor) -> int:
    if actor.user_id is None:
        raise PermissionDenied("ew.perm_signed_in")
    return actor.user_id


def unread_count(session: Session, *, actor: Actor) -> int:
    """How many of the actor's own notifications are unread. Raises PermissionDenied without a user."""
    query = select(func.count()).where(
        col(Notification.user_id) == _own(actor), col(Notification.read_at).is_(None)
    )
    return int(session.exec(query).one())


def notifications_for(
    session: Session, *, actor: Actor, limit: int = 100, only_unread: bool = False
) -> list[NotificationItem]:
    """The actor's own notifications, newest first (at most `limit`, capped at MAX_LIST)."""
    query = select(Notification).where(col(Notification.user_id) == _own(actor))
    if only_unread:
        query = query.where(col(Notification.read_at).is_(None))
    query = query.order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
    return [
        NotificationItem(
            id=row.id or 0,
            kind=row.kind,
            params=dict(row.params or {}),
            assessment_id=row.assessment_id,
            created_at=row.created_at,
            read=row.read_at is not None,
        )
        for row in session.exec(query.limit(max(1, min(limit, MAX_LIST))))
    ]


def mark_read(session: Session, *, actor: Actor, ids: Iterable[int] | None = None, all: bool = False) -> int:
    """Mark the actor's own notifications read: those with `ids`, or every unread one with all=True.
    Someone else's ids are ignored (never marked). Returns how many changed."""
    owner = _own(actor)
    query = update(Notification).where(
        col(Notification.user_id) == owner, col(Notification.read_at).is_(None)
    )
    if not all:
        wanted = sorted({int(i) for i in ids or ()})
        if not wanted:
            return 0
        query = query.where(col(Notification.id).in_(wanted))
    result = session.execute(query.values(read_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- the text -------------------------------------------------------------------------------------


class _Fields(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "-"


def _shown_date(value: Any, lang: str) -> Any:
    try:
        return fmt_date(date.fromisoformat(str(value)), lang)
    except ValueError:
        return value


# Role and stage words of the texts, marked for the extractor (the keys are picked at run time).
_ROLE_WORDS = {"lead": N_("nt.role.lead"), "member": N_("nt.role.member")}
_STAGE_WORDS = {"verification": N_("nt.what.verification"), "self_assessment": N_("nt.what.self_assessment")}
_OUTCOME_WORDS = {
    "upheld": N_("nt.outcome.upheld"),
    "rejected": N_("nt.outcome.rejected"),
    "decided": N_("nt.outcome.decided"),
}


def _outcome(params: Mapping[str, Any]) -> str:
    if "upheld" in params and isinstance(params["upheld"], bool):
        return "upheld" if params["upheld"] else "rejected"
    value = str(params.get("status") or params.get("decision") or "").lower()
    return value if value in ("upheld", "rejected") else "decided"


def notification_text(
    kind: str, params: Mapping[str, Any], lang: str = "id", *, escape: Callable[[Any], str] = str
) -> str:
    """The notification's sentence in `lang`. Every param value passes through `escape` (app pages pass
    app_pages.plain.md so that nothing a user typed renders as Markdown); dates are shown in `lang`."""
    fields: dict[str, Any] = {k: v for k, v in params.items() if not str(k).startswith("_")}
    for name in ("date", "due"):
        if name in fields:
            fields[name] = _shown_date(fields[name], lang)
    if kind == "objection_decided":
        fields["outcome"] = t(_OUTCOME_WORDS[_outcome(params)], lang)
    if kind == "assigned":
        fields["role"] = t(_ROLE_WORDS.get(str(params.get("role") or "member"), _ROLE_WORDS["member"]), lang)
    if kind == "recommendation_due" and not params.get("indicator"):
        fields["indicator"] = t("nt.whole_agency", lang)
    if kind == "deadline":
        stage = str(params.get("stage") or "self_assessment")
        fields["what"] = t(_STAGE_WORDS.get(stage, _STAGE_WORDS["self_assessment"]), lang)
    trusted = ("outcome", "role", "what") + (() if params.get("indicator") else ("indicator",))
    escaped = _Fields({k: v if k in trusted else escape(v) for k, v in fields.items()})
    template = t(f"nt.{kind}", lang) if kind in NOTIFICATION_KINDS else kind
    return string.Formatter().vformat(template, (), escaped)
