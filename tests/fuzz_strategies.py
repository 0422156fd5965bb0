"""Hypothesis strategies for import files of every sheet kind, ordinary and broken, XLSX and CSV.

`upload(kind)` draws `(filename, bytes)`: a header made from the kind's columns (shuffled, dropped,
either language, any case), rows of plausible and hostile values, then the file: an XLSX written by hand
(cell types, references far out or missing, formulas, merges, `<dimension>`, shared strings that do
not exist, DTDs, deep nesting, truncated XML, damaged zip bytes, missing or doubled parts) or a CSV
(delimiters, quoting, BOM, encodings, line ends, NUL). Used by tests/integration/test_fuzz_imports.py
(quick profile) and tests/fuzz_imports.py (long profile, a benchmark command).
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any
from xml.sax.saxutils import escape

from hypothesis import strategies as st

from evaluation.excel_io.reader import column_letters
from evaluation.services.bulk import (
    activities_sheet,
    agencies_sheet,
    assessment_sheet,
    published_results,
    targets_sheet,
)
from tests.hostile_workbooks import NS, _package

_MATRIX = [
    "Kode instansi",
    "Nama instansi",
    "Kategori",
    "Provinsi",
    "Tahun",
    *[f"I{n:02d}" for n in range(1, 48)],
    "D1",
    "D2",
    "A1",
    "Indeks",
    "Predikat",
]
KINDS: dict[str, tuple[str, list[str], list[str]]] = {  # kind -> (sheet name, Indonesian, English headers)
    "assessment": (
        "Penilaian",
        [c.header("id") for c in assessment_sheet.COLUMNS],
        [c.header("en") for c in assessment_sheet.COLUMNS],
    ),
    "national_matrix": ("Matriks", _MATRIX, _MATRIX),
    "targets": (
        targets_sheet.SHEET,
        [c.header("id") for c in targets_sheet.COLUMNS],
        [c.header("en") for c in targets_sheet.COLUMNS],
    ),
    "activities": (
        activities_sheet.SHEET,
        [c.header("id") for c in activities_sheet.COLUMNS],
        [c.header("en") for c in activities_sheet.COLUMNS],
    ),
    "agencies": (
        agencies_sheet.SHEET,
        [c.header("id") for c in agencies_sheet.COLUMNS],
        [c.header("en") for c in agencies_sheet.COLUMNS],
    ),
    "published": (
        published_results.SHEET,
        [c.header("id") for c in (*published_results.COLUMNS, *published_results.GROUPS)],
        [c.header("en") for c in (*published_results.COLUMNS, *published_results.GROUPS)],
    ),
}

PLAUSIBLE = st.sampled_from(
    [
        "KOTA-001",
        "KAB-002",
        "PROV-31",
        "UJI-1",
        "kota-001 ",
        2026,
        2025,
        "2026",
        "I01",
        "I03",
        "i47",
        "7",
        "V05.2",
        "D1",
        "A3",
        1,
        2,
        3.5,
        5,
        "Level 3",
        "Tingkat 4",
        "3,5",
        "2026-12-31",
        "31/12/2026",
        "pemdi-2026",
        "spbe-2020",
        "short",
        "jangka pendek",
        "index",
        "indicator",
        "share",
        "planned",
        "done",
        "Baik",
        "Sangat Baik",
        "Kota",
        "Kabupaten",
        "Provinsi",
        "ya",
        "tidak",
        "I01, I02",
        "",
        None,
    ]
)
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=20),  # controls, NUL, DEL, C1
    st.sampled_from(
        [
            "=1+1",
            "+62 812",
            "-",
            "'=SUM(A1)",
            "\x00",
            "a\x00b",
            "\u202e",
            "\ufeff",
            "\ufffe",
            "1e308",
            "-1e308",
            "nan",
            "inf",
            "1,2,3",
            '"',
            "x" * 300,
            "y" * 12_000,
            "KOTA-001" + "9" * 40,
        ]
    ),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
VALUE = st.one_of(PLAUSIBLE, PLAUSIBLE, HOSTILE_TEXT)


@st.composite
def table(draw: st.DrawFn, kind: str) -> tuple[str, list[list[Any]]]:
    """(sheet name, rows): a header from the kind's columns and up to 6 rows of values."""
    sheet, indonesian, english = KINDS[kind]
    names = draw(st.sampled_from([indonesian, english]))
    header = draw(st.permutations(names)) if draw(st.booleans()) else list(names)
    if draw(st.booleans()):
        header = [h for h in header if draw(st.integers(0, 9)) > 0]  # drop a column now and then
    if draw(st.booleans()):
        header = [h.upper() if draw(st.booleans()) else h for h in header]
    width = len(header) + draw(st.integers(-1, 2))
    rows = [
        [draw(VALUE) for _ in range(max(width, 0) + draw(st.integers(-2, 2)))]
        for _ in range(draw(st.integers(0, 6)))
    ]
    return sheet, [list(header), *rows]


