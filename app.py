"""Entry point: page config, the database made ready (demo data on first start), language, navigation."""

import streamlit as st

from app_pages.components import current_lang, ensure_ready, language_selector
from evaluation.i18n import t

st.set_page_config(page_title="SPBE / Pemdi", page_icon=":material/monitoring:", layout="wide")
language_selector()
lang = current_lang()
ensure_ready(lang)

pages = [
    st.Page(
        "app_pages/home.py",
        title=t("nav.home", lang),
        icon=":material/dashboard:",
        default=True,
        url_path="beranda",
    ),
    st.Page(
        "app_pages/frameworks.py",
        title=t("nav.frameworks", lang),
        icon=":material/account_tree:",
        url_path="kerangka",
    ),
]
st.navigation(pages).run()
