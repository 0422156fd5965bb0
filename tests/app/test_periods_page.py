"""The admin's "Periode & instansi" page (issue 12): a period created with its schedule shows in the list,
closing asks first and names how many assessments it makes read-only, an agency is added, and
deactivating one asks first; other roles do not get the page."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from evaluation.db import read_session
from evaluation.models import Agency, Assessment, AuditEntry, Period
from tests.app.signed_in import offers, sign_in, signed_in_page

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def button(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def test_the_admin_creates_a_period_and_sees_it_in_the_list(demo_engine):
    at = signed_in_page(demo_engine, "admin", "periods.py")
    assert not at.exception
    at.number_input(key="pa_new_year").set_value(2031)
    at.selectbox(key="pa_new_framework").set_value("pemdi-2026")
    at.date_input(key="pa_new_opens_on").set_value(date(2031, 3, 1))
    at.date_input(key="pa_new_self_assessment_closes_on").set_value(date(2031, 5, 31))
    at = at.button(key="pa_create").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Periode 2031 · Pemdi 2026 dibuat dan berjalan."
    listed = at.dataframe[0].value
    row = listed[listed["Periode"].str.startswith("2031 · Pemdi 2026 v")]
    assert len(row) == 1 and row.iloc[0]["Status"] == "berjalan"
    assert row.iloc[0]["Penilaian mandiri ditutup"] == "31 Mei 2031"
    with read_session(demo_engine) as session:
        period = session.exec(select(Period).where(Period.year == 2031)).one()
        assert period.self_assessment_closes_on == date(2031, 5, 31)
        assert period.required_stages == "document,interview"


def test_dates_out_of_order_are_refused_on_the_page(demo_engine):
    at = signed_in_page(demo_engine, "admin", "periods.py")
    at.number_input(key="pa_new_year").set_value(2032)
    at.date_input(key="pa_new_opens_on").set_value(date(2032, 6, 1))
    at.date_input(key="pa_new_self_assessment_closes_on").set_value(date(2032, 5, 1))
    at = at.button(key="pa_create").click().run()
    assert "mendahului" in at.error[0].value
    with read_session(demo_engine) as session:
        assert session.exec(select(Period).where(Period.year == 2032)).first() is None


def test_closing_a_period_asks_first_naming_the_assessments_it_makes_read_only(demo_engine):
    with read_session(demo_engine) as session:
        period = session.exec(select(Period).where(Period.year == 2026, Period.kind == "official")).one()
        count = len(session.exec(select(Assessment.id).where(Assessment.period_id == period.id)).all())
    at = signed_in_page(demo_engine, "admin", "periods.py")
    at = at.selectbox(key="pa_status_pick").set_value(period.id).run()
    at = at.button(key=f"pa_status_{period.id}").click().run()
    assert f"**{count}** penilaian menjadi hanya-baca" in at.warning[0].value
    with read_session(demo_engine) as session:
        assert session.get(Period, period.id).status == "open"  # type: ignore[union-attr]
    at = at.button(key=f"pa_status_{period.id}_no").click().run()  # cancelled: nothing happens
    assert not at.warning
    at = at.button(key=f"pa_status_{period.id}").click().run()
    at = at.button(key=f"pa_status_{period.id}_yes").click().run()
    assert not at.exception and at.success[0].value.startswith("Periode 2026")
    with read_session(demo_engine) as session:
        assert session.get(Period, period.id).status == "closed"  # type: ignore[union-attr]
    at = at.button(key=f"pa_status_{period.id}").click().run()  # reopen, for the other tests
    at = at.button(key=f"pa_status_{period.id}_yes").click().run()
    with read_session(demo_engine) as session:
        assert session.get(Period, period.id).status == "open"  # type: ignore[union-attr]


def test_the_admin_adds_an_agency_and_finds_it_in_the_register(demo_engine):
    at = signed_in_page(demo_engine, "admin", "periods.py")
    at.text_input(key="pa_add_code").input("kota-990")
    at.text_input(key="pa_add_name").input("Kota Uji Halaman")
    at.selectbox(key="pa_add_category").set_value("Kota")
    at.text_input(key="pa_add_province").input("Jawa Tengah")
    at = button(at, "Tambah instansi").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Instansi KOTA-990 ditambahkan."
    at = at.text_input(key="pa_search").input("uji halaman").run()
    register = at.dataframe[-1].value
    assert list(register["Kode"]) == ["KOTA-990"] and bool(register.iloc[0]["Aktif"]) is True


def test_deactivating_an_agency_asks_first_and_then_keeps_its_history(demo_engine):
    with read_session(demo_engine) as session:
        agency = session.exec(select(Agency).where(Agency.code == "KOTA-001")).one()
    at = signed_in_page(demo_engine, "admin", "periods.py")
    at = at.selectbox(key="pa_edit_pick").set_value(agency.id).run()
    at = at.button(key=f"pa_active_{agency.id}").click().run()
    assert "akan dinonaktifkan" in at.warning[0].value and "riwayatnya tetap" in at.warning[0].value
    with read_session(demo_engine) as session:
        assert session.get(Agency, agency.id).active is True  # type: ignore[union-attr]
    at = at.button(key=f"pa_active_{agency.id}_yes").click().run()
    assert at.success[0].value == "Instansi KOTA-001 dinonaktifkan."
    with read_session(demo_engine) as session:
        assert session.get(Agency, agency.id).active is False  # type: ignore[union-attr]
        assert session.exec(select(Assessment.id).where(Assessment.agency_id == agency.id)).first()
    at = at.button(key=f"pa_active_{agency.id}").click().run()  # reactivate, for the other tests
    at = at.button(key=f"pa_active_{agency.id}_yes").click().run()
    assert at.success[0].value == "Instansi KOTA-001 diaktifkan kembali."
    with read_session(demo_engine) as session:
        actions = session.exec(
            select(AuditEntry.action).where(
                AuditEntry.entity == "agency", AuditEntry.entity_id == str(agency.id)
            )
        ).all()
    assert list(actions) == ["deactivate_agency", "reactivate_agency"]


def test_the_admin_edits_an_agencys_name(demo_engine):
    with read_session(demo_engine) as session:
        agency = session.exec(select(Agency).where(Agency.code == "KOTA-002")).one()
    at = signed_in_page(demo_engine, "admin", "periods.py")
    at = at.selectbox(key="pa_edit_pick").set_value(agency.id).run()
    at.text_input(key=f"pa_edit_name_{agency.id}").input(f"{agency.name} (baru)")
    at = at.button(key="pa_edit_save").click().run()
    assert at.success[0].value == "Instansi KOTA-002 diperbarui (1 isian)."


@pytest.mark.parametrize("username", ["asesor", "koordinator", "operator"])
def test_other_roles_do_not_get_the_page(demo_engine, app, username):
    at = sign_in(app(), demo_engine, username)
    assert not offers(at, "periods.py")


def test_the_page_reads_in_english(demo_engine):
    at = signed_in_page(demo_engine, "admin", "periods.py")
    at.session_state["lang"] = "en"
    at = at.run()
    assert not at.exception
    assert at.title[0].value == "Periods & agencies"
    assert {"Period", "Required stages", "Self-assessment closes"} <= set(at.dataframe[0].value.columns)
