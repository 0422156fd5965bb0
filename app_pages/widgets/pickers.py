"""The period and agency pickers every page opened on one assessment or one period starts with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from evaluation.formats import period_text
from evaluation.i18n import N_, t


def period_label(period: Any, lang: str, *, with_status: bool = False) -> str:
    """'2026 · Pemdi 2026' (with its state, 'Dibuka' or 'Ditutup', when `with_status`)."""
    label = period_text(period.year, period.framework_id, lang)
    return f"{label} · {t('period.' + period.status, lang)}" if with_status else label


def period_picker(
    periods: Sequence[Any],
    lang: str,
    *,
    key: str,
    open_first: bool = False,
    with_status: bool = False,
    empty: str = N_("cp.no_period"),
) -> Any:
    """A period chosen by the reader: the newest first (open ones before closed ones with `open_first`).
    With no period at all, the page stops with the text of `empty`."""
    ordered = sorted(periods, key=lambda p: (open_first and p.status != "open", -p.year))
    period = st.selectbox(
        t("as.period", lang),
        ordered,
        key=key,
        format_func=lambda p: period_label(p, lang, with_status=with_status),
    )
    if period is None:
        st.info(t(empty, lang))
        st.stop()
    return period


def agency_picker(actor: Any, options: Mapping[int, str], lang: str, *, key: str) -> int:
    """The agency a page is about: an agency user's own; the ministry chooses one of `options`
    (id -> name, as app_pages.components.agency_options gives)."""
    if actor.agency_id is not None:
        return int(actor.agency_id)
    if not options:
        st.info(t("wg.no_agency", lang))
        st.stop()
    return int(st.selectbox(t("as.agency", lang), list(options), format_func=options.__getitem__, key=key))
