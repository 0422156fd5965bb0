"""The gettext catalogues: every text exists in Indonesian and English with the same placeholders, none is
fuzzy or empty, a key lives in exactly one domain, and every key the code asks for (as `pybabel extract`
finds it) is in the catalogues."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from evaluation.i18n import LANGUAGES, LOCALE_DIR, domains, t, tn, tp

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"t": None, "tn": None, "tp": ((1, "c"), 2), "N_": None}
SOURCES = [("app.py", "python"), ("app_pages/**.py", "python"), ("evaluation/**.py", "python")]


def catalog(lang: str, domain: str):  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        return read_po(handle, locale=lang, domain=domain)


def entries(lang: str) -> dict[tuple[str | None, str], tuple[str, object]]:
    """{(context, key): (domain, message)} of every real entry of one language (context None but for
    pgettext entries)."""
    found: dict[tuple[str | None, str], tuple[str, object]] = {}
    for domain in domains():
        for message in catalog(lang, domain):
            if message.id:
                key = message.id if isinstance(message.id, str) else message.id[0]
                found[(message.context, key)] = (domain, message)
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def texts(message) -> list[str]:  # type: ignore[no-untyped-def]
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def test_each_language_has_the_same_domains():
    for lang in LANGUAGES:
        assert sorted(p.stem for p in (LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")) == domains()
    assert len(domains()) >= 10


@pytest.mark.parametrize("domain", domains())
def test_each_text_has_both_languages_with_the_same_placeholders_and_nothing_fuzzy(domain):
    indonesian, english = catalog("id", domain), catalog("en", domain)
    assert {(m.context, m.id) for m in indonesian if m.id} == {(m.context, m.id) for m in english if m.id}
    for message in indonesian:
        if not message.id:
            continue
        other = english.get(message.id, context=message.context)
        assert not message.fuzzy and not other.fuzzy, f"{domain}: {message.id} is fuzzy"
        shown = texts(message) + texts(other)
        assert all(text and text.strip() for text in shown), f"{domain}: {message.id} is not translated"
        assert len({frozenset(placeholders(text)) for text in shown}) == 1, f"{domain}: {message.id}"


def test_plural_forms_follow_each_language():
    assert catalog("id", "core").num_plurals == 1  # Indonesian does not inflect for number
    assert catalog("en", "core").num_plurals == 2
    assert tn("fw.refused", 1, "en").startswith("File refused: 1 problem ")
    assert tn("fw.refused", 2, "en").startswith("File refused: 2 problems ")
    assert tn("fw.refused", 2, "id").startswith("Berkas ditolak: 2 masalah ")


def test_a_key_lives_in_exactly_one_domain_so_that_none_is_silently_overridden():
    seen: dict[tuple[str | None, str], str] = {}
    home: dict[str, str] = {}
    for domain in domains():
        for message in catalog("id", domain):
            if message.id:
                key = message.id if isinstance(message.id, str) else message.id[0]
                assert (message.context, key) not in seen, (
                    f"{key} is in {seen[(message.context, key)]} and {domain}"
                )
                assert home.setdefault(key, domain) == domain, f"{key} is in {home[key]} and {domain}"
                seen[(message.context, key)] = domain
    assert len(seen) == len(entries("en"))


def test_every_key_the_code_asks_for_is_in_the_catalogues():
    used = {
        ((context, message if isinstance(message, str) else message[0]), path, line)
        for path, line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map=SOURCES, keywords=KEYWORDS
        )
    }
    assert len(used) > 500, "pybabel extract found too little: the keywords no longer match the code"
    known = entries("id")
    missing = sorted(f"{path}:{line} {key}" for key, path, line in used if key not in known)
    assert missing == []


def test_an_unknown_key_is_an_error_not_a_silent_key_on_the_page():
    with pytest.raises(KeyError):
        t("no.such_key")
    assert t("rv.title", "en") == "Verification" and t("rv.title") == "Verifikasi"


def test_a_word_read_in_two_places_takes_the_text_of_its_context():
    assert (tp("column", "rm.due", "id"), tp("input", "rm.due", "id")) == ("Tenggat", "Tanggal tenggat")
    assert (tp("column", "rm.due", "en"), tp("input", "rm.due", "en")) == ("Due", "Due date")
    assert tp("column", "rm.due", "id") != t(
        "activity.done", "id"
    )  # the date column no longer reads "Selesai"
    with pytest.raises(KeyError):
        tp("nowhere", "rm.due")  # no entry without a context: a context the catalogue lacks is an error
    used = {
        (ctx, key)
        for _p, _l, key, _c, ctx in extract_from_dir(str(ROOT), method_map=SOURCES, keywords=KEYWORDS)
        if ctx
    }
    assert ("column", "rm.due") in used and ("input", "rm.due") in used
