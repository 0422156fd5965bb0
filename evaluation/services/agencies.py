"""Agencies (instansi): reading the reference list and querying the register."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from evaluation.models import AGENCY_CATEGORIES, Agency

# Published categories -> the five the tool groups by; the published one is kept as subcategory.
CATEGORY_OF = {
    "Kementerian": "Kementerian",
    "Provinsi": "Provinsi",
    "Kabupaten": "Kabupaten",
    "Kota": "Kota",
}
CODE_PREFIX = {"Kementerian": "KEM", "Lembaga": "LEM", "Provinsi": "PROV", "Kabupaten": "KAB", "Kota": "KOTA"}
REFERENCE_CSV = Path(__file__).resolve().parents[2] / "data" / "agencies.csv"


@dataclass(frozen=True)
class AgencyRow:
    code: str
    name: str
    category: str
    subcategory: str | None
    province: str | None


@dataclass(frozen=True)
class AgencyYear:
    """One agency in one year: the heading of every per-agency row (an agency's result, a queue row);
    those row types derive from it and are built with `**agency_year(agency, year)`."""

    agency_id: int
    agency_code: str
    agency_name: str
    category: str
    province: str | None
    year: int


def agency_year(agency: Agency, year: int) -> dict[str, Any]:
    """The AgencyYear fields of a register row in `year`, by name."""
    return {
        "agency_id": agency.id or 0,
        "agency_code": agency.code,
        "agency_name": agency.name,
        "category": agency.category,
        "province": agency.province,
        "year": year,
    }


def read_reference_agencies(path: Path = REFERENCE_CSV) -> list[AgencyRow]:
    """The reference list with stable codes (category prefix + running number in file order)."""
    rows: list[AgencyRow] = []
    counters: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            published = record["category"].strip()
            category = CATEGORY_OF.get(published, "Lembaga")
            assert category in AGENCY_CATEGORIES
            counters[category] = counters.get(category, 0) + 1
            rows.append(
                AgencyRow(
                    code=f"{CODE_PREFIX[category]}-{counters[category]:03d}",
                    name=record["name"].strip(),
                    category=category,
                    subcategory=None if published == category else published,
                    province=(record.get("province") or "").strip() or None,
                )
            )
    return rows


class AgencyEntry(NamedTuple):
    """An active agency as the pickers and lists show it."""

    id: int
    code: str
    name: str
    category: str
    province: str | None


def list_agencies(
    session: Session, *, category: str | None = None, province: str | None = None
) -> list[AgencyEntry]:
    """The active agencies by name, of one category and province when given. Plain rows, not table
    objects: the pickers read every agency of a national register on each change of the data (issue 17)."""
    query = sa_select(
        col(Agency.id), col(Agency.code), col(Agency.name), col(Agency.category), col(Agency.province)
    ).where(col(Agency.active))
    if category:
        query = query.where(col(Agency.category) == category)
    if province:
        query = query.where(col(Agency.province) == province)
    rows = session.connection().execute(query.order_by(col(Agency.name))).cursor.fetchall()
    return [AgencyEntry(*row) for row in rows]


def agency_by_code(session: Session, code: str) -> Agency | None:
    return session.exec(select(Agency).where(Agency.code == code.strip().upper())).first()
