"""Every page speaks the reader's locale (issue 15): each page of app.py's navigation is rendered for each
role that sees it, in Indonesian and in English, on one demo database, and everything a reader sees is
scanned -- texts, markdown, captions, alerts, metrics (label, value, delta), dataframe and table cells and
headers, widget labels and options, and every plotly figure's axis titles, tick texts, trace names, hover
templates, annotations and texts -- for:

- a number in the other locale's form: in Indonesian "3.28" (an English decimal) or "10,680" (English
  grouping); in English "3,28" or "10.680" (versions, IP-like dotted runs and codes such as "I01" are not
  numbers of this kind and are skipped);
- a month name of the other language ("Sep 6" on an Indonesian Gantt chart, "Desember" in English);
- a raw `None`, a raw framework id ("spbe-2020" in a legend), and in Indonesian a small list of English
  words that are never Indonesian ("aspect", "score", "done", "upload", "average", Streamlit's "Choose an
  option");
- a plotly figure without the locale's separators (`,.` in Indonesian) or with a date axis whose ticks
  plotly would write in English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators.loader import shipped_frameworks
from tests.app.signed_in import APP, open_page, shown, token_for

pytestmark = [pytest.mark.app, pytest.mark.usefixtures("app")]

ANONYMOUS = None
AGENCY_PAGES = ["home.py", "frameworks.py", "assessment.py", "roadmap.py", "recommendations.py"]
AGENCY_PAGES += ["excel.py", "audit.py", "notifications.py", "account.py"]
MINISTRY_PAGES = ["compare.py", "recommendation_overview.py", "trends.py", "gaps.py", "rollups.py"]
MINISTRY_PAGES += ["national_roadmap.py", "excel.py", "audit.py", "notifications.py", "account.py"]
REVIEWER_PAGES = ["home.py", "verification.py", "objections.py", "assessment.py", "roadmap.py"]
ADMIN_PAGES = ["home.py", "frameworks.py", "users.py", "periods.py", "reviewer_admin.py"]
# (user, page): app.py's navigation, each role once per page (the operator only where it differs)
VISITS: list[tuple[str | None, str]] = [(ANONYMOUS, p) for p in ("home.py", "frameworks.py", "login.py")]
VISITS += [("koordinator", p) for p in AGENCY_PAGES] + [("operator", "assessment.py")]
VISITS += [("koordinator-program", p) for p in ("home.py", "assessment.py", "roadmap.py")]
VISITS += [("asesor", p) for p in REVIEWER_PAGES + MINISTRY_PAGES]
VISITS += [("admin", p) for p in ADMIN_PAGES + MINISTRY_PAGES]

# elements whose `value` is not what is shown: a widget's chosen option (shown by its formatted label,
# read from `options`) or what the reader typed; code blocks show code
WIDGETS = ("selectbox", "radio", "multiselect", "select_slider", "text_input", "text_area", "number_input")
WIDGETS += ("date_input", "time_input", "chat_input", "color_picker", "code")
FRAMEWORK_IDS = ("spbe-2020", "pemdi-2026", "vision-to-evaluation")
ENGLISH_ONLY = ("aspect", "aspects", "score", "scores", "done", "upload", "uploaded", "average", "averages")
ENGLISH_ONLY += ("submitted", "returned", "Choose an option", "No results", "Browse files", "Drag and drop")
ENGLISH_MONTHS = ("January", "February", "March", "May", "June", "July", "August", "October", "December")
ENGLISH_MONTHS += ("Aug", "Oct", "Dec")
INDONESIAN_MONTHS = ("Januari", "Februari", "Maret", "Mei", "Juni", "Juli", "Agustus", "Oktober", "Desember")
INDONESIAN_MONTHS += ("Agu", "Okt", "Des")

WRONG = {
    # in Indonesian: an English decimal point (3.28) or English grouping (10,680)
    "id": re.compile(r"(?<![\w.,])\d+\.\d{1,2}(?![\d.,]*\d)|(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d.,]*\d)"),
    # in English: an Indonesian decimal comma (3,28) or Indonesian grouping (10.680)
    "en": re.compile(r"(?<![\w.,])\d+,\d{1,2}(?![\d.,]*\d)|(?<![\w.,])\d{1,3}(?:\.\d{3})+(?![\d.,]*\d)"),
}


def words(terms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in terms) + r")(?![\w-])")


OTHER_MONTHS = {"id": words(ENGLISH_MONTHS), "en": words(INDONESIAN_MONTHS)}
ENGLISH_WORDS = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in ENGLISH_ONLY) + r")(?![\w-])", re.I
)
RAW = words(("None", "nan", "NaN", *FRAMEWORK_IDS))


def walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def frame_texts(frame: pd.DataFrame) -> Iterator[str]:
    """A table's headers and cells as the grid shows them (a float as Streamlit writes it: '3.28')."""
    yield from (str(c) for c in frame.columns)
    for column in frame.columns:
        for value in frame[column].tolist():
            if value is None or (isinstance(value, float) and value != value):
                continue  # an empty cell shows empty
            yield str(value)


