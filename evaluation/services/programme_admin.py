"""Opening a programme period (issue 16): an agency's or a province's own programme on the founding
framework beside the official period of the same year. Admins only, audited."""

from __future__ import annotations

from sqlmodel import Session, select

from evaluation.models import PERIOD_RUNNERS, Agency, Period
from evaluation.services.actors import Actor, require_role
from evaluation.services.frameworks import latest_version
from evaluation.services.period_schedule import add_period
from evaluation.translatable import InvalidInput, NotFound
from evaluation.workflow import Role

RUNNER_CATEGORIES = {
    "province": ("Provinsi",),
    "agency": ("Kementerian", "Lembaga", "Provinsi", "Kabupaten", "Kota"),
}


def open_programme(
    session: Session,
    *,
    actor: Actor,
    year: int,
    runner: str,
    runner_agency_code: str | None = None,
    verified: bool = True,
    framework_id: str = "vision-to-evaluation",
) -> int:
    """Open a programme period on the latest version of `framework_id` for `year`; returns its id.

    `runner` is 'ministry' (no agency), 'province' (a Provinsi agency, for its regencies and cities) or
    'agency' (the agency alone); `verified` False means self-assessed only. Raises PermissionDenied for
    non-admins, ValueError for an unknown runner, a missing or wrong runner agency, or a period that
    already exists for that year and framework version; LookupError for an unknown framework."""
    require_role(actor, Role.ADMIN)
    if runner not in PERIOD_RUNNERS:
        raise InvalidInput("ea.unknown_runner", runner=runner, runners=list(PERIOD_RUNNERS))
    agency: Agency | None = None
    if runner == "ministry":
        if runner_agency_code:
            raise InvalidInput("ea.ministry_programme_no_agency")
    else:
        code = (runner_agency_code or "").strip().upper()
        agency = session.exec(select(Agency).where(Agency.code == code)).first() if code else None
        if agency is None or agency.category not in RUNNER_CATEGORIES[runner]:
            raise InvalidInput("ea.runner_needs_agency", runner=runner, code=code)
    version = latest_version(session, framework_id)
    if version is None or version.id is None:
        raise NotFound("ea.unknown_framework", framework=framework_id)
    period = Period(
        year=year,
        framework_version_id=version.id,
        evaluation_type="pemantauan",
        status="open",
        kind="programme",
        runner=runner,
        runner_agency_id=agency.id if agency else None,
        verified=verified,
    )
    return add_period(
        session,
        actor=actor,
        period=period,
        version=version,
        action="open_programme",
        new=f"{year} {framework_id}@{version.version} {runner}"
        f"{':' + agency.code if agency else ''} {'verified' if verified else 'self'}",
    )
