"""Run something that starts its own asyncio event loop from a test.

A browser test earlier in the same worker leaves Playwright's sync API (the session's `browser` fixture)
with an event loop running in the main thread, where `asyncio.run` refuses to start ("cannot be called
from a running event loop"). A thread of its own has no loop."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def in_own_thread(call: Callable[[], T]) -> T:
    """`call()` run in a new thread; its result, or its exception raised here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()
