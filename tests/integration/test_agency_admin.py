"""The agency register managed in the app (issue 12): add, edit, deactivate and reactivate per role, the
shared validation (also the agencies sheet's), audit entries, and what an inactive agency may still do."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from evaluation.db import read_session, write_session
from evaluation.models import Agency, AuditEntry
from evaluation.services.actors import PermissionDenied
from evaluation.services.agencies import list_agencies
from evaluation.services.agency_admin import (
    add_agency,
    edit_agency,
    search_register,
    set_agency_active,
)
from evaluation.services.agency_checks import check_agency
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.bulk.agencies_sheet import plan_agencies_import
from evaluation.services.self_assessment import open_assessment
from tests.integration.workflow_fixtures import World, committed_snapshot, prepared

pytestmark = pytest.mark.db


def add(world: World, who: str = "admin", **values: Any) -> int:
    arguments = {"code": "prov-950", "name": "Provinsi Contoh", "category": "provinsi", **values}
    with write_session(world.engine) as session:
        return add_agency(session, actor=world.actors[who], **arguments)


def edit(world: World, agency_id: int, who: str = "admin", **values: Any) -> list[str]:
    with write_session(world.engine) as session:
        agency = session.get(Agency, agency_id)
        assert agency is not None
        current = {
            "name": agency.name,
            "category": agency.category,
            "subcategory": agency.subcategory,
            "province": agency.province,
            "parent_code": None,
        }
        return edit_agency(session, actor=world.actors[who], agency_id=agency_id, **(current | values))


def set_active(world: World, agency_id: int, active: bool, who: str = "admin") -> bool:
    with write_session(world.engine) as session:
        return set_agency_active(session, actor=world.actors[who], agency_id=agency_id, active=active)


def agency_entries(world: World, agency_id: int) -> list[tuple[str, str | None, str | None, str | None]]:
    with read_session(world.engine) as session:
        rows = session.exec(
            select(AuditEntry)
            .where(AuditEntry.entity == "agency", AuditEntry.entity_id == str(agency_id))
            .order_by(AuditEntry.id)  # type: ignore[arg-type]
        )
        return [(r.action, r.field, r.old_value, r.new_value) for r in rows]


def test_the_admin_adds_an_agency_with_its_code_upper_cased_and_its_category_spelled_as_registered(
    world: World,
):
    agency_id = add(world, province="Jawa Tengah")
    with read_session(world.engine) as session:
        agency = session.get(Agency, agency_id)
        assert agency is not None
        assert (agency.code, agency.category, agency.province, agency.active) == (
            "PROV-950",
            "Provinsi",
            "Jawa Tengah",
            True,
        )
    assert agency_entries(world, agency_id)[0][0] == "add_agency"


def test_a_city_is_added_under_its_province(world: World):
    province = add(world)
    city = add(world, code="KOTA-951", name="Kota Baru", category="Kota", parent_code="PROV-950")
    with read_session(world.engine) as session:
        agency = session.get(Agency, city)
        assert agency is not None and agency.parent_id == province


@pytest.mark.parametrize("who", ["reviewer", "coordinator", "operator"])
def test_other_roles_may_not_add_edit_or_deactivate_agencies(world: World, who: str):
    before = committed_snapshot(world.engine)
    with pytest.raises(PermissionDenied):
        add(world, who=who)
    with pytest.raises(PermissionDenied):
        edit(world, world.agency["a"], who=who, name="Nama Lain")
    with pytest.raises(PermissionDenied):
        set_active(world, world.agency["a"], False, who=who)
    assert committed_snapshot(world.engine) == before


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"code": "KOTA-901"}, "already in use"),
        ({"code": "KOTA 9/1"}, "may hold only letters"),
        ({"name": "  "}, "name is required"),
        ({"category": "Desa"}, "unknown category 'Desa'"),
        ({"parent_code": "NOPE-1"}, "unknown parent code 'NOPE-1'"),
        ({"parent_code": "PROV-950"}, "cannot be its own parent"),
        ({"province": "x" * 81}, "province: at most 80 characters"),
    ],
)
def test_an_agency_that_does_not_hold_together_is_refused_and_nothing_is_written(
    world: World, values: dict[str, Any], message: str
):
    before = committed_snapshot(world.engine)
    with pytest.raises(ValueError, match=f"(?i){message}"):
        add(world, **values)
    assert committed_snapshot(world.engine) == before
    with read_session(world.engine) as session:
        assert session.exec(select(Agency).where(Agency.code == "PROV-950")).first() is None


def test_an_edit_is_audited_per_field_and_names_the_parent_by_code(world: World):
    add(world)
    changed = edit(world, world.agency["a"], name="Kota Contoh Baru", parent_code="prov-950")
    assert changed == ["name", "parent_id"]
    assert agency_entries(world, world.agency["a"]) == [
        ("edit_agency", "name", "Kota Contoh", "Kota Contoh Baru"),
        ("edit_agency", "parent", None, "PROV-950"),
    ]
    assert edit(world, world.agency["a"], name="Kota Contoh Baru", parent_code="PROV-950") == []


def test_an_edit_that_would_make_a_parent_cycle_is_refused(world: World):
    province = add(world)
    add(world, code="KOTA-951", name="Kota Baru", category="Kota", parent_code="PROV-950")
    with pytest.raises(ValueError, match="parent cycle"):
        edit(world, province, parent_code="KOTA-951")
    with pytest.raises(LookupError), write_session(world.engine) as session:
        edit_agency(session, actor=world.actors["admin"], agency_id=999_999, name="x", category="Kota")


def test_an_inactive_agency_leaves_the_pickers_keeps_its_history_and_opens_no_new_assessment(world: World):
    kept = prepared(world, "a", "draft", period_id=world.pemdi)
    assert set_active(world, world.agency["a"], False) is True
    assert set_active(world, world.agency["a"], False) is False
    with read_session(world.engine) as session:
        assert world.agency["a"] not in {a.id for a in list_agencies(session)}
        register = {r.code: r for r in search_register(session, actor=world.actors["admin"])}
    assert register["KOTA-901"].active is False and register["KOTA-901"].assessments == 1
    with write_session(world.engine) as session:  # its existing assessment is still found
        assert (
            open_assessment(
                session, actor=world.actors["coordinator"], agency_id=world.agency["a"], period_id=world.pemdi
            )
            == kept
        )
    with pytest.raises(WorkflowError, match="inactive"), write_session(world.engine) as session:
        open_assessment(
            session, actor=world.actors["coordinator"], agency_id=world.agency["a"], period_id=world.spbe
        )
    assert set_active(world, world.agency["a"], True) is True
    with write_session(world.engine) as session:
        assert open_assessment(
            session, actor=world.actors["coordinator"], agency_id=world.agency["a"], period_id=world.spbe
        )
    assert [e[:2] for e in agency_entries(world, world.agency["a"])] == [
        ("deactivate_agency", "active"),
        ("reactivate_agency", "active"),
    ]


def test_the_register_search_matches_code_name_or_province_and_is_not_for_agency_roles(world: World):
    add(world, province="Jawa Tengah")
    with read_session(world.engine) as session:
        admin = world.actors["admin"]
        assert [r.code for r in search_register(session, actor=admin, text="kab-9")] == ["KAB-902"]
        assert [r.code for r in search_register(session, actor=admin, text="jawa")] == ["PROV-950"]
        assert [r.code for r in search_register(session, actor=world.actors["reviewer"], text="contoh")] == [
            "KAB-902",
            "KOTA-901",
            "PROV-950",
        ]
        with pytest.raises(PermissionDenied):
            search_register(session, actor=world.actors["coordinator"])


def test_check_agency_finds_a_cycle_through_rows_not_stored_yet():
    parents = {"A": "B", "B": "C", "C": None}
    assert check_agency(
        {"code": "C", "name": "C", "category": "Provinsi", "parent": "A"}, {**parents, "C": "A"}
    )
    assert not check_agency(
        {"code": "D", "name": "D", "category": "kota", "parent": "A"}, {**parents, "D": "A"}
    )


def test_the_agencies_sheet_refuses_a_parent_cycle_and_a_bad_code_like_the_page(world: World):
    csv = (
        b"Kode instansi,Nama instansi,Kategori,Subkategori,Provinsi,Kode induk,Aktif\n"
        b"PROV-960,Provinsi Satu,Provinsi,,,KOTA-961,ya\n"
        b"KOTA-961,Kota Satu,Kota,,,PROV-960,ya\n"
        b"KOTA 962,Kota Dua,Kota,,,,ya\n"
    )
    with read_session(world.engine) as session:
        plan = plan_agencies_import(session, actor=world.actors["admin"], data=csv, filename="instansi.csv")
    reasons = [p.reason("en") for p in plan.problems]
    assert sum("parent cycle" in r for r in reasons) == 2
    assert any("may hold only letters" in r for r in reasons)
