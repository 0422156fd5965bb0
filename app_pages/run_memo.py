"""Values read once per script run: the signed-in user and the unread count are asked by app.py, the
sidebar and the page of the same run, each a database read (issue 17: ~15% of a run's CPU under 50
sessions went on asking them again)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

T = TypeVar("T")
_ATTRIBUTE = "_spbe_run_memo"


def once_per_run(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` the first time `key` is asked in this script run, the same value after that. Outside a
    script run (no context: a test, a thread), always `compute()`. A run is told apart by the cursor map
    Streamlit makes afresh when a run starts (ScriptRunContext.reset), so nothing outlives its run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    run = getattr(ctx, "cursors", None)
    if ctx is None or run is None:
        return compute()
    memo: tuple[Any, dict[Hashable, Any]] | None = getattr(ctx, _ATTRIBUTE, None)
    if memo is None or memo[0] is not run:
        memo = (run, {})
        setattr(ctx, _ATTRIBUTE, memo)
    values = memo[1]
    if key not in values:
        values[key] = compute()
    return values[key]
