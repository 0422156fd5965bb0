"""Province roll-ups: a province's own government with the regencies and cities in it, aggregated by a
stated rule. Pure functions over the ranking frame (`comparison.ranking`), so the numbers match it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from evaluation.translatable import InvalidInput

Method = Literal["weighted", "mean", "minimum"]
METHODS: tuple[Method, ...] = ("weighted", "mean", "minimum")
LOCAL = ("Kabupaten", "Kota")
ROLLUP_COLUMNS = [
    "province", "governments", "province_index", "local_mean", "local_count", "lowest_name", "lowest_index",
    "value",
]  # fmt: skip


@dataclass(frozen=True)
class Rule:
    """How a province's value is formed. `province_weight` matters only for the weighted mean: the
    provincial government gets that share, its regencies and cities share the rest equally."""

    method: Method
    province_weight: float = 0.5

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InvalidInput("ea.unknown_aggregation", method=self.method, methods=list(METHODS))
        if not 0 <= self.province_weight <= 1:
            raise InvalidInput("ea.province_weight_range")


def members(frame: pd.DataFrame, province: str) -> pd.DataFrame:
    """The province's own government and its regencies and cities, as ranked."""
    keep = (frame["province"] == province) & frame["category"].isin(("Provinsi", *LOCAL))
    return frame[keep].sort_values(["index", "name"], ascending=[False, True], kind="stable")


def aggregate(provincial: float | Sequence[float] | None, local: Sequence[float], rule: Rule) -> float | None:
    """The province's value from its provincial government's index (normally one; where the register has
    more than one under a province, they form the provincial side together) and its regencies' and
    cities' indices."""
    own = (
        []
        if provincial is None
        else [provincial]
        if isinstance(provincial, float | int)
        else list(provincial)
    )
    everyone = [*own, *local]
    if not everyone:
        return None
    if rule.method == "minimum":
        return min(everyone)
    if rule.method == "mean" or not own or not local:
        return sum(everyone) / len(everyone)
    return rule.province_weight * sum(own) / len(own) + (1 - rule.province_weight) * sum(local) / len(local)


def province_rollup(frame: pd.DataFrame, rule: Rule) -> pd.DataFrame:
    """One row per province: its government's index, the regencies' and cities' mean, the lowest member,
    and the rolled-up value by `rule`; highest value first."""
    rows = []
    if not frame.empty:
        regional = frame[frame["category"].isin(("Provinsi", *LOCAL)) & frame["province"].notna()]
        for province, part in regional.groupby("province", sort=True):
            own = [float(v) for v in part[part["category"] == "Provinsi"]["index"]]
            local = [float(v) for v in part[part["category"].isin(LOCAL)]["index"]]
            lowest = part.sort_values(["index", "name"], kind="stable").iloc[0]  # ties: by name
            rows.append(
                {
                    "province": province,
                    "governments": len(part),
                    "province_index": sum(own) / len(own) if own else None,
                    "local_mean": sum(local) / len(local) if local else None,
                    "local_count": len(local),
                    "lowest_name": lowest["name"],
                    "lowest_index": float(lowest["index"]),
                    "value": aggregate(own, local, rule),
                }
            )
    out = pd.DataFrame(rows, columns=ROLLUP_COLUMNS)
    return out.sort_values(["value", "province"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
