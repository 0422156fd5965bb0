"""The app's file input (app_pages/uploads.py): Streamlit's uploader with its button, drop hint and limit
line in the reader's language and the app's own limit, still an uploader a test (or a person) can drive.
What the browser draws from the style is checked in tests/e2e/test_uploader_language.py."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.uploads import css_string, uploader_css, uploader_texts


def uploader_script(lang: str) -> None:
    import streamlit as st

    from app_pages.uploads import file_input

    upload = file_input("Berkas", key="xl_file", types=["xlsx", "csv"], lang=lang, limit_bytes=50_000_000)
    st.text("none" if upload is None else f"{upload.name} {len(upload.getvalue())}")


def run(lang: str) -> AppTest:
    at = AppTest.from_function(uploader_script, kwargs={"lang": lang}, default_timeout=30)
    return at.run()


def styles(at: Any) -> str:
    return "".join(element.proto.body for element in at.get("html"))


@pytest.mark.parametrize(
    ("lang", "button", "limit", "absent"),
    [
        ("id", "Pilih berkas", "Batas 50 MB per berkas • XLSX, CSV", "per file"),
        ("en", "Choose a file", "Limit 50 MB per file • XLSX, CSV", "per berkas"),
    ],
)
def test_the_uploader_texts_are_the_readers_language_and_name_the_apps_limit(lang, button, limit, absent):
    at = run(lang)
    assert not at.exception
    style = styles(at)
    assert f"content:{css_string(button)}" in style
    assert f"content:{css_string(limit)}" in style
    assert absent not in style
    assert ".st-key-xl_file [data-testid='stFileUploaderDropzone']" in style  # this widget only


def test_the_input_is_still_an_uploader_that_returns_the_file():
    at = run("id")
    assert at.text[0].value == "none"
    at.file_uploader(key="xl_file").set_value(("penilaian.csv", b"a;b\n1;2\n", "text/csv"))
    at.run()
    assert at.text[0].value == "penilaian.csv 8"


def test_a_text_cannot_close_the_css_string_or_the_style_element():
    hostile = 'x"} body{display:none} </style><script>alert(1)</script>\\'
    quoted = css_string(hostile)
    assert quoted.startswith('"') and quoted.endswith('"')
    inner = quoted[1:-1]
    assert '"' not in inner and "<" not in inner and ">" not in inner
    assert "\\" not in inner.replace("\\00", "")  # only the code-point escapes it wrote itself
    css = uploader_css("k", {"button": hostile, "drop": "d", "limit": "l"})
    assert css.count("<style>") == 1 and css.count("</style>") == 1 and css.endswith("</style>")


def test_a_key_with_characters_a_css_class_cannot_hold_is_scoped_as_streamlit_names_it():
    assert ".st-key-up_I01-2 " in uploader_css("up_I01.2", uploader_texts("id", limit_bytes=1, types=[]))


def test_the_limit_line_without_types_and_with_a_fractional_size_follows_the_locale():
    assert uploader_texts("id", limit_bytes=2_500_000, types=[])["limit"] == "Batas 2,50 MB per berkas"
    assert (
        uploader_texts("en", limit_bytes=2_500_000, types=["pdf"])["limit"] == "Limit 2.50 MB per file • PDF"
    )
