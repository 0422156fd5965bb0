"""Where a spreadsheet row came from: a per-row origin token, written into a hidden, locked last column of
every template and export that can be imported again, and the three-way rule the importers apply with it.

The token holds, for each editable column, a short hash of the value as it was exported, taken in the
canonical form the importer parses cells to (3 written as 3 and read back as 3.0 hash the same; text is
stripped and its line ends unified; blank, empty text and NaN are all "no value"). On import each cell is
compared three ways - the file's value, the value the row was made from, the database's value now:

| file vs origin | database vs origin | decision                                                  |
|----------------|--------------------|-----------------------------------------------------------|
| file = database (either way)        | ``same``: nothing to do                                      |
| unchanged      | anything           | ``keep``: the database's value stays, whatever happened   |
| changed        | unchanged          | ``take_file``: the file's value is written                |
| changed        | changed            | ``conflict``: the user chooses; never silent              |

A file without the column (hand-made) has no origin: the rule falls back to two ways (the file wins where
it differs), and the importer says that conflicts cannot be detected.

Token format (version 1), ``;``-separated: ``P1``, then ``key=hash`` per column (hash: 8 characters of
URL-safe base64 of a 6-byte BLAKE2b digest), then an 8-character checksum over the row's identity and the
rest, so a damaged token, a token from another program or one copied onto another row is refused (``parse``
returns None: a located problem, never a crash). The hashes are for change detection, not secrecy or
signatures: anyone may edit a file, and the database checks permissions on import as always.

Pure: no database, no Streamlit.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from evaluation.excel_io.cells import Problem
from evaluation.excel_io.table import Column
from evaluation.translatable import Message

VERSION = "P1"
ORIGIN_KEY = "_origin"
ORIGIN_COLUMN = Column(
    ORIGIN_KEY,
    "sh._origin",
    width=14,
    note="sh._origin_note",
)
ORIGIN_HEADERS = (ORIGIN_COLUMN.header("id"), ORIGIN_COLUMN.header("en"))  # both are accepted on import
_HASH_CHARS = 8
_NONE = "\x00none"

Decision = Literal["keep", "take_file", "conflict", "same"]


@dataclass(frozen=True)
class Origin:
    """A parsed token: per column key, the hash of the value the row was exported with."""

    version: str
    hashes: Mapping[str, str]


def canonical(value: Any) -> str:
    """The form a cell's value is compared in: the same for what was exported and what the importer reads.

    None, blank or whitespace-only text and NaN -> one "no value" marker; numbers (int, float, Decimal,
    numeric bool excluded) -> the shortest decimal form, integers without ``.0``; text -> stripped, CRLF/CR
    -> LF; dates -> ISO 8601; booleans -> ``true``/``false``; anything else -> ``str(value)`` stripped."""
    if type(value) is str and "\r" not in value:  # the common case first
        text = value.strip()
        return text if text else _NONE
    if value is None:
        return _NONE
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        number = float(value)
        if math.isnan(number):
            return _NONE
        if number.is_integer() and abs(number) < 2**53:
            return str(int(number))
        return repr(number)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text if text else _NONE


def digest(value: Any) -> str:
    """The 8-character hash of a value's canonical form (see `canonical`)."""
    return _text_digest(canonical(value))


def _text_digest(text: str) -> str:
    return _short_digest(text) if len(text) <= 40 else _digest(text)


def _digest(text: str) -> str:
    raw = hashlib.blake2b(text.encode("utf-8"), digest_size=6).digest()
    return base64.urlsafe_b64encode(raw).decode("ascii")


_short_digest = lru_cache(maxsize=4096)(_digest)  # levels, blanks, short notes: a national file repeats them


def identity_of(*parts: Any) -> str:
    """A row's identity for `stamp`/`parse` from its key values (e.g. agency code, year, indicator), in
    canonical form, so the exported and the parsed key give the same text."""
    return "|".join(map(canonical, parts))


def _checksum(identity: str, body: str) -> str:
    raw = hashlib.blake2b(f"{identity}\x1f{body}".encode(), digest_size=6).digest()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def stamp(values: Mapping[str, Any], *, identity: str = "") -> str:
    """The origin token of a row whose editable columns hold `values` (column key -> value as exported).

    `identity` (optional) ties the token to the row's key (e.g. ``"KOTA-001|2026|I03"``): `parse` with a
    different identity refuses it, so a token copied to another row is caught. Keys must not contain
    ``;`` or ``=`` (ValueError)."""
    parts = [VERSION]
    for key, value in values.items():
        if ";" in key or "=" in key or not key:
            raise ValueError(key)  # a column key that cannot be stamped (a programming error)
        parts.append(f"{key}={digest(value)}")
    body = ";".join(parts)
    return f"{body};{_checksum(identity, body)}"


def parse(token: Any, *, identity: str = "") -> Origin | None:
    """The origin a token stands for; None when it is damaged, foreign, of an unknown version or made for
    another row (its identity differs). A blank cell is also None: check `is_blank_token` to tell a row
    without origin from a broken one."""
    if not isinstance(token, str):
        return None
    text = token.strip()
    body, _, check = text.rpartition(";")
    if not body or len(check) != _HASH_CHARS or _checksum(identity, body) != check:
        return None
    version, *cells = body.split(";")
    if version != VERSION:
        return None
    hashes: dict[str, str] = {}
    for cell in cells:
        key, sep, value = cell.partition("=")
        if not sep or not key or len(value) != _HASH_CHARS or key in hashes:
            return None
        hashes[key] = value
    return Origin(version, hashes)


def is_blank_token(token: Any) -> bool:
    """True for an empty origin cell (a row added by hand): such a row is imported two ways."""
    return token is None or (isinstance(token, str) and not token.strip()) or token != token


def three_way(origin: Origin | None, key: str, file_value: Any, db_value: Any) -> Decision:
    """The decision for one cell (see the module's table). Without an origin: ``same`` or ``take_file``."""
    file_text, db_text = canonical(file_value), canonical(db_value)  # each value made canonical once
    if file_text == db_text:
        return "same"
    made = origin.hashes.get(key) if origin is not None else None
    if made is None:  # no origin, or one that does not cover the column
        return "take_file"
    if made == _text_digest(file_text):  # the file did not change it
        return "keep"
    if made == _text_digest(db_text):  # the database did not move since the file was made
        return "take_file"
    return "conflict"


def broken(sheet: str, row: int, column: str) -> Problem:
    """The located problem of a non-blank origin cell that `parse` refused."""
    return Problem(
        sheet,
        row,
        column,
        Message("pr.origin_broken"),
    )
