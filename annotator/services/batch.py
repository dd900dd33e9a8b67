"""Building the corpus views makes a few hundred thousand small tuples at once."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a view's rows are built.

    Rows are tuples without reference cycles, but every 700 new ones the collector
    walks the objects already alive, and in the window (with its models and an
    open article) that doubles the time to build the source registry or the
    figure tracker. Collection resumes, as it was, when the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
