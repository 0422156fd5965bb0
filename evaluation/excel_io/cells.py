"""Single cells: reading what people type (tolerant where a person would be), writing safely."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from evaluation.i18n import t
from evaluation.translatable import Message

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# NUL and the other C0/C1 controls, DEL, lone surrogates and the two noncharacters XML cannot hold;
# tab, line feed and carriage return are allowed where a text may run over several lines
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LEVEL = re.compile(r"^(?:level|tingkat|tk|l)?\s*([0-9]+(?:[.,][0-9]+)?)$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """A cell that cannot be taken as it is; rows are spreadsheet rows (the header is row 1). `message` is
    a catalogue key and its parameters (domain `problems`), put in the reader's language by `text(lang)`."""

    sheet: str
    row: int
    column: str
    message: Message

    def reason(self, lang: str = "id") -> str:
        """Why, in the reader's language (without the place)."""
        return self.message.render(lang)

    def place(self, lang: str = "id") -> str:
        """`Penilaian!F5`, or `Penilaian baris 5` / `Penilaian row 5` when no column is named."""
        if self.column:
            return f"{self.sheet}!{self.column}{self.row}"
        return t("pr.where_row", lang, sheet=self.sheet, row=self.row)

    def text(self, lang: str = "id") -> str:
        return f"{self.place(lang)}: {self.reason(lang)}"

    def __str__(self) -> str:
        return f"{self.text('id')} / {self.reason('en')}"


class Wording(Message):
    """A text that is data with its own two languages (a name from a framework file, an indicator code as
    a column header), used as a parameter of a problem so that it, too, shows in the reader's language."""

    def __init__(self, indonesian: str, english: str) -> None:
        super().__init__(indonesian, en=english)

    def render(self, lang: str) -> str:
        return str(self.params["en"]) if lang == "en" else self.key


def text_fault_message(text: str, max_length: int | None, *, multiline: bool = True) -> Message | None:
    """Why a text cannot be stored, or None when it can.

    Refused: NUL and other control characters (tab, line feed and carriage return only where
    `multiline`), lone surrogates, U+FFFE/U+FFFF, and more than `max_length` characters. This is the one
    rule for every entry point: table cells here, form and command-line fields through
    evaluation.services.text_rules."""
    if not text.isprintable():
        match = (_CONTROL if multiline else _CONTROL_ONE_LINE).search(text)
        if match is not None:
            return Message("pr.control_char", code=f"U+{ord(match.group()):04X}", at=match.start() + 1)
    if max_length is not None and len(text) > max_length:
        return Message("pr.too_long", found=len(text), limit=max_length)
    return None


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers.

    Text that already starts with apostrophes before such a character gets one more, so that
    `unneutralise` (which removes exactly one) gives back exactly what was written."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """Undo `neutralise` on import so that export then import changes nothing."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def is_blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
    )


def as_text(value: Any) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unneutralise(str(value).strip())


def as_number(value: Any) -> float | None:
    """`3`, `3.0`, `3,0`, ` 3 ` -> 3.0; blank -> None; anything else raises ValueError."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)  # true/false is not a number
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return float(text)


def as_level(value: Any) -> float | None:
    """A level as people write it: `3`, `3.0`, `Level 3`, `Tingkat 3`; blank -> None."""
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    match = _LEVEL.match(str(value).strip())
    if match is None:
        raise ValueError(str(value))
    return float(match.group(1).replace(",", "."))


def as_date(value: Any) -> date:
    """A date as a workbook stores it or as people type it: 2026-12-31, 31/12/2026, 31-12-2026."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)
