"""Exact numbers, rounding, predicate banding and the result of a scoring."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from evaluation.i18n import N_, t
from evaluation.translatable import Message, Translatable
from indicators.schema import Framework, PredicateBand, parse_exact_number

Number = int | float | str | Decimal | Fraction
Rounding = Literal["round2", "raw"]


class ScoringInputError(Translatable, ValueError):
    """Levels or group values that the framework cannot score; `problems` maps a code to what is wrong (a
    message of the `problems` catalogue: `exc.problems[code].render(lang)`); `message(lang)` lists all."""

    def __init__(self, problems: dict[str, Message]):
        self.problems = problems
        super().__init__("pr.sc_problems", listed="")

    def message(self, lang: str) -> str:
        listed = "; ".join(f"{code}: {problem.render(lang)}" for code, problem in self.problems.items())
        return t("pr.sc_problems", lang, listed=listed)


def kind_name(kind: str) -> Message:
    """A level of a framework's hierarchy (domain, aspect ...) as a word of the reader's language."""
    key = {
        "domain": N_("pr.kind_domain"),
        "aspect": N_("pr.kind_aspect"),
        "indicator": N_("pr.kind_indicator"),
    }
    return Message(key[kind]) if kind in key else Message("pr.kind_other", kind=kind)


def exact(value: Number) -> Fraction:
    """An exact value from user input: `2.6` means 13/5, not the nearest binary float; the framework files'
    rule (indicators.schema.parse_exact_number), with a Decimal or any other number-like value read from
    its text. Raises ValueError for anything else (True/False included)."""
    known = isinstance(value, bool | Fraction | int | float | str)
    return parse_exact_number(value if known else str(value))


def exact_or_problem(value: Number) -> Fraction | Message:
    """`exact(value)`, or the problem to report for it (`pr.sc_not_a_number`) when it is not a number."""
    try:
        return exact(value)
    except (ValueError, ZeroDivisionError):
        return Message("pr.sc_not_a_number", value=str(value))


def round_half_up(value: Fraction, places: int = 2) -> Fraction:
    scale = 10**places
    scaled = value * scale
    floor = scaled.numerator // scaled.denominator
    return Fraction(floor + (1 if scaled - floor >= Fraction(1, 2) else 0), scale)


def display(value: Fraction | None, places: int = 2) -> str | None:
    """The value as printed in results: half-up to `places` decimals, with a point (`3.28`)."""
    if value is None:
        return None
    rounded = round_half_up(value, places)
    return f"{Decimal(rounded.numerator) / Decimal(rounded.denominator):.{places}f}"


def predicate_for(
    framework: Framework, index: Fraction, rounding: Rounding | None = None
) -> PredicateBand | None:
    """The band the index falls in, after the framework's (or the given) rounding rule."""
    rule = rounding or framework.predicate.rounding
    banded = round_half_up(index, 2) if rule == "round2" else index
    return next((band for band in framework.predicate.bands if band.contains(banded)), None)


@dataclass(frozen=True)
class ScoreResult:
    framework_id: str
    index: Fraction | None
    groups: dict[str, Fraction]
    group_kind: dict[str, str]
    predicate: PredicateBand | None
    rounding: Rounding
    missing: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.index is not None

    @property
    def index_value(self) -> float | None:
        return float(self.index) if self.index is not None else None

    @property
    def index_display(self) -> str | None:
        return display(self.index)

    def values_of(self, kind: str) -> dict[str, float]:
        """Unrounded group indices of one kind (`domain` or `aspect`) as floats, in framework order."""
        return {code: float(v) for code, v in self.groups.items() if self.group_kind.get(code) == kind}

    def as_dict(self, agency: str | None = None) -> dict[str, object]:
        return {
            "agency": agency,
            "framework": self.framework_id,
            "index": self.index_value,
            "index_display": self.index_display,
            "predicate": self.predicate.name if self.predicate else None,
            "domains": self.values_of("domain"),
            "aspects": self.values_of("aspect"),
            "missing": list(self.missing),
        }
