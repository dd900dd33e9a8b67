"""Worker processes for CPU-heavy work (parsing files, suggesting on long texts).

Pure-Python work in a thread holds the GIL and starves the window's thread;
in another process it runs on the other core and leaves the window fluid.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor


def _lower_priority() -> None:
    # Background work yields the CPU to the window the analyst is typing in.
    with contextlib.suppress(OSError):
        os.nice(5)


def process_pool(workers: int, preload: Sequence[str] = ()) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started by the fork server, at a lower priority.

    fork() from a process that runs Qt or other threads can deadlock the child;
    the fork server is a clean single-threaded process that preloads ``preload``.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_lower_priority)
