"""Long work off the UI thread, with a progress dialog and a Cancel button.

The work function runs in a QThread with its own database connection (SQLite
connections are not shared between threads); it reports progress through a
callback and polls ``cancelled()`` between items. Its result, or its
exception, comes back to the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.store import Store, open_store

# work(store, progress(done, total, label), cancelled) -> result
Work = Callable[[Store, Callable[[int, int, str], None], Callable[[], bool]], Any]


class _Runner(QThread):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, db_path: str, work: Work, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = db_path
        self.work = work
        self.cancel_event = threading.Event()

    def run(self) -> None:
        try:
            store = open_store(self.db_path)
            try:
                result = self.work(store, self.progressed.emit, self.cancel_event.is_set)
            finally:
                store.close()
        except Exception as error:  # handed to the UI thread, which decides how to show it
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)


class BackgroundJob(QObject):
    """One running job: a thread plus its progress dialog."""

    finished = Signal(object)   # the work's result
    failed = Signal(object)     # the exception it raised

    def __init__(self, parent: QWidget, title: str, db_path: str, work: Work):
        super().__init__(parent)
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setMinimumWidth(420)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.runner = _Runner(db_path, work, self)
        self.dialog.canceled.connect(self.cancel)
        self.runner.progressed.connect(self._progress)
        self.runner.succeeded.connect(self._succeeded)
        self.runner.failed.connect(self._failed)

    @property
    def cancelled(self) -> bool:
        return self.runner.cancel_event.is_set()

    def start(self) -> BackgroundJob:
        self.runner.start()
        return self

    def cancel(self) -> None:
        self.runner.cancel_event.set()
        self.dialog.setLabelText("Cancelling…")

    def wait(self, ms: int = 60_000) -> bool:
        return self.runner.wait(ms)

    def _progress(self, done: int, total: int, label: str) -> None:
        if self.cancelled:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        self.dialog.setLabelText(f"{done} of {total}: {label}" if total else label)

    def _finish(self) -> None:
        self.runner.wait()
        # Closing a progress dialog emits canceled(): it must not read as the user's cancel.
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.deleteLater()

    def _succeeded(self, result: Any) -> None:
        self._finish()
        self.finished.emit(result)

    def _failed(self, error: Exception) -> None:
        self._finish()
        self.failed.emit(error)


def run_job(parent: QWidget, title: str, db_path: str, work: Work,
            on_done: Callable[[Any], None], on_error: Callable[[Exception], None]) -> BackgroundJob:
    """Start ``work`` in the background; ``on_done(result)`` or ``on_error(exc)``
    then runs on the UI thread."""
    job = BackgroundJob(parent, title, db_path, work)
    job.finished.connect(on_done)
    job.failed.connect(on_error)
    return job.start()


class QuietJob(QObject):
    """Short background work without a dialog (e.g. suggestions for the open
    article). The callbacks run on the UI thread: the signals are received by
    this object, which lives there."""

    def __init__(self, parent: QObject, db_path: str, work: Work,
                 on_done: Callable[[Any], None], on_error: Callable[[Exception], None]):
        super().__init__(parent)
        self.on_done, self.on_error = on_done, on_error
        self.runner = _Runner(db_path, work, self)
        self.runner.succeeded.connect(self._succeeded)
        self.runner.failed.connect(self._failed)

    def _succeeded(self, result: Any) -> None:
        self.runner.wait()
        self.on_done(result)

    def _failed(self, error: Exception) -> None:
        self.runner.wait()
        self.on_error(error)

    def is_running(self) -> bool:
        return self.runner.isRunning()

    def abandon(self, ms: int = 10_000) -> None:
        """Wait for the thread and drop its result (the owner is closing)."""
        self.on_done = self.on_error = lambda _value: None
        self.runner.wait(ms)

    def wait(self, ms: int = 60_000) -> bool:
        return self.runner.wait(ms)


def run_quietly(parent: QObject, db_path: str, work: Work,
                on_done: Callable[[Any], None], on_error: Callable[[Exception], None]) -> QuietJob:
    """Start ``work`` in the background without a dialog; the owner keeps the job
    and waits for it before closing."""
    job = QuietJob(parent, db_path, work, on_done, on_error)
    job.runner.start()
    return job
