"""`python -m evaluation assign-reviewers FILE --year Y [--framework ID] --as USER [--dry-run]`: apply a
file of reviewer assignments (agency code, reviewer username, role; CSV or XLSX) as a named admin, all or
nothing, through the same services as the admin page (evaluation/services/reviewer_sheet.py).

Exit codes: 0 applied (or checked, with --dry-run); 1 the file has problems (each printed: row, column,
why) and nothing was applied; 2 the request cannot be served (unknown user, no such period, unreadable
file, closed period); 3 permission denied (the user is not an admin).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlmodel import Session

from evaluation.cli_output import DENIED as DENIED  # the exit codes, for callers and tests
from evaluation.cli_output import (
    OK,
    PROBLEMS,
    REFUSED,
    acting_user,
    command,
    print_problems,
    run_as,
    say_plan,
    warn,
)
from evaluation.services.actors import Actor
from evaluation.translatable import Message, NotFound


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the `assign-reviewers` command on the main parser's subcommands."""
    assign = command(
        sub,
        "assign-reviewers",
        "assign reviewers to agencies from a CSV/XLSX file (all or nothing)",
        "0 applied; 1 problems in the file, nothing applied; 2 cannot be served; 3 permission denied",
    )
    assign.add_argument("file", help="CSV or XLSX: agency code, reviewer (username), role (lead/member)")
    assign.add_argument("--year", type=int, required=True, help="the period's year")
    assign.add_argument(
        "--framework", default=None, help="framework id, when the year has more than one period"
    )
    acting_user(assign, " (admin)")
    assign.add_argument("--dry-run", action="store_true", help="check the file only")
    assign.set_defaults(func=cmd_assign_reviewers)


def period_of(session: Session, year: int, framework: str | None) -> int:
    """The period of that year (the official one unless --framework names another). Raises LookupError."""
    from evaluation.services.programmes import prefer_official
    from evaluation.services.results import list_periods

    periods = [p for p in list_periods(session) if p.year == year and framework in (None, p.framework_id)]
    periods = prefer_official(periods) if framework is None else periods
    if not periods:
        raise NotFound("cli.no_period", year=str(year))
    if len(periods) > 1:
        raise NotFound("cli.several_periods", year=str(year), known=[p.framework_id for p in periods])
    return int(periods[0].id)


def cmd_assign_reviewers(args: argparse.Namespace) -> int:
    """Plan the file as the named user, print the plan and every problem, apply it unless --dry-run."""
    from evaluation.services.reviewer_sheet import apply_plan, plan_file

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        warn(args.lang, "cli.unreadable_file", path=str(path), detail=str(exc))
        return REFUSED

    def assign(session: Session, actor: Actor) -> Message | int:
        period_id = period_of(session, args.year, args.framework)  # unreadable file, closed or unknown
        plan = plan_file(session, actor=actor, period_id=period_id, data=data, filename=path.name)
        say_plan(args.lang, "cli.reviewer_counts", path.name, plan)
        print_problems(args.lang, plan.problems)
        if plan.problems:
            warn(args.lang, "cli.nothing_applied")
            return PROBLEMS
        if args.dry_run:
            return OK
        return Message("cli.assignments_applied", changed=apply_plan(session, actor=actor, plan=plan))

    return run_as(args, assign)
