"""A1-style cell references and column letters: `XFD1048576` <-> (row, column), ranges, letters."""

from __future__ import annotations

import re

_REF = re.compile(r"^\$?([A-Za-z]{1,10})\$?([0-9]{1,12})$")


def cell_position(ref: str) -> tuple[int, int] | None:
    """`XFD1048576` -> (1048576, 16384): row and column, 1-based; None for anything else."""
    match = _REF.match(ref.strip())
    if match is None:
        return None
    column = 0
    for char in match.group(1).upper():
        column = column * 26 + (ord(char) - 64)
    return int(match.group(2)), column


def range_bounds(ref: str) -> tuple[int, int, int, int] | None:
    """`A2:A100000000` -> (2, 1, 100000000, 1): first row, first column, last row, last column."""
    first, _, last = ref.partition(":")
    start, end = cell_position(first), cell_position(last or first)
    if start is None or end is None:
        return None
    return min(start[0], end[0]), min(start[1], end[1]), max(start[0], end[0]), max(start[1], end[1])


def column_letters(column: int) -> str:
    """The letters of a 1-based column number (1 -> "A", 27 -> "AA"); "" for 0."""
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text
