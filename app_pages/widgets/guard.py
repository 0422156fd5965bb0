"""The permission guard at the top of a page: who may see it at all. What each person may read or change
inside is still checked by the services (a refused call raises PermissionDenied)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages.components import current_lang
from evaluation.i18n import N_, t
from evaluation.workflow import Role


def require_roles(
    user: Any, *roles: Role, agency: bool = False, message: str = N_("wg.page_refused")
) -> None:
    """Stop the page, saying why, unless `user` (a User or an Actor) holds one of `roles`; with
    `agency=True` the user must also belong to an agency. `message` is the catalogue key shown."""
    role = getattr(user, "role", None)
    if role in roles and (not agency or getattr(user, "agency_id", None) is not None):
        return
    st.info(t(message, current_lang()), icon=":material/lock:")
    st.stop()
