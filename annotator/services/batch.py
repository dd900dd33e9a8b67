"""Building the corpus views makes a few hundred thousand small tuples at once."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator


_paused = 0   # blocks in progress, in any thread (the registry groups in the background)
_lock = threading.Lock()


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a view's rows are built.

    Rows are tuples without reference cycles, but every 700 new ones the collector
    walks the objects already alive, and in the window (with its models and an
    open article) that doubles the time to build the source registry or the
    figure tracker. Collection resumes, as it was, when the last block running
    (in any thread) ends.
    """
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


_was_enabled = True
