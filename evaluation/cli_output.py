"""What the command line prints, in one language (issue 15).

`python -m evaluation --lang en COMMAND ...` (or `COMMAND ... --lang en`, or `SPBE_LANG=en`) chooses the
language; the default is Indonesian. Every line a command prints is a catalogue entry
(locale/*/LC_MESSAGES/cli.po, keys `cli.*`) rendered by `say`/`warn`, so its numbers and dates are written
in that language's locale (10.680 / 10,680; 22 November 2026); errors are the exceptions' own messages
through `message_of`. Identifiers (ids, years, codes) are passed as text so that they are not grouped.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from evaluation.i18n import LANGUAGES
from evaluation.settings import cli_language
from evaluation.translatable import Message, message_of

if TYPE_CHECKING:
    from sqlmodel import Session

    from evaluation.services.actors import Actor

LANG_HELP = "the language of the messages (default: SPBE_LANG, else id)"


def language_of(argv: Sequence[str] | None) -> str:
    """The language asked for by a `--lang` anywhere in `argv` (else `SPBE_LANG`, else "id"). Exits with
    status 2 and argparse's message for a language other than id or en, as the full parser would."""
    probe = argparse.ArgumentParser(add_help=False, prog="python -m evaluation")
    probe.add_argument("--lang", choices=sorted(LANGUAGES), default=None)
    found, _rest = probe.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    return str(found.lang or cli_language())


def accept_lang_everywhere(parser: argparse.ArgumentParser, lang: str) -> None:
    """Give `parser` a `--lang` option defaulting to `lang`, and every (nested) subcommand one too that
    leaves the value alone when not given, so that `--lang` may stand before or after the command."""
    if "--lang" not in parser._option_string_actions:
        parser.add_argument("--lang", choices=sorted(LANGUAGES), default=lang, help=LANG_HELP)
    _add_to_subcommands(parser)


def _add_to_subcommands(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for child in action.choices.values():
            if "--lang" in child._option_string_actions:
                child._option_string_actions["--lang"].default = argparse.SUPPRESS
            else:
                child.add_argument(
                    "--lang", choices=sorted(LANGUAGES), default=argparse.SUPPRESS, help=LANG_HELP
                )
            _add_to_subcommands(child)


def text(lang: str, key: str, /, **params: Any) -> str:
    """The catalogue text `key` in `lang`, numbers, dates and nested messages in that locale."""
    return Message(key, **params).render(lang)


def say(lang: str, key: str, /, **params: Any) -> None:
    """Print `text(lang, key, **params)` on standard output."""
    print(text(lang, key, **params))


def warn(lang: str, key: str, /, **params: Any) -> None:
    """Print `text(lang, key, **params)` on standard error."""
    print(text(lang, key, **params), file=sys.stderr)


def fail(lang: str, exc: BaseException) -> None:
    """Print an exception's message in `lang` on standard error."""
    print(message_of(exc, lang), file=sys.stderr)


def say_plan(lang: str, key: str, file: str, plan: Any) -> None:
    """A file's plan in brief: `key` with the file's name and the plan's counts (insert, update, unchanged,
    problems) on standard output."""
    counts = plan.counts
    say(
        lang,
        key,
        file=file,
        insert=counts["insert"],
        update=counts["update"],
        unchanged=counts["unchanged"],
        problems=len(plan.problems),
    )


def print_problems(lang: str, problems: Sequence[Any]) -> None:
    """Each problem of a file (row, column, why) in `lang`, indented, on standard error."""
    for problem in problems:
        print(f"  {problem.text(lang)}", file=sys.stderr)


# exit codes of the commands that act as a user: done; the file has problems (nothing applied); the
# request cannot be served; permission denied
OK, PROBLEMS, REFUSED, DENIED = 0, 1, 2, 3


def command(sub: argparse._SubParsersAction, name: str, summary: str, exits: str) -> argparse.ArgumentParser:
    """Register the subcommand `name` on the main parser's subcommands and return its parser: `summary` is
    its help line, `exits` what its exit codes mean (shown after its options as "exit codes: ...")."""
    return sub.add_parser(name, help=summary, epilog=f"exit codes: {exits}")


def acting_user(parser: argparse.ArgumentParser, who: str = "") -> None:
    """Add the required `--as USER` option (args.as_user) of a command run as a named user (`run_as`);
    `who` says which users may, e.g. " (admin)"."""
    parser.add_argument("--as", dest="as_user", required=True, help=f"the user whose permissions apply{who}")


def run_as(args: argparse.Namespace, action: Callable[[Session, Actor], Message | int]) -> int:
    """Run `action(session, actor)` in one write transaction as the user `--as` names (args.as_user),
    answering in args.lang: a Message it returns is printed (exit OK), a number is the exit code as is.
    A refusal is said on standard error with its exit code:
    PermissionDenied DENIED, ImportRefused PROBLEMS, any other ValueError or LookupError REFUSED."""
    from evaluation.bootstrap import ensure_schema
    from evaluation.db import make_engine, write_session
    from evaluation.services.actors import PermissionDenied

    engine = make_engine()
    ensure_schema(engine)
    try:
        with write_session(engine) as session:
            actor = acting(session, args.lang, args.as_user)
            if actor is None:
                return REFUSED
            outcome = action(session, actor)
    except (PermissionDenied, ValueError, LookupError) as exc:  # ImportRefused is a ValueError
        return refusal(args.lang, exc)
    if isinstance(outcome, int):
        return outcome
    print(outcome.render(args.lang))
    return OK


def refusal(lang: str, exc: Exception) -> int:
    """Say why a request was refused (the exception's message in `lang`, on standard error) and give the
    exit code: PermissionDenied DENIED, ImportRefused PROBLEMS, anything else REFUSED."""
    from evaluation.services.actors import PermissionDenied
    from evaluation.services.bulk.plan import ImportRefused

    fail(lang, exc)
    if isinstance(exc, PermissionDenied):
        return DENIED
    return PROBLEMS if isinstance(exc, ImportRefused) else REFUSED


def acting(session: Session, lang: str, username: str) -> Actor | None:
    """The Actor a command runs as: the active user `username` (--as-user). None, after saying on standard
    error that no active user has that name (`cli.no_active_user`), when there is none; the command then
    ends with status 2."""
    from evaluation.services.auth import actor_of
    from evaluation.services.users import active_user

    user = active_user(session, username)
    if user is None:
        warn(lang, "cli.no_active_user", user=username)
        return None
    return actor_of(user)


def positive(lang: str) -> Callable[[str], int]:
    """An argparse type: a whole number of 1 or more (refused in `lang`)."""

    def check(value: str) -> int:
        number = int(value)
        if number < 1:
            raise argparse.ArgumentTypeError(text(lang, "cli.at_least_one"))
        return number

    return check
