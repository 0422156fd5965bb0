"""Small XLSX packages built by hand, ordinary or hostile, for the upload guard's tests and benchmark.

`workbook(sheet_xml)` wraps one sheet's XML in the minimum package python-calamine opens; the four
hostile shapes of issue 10 are below. `huge_sheet()` writes a sheet that unpacks to about 1 GB through
zipfile's streaming writer, so 1 GB is never held in memory (the package is about 1 MB).
"""

from __future__ import annotations

import io
import zipfile

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def _book(sheet_name: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _package(write_sheet, sheet_name: str, extra: dict[str, bytes] | None = None) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _book(sheet_name))
        archive.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        write_sheet(archive)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def workbook(sheet_data: str, *, after: str = "", before: str = "", sheet_name: str = "Penilaian") -> bytes:
    """A one-sheet XLSX: `sheet_data` is the inside of `<sheetData>`, `before`/`after` go around it."""
    xml = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{before}<sheetData>{sheet_data}'
    xml += f"</sheetData>{after}</worksheet>"
    return _package(lambda archive: archive.writestr("xl/worksheets/sheet1.xml", xml), sheet_name)


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = (
    '<row r="1">'
    + "".join(
        text_cell(f"{letter}1", name)
        for letter, name in zip(
            "ABCDE",
            ("Kode instansi", "Tahun", "Kode indikator", "Tingkat mandiri", "Penjelasan"),
            strict=True,
        )
    )
    + "</row>"
)
FIRST_ROW = (
    '<row r="2">'
    + text_cell("A2", "KOTA-001")
    + '<c r="B2"><v>2026</v></c>'
    + text_cell("C2", "I01")
    + '<c r="D2"><v>2</v></c>'
    + text_cell("E2", "Peta Rencana")
    + "</row>"
)


def value_at_xfd1048576() -> bytes:
    """One value in the sheet's last cell, after an ordinary header and row."""
    return workbook(HEADER + FIRST_ROW + '<row r="1048576">' + text_cell("XFD1048576", "x") + "</row>")


def formula_at_row_50m() -> bytes:
    """A formula at row 50,000,000 (Excel stops at 1,048,576; a file can say anything)."""
    return workbook(HEADER + FIRST_ROW + '<row r="50000000"><c r="A50000000"><f>1+1</f></c></row>')


def merged_a2_a100m() -> bytes:
    """A merged range A2:A100000000 over an ordinary sheet."""
    return workbook(
        HEADER + FIRST_ROW, after='<mergeCells count="1"><mergeCell ref="A2:A100000000"/></mergeCells>'
    )


def huge_sheet(megabytes: int = 1000) -> bytes:
    """A sheet whose XML unpacks to `megabytes` MB (spaces between two rows), written in 1 MB pieces."""

    def write(archive: zipfile.ZipFile) -> None:
        with archive.open("xl/worksheets/sheet1.xml", "w") as stream:
            stream.write(f'<worksheet xmlns="{NS}"><sheetData>{HEADER}'.encode())
            block = b" " * 1_000_000
            for _ in range(megabytes):
                stream.write(block)
            stream.write(f"{FIRST_ROW}</sheetData></worksheet>".encode())

    return _package(write, "Penilaian")


HOSTILE = {
    "value at XFD1048576": value_at_xfd1048576,
    "formula at row 50,000,000": formula_at_row_50m,
    "merged A2:A100000000": merged_a2_a100m,
    "sheet XML of 1 GB": huge_sheet,
}
