"""Password and user-name rules (NIST SP 800-63B as read by OWASP ASVS 4.0 level 2, V2.1).

A password has 12 to 128 characters, is not the user name and does not contain it, and zxcvbn (the
well-kept strength estimator, with its lists of common passwords, names, words, keyboard patterns and
dates) rates it at least 3 of 4 ("safely unguessable" to an online attacker). No composition rules.

User names are normalised (Unicode NFKC, case-folded, stripped) when created and when signing in, and
limited to ASCII letters, digits and `. _ -`: a fullwidth "ａｄｍｉｎ" becomes "admin" (and is refused as
taken), a Cyrillic look-alike is refused outright.
"""

from __future__ import annotations

import re
import unicodedata

from zxcvbn import zxcvbn

from evaluation.translatable import InvalidInput, Translatable

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn: 0 too guessable ... 4 very unguessable
ZXCVBN_LIMIT = 72  # the estimator refuses longer input; the first 72 characters are rated
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")


class PasswordRejected(Translatable, ValueError):
    """The password breaks a rule; the message says which."""


def normalise_username(username: str) -> str:
    """NFKC, case-folded and stripped: the form a user name is stored and looked up in."""
    return unicodedata.normalize("NFKC", username or "").casefold().strip()


def check_username(username: str) -> str:
    """The normalised user name, or ValueError when it has other than ASCII letters, digits, . _ -
    (2 to 80 characters, starting with a letter or digit)."""
    name = normalise_username(username)
    if not USERNAME_PATTERN.fullmatch(name):
        raise InvalidInput("ea.username_rule")
    return name


def check_password(password: str, *, username: str) -> None:
    """Raise PasswordRejected (a message id saying why) unless `password` may be used by
    `username`."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected("ea.password_too_short", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise PasswordRejected("ea.password_too_long", n=MAX_LENGTH)
    name = normalise_username(username)
    if name and name in normalise_username(password):
        raise PasswordRejected("ea.password_has_username")
    verdict = zxcvbn(password[:ZXCVBN_LIMIT], user_inputs=[name] if name else None)
    if verdict["score"] < MIN_SCORE:
        raise PasswordRejected("ea.password_guessable")
