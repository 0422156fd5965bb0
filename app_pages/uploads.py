"""The file input every page uses: Streamlit's uploader with its own texts in the reader's language.

Streamlit has no language setting: its uploader always writes "Upload", "Drag and drop file(s) here" and
"<n>MB per file • XLSX, CSV", and the size it names is the server's `maxUploadSize` (binary megabytes),
not the app's limit for that kind of file. `file_input` keeps the widget (so uploads, AppTest and
`set_input_files` work as before) and replaces those three texts, scoped to this one widget through the
`st-key-<key>` class Streamlit gives a keyed element's container: the original text is hidden and the
catalogue's text (domain `problems`, keys `up.*`) is drawn in its place by CSS `content`. The label and the
help are ordinary widget parameters. The texts are CSS strings, never HTML: nothing in them can become
markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import streamlit as st

from evaluation.excel_io.limits import size_message
from evaluation.i18n import t

_KEY_CHARS = re.compile(r"[^A-Za-z0-9_-]")


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: backslashes, quotes, line breaks and `<` escaped as code points, so
    that it can close neither the string nor the `<style>` element."""
    escaped = "".join(
        f"\\{ord(char):06x}" if char in '\\"\n\r<>' or ord(char) < 0x20 else char for char in text
    )
    return f'"{escaped}"'


def uploader_texts(lang: str, *, limit_bytes: int, types: Sequence[str]) -> dict[str, str]:
    """The three texts the uploader shows, in `lang`: its button, the drop hint and the limit line."""
    kinds = ", ".join(kind.upper() for kind in types)
    limit = size_message(limit_bytes).render(lang)
    return {
        "button": t("up.button", lang),
        "drop": t("up.drop", lang),
        "limit": t("up.limit_types", lang, limit=limit, types=kinds)
        if kinds
        else t("up.limit", lang, limit=limit),
    }


def uploader_css(key: str, texts: dict[str, str]) -> str:
    """The style that replaces the texts of the uploader whose widget key is `key`."""
    scope = f".st-key-{_KEY_CHARS.sub('-', key.strip())} [data-testid='stFileUploaderDropzone']"
    limit = f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span"
    button = f"{scope} button [data-testid='stMarkdownContainer'] p"
    drop = f"{scope} > div:not([data-testid]) > span"  # shown while a file is dragged over the zone
    return (
        "<style>"
        f"{limit},{button},{drop}{{font-size:0;}}"
        f"{limit}::after{{content:{css_string(texts['limit'])};font-size:0.875rem;}}"
        f"{button}::after{{content:{css_string(texts['button'])};font-size:1rem;}}"
        f"{drop}::after{{content:{css_string(texts['drop'])};font-size:1rem;}}"
        "</style>"
    )


def file_input(
    label: str,
    *,
    key: str,
    types: Sequence[str],
    lang: str,
    limit_bytes: int,
    **options: Any,
) -> Any:
    """`st.file_uploader(label, type=types, key=key, **options)` whose button, drop hint and limit line are
    the catalogue's texts in `lang`, the limit being the app's own for this kind of file (`limit_bytes`,
    decimal megabytes as evaluation/settings.py writes them). Returns what the uploader returns."""
    st.html(uploader_css(key, uploader_texts(lang, limit_bytes=limit_bytes, types=types)))
    return st.file_uploader(label, type=list(types), key=key, **options)
