"""The server's garbage collector policy (issue 17): one full collection a minute instead of one every few
seconds.

An app server keeps a national instance's caches (scorings, figures, tables) in memory, hundreds of
thousands of objects. Python's generational collector walks all of them in each full collection, which
it starts whenever the long-lived objects grew by a quarter: under 50 sessions that was 11 full
collections of ~170 ms in 30 s, each holding the GIL (so every session waited). Here a background thread
runs `gc.collect()` and then `gc.freeze()` 30 s after start (once start-up has loaded the app) and then
every `SPBE_GC_FREEZE_SECONDS` (default 60; 0 turns this off): what is alive then is out of the
collector's reach until the next turn, so the generational collections in between only walk what was
made since. What a freeze keeps: cyclic garbage among frozen objects (an evicted cache entry with
reference cycles) is freed at the next turn's `gc.unfreeze()` and full collection, so memory is bounded by
what one interval frees; objects without cycles are freed by their reference count at once, frozen or
not. Streamlit's own full collection after every run stays off (`runner.postScriptGC = false` in
.streamlit/config.toml).
"""

from __future__ import annotations

import gc
import logging
import threading
import time

log = logging.getLogger(__name__)
_started = threading.Lock()
_thread: threading.Thread | None = None


def refreeze() -> tuple[int, float]:
    """One turn: unfreeze, collect everything, freeze what is alive. Returns (objects frozen, seconds)."""
    started = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count(), time.perf_counter() - started


def _loop(every: float, first: float) -> None:
    delay = first
    while True:
        time.sleep(delay)
        try:
            frozen, seconds = refreeze()
            log.info(
                "collector: %d objects frozen after a full collection of %.0f ms", frozen, seconds * 1000
            )
        except Exception:  # never let the policy take the server down; Python's collector still runs
            log.exception("collector: refreeze failed")
        delay = every


def start(every: int, first: float = 30.0) -> bool:
    """Start the refreeze thread once per process (`every` seconds between turns, the first turn after
    `first` seconds or `every` if shorter, once start-up has loaded the app's modules and frameworks).
    Returns whether this call started it; `every` <= 0 starts nothing."""
    global _thread
    if every <= 0:
        return False
    with _started:
        if _thread is not None:
            return False
        _thread = threading.Thread(
            target=_loop, args=(float(every), min(first, float(every))), name="spbe-gc-freeze", daemon=True
        )
        _thread.start()
    return True
