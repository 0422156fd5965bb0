"""The change-history page in AppTest: what the audit log shows an agency and the ministry."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.app.signed_in import fresh_agency, opened, save, signed_in_page

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]


def history(at) -> pd.DataFrame:
    return at.dataframe[0].value


def test_an_agency_without_an_assessment_has_no_history(demo_engine):
    agency = fresh_agency(demo_engine)
    at = signed_in_page(demo_engine, agency.operator, "audit.py")
    assert not at.exception
    assert at.title[0].value == "Riwayat Perubahan"
    assert at.selectbox(key="au_period").value.year == 2026
    assert [i.value for i in at.info] == ["Belum ada riwayat."]
    assert not at.dataframe


def test_the_history_lists_each_saved_field_with_its_old_and_new_value(demo_engine):
    agency = fresh_agency(demo_engine)
    assessment_id = opened(demo_engine, agency)
    save(demo_engine, agency.operator, assessment_id, {"I01": {"level": 2}})
    save(demo_engine, agency.operator, assessment_id, {"I01": {"level": 4, "justification": "Ada SOP."}})
    at = signed_in_page(demo_engine, agency.operator, "audit.py")
    assert not at.exception and not at.info
    table = history(at)
    assert list(table.columns) == ["Waktu", "Oleh", "Tindakan", "Isian", "Nilai lama", "Nilai baru"]
    assert table["Tindakan"].tolist() == ["open", "save_self", "save_self", "save_self"]
    saves = table[table["Tindakan"] == "save_self"]
    assert saves[["Isian", "Nilai lama", "Nilai baru"]].values.tolist() == [
        ["I01.self_level", "", "2.0"],
        ["I01.self_level", "2.0", "4.0"],
        ["I01.justification", "", "Ada SOP."],
    ]
    assert set(table["Oleh"]) == {agency.coordinator, agency.operator}


def test_changes_made_in_the_assessment_page_appear_in_the_history(demo_engine):
    agency = fresh_agency(demo_engine)
    opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.operator, "assessment.py")
    at.radio(key="f_level_I01").set_value(5).run()
    at.switch_page("app_pages/audit.py").run()
    assert not at.exception
    last = history(at).iloc[-1]
    assert (last["Oleh"], last["Isian"], last["Nilai baru"]) == (agency.operator, "I01.self_level", "5.0")


def test_the_reviewer_reads_an_agencys_history_by_choosing_it(demo_engine):
    agency = fresh_agency(demo_engine)
    assessment_id = opened(demo_engine, agency)
    save(demo_engine, agency.coordinator, assessment_id, {"I03": {"level": 1}})
    at = signed_in_page(demo_engine, "asesor", "audit.py")
    at.selectbox(key="au_agency").set_value(agency.id).run()
    assert not at.exception
    assert history(at)["Isian"].tolist()[-1] == "I03.self_level"


def test_the_history_in_english_has_english_headings(demo_engine):
    agency = fresh_agency(demo_engine)
    opened(demo_engine, agency)
    at = signed_in_page(demo_engine, agency.operator, "audit.py")
    at.sidebar.selectbox(key="lang").set_value("en").run()
    assert at.title[0].value == "Change history"
    assert list(history(at).columns) == ["When", "By", "Action", "Field", "Old value", "New value"]
