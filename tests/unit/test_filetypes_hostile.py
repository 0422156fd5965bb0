"""Evidence type detection on broken and hostile packages: a refusal (None), never an exception."""

from __future__ import annotations

import io
import zipfile

from evaluation.excel_io.limits import MAX_ZIP_MEMBERS
from evaluation.filetypes import detect_type


def test_an_odt_whose_mimetype_part_is_damaged_is_not_accepted_and_raises_nothing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text" * 50)
    data = bytearray(buffer.getvalue())
    start = 30 + len("mimetype")
    data[start : start + 20] = b"\xff" * 20  # no longer a deflate stream
    assert detect_type("laporan.odt", bytes(data)) is None


def test_a_docx_with_more_parts_than_the_limit_is_not_accepted():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"word/p{number}.xml", "")
    assert detect_type("laporan.docx", buffer.getvalue()) is None


def test_an_ordinary_docx_is_still_accepted():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert detect_type("laporan.docx", buffer.getvalue()) is not None