def figure_texts(spec: dict[str, Any]) -> Iterator[str]:
    """What a reader sees of a plotly figure: titles, tick texts, trace names, hover templates, texts."""
    layout = spec.get("layout", {})
    for name, axis in layout.items():
        if re.fullmatch(r"[xy]axis\d*", name) and isinstance(axis, dict):
            title = axis.get("title")
            yield from [title.get("text", "")] if isinstance(title, dict) else [str(title or "")]
            yield from (str(v) for v in axis.get("ticktext", []) or [])
    title = layout.get("title")
    if isinstance(title, dict):
        yield str(title.get("text", ""))
    legend = layout.get("legend", {})
    if isinstance(legend.get("title"), dict):
        yield str(legend["title"].get("text", ""))
    for note in layout.get("annotations", []) or []:
        yield str(note.get("text", ""))
    for trace in spec.get("data", []):
        yield str(trace.get("name", "") or "")
        yield str(trace.get("hovertemplate", "") or "")
        for key in ("text", "hovertext"):
            value = trace.get(key)
            if isinstance(value, list):
                yield from (str(v) for v in value)
            elif isinstance(value, str):
                yield value


def figure_problems(spec: dict[str, Any], lang: str) -> list[str]:
    """Layout-level problems: separators, and date axes plotly labels in English."""
    layout = spec.get("layout", {})
    found = []
    if lang == "id" and layout.get("separators") != ",.":
        found.append(f"separators {layout.get('separators')!r}")
    for name, axis in layout.items():
        dated = isinstance(axis, dict) and axis.get("type") == "date"
        if re.fullmatch(r"[xy]axis\d*", name) and dated and lang == "id" and not axis.get("ticktext"):
            found.append(f"{name}: date ticks in English")
    return found


def seen(at: AppTest) -> tuple[list[str], list[dict[str, Any]]]:
    """(every text a reader sees, every plotly figure) of a rendered page."""
    texts: list[str] = []
    figures: list[dict[str, Any]] = []
    for node in walk(at._tree):
        kind = getattr(node, "type", "")
        if kind in ("dataframe", "table", "data_editor") or kind == "arrow_data_frame":
            texts.extend(frame_texts(node.value))
        elif kind == "plotly_chart":
            figures.append(json.loads(node.proto.spec))
        elif kind == "metric":
            texts.extend(str(getattr(node, n, "") or "") for n in ("label", "value", "delta"))
        elif kind not in WIDGETS and isinstance(getattr(node, "value", None), str):
            texts.append(node.value)  # a widget's value is the raw option (its label is read below)
        for attribute in ("label", "help", "placeholder", "body"):
            value = getattr(node, attribute, None)
            if isinstance(value, str) and value:
                texts.append(value)
        options = getattr(node, "options", None)
        if isinstance(options, list | tuple):
            texts.extend(str(o) for o in options)
    for figure in figures:
        texts.extend(figure_texts(figure))
    return [t for t in texts if t], figures


@cache
def untranslated_notes() -> tuple[str, ...]:
    """The national-index notes of the shipped frameworks: framework files give them in Indonesian only,
    so the English UI quotes them as written (a framework file change, not a formatting one)."""
    return tuple(
        i.national_index.note
        for framework in shipped_frameworks().values()
        for i in framework.indicators
        if i.national_index is not None and i.national_index.note
    )


def problems_in(text: str, lang: str) -> list[str]:
    if text.lstrip().startswith("<style"):
        return []  # a page's CSS (unsafe_allow_html), not read by anyone
    if lang == "en":
        text = shown(text)
        for note in untranslated_notes():
            text = text.replace(note, "")
    found = [f"number {m!r}" for m in WRONG[lang].findall(text)]
    found += [f"month {m!r}" for m in OTHER_MONTHS[lang].findall(text)]
    found += [f"raw {m!r}" for m in RAW.findall(text)]
    if lang == "id":
        found += [f"English {m!r}" for m in ENGLISH_WORDS.findall(text)]
    return found


def render(engine: Any, user: str | None, page: str, lang: str) -> AppTest:
    """A page as `user` (None: not signed in) sees it in `lang`."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    if lang == "en":
        at.query_params["lang"] = "en"
    if user is not None:
        at.session_state["session_token"] = token_for(engine, user)
    return open_page(at.run(), page)


def scan(engine: Any, lang: str) -> tuple[list[tuple[str, str, str, str]], int]:
    """(problems as (user, page, what, where), number of texts scanned) over every visit in `lang`."""
    problems: list[tuple[str, str, str, str]] = []
    scanned = 0
    for user, page in VISITS:
        at = render(engine, user, page, lang)
        assert not at.exception, (user, page, lang, at.exception)
        texts, figures = seen(at)
        scanned += len(texts)
        for text in texts:
            for what in problems_in(text, lang):
                problems.append((str(user), page, what, text[:120]))
        for figure in figures:
            for what in figure_problems(figure, lang):
                problems.append((str(user), page, what, "figure"))
    return sorted(set(problems)), scanned


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_page_shows_numbers_dates_and_words_in_the_readers_locale(demo_engine, lang):
    problems, scanned = scan(demo_engine, lang)
    assert scanned > 1000, "the pages were rendered and read"
    assert problems == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Indeks 3.28", "id", ["number '3.28'"]),
        ("10,680 nilai", "id", ["number '10,680'"]),
        ("Indeks 3,28 dari 10.680", "id", []),
        ("Index 3,28", "en", ["number '3,28'"]),
        ("10.680 values", "en", ["number '10.680'"]),
        ("Index 3.28 of 10,680", "en", []),
        ("I01, D1.2, versi 1.2.3, 2026, [1; 1,5]", "id", []),
        ("6 Sep 2026, 1 Dec", "id", ["month 'Dec'"]),
        ("22 Desember 2026", "en", ["month 'Desember'"]),
        ("aspect None spbe-2020", "id", ["raw 'None'", "raw 'spbe-2020'", "English 'aspect'"]),
        ("Aspek tata kelola, skor", "id", []),
    ],
)
def test_the_scan_tells_the_other_locales_forms_from_this_ones(text, lang, expected):
    assert problems_in(text, lang) == expected
