"""The admin page "Penugasan asesor" in AppTest: only admins are offered it; the table shows each agency's
lead and members; assigning by hand (a new lead demotes the old one), in bulk after the confirmation,
and from an uploaded file (problems listed and nothing applied, then a good file applied)."""

from __future__ import annotations

import io
import uuid

import openpyxl
import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from evaluation.db import read_session, write_session
from evaluation.models import Agency, ReviewerAssignment, User
from evaluation.services.auth import hash_password
from evaluation.services.reviewer_sheet import assignment_template
from tests.app.signed_in import (
    TEST_PASSWORD,
    fresh_agency,
    offers,
    open_period_id,
    sign_in,
    signed_in_page,
)

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]
PAGE = "reviewer_admin.py"


def new_reviewer(engine) -> tuple[int, str]:
    name = f"asesor-{uuid.uuid4().hex[:6]}"
    with write_session(engine) as session:
        user = User(
            username=name,
            full_name=f"Asesor {name}",
            password_hash=hash_password(TEST_PASSWORD),
            role="reviewer",
        )
        session.add(user)
        session.flush()
        return user.id or 0, name


def roles_on(engine, agency_id: int) -> dict[str, str]:
    """{username: role} of the agency's reviewers in the open official period."""
    with read_session(engine) as session:
        rows = session.exec(
            select(User.username, ReviewerAssignment.role)
            .join(ReviewerAssignment, ReviewerAssignment.reviewer_id == User.id)
            .where(
                ReviewerAssignment.agency_id == agency_id,
                ReviewerAssignment.period_id == open_period_id(engine),
            )
        ).all()
    return dict(rows)


def admin_page(engine) -> AppTest:
    at = signed_in_page(engine, "admin", PAGE)
    at.selectbox(key="ra_period").set_value(open_period_id(engine)).run()
    assert not at.exception and not at.error
    return at


@pytest.mark.parametrize(("user", "offered"), [("admin", True), ("asesor", False), ("koordinator", False)])
def test_only_the_admin_is_offered_the_page(demo_engine, app, user, offered):
    at = sign_in(app(), demo_engine, user)
    assert offers(at, PAGE) is offered


def test_the_table_shows_the_demo_reviewer_leading_the_demo_agency(demo_engine):
    at = admin_page(demo_engine)
    assert at.title[0].value == "Penugasan asesor"
    table = at.dataframe[0].value
    assert list(table.columns) == ["Kode", "Instansi", "Kategori", "Provinsi", "Ketua tim", "Anggota"]
    row = table[table["Kode"] == "KOTA-001"]
    assert row["Ketua tim"].tolist() == ["asesor"]
    at.selectbox(key="ra_category").set_value("Kementerian").run()
    assert set(at.dataframe[0].value["Kategori"]) == {"Kementerian"}


def test_assigning_a_new_lead_by_hand_turns_the_old_lead_into_a_member(demo_engine):
    agency = fresh_agency(demo_engine)
    first_id, first = new_reviewer(demo_engine)
    second_id, second = new_reviewer(demo_engine)
    for reviewer_id in (first_id, second_id):
        at = admin_page(demo_engine)
        at.selectbox(key="ra_agency").set_value(agency.id)
        at.selectbox(key="ra_rev").set_value(reviewer_id)
        at.radio(key="ra_role").set_value("lead")
        at.button(key="ra_assign").click().run()
        assert not at.exception and not at.error
        assert [s.value for s in at.success] == ["Penugasan disimpan."]
    assert roles_on(demo_engine, agency.id) == {first: "member", second: "lead"}
    at.selectbox(key="ra_agency").set_value(agency.id)
    at.selectbox(key="ra_rev").set_value(first_id)
    at.button(key="ra_unassign").click().run()
    assert roles_on(demo_engine, agency.id) == {second: "lead"}


def test_bulk_assignment_waits_for_the_confirmation_naming_the_count(demo_engine):
    reviewer_id, _name = new_reviewer(demo_engine)
    with read_session(demo_engine) as session:
        lembaga = session.exec(select(Agency.id).where(Agency.category == "Lembaga", Agency.active)).all()
    at = admin_page(demo_engine)
    at.selectbox(key="ra_b_cat").set_value("Lembaga")
    at.selectbox(key="ra_b_rev").set_value(reviewer_id)
    at.radio(key="ra_b_role").set_value("member").run()
    assert f"{len(lembaga)} instansi aktif cocok." in [c.value for c in at.caption]
    assert at.button(key="ra_b_apply").disabled
    assert f"di {len(lembaga)} instansi" in at.checkbox(key="ra_b_sure").label
    at.checkbox(key="ra_b_sure").check().run()
    at.button(key="ra_b_apply").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [f"{len(lembaga)} penugasan berubah."]
    with read_session(demo_engine) as session:
        mine = session.exec(
            select(ReviewerAssignment.agency_id).where(ReviewerAssignment.reviewer_id == reviewer_id)
        )
        assert sorted(mine.all()) == sorted(lembaga)


def test_an_uploaded_file_with_problems_lists_them_and_applies_nothing_then_a_good_one_applies(demo_engine):
    agency = fresh_agency(demo_engine)
    _id, name = new_reviewer(demo_engine)
    bad = (
        f"Kode instansi,Asesor,Peran\n{agency.code},{name},ketua\n"
        f"TIDAK-ADA,{name},anggota\n{agency.code},admin,x\n"
    )
    at = admin_page(demo_engine)
    at.file_uploader(key="ra_file").set_value(("penugasan.csv", bad.encode(), "text/csv")).run()
    assert not at.exception
    problems = at.dataframe[1].value  # after the assignment table
    assert problems["Baris"].tolist() == [3, 4, 4] and problems["Kolom"].tolist() == ["A", "B", "C"]
    assert at.button(key="ra_apply").disabled
    assert roles_on(demo_engine, agency.id) == {}

    good = f"Kode instansi,Asesor,Peran\n{agency.code},{name},ketua\n"
    at.file_uploader(key="ra_file").set_value(("penugasan.csv", good.encode(), "text/csv")).run()
    assert "Baru 1, ganti peran 0, tetap 0, masalah 0." in [m.value for m in at.markdown]
    at.button(key="ra_apply").click().run()
    assert not at.exception and not at.error
    assert roles_on(demo_engine, agency.id) == {name: "lead"}


def test_the_template_offered_has_the_three_columns_with_a_role_list():
    book = openpyxl.load_workbook(io.BytesIO(assignment_template("id")))
    sheet = book["Penugasan"]
    assert [c.value for c in sheet[1]] == ["Kode instansi", "Asesor", "Peran"]
    assert any("$A$1:$A$2" in str(v.formula1) for v in sheet.data_validations.dataValidation)
