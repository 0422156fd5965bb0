"""Where evidence files live: content-addressed by SHA-256 behind a small interface.

The default is a local folder (`SPBE_EVIDENCE_DIR`, default data/evidence); a multi-server deployment
points it at shared storage (a mounted volume) or swaps in another `EvidenceStore`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parent.parent


class EvidenceStore(Protocol):
    def put(self, data: bytes) -> str: ...

    def get(self, digest: str) -> bytes: ...

    def exists(self, digest: str) -> bool: ...


class LocalEvidenceStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError("not a SHA-256 digest")
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
                handle.write(data)
            Path(handle.name).replace(path)  # atomic: a reader never sees half a file
        return digest

    def get(self, digest: str) -> bytes:
        return self._path(digest).read_bytes()

    def exists(self, digest: str) -> bool:
        return self._path(digest).exists()


def default_store() -> LocalEvidenceStore:
    return LocalEvidenceStore(os.environ.get("SPBE_EVIDENCE_DIR") or ROOT / "data" / "evidence")
