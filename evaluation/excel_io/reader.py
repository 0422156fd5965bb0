"""Reading a workbook (XLSX via python-calamine, formulas and merged cells from the sheet XML) or a CSV."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

MAX_BYTES = 50 * 1024 * 1024
_FORMULA = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?>(?:<f[ >/])')
_MERGED = re.compile(rb'<mergeCell ref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')


class UnreadableFile(ValueError):
    """The upload is not a workbook or CSV that can be read; nothing was changed."""


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, column), both 1-based
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2)


def column_index(letters: bytes | str) -> int:
    text = letters.decode() if isinstance(letters, bytes) else letters
    number = 0
    for char in text:
        number = number * 26 + (ord(char) - 64)
    return number


def column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_upload(data: bytes, filename: str) -> list[Sheet]:
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            f"Berkas lebih dari {MAX_BYTES // 1024 // 1024} MB. / "
            f"The file is larger than {MAX_BYTES // 1024 // 1024} MB."
        )
    if filename.lower().endswith(".csv"):
        return [_read_csv(data, filename)]
    if not data.startswith(b"PK"):
        raise UnreadableFile(
            f"{filename}: bukan berkas XLSX atau CSV. / {filename}: not an XLSX or CSV file."
        )
    return _read_xlsx(data, filename)


def _read_csv(data: bytes, filename: str) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(f"{filename}: CSV harus UTF-8. / {filename}: the CSV must be UTF-8.") from None
    header = text.split("\n", 1)[0]  # the header alone: justifications may hold either character
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return Sheet(
        name=filename.rsplit(".", 1)[0][:31] or "CSV",
        rows=[list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)],
    )


def _sheet_xml_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML inside the package (from workbook.xml and its relationships)."""
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    targets = {
        m.group(1).decode(): m.group(2).decode()
        for m in re.finditer(rb'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets.update(
        {
            m.group(2).decode(): m.group(1).decode()
            for m in re.finditer(rb'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
        }
    )
    paths = {}
    for match in re.finditer(rb'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
        target = targets.get(match.group(2).decode(), "")
        target = target.lstrip("/")
        paths[match.group(1).decode()] = target if target.startswith("xl/") else f"xl/{target}"
    return paths


def _read_xlsx(data: bytes, filename: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        archive = zipfile.ZipFile(io.BytesIO(data))
        xml_paths = _sheet_xml_paths(archive)
    except Exception as exc:  # calamine and zipfile raise their own error types for broken files
        raise UnreadableFile(
            f"{filename}: berkas rusak atau bukan XLSX ({exc}). / "
            f"{filename}: broken or not an XLSX file ({exc})."
        ) from None
    sheets = []
    for name in workbook.sheet_names:
        try:
            rows = [list(r) for r in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)]
        except Exception as exc:
            raise UnreadableFile(
                f"{filename}: lembar '{name}' tidak terbaca ({exc}). / "
                f"{filename}: sheet '{name}' cannot be read ({exc})."
            ) from None
        sheet = Sheet(name=name, rows=rows)
        path = xml_paths.get(name)
        if path and path in archive.namelist():
            xml = archive.read(path)
            if b"<f" in xml:  # most uploads hold no formula at all: skip the scan then
                sheet.formulas = {(int(m.group(2)), column_index(m.group(1))) for m in _FORMULA.finditer(xml)}
            sheet.merged = [
                (int(m.group(2)), column_index(m.group(1)), int(m.group(4)), column_index(m.group(3)))
                for m in _MERGED.finditer(xml)
            ]
        sheets.append(sheet)
    return sheets
