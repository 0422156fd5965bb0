"""`python -m evaluation report`: write agency reports or the national summary of a year as PDF files,
acting as a named user (the same permission checks as the pages)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlmodel import col, select

from evaluation.cli_output import acting, acting_user, say, warn
from evaluation.db import make_engine, read_session
from evaluation.models import Agency, Assessment


def add_parser(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help="write PDF reports (agencies or the national summary)")
    acting_user(report)
    report.add_argument("--year", type=int, required=True)
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--agency", nargs="+", metavar="CODE", help="agency codes")
    which.add_argument("--all", action="store_true", help="every agency assessed in that year")
    which.add_argument("--national", action="store_true", help="the national summary")
    report.add_argument(
        "--framework", default=None, help="framework id, when a year has more than one period"
    )
    report.add_argument("--out", default=".", help="folder for the PDF files (default: here)")
    report.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from evaluation.bootstrap import ensure_schema
    from evaluation.reports.agency_data import agency_report
    from evaluation.reports.agency_pdf import render_agency_report
    from evaluation.reports.national import national_summary_pdf
    from evaluation.services.dashboard import national_group_means
    from evaluation.services.programmes import prefer_official
    from evaluation.services.results import list_periods

    engine = make_engine()
    ensure_schema(engine)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with read_session(engine) as session:
        actor = acting(session, args.lang, args.as_user)
        if actor is None:
            return 2
        periods = [
            p
            for p in list_periods(session)
            if p.year == args.year and args.framework in (None, p.framework_id)
        ]
        periods = prefer_official(periods) if args.framework is None else periods
        if len(periods) != 1:
            if periods:
                known = [p.framework_id for p in periods]
                warn(args.lang, "cli.several_periods", year=str(args.year), known=known)
            else:
                warn(args.lang, "cli.no_period", year=str(args.year))
            return 2
        period = periods[0]
        if args.national:
            path = out / f"ringkasan-nasional-{args.year}-{args.lang}.pdf"
            path.write_bytes(national_summary_pdf(session, actor=actor, period_id=period.id, lang=args.lang))
            print(path)
            return 0
        query = select(Agency.id, Agency.code).join(Assessment, col(Assessment.agency_id) == col(Agency.id))
        query = query.where(Assessment.period_id == period.id)
        if not args.all:
            query = query.where(col(Agency.code).in_([c.upper() for c in args.agency]))
        elif not actor.is_ministry:  # an agency's users: "all" is their own agency
            query = query.where(Agency.id == actor.agency_id)
        found = dict(session.exec(query.order_by(col(Agency.code))).all())
        missing = [] if args.all else sorted({c.upper() for c in args.agency} - set(found.values()))
        for code in missing:
            warn(args.lang, "cli.report_no_assessment", code=code, year=str(args.year))
        means = national_group_means(session, period.id) if found else {}
        for n, (agency_id, code) in enumerate(found.items(), start=1):
            report = agency_report(
                session, actor=actor, agency_id=agency_id or 0, period_id=period.id, national_mean=means
            )
            suffix = f"-{period.framework_id}" if period.is_programme else ""  # beside the official one
            path = out / f"laporan-{code}-{args.year}{suffix}-{args.lang}.pdf"
            path.write_bytes(render_agency_report(report, args.lang))
            say(args.lang, "cli.report_written", n=n, total=len(found), path=str(path))
    return 1 if missing else 0
