"""The one rule for text typed into a form or passed to a command, before it reaches the database.

NUL and other control characters (tab and line breaks only where a text may run over several lines),
lone surrogates and U+FFFE/U+FFFF are refused, and so is a text longer than its column allows. The rule
itself is `evaluation.excel_io.cells.text_fault`, which the importers' table parser applies to every
cell; services call `check_text` inside their own validation, so the same input is refused the same way
on SQLite and on PostgreSQL (which would otherwise fail on a NUL with a database error).
"""

from __future__ import annotations

from evaluation.excel_io.cells import text_fault, text_fault_message
from evaluation.excel_io.lengths import model_length
from evaluation.excel_io.limits import MAX_FREE_TEXT_CHARS
from evaluation.models import Activity, Agency, Evidence, User
from evaluation.translatable import InvalidInput, Message, Translatable

__all__ = ["LENGTHS", "Pair", "check_text", "reason_message", "text_fault", "text_problem"]

LENGTHS: dict[str, int] = {
    "agency.name": model_length(Agency, "name") or 0,
    "user.full_name": model_length(User, "full_name") or 0,
    "evidence.filename": model_length(Evidence, "filename") or 0,
    "evidence.url": model_length(Evidence, "url") or 0,
    "activity.title": model_length(Activity, "title") or 0,
    "activity.owner": model_length(Activity, "owner") or 0,
    "free_text": MAX_FREE_TEXT_CHARS,
}


class Pair(Message):
    """A text already written in both languages, as a parameter of a Message: what
    `evidence_checks.check_evidence` still returns as an (Indonesian, English) pair, and the label of a
    caller that still passes `label_id`/`label_en` (issue 15: these go once those return Messages)."""

    pair: tuple[str, str]

    def __init__(self, indonesian: str, english: str) -> None:
        super().__init__("")
        object.__setattr__(self, "pair", (indonesian, english))

    def render(self, lang: str) -> str:
        return self.pair[1] if lang == "en" else self.pair[0]


def reason_message(reason: Message | tuple[str, str]) -> Message:
    """A refusal reason as a Message, whether its module already returns one or still an (id, en) pair."""
    return reason if isinstance(reason, Message) else Pair(*reason)


def _label(label: Message | None, label_id: str | None, label_en: str | None) -> Message:
    if label is not None:
        return label
    assert label_id is not None and label_en is not None, "a label: `label`, or `label_id` and `label_en`"
    return Pair(label_id, label_en)


def text_problem(
    value: str | None,
    label: Message | None = None,
    *,
    label_id: str | None = None,
    label_en: str | None = None,
    max_length: int,
    multiline: bool = False,
) -> Message | None:
    """Message("ew.text_refused", label=..., why=...) ("<label>: <why>.") when `value` may not be stored,
    else None (None passes). `label` names the field (a Message); `label_id`/`label_en` are the older
    spelling of the same."""
    if value is None:
        return None
    fault = text_fault_message(value, max_length, multiline=multiline)
    if fault is None:
        return None
    return Message("ew.text_refused", label=_label(label, label_id, label_en), why=fault)


def check_text(
    value: str | None,
    label: Message | None = None,
    *,
    label_id: str | None = None,
    label_en: str | None = None,
    max_length: int,
    multiline: bool = False,
    error: type[Translatable] = InvalidInput,
) -> None:
    """Raise `error` (a Translatable; InvalidInput, a ValueError, by default) with the located reason when
    `value` may not be stored (see `text_problem`)."""
    problem = text_problem(
        value, label, label_id=label_id, label_en=label_en, max_length=max_length, multiline=multiline
    )
    if problem is not None:
        raise error(problem)
