"""How long a text cell may be, by column key: the database column's length (evaluation/models.py) where
the value is stored in one, else limits.MAX_FREE_TEXT_CHARS. Read by table.parse_table."""

from __future__ import annotations

from annotated_types import MaxLen
from sqlmodel import SQLModel

from evaluation.excel_io.limits import MAX_FREE_TEXT_CHARS
from evaluation.models import (
    Activity,
    Agency,
    IndicatorScore,
    PublishedResult,
    RoadmapTarget,
)


def model_length(model: type[SQLModel], field: str) -> int | None:
    """The `max_length` declared on a model's field, or None (a Text column)."""
    for item in model.model_fields[field].metadata:
        if isinstance(item, MaxLen):
            return int(item.max_length)
    return None


# columns whose cell is stored as it is; choice columns (status, horizon...) are checked against their
# choices instead, and may be written as a longer label in either language
_STORED_IN: dict[str, tuple[type[SQLModel], str]] = {
    "agency_code": (Agency, "code"),
    "code": (Agency, "code"),
    "parent": (Agency, "code"),
    "agency_name": (Agency, "name"),
    "name": (Agency, "name"),
    "subcategory": (Agency, "subcategory"),
    "province": (Agency, "province"),
    "framework": (Activity, "framework_id"),
    "title": (Activity, "title"),
    "owner": (Activity, "owner"),
    "indicator": (IndicatorScore, "indicator_code"),
    "target_code": (RoadmapTarget, "target_code"),
    "predicate": (PublishedResult, "published_predicate"),
    "source": (PublishedResult, "source"),
}

COLUMN_LENGTHS: dict[str, int] = {
    key: length for key, (model, field) in _STORED_IN.items() if (length := model_length(model, field))
}


def column_length(key: str) -> int:
    """The most characters a text cell of column `key` may hold."""
    return COLUMN_LENGTHS.get(key, MAX_FREE_TEXT_CHARS)
