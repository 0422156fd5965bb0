"""Errors and problems that carry a message id and parameters, never a ready sentence (issue 15). Pages,
the CLI, Excel problem lists and PDFs put them in the reader's language with `message(lang)`.

    raise WorkflowError("rv.err_not_in_review")
    raise PermissionDenied("perm.err_role", role=actor.role, needed=Message("perm.roles_reviewer"))

Parameters are rendered in the reader's locale when the text is made: a `Message` is translated, a date
is written as a date (22 November 2026), a number as a number (3,28 / 3.28; whole numbers without
decimals, grouped: 10.680 / 10,680), a list or tuple joined with ", ". Everything else is `str()`.
`str(exc)` gives "Indonesian / English" for logs and tests, never for a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from evaluation.i18n import fmt_date, fmt_number, known, plural, t, tn


@dataclass(frozen=True)
class Message:
    """A catalogue key and its parameters, translated when shown."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, /, **params: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", params)

    def render(self, lang: str) -> str:
        """The text in `lang` ("id" or "en"); a plural entry takes the form for the count `n`. Raises
        KeyError for a key no catalogue has."""
        if plural(self.key, lang) and "n" in self.params:
            rest = {name: render_value(value, lang) for name, value in self.params.items() if name != "n"}
            return tn(self.key, int(self.params["n"]), lang, **rest)
        return t(self.key, lang, **{name: render_value(value, lang) for name, value in self.params.items()})


def render_value(value: Any, lang: str) -> str:
    """One parameter in the reader's locale (see the module docstring)."""
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, datetime | date):
        return fmt_date(value, lang)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return fmt_number(value, lang, places=0)
    if isinstance(value, float | Decimal):
        number = float(value)
        return fmt_number(number, lang, places=0 if number.is_integer() else 2)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(render_value(v, lang) for v in value)
    return str(value)


class Translatable(Exception):
    """Mixin for the app's exceptions: built from a message id and parameters (or a Message)."""

    def __init__(self, key: str | Message = "", /, **params: Any) -> None:
        self.text = key if isinstance(key, Message) else Message(key, **params)
        super().__init__(self.text.key)

    @property
    def key(self) -> str:
        return self.text.key

    def message(self, lang: str) -> str:
        """The error in the reader's language. Raises KeyError when its key is in no catalogue."""
        return self.text.render(lang)

    def __str__(self) -> str:
        if not known(self.text.key, "id"):
            return self.text.key
        return f"{self.message('id')} / {self.message('en')}"


class NotFound(Translatable, LookupError):
    """A record named by the caller (user, period, target, framework...) does not exist."""


class InvalidInput(Translatable, ValueError):
    """A value given by the caller is refused (out of range, unknown choice, duplicate...)."""


class SetupError(Translatable, RuntimeError):
    """The database or the environment is not in the state an operation needs (a migration that left
    broken references, demo data loaded into a database that already holds some...)."""


def message_of(exc: BaseException, lang: str) -> str:
    """Any exception's text for a reader: a Translatable's message in `lang`, else `str(exc)` (an error of a
    library or of the framework files, which speak for themselves)."""
    if isinstance(exc, Translatable):
        return exc.message(lang)
    return str(exc)
