"""The printed minute (berita acara): a real PDF whose text names the agency, the period and stage, the
date and place, every participant with a signature line, the findings and the agreed changes."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from evaluation.db import read_session, write_session
from evaluation.reports.minute_pdf import render_minute
from evaluation.services.review import set_stage
from evaluation.services.stage_minutes import minute_context, minutes_of, save_minute
from tests.integration.workflow_fixtures import (
    act,
    prepared,
)

PEOPLE = ["Budi Santoso, Kepala Dinas Kominfo", "Siti Aminah, Asesor Kementerian", "Ñoño Ğül, Operator"]


def printed(world, lang: str, findings: dict[str, str]) -> str:
    aid = prepared(world, "a", "in_review")
    act(world, set_stage, "reviewer", aid, stage="interview")
    with write_session(world.engine) as session:
        save_minute(
            session,
            actor=world.actors["reviewer"],
            assessment_id=aid,
            stage="interview",
            held_on=date(2026, 6, 15),
            place="Ruang Rapat Utama",
            participants="\n".join(PEOPLE),
            findings=findings,
            agreed_changes="Instansi mengunggah SK yang ditandatangani.",
            expected_version=0,
        )
    with read_session(world.engine) as session:
        coordinator = world.actors["coordinator"]  # the agency prints its own minute too
        minute = minutes_of(session, actor=coordinator, assessment_id=aid)["interview"]
        context = minute_context(session, actor=coordinator, assessment_id=aid)
    data = render_minute(minute, context, lang)
    assert data.startswith(b"%PDF-")
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_minute_names_the_agency_participants_and_findings(world, lang):
    text = flat(
        printed(world, lang, {"I01": "SK arsitektur belum ditandatangani.", "I03": "Peta rencana ada."})
    )
    assert "Kota Contoh (KOTA-901)" in text
    for n, person in enumerate(PEOPLE, start=1):
        assert f"{n}. {person}" in text
    assert "SK arsitektur belum ditandatangani." in text and "Peta rencana ada." in text
    assert "Instansi mengunggah SK yang ditandatangani." in text
    assert "Ruang Rapat Utama" in text
    if lang == "id":
        assert "Berita Acara Interviu" in text and "15 Juni 2026" in text
        assert text.count("Tanda tangan") == len(PEOPLE)
    else:
        assert "Minute of the Interview" in text and "15 June 2026" in text
        assert text.count("Signature") == len(PEOPLE)


def test_many_findings_run_over_pages_and_keep_every_one(world):
    findings = {f"I{n:02d}": f"Temuan nomor {n} " + "uraian panjang " * 30 for n in range(1, 21)}
    text = flat(printed(world, "id", findings))
    for n in range(1, 21):
        assert f"Temuan nomor {n} " in text
