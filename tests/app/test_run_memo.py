"""Values read once per script run (app_pages/run_memo.py): computed at the first ask of a run, the same
value for the rest of it, computed again in the next run."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def memo_script() -> None:
    import streamlit as st

    from app_pages.run_memo import once_per_run

    counter = st.session_state.setdefault("computed", [])

    def compute() -> int:
        counter.append(1)
        return len(counter)

    first, second = once_per_run("k", compute), once_per_run("k", compute)
    other = once_per_run("other", compute)
    st.text(f"{first} {second} {other} computed {len(counter)}")


def test_a_value_is_computed_once_per_run_and_again_in_the_next_run() -> None:
    at = AppTest.from_function(memo_script, default_timeout=30).run()
    assert at.text[0].value == "1 1 2 computed 2"
    at.run()
    assert at.text[0].value == "3 3 4 computed 4"


def test_outside_a_script_run_every_ask_computes() -> None:
    from app_pages.run_memo import once_per_run

    calls: list[int] = []
    assert [once_per_run("k", lambda: calls.append(1) or len(calls)) for _ in range(2)] == [1, 2]


def test_a_context_reset_for_a_new_run_forgets_the_values(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A server may run several scripts on one ScriptRunContext: reset() makes a new cursor map each run."""
    from types import SimpleNamespace

    from app_pages import run_memo

    ctx = SimpleNamespace(cursors={})
    monkeypatch.setattr(run_memo, "get_script_run_ctx", lambda suppress_warning=False: ctx)
    calls: list[int] = []

    def ask() -> int:
        return run_memo.once_per_run("k", lambda: calls.append(1) or len(calls))

    assert [ask(), ask()] == [1, 1]
    ctx.cursors = {}  # what ScriptRunContext.reset does when the next run starts
    assert [ask(), ask()] == [2, 2]
