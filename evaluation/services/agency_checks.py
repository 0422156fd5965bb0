"""The one validation of a row of the agency register: the register page (services/agency_admin.py) and the
agencies Excel sheet (services/bulk/agencies_sheet.py) check every row with `check_agency`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from evaluation.i18n import t
from evaluation.models import AGENCY_CATEGORIES, Agency
from evaluation.services.bulk.keyed_import import stored_limit_messages
from evaluation.translatable import InvalidInput, Message

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]*$")
Problem = tuple[str, Message]  # (field, why): the import's refuse() takes the same
_FIELD_NAMES = {
    "code": Message("ea.agency_field_code"),
    "name": Message("ea.agency_field_name"),
    "category": Message("ea.agency_field_category"),
    "subcategory": Message("ea.agency_field_subcategory"),
    "province": Message("ea.agency_field_province"),
    "parent": Message("ea.agency_field_parent"),
}


def category_of(text: str | None) -> str | None:
    """The register's spelling of a category typed in any case, or None when it is not one."""
    return {c.lower(): c for c in AGENCY_CATEGORIES}.get((text or "").strip().lower())


def check_agency(values: Mapping[str, Any], parents: Mapping[str, str | None]) -> list[Problem]:
    """What is wrong with one register row; empty when it may be stored.

    `values`: code, name, category (as typed), subcategory, province, parent (a code or None).
    `parents`: every agency code the register will hold (stored ones and, for an import, the file's) ->
    its parent code, with this row's own entry as it would become. Checks: a code of letters, digits,
    '.', '_' or '-'; a name; a known category; a parent that exists, is not the agency itself and does not
    make a cycle; the table's text limits."""
    problems: list[Problem] = []
    code = str(values.get("code") or "").strip().upper()
    if not CODE_PATTERN.match(code):
        problems.append(("code", Message("ea.agency_code_format", code=code)))
    if not str(values.get("name") or "").strip():
        problems.append(("name", Message("ea.agency_name_required")))
    if category_of(values.get("category")) is None:
        typed = values.get("category") or ""
        problems.append(
            ("category", Message("ea.agency_unknown_category", category=typed, known=AGENCY_CATEGORIES))
        )
    parent = (values.get("parent") or "").strip().upper() or None
    if parent is not None:
        if parent == code:
            problems.append(("parent", Message("ea.agency_own_parent")))
        elif parent not in parents:
            problems.append(("parent", Message("ea.agency_unknown_parent", parent=parent)))
        elif _reaches(parents, parent, code):
            problems.append(("parent", Message("ea.agency_parent_cycle", parent=parent, code=code)))
    limited = {k: values.get(k) for k in ("code", "name", "subcategory", "province") if values.get(k)}
    problems.extend(stored_limit_messages(Agency, limited))
    return problems


def _reaches(parents: Mapping[str, str | None], start: str, target: str) -> bool:
    """Whether walking up from `start` through `parents` meets `target` (a cycle if `target` is the child)."""
    seen: set[str] = set()
    node: str | None = start
    while node is not None and node not in seen:
        if node == target:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


class _ProblemSentence(Message):
    """Every problem of a register row as one sentence in the reader's language: "Kode: ...; induk: ..."."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("ea.agency_problem", problems=tuple(problems))

    def render(self, lang: str) -> str:
        parts = [
            t("ea.agency_problem", lang, field=_FIELD_NAMES[f].render(lang), why=why.render(lang))
            for f, why in self.params["problems"]
        ]
        text = "; ".join(parts)
        return text[:1].upper() + text[1:] + "."


def refuse(problems: list[Problem]) -> None:
    """Raise InvalidInput (a ValueError) naming every problem in one sentence."""
    if problems:
        raise InvalidInput("ew.agency_refused", problems=_ProblemSentence(problems))
