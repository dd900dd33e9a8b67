"""The cycle collector's pause while corpus views are built, which may overlap across
threads (the source registry groups in the background while the window builds another view)."""

from __future__ import annotations

import gc
import threading

from annotator.services.batch import without_cycle_collection


def test_overlapping_pauses_in_two_threads_resume_collection_only_when_both_end():
    assert gc.isenabled()
    entered, leave = threading.Event(), threading.Event()
    seen = []

    def background():
        with without_cycle_collection():
            entered.set()
            leave.wait(10)
            seen.append(gc.isenabled())

    worker = threading.Thread(target=background)
    with without_cycle_collection():
        worker.start()
        assert entered.wait(10)
    assert not gc.isenabled()
    leave.set()
    worker.join(10)
    assert seen == [False]  # the other block ended first: still paused for this one
    assert gc.isenabled()


def test_a_pause_keeps_collection_off_when_it_was_off():
    gc.disable()
    try:
        with without_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