def _cell(ref: str, value: Any, style: int) -> str:
    if value is None:
        return f'<c r="{ref}"/>' if style == 0 else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = escape("".join(ch if ch in "\t\n\r" or ord(ch) >= 0x20 else f"_x{ord(ch):04X}_" for ch in value))
    if style == 1:
        return f'<c r="{ref}" t="str"><v>{text}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


@st.composite
def xlsx(draw: st.DrawFn, kind: str) -> bytes:
    """An XLSX of the kind, with structural oddities drawn on top."""
    sheet, rows = draw(table(kind))
    style = draw(st.integers(0, 2))
    xml_rows = []
    for r, values in enumerate(rows, start=1):
        cells = "".join(_cell(f"{column_letters(c)}{r}", v, style) for c, v in enumerate(values, start=1))
        xml_rows.append(f'<row r="{r}">{cells}</row>')
    extras = draw(
        st.lists(
            st.sampled_from(
                [
                    "far_cell",
                    "far_row",
                    "formula",
                    "merge",
                    "far_merge",
                    "dimension",
                    "shared_string",
                    "no_r",
                    "error_cell",
                    "date_cell",
                    "dtd",
                    "deep",
                    "prefix",
                    "bad_ref",
                ]
            ),
            max_size=3,
        )
    )
    before, after = "", ""
    row_at = len(rows) + 1
    for extra in extras:
        if extra == "far_cell":
            ref = f"{column_letters(draw(st.integers(1, 20_000)))}{draw(st.integers(1, 2_000_000))}"
            xml_rows.append(
                f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{ref}"><v>1</v></c></row>'
            )
        elif extra == "far_row":
            xml_rows.append(f'<row r="{draw(st.integers(2, 60_000_000))}"/>')
        elif extra == "formula":
            col = draw(st.integers(1, 12))
            xml_rows.append(f'<row r="{row_at}"><c r="{column_letters(col)}{row_at}"><f>1+1</f></c></row>')
            row_at += 1
        elif extra in ("merge", "far_merge"):
            top = draw(st.integers(1, 8))
            bottom = top + draw(st.integers(0, 5 if extra == "merge" else 200_000_000))
            right = column_letters(draw(st.integers(1, 30)))
            after += f'<mergeCells count="1"><mergeCell ref="A{top}:{right}{bottom}"/></mergeCells>'
        elif extra == "dimension":
            corner = f"{column_letters(draw(st.integers(1, 16_384)))}{draw(st.integers(1, 1_048_576))}"
            before += f'<dimension ref="A1:{corner}"/>'
        elif extra == "shared_string":
            xml_rows.append(
                f'<row r="{row_at}"><c r="A{row_at}" t="s"><v>{draw(st.integers(0, 10**9))}</v></c></row>'
            )
            row_at += 1
        elif extra == "no_r":
            xml_rows.append("<row>" + "<c><v>7</v></c>" * draw(st.integers(1, 30)) + "</row>")
        elif extra == "error_cell":
            xml_rows.append(f'<row r="{row_at}"><c r="B{row_at}" t="e"><v>#DIV/0!</v></c></row>')
            row_at += 1
        elif extra == "date_cell":
            when = escape(draw(st.text(max_size=12)))
            xml_rows.append(f'<row r="{row_at}"><c r="E{row_at}" t="d"><v>{when}</v></c></row>')
            row_at += 1
        elif extra == "deep":
            depth = draw(st.integers(10, 300))
            after += "<extLst>" + "<ext>" * depth + "</ext>" * depth + "</extLst>"
        elif extra == "bad_ref":
            ref = draw(st.sampled_from(["", "1A", "A0", "ZZZZ1", "a1", "A-1"]))
            xml_rows.append(f'<row r="{row_at}"><c r="{ref}"><v>1</v></c></row>')
    body = "".join(xml_rows)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{before}<sheetData>{body}'
    xml += f"</sheetData>{after}</worksheet>"
    if "dtd" in extras:
        xml = xml.replace(
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
        )
    if "prefix" in extras:
        xml = xml.replace("<worksheet xmlns=", "<x:worksheet xmlns:x=").replace(
            "</worksheet>", "</x:worksheet>"
        )
        xml = (
            xml.replace("<row", "<x:row").replace("</row>", "</x:row>").replace("<sheetData", "<x:sheetData")
        )
        xml = xml.replace("</sheetData>", "</x:sheetData>").replace("<c ", "<x:c ").replace("</c>", "</x:c>")
    payload = xml.encode("utf-8", "surrogatepass")
    damage = draw(
        st.sampled_from(
            ["none"] * 6 + ["truncate_xml", "bad_utf8", "flip_zip", "truncate_zip", "drop_part", "extra_part"]
        )
    )
    if damage == "truncate_xml":
        payload = payload[: draw(st.integers(0, len(payload)))]
    elif damage == "bad_utf8":
        at = draw(st.integers(0, len(payload)))
        payload = payload[:at] + b"\xff\xfe\xc0" + payload[at:]
    extra_parts = {"xl/sharedStrings.xml": b'<sst xmlns="' + NS.encode() + b'"><si><t>x</t></si></sst>'}
    if damage == "extra_part":
        extra_parts["xl/worksheets/sheet9.xml"] = payload
    data = _package(
        lambda archive: (
            None if damage == "drop_part" else archive.writestr("xl/worksheets/sheet1.xml", payload)
        ),
        sheet,
        extra_parts,
    )
    if damage == "flip_zip":
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    elif damage == "truncate_zip":
        data = data[: draw(st.integers(0, len(data)))]
    return data


