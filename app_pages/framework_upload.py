"""Adding a framework version from a YAML file (admin): checked first, every problem listed by its place
in the file; registered only when the admin confirms. The same service as `python -m evaluation
add-framework`."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import components as c
from app_pages import widgets as w
from app_pages.uploads import file_input
from evaluation.db import write_session
from evaluation.i18n import t, tn
from evaluation.services.actors import PermissionDenied
from evaluation.services.auth import actor_of
from indicators.loader import MAX_FILE_BYTES, FrameworkError, parse_framework


def add_framework_form(user: Any, lang: str) -> None:
    with st.expander(t("fw.add", lang), icon=":material/upload_file:"):
        st.caption(t("fw.add_help", lang))
        upload = file_input(
            t("fw.file", lang), key="fw_upload", types=["yaml", "yml"], lang=lang, limit_bytes=MAX_FILE_BYTES
        )
        if upload is None:
            return
        data = upload.getvalue()
        if len(data) > MAX_FILE_BYTES:
            st.error(t("fw.too_big", lang, mb=MAX_FILE_BYTES // 1_000_000))
            return
        try:
            text = data.decode("utf-8")
            framework = parse_framework(text, source=upload.name)
        except UnicodeDecodeError:
            st.error(t("fw.not_utf8", lang))
            return
        except FrameworkError as exc:
            st.error(tn("fw.refused", len(exc.problems), lang))
            st.dataframe(
                pd.DataFrame(
                    [{t("fw.where", lang): path or "-", t("fw.problem", lang): m} for path, m in exc.problems]
                ),
                hide_index=True,
                width="stretch",
            )
            return
        st.success(
            t(
                "fw.checked",
                lang,
                framework=framework.key,
                name=framework.label(lang),
                n=len(framework.indicators),
            )
        )
        if st.button(t("fw.register", lang), type="primary", key="fw_register"):
            try:
                with write_session(c.engine()) as session:
                    from evaluation.services.frameworks import add_framework

                    add_framework(session, actor=actor_of(user), text=text, source_name=upload.name)
            except (FrameworkError, PermissionDenied) as exc:
                w.show_error(exc)
            else:
                st.cache_data.clear()  # the framework lists
                st.toast(t("fw.registered", lang, framework=framework.key))
                st.rerun()  # the version lists above are drawn before this form
