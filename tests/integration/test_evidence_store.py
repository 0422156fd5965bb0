"""Evidence stores (issue 14): a local folder or S3-compatible storage (moto server), objects named by
SHA-256, uploaded once, verified on read, streamed; any other scheme refused at start; `evidence migrate`
copies a folder into a bucket, verified, idempotent; backups work from both stores."""

from __future__ import annotations

import hashlib
import os

import pytest

from evaluation.s3_store import S3EvidenceStore
from evaluation.storage import (
    EvidenceCorrupt,
    EvidenceMissing,
    LocalEvidenceStore,
    StoreConfigError,
    default_store,
    store_for,
)
from tests.s3_fixtures import s3_client

PDF_LIKE = b"%PDF-1.4 evidence " * 100


def s3_store(endpoint: str, name: str, prefix: str = "bukti") -> S3EvidenceStore:
    return store_for(f"s3://{name}/{prefix}", endpoint_url=endpoint)


def keys(endpoint: str, name: str) -> list[str]:
    listed = s3_client(endpoint).list_objects_v2(Bucket=name)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_an_s3_setting_makes_an_s3_store_with_bucket_and_prefix(s3_env, monkeypatch):
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", "s3://arsip-bukti/spbe/2026")
    store = default_store()
    assert isinstance(store, S3EvidenceStore)
    assert (store.bucket, store.prefix) == ("arsip-bukti", "spbe/2026/")


@pytest.mark.parametrize("setting", ["ftp://host/bukti", "gs://bucket/x", "s3://", "http://minio:9000/b"])
def test_any_other_scheme_is_refused_at_start_instead_of_becoming_a_folder(setting, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", setting)
    with pytest.raises(StoreConfigError, match="SPBE_EVIDENCE_DIR"):
        default_store()
    assert list(tmp_path.iterdir()) == []  # no folder named "ftp:" or "s3:"


def test_a_path_or_file_url_is_a_local_folder(tmp_path):
    assert store_for(str(tmp_path / "a")).root == tmp_path / "a"
    assert store_for(f"file://{tmp_path / 'b'}").root == tmp_path / "b"


def test_an_object_is_named_by_its_sha256_under_the_prefix_and_reads_back(s3_env, bucket):
    store = s3_store(s3_env, bucket)
    digest = store.put(PDF_LIKE)
    assert digest == hashlib.sha256(PDF_LIKE).hexdigest()
    assert keys(s3_env, bucket) == [f"bukti/{digest[:2]}/{digest}"]
    assert store.get(digest) == PDF_LIKE
    assert store.exists(digest) and list(store.digests()) == [digest]


def test_the_same_content_is_uploaded_once(s3_env, bucket):
    store = s3_store(s3_env, bucket)
    digest = store.put(PDF_LIKE)
    client = s3_client(s3_env)
    first = client.head_object(Bucket=bucket, Key=f"bukti/{digest[:2]}/{digest}")["LastModified"]
    calls = []
    original = store.client.put_object
    store.client.put_object = lambda **kw: calls.append(kw) or original(**kw)
    assert store.put(PDF_LIKE) == digest
    assert calls == []
    assert client.head_object(Bucket=bucket, Key=f"bukti/{digest[:2]}/{digest}")["LastModified"] == first


def test_an_object_changed_in_the_bucket_is_refused_on_read(s3_env, bucket):
    store = s3_store(s3_env, bucket)
    digest = store.put(PDF_LIKE)
    s3_client(s3_env).put_object(Bucket=bucket, Key=f"bukti/{digest[:2]}/{digest}", Body=b"tampered")
    with pytest.raises(EvidenceCorrupt):
        store.get(digest)


def test_a_changed_local_file_is_refused_on_read(tmp_path):
    store = LocalEvidenceStore(tmp_path)
    digest = store.put(PDF_LIKE)
    (tmp_path / digest[:2] / digest).write_bytes(b"tampered")
    with pytest.raises(EvidenceCorrupt):
        store.get(digest)


def test_a_missing_object_is_evidence_missing_on_both_stores(s3_env, bucket, tmp_path):
    digest = hashlib.sha256(b"never stored").hexdigest()
    for store in (s3_store(s3_env, bucket), LocalEvidenceStore(tmp_path)):
        with pytest.raises(EvidenceMissing):
            store.open(digest)


def test_a_large_object_streams_through_a_temporary_file_not_memory(s3_env, bucket):
    big = os.urandom(3 * 1024 * 1024)
    store = s3_store(s3_env, bucket)
    digest = store.put(big)
    with store.open(digest) as handle:
        assert handle._rolled  # type: ignore[attr-defined]  # spilled to disk past 1 MiB
        assert hashlib.sha256(handle.read()).hexdigest() == digest


def test_readiness_check_fails_for_a_missing_bucket(s3_env):
    with pytest.raises(Exception, match=r"404|NoSuchBucket|Not Found"):
        s3_store(s3_env, "no-such-bucket-here").check()
