"""The rules a row of the targets sheet must meet before it is planned (the dry run and the apply step
both run them)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from evaluation.models import AGENCY_CATEGORIES, TARGET_KINDS
from evaluation.services.actors import Actor
from evaluation.services.frameworks import framework_of, latest_version
from evaluation.translatable import Message

HORIZON_WORDS = {
    "pendek": "short",
    "menengah": "medium",
    "panjang": "long",
    "short": "short",
    "medium": "medium",
    "long": "long",
}


def visible(actor: Actor, agency_id: int | None) -> bool:
    """Whether the actor may see and import a target of this agency (None: a national target)."""
    return actor.is_ministry or (agency_id is not None and agency_id == actor.agency_id)


def target_problem(
    session: Session, actor: Actor, v: dict[str, Any], agencies: dict[str, int | None]
) -> tuple[str, Message] | None:
    """The first rule a targets-sheet row breaks, as (sheet column key, message), or None: the
    rules of save_target and of the table's CHECK constraints, so a clean dry run is never refused."""
    code = v.get("agency_code")
    if code and code not in agencies:
        return "agency_code", Message("pr.unknown_agency", code=code)
    agency_id = agencies.get(code) if code else None
    if not visible(actor, agency_id):
        return "agency_code", Message("pr.own_targets_only")
    version = latest_version(session, v["framework"].strip().lower())
    if version is None:
        return "framework", Message("pr.unknown_framework", framework=v["framework"])
    if v["horizon"].strip().lower() not in HORIZON_WORDS:
        return "horizon", Message("pr.horizon_words")
    kind = (v.get("target_kind") or "index").lower()
    if kind not in TARGET_KINDS:
        return "target_kind", Message("pr.target_kinds", kinds=list(TARGET_KINDS))
    framework = framework_of(version)
    target_code = v.get("target_code")
    if kind == "group" and target_code not in framework.group_by_code:
        return "target_code", Message("pr.not_a_group_code", code=target_code, framework=framework.id)
    if kind == "indicator" and target_code not in framework.indicator_by_code:
        return "target_code", Message("pr.not_an_indicator_code", code=target_code, framework=framework.id)
    if kind == "share" and not (v.get("category") and v.get("predicate")):
        return "category", Message("pr.share_needs_category")
    if kind == "share" and v["category"] not in AGENCY_CATEGORIES:
        return "category", Message("pr.categories", categories=list(AGENCY_CATEGORIES))
    bands = [band.name for band in framework.predicate.bands]
    if kind == "share" and v["predicate"] not in bands:
        return "predicate", Message("pr.predicates", predicates=bands)
    low, high = (0.0, 1.0) if kind == "share" else (1.0, 5.0)
    for name, key in (("target_value", "pr.target_outside"), ("baseline_value", "pr.baseline_outside")):
        if v.get(name) is not None and not low <= v[name] <= high:
            return name, Message(key, low=low, high=high)
    if v["target_year"] < v["baseline_year"]:
        return "target_year", Message("pr.target_before_baseline")
    return None
