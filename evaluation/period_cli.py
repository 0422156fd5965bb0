"""`python -m evaluation period ...`: create a period with its schedule and stages, or close and reopen one,
acting as a named user (the same services and permission checks as the periods page).

    python -m evaluation period create --year Y --framework ID [--version V] --type T
        [--stages document,interview] [--opens D] [--self-assessment-closes D]
        [--verification-ends D] [--objections-close D] --as USER
    python -m evaluation period open|close --year Y --framework ID [--version V] --as USER

Dates are YYYY-MM-DD. Exit codes: 0 done; 2 the request cannot be served (unknown user, framework or
period, bad stages or dates, a period that already exists); 3 permission denied. Messages are in the
language of `--lang` (default: SPBE_LANG, else Indonesian).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

from sqlmodel import Session, col, select

from evaluation.cli_output import acting_user, command, run_as, text
from evaluation.models import EVALUATION_TYPES, FrameworkVersion, Period
from evaluation.services.actors import Actor
from evaluation.translatable import Message, NotFound

OK, REFUSED, DENIED = 0, 2, 3
# `period create`'s date options, each stored under the name of create_period's parameter it fills
SCHEDULE = (
    ("--opens", "opens_on"),
    ("--self-assessment-closes", "self_assessment_closes_on"),
    ("--verification-ends", "verification_ends_on"),
    ("--objections-close", "objections_close_on"),
)
# create_period's keyword parameters (besides the actor), each filled by the parsed option of that name
CREATE_FROM = (
    "year",
    "framework_id",
    "framework_version",
    "evaluation_type",
    "required_stages",
    *(parameter for _option, parameter in SCHEDULE),
)


def iso_date(lang: str) -> Callable[[str], date]:
    """An argparse type: a YYYY-MM-DD date (refused in `lang`)."""

    def check(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise argparse.ArgumentTypeError(text(lang, "cli.not_a_date", value=value)) from None

    return check


def stage_list(value: str) -> list[str]:
    """An argparse type: comma-separated stage names (empty ones left out)."""
    return [s for s in value.split(",") if s.strip()]


def add_parser(sub: argparse._SubParsersAction, lang: str = "id") -> None:
    """Register the `period` command (create, open, close) on the main parser's subcommands; `lang` is the
    language of the argument checks."""
    _date = iso_date(lang)
    exits = "0 done; 2 cannot be served; 3 permission denied"
    period = command(sub, "period", "create a period, or open or close one", exits)
    actions = period.add_subparsers(dest="period_action", required=True)
    create = actions.add_parser("create", help="create an open period with its schedule and stages")
    _identify(create)
    create.add_argument("--type", dest="evaluation_type", choices=EVALUATION_TYPES, required=True)
    stages_help = "required stages, comma-separated (default: the type's own)"
    create.add_argument(
        "--stages", dest="required_stages", metavar="STAGES", type=stage_list, default=None, help=stages_help
    )
    for option, parameter in SCHEDULE:
        metavar = option.removeprefix("--").upper().replace("-", "_")  # as before: the option's name
        create.add_argument(option, dest=parameter, metavar=metavar, type=_date, default=None)
    create.set_defaults(func=cmd_period_create)
    for status, verb in (("open", "reopen"), ("closed", "close")):
        move = actions.add_parser(
            "open" if status == "open" else "close", help=f"{verb} a period (a closed one is read-only)"
        )
        _identify(move)
        move.set_defaults(func=cmd_period_status, status=status)


def _identify(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument(
        "--framework",
        dest="framework_id",
        metavar="FRAMEWORK",
        required=True,
        help="framework id, e.g. pemdi-2026",
    )
    parser.add_argument(
        "--version",
        dest="framework_version",
        metavar="VERSION",
        default=None,
        help="framework version (default: the latest)",
    )
    acting_user(parser)


def _run(args: argparse.Namespace, action: Callable[[Session, Actor], Message]) -> int:
    """Run `action(session, actor)` in one write transaction as the named user; print its message."""
    return run_as(args, action)


def cmd_period_create(args: argparse.Namespace) -> int:
    """`period create`: the period's id on success."""
    from evaluation.services.period_schedule import create_period

    def action(session: Session, actor: Actor) -> Message:
        period_id = create_period(session, actor=actor, **{name: getattr(args, name) for name in CREATE_FROM})
        return Message(
            "cli.period_created", year=str(args.year), framework=args.framework_id, period_id=str(period_id)
        )

    return _run(args, action)


def cmd_period_status(args: argparse.Namespace) -> int:
    """`period open` / `period close`."""
    from evaluation.services.periods import set_period_status

    def action(session: Session, actor: Actor) -> Message:
        period_id = find_period(
            session, year=args.year, framework_id=args.framework_id, version=args.framework_version
        )
        changed = set_period_status(session, actor=actor, period_id=period_id, status=args.status)
        if args.status == "open":
            return Message(
                "cli.period_now_open" if changed else "cli.period_already_open", year=str(args.year)
            )
        return Message(
            "cli.period_now_closed" if changed else "cli.period_already_closed", year=str(args.year)
        )

    return _run(args, action)


def find_period(session: Session, *, year: int, framework_id: str, version: str | None) -> int:
    """The id of the period of `year` on `framework_id` (at `version` when given). Raises LookupError when
    there is none, or when there are several and no version tells them apart."""
    query = (
        select(Period.id, FrameworkVersion.version)
        .join(FrameworkVersion, col(Period.framework_version_id) == col(FrameworkVersion.id))
        .where(Period.year == year, FrameworkVersion.framework_id == framework_id)
    )
    if version is not None:
        query = query.where(FrameworkVersion.version == version)
    found = session.exec(query).all()
    named = f"{year} {framework_id}" + (f"@{version}" if version else "")
    if not found:
        raise NotFound("cli.no_period_named", named=named)
    if len(found) > 1:
        raise NotFound("cli.several_periods_version", named=named, versions=[v for _id, v in found])
    return int(found[0][0] or 0)
