"""Where the reviewer is: a header naming the agency and the period under review, and the period's
stages as steps (done / current / to do), each with what it needs and what is still missing (issue 12)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages.plain import md
from evaluation.i18n import N_, t
from evaluation.services.stage_minutes import MinuteView
from evaluation.services.stage_rules import Step, stage_steps

ICONS = {
    "done": ":material/check_circle:",
    "current": ":material/radio_button_checked:",
    "todo": ":material/radio_button_unchecked:",
    "skipped": ":material/do_not_disturb_on:",
}


def review_header(view: Any, lang: str) -> None:
    """The agency and period being reviewed: name, code, category, year, framework, status and stage."""
    with st.container(border=True, key="rv_header"):
        st.markdown(f"### {md(view.agency_name)}")
        framework = view.framework.label(lang)
        st.markdown(
            t(
                "sg.header_meta",
                lang,
                code=md(view.agency_code),
                category=md(view.agency_category),
                year=view.year,
                framework=md(framework),
            )
        )
        stage = t(f"stage.{view.stage}", lang) if view.stage else "-"
        st.markdown(
            f"{t('as.status', lang)}: **{t(f'status.{view.status}', lang)}** · "
            f"{t('rv.stage', lang)}: **{stage}**"
        )


def steps_of(view: Any, minutes: dict[str, MinuteView]) -> list[Step]:
    missing = sum(1 for s in view.scores.values() if s.final_level is None and not s.not_applicable)
    return stage_steps(
        order=view.stages,
        required=view.required_stages,
        current=view.stage,
        status=view.status,
        final_levels_missing=missing,
        minutes={stage: len(m.findings) for stage, m in minutes.items()},
    )


def _missing_text(step: Step, view: Any, lang: str) -> str:
    stage = t(f"stage.{step.stage}", lang).lower()
    texts = {
        "final_levels": t(
            "sg.missing_final_levels",
            lang,
            n=sum(1 for s in view.scores.values() if s.final_level is None and not s.not_applicable),
        ),
        "minute": t("sg.missing_minute", lang, stage=stage),
        "findings": t("sg.missing_findings", lang),
    }
    return "; ".join(texts[m] for m in step.missing)


def steps_panel(view: Any, minutes: dict[str, MinuteView], lang: str) -> list[Step]:
    """The stages side by side; returns the steps (the finalize confirmation repeats what is missing)."""
    steps = steps_of(view, minutes)
    st.markdown(f"#### {t('sg.steps', lang)}")
    for column, step in zip(st.columns(len(steps)), steps, strict=True):
        with column.container(border=True, key=f"rv_step_{step.stage}"):
            kind = t(N_("sg.required") if step.required else N_("sg.optional"), lang)
            st.markdown(f"{ICONS[step.state]} **{t(f'stage.{step.stage}', lang)}** ({kind})")
            st.caption(t(f"sg.state_{step.state}", lang))
            st.caption(t(f"sg.needs_{step.needs}", lang))
            if step.missing:
                st.info(_missing_text(step, view, lang), icon=":material/pending_actions:")
            elif step.state in ("done", "current"):
                st.caption(f":material/task_alt: {t('sg.ready', lang)}")
    return steps


def missing_notes(steps: list[Step], view: Any, lang: str) -> list[str]:
    """What the steps still miss, one line per stage ("Interviu: the minute is not written yet")."""
    return [f"{t(f'stage.{s.stage}', lang)}: {_missing_text(s, view, lang)}" for s in steps if s.missing]
