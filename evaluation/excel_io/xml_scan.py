"""Streamed measures of one XML part of an XLSX package, for guard.py; limits in limits.py.

Parts of up to SMALL_PART_BYTES, and any part not written the way spreadsheet programs write it, go
through expat (names resolved through namespaces, DTDs refused, nesting depth measured); larger parts in
the ordinary form are scanned with regular expressions, 5 to 10 times faster, and any sign of another
form sends the part through expat after all.
"""

from __future__ import annotations

import pyexpat
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NoReturn

from evaluation.excel_io import limits as L
from evaluation.excel_io.cell_refs import cell_position, column_letters
from evaluation.translatable import Message

SMALL_PART_BYTES = 2_000_000
_CHUNK = 1 << 19  # 512 KiB: the scan passes over each chunk several times, and this size stays in cache
# every row tag in one pass: its number when written strictly (`<row r="12"`), b"" when written otherwise
_ROW = re.compile(rb'<row(?: r="([0-9]{1,7})"|[\s/>])')
_CELL_LETTERS = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"')
_CELL_DIGITS = [re.compile(rb'<c r="[A-Z]{1,3}([0-9]{%d,7})"' % n) for n in range(8)]
_OTHER_C = re.compile(rb"<c[^\s/>]")  # <col>, <cfRule>...: every other `<c` is a cell
_MERGE_LOOSE = re.compile(rb"<mergeCell[\s/>]")
_PREFIXED_HINT = re.compile(rb":(?:c|row|sheetData|mergeCell|mergeCells|dimension|f|si)[\s/>]")
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.\-]*:(?:c|row|sheetData|mergeCell|mergeCells|dimension|f|si)[\s/>]")
_CELL_FORMULA = re.compile(rb"<f[\s/>]")  # a cell formula (not <formula1> of a validation)
# in one pass: `<f` and `<si` (counted) and the tags that are once or never in a sheet (`<!`, `<dimension`,
# `<mergeCell`: their chunk is looked at again)
_TAGS = re.compile(rb"<(f|si|!|dimension|mergeCell)")
_RARE = frozenset((b"!", b"dimension", b"mergeCell"))
_DIMENSION = re.compile(rb'<dimension ref="([^"]*)"')
_MERGE = re.compile(rb'<mergeCell ref="([^"]*)"')


class Refused(Exception):
    """A package or part over a limit; `message` says which (domain `problems`)."""

    def __init__(self, message: Message):
        super().__init__(message.key)
        self.message = message


@dataclass
class PartMeasure:
    """What one XML part of the package holds; rows and columns are 1-based, 0 when it has no cells."""

    path: str
    rows: int = 0
    columns: int = 0
    far_cell: str = ""  # the reference that set `rows` or `columns` last
    cells: int = 0
    dimension: str = ""
    merged: list[str] = field(default_factory=list)
    formulas: int = 0
    shared_strings: int = 0
    depth: int = 0
    scanned_with: str = "expat"  # or "regex"
    cell_formulas: bool = True  # may hold cell formulas (`<f>`); the regex scan says False when it holds none


