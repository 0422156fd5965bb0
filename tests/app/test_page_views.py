"""What a ministry page shows is kept per data version (app_pages/read_models.py `versioned_view`, issue 17):
the same object while nothing is written, built afresh after any audited write, and never shared between
two pages' functions of the same name."""

from __future__ import annotations

import streamlit as st

from app_pages import read_models
from evaluation.data_version import bump


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_a_view_is_the_same_object_until_the_data_version_moves(engine):
    built: list[int] = []

    @read_models.versioned_view(scope=read_models.SETTLED)
    def view(url: str, period_id: int) -> dict[str, int]:
        built.append(period_id)
        return {"period": period_id}

    st.cache_resource.clear()
    url = _url(engine)
    first = view(url, 7)
    assert view(url, 7) is first and built == [7]
    with engine.begin() as connection:
        bump(connection)
    fresh = view(url, 7)
    assert fresh is not first and fresh == first and built == [7, 7]
    assert view(url, 8) == {"period": 8} and built == [7, 7, 8]


def test_a_settled_view_outlasts_working_saves_and_an_everything_view_does_not(engine):
    from evaluation.data_version import BUMP_WORKING_SQL

    built: list[str] = []

    @read_models.versioned_view(scope=read_models.SETTLED)
    def settled(url: str) -> list[str]:
        built.append("s")
        return ["s"]

    @read_models.versioned_view(scope=read_models.EVERYTHING)
    def everything(url: str) -> list[str]:
        built.append("e")
        return ["e"]

    st.cache_resource.clear()
    url = _url(engine)
    first_settled, first_everything = settled(url), everything(url)
    with engine.begin() as connection:  # what a working save's transaction bumps (audit_chain._head)
        connection.exec_driver_sql(BUMP_WORKING_SQL)
    assert settled(url) is first_settled
    assert everything(url) is not first_everything
    with engine.begin() as connection:  # any other audited write
        bump(connection)
    assert settled(url) is not first_settled
    assert built == ["s", "e", "e", "s"]


def test_an_unknown_scope_is_refused():
    import pytest

    with pytest.raises(ValueError):
        read_models.versioned_view(scope=3)(lambda url: None)


def test_two_pages_views_of_one_name_keep_their_own_results(engine):
    source = "@versioned_view(scope=2)\ndef table(url, period_id):\n    return (PAGE, period_id)\n"
    views = []
    for page in ("compare", "gaps"):  # a page runs as __main__: only its file tells two apart
        space = {"versioned_view": read_models.versioned_view, "PAGE": page, "__name__": "__main__"}
        exec(compile(source, f"/app/app_pages/{page}.py", "exec"), space)
        views.append(space["table"])
    st.cache_resource.clear()
    url = _url(engine)
    assert [view(url, 1) for view in views] == [("compare", 1), ("gaps", 1)]


def test_a_ready_figure_carries_the_readers_decimal_mark_and_inert_text():
    import plotly.graph_objects as go

    figure = go.Figure(go.Bar(x=["<b>x</b>"], y=[3.28]))
    ready = read_models.ready_figure(figure, "id")
    assert ready.layout.separators == ",."
    assert ready.data[0].x[0] == "&lt;b>x&lt;/b>"


def test_a_ready_figure_is_sent_as_the_plain_figure_would_be_without_copying_its_points():
    import plotly.graph_objects as go
    import plotly.io

    from app_pages.plain import inert_figure

    def figure() -> go.Figure:
        return go.Figure(go.Scatter(x=list(range(50)), y=[v / 7 for v in range(50)], customdata=["a"] * 50))

    ready = read_models.ready_figure(figure(), "en")
    plain = inert_figure(figure().update_layout(separators=".,"))
    assert ready.to_dict() is ready.to_dict()  # made once, handed out as it is
    assert plotly.io.to_json(ready.to_dict(), validate=False) == plotly.io.to_json(plain, validate=False)
