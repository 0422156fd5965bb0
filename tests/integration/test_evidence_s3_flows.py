"""Evidence in S3 through the services, the migrate command and backups (issue 14)."""

from __future__ import annotations

import pytest

from evaluation.__main__ import main
from evaluation.backup import make_backup, restore_backup
from evaluation.db import write_session
from evaluation.evidence_cli import migrate_store
from evaluation.services.evidence import read_evidence, upload_evidence
from evaluation.storage import LocalEvidenceStore, store_for
from tests.integration.test_backup import APP_ROLE, owner_of
from tests.integration.workflow_fixtures import MINIMAL_PDF, World, committed_versions, prepared
from tests.s3_fixtures import s3_client

FILES = [b"%PDF-1.4 satu", b"%PDF-1.4 dua" * 5000, b"tiga"]


def local_with_files(tmp_path) -> LocalEvidenceStore:
    store = LocalEvidenceStore(tmp_path / "lokal")
    for data in FILES:
        store.put(data)
    return store


def test_migrate_copies_every_file_into_the_bucket_and_verifies_it(s3_env, bucket, tmp_path):
    source = local_with_files(tmp_path)
    target = store_for(f"s3://{bucket}/bukti", endpoint_url=s3_env)
    result = migrate_store(source, target)
    assert result == {"copied": 3, "present": 0, "verified": 3, "bad": []}
    assert sorted(target.digests()) == sorted(source.digests())
    for digest in source.digests():
        assert target.get(digest) == source.get(digest)


def test_running_migrate_twice_changes_nothing(s3_env, bucket, tmp_path):
    source = local_with_files(tmp_path)
    target = store_for(f"s3://{bucket}/bukti", endpoint_url=s3_env)
    migrate_store(source, target)
    client = s3_client(s3_env)
    before = {o["Key"]: o["LastModified"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]}
    assert migrate_store(source, target) == {"copied": 0, "present": 3, "verified": 3, "bad": []}
    after = {o["Key"]: o["LastModified"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]}
    assert after == before


def test_migrate_command_names_a_damaged_source_file_and_exits_one(s3_env, bucket, tmp_path, capsys):
    source = local_with_files(tmp_path)
    damaged = sorted(source.digests())[0]
    (source.root / damaged[:2] / damaged).write_bytes(b"rusak")
    code = main(
        ["--lang", "en", "evidence", "migrate", "--from", str(source.root), "--to", f"s3://{bucket}/bukti"]
    )
    out = capsys.readouterr()
    assert code == 1
    assert damaged in out.err
    assert "copied 2" in out.out and "verified 2" in out.out


def test_migrate_command_is_idempotent(s3_env, bucket, tmp_path, capsys):
    source = local_with_files(tmp_path)
    argv = ["--lang", "en", "evidence", "migrate", "--from", str(source.root), "--to", f"s3://{bucket}/x"]
    assert main(argv) == 0
    assert main(argv) == 0
    assert "copied 0, already there 3, verified 3" in capsys.readouterr().out


def test_an_upload_through_the_service_lands_in_the_bucket_and_reads_back(world: World, s3_env, bucket):
    store = store_for(f"s3://{bucket}/spbe", endpoint_url=s3_env)
    assessment_id = prepared(world, "a", "draft")
    with write_session(world.engine) as session:
        evidence_id = upload_evidence(
            session,
            actor=world.actors["operator"],
            store=store,
            assessment_id=assessment_id,
            score_version=committed_versions(world, assessment_id).get("I01", 0),
            indicator_code="I01",
            filename="sk.pdf",
            data=MINIMAL_PDF,
        )
    with write_session(world.engine) as session:
        name, data = read_evidence(
            session, actor=world.actors["reviewer"], store=store, evidence_id=evidence_id
        )
    assert (name, data) == ("sk.pdf", MINIMAL_PDF)


@pytest.mark.parametrize("kind", ["s3", "local"])
def test_a_backup_of_either_store_restores_every_evidence_file(engine, s3_env, bucket, tmp_path, kind):
    if kind == "s3":
        store = store_for(f"s3://{bucket}/asal", endpoint_url=s3_env)
        restored = store_for(f"s3://{bucket}/pulih", endpoint_url=s3_env)
    else:
        store, restored = LocalEvidenceStore(tmp_path / "asal"), LocalEvidenceStore(tmp_path / "pulih")
    digests = sorted(store.put(data) for data in FILES)
    manifest = make_backup(engine, store, tmp_path / "cadangan")
    assert (
        sorted(name.rsplit("/", 1)[-1] for name in manifest["files"] if name.startswith("evidence/"))
        == digests
    )
    owner = owner_of(engine)  # a restore replaces the schema: the owner's work, not the app role's
    try:
        restore_backup(owner, restored, tmp_path / "cadangan", force=True, grant_role=APP_ROLE)
    finally:
        owner.dispose()
    assert sorted(restored.digests()) == digests
    assert [restored.get(d) for d in digests] == [store.get(d) for d in digests]
