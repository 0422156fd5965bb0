"""A stored evidence file as a download button: the assessment form, the verification page and the
objections queue offer the same file the same way."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages import components as c
from app_pages.plain import md
from evaluation.db import read_session
from evaluation.services.evidence import read_evidence
from evaluation.storage import default_store


def evidence_download(
    actor: Any, evidence_id: int, *, key: str, mime: str | None = None, named: bool = True, where: Any = st
) -> None:
    """A download button in `where` (st or a column) for evidence file `evidence_id`, read as `actor` (the
    service refuses, PermissionDenied, one who may not read it); labelled with the file's name (escaped)
    after the icon, or with the icon alone when not `named`."""
    with read_session(c.engine()) as session:
        name, data = read_evidence(session, actor=actor, store=default_store(), evidence_id=evidence_id)
    label = f":material/download: {md(name)}" if named else ":material/download:"
    where.download_button(label, data, file_name=name, mime=mime, key=key)
