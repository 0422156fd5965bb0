"""Every limit on an uploaded file, in one place (README: "Limits of uploads").

The guard (guard.py) checks a workbook against these before any parser reads it; the CSV reader checks
them while it reads; the score command and the framework loader use the byte limits. Sizes are bytes,
the rest are counts. The file's own size is a setting (`SPBE_WORKBOOK_MAX_MB`, evaluation/settings.py),
read at each call of `max_upload_bytes()`.
"""

from __future__ import annotations

from evaluation.settings import workbook_max_bytes
from evaluation.translatable import Message
from indicators.loader import MAX_FILE_BYTES
from indicators.yaml_limits import MAX_ALIASES, MAX_DEPTH, MAX_NODES


def max_upload_bytes() -> int:
    """The largest file as uploaded (XLSX: compressed), in bytes: `SPBE_WORKBOOK_MAX_MB` (default 50 MB)."""
    return workbook_max_bytes()


MAX_ZIP_MEMBERS = 500  # parts inside an XLSX package (a workbook from Excel has 10 to 40)
MAX_PART_BYTES = 100_000_000  # one part unpacked
MAX_UNPACKED_BYTES = 200_000_000  # all parts unpacked together
MAX_RATIO = 200  # unpacked / packed, for parts above RATIO_FLOOR_BYTES (ordinary sheets: 5 to 30)
RATIO_FLOOR_BYTES = 1_000_000
MAX_SHEETS = 50
MAX_ROWS = 200_000  # the national workbook: 30,644 rows
MAX_COLUMNS = 500  # column SF
MAX_CELLS = 3_000_000  # rows x columns of the area a sheet spans (what the reader allocates)
MAX_MERGED_RANGES = 10_000
MAX_MERGED_CELLS = 1_000_000  # the cells all merged ranges of a sheet cover together
MAX_SHARED_STRINGS = 1_000_000
MAX_XML_DEPTH = 64  # ordinary parts nest 5 to 10 deep
MAX_CSV_FIELD_CHARS = 131_072  # Python's csv default; an XLSX cell holds at most 32,767
MAX_FREE_TEXT_CHARS = 10_000  # a free text (justification, notes) without a shorter column behind it
# framework files: indicators/ imports nothing from evaluation, so their limits live there
MAX_FRAMEWORK_BYTES = MAX_FILE_BYTES
MAX_YAML_ALIASES, MAX_YAML_DEPTH, MAX_YAML_NODES = MAX_ALIASES, MAX_DEPTH, MAX_NODES


def megabytes(size: int) -> str:
    """`50_000_000` -> `50 MB` (decimal megabytes, as the limits are written)."""
    return f"{size / 1_000_000:g} MB"


def size_message(size: int) -> Message:
    """A size in decimal megabytes for a problem text: 50 MB, 52,43 MB (id) / 52.43 MB (en)."""
    return Message("pr.megabytes", size=round(size / 1_000_000, 2))
