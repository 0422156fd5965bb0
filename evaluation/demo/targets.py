"""The demo's roadmap targets: the national ones (SPBE.md's figures) and short-, medium- and long-term
targets for some agencies on the new framework."""

from __future__ import annotations

import random

from sqlmodel import Session

from evaluation.models import Agency, RoadmapTarget


def insert_demo_targets(session: Session, agencies: list[Agency], rng: random.Random) -> int:
    """National targets (SPBE.md) and short-, medium- and long-term targets for some agencies."""
    targets = [
        RoadmapTarget(
            framework_id="spbe-2020",
            horizon=horizon,
            baseline_year=2022,
            baseline_value=2.34,
            target_year=year,
            target_value=value,
            note="Target nasional / national target",
        )
        for horizon, year, value in (("short", 2023, 2.60), ("medium", 2024, 2.85))
    ]
    for category, share in (
        ("Kementerian", 1.0),
        ("Lembaga", 1.0),
        ("Provinsi", 0.8),
        ("Kabupaten", 0.6),
        ("Kota", 0.6),
    ):
        targets.append(
            RoadmapTarget(
                framework_id="spbe-2020",
                horizon="medium",
                baseline_year=2022,
                target_year=2024,
                target_kind="share",
                category=category,
                predicate="Baik",
                target_value=share,
            )
        )
    chosen = [a for a in agencies if rng.random() < 0.12]
    for agency in chosen:
        base = round(2.2 + rng.random() * 1.2, 2)
        for horizon, years, lift in (("short", 1, 0.2), ("medium", 3, 0.5), ("long", 5, 0.9)):
            targets.append(
                RoadmapTarget(
                    agency_id=agency.id,
                    framework_id="pemdi-2026",
                    horizon=horizon,
                    baseline_year=2026,
                    baseline_value=base,
                    target_year=2026 + years,
                    target_value=min(5.0, round(base + lift, 2)),
                )
            )
    session.add_all(targets)
    session.flush()
    return len(targets)
