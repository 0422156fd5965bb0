"""Showing user-supplied text as plain text (ASVS V5.3): Streamlit renders Markdown in st.markdown, st.write,
st.caption, alerts, toasts, expander and widget labels, so text that users typed or uploaded (justifications,
notes, names, file names, links, framework texts) either goes through `st.text`/dataframes, or is escaped
with `md` before it joins a Markdown string. A link is shown with its host and opens only over http(s).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import plotly.graph_objects as go
import streamlit as st

from evaluation.i18n import t

# CommonMark lets a backslash escape any ASCII punctuation. Escaped: what starts Markdown, HTML, Streamlit
# directives (:red[..], :material/..:) or LaTeX ($); a dot unless between digits (so "www.host" and "host.tld"
# are not autolinked, while "3.05" and "V01.1" stay as they are); "-" and "+" at the start (lists).
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|<>~:$]|(?<!\d)\.|\.(?!\d)|^[-+])")


# Streamlit's Markdown (remark-gfm) turns bare "http://..", "www..." and e-mail addresses into links even
# when their punctuation is escaped: a zero-width space after the scheme or "www" and before "@" stops it.
_AUTOLINK = re.compile(r"(?i)((?:https?|ftp|mailto|xmpp|www)(?=[:.])|(?<=\S)(?=@))")


def md(value: Any) -> str:
    """`value` as text that renders literally inside Markdown (None -> ""); newlines are kept as spaces so
    that a line cannot start a heading, list or quote."""
    if value is None:
        return ""
    text = _AUTOLINK.sub("\\1\u200b", " ".join(str(value).splitlines()))
    return _SPECIAL.sub(r"\\\1", text)


def plain_text(value: Any, label: str | None = None, *, where: Any = st) -> None:
    """A caption `label` (a trusted page text) and the user's `value` as plain text ("-" when empty)."""
    if label:
        where.caption(label)
    where.text(str(value) if value not in (None, "") else "-")


def link_parts(url: str | None) -> tuple[str, bool]:
    """(the host to show, whether the link may be opened): only http(s) links with a host open."""
    parsed = urlparse((url or "").strip())
    host = parsed.hostname or ""
    return host, parsed.scheme in ("http", "https") and bool(host)


def safe_link(url: str | None, title: str | None, lang: str, *, where: Any = st) -> None:
    """A link button labelled with its title and host that opens only an http(s) URL; any other link is
    shown as plain text with a note and never made clickable."""
    host, ok = link_parts(url)
    name = title or host or (url or "")
    if ok:
        where.link_button(f"{md(name)} · {md(host)}", url or "", icon=":material/open_in_new:", help=md(url))
    else:
        where.text(f"{name} {t('link.not_http', lang)}")


# Plotly renders a subset of HTML in labels, titles and hover text (<a href>, <b>, <span style>): every tag
# but the line breaks our chart factories insert is made literal.
_TAG = re.compile(r"<(?!br>)", re.IGNORECASE)
_TEMPLATES = ("hovertemplate", "texttemplate")


def _inert(value: Any, key: str = "") -> Any:
    if isinstance(value, str):
        return value if key in _TEMPLATES else _TAG.sub("&lt;", value)
    if isinstance(value, dict):
        return {k: _inert(v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_inert(v, key) for v in value]
    if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") == "O":  # numpy object arrays of labels
        return [_inert(v, key) for v in value.tolist()]
    return value


def inert_figure(fig: go.Figure) -> go.Figure:
    """A copy of `fig` whose texts (data labels, names, titles) cannot render HTML other than <br>."""
    return go.Figure(_inert(fig.to_dict()))
