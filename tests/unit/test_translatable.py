"""Errors carry a message id and parameters; the reader's locale renders them (issue 15)."""

from __future__ import annotations

from datetime import date

import pytest

from evaluation.services.actors import PermissionDenied
from evaluation.services.assessment_state import WorkflowError
from evaluation.translatable import Message, message_of, render_value


def test_an_error_is_translated_when_shown_not_when_raised():
    exc = WorkflowError("fw.too_big", mb=20)
    assert exc.key == "fw.too_big"
    assert exc.message("id") == "Berkas lebih besar dari 20 MB."
    assert exc.message("en") == "The file is larger than 20 MB."
    assert str(exc) == "Berkas lebih besar dari 20 MB. / The file is larger than 20 MB."
    assert message_of(PermissionDenied("rv.title"), "en") == "Verification"


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        (10680, "id", "10.680"),
        (10680, "en", "10,680"),
        (3.275, "id", "3,28"),
        (3.275, "en", "3.28"),
        (4.0, "id", "4"),
        (date(2026, 11, 22), "id", "22 November 2026"),
        (date(2026, 11, 22), "en", "22 November 2026"),
        (date(2026, 8, 17), "id", "17 Agustus 2026"),
        (["I01", "I02"], "id", "I01, I02"),
        (Message("rv.title"), "en", "Verification"),
    ],
)
def test_parameters_are_written_in_the_readers_locale(value, lang, shown):
    assert render_value(value, lang) == shown


def test_an_unknown_key_fails_loudly_when_shown():
    with pytest.raises(KeyError):
        Message("no.such_key").render("id")


def test_a_message_on_a_plural_entry_takes_the_form_for_its_count():
    assert Message("fw.refused", n=1).render("en").startswith("File refused: 1 problem ")
    assert Message("fw.refused", n=3).render("en").startswith("File refused: 3 problems ")
    assert Message("fw.refused", n=3).render("id").startswith("Berkas ditolak: 3 masalah ")
    assert str(WorkflowError("fw.refused", n=2)).startswith("Berkas ditolak: 2 masalah")


def test_a_plural_entry_is_not_read_as_plain_text():
    from evaluation.i18n import t

    with pytest.raises(KeyError):
        t("fw.refused", "en")
