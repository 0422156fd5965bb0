"""The command line: `python -m evaluation COMMAND`. Every command calls the same services as the app."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from evaluation.cli_output import (
    accept_lang_everywhere,
    acting,
    acting_user,
    fail,
    language_of,
    positive,
    print_problems,
    say,
    say_plan,
    text,
    warn,
)
from evaluation.i18n import fmt_number, fmt_percent
from indicators.loader import FrameworkError


def _engine() -> Any:
    from evaluation.db import make_engine

    return make_engine()


def cmd_init(args: argparse.Namespace) -> int:
    from evaluation.bootstrap import ensure_schema
    from evaluation.db import database_url

    ensure_schema(_engine())
    say(args.lang, "cli.db_ready", url=database_url())
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from evaluation.bootstrap import ensure_schema
    from evaluation.db import write_session
    from evaluation.demo.data import agency_count, load_demo

    engine = _engine()
    ensure_schema(engine)
    with write_session(engine) as session:
        if agency_count(session) > 0:
            warn(args.lang, "cli.demo_not_empty")
            return 1

        def progress(fraction: float, message: str) -> None:
            warn(args.lang, "cli.demo_progress", percent=fmt_percent(fraction, args.lang), message=message)

        summary = load_demo(session, limit=args.agencies, seed=args.seed, progress=progress)
    say(args.lang, "cli.demo_loaded", **asdict(summary))  # its fields are the message's counts
    return 0


def cmd_frameworks(args: argparse.Namespace) -> int:
    from evaluation.bootstrap import ensure_schema
    from evaluation.db import read_session
    from evaluation.services.frameworks import list_framework_versions

    engine = _engine()
    ensure_schema(engine)
    with read_session(engine) as session:
        rows = list_framework_versions(session)
        periods = _period_lines(session, args.lang)
    lang = args.lang
    heading = [
        text(lang, key) for key in ("cli.col_id", "cli.col_version", "cli.col_indicators", "cli.col_name")
    ]
    print(f"{heading[0]:<22} {heading[1]:<9} {heading[2]:>10}  {heading[3]}")
    for row in rows:
        count = fmt_number(row.indicator_count, lang, places=0)
        print(f"{row.framework_id:<22} {row.version:<9} {count:>10}  {row.name}")
    if periods:  # after a blank line: every period with its framework, official or a programme (issue 16)
        print()
        print("\n".join(periods))
    return 0


def _period_lines(session: Any, lang: str) -> list[str]:
    """Periode / periods: year, framework, kind (official|programme), runner, verified, status."""
    from evaluation.models import Agency
    from evaluation.services.results import list_periods

    year, framework, kind, runner, results, status = (
        text(lang, f"cli.col_{name}") for name in ("year", "framework", "kind", "runner", "results", "status")
    )
    lines = [f"{year:<5} {framework:<22} {kind:<10} {runner:<22} {results:<9} {status}"]
    for p in list_periods(session):
        runner = p.runner
        if p.runner_agency_id is not None:
            agency = session.get(Agency, p.runner_agency_id)
            runner = f"{p.runner}:{agency.code if agency else p.runner_agency_id}"
        verified = text(lang, "cli.results_verified" if p.verified else "cli.results_self")
        lines.append(f"{p.year:<5} {p.framework_id:<22} {p.kind:<10} {runner:<22} {verified:<9} {p.status}")
    return lines


def cmd_add_framework(args: argparse.Namespace) -> int:
    from evaluation.bootstrap import ensure_schema
    from evaluation.db import write_session
    from evaluation.services.actors import SYSTEM
    from evaluation.services.frameworks import add_framework

    path = Path(args.file)
    engine = _engine()
    ensure_schema(engine)
    with write_session(engine) as session:
        row = add_framework(
            session, actor=SYSTEM, text=path.read_text(encoding="utf-8"), source_name=path.name
        )
        say(
            args.lang,
            "cli.framework_added",
            framework=row.framework_id,
            version=row.version,
            n=row.indicator_count,
        )
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    import getpass

    from evaluation.bootstrap import ensure_schema
    from evaluation.db import write_session
    from evaluation.services.actors import SYSTEM
    from evaluation.services.users import create_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(text(args.lang, "cli.password_prompt"))
        if password != getpass.getpass(text(args.lang, "cli.password_repeat")):
            warn(args.lang, "cli.passwords_differ")
            return 2
    engine = _engine()
    ensure_schema(engine)
    with write_session(engine) as session:
        user = create_user(
            session,
            actor=SYSTEM,
            username=args.username,
            full_name=args.name or args.username,
            password=password,
            role=args.role,
            agency_code=args.agency,
        )
        say(args.lang, "cli.user_created", username=user.username, role=user.role)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Dry run or apply an Excel/CSV import acting as a named user (the same checks as the page)."""
    from evaluation.bootstrap import ensure_schema
    from evaluation.db import read_session, write_session
    from evaluation.services.bulk import imports

    path = Path(args.file)
    data = path.read_bytes()
    engine = _engine()
    ensure_schema(engine)
    with read_session(engine) as session:
        actor = acting(session, args.lang, args.as_user)
        if actor is None:
            return 2
        plan = imports.plan(session, actor=actor, data=data, filename=path.name)

    def show(plan: Any) -> None:
        say_plan(args.lang, "cli.import_counts", path.name, plan)
        for line in imports.describe(plan, args.lang):
            print(f"  {line}")
        print_problems(args.lang, plan.problems)
        for warning in imports.warnings(plan, args.lang):
            print(f"  ! {warning}")

    show(plan)
    if plan.problems:
        return 1
    if args.dry_run:
        return 0
    from evaluation.services.bulk.plan import ImportRefused

    try:
        with write_session(engine) as session:
            applied = imports.apply(
                session, actor=actor, data=data, filename=path.name, preview=plan, default_choice=args.keep
            )
            show(applied)
    except ImportRefused as refused:
        show(refused.plan)
        fail(args.lang, refused)
        return 1
    say(args.lang, "cli.applied")
    return 0


