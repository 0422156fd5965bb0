"""The page scaffolding in app_pages/widgets/, each widget run alone with AppTest.from_function: the
period and agency pickers, the permission guard, the error display and its stop-the-page form."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest


def run(script: Any, lang: str = "id", **kwargs: Any) -> AppTest:
    at = AppTest.from_function(script, kwargs=kwargs, default_timeout=30)
    at.session_state["lang"] = lang
    return at.run()


def periods_script(statuses: list[str], open_first: bool, with_status: bool) -> None:
    import streamlit as st

    from app_pages import widgets as w
    from evaluation.services.results import PeriodInfo

    periods = [
        PeriodInfo(n, 2023 + n, "pemdi-2026", 1, "evaluation", status, None)
        for n, status in enumerate(statuses)
    ]
    period = w.period_picker(periods, "id", key="p", open_first=open_first, with_status=with_status)
    st.text(f"picked {period.year}")


def test_the_period_picker_offers_the_newest_period_first() -> None:
    at = run(periods_script, statuses=["closed", "closed", "closed"], open_first=False, with_status=False)
    assert at.selectbox(key="p").options == ["2025 · Pemdi 2026", "2024 · Pemdi 2026", "2023 · Pemdi 2026"]
    assert at.text[0].value == "picked 2025"


def test_the_period_picker_can_put_open_periods_first_and_name_their_state() -> None:
    at = run(periods_script, statuses=["open", "closed", "closed"], open_first=True, with_status=True)
    assert at.selectbox(key="p").options[0] == "2023 · Pemdi 2026 · berjalan"
    assert at.selectbox(key="p").options[1] == "2025 · Pemdi 2026 · ditutup"
    assert at.text[0].value == "picked 2023"


def test_with_no_period_the_page_stops_with_a_sentence() -> None:
    at = run(periods_script, statuses=[], open_first=False, with_status=False)
    assert [i.value for i in at.info] == ["Belum ada periode penilaian."]
    assert not at.text


def agency_script(agency_id: int | None) -> None:
    import streamlit as st

    from app_pages import widgets as w
    from evaluation.services.actors import Actor

    actor = Actor(user_id=1, username="u", role="operator" if agency_id else "reviewer", agency_id=agency_id)
    chosen = w.agency_picker(actor, {7: "Kota Contoh", 9: "Provinsi Contoh"}, "id", key="a")
    st.text(f"agency {chosen}")


def test_an_agency_user_sees_their_own_agency_without_a_picker() -> None:
    at = run(agency_script, agency_id=9)
    assert not at.selectbox
    assert at.text[0].value == "agency 9"


def test_the_ministry_picks_an_agency_by_name() -> None:
    at = run(agency_script, agency_id=None)
    assert at.selectbox(key="a").options == ["Kota Contoh", "Provinsi Contoh"]
    at.selectbox(key="a").select_index(1).run()
    assert at.text[0].value == "agency 9"


def guard_script(role: str, agency_id: int | None, agency: bool) -> None:
    import streamlit as st

    from app_pages import widgets as w
    from evaluation.services.actors import Actor
    from evaluation.workflow import AGENCY_ROLES

    w.require_roles(
        Actor(user_id=1, username="u", role=role, agency_id=agency_id), *AGENCY_ROLES, agency=agency
    )
    st.text("content")


def test_the_guard_lets_a_role_it_names_see_the_page() -> None:
    at = run(guard_script, role="coordinator", agency_id=3, agency=True)
    assert at.text[0].value == "content"
    assert not at.info


def test_the_guard_stops_another_role_with_a_sentence_in_the_readers_language() -> None:
    at = run(guard_script, lang="en", role="reviewer", agency_id=None, agency=False)
    assert not at.text
    assert [i.value for i in at.info] == ["This page is not available to your role."]


def test_the_guard_can_also_require_an_agency() -> None:
    at = run(guard_script, role="operator", agency_id=None, agency=True)
    assert not at.text
    assert [i.value for i in at.info] == ["Halaman ini tidak tersedia untuk peran Anda."]


def error_script(with_problems: bool) -> None:
    import streamlit as st

    from app_pages import widgets as w
    from evaluation.services.actors import PermissionDenied

    if with_problems:
        from types import SimpleNamespace

        from evaluation.excel_io.cells import Problem, Wording

        problem = Problem("Skor", 4, "level", Wording("Tingkat 9", "Level 9"))
        error = ValueError("refused")
        error.plan = SimpleNamespace(problems=[problem])  # type: ignore[attr-defined]
        w.show_error(error)
        st.text("after")
        return
    with w.stop_on_refusal():
        raise PermissionDenied("cp.no_period")
    st.text("after")


def test_a_refused_action_is_shown_in_the_readers_language_and_stops_the_page() -> None:
    at = run(error_script, lang="en", with_problems=False)
    assert [e.value for e in at.error] == ["No evaluation period yet\\."]  # Markdown-escaped
    assert not at.text


def test_a_refused_import_lists_each_problem_in_a_table() -> None:
    at = run(error_script, lang="en", with_problems=True)
    assert "1" in at.error[0].value
    table = at.dataframe[0].value
    assert list(table.columns) == ["Sheet", "Row", "Column", "Reason"]
    assert table.iloc[0].tolist() == ["Skor", 4, "level", "Level 9"]
    assert at.text[0].value == "after"


def progress_script(reader: str) -> None:
    import streamlit as st

    from app_pages import widgets as w
    from evaluation.translatable import Message

    report = w.reporting_to(st.progress(0.0), reader)
    report(1.7, Message("cp.no_period"))


def test_a_services_progress_is_drawn_capped_with_its_step_in_the_readers_language() -> None:
    at = run(progress_script, reader="en")
    assert not at.exception
    bar = at.get("progress")[0]
    assert bar.proto.value == 100
    assert bar.proto.text == "No evaluation period yet."
