"""The upload service refuses evidence that does not parse as what it claims, storing nothing, and keeps a
long name's extension (issue 11, ASVS V12)."""

from __future__ import annotations

import pytest

from evaluation.db import read_session
from evaluation.services import evidence
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.assessment_view import view_assessment
from tests.integration.workflow_fixtures import MINIMAL_PDF, World, act, committed_snapshot, prepared
from tests.unit.test_evidence_checks import ooxml, zipped

pytestmark = pytest.mark.db


def upload(world: World, aid: int, filename: str, data: bytes) -> int:
    return act(
        world,
        evidence.upload_evidence,
        "operator",
        aid,
        store=world.store,
        indicator_code="I01",
        filename=filename,
        data=data,
    )


@pytest.mark.parametrize(
    ("filename", "data", "says"),
    [
        ("makro.docx", ooxml("docm", extra={"word/vbaProject.bin": b"macro"}), "holds macros"),
        ("ganda.pdf", MINIMAL_PDF + zipped({"x.js": "alert(1)"}), "polyglot"),
        ("palsu.pdf", b"%PDF-1.4\ntrailer<<>>\n%%EOF\n", "does not open as a PDF"),
    ],
    ids=["macro-docx", "polyglot-pdf", "false-pdf"],  # not from the data: a zip carries its build time
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(world, filename, data, says):
    aid = prepared(world, "a", "draft")
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError, match=says) as refused:
        upload(world, aid, filename, data)
    assert str(refused.value).startswith(f"{filename}: ")
    assert committed_snapshot(world.engine) == before
    assert not world.store.root.exists() or not any(p.is_file() for p in world.store.root.rglob("*"))


def test_a_long_file_name_is_stored_cut_with_its_extension(world):
    aid = prepared(world, "a", "draft")
    upload(world, aid, "Keputusan " * 40 + ".pdf", MINIMAL_PDF)
    with read_session(world.engine) as session:
        view = view_assessment(session, actor=world.actors["operator"], assessment_id=aid)
    (stored,) = view.scores["I01"].evidence
    assert len(stored.filename) == 255 and stored.filename.endswith(".pdf")