def build_parser(lang: str = "id") -> argparse.ArgumentParser:
    """The `python -m evaluation` parser; `lang` is the default of its `--lang` and the language of the
    argument checks' messages."""
    parser = argparse.ArgumentParser(prog="python -m evaluation", description="SPBE / Pemdi maturity tracker")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or migrate the database").set_defaults(func=cmd_init)
    demo = sub.add_parser("demo", help="load demo data into an empty database")
    demo.add_argument(
        "--agencies", type=positive(lang), default=None, help="a sample of N agencies (default: all)"
    )
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(func=cmd_demo)
    sub.add_parser("frameworks", help="list framework versions").set_defaults(func=cmd_frameworks)
    add = sub.add_parser("add-framework", help="add a framework from a YAML file")
    add.add_argument("file")
    add.set_defaults(func=cmd_add_framework)
    user = sub.add_parser("create-user", help="create a user (the first admin, for instance)")
    user.add_argument("username")
    user.add_argument("--role", required=True, choices=["admin", "reviewer", "coordinator", "operator"])
    user.add_argument("--agency", default=None, help="agency code, for operator and coordinator")
    user.add_argument("--name", default=None, help="full name")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user.set_defaults(func=cmd_create_user)
    imp = sub.add_parser("import", help="check (--dry-run) or apply an Excel/CSV import")
    imp.add_argument("file")
    acting_user(imp)
    imp.add_argument("--dry-run", action="store_true", help="check only; change nothing")
    imp.add_argument(
        "--keep",
        choices=["file", "database"],
        default=None,
        help="for cells changed in the file and in the app since: keep the file's or the database's value "
        "(without it such conflicts refuse the import)",
    )
    imp.set_defaults(func=cmd_import)
    from evaluation.score_cli import add_parser as add_score_parser

    add_score_parser(sub)
    from evaluation.reports.cli import add_parser as add_report_parser

    add_report_parser(sub)
    from evaluation.export_cli import add_parser as add_export_parser

    add_export_parser(sub)
    from evaluation.admin_cli import add_parser as add_admin_parser

    add_admin_parser(sub)
    from evaluation.evidence_cli import add_parser as add_evidence_parser

    add_evidence_parser(sub)
    from evaluation.programme_cli import add_parser as add_programme_parser

    add_programme_parser(sub)
    from evaluation.reviewer_cli import add_parser as add_reviewer_parser

    add_reviewer_parser(sub)
    from evaluation.period_cli import add_parser as add_period_parser

    add_period_parser(sub, lang)
    from evaluation.notify_cli import add_parser as add_notify_parser

    add_notify_parser(sub, lang)
    accept_lang_everywhere(parser, lang)
    return parser


def main(argv: list[str] | None = None) -> int:
    lang = language_of(argv)
    args = build_parser(lang).parse_args(argv)
    try:
        return int(args.func(args))
    except (FrameworkError, ValueError, PermissionError, LookupError) as exc:
        fail(args.lang, exc)
        return 2


if __name__ == "__main__":
    sys.exit(main())
