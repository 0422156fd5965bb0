"""Evidence must parse as what it claims: real PDFs and Office files pass; polyglots, renamed macro files and
files that only look right are refused; long names keep their extension (issue 11, ASVS V12)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from pypdf import PdfWriter

from evaluation.evidence_checks import check_evidence, shorten_keeping_extension
from evaluation.filetypes import detect_type
from evaluation.translatable import Message

MAIN = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    "xlsm": ("xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
}


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zipped(members: dict[str, bytes | str]) -> bytes:
    """A zip with fixed member times: the same bytes in every process (pytest-xdist workers must collect
    the same parameter ids, and bytes parameters are part of the id)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def ooxml(kind: str, *, extra: dict[str, bytes | str] | None = None, types: str = "") -> bytes:
    part, content_type = MAIN[kind]
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/>{types}</Types>'
    )
    return zipped({"[Content_Types].xml": content_types, part: "<x/>", **(extra or {})})


def xlsx() -> bytes:
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "bukti"
    book.save(out)
    return out.getvalue()


def odt(extra: dict[str, bytes | str] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", "<office:document-content/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def accepted(name: str, data: bytes) -> bool:
    """What the upload service accepts: the name matches the content, and the content holds up."""
    return detect_type(name, data) is not None and check_evidence(name, data) is None


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("sk.pdf", pdf),
        ("laporan.docx", lambda: ooxml("docx")),
        ("rekap.xlsx", xlsx),
        ("paparan.pptx", lambda: ooxml("pptx")),
        ("notulen.odt", odt),
    ],
)
def test_real_documents_are_accepted(name, make):
    assert accepted(name, make())


def test_a_pdf_header_on_something_that_does_not_open_as_a_pdf_is_refused():
    fake = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    assert detect_type("sk.pdf", fake) == "application/pdf"
    reason = check_evidence("sk.pdf", fake)
    assert reason is not None and reason.render("id") == "berkas tidak dapat dibuka sebagai PDF"
    assert reason.render("en") == "the file does not open as a PDF"


def test_a_pdf_with_a_zip_appended_is_refused_as_a_polyglot():
    polyglot = pdf() + zipped({"payload.js": "alert(1)"})
    assert detect_type("sk.pdf", polyglot) == "application/pdf"
    reason = check_evidence("sk.pdf", polyglot)
    assert reason is not None and "polyglot" in reason.render("en")


def test_a_png_with_a_zip_appended_is_refused_as_a_polyglot():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + zipped({"a.txt": "x"})
    assert not accepted("foto.png", png)


def test_an_office_file_that_carries_a_pdf_header_is_refused():
    inner = zipfile.ZipFile(io.BytesIO(ooxml("docx")))
    first = {"%PDF-1.4.txt": b"%PDF-1.4 1 0 obj"}  # stored first: a PDF header within the first KiB
    data = zipped({**first, **{name: inner.read(name) for name in inner.namelist()}})
    assert detect_type("laporan.docx", data) is not None
    reason = check_evidence("laporan.docx", data)
    assert reason is not None and "both a PDF and a ZIP" in reason.render("en")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("laporan.docx", ooxml("docm", extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})),
        ("rekap.xlsx", ooxml("xlsm", extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})),
        ("laporan.docx", ooxml("docm")),
        (
            "laporan.docx",
            ooxml(
                "docx",
                extra={"word/vbaProject.bin": b"macro"},
                types='<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
            ),
        ),
    ],
    ids=["renamed-docm", "renamed-xlsm", "macro-enabled-main-part", "vba-project-in-a-docx"],
)
def test_renamed_macro_files_are_refused_with_a_clear_message(name, data):
    assert detect_type(name, data) is not None  # the name-and-zip check alone lets them through
    reason = check_evidence(name, data)
    assert reason is not None and "macros" in reason.render("en")


def test_an_office_file_whose_main_part_is_another_kind_is_refused():
    docx_parts_named_xlsx = ooxml("docx", extra={"xl/dummy.xml": "<x/>"})
    assert detect_type("rekap.xlsx", docx_parts_named_xlsx) is not None
    reason = check_evidence("rekap.xlsx", docx_parts_named_xlsx)
    assert reason is not None and "main part" in reason.render("en") and ".xlsx" in reason.render("id")


def test_an_office_file_with_broken_content_types_is_refused():
    data = zipped({"[Content_Types].xml": "<Types><Override", "word/document.xml": "<x/>"})
    assert check_evidence("laporan.docx", data) == Message("ea.ev_bad_office")


def test_an_xml_bomb_in_the_content_types_is_refused_not_expanded():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">&b;</Types>'
    )
    data = zipped({"[Content_Types].xml": bomb, "word/document.xml": "<x/>"})
    assert check_evidence("laporan.docx", data) == Message("ea.ev_bad_office")


def test_an_opendocument_file_with_macros_is_refused():
    assert check_evidence("notulen.odt", odt({"Basic/Standard/Module1.xml": "<script/>"})) is not None


def test_a_legacy_office_header_on_something_that_is_not_ole_is_refused():
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert detect_type("lama.doc", fake) is not None
    assert check_evidence("lama.doc", fake) is not None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
        ("C:\\Users\\op\\Dokumen\\" + "b" * 260 + ".docx", "b" * 250 + ".docx"),
        ("/tmp/x/sk.pdf", "sk.pdf"),
        ("pendek.xlsx", "pendek.xlsx"),
        ("c" * 300, "c" * 255),
    ],
)
def test_long_file_names_are_cut_to_255_characters_keeping_their_extension(name, expected):
    assert shorten_keeping_extension(name) == expected
    assert len(shorten_keeping_extension(name)) <= 255
