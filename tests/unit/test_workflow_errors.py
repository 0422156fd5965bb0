"""The workflow services' errors in the reader's language (issue 15): counts take the language's plural,
dates and numbers the reader's locale, stage and field names are translated, a year stays a year."""

from __future__ import annotations

from datetime import date

import pytest

from evaluation.models import Period
from evaluation.services.assessment_state import IncompleteAssessment, WorkflowError
from evaluation.services.period_schedule import (
    SelfAssessmentClosed,
    check_schedule,
    check_stages,
    require_self_assessment_open,
)
from evaluation.services.stage_rules import missing_stage_message, stage_name, unknown_stage_message
from evaluation.services.text_rules import check_text
from evaluation.translatable import InvalidInput, Message, message_of


def test_an_incomplete_assessment_counts_in_each_language_and_shortens_a_long_list():
    one = IncompleteAssessment([("I01", Message("ew.missing_level"))])
    assert one.message("en") == "Incomplete, 1 entry missing: I01 (level)."
    assert one.message("id") == "Belum lengkap, 1 isian kurang: I01 (tingkat)."
    many = IncompleteAssessment([(f"I{n:02}", Message("ew.missing_justification")) for n in range(1, 18)])
    assert many.message("en").startswith("Incomplete, 17 entries missing: I01 (justification), I02")
    assert many.message("en").endswith("I15 (justification) +2.")
    assert "I16" not in many.message("id")
    assert str(many) == f"{many.message('id')} / {many.message('en')}"
    assert isinstance(many, WorkflowError)


def test_the_self_assessment_deadline_is_a_date_in_the_readers_locale_and_the_year_is_not_grouped():
    period = Period(year=2026, framework_version_id=1, self_assessment_closes_on=date(2026, 11, 22))
    with pytest.raises(SelfAssessmentClosed) as refused:
        require_self_assessment_open(period, today=date(2026, 11, 23))
    assert message_of(refused.value, "id") == (
        "Batas pengajuan penilaian mandiri periode 2026 adalah 22 November 2026; "
        "pengajuan tidak dapat diterima lagi."
    )
    assert "deadline was 22 November 2026;" in message_of(refused.value, "en")
    require_self_assessment_open(period, today=date(2026, 11, 22))  # the last day still counts


def test_dates_out_of_order_name_both_dates_by_their_translated_names():
    with pytest.raises(InvalidInput) as refused:
        check_schedule({"opens_on": date(2027, 1, 10), "self_assessment_closes_on": date(2027, 1, 5)})
    assert refused.value.message("id") == (
        "Tanggal 'penilaian mandiri ditutup' (5 Januari 2027) mendahului 'dibuka' (10 Januari 2027)."
    )
    assert refused.value.message("en") == (
        "The 'self-assessment closes' date (5 January 2027) is before the 'opens' date (10 January 2027)."
    )
    assert isinstance(refused.value, ValueError)


def test_a_stage_choice_without_the_document_review_is_refused_in_both_languages():
    with pytest.raises(InvalidInput) as refused:
        check_stages("pemdi", ["interview"])
    assert "document review" in refused.value.message("en")
    assert "penilaian dokumen" in refused.value.message("id")


def test_stage_refusals_name_the_stage_in_the_readers_language():
    assert missing_stage_message("visit", finalizing=True).render("id") == (
        "Tahap visitasi belum dilalui: pindahkan penilaian ke tahap visitasi sebelum menetapkan hasil akhir."
    )
    assert missing_stage_message("interview", finalizing=False).render("en") == (
        "The interview stage has not been done yet: this period requires the interview stage; "
        "it cannot be skipped."
    )
    assert unknown_stage_message("visit", ["document", "interview"]).render("en") == (
        "The site visit stage is not used in this period "
        "(its stages: document review stage, interview stage)."
    )
    assert stage_name("interview", "id") == "tahap interviu"
    assert stage_name("odd", "en") == "odd stage"  # an unknown code as given


def test_a_refused_text_names_its_field_in_the_readers_language():
    with pytest.raises(WorkflowError) as refused:
        check_text("a\x00b", Message("ew.label_note_of", code="I07"), max_length=10, error=WorkflowError)
    assert (
        refused.value.message("id")
        == "I07 catatan: karakter kendali U+0000 pada posisi 2; hapus karakter itu."
    )
    assert refused.value.message("en") == "I07 note: control character U+0000 at position 2; remove it."
    with pytest.raises(InvalidInput) as too_long:
        check_text("x" * 10_001, Message("ew.label_place"), max_length=10_000)
    assert "melebihi batas 10.000" in too_long.value.message("id")  # grouped in the reader's locale
    assert "over the limit of 10,000" in too_long.value.message("en")
