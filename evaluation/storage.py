"""Where evidence files live: content-addressed by SHA-256, in a local folder or S3-compatible storage.

`SPBE_EVIDENCE_DIR` chooses (read at call time, evaluation/settings.py): unset -> data/evidence; a path or
`file:///path` -> that folder (zero set-up; several servers need it on shared storage); `s3://bucket/prefix`
-> a bucket through boto3 (`SPBE_S3_ENDPOINT_URL` for MinIO, Ceph, moto...; `SPBE_S3_REGION`;
credentials from the standard AWS variables or files). Any other scheme is a `StoreConfigError`, raised
when the app or a command starts, never a folder named "s3:".

Objects are named by their SHA-256 (`<aa>/<sha256>` under the folder or the prefix), written once (deleted
only to undo an upload that did not commit, or by `evidence orphans --delete`: services/evidence_puts.py) and
verified on every read: `open` copies the object into a spooled temporary file while hashing it (at most
1 MiB in memory) and refuses content that does not match its name (`EvidenceCorrupt`).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol
from urllib.parse import urlparse

from evaluation.translatable import InvalidInput, Translatable

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 1024 * 1024
HEX = frozenset("0123456789abcdef")


class StoreConfigError(Translatable, ValueError):
    """The evidence store setting names something this app cannot use (a message id says what)."""


class EvidenceMissing(Translatable, LookupError):
    """No object under that digest."""


class EvidenceCorrupt(Translatable, ValueError):
    """The stored bytes do not hash to their name."""


def check_digest(digest: str) -> str:
    """`digest` when it is 64 lower-case hex characters, else ValueError."""
    if len(digest) != 64 or not set(digest) <= HEX:
        raise InvalidInput("ea.not_a_digest")
    return digest


def verified_copy(chunks: Iterator[bytes], digest: str) -> IO[bytes]:
    """The chunks in a spooled temporary file (rewound), checked against `digest` on the way."""
    hasher = hashlib.sha256()
    spool = tempfile.SpooledTemporaryFile(max_size=CHUNK)  # noqa: SIM115 - the caller closes it
    for chunk in chunks:
        hasher.update(chunk)
        spool.write(chunk)
    if hasher.hexdigest() != digest:
        spool.close()
        raise EvidenceCorrupt("ea.evidence_corrupt", digest=digest)
    spool.seek(0)
    return spool


def file_chunks(handle: BinaryIO) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk


class EvidenceStore(Protocol):
    """A content-addressed store; digests are SHA-256 hex strings."""

    location: str

    def put(self, data: bytes) -> str: ...

    def put_file(self, path: Path, digest: str) -> None: ...

    def get(self, digest: str) -> bytes: ...

    def open(self, digest: str) -> IO[bytes]: ...

    def exists(self, digest: str) -> bool: ...

    def digests(self) -> Iterator[str]: ...

    def check(self) -> None: ...

    def delete(self, digest: str) -> None: ...


class LocalEvidenceStore:
    """Files under `root/<aa>/<sha256>`, written atomically (a reader never sees half a file)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.location = str(self.root)

    def _path(self, digest: str) -> Path:
        return self.root / check_digest(digest)[:2] / digest

    def _write(self, path: Path, source: BinaryIO) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            shutil.copyfileobj(source, handle, CHUNK)
        Path(handle.name).replace(path)

    def put(self, data: bytes) -> str:
        """Store `data` (once); returns its SHA-256 hex digest."""
        import io

        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if not path.exists():
            self._write(path, io.BytesIO(data))
        return digest

    def put_file(self, path: Path, digest: str) -> None:
        """Store the file at `path` under `digest` (the caller has hashed it), streaming."""
        target = self._path(digest)
        if not target.exists():
            with Path(path).open("rb") as source:
                self._write(target, source)

    def open(self, digest: str) -> IO[bytes]:
        """The object, verified, as a rewound file; EvidenceMissing / EvidenceCorrupt."""
        path = self._path(digest)
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise EvidenceMissing("ea.evidence_missing", digest=digest) from None
        with handle:
            return verified_copy(file_chunks(handle), digest)

    def get(self, digest: str) -> bytes:
        """The object's bytes, verified."""
        with self.open(digest) as handle:
            return handle.read()

    def exists(self, digest: str) -> bool:
        return self._path(digest).exists()

    def delete(self, digest: str) -> None:
        """Remove the object (absent: nothing to do). Only for undoing a put no committed row names:
        callers go through evaluation/services/evidence_puts.py, which holds the digest lock and checks."""
        self._path(digest).unlink(missing_ok=True)

    def digests(self) -> Iterator[str]:
        """Every stored digest (files named by a digest under a two-character folder)."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/*")):
            name = path.name
            if path.is_file() and len(name) == 64 and set(name) <= HEX and path.parent.name == name[:2]:
                yield name

    def check(self) -> None:
        """Raise OSError unless the folder exists (or can be made) and takes a file."""
        self.root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.root, prefix=".ready-"):
            pass


def store_for(location: str | None, *, endpoint_url: str | None = None, region: str | None = None) -> Any:
    """The store a setting names: None -> data/evidence; a path or file:// URL -> LocalEvidenceStore;
    s3://bucket[/prefix] -> S3EvidenceStore. Anything else raises StoreConfigError."""
    if not location:
        return LocalEvidenceStore(ROOT / "data" / "evidence")
    if "://" not in location:
        return LocalEvidenceStore(location)
    parsed = urlparse(location)
    if parsed.scheme == "file" and parsed.path and parsed.netloc in ("", "localhost"):
        return LocalEvidenceStore(parsed.path)
    if parsed.scheme == "s3" and parsed.netloc and not parsed.query and not parsed.fragment:
        from evaluation.s3_store import S3EvidenceStore  # boto3 is imported only for an s3:// setting

        return S3EvidenceStore(parsed.netloc, parsed.path, endpoint_url=endpoint_url, region=region)
    raise StoreConfigError("ea.store_location", location=repr(location))


@lru_cache(maxsize=8)
def _cached_store(location: str | None, endpoint_url: str | None, region: str | None) -> Any:
    return store_for(location, endpoint_url=endpoint_url, region=region)


def default_store() -> Any:
    """The store the settings name (one per setting per process: a boto3 client is thread-safe).
    Raises StoreConfigError for a setting that names no usable store."""
    from evaluation.settings import evidence_location, s3_endpoint_url, s3_region

    return _cached_store(evidence_location(), s3_endpoint_url(), s3_region())
