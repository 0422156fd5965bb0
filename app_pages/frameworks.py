"""Framework browser: domains -> aspects -> indicators, each with its five level criteria."""

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages.framework_upload import add_framework_form
from app_pages.period_admin import period_status_form
from app_pages.plain import md
from evaluation.db import database_url
from evaluation.formats import fmt_range
from evaluation.i18n import N_, fmt_number, t
from evaluation.workflow import Role
from indicators.schema import Group, Indicator

lang = c.current_lang()
url = database_url()
st.title(t("fw.title", lang))

versions = c.framework_versions(url)
choice = st.selectbox(
    t("fw.choose", lang),
    versions,
    key="fw_version",
    format_func=lambda v: f"{v.name} · v{v.version} ({v.indicator_count})",
)
fw = c.framework(url, choice.version_id)
st.markdown(f"**{md(fw.label(lang))}**  \n{md(fw.description_en if lang == 'en' else fw.description)}")
years = f"{fw.effective_years.start}-{fw.effective_years.end or ''}"
st.caption(f"{t('fw.effective', lang)}: {years} · {md(fw.source)}")


def band_text(band: Any) -> str:
    """A band's interval in the reader's locale ("(1,5; 2,5]")."""
    closed = (band.min_inclusive, band.max_inclusive)
    return fmt_range(float(band.min), float(band.max), lang, closed=closed)


with st.expander(t("fw.bands", lang)):
    st.dataframe(
        pd.DataFrame(
            [
                {t("word.predicate", lang): b.label(lang), t("word.index", lang): band_text(b)}
                for b in fw.predicate.bands
            ]
        ),
        hide_index=True,
    )
    st.caption(
        t(f"fw.rounding.{fw.predicate.rounding}", lang)
        + (f" — {md(fw.predicate.note)}" if fw.predicate.note else "")
    )

query = st.text_input(t("fw.search", lang), key="fw_search").strip().lower()


def matches(indicator: Indicator) -> bool:
    haystack = " ".join([indicator.code, indicator.name, indicator.name_en, *indicator.aliases]).lower()
    return not query or query in haystack


def show_indicator(indicator: Indicator) -> None:
    scale = fw.scale_of(indicator)
    weight = fmt_number(float(indicator.weight), lang)
    title = f"{md(indicator.code)} · {md(indicator.label(lang))} — {t('word.weight', lang)} {weight}"
    with st.expander(title, expanded=bool(query)):
        st.caption(
            f"{t('word.scale', lang)}: {md(scale.label(lang))}"
            + (f" · {md(indicator.stewards)}" if indicator.stewards else "")
        )
        rows = []
        for criterion in indicator.criteria:
            level = scale.level(criterion.level)
            rows.append(
                {
                    t("word.level", lang): f"{criterion.level} {level.label(lang) if level else ''}",
                    t("word.criterion", lang): criterion.text(lang),
                    t("word.evidence", lang): criterion.evidence(lang) or "",
                }
            )
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        ni = indicator.national_index
        if ni is not None:
            bands = "; ".join(f"{t('word.level', lang)} {b.level}: {band_text(b)}" for b in ni.bands)
            heading = f"{t('fw.national_index', lang)}: **{md(ni.name)}** ({md(ni.full_name)})."
            st.info(f"{heading} {md(bands)}  \n{md(ni.note)}")


def show_group(group: Group, depth: int) -> int:
    indicators = [i for i in group.indicators or [] if matches(i)]
    nested = group.groups or []
    if query and not indicators and not any(matches(i) for g in nested for i in g.indicators or []):
        return 0
    heading = "###" if depth == 0 else "####"
    kind = fw.group_kind[group.code]
    st.markdown(f"{heading} {md(group.code)} · {md(group.label(lang))}")
    kind_name = t(N_("sg.kind_aspect") if kind == "aspect" else N_("sg.kind_domain"), lang)
    st.caption(f"{kind_name} — {t('word.weight', lang)} {fmt_number(float(group.weight), lang)}")
    shown = sum(show_group(child, depth + 1) for child in nested)
    for indicator in indicators:
        show_indicator(indicator)
    return shown + len(indicators)


if sum(show_group(group, 0) for group in fw.groups) == 0:
    st.warning(t("fw.no_match", lang))


user = c.current_user()
if user is not None and user.role == Role.ADMIN:
    st.divider()
    add_framework_form(user, lang)
    period_status_form(user, lang)
