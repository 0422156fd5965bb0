"""The S3-compatible evidence store (boto3): objects `<prefix><aa>/<sha256>` in one bucket, uploaded once
with a Content-MD5 the service checks, streamed and verified against their SHA-256 name on every read.
Chosen by an `s3://bucket/prefix` setting (evaluation/storage.py `store_for`); tests run it against a moto
server."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO

from evaluation.storage import CHUNK, HEX, EvidenceMissing, check_digest, file_chunks, verified_copy


class S3EvidenceStore:
    """Objects `<prefix><aa>/<sha256>` in one bucket of S3 or an S3-compatible service (boto3)."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        client: Any = None,
    ):
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.location = f"s3://{bucket}/{self.prefix}"
        if client is None:
            import boto3
            from botocore.config import Config

            config = Config(
                connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
            )
            client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region, config=config)
        self.client = client

    def _key(self, digest: str) -> str:
        return f"{self.prefix}{check_digest(digest)[:2]}/{digest}"

    def exists(self, digest: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(digest))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def _upload(self, digest: str, body: BinaryIO, md5: bytes, size: int) -> None:
        self.client.put_object(
            Bucket=self.bucket,
            Key=self._key(digest),
            Body=body,
            ContentLength=size,
            ContentMD5=base64.b64encode(md5).decode(),  # the service refuses a damaged upload
            ContentType="application/octet-stream",
        )

    def put(self, data: bytes) -> str:
        """Upload `data` unless an object of that digest is there; returns the digest."""
        import io

        digest = hashlib.sha256(data).hexdigest()
        if not self.exists(digest):
            self._upload(
                digest, io.BytesIO(data), hashlib.md5(data, usedforsecurity=False).digest(), len(data)
            )
        return digest

    def put_file(self, path: Path, digest: str) -> None:
        """Upload the file at `path` under `digest` unless it is there, streaming from the file."""
        if self.exists(digest):
            return
        md5 = hashlib.md5(usedforsecurity=False)
        with Path(path).open("rb") as handle:
            for chunk in file_chunks(handle):
                md5.update(chunk)
            size = handle.tell()
            handle.seek(0)
            self._upload(digest, handle, md5.digest(), size)

    def open(self, digest: str) -> IO[bytes]:
        """The object, streamed from the service into a spooled file and verified; EvidenceMissing /
        EvidenceCorrupt."""
        from botocore.exceptions import ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(digest))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise EvidenceMissing("ea.evidence_missing", digest=digest) from None
            raise
        body = response["Body"]
        try:
            return verified_copy(body.iter_chunks(CHUNK), digest)
        finally:
            body.close()

    def get(self, digest: str) -> bytes:
        with self.open(digest) as handle:
            return handle.read()

    def delete(self, digest: str) -> None:
        """Remove the object (DeleteObject: absent is no error). Only for undoing a put no committed row
        names: callers go through evaluation/services/evidence_puts.py, which holds the digest lock."""
        self.client.delete_object(Bucket=self.bucket, Key=self._key(digest))

    def digests(self) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                name = item["Key"].rsplit("/", 1)[-1]
                if len(name) == 64 and set(name) <= HEX:
                    yield name

    def check(self) -> None:
        """Raise unless the bucket answers (HEAD bucket)."""
        self.client.head_bucket(Bucket=self.bucket)
