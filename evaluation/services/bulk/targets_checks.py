"""The rules a row of the targets sheet must meet before it is planned (the dry run and the apply step
both run them)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from evaluation.models import AGENCY_CATEGORIES, TARGET_KINDS
from evaluation.services.actors import Actor
from evaluation.services.frameworks import framework_of, latest_version

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
) -> tuple[str, str, str] | None:
    """The first rule a targets-sheet row breaks, as (sheet column key, Indonesian, English), or None: the
    rules of save_target and of the table's CHECK constraints, so a clean dry run is never refused."""
    code = v.get("agency_code")
    if code and code not in agencies:
        return "agency_code", f"instansi '{code}' tidak dikenal", f"unknown agency '{code}'"
    agency_id = agencies.get(code) if code else None
    if not visible(actor, agency_id):
        return "agency_code", "hanya target instansi Anda sendiri", "only your own agency's targets"
    version = latest_version(session, v["framework"].strip().lower())
    if version is None:
        return (
            "framework",
            f"kerangka '{v['framework']}' tidak dikenal",
            f"unknown framework '{v['framework']}'",
        )
    if v["horizon"].strip().lower() not in HORIZON_WORDS:
        return "horizon", "jangka: pendek, menengah atau panjang", "horizon: short, medium or long"
    kind = (v.get("target_kind") or "index").lower()
    if kind not in TARGET_KINDS:
        return "target_kind", f"jenis: {', '.join(TARGET_KINDS)}", f"kind: {', '.join(TARGET_KINDS)}"
    framework = framework_of(version)
    target_code = v.get("target_code")
    if kind == "group" and target_code not in framework.group_by_code:
        return "target_code", f"kode '{target_code}' bukan domain/aspek {framework.id}", "not a group code"
    if kind == "indicator" and target_code not in framework.indicator_by_code:
        return "target_code", f"kode '{target_code}' bukan indikator {framework.id}", "not an indicator code"
    if kind == "share" and not (v.get("category") and v.get("predicate")):
        return (
            "category",
            "target porsi perlu kategori dan predikat",
            "a share target needs category and predicate",
        )
    if kind == "share" and v["category"] not in AGENCY_CATEGORIES:
        return (
            "category",
            f"kategori: {', '.join(AGENCY_CATEGORIES)}",
            f"category: {', '.join(AGENCY_CATEGORIES)}",
        )
    bands = [band.name for band in framework.predicate.bands]
    if kind == "share" and v["predicate"] not in bands:
        return "predicate", f"predikat: {', '.join(bands)}", f"predicate: {', '.join(bands)}"
    low, high = (0.0, 1.0) if kind == "share" else (1.0, 5.0)
    for name, word_id, word_en in (
        ("target_value", "target", "target"),
        ("baseline_value", "dasar", "baseline"),
    ):
        if v.get(name) is not None and not low <= v[name] <= high:
            return (
                name,
                f"nilai {word_id} di luar {low:g}-{high:g}",
                f"{word_en} value outside {low:g}-{high:g}",
            )
    if v["target_year"] < v["baseline_year"]:
        return (
            "target_year",
            "tahun target sebelum tahun dasar",
            "the target year is before the baseline year",
        )
    return None
