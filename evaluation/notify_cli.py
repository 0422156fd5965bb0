"""`python -m evaluation notify send [--limit N]` and `python -m evaluation notify remind [--today D]`:
notification emails and daily reminders from a timer (deploy/spbe-notify.timer), issue 12.

`send` delivers pending emails (and failed ones due for a retry); with email off (no SPBE_SMTP_HOST, or
SPBE_DEMO=1) it says so and sends nothing. `remind` adds the day's deadline and recommendation reminders
(once per user and occasion, so running it often adds nothing twice) and then sends their emails."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

from sqlalchemy.engine import Engine

from evaluation.cli_output import positive, say, text


def _engine() -> Engine:
    from evaluation.bootstrap import ensure_schema
    from evaluation.db import make_engine

    engine = make_engine()
    ensure_schema(engine)
    return engine


def _send(engine: Engine, limit: int, lang: str) -> int:
    from evaluation.services.notification_email import deliver_pending
    from evaluation.settings import mail_settings

    if mail_settings() is None:
        say(lang, "cli.email_off")
        return 0
    sent = failed = 0
    while True:  # in batches, until nothing more is due
        done = deliver_pending(engine, limit)
        sent, failed = sent + done.sent, failed + done.failed
        if done.claimed < limit:
            break
    say(lang, "cli.emails_sent", sent=sent, failed=failed)
    return 1 if failed and not sent else 0


def cmd_send(args: argparse.Namespace) -> int:
    return _send(_engine(), args.limit, args.lang)


def cmd_remind(args: argparse.Namespace) -> int:
    from evaluation.db import write_session
    from evaluation.services.deadline_reminders import send_reminders

    engine = _engine()
    today = args.today or date.today()
    with write_session(engine) as session:
        counts = send_reminders(session, today, args.days)
    say(
        args.lang,
        "cli.reminders",
        day=today,
        self_assessment=counts["self_assessment"],
        verification=counts["verification"],
        recommendation=counts["recommendation_due"],
    )
    return _send(engine, 50, args.lang)


def days_list(lang: str) -> Callable[[str], tuple[int, ...]]:
    """An argparse type: days ahead as whole numbers >= 0 separated by commas (refused in `lang`)."""

    def check(value: str) -> tuple[int, ...]:
        try:
            days = tuple(int(part) for part in value.split(",") if part.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(text(lang, "cli.days_numbers")) from None
        if not days or min(days) < 0:
            raise argparse.ArgumentTypeError(text(lang, "cli.days_not_negative"))
        return days

    return check


def add_parser(sub: argparse._SubParsersAction, lang: str = "id") -> None:
    """Register `notify send` and `notify remind`; `lang` is the language of the argument checks."""

    notify = sub.add_parser("notify", help="notification emails and reminders (for a timer)")
    actions = notify.add_subparsers(dest="notify_command", required=True)
    send = actions.add_parser("send", help="send pending notification emails")
    send.add_argument("--limit", type=positive(lang), default=50, help="emails per batch (default 50)")
    send.set_defaults(func=cmd_send)
    remind = actions.add_parser("remind", help="add today's deadline and recommendation reminders")
    remind.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    remind.add_argument(
        "--days", type=days_list(lang), default=(7, 3, 1), help="days ahead to remind (default 7,3,1)"
    )
    remind.set_defaults(func=cmd_remind)
