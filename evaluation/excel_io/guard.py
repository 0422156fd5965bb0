"""An XLSX measured before any parser reads it: refused, with the limit named, when it is too big.

The native reader (python-calamine) allocates a whole sheet area at once; a tiny file whose one value
sits at XFD1048576 makes it abort the process, which no `except` catches. So `check_xlsx` reads only
the zip directory and streams each XML part with a byte budget, and the reader runs only when every
measure is within evaluation/excel_io/limits.py:

- the package: member count, the central directory's size, declared sizes of every part and together,
  the packing ratio; a part that unpacks to more than it declares fails its CRC here (zipfile stops at
  the declared size), duplicate names and encrypted parts are refused;
- every XML part (xml_scan.py): no DTD or entity declaration; the area its cells span (`<dimension>`,
  the highest `r=` of rows and cells, cells without `r=` counted on), merged ranges and the cells they
  cover, formulas and shared strings counted, the nesting depth.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import unescape

from evaluation.excel_io import limits as L
from evaluation.excel_io.cell_refs import range_bounds
from evaluation.excel_io.xml_scan import PartMeasure, Refused, measure_part, number, refuse
from evaluation.translatable import Message, Translatable

_SHEET_IN_BOOK = re.compile(rb'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"')
__all__ = ["UnreadableFile", "WorkbookMeasure", "check_xlsx", "directory_size", "number"]


class UnreadableFile(Translatable, ValueError):
    """The upload is not a workbook or CSV that can be read; nothing was changed."""


@dataclass
class WorkbookMeasure:
    """The package as measured; `parts` holds the XML parts, sheets or not."""

    members: int
    unpacked_bytes: int
    sheets: dict[str, str]  # sheet name -> part path
    parts: list[PartMeasure]


def check_xlsx(data: bytes, filename: str) -> WorkbookMeasure:
    """Measure an XLSX package without parsing its cells; raises UnreadableFile naming the limit passed.

    Returns the measures when everything is within evaluation/excel_io/limits.py. Time and memory are
    bounded by the part sizes checked first (a refusal of a hostile file takes milliseconds)."""
    try:
        return _check(data)
    except Refused as refused:
        raise UnreadableFile("pr.in_file", file=filename, problem=refused.message) from None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,  # damaged compressed data
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # an encrypted part
        EOFError,
        OSError,
        ValueError,
    ) as exc:
        raise UnreadableFile("pr.broken_xlsx", file=filename, detail=str(exc)) from None


def directory_size(data: bytes) -> tuple[int, int]:
    """(entries, bytes) of the zip's central directory, read from its end record before zipfile does."""
    tail_start = max(0, len(data) - 65_557)
    position = data.rfind(b"PK\x05\x06", tail_start)
    if position < 0 or position + 22 > len(data):
        raise Refused(Message("pr.zip_no_directory"))
    entries = int.from_bytes(data[position + 10 : position + 12], "little")
    size = int.from_bytes(data[position + 12 : position + 16], "little")
    zip64 = data.rfind(b"PK\x06\x06", tail_start, position)
    if zip64 >= 0 and zip64 + 56 <= len(data):
        entries = max(entries, int.from_bytes(data[zip64 + 32 : zip64 + 40], "little"))
        size = max(size, int.from_bytes(data[zip64 + 40 : zip64 + 48], "little"))
    return entries, size


