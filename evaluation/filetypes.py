"""Which uploads are accepted: the type is read from the content, and must agree with the name."""

from __future__ import annotations

import io
import zipfile
import zlib

from evaluation.excel_io.guard import directory_size
from evaluation.excel_io.limits import MAX_ZIP_MEMBERS
from evaluation.excel_io.xml_scan import Refused

ALLOWED = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
_OOXML_PART = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}


_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
    ValueError,
    Refused,  # directory_size: no end record
)


def _zip_names(data: bytes) -> list[str] | None:
    """The part names, or None for a broken package or one with more parts than MAX_ZIP_MEMBERS (counted
    from the end record first: a directory of a million entries would take gigabytes to list)."""
    try:
        entries, size = directory_size(data)
        if entries > MAX_ZIP_MEMBERS or size > MAX_ZIP_MEMBERS * 1_100:
            return None
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except _BROKEN:
        return None


def _zip_member(data: bytes, name: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(name) as member:
            return member.read(100)  # never unpack more than the few bytes looked at
    except _BROKEN:
        return b""


def detect_type(filename: str, data: bytes) -> str | None:
    """The MIME type when the content really is the kind the file name says, else None."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in ALLOWED:
        return None
    head = data[:8]
    if suffix == ".pdf":
        ok = data[:1024].lstrip().startswith(b"%PDF-")
    elif suffix == ".png":
        ok = head == b"\x89PNG\r\n\x1a\n"
    elif suffix in (".jpg", ".jpeg"):
        ok = head[:3] == b"\xff\xd8\xff"
    elif suffix in (".doc", ".xls", ".ppt"):
        ok = head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    elif suffix in _OOXML_PART:
        names = (_zip_names(data) if head[:4] == b"PK\x03\x04" else None) or []
        ok = "[Content_Types].xml" in names and any(n.startswith(_OOXML_PART[suffix]) for n in names)
    else:
        names = (_zip_names(data) if head[:4] == b"PK\x03\x04" else None) or []
        ok = (
            "mimetype" in names
            and _zip_member(data, "mimetype").decode("ascii", "replace") == ALLOWED[suffix]
        )
    return ALLOWED[suffix] if ok else None