def number(value: int, lang: str = "en") -> str:
    """`1048576` -> `1,048,576` (English) or `1.048.576` (Indonesian)."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "id" else text


def refuse(
    what: Message,
    found: int | str | Message,
    limit: int | str | Message,
    hint: Message | None = None,
    *,
    at: str = "",
) -> NoReturn:
    """Raise the refusal: `<what> <found>[ (cell <at>)], over the limit of <limit>[. <hint>]`; numbers are
    written in the reader's locale when the message is shown."""
    if at:
        message = Message("pr.over_limit_at", what=what, found=found, cell=at, limit=limit)
    else:
        message = Message("pr.over_limit", what=what, found=found, limit=limit)
    raise Refused(Message("pr.with_hint", text=message, hint=hint) if hint is not None else message)


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part unpacked in pieces of _CHUNK bytes, never more than it declares (zipfile checks the CRC)."""
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk


def measure_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> PartMeasure | None:
    with archive.open(info) as stream:
        head = stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return None  # an image or other binary part: no parser of ours or the reader's reads it
    if info.file_size > SMALL_PART_BYTES:
        measure = _regex_scan(archive, info)
        if measure is not None:
            return measure
    return _expat_scan(archive, info)


def _top(found: Iterable[bytes], top: bytes) -> bytes:
    """The greatest of `found` and `top` in (length, text) order: for row digits and column letters."""
    return max((top, *set(found)), key=lambda text: (len(text), text))


def _up_to(top: bytes, first: int, last: int) -> bytes:
    """A pattern for the strings of the characters `first`..`last` that do not come after `top` in
    (length, text) order: shorter ones, or as long and not greater."""
    span = b"[%c-%c]" % (first, last)
    options = []  # as long as `top` first (most cells), then the shorter ones
    for place, char in enumerate(top):
        if char > first:
            rest = span + b"{%d}" % (len(top) - place - 1)
            options.append(re.escape(top[:place]) + b"[%c-%c]" % (first, char - 1) + rest)
    options.append(re.escape(top))
    if len(top) > 1:  # possessive: what follows (digits after letters, a quote after digits) is never
        options.append(span + b"{1,%d}+" % (len(top) - 1))  # of this class, so giving back never helps
    return b"|".join(options)


@lru_cache(maxsize=64)
def _unusual_cell(letters: bytes, digits: bytes) -> re.Pattern[bytes]:
    """A cell tag not written `<c r="A1"` (letters, digits, quote), or reaching past the column `letters`
    or the row `digits` seen so far. Where it finds nothing, the chunk's cells change no measure but
    their count (`<c r="`): the scan skips collecting every cell's position there."""
    usual = rb' r="(?:%s)(?:%s)"' % (_up_to(letters, ord("A"), ord("Z")), _up_to(digits, ord("0"), ord("9")))
    return re.compile(rb"<c(?=[\s/>])(?!%s)" % usual)


def _regex_scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> PartMeasure | None:
    """The ordinary form, measured fast; None when the part is written some other way (expat then).

    Ordinary: unprefixed element names, `r` the first attribute of every row and cell, written
    `r="XFD1048576"`. Counting every `<c` and `<row` tag and comparing with the strict matches proves it.
    Once a chunk has set the furthest column and row, a chunk in which one search finds no cell tag that
    is written otherwise or reaches further is counted without collecting its cells' positions."""
    part = PartMeasure(info.filename, scanned_with="regex", cell_formulas=False)
    loose_rows = strict_rows = loose_cells = 0
    letters = digits = b""  # the furthest column and row so far, in (length, text) order
    carry = b""
    for chunk in (*_chunks(archive, info), None):  # None: the end, the last tag's piece is measured too
        buffer = carry + (chunk or b"")
        cut = buffer.rfind(b"<")
        if chunk is None or cut <= 0 or len(buffer) - cut > _CHUNK:
            cut = len(buffer)
        text, carry = buffer[:cut], buffer[cut:]
        if not text:
            continue
        named = _TAGS.findall(text)
        rare = bool(_RARE.intersection(named)) if named else False
        if (_PREFIXED_HINT.search(text) and _PREFIXED.search(text)) or (
            rare and b"<!" in text and (b"<!DOCTYPE" in text or b"<!ENTITY" in text)
        ):
            return None
        found = _ROW.findall(text)  # rows first: a cell with fewer row digits than one seen is no maximum
        if found:
            loose_rows += len(found)
            found = [number for number in found if number]
            strict_rows += len(found)
            digits = _top(found, digits)
        cells = text.count(b'<c r="')
        tags = cells or text.count(b"<c")
        if tags:
            ordinary = cells and letters and digits and not text.endswith(b"<c")
            if ordinary and not _unusual_cell(letters, digits).search(text):
                loose_cells += cells  # every cell tag is in the strict form
                part.cells += cells
            else:
                loose_cells += text.count(b"<c") - len(_OTHER_C.findall(text))
                found = _CELL_LETTERS.findall(text)
                part.cells += len(found)
                letters = _top(found, letters)
                digits = _top(_CELL_DIGITS[min(max(len(digits), 1), 7)].findall(text), digits)
        for name in named:
            if name in _RARE:
                continue
            if name == b"si":
                part.shared_strings += 1  # no other element name starts so
            elif tags:
                part.formulas += 1  # `<f>` mostly; a few other names: a count for the report
                if not part.cell_formulas:
                    part.cell_formulas = _CELL_FORMULA.search(text) is not None
        if not rare:
            continue
        if b"<dimension" in text:
            dimension = _DIMENSION.search(text)
            part.dimension = dimension.group(1).decode(errors="replace") if dimension else "?"
        if b"<mergeCell" in text:
            merged = [m.decode(errors="replace") for m in _MERGE.findall(text)]
            if len(merged) != len(_MERGE_LOOSE.findall(text)):
                return None
            part.merged.extend(merged)
            if len(part.merged) > L.MAX_MERGED_RANGES:
                break
    if loose_rows != strict_rows or loose_cells != part.cells or part.dimension == "?":
        return None
    if digits:
        part.rows = int(digits)
    if letters:
        part.columns = cell_position(f"{letters.decode()}1")[1]  # type: ignore[index]
    part.far_cell = f"{column_letters(part.columns)}{part.rows}" if part.cells else ""
    return part


