"""What every assessment use case shares: the stages, loading with permission checks, the optimistic
version bump of status changes, status moves and score changes with their audit entries (per-score
versions are in `score_versions`). The read model a page shows is
in `assessment_view`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from evaluation.models import (
    Assessment,
    FrameworkVersion,
    IndicatorScore,
    Period,
    utcnow,
)
from evaluation.services.actors import Actor, PermissionDenied
from evaluation.services.frameworks import framework_of
from evaluation.translatable import Translatable
from evaluation.workflow import AGENCY_ROLES, Role
from indicators.schema import Framework

STAGES_BY_TYPE = {
    "pemantauan": ("document",),
    "evaluasi": ("document", "interview", "visit"),
    "pemdi": ("document", "interview", "visit"),
}
REQUIRED_STAGES = {
    "pemantauan": ("document",),
    "evaluasi": ("document", "interview"),
    "pemdi": ("document", "interview"),
}


def stages_of(period: Period) -> tuple[str, ...]:
    """The review stages of a period in order: its evaluation type's (STAGES_BY_TYPE)."""
    return STAGES_BY_TYPE.get(period.evaluation_type, ("document",))


def required_stages_of(period: Period) -> tuple[str, ...]:
    """The stages a period requires before finalizing, in order: the ones its admin chose when opening it
    (`period.required_stages`, comma-separated), else its evaluation type's default (REQUIRED_STAGES)."""
    if period.required_stages:
        chosen = tuple(s.strip() for s in period.required_stages.split(",") if s.strip())
        order = stages_of(period)
        return tuple(s for s in order if s in chosen) or ("document",)
    return REQUIRED_STAGES.get(period.evaluation_type, ("document",))


class WorkflowError(Translatable, ValueError):
    """An action that the assessment's state does not allow; the message says why (id / en)."""


class StaleAssessment(WorkflowError):
    """Someone saved the assessment after this user read it: the save is refused, never merged silently."""


class IncompleteAssessment(WorkflowError):
    def __init__(self, missing: list[tuple[str, str]]):
        """`missing`: (indicator code, what is missing as 'indonesian/english') pairs."""
        self.missing = missing

        def listed(lang: int) -> str:
            shown = ", ".join(f"{code} ({what.split('/')[lang].strip()})" for code, what in missing[:15])
            return shown + (f" +{len(missing) - 15}" if len(missing) > 15 else "")

        super().__init__(
            f"Belum lengkap, {len(missing)} isian kurang: {listed(0)}. / "
            f"Incomplete, {len(missing)} entries missing: {listed(1)}."
        )


def load_assessment(session: Session, assessment_id: int) -> tuple[Assessment, Period, Framework]:
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise LookupError(
            f"Penilaian {assessment_id} tidak ada. / Assessment {assessment_id} does not exist."
        )
    period = session.get(Period, assessment.period_id)
    # the framework file's text loads only when it is not parsed yet (framework_of caches by hash)
    version = session.get(
        FrameworkVersion,
        assessment.framework_version_id,
        options=[defer(FrameworkVersion.content)],  # type: ignore[arg-type]
    )
    assert period is not None and version is not None
    return assessment, period, framework_of(version)


def require_agency_editor(actor: Actor, assessment: Assessment) -> None:
    if actor.role not in AGENCY_ROLES or actor.agency_id != assessment.agency_id:
        raise PermissionDenied(
            "Hanya operator atau koordinator instansi ini yang dapat mengisi. / "
            "Only this agency's operator or coordinator can fill it in."
        )


def require_reviewer(actor: Actor) -> None:
    if actor.role != Role.REVIEWER:
        raise PermissionDenied(
            "Hanya asesor kementerian yang dapat memverifikasi. / Only ministry reviewers verify."
        )


def bump_version(session: Session, assessment: Assessment, expected_version: int) -> int:
    """Claim the assessment for a status change: version+1 only if nobody changed its status since
    `expected_version` (score saves have their own versions: `score_versions`). On PostgreSQL the UPDATE
    waits for running score saves (they hold the row FOR SHARE). Raises StaleAssessment."""
    result = session.execute(
        update(Assessment)
        .where(col(Assessment.id) == assessment.id, col(Assessment.version) == expected_version)
        .values(version=expected_version + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleAssessment(
            "Penilaian ini baru saja diubah oleh pengguna lain; simpanan Anda ditolak. "
            "Muat ulang lalu ulangi. / "
            "Someone else changed this assessment; your save was refused. Reload and try again."
        )
    session.refresh(assessment)
    return expected_version + 1


def move_status(
    session: Session,
    assessment: Assessment,
    *,
    actor: Actor,
    action: str,
    status: str,
    logged: Any = None,
) -> None:
    """Move the assessment to `status`, recorded in the audit log as one change (`logged` replaces the new
    status in the log, e.g. the finalized result's snapshot). The caller has checked the permission."""
    from evaluation.services import audit

    audit.record(
        session,
        actor=actor,
        change_set=audit.new_change_set(),
        action=action,
        entity="assessment",
        entity_id=assessment.id,
        field="status",
        old=assessment.status,
        new=status if logged is None else logged,
    )
    assessment.status = status
    session.add(assessment)


def set_score_fields(
    session: Session,
    *,
    actor: Actor,
    change_set: str,
    action: str,
    assessment_id: int,
    row: IndicatorScore,
    changes: Mapping[str, Any],
) -> dict[str, Any]:
    """Set the fields that really change on one score, each recorded in the audit log; returns them.
    A change also stamps the row with the actor and the time and, for a stored row, raises its version by
    one (the row must be current: locked by `score_versions.write_scores` or `claim_scores`)."""
    from evaluation.services import audit

    changed = {name: new for name, new in changes.items() if getattr(row, name) != new}
    for name, new in changed.items():
        audit.record(
            session,
            actor=actor,
            change_set=change_set,
            action=action,
            entity="assessment",
            entity_id=assessment_id,
            field=f"{row.indicator_code}.{name}",
            old=getattr(row, name),
            new=new,
        )
        setattr(row, name, new)
    if changed:
        row.updated_at = utcnow()
        row.updated_by = actor.user_id
        if row.id is not None:  # a new row starts at version 1
            row.version = (row.version or 0) + 1
    session.add(row)
    return changed


def score_rows(session: Session, assessment_id: int) -> dict[str, IndicatorScore]:
    rows = session.exec(select(IndicatorScore).where(IndicatorScore.assessment_id == assessment_id))
    return {row.indicator_code: row for row in rows}