def _check(data: bytes) -> WorkbookMeasure:
    limit = L.max_upload_bytes()
    if len(data) > limit:
        refuse(Message("pr.what_file_size"), L.size_message(len(data)), L.size_message(limit))
    entries, directory = directory_size(data)
    if entries > L.MAX_ZIP_MEMBERS or directory > L.MAX_ZIP_MEMBERS * 1_100:
        refuse(Message("pr.what_parts"), entries, L.MAX_ZIP_MEMBERS)
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    _cap(len(infos), L.MAX_ZIP_MEMBERS, Message("pr.what_parts"))
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise Refused(Message("pr.zip_part_twice"))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused(Message("pr.zip_encrypted"))
        total += info.file_size
        if info.file_size > L.MAX_PART_BYTES:
            refuse(
                Message("pr.what_part_unpacks", part=info.filename),
                L.size_message(info.file_size),
                L.size_message(L.MAX_PART_BYTES),
            )
        if info.file_size > L.RATIO_FLOOR_BYTES and info.file_size > L.MAX_RATIO * max(info.compress_size, 1):
            refuse(
                Message("pr.what_ratio", part=info.filename),
                f"{info.file_size // max(info.compress_size, 1)}:1",
                f"{L.MAX_RATIO}:1",
            )
    if total > L.MAX_UNPACKED_BYTES:
        refuse(
            Message("pr.what_package_unpacks"),
            L.size_message(total),
            L.size_message(L.MAX_UNPACKED_BYTES),
        )
    if "xl/workbook.xml" not in names:
        raise Refused(Message("pr.zip_no_workbook"))
    sheets = _sheet_parts(archive)
    _cap(len(sheets), L.MAX_SHEETS, Message("pr.what_sheets"))
    sheet_of = {path: name for name, path in sheets.items()}
    parts = []
    for info in infos:
        if info.is_dir() or info.file_size == 0:
            continue
        part = measure_part(archive, info)
        if part is not None:
            _within_limits(part, sheet_of.get(info.filename, info.filename))
            parts.append(part)
    return WorkbookMeasure(members=len(infos), unpacked_bytes=total, sheets=sheets, parts=parts)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML inside the package (from workbook.xml and its relationships)."""
    with archive.open("xl/workbook.xml") as stream:
        workbook = stream.read(L.MAX_PART_BYTES)
    try:
        with archive.open("xl/_rels/workbook.xml.rels") as stream:
            rels = stream.read(L.MAX_PART_BYTES)
    except KeyError:
        rels = b""
    targets: dict[str, str] = {}
    for tag in re.finditer(rb"<Relationship\b[^>]*>", rels):
        rid = re.search(rb'\bId="([^"]+)"', tag.group(0))
        target = re.search(rb'\bTarget="([^"]+)"', tag.group(0))
        if rid and target:
            targets[rid.group(1).decode(errors="replace")] = target.group(1).decode(errors="replace")
    paths: dict[str, str] = {}
    for match in _SHEET_IN_BOOK.finditer(workbook):
        path = targets.get(match.group(2).decode(errors="replace"), "").lstrip("/")
        name = unescape(match.group(1).decode(errors="replace"), {"&quot;": '"', "&apos;": "'"})
        paths[name] = path if path.startswith("xl/") else f"xl/{path}"
    return paths


def _cap(found: int, limit: int, what: Message, hint: Message | None = None, *, at: str = "") -> None:
    """Refuse (see xml_scan.refuse) when the count `found` is over `limit`."""
    if found > limit:
        refuse(what, found, limit, hint, at=at)


def _within_limits(part: PartMeasure, sheet: str) -> None:
    hint = Message("pr.hint_delete_empty")
    unmerge = Message("pr.hint_unmerge")
    _cap(part.rows, L.MAX_ROWS, Message("pr.what_reaches_row", sheet=sheet), hint, at=part.far_cell)
    _cap(part.columns, L.MAX_COLUMNS, Message("pr.what_reaches_column", sheet=sheet), hint, at=part.far_cell)
    _cap(part.rows * part.columns, L.MAX_CELLS, Message("pr.what_area", sheet=sheet), hint)
    bounds = range_bounds(part.dimension) if part.dimension else None
    if bounds is not None:
        rows, columns = bounds[2], bounds[3]
        if rows > L.MAX_ROWS or columns > L.MAX_COLUMNS or rows * columns > L.MAX_CELLS:
            refuse(
                Message("pr.what_dimension", sheet=sheet, dimension=part.dimension),
                rows * columns,
                L.MAX_CELLS,
                hint,
            )
    _cap(len(part.merged), L.MAX_MERGED_RANGES, Message("pr.what_sheet_merged_ranges", sheet=sheet))
    covered = 0
    for ref in part.merged:
        bounds = range_bounds(ref)
        if bounds is None:
            raise Refused(Message("pr.merged_not_a_range", ref=ref[:40], part=part.path))
        first_row, first_column, last_row, last_column = bounds
        _cap(last_row, L.MAX_ROWS, Message("pr.what_merged_reaches_row", sheet=sheet, ref=ref), unmerge)
        _cap(
            last_column,
            L.MAX_COLUMNS,
            Message("pr.what_merged_reaches_column", sheet=sheet, ref=ref),
            unmerge,
        )
        covered += (last_row - first_row + 1) * (last_column - first_column + 1)
    _cap(covered, L.MAX_MERGED_CELLS, Message("pr.what_merged_cells", sheet=sheet))
    _cap(part.shared_strings, L.MAX_SHARED_STRINGS, Message("pr.what_shared_strings"))
