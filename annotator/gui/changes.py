"""The one place where the window hears what changed.

Every operation on the window's database, whichever thread ran it (the window's
own, a background job's), arrives here as a ``changed(Changes)`` signal on the UI
thread; each view connects to it and refreshes what the changes touch. Callers
never decide which views to refresh.
"""

from __future__ import annotations

import os
import threading

from PySide6.QtCore import QObject, Qt, QThread, Signal

from annotator.services.changes import Changes, OpRecord, add_listener


def _same_file(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


class ChangeHub(QObject):
    """Announces the changes of every operation on ``database``.

    Operations run on the UI thread are announced at once. Those of other threads
    (an import of a thousand files) are gathered and announced together when the
    UI thread gets to them: one refresh for a burst, not one per article.
    """

    changed = Signal(object)  # Changes
    _arrived = Signal()       # queued: changes of another thread wait in _pending

    def __init__(self, database: str, parent: QObject | None = None):
        super().__init__(parent)
        self.database = database
        self._lock = threading.Lock()
        self._pending: Changes | None = None
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._remove = add_listener(self._heard)

    def _heard(self, record: OpRecord) -> None:
        # Called in the thread that ran the operation.
        if not record.changes or not _same_file(record.database, self.database):
            return
        try:
            if QThread.currentThread() == self.thread():
                self.changed.emit(record.changes)
                return
            with self._lock:
                first = self._pending is None
                self._pending = record.changes if first else self._pending | record.changes
            if first:
                self._arrived.emit()
        except RuntimeError:  # the window was deleted without closing
            self.close()

    def _deliver(self) -> None:
        with self._lock:
            changes, self._pending = self._pending, None
        if changes:
            self.changed.emit(changes)

    def close(self) -> None:
        """Stop listening (the window is closing)."""
        if self._remove is not None:
            self._remove()
            self._remove = None