@st.composite
def csv_file(draw: st.DrawFn, kind: str) -> bytes:
    """A CSV of the kind: delimiter, quoting, BOM, encoding and line ends drawn."""
    _sheet, rows = draw(table(kind))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC, csv.QUOTE_NONE]))
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        quoting=quoting,
        escapechar="\\",
        lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])),
    )
    for values in rows:
        try:
            writer.writerow(["" if v is None else v for v in values])
        except csv.Error:
            buffer.write(delimiter.join(str(v) for v in values) + "\n")  # written by hand: unquoted
    text = buffer.getvalue()
    if draw(st.booleans()) and draw(st.booleans()):
        text = text.replace('"', "", 1)  # an unbalanced quote
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    return text.encode(encoding, "replace") if encoding != "utf-8" else text.encode("utf-8", "surrogatepass")


@st.composite
def upload(draw: st.DrawFn, kind: str) -> tuple[str, bytes]:
    """(filename, bytes) of the kind, XLSX or CSV."""
    if draw(st.booleans()):
        return f"{KINDS[kind][0]}.xlsx", draw(xlsx(kind))
    return f"{KINDS[kind][0]}.csv", draw(csv_file(kind))


def zip_names(data: bytes) -> list[str]:
    """The parts of a package, [] when it is not one (for reports)."""
    try:
        return zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError):
        return []
