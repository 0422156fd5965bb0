"""Which uploads are accepted: the type is read from the content and must agree with the file name."""

from __future__ import annotations

import io
import zipfile

import pytest

from evaluation.filetypes import ALLOWED, detect_type

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24
DOCX = ALLOWED[".docx"]
XLSX = ALLOWED[".xlsx"]
PPTX = ALLOWED[".pptx"]
ODT = ALLOWED[".odt"]


def zipped(members: dict[str, bytes]) -> bytes:
    """A zip with fixed member times, the same bytes in every pytest-xdist worker (bytes are in test ids)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def ooxml(part: str) -> bytes:
    """A minimal Office Open XML package: the content-types list and one part under `part`."""
    return zipped({"[Content_Types].xml": b"<Types/>", f"{part}document.xml": b"<doc/>"})


def opendocument(mimetype: str) -> bytes:
    return zipped({"mimetype": mimetype.encode("ascii"), "content.xml": b"<office:document-content/>"})


ACCEPTED = [
    ("laporan.pdf", PDF, "application/pdf"),
    ("laporan.PDF", b"\n  " + PDF, "application/pdf"),
    ("foto.png", PNG, "image/png"),
    ("foto.jpg", JPEG, "image/jpeg"),
    ("foto.jpeg", JPEG, "image/jpeg"),
    ("sk.docx", ooxml("word/"), DOCX),
    ("anggaran.xlsx", ooxml("xl/"), XLSX),
    ("paparan.pptx", ooxml("ppt/"), PPTX),
    ("notulen.odt", opendocument(ODT), ODT),
    ("lama.doc", OLE, "application/msword"),
    ("lama.xls", OLE, "application/vnd.ms-excel"),
]


@pytest.mark.parametrize(("filename", "data", "expected"), ACCEPTED, ids=[row[0] for row in ACCEPTED])
def test_a_file_whose_content_matches_its_name_gets_its_mime_type(filename, data, expected):
    assert detect_type(filename, data) == expected


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("laporan.pdf", PNG),
        ("foto.png", PDF),
        ("foto.jpg", PNG),
        ("sk.docx", zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"})),
        ("sk.docx", zipped({"word/document.xml": b"<doc/>"})),
        ("anggaran.xlsx", ooxml("word/")),
        ("sk.docx", b"PK\x03\x04 not really a zip"),
        ("notulen.odt", opendocument(ALLOWED[".ods"])),
        ("notulen.odt", zipped({"content.xml": b"<c/>"})),
        ("lama.doc", PDF),
        ("setup.exe", b"MZ\x90\x00"),
        ("arsip.zip", ooxml("word/")),
        ("laporan", PDF),
        ("laporan.", PDF),
        ("", PDF),
    ],
    ids=[
        "png-named-pdf",
        "pdf-named-png",
        "png-named-jpg",
        "docx-without-word-part",
        "docx-without-content-types",
        "docx-named-xlsx",
        "broken-zip",
        "ods-named-odt",
        "odt-without-mimetype",
        "pdf-named-doc",
        "exe",
        "zip-extension",
        "no-extension",
        "empty-extension",
        "no-name",
    ],
)
def test_a_file_whose_content_does_not_match_an_allowed_name_is_refused(filename, data):
    assert detect_type(filename, data) is None
