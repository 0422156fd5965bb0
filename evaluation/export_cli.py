"""`python -m evaluation export KIND`: every file the Excel page offers for download, written by the same
builders, acting as a named user (the same permission checks as the page), so whole flows can be scripted.

    python -m evaluation export KIND --as USER [--year Y] [--framework ID] [--agency CODE]
                                [--format xlsx|csv] [--template] [--lang id|en] --out FILE

KIND: assessment, national-matrix (a period's: --year needed), targets, activities, agencies, recommendations,
published-results (its empty form only). `--template` gives the empty forms: the assessment template with
dropdowns, and the targets, activities and agencies sheets without rows. `--agency` narrows an assessment,
targets or activities file to those agencies (agency users may name only their own, and always get only
their own). `--year` picks the period of assessment and national-matrix files; the other kinds are not
per period and do not use it. Recommendations (issue 12, with their follow-up) take --year to keep one
period year, every year without it.

Exit codes: 0 written; 2 the request cannot be served (unknown user, no period that year or more than one,
unknown agency, a format or option this kind does not offer); 3 permission denied (the user's role may not
have this file). Messages are in the language of `--lang` (default: SPBE_LANG, else Indonesian), which
is also the language of the file.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from evaluation.cli_output import DENIED as DENIED  # the exit codes, for callers and tests
from evaluation.cli_output import OK, REFUSED, acting, acting_user, command, refusal
from evaluation.db import make_engine, read_session
from evaluation.models import Agency
from evaluation.services.actors import Actor, PermissionDenied, require_role
from evaluation.translatable import Translatable
from evaluation.workflow import MINISTRY_ROLES

KINDS = (
    "assessment",
    "national-matrix",
    "targets",
    "activities",
    "agencies",
    "published-results",
    "recommendations",
)
PERIOD_KINDS = ("assessment", "national-matrix")
AGENCY_KINDS = ("assessment", "targets", "activities", "recommendations")


class Unservable(Translatable, LookupError):
    """The request names something that does not exist or an option this kind does not offer."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the `export` command on the main parser's subcommands."""
    export = command(
        sub,
        "export",
        "write a file the Excel page offers (template or export)",
        "0 written; 2 cannot be served (unknown user, no such period, unknown agency, an option this kind "
        "does not offer); 3 permission denied",
    )
    export.add_argument("kind", choices=KINDS, help="which file")
    acting_user(export)
    export.add_argument(
        "--year", type=int, default=None, help="the period's year (assessment, national-matrix)"
    )
    export.add_argument(
        "--framework", default=None, help="framework id, when a year has more than one period"
    )
    export.add_argument(
        "--agency",
        nargs="+",
        metavar="CODE",
        default=None,
        help="agency codes (assessment, targets, activities)",
    )
    export.add_argument("--format", dest="fmt", choices=["xlsx", "csv"], default="xlsx")
    export.add_argument("--template", action="store_true", help="the empty form instead of the data")
    export.add_argument("--out", required=True, help="the file to write")
    export.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    """Build the file as the named user and write it to --out; the exit code says how it went."""
    from evaluation.bootstrap import ensure_schema

    engine = make_engine()
    ensure_schema(engine)
    with read_session(engine) as session:
        actor = acting(session, args.lang, args.as_user)
        if actor is None:
            return REFUSED
        try:
            data = build(session, actor, args)
        except (PermissionDenied, Unservable) as exc:
            return refusal(args.lang, exc)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(out)
    return OK


def build(session: Session, actor: Actor, args: argparse.Namespace) -> bytes:
    """The file's bytes, from the builder the page uses. Raises Unservable or PermissionDenied."""
    kind, fmt, lang = args.kind, args.fmt, args.lang
    if args.agency and kind not in AGENCY_KINDS:
        raise Unservable("cli.export_agency_kinds")
    if kind == "recommendations":
        from evaluation.services.recommendations.export import recommendations_file

        if args.template:
            raise Unservable("cli.export_no_recommendation_template")
        agency_ids = _agencies(session, args.agency)
        return recommendations_file(
            session, actor=actor, year=args.year, agency_ids=agency_ids, fmt=fmt, lang=lang
        )
    if kind in PERIOD_KINDS:
        period_id = _period(session, args.year, args.framework)
        if kind == "assessment":
            from evaluation.services.bulk.assessment_sheet import period_workbook

            return period_workbook(
                session,
                actor=actor,
                period_id=period_id,
                agency_ids=_agencies(session, args.agency),
                lang=lang,
                template=args.template,
                fmt=fmt,
            )
        if args.template:
            raise Unservable("cli.export_no_matrix_template")
        from evaluation.services.bulk.national_matrix import matrix_file

        return matrix_file(session, actor=actor, period_id=period_id, fmt=fmt, lang=lang)
    if kind == "published-results":
        from evaluation.services.bulk import published_results

        require_role(actor, *MINISTRY_ROLES)  # who may import them, as the page offers it
        if fmt != "xlsx":
            raise Unservable("cli.export_published_xlsx")
        return published_results.template(lang)
    builder = _keyed_builders()[kind]
    narrowed = {"agency_ids": _agencies(session, args.agency)} if args.agency else {}
    return builder(
        session, actor=actor, lang=lang, fmt=fmt, template=fmt == "xlsx", empty=args.template, **narrowed
    )


def _keyed_builders() -> dict[str, Callable[..., bytes]]:
    from evaluation.services.bulk.activities_sheet import activities_file
    from evaluation.services.bulk.agencies_sheet import agencies_file
    from evaluation.services.bulk.targets_sheet import targets_file

    return {"targets": targets_file, "activities": activities_file, "agencies": agencies_file}


def _period(session: Session, year: int | None, framework: str | None) -> int:
    from evaluation.services.programmes import prefer_official
    from evaluation.services.results import list_periods

    if year is None:
        raise Unservable("cli.export_year_needed")
    periods = [p for p in list_periods(session) if p.year == year and framework in (None, p.framework_id)]
    periods = prefer_official(periods) if framework is None else periods  # a programme: --framework
    if not periods:
        raise Unservable("cli.no_period", year=str(year))
    if len(periods) > 1:
        raise Unservable("cli.several_periods", year=str(year), known=[p.framework_id for p in periods])
    return int(periods[0].id)


def _agencies(session: Session, codes: list[str] | None) -> list[int] | None:
    if not codes:
        return None
    wanted = {code.strip().upper() for code in codes}
    found: dict[str, Any] = {
        a.code: a.id for a in session.exec(select(Agency).where(col(Agency.code).in_(wanted)))
    }
    missing = sorted(wanted - set(found))
    if missing:
        raise Unservable("cli.unknown_agencies", codes=missing)
    return [int(found[code]) for code in sorted(found)]
