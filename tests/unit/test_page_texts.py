"""Every text a page shows comes from the catalogues (issue 15): a scan of app.py and app_pages/ for a
Streamlit call whose label, body, help or placeholder is a literal with words in it. Texts come from
`t()`/`tn()`, messages or data; the few literals allowed are listed with their reason."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOWN = {
    *("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"),
    *("button", "text_input", "text_area", "selectbox", "radio", "multiselect", "number_input"),
    *("date_input", "checkbox", "toggle", "download_button", "form_submit_button", "metric", "expander"),
    *("tabs", "toast", "write", "text", "slider", "select_slider", "file_uploader", "popover"),
    *("link_button", "dialog", "spinner", "status", "progress"),
}
SHOWN_KEYWORDS = ("label", "help", "placeholder", "body", "value")
WORD = re.compile(r"[A-Za-z]{3,}")
ALLOWED = {
    # the language picker says its name in both languages, so a reader of either finds it
    ("app_pages/components.py", "Bahasa / Language"),
    # a URL's scheme as the placeholder of a link field
    ("app_pages/indicator_evidence.py", "https://"),
    # a file format's name on a download button beside its translated "prepare" button
    ("app_pages/recommendation_overview.py", " xlsx"),
}


def literal_text(node: ast.AST) -> str | None:
    """The words a literal (or an f-string's literal parts) would show, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    else:
        return None
    text = re.sub(r":material/[a-z_]+:", "", text)
    return text if WORD.search(text) else None


def shown_literals(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = node.func.value.id.lower() if isinstance(node.func.value, ast.Name) else ""
        if node.func.attr not in SHOWN or receiver in ("log", "logger"):  # the server log, not a page
            continue
        shown = list(node.args[:1]) + [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        found += [(node.lineno, text) for text in map(literal_text, shown) if text]
    return found


def test_the_scan_finds_a_literal_label_and_passes_a_catalogue_text():
    assert shown_literals('st.button("Simpan")') == [(1, "Simpan")]
    assert shown_literals('st.markdown(f"**Total:** {n}")') == [(1, "**Total:** ")]
    assert shown_literals('st.text_input(t("as.pick", lang), placeholder="ketik nama")') == [
        (1, "ketik nama")
    ]
    assert shown_literals('st.button(t("rv.save", lang), icon=":material/save:")') == []
    assert shown_literals('LOGGER.error("incident %s", incident)') == []
    assert shown_literals("st.markdown(f\"#### {t('rc.section', lang)}\")") == []


def test_no_page_shows_a_text_that_is_not_in_the_catalogues():
    paths = [ROOT / "app.py", *sorted((ROOT / "app_pages").rglob("*.py"))]
    found = [
        f"{path.relative_to(ROOT)}:{line} {text!r}"
        for path in paths
        for line, text in shown_literals(path.read_text())
        if (str(path.relative_to(ROOT)), text) not in ALLOWED
    ]
    assert len(paths) > 40
    assert found == []
