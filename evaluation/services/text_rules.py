"""The one rule for text typed into a form or passed to a command, before it reaches the database.

NUL and other control characters (tab and line breaks only where a text may run over several lines),
lone surrogates and U+FFFE/U+FFFF are refused, and so is a text longer than its column allows. The rule
itself is `evaluation.excel_io.cells.text_fault_message`, which the importers' table parser applies to every
cell; services call `check_text` inside their own validation, so the same input is refused the same way
on SQLite and on PostgreSQL (which would otherwise fail on a NUL with a database error).
"""

from __future__ import annotations

from evaluation.excel_io.cells import text_fault_message
from evaluation.excel_io.lengths import model_length
from evaluation.excel_io.limits import MAX_FREE_TEXT_CHARS
from evaluation.models import Activity, Agency, Evidence, User
from evaluation.translatable import InvalidInput, Message, Translatable

__all__ = ["LENGTHS", "check_text", "text_fault_message", "text_problem"]

LENGTHS: dict[str, int] = {
    "agency.name": model_length(Agency, "name") or 0,
    "user.full_name": model_length(User, "full_name") or 0,
    "evidence.filename": model_length(Evidence, "filename") or 0,
    "evidence.url": model_length(Evidence, "url") or 0,
    "activity.title": model_length(Activity, "title") or 0,
    "activity.owner": model_length(Activity, "owner") or 0,
    "free_text": MAX_FREE_TEXT_CHARS,
}


def text_problem(
    value: str | None,
    label: Message,
    *,
    max_length: int,
    multiline: bool = False,
) -> Message | None:
    """Message("ew.text_refused", label=..., why=...) ("<label>: <why>.") when `value` may not be stored,
    else None (None passes). `label` names the field (a Message)."""
    if value is None:
        return None
    fault = text_fault_message(value, max_length, multiline=multiline)
    if fault is None:
        return None
    return Message("ew.text_refused", label=label, why=fault)


def check_text(
    value: str | None,
    label: Message,
    *,
    max_length: int,
    multiline: bool = False,
    error: type[Translatable] = InvalidInput,
) -> None:
    """Raise `error` (a Translatable; InvalidInput, a ValueError, by default) with the located reason when
    `value` may not be stored (see `text_problem`)."""
    problem = text_problem(value, label, max_length=max_length, multiline=multiline)
    if problem is not None:
        raise error(problem)
