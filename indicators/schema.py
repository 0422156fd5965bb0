"""The framework file format: pydantic models that parse and type-check a framework file.

Cross-field rules (hierarchy depth, unique codes, weights summing, bands covering the scale) live in
`indicators.consistency`; this module only describes the shape of each piece.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, field_validator


def parse_exact_number(value: Any) -> Fraction:
    """Read a weight or bound exactly: `1.3` is 13/10, `"10/3"` is ten thirds; floats via their repr."""
    if isinstance(value, bool):
        raise ValueError("a number is required, not true/false")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))
    if isinstance(value, str):
        text = value.strip()
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"'{value}' is not a number or a fraction such as 10/3") from None
    raise ValueError(f"a number is required, not {type(value).__name__}")


Exact = Annotated[Fraction, BeforeValidator(parse_exact_number), PlainSerializer(str, return_type=str)]
Code = Annotated[str, Field(min_length=1, max_length=16, pattern=r"^[A-Za-z][A-Za-z0-9.\-]*$")]
FrameworkId = Annotated[str, Field(min_length=2, max_length=40, pattern=r"^[a-z0-9][a-z0-9.\-]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


class Bilingual(Strict):
    name: str = Field(min_length=1)
    name_en: str = Field(min_length=1)

    def label(self, lang: str = "id") -> str:
        return self.name_en if lang == "en" else self.name


class Interval(Strict):
    """A closed, open or half-open interval of an index; which ends count is explicit."""

    min: Exact
    max: Exact
    min_inclusive: bool
    max_inclusive: bool

    def contains(self, value: Fraction) -> bool:
        above = value >= self.min if self.min_inclusive else value > self.min
        below = value <= self.max if self.max_inclusive else value < self.max
        return above and below

    def describe(self) -> str:
        left = "[" if self.min_inclusive else "("
        right = "]" if self.max_inclusive else ")"
        return f"{left}{float(self.min):g}, {float(self.max):g}{right}"


class PredicateBand(Interval, Bilingual):
    pass


class Predicate(Strict):
    rounding: Literal["round2", "raw"]
    note: str | None = None
    bands: list[PredicateBand] = Field(min_length=1)


# The levels a scale may use: what the database stores (evaluation.models, CHECK level between 1 and 5) and
# what the charts and the PDF report draw. A framework file with another level is refused on load.
LOWEST_LEVEL = 1
HIGHEST_LEVEL = 5


class ScaleLevel(Bilingual):
    level: int

    @field_validator("level")
    @classmethod
    def _stored_range(cls, value: int) -> int:
        if not LOWEST_LEVEL <= value <= HIGHEST_LEVEL:
            raise ValueError(
                f"level {value} is outside {LOWEST_LEVEL}-{HIGHEST_LEVEL}, the levels the application stores"
            )
        return value

    description: str = Field(min_length=1)
    description_en: str = Field(min_length=1)


class Scale(Bilingual):
    levels: list[ScaleLevel] = Field(min_length=2)

    @property
    def minimum(self) -> int:
        return min(level.level for level in self.levels)

    @property
    def maximum(self) -> int:
        return max(level.level for level in self.levels)

    def level(self, number: int) -> ScaleLevel | None:
        return next((lv for lv in self.levels if lv.level == number), None)


class IndexBand(Interval):
    level: int


class NationalIndex(Strict):
    """An index run by another agency (SDI, SJIG, EPSS...) whose value proposes a level."""

    name: str = Field(min_length=1)
    full_name: str | None = None
    min: Exact | None = None
    max: Exact | None = None
    note: str | None = None
    bands: list[IndexBand] = Field(default_factory=list)

    def proposed_level(self, value: Fraction) -> int | None:
        return next((band.level for band in self.bands if band.contains(value)), None)


class Criterion(Strict):
    level: int
    id: str = Field(min_length=1)
    en: str = Field(min_length=1)
    evidence_id: str | None = None
    evidence_en: str | None = None

    def text(self, lang: str = "id") -> str:
        return self.en if lang == "en" else self.id

    def evidence(self, lang: str = "id") -> str | None:
        return self.evidence_en if lang == "en" else self.evidence_id


class Indicator(Bilingual):
    code: Code
    number: int = Field(ge=1)
    aliases: list[str] = Field(default_factory=list)
    weight: Exact
    scale: str
    stewards: str | None = None
    national_index: NationalIndex | None = None
    prepares: dict[FrameworkId, list[Code]] = Field(default_factory=dict)
    """The bridge: other frameworks' indicator codes this indicator prepares (framework id -> codes), e.g.
    a founding step's indicator -> the official `pemdi-2026` ones it moves. Codes are checked against the
    shipped frameworks by tests/unit/test_framework_files.py, not here (a file is parsed on its own)."""
    criteria: list[Criterion]

    def criterion(self, level: int) -> Criterion | None:
        return next((c for c in self.criteria if c.level == level), None)


class Group(Bilingual):
    code: Code
    aliases: list[str] = Field(default_factory=list)
    weight: Exact
    groups: list[Group] | None = None
    indicators: list[Indicator] | None = None

    @property
    def children(self) -> list[Group] | list[Indicator]:
        return self.groups if self.groups is not None else (self.indicators or [])


class EffectiveYears(Strict):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    start: int = Field(alias="from", ge=1990, le=2100)
    end: int | None = Field(default=None, alias="to", ge=1990, le=2100)


class NotApplicable(Strict):
    allowed: bool
    renormalise: Literal["parent", "overall"] | None = None


GroupKind = Literal["domain", "aspect"]


class Framework(Bilingual):
    """A parsed framework file. Built only through `indicators.loader`, which also checks consistency."""

    id: FrameworkId
    version: str = Field(min_length=1, max_length=32)
    description: str | None = None
    description_en: str | None = None
    source: str | None = None
    effective_years: EffectiveYears
    hierarchy: list[GroupKind] = Field(min_length=1, max_length=2)
    total_weight: Exact
    fractional_values: bool = False
    not_applicable: NotApplicable
    predicate: Predicate
    scales: dict[str, Scale] = Field(min_length=1)
    groups: list[Group] = Field(min_length=1)
    content_hash: str = ""

    @cached_property
    def indicators(self) -> list[Indicator]:
        """Every indicator in framework order."""
        found: list[Indicator] = []

        def walk(groups: list[Group]) -> None:
            for group in groups:
                if group.groups is not None:
                    walk(group.groups)
                found.extend(group.indicators or [])

        walk(self.groups)
        return found

    @cached_property
    def indicator_by_code(self) -> dict[str, Indicator]:
        return {ind.code: ind for ind in self.indicators}

    @cached_property
    def indicator_by_number(self) -> dict[int, Indicator]:
        return {ind.number: ind for ind in self.indicators}

    @cached_property
    def group_kind(self) -> dict[str, GroupKind]:
        """Group code -> its kind (domain or aspect), by depth in the hierarchy."""
        kinds: dict[str, GroupKind] = {}

        def walk(groups: list[Group], depth: int) -> None:
            for group in groups:
                kinds[group.code] = self.hierarchy[min(depth, len(self.hierarchy) - 1)]
                walk(group.groups or [], depth + 1)

        walk(self.groups, 0)
        return kinds

    @cached_property
    def group_by_code(self) -> dict[str, Group]:
        found: dict[str, Group] = {}

        def walk(groups: list[Group]) -> None:
            for group in groups:
                found[group.code] = group
                walk(group.groups or [])

        walk(self.groups)
        return found

    @cached_property
    def parent_of(self) -> dict[str, str]:
        """Code of an indicator or group -> code of the group that holds it (top groups are absent)."""
        parents: dict[str, str] = {}
        for group in self.group_by_code.values():
            for child in group.children:
                parents[child.code] = group.code
        return parents

    def groups_of_kind(self, kind: str) -> list[Group]:
        return [g for code, g in self.group_by_code.items() if self.group_kind[code] == kind]

    def scale_of(self, indicator: Indicator) -> Scale:
        return self.scales[indicator.scale]

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"
