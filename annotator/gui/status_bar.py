"""The window's status bar: a message too long for the room beside the permanent widgets
(counts, layer, connection) ends in "…" a little before them, instead of being cut off
against them, and the whole of it is in the tooltip.

Qt draws a status bar message itself, clipped two pixels short of the first permanent
widget. Here the program's messages go to a label that takes the free room instead and
elides its text whenever that room changes. (Status tips Qt shows on its own, when the
mouse is over a menu entry, still take Qt's own way.)"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

# Room kept between the message and the first permanent widget, in pixels.
GAP = 16


class _ElidedLabel(QLabel):
    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setContentsMargins(0, 0, GAP, 0)

    def show_text(self, text: str) -> None:
        self.full = text
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideRight, room)
        self.setText(shown)
        self.setToolTip(self.full if shown != self.full else "")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._elide()


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._label = _ElidedLabel(self)
        self.addWidget(self._label, 1)
        self._timer = QTimer(self, singleShot=True, timeout=self.clearMessage)

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 (Qt's name)
        self._label.show_text(text)
        if timeout > 0:
            self._timer.start(timeout)
        else:
            self._timer.stop()
        self.messageChanged.emit(text)

    def clearMessage(self) -> None:  # noqa: N802 (Qt's name)
        self._timer.stop()
        if self._label.full:
            self._label.show_text("")
            self.messageChanged.emit("")

    def currentMessage(self) -> str:  # noqa: N802 (Qt's name)
        return self._label.full
