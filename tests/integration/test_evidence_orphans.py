"""No orphaned evidence files (issue 10): an upload whose transaction does not commit deletes the file it
stored, unless an evidence row names that content; `evidence orphans` lists and deletes what a crash left.
Local folder and S3 (moto); SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import pytest

from evaluation.__main__ import main
from evaluation.db import write_session
from evaluation.evidence_cli import find_orphans
from evaluation.services import audit, evidence
from evaluation.storage import store_for
from tests.integration.workflow_fixtures import MINIMAL_PDF, World, prepared

pytestmark = pytest.mark.db


class Boom(RuntimeError):
    """A failure forced after the file is stored."""


def pdf(tag: str) -> bytes:
    return MINIMAL_PDF + f"\n% {tag}\n".encode()


def upload(
    world: World, store: Any, aid: int, data: bytes, *, who: str = "operator", code: str = "I01"
) -> int:
    with write_session(world.engine) as session:
        return evidence.upload_evidence(
            session,
            actor=world.actors[who],
            store=store,
            assessment_id=aid,
            score_version=0,
            indicator_code="I01",
            filename="bukti.pdf",
            data=data,
        )


def failed_upload(world: World, store: Any, aid: int, data: bytes, *, who: str = "operator") -> None:
    """An upload that succeeds inside its transaction, which then fails before the commit."""
    with pytest.raises(Boom), write_session(world.engine) as session:
        evidence.upload_evidence(
            session,
            actor=world.actors[who],
            store=store,
            assessment_id=aid,
            score_version=0,
            indicator_code="I01",
            filename="bukti.pdf",
            data=data,
        )
        raise Boom


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, world: World) -> Any:
    if request.param == "local":
        return world.store
    endpoint = request.getfixturevalue("s3_env")
    return store_for(f"s3://{request.getfixturevalue('bucket')}/bukti", endpoint_url=endpoint)


def test_a_failure_after_the_file_is_stored_leaves_no_file_behind(world, store):
    aid = prepared(world, "a", "draft")
    data = pdf("gagal")
    failed_upload(world, store, aid, data)
    assert not store.exists(hashlib.sha256(data).hexdigest())
    assert list(store.digests()) == []


def test_a_failure_inside_the_service_after_the_put_leaves_no_file_behind(world, store, monkeypatch):
    aid = prepared(world, "a", "draft")

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise Boom

    monkeypatch.setattr(audit, "record", refuse)
    with pytest.raises(Boom):
        upload(world, store, aid, pdf("audit"))
    assert list(store.digests()) == []


def test_a_file_another_row_names_stays_when_an_upload_of_the_same_content_fails(world, store):
    data = pdf("bersama")
    theirs = prepared(world, "b", "draft")
    evidence_id = upload(world, store, theirs, data, who="operator_b")  # agency b's row names the file
    ours = prepared(world, "a", "draft")
    failed_upload(world, store, ours, data)
    with write_session(world.engine) as session:
        _name, stored = evidence.read_evidence(
            session, actor=world.actors["operator_b"], store=store, evidence_id=evidence_id
        )
    assert stored == data


def test_a_stored_file_no_row_names_yet_is_not_deleted_by_a_failed_upload_that_did_not_create_it(
    world, store
):
    aid = prepared(world, "a", "draft")
    data = pdf("sudah-ada")
    digest = store.put(data)  # e.g. being uploaded by another server right now
    failed_upload(world, store, aid, data)
    assert store.exists(digest)


def test_a_failed_upload_and_a_concurrent_one_of_the_same_content_keep_the_committed_file(world):
    """The failing upload holds the digest lock while it stores the file; the other upload of the same
    content waits for it, and whichever of its commit and the undo comes first, its file is there."""
    store = world.store
    data = pdf("balapan")
    ours, theirs = prepared(world, "a", "draft"), prepared(world, "b", "draft")
    stored, go_on = threading.Event(), threading.Event()
    other: list[Any] = []

    def failing() -> None:
        try:
            with write_session(world.engine) as session:
                evidence.upload_evidence(
                    session,
                    actor=world.actors["operator"],
                    store=store,
                    assessment_id=ours,
                    score_version=0,
                    indicator_code="I01",
                    filename="bukti.pdf",
                    data=data,
                )
                stored.set()
                go_on.wait(0.5)  # the other upload is waiting for the lock by now
                raise Boom
        except Boom:
            pass

    def succeeding() -> None:
        try:
            other.append(upload(world, store, theirs, data, who="operator_b"))
        except Exception as exc:  # the test inspects it
            other.append(exc)

    first = threading.Thread(target=failing)
    first.start()
    assert stored.wait(30)
    second = threading.Thread(target=succeeding)
    second.start()
    first.join(timeout=30)
    second.join(timeout=30)
    assert len(other) == 1 and isinstance(other[0], int), other
    with write_session(world.engine) as session:
        _name, read = evidence.read_evidence(
            session, actor=world.actors["operator_b"], store=store, evidence_id=other[0]
        )
    assert read == data


def test_store_delete_removes_one_object_and_ignores_an_absent_one(world, store):
    keep, drop = store.put(b"simpan"), store.put(b"hapus")
    store.delete(drop)
    store.delete(drop)
    assert sorted(store.digests()) == [keep]


# --- what a crash leaves: evidence orphans ----------------------------------------------------------


def test_orphans_lists_only_files_no_row_names_and_deletes_them_with_delete(world, store):
    aid = prepared(world, "a", "draft")
    upload(world, store, aid, pdf("dipakai"))
    named = hashlib.sha256(pdf("dipakai")).hexdigest()
    left = store.put(b"ditinggal server yang mati")
    assert find_orphans(world.engine, store) == {"orphans": [left], "deleted": []}
    assert store.exists(left)
    assert find_orphans(world.engine, store, delete=True) == {"orphans": [left], "deleted": [left]}
    assert sorted(store.digests()) == [named]


def test_orphans_delete_keeps_a_file_a_row_named_after_the_listing(world, monkeypatch):
    """The listing is not the decision: each file is checked again under its digest lock."""
    from evaluation.services import evidence_puts

    aid = prepared(world, "a", "draft")
    data = pdf("terlambat")
    digest = world.store.put(data)
    real_undo = evidence_puts.undo_puts

    def upload_then_undo(engine: Any, puts: list[tuple[Any, str]]) -> list[str]:
        upload(world, world.store, aid, data)  # committed between the listing and the deletion
        return real_undo(engine, puts)

    monkeypatch.setattr(evidence_puts, "undo_puts", upload_then_undo)
    assert find_orphans(world.engine, world.store, delete=True) == {"orphans": [digest], "deleted": []}
    assert world.store.exists(digest)


def test_the_orphans_command_prints_each_and_deletes_with_delete(world, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", world.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", str(world.store.root))
    left = world.store.put(b"yatim")
    assert main(["evidence", "orphans"]) == 0
    out = capsys.readouterr().out
    assert left in out and "tanpa baris 1, dihapus 0" in out
    assert main(["evidence", "orphans", "--lang", "en"]) == 0
    assert "unreferenced 1, deleted 0" in capsys.readouterr().out
    assert world.store.exists(left)
    assert main(["evidence", "orphans", "--delete"]) == 0
    assert f"{left} dihapus" in capsys.readouterr().out
    assert not world.store.exists(left)
