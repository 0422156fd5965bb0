"""NUL and control characters, and text longer than its column, at every form and command entry point:
a located refusal from the service on SQLite and on PostgreSQL (where a NUL in text would otherwise be a
database error), nothing written, and no evidence file left on disk."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date

import pytest
from sqlalchemy.exc import DBAPIError, StatementError
from sqlmodel import select

from evaluation.db import write_session
from evaluation.models import Agency, User
from evaluation.services import evidence
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.review import return_for_revision, save_review
from evaluation.services.roadmap import save_activity, save_target
from evaluation.services.text_rules import LENGTHS, check_text, text_problem
from evaluation.services.users import create_user
from evaluation.translatable import InvalidInput, Message
from tests.integration.workflow_fixtures import MINIMAL_PDF, World, act, committed_snapshot, prepared, save

pytestmark = pytest.mark.db
HOSTILE = ["Bukti\x00lain", "Bukti\x1b[2J", "Bukti\x7f", "Bukti\ufffe"]


def refused_unchanged(world: World, error: type[Exception], call) -> str:  # type: ignore[no-untyped-def]
    before = committed_snapshot(world.engine)
    with pytest.raises(error) as refused:
        call()
    assert committed_snapshot(world.engine) == before
    assert not isinstance(refused.value, DBAPIError | StatementError)
    return str(refused.value)


def test_the_rule_names_the_character_and_its_position_in_both_languages():
    problem = text_problem("ab\x00c", Message("ew.label_note"), max_length=10)
    assert problem is not None
    assert problem.render("id") == "Catatan: karakter kendali U+0000 pada posisi 3; hapus karakter itu."
    assert problem.render("en") == "Note: control character U+0000 at position 3; remove it."
    assert text_problem("a\tb\nc", Message("ew.label_note"), max_length=10, multiline=True) is None
    tab = text_problem("a\tb", Message("ew.label_note"), max_length=10)
    assert tab is not None and "U+0009" in tab.render("en")
    long = text_problem("abcd", Message("ew.label_note"), max_length=3)
    assert long is not None and "over the limit of 3" in long.render("en")


def test_a_labelled_refusal_reads_in_each_language():
    with pytest.raises(InvalidInput) as refused:
        check_text("a\x00", Message("ea.label_full_name"), max_length=10)
    assert refused.value.message("id").startswith("Nama lengkap: karakter kendali U+0000")
    assert refused.value.message("en").startswith("Full name: control character U+0000")


@pytest.mark.parametrize("text", HOSTILE)
def test_a_justification_with_a_control_character_is_refused_naming_the_indicator(world, text):
    aid = prepared(world, "a", "draft")
    message = refused_unchanged(
        world, WorkflowError, lambda: save(world, "operator", aid, {"I01": {"justification": text}})
    )
    assert "I01 justification" in message and "U+" in message


def test_a_reviewer_note_with_nul_is_refused(world):
    aid = prepared(world, "a", "in_review")
    message = refused_unchanged(
        world,
        WorkflowError,
        lambda: act(world, save_review, "reviewer", aid, entries={"I02": {"note": "ok\x00"}}),
    )
    assert "I02 note" in message


def test_a_return_note_with_nul_is_refused(world):
    aid = prepared(world, "a", "in_review")
    message = refused_unchanged(
        world, WorkflowError, lambda: act(world, return_for_revision, "reviewer", aid, note="Perbaiki\x00")
    )
    assert "U+0000" in message


def test_an_evidence_file_name_with_nul_is_refused_and_no_file_is_stored(world):
    aid = prepared(world, "a", "draft")
    message = refused_unchanged(
        world,
        WorkflowError,
        lambda: act(
            world,
            evidence.upload_evidence,
            "operator",
            aid,
            store=world.store,
            indicator_code="I01",
            filename="SK\x00.pdf",
            data=MINIMAL_PDF,
        ),
    )
    assert "File name" in message
    assert [p for p in world.store.root.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    ("url", "title"), [("https://contoh.go.id/\x00x", None), ("https://contoh.go.id/", "T\x00")]
)
def test_an_evidence_link_or_its_title_with_nul_is_refused(world, url, title):
    aid = prepared(world, "a", "draft")
    refused_unchanged(
        world,
        WorkflowError,
        lambda: act(world, evidence.add_link, "operator", aid, indicator_code="I01", url=url, title=title),
    )


def test_a_target_note_with_nul_is_refused(world):
    def call() -> None:
        with write_session(world.engine) as session:
            save_target(
                session,
                actor=world.owner("a"),
                agency_id=world.agency["a"],
                framework_id="pemdi-2026",
                horizon="short",
                baseline_year=2026,
                target_year=2027,
                target_value=3.0,
                note="catatan\x00",
            )

    assert "Note: control character U+0000" in refused_unchanged(world, ValueError, call)


@pytest.mark.parametrize(
    ("field", "value"), [("title", "Menyusun\x00"), ("owner", "Bid\x0bang"), ("notes", "Catatan\x00")]
)
def test_an_activity_field_with_a_control_character_is_refused(world, field, value):
    values = {
        "framework_id": "pemdi-2026",
        "title": "Menyusun Arsitektur Pemdi",
        "owner": "Bidang Aplikasi Informatika",
        "starts_on": date(2026, 2, 1),
        "due_on": date(2026, 9, 30),
        "indicators": ["I01"],
        field: value,
    }

    def call() -> None:
        with write_session(world.engine) as session:
            save_activity(session, actor=world.owner("a"), agency_id=world.agency["a"], **values)

    assert "control character" in refused_unchanged(world, ValueError, call)


@pytest.mark.parametrize("full_name", ["Budi\x00", "B" * (LENGTHS["user.full_name"] + 1)])
def test_a_user_full_name_with_nul_or_too_long_is_refused(world, full_name):
    def call() -> None:
        with write_session(world.engine) as session:
            create_user(
                session,
                actor=world.actors["admin"],
                username="baru",
                full_name=full_name,
                password="Kata-sandi-yang-cukup-panjang-9",
                role="reviewer",
            )

    assert "Full name" in refused_unchanged(world, ValueError, call)
    with write_session(world.engine) as session:
        assert session.exec(select(User).where(User.username == "baru")).first() is None


def test_without_the_rule_a_nul_reaches_the_database(world):
    """Why the rule exists: PostgreSQL refuses NUL in text with a database error; SQLite stores it."""
    expected = (
        pytest.raises(Exception, match="NUL") if world.engine.dialect.name == "postgresql" else nullcontext()
    )
    with expected, write_session(world.engine) as session:
        session.add(Agency(code="NUL-1", name="Kota\x00Uji", category="Kota"))
