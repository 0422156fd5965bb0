"""Framework versions in the database: the shipped ones registered at start, more added by an admin."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from evaluation.models import FrameworkVersion
from evaluation.services import audit
from evaluation.services.actors import Actor, require_role
from evaluation.services.audit_fields import record_created
from evaluation.translatable import NotFound
from evaluation.workflow import Role
from indicators.loader import FrameworkError, parse_framework, shipped_framework_paths
from indicators.schema import Framework

_parsed: dict[str, Framework] = {}


@dataclass(frozen=True)
class FrameworkSummary:
    version_id: int
    framework_id: str
    version: str
    name: str
    indicator_count: int
    shipped: bool


def framework_of(version: FrameworkVersion) -> Framework:
    """The parsed framework of a stored version (parsed once per content hash)."""
    framework = _parsed.get(version.content_hash)
    if framework is None:
        framework = parse_framework(version.content, source=f"{version.framework_id}@{version.version}")
        _parsed[version.content_hash] = framework
    return framework


def load_framework_version(session: Session, version_id: int) -> Framework:
    version = session.get(FrameworkVersion, version_id)
    if version is None:
        raise NotFound("ea.framework_version_not_found", version_id=str(version_id))
    return framework_of(version)


def _store(
    session: Session,
    actor: Actor,
    framework: Framework,
    text: str,
    *,
    shipped: bool,
    change_set: str | None = None,
) -> FrameworkVersion:
    """The stored version of `framework`, stored now when it is new (audited as "register_framework" when
    it ships with the tool, else "add_framework"); FrameworkError when its id and version are stored with
    other content."""
    existing = session.exec(
        select(FrameworkVersion).where(
            FrameworkVersion.framework_id == framework.id, FrameworkVersion.version == framework.version
        )
    ).first()
    if existing is not None:
        if existing.content_hash != framework.content_hash:
            raise FrameworkError(
                framework.key,
                [("version", "this id and version already exist with other content: raise the version")],
            )
        return existing
    row = FrameworkVersion(
        framework_id=framework.id,
        version=framework.version,
        name=framework.name,
        content_hash=framework.content_hash,
        content=text,
        indicator_count=len(framework.indicators),
        shipped=shipped,
    )
    session.add(row)
    action = "register_framework" if shipped else "add_framework"
    record_created(
        session,
        row,
        actor=actor,
        action=action,
        entity="framework_version",
        new=framework.key,
        change_set=change_set,
    )
    return row


def sync_shipped_frameworks(session: Session, *, actor: Actor) -> list[FrameworkVersion]:
    """Register every framework file that ships with the tool (idempotent)."""
    require_role(actor, Role.ADMIN)
    rows = []
    change_set = audit.new_change_set()
    for path in shipped_framework_paths():
        text = path.read_text(encoding="utf-8")
        framework = parse_framework(text, source=path.name)
        rows.append(_store(session, actor, framework, text, shipped=True, change_set=change_set))
    return rows


def add_framework(session: Session, *, actor: Actor, text: str, source_name: str) -> FrameworkVersion:
    """Add a framework from a file's text (how a successor framework gets in). Admin only."""
    require_role(actor, Role.ADMIN)
    framework = parse_framework(text, source=source_name)
    return _store(session, actor, framework, text, shipped=False)


def list_framework_versions(session: Session) -> list[FrameworkSummary]:
    rows = session.exec(
        select(FrameworkVersion).order_by(col(FrameworkVersion.framework_id), col(FrameworkVersion.id))
    )
    return [
        FrameworkSummary(r.id or 0, r.framework_id, r.version, r.name, r.indicator_count, r.shipped)
        for r in rows
    ]


def latest_version(session: Session, framework_id: str) -> FrameworkVersion | None:
    return session.exec(
        select(FrameworkVersion)
        .where(FrameworkVersion.framework_id == framework_id)
        .order_by(col(FrameworkVersion.id).desc())
    ).first()


def registered_version(session: Session, framework_id: str, version: str | None = None) -> FrameworkVersion:
    """The registered version `version` of `framework_id`, or its latest when `version` is None. Raises
    NotFound("ew.unknown_framework") when there is none."""
    query = select(FrameworkVersion).where(FrameworkVersion.framework_id == framework_id)
    if version is not None:
        query = query.where(FrameworkVersion.version == version)
    found = session.exec(query.order_by(col(FrameworkVersion.id).desc())).first()
    if found is None or found.id is None:
        named = framework_id if version is None else f"{framework_id}@{version}"
        raise NotFound("ew.unknown_framework", named=named)
    return found
