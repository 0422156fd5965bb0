"""Deeper checks of an evidence file after `filetypes.detect_type` has matched its name and first bytes: the
file must parse as what it claims, carry no macros, and be one kind of file only (no polyglots).

- PDF: opens with pypdf and has at least one page; no ZIP archive hidden in it.
- docx/xlsx/pptx: `[Content_Types].xml` (read with defusedxml, size-bounded) declares the main part of that
  kind, and nothing macro-enabled (vbaProject, macroEnabled content types: a renamed .docm/.xlsm/.pptm).
- doc/xls/ppt (OLE2): opens with olefile and holds no VBA storage.
- odt/ods/odp: no Basic/ or Scripts/ folder (macros).
- Any type but ZIP-based ones: not also a ZIP archive; ZIP-based ones: no PDF header in the first KiB.

`check_evidence(filename, data)` returns None when the file passes, else the reason as a Message.
"""

from __future__ import annotations

import io
import logging
import os
import zipfile

import olefile
from defusedxml import ElementTree
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from evaluation.translatable import Message

MAX_CONTENT_TYPES_BYTES = 1_000_000
_OOXML_MAIN = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
_ZIP_BASED = {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"}
_MACRO_MARKERS = ("vbaproject", "macroenabled", "vbadata", "activex")
_OLE_MACRO_STORAGES = ("macros", "_vba_project_cur", "vba", "_vba_project")


Reason = Message  # a catalogue key (ea.ev_*) and its parameters


def _suffix(filename: str) -> str:
    return os.path.splitext(filename)[1].lower()


def _is_zip(data: bytes) -> bool:
    try:
        return zipfile.is_zipfile(io.BytesIO(data))
    except (OSError, ValueError):
        return False


def _check_pdf(data: bytes) -> Reason | None:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        pages = 0
    if pages < 1:
        return Message("ea.ev_not_pdf")
    return None


def _content_types(archive: zipfile.ZipFile) -> list[str] | None:
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return None
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        return None
    try:
        root = ElementTree.fromstring(archive.read(info))
    except Exception:  # defusedxml refusals and malformed XML alike: not a valid Office file
        return None
    return [str(node.get("ContentType") or "") for node in root.iter() if node.get("ContentType")]


def _check_ooxml(data: bytes, suffix: str) -> Reason | None:
    bad = Message("ea.ev_bad_office")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n.lower() for n in archive.namelist()]
            types = _content_types(archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        return bad
    if types is None:
        return bad
    if any(marker in item for item in names + [t.lower() for t in types] for marker in _MACRO_MARKERS):
        return Message("ea.ev_office_macros")
    if _OOXML_MAIN[suffix] not in types:
        return Message("ea.ev_main_part", suffix=suffix)
    return None


def _check_odf(data: bytes) -> Reason | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n.lower() for n in archive.namelist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return Message("ea.ev_bad_opendocument")
    if any(n.startswith(("basic/", "scripts/")) for n in names):
        return Message("ea.ev_macros")
    return None


def _check_ole(data: bytes) -> Reason | None:
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            entries = [part.lower() for path in ole.listdir(streams=True, storages=True) for part in path]
    except (OSError, ValueError, IndexError, TypeError, AttributeError):
        return Message("ea.ev_bad_legacy_office")
    if any(entry in _OLE_MACRO_STORAGES for entry in entries):
        return Message("ea.ev_macros")
    return None


def check_evidence(filename: str, data: bytes) -> Reason | None:
    """None when `data` really is the file its name says (already matched by `detect_type`), else why not."""
    suffix = _suffix(filename)
    if suffix in _ZIP_BASED:
        if b"%PDF-" in data[:1024]:
            return Message("ea.ev_pdf_and_zip")
    elif _is_zip(data):
        return Message("ea.ev_polyglot")
    if suffix == ".pdf":
        return _check_pdf(data)
    if suffix in _OOXML_MAIN:
        return _check_ooxml(data, suffix)
    if suffix in (".odt", ".ods", ".odp"):
        return _check_odf(data)
    if suffix in (".doc", ".xls", ".ppt"):
        return _check_ole(data)
    return None


def shorten_keeping_extension(name: str, limit: int = 255) -> str:
    """The base name of an uploaded path (either slash), cut to `limit` characters with its extension kept
    (an extension longer than 16 characters is not treated as one)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if len(base) <= limit:
        return base
    stem, ext = os.path.splitext(base)
    if not ext or len(ext) > 16:
        return base[:limit]
    return stem[: limit - len(ext)].rstrip() + ext
