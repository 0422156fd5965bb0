"""Evidence (data dukung): uploads checked by content and size, links, reuse across indicators and periods."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from evaluation.db import read_session
from evaluation.services import evidence
from evaluation.services.assessment_state import WorkflowError
from evaluation.services.assessment_view import view_assessment
from tests.integration.workflow_fixtures import (
    MINIMAL_PDF,
    World,
    act,
    audit_rows,
    committed_snapshot,
    prepared,
    set_attached,
)

pytestmark = pytest.mark.db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(world: World, aid: int, code: str, filename: str, data: bytes, who: str = "operator") -> int:
    return act(
        world,
        evidence.upload_evidence,
        who,
        aid,
        store=world.store,
        indicator_code=code,
        filename=filename,
        data=data,
    )


def attached(world: World, aid: int, code: str) -> list[tuple[int, str, str | None]]:
    with read_session(world.engine) as session:
        view = view_assessment(session, actor=world.actors["reviewer"], assessment_id=aid)
    return [(e.id, e.kind, e.url or e.sha256) for e in view.scores[code].evidence]


def stored_files(world: World) -> list[str]:
    return sorted(p.name for p in world.store.root.rglob("*") if p.is_file())


# --- uploads ---------------------------------------------------------------------------------------


def test_an_uploaded_pdf_is_attached_and_stored_under_its_sha256(world):
    aid = prepared(world, "a", "draft")
    evidence_id = upload(world, aid, "I01", "SK Tim SPBE.pdf", MINIMAL_PDF)
    digest = hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert attached(world, aid, "I01") == [(evidence_id, "file", digest)]
    assert (world.store.root / digest[:2] / digest).read_bytes() == MINIMAL_PDF


def test_the_same_file_uploaded_for_another_indicator_reuses_one_document(world):
    aid = prepared(world, "a", "draft")
    first = upload(world, aid, "I01", "sk.pdf", MINIMAL_PDF)
    second = upload(world, aid, "I02", "sk (salinan).pdf", MINIMAL_PDF)
    with read_session(world.engine) as session:
        documents = evidence.agency_documents(
            session, actor=world.actors["operator"], agency_id=world.agency["a"]
        )
    assert second == first
    assert [d.id for d in documents] == [first]
    assert [e[0] for e in attached(world, aid, "I02")] == [first]


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("laporan.pdf", PNG, "not an allowed type"),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 16, "not an allowed type"),
        ("kosong.pdf", b"", "empty"),
        ("besar.pdf", MINIMAL_PDF, "limit"),
    ],
    ids=["png-named-pdf", "exe", "empty", "over-the-limit"],
)
def test_a_refused_upload_leaves_the_database_and_the_store_unchanged(
    world, monkeypatch, filename, data, reason
):
    monkeypatch.setenv("SPBE_MAX_UPLOAD_MB", str((len(MINIMAL_PDF) - 1) / 1_000_000))
    aid = prepared(world, "a", "draft")
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError, match=rf"{re.escape(filename)}: .*{reason}"):
        upload(world, aid, "I01", filename, data)
    assert committed_snapshot(world.engine) == before
    assert before["counts"]["Evidence"] == 0
    assert stored_files(world) == []


def test_the_file_limit_lets_a_file_of_exactly_the_limit_through(world, monkeypatch):
    monkeypatch.setenv("SPBE_MAX_UPLOAD_MB", str(len(MINIMAL_PDF) / 1_000_000))
    aid = prepared(world, "a", "draft")
    assert upload(world, aid, "I01", "pas.pdf", MINIMAL_PDF) > 0


# --- links -----------------------------------------------------------------------------------------


def test_an_https_link_is_attached(world):
    aid = prepared(world, "a", "draft")
    link = "https://jdih.kota-contoh.go.id/perwali-12-2025.pdf"
    evidence_id = act(world, evidence.add_link, "operator", aid, indicator_code="I01", url=link)
    assert attached(world, aid, "I01") == [(evidence_id, "link", link)]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x", "https://", "   "])
def test_a_link_that_is_not_http_or_https_is_refused(world, url):
    aid = prepared(world, "a", "draft")
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError, match="http"):
        act(world, evidence.add_link, "operator", aid, indicator_code="I01", url=url)
    assert committed_snapshot(world.engine) == before


# --- reuse, detach, read ---------------------------------------------------------------------------


def test_a_document_from_an_earlier_period_is_attached_again_without_a_copy(world):
    earlier = prepared(world, "a", "draft", world.spbe)
    evidence_id = upload(world, earlier, "I01", "arsitektur.pdf", MINIMAL_PDF)
    aid = prepared(world, "a", "draft")
    set_attached(world, "operator", aid, "I03", evidence_id, True)
    assert [e[0] for e in attached(world, aid, "I03")] == [evidence_id]
    assert committed_snapshot(world.engine)["counts"]["Evidence"] == 1


def test_another_agencys_document_cannot_be_attached(world):
    theirs = upload(world, prepared(world, "b", "draft"), "I01", "milik-b.pdf", MINIMAL_PDF, who="operator_b")
    aid = prepared(world, "a", "draft")
    before = committed_snapshot(world.engine)
    with pytest.raises(WorkflowError):
        set_attached(world, "operator", aid, "I01", theirs, True)
    assert committed_snapshot(world.engine) == before


def test_detaching_removes_the_link_and_is_audited(world):
    aid = prepared(world, "a", "draft")
    evidence_id = upload(world, aid, "I01", "sk.pdf", MINIMAL_PDF)
    set_attached(world, "coordinator", aid, "I01", evidence_id, False)
    assert attached(world, aid, "I01") == []
    with read_session(world.engine) as session:
        last = audit_rows(session, aid)[-1]
    assert (last.action, last.actor, last.field) == ("detach_evidence", "coordinator", "I01.evidence")
    assert json.loads(last.old_value or "{}") == {"evidence_id": evidence_id}


def test_a_detached_document_stays_in_the_agencys_documents(world):
    aid = prepared(world, "a", "draft")
    evidence_id = upload(world, aid, "I01", "sk.pdf", MINIMAL_PDF)
    set_attached(world, "operator", aid, "I01", evidence_id, False)
    with read_session(world.engine) as session:
        documents = evidence.agency_documents(
            session, actor=world.actors["operator"], agency_id=world.agency["a"]
        )
    assert [d.id for d in documents] == [evidence_id]


def test_reading_a_stored_document_returns_its_name_and_bytes(world):
    aid = prepared(world, "a", "draft")
    evidence_id = upload(world, aid, "I01", "sk.pdf", MINIMAL_PDF)
    with read_session(world.engine) as session:
        read = evidence.read_evidence(
            session, actor=world.actors["reviewer"], store=world.store, evidence_id=evidence_id
        )
    assert read == ("sk.pdf", MINIMAL_PDF)
