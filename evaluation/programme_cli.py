"""`python -m evaluation programme YEAR --runner province --agency PROV-001 [--self-only]`: open a programme
period on the founding framework (issue 16), as the system administrator, audited."""

from __future__ import annotations

import argparse

from evaluation.cli_output import fail, say
from evaluation.models import PERIOD_RUNNERS


def cmd_programme(args: argparse.Namespace) -> int:
    from evaluation.bootstrap import ensure_schema
    from evaluation.db import make_engine, write_session
    from evaluation.services.actors import SYSTEM
    from evaluation.services.programme_admin import open_programme

    engine = make_engine()
    ensure_schema(engine)
    try:
        with write_session(engine) as session:
            period_id = open_programme(
                session,
                actor=SYSTEM,
                year=args.year,
                runner=args.runner,
                runner_agency_code=args.agency,
                verified=not args.self_only,
                framework_id=args.framework,
            )
    except (ValueError, LookupError) as exc:
        fail(args.lang, exc)
        return 2
    say(args.lang, "cli.programme_opened", year=str(args.year), period_id=str(period_id))
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    programme = sub.add_parser("programme", help="open a programme period on the founding framework")
    programme.add_argument("year", type=int)
    programme.add_argument("--runner", choices=PERIOD_RUNNERS, required=True)
    programme.add_argument("--agency", default=None, help="the runner agency's code (province or agency)")
    programme.add_argument("--self-only", action="store_true", help="results are self-assessed only")
    programme.add_argument("--framework", default="vision-to-evaluation")
    programme.set_defaults(func=cmd_programme)
