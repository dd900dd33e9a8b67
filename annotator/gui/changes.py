"""The one place where the window hears what changed.

Every operation on the window's database, whichever thread ran it (the window's
own, a background job's), arrives here as a ``changed(Changes)`` signal on the UI
thread; each view connects to it and refreshes what the changes touch. Callers
never decide which views to refresh.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal

from annotator.services.changes import OpRecord, add_listener


def _same_file(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


class ChangeHub(QObject):
    """Announces the changes of every operation on ``database``."""

    changed = Signal(object)  # Changes

    def __init__(self, database: str, parent: QObject | None = None):
        super().__init__(parent)
        self.database = database
        self._remove = add_listener(self._heard)

    def _heard(self, record: OpRecord) -> None:
        # Called in the thread that ran the operation; a signal emitted from
        # another thread reaches the UI thread's slots queued.
        if record.changes and _same_file(record.database, self.database):
            try:
                self.changed.emit(record.changes)
            except RuntimeError:  # the window was deleted without closing
                self.close()

    def close(self) -> None:
        """Stop listening (the window is closing)."""
        if self._remove is not None:
            self._remove()
            self._remove = None