def _expat_scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> PartMeasure:
    """Any form: names resolved through their namespaces, positions counted as the reader counts them."""
    part = PartMeasure(info.filename)
    parser = pyexpat.ParserCreate(namespace_separator=" ")
    state = {"depth": 0, "row": 0, "column": 0}

    def forbidden(*_args: object) -> None:
        raise Refused(Message("pr.dtd", part=info.filename))

    def start(name: str, attributes: dict[str, str]) -> None:
        state["depth"] += 1
        if state["depth"] > part.depth:
            part.depth = state["depth"]
            if part.depth > L.MAX_XML_DEPTH:
                refuse(Message("pr.what_depth", part=info.filename), part.depth, L.MAX_XML_DEPTH)
        local = name.rpartition(" ")[2]
        if local == "row":
            position = attributes.get("r", "")
            state["row"] = int(position) if position.isdigit() else state["row"] + 1
            state["column"] = 0
            reach(part, state["row"], 1, f"A{state['row']}")
        elif local == "c":
            part.cells += 1
            found = cell_position(attributes.get("r", ""))
            row, column = found if found else (max(state["row"], 1), state["column"] + 1)
            state["column"] = column
            reach(part, row, column, attributes.get("r") or f"{column_letters(column)}{row}")
        elif local == "dimension":
            part.dimension = attributes.get("ref", "")
        elif local == "mergeCell":
            part.merged.append(attributes.get("ref", ""))
            if len(part.merged) > L.MAX_MERGED_RANGES:
                refuse(Message("pr.what_merged_ranges"), len(part.merged), L.MAX_MERGED_RANGES)
        elif local == "f":
            part.formulas += 1
        elif local == "si":
            part.shared_strings += 1

    def end(_name: str) -> None:
        state["depth"] -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = forbidden
    parser.EntityDeclHandler = forbidden
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        for chunk in _chunks(archive, info):
            parser.Parse(chunk, False)
            if part.rows > L.MAX_ROWS or part.columns > L.MAX_COLUMNS:
                break  # refused below; no need to read further
        else:
            parser.Parse(b"", True)
    except pyexpat.ExpatError as exc:
        raise Refused(Message("pr.xml_not_well_formed", part=info.filename, detail=str(exc))) from None
    return part


def reach(part: PartMeasure, row: int, column: int, ref: str) -> None:
    if row > part.rows or column > part.columns:
        part.far_cell = ref
    part.rows = max(part.rows, row)
    part.columns = max(part.columns, column)
