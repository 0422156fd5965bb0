"""Notification emails, sent after the commit that wrote the notification (issue 12).

`notify()` marks a row email_status "pending" when email is on and the user has an address. Here
`deliver_pending` claims pending rows in one short transaction (so two servers or a server and the
timer never send the same row twice), sends them over one SMTP connection (smtplib, plain text, the
Indonesian text then the English one), and records each outcome in a second transaction: "sent", or
"failed" to be tried again after RETRY_MINUTES x attempts, up to MAX_ATTEMPTS (then "skipped": given
up; so is a row whose user has no valid address any more).
The in-app notification is never touched by a failure. `emailed_at` holds the time of the last attempt
(the claim); the attempt count lives in params["_email_attempts"] (params starting with "_" are
bookkeeping, never shown).
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from evaluation.db import read_session, write_session
from evaluation.i18n import t
from evaluation.models import Notification, User, utcnow
from evaluation.services.notifications import NotificationItem, notification_text
from evaluation.settings import MailSettings, app_url, mail_settings

MAX_ATTEMPTS = 5
RETRY_MINUTES = 5  # a failed row waits attempts x this long before the next try
CLAIM_MINUTES = 10  # a pending row claimed longer ago than this (a sender that died) is claimed again
SMTP_TIMEOUT = 15
# page file -> its URL slug in app.py's navigation (links in emails)
SLUGS = {
    "assessment.py": "penilaian",
    "verification.py": "verifikasi",
    "objections.py": "keberatan",
    "recommendations.py": "rekomendasi",
    "notifications.py": "notifikasi",
}
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")


@dataclass(frozen=True)
class Delivery:
    """What one run did: emails sent, failed this time, and rows claimed."""

    sent: int = 0
    failed: int = 0
    claimed: int = 0


@dataclass(frozen=True)
class _Claimed:
    id: int
    to: str
    item: NotificationItem
    attempts: int


def one_line(value: Any) -> str:
    """`value` as one header-safe line: CR, LF and other control characters become spaces."""
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029\x85]+", " ", str(value)).strip()


def valid_address(address: str | None) -> bool:
    """A plain mailbox address (local@domain.tld, no display name, no spaces or control characters)."""
    value = (address or "").strip()
    return 3 <= len(value) <= 254 and bool(_ADDRESS.fullmatch(value))


def build_message(settings: MailSettings, to: str, item: NotificationItem) -> EmailMessage:
    """The email of one notification: the subject and body in Indonesian then English, plain text; every
    param used in the subject passes `one_line`, so no param can add a header."""
    texts = {lang: notification_text(item.kind, item.params, lang) for lang in ("id", "en")}
    subject = f"{t('nt.mail_subject', 'id')}: {texts['id']}"
    message = EmailMessage()
    message["Subject"] = one_line(subject)[:200]
    message["From"] = one_line(settings.sender)
    message["To"] = one_line(to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="spbe.local")
    base, page = app_url(), item.page
    link = (
        f"{base}/{SLUGS.get(page, 'notifikasi')}" if base and page else (f"{base}/notifikasi" if base else "")
    )
    parts = []
    for lang in ("id", "en"):
        lines = [texts[lang]]
        if link:
            lines.append(t("nt.mail_open", lang, url=link))
        parts.append("\n".join(lines))
    footer = f"{t('nt.mail_footer', 'id')}\n{t('nt.mail_footer', 'en')}"
    message.set_content("\n\n".join(parts) + "\n\n-- \n" + footer + "\n")
    return message


def _attempts(params: dict[str, Any]) -> int:
    value = params.get("_email_attempts", 0)
    return value if isinstance(value, int) else 0


def _claim(engine: Engine, limit: int, now: datetime) -> list[_Claimed]:
    """Claim up to `limit` rows due for sending: a compare-and-set on (status, emailed_at) per row, so a
    row claimed by someone else in between is skipped."""
    claimed: list[_Claimed] = []
    due = or_(
        and_(
            col(Notification.email_status) == "pending",
            or_(
                col(Notification.emailed_at).is_(None),
                col(Notification.emailed_at) < now - timedelta(minutes=CLAIM_MINUTES),
            ),
        ),
        and_(
            col(Notification.email_status) == "failed",
            col(Notification.emailed_at) < now - timedelta(minutes=RETRY_MINUTES),
        ),
    )
    with read_session(engine) as session:  # most runs find nothing: no write lock for them
        if session.exec(select(Notification.id).where(due).limit(1)).first() is None:
            return claimed
    with write_session(engine) as session:
        rows = session.exec(
            select(Notification, User.email, User.active)
            .join(User, col(User.id) == col(Notification.user_id))
            .where(due)
            .order_by(col(Notification.email_status).desc(), col(Notification.id))  # pending first
            .limit(limit * 4)
        ).all()
        for row, email, active in rows:
            attempts = _attempts(row.params or {})
            last = row.emailed_at
            if row.email_status == "failed":
                if attempts >= MAX_ATTEMPTS or last is None:
                    continue
                last_aware = last if last.tzinfo else last.replace(tzinfo=now.tzinfo)
                if last_aware > now - timedelta(minutes=RETRY_MINUTES * attempts):
                    continue
            params = {**(row.params or {}), "_email_attempts": attempts + 1}
            same = (
                col(Notification.emailed_at).is_(None)
                if last is None
                else col(Notification.emailed_at) == last
            )
            to = (email or "").strip() if active else ""  # a deactivated account gets no email
            result = session.execute(
                update(Notification)
                .where(
                    col(Notification.id) == row.id, col(Notification.email_status) == row.email_status, same
                )
                .values(  # an address removed or never valid, an account deactivated: nothing to send
                    email_status="pending" if valid_address(to) else "skipped", emailed_at=now, params=params
                )
            )
            if not valid_address(to):
                continue
            if result.rowcount != 1:  # type: ignore[attr-defined]
                continue
            item = NotificationItem(
                id=row.id or 0,
                kind=row.kind,
                params=params,
                assessment_id=row.assessment_id,
                created_at=row.created_at,
                read=row.read_at is not None,
            )
            claimed.append(_Claimed(row.id or 0, to, item, attempts + 1))
            if len(claimed) >= limit:
                break
    return claimed


def _connect(settings: MailSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if settings.ssl:
        server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=SMTP_TIMEOUT, context=context)
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT)
        if settings.starttls:
            server.starttls(context=context)
    if settings.user:
        server.login(settings.user, settings.password or "")
    return server


def _send_all(settings: MailSettings, claimed: list[_Claimed]) -> dict[int, bool]:
    """Send over one connection; {row id: sent}. A connection that cannot be made fails every row."""
    outcome = {c.id: False for c in claimed}
    try:
        server = _connect(settings)
    except (OSError, smtplib.SMTPException):
        return outcome
    try:
        for c in claimed:
            try:
                refused = server.send_message(build_message(settings, c.to, c.item))
            except smtplib.SMTPServerDisconnected:
                break
            except (smtplib.SMTPException, OSError, ValueError):
                continue
            outcome[c.id] = not refused
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
    return outcome


def _after(sent: bool, attempts: int) -> str:
    """The status after an attempt: sent; failed (tried again later); skipped once MAX_ATTEMPTS failed."""
    if sent:
        return "sent"
    return "failed" if attempts < MAX_ATTEMPTS else "skipped"


def deliver_pending(engine: Engine, limit: int = 50, *, now: datetime | None = None) -> Delivery:
    """Send up to `limit` pending notification emails (and failed ones due for a retry); returns counts.
    Does nothing while email is off (`mail_settings()` is None: no SPBE_SMTP_HOST, or the demo). Never
    raises for a mail server that is down or refuses: those rows are marked "failed" and tried again."""
    settings = mail_settings()
    if settings is None or limit <= 0:
        return Delivery()
    started = now or utcnow()
    claimed = _claim(engine, limit, started)
    if not claimed:
        return Delivery()
    outcome = _send_all(settings, claimed)
    finished = max(utcnow(), started) if now is None else started
    with write_session(engine) as session:
        for c in claimed:
            session.execute(
                update(Notification)
                .where(col(Notification.id) == c.id)
                .values(email_status=_after(outcome[c.id], c.attempts), emailed_at=finished)
            )
    sent = sum(outcome.values())
    return Delivery(sent=sent, failed=len(claimed) - sent, claimed=len(claimed))
