"""The window's shortcuts win over the Emacs-style keys that text fields take on X11.

On X11 (the xcb platform) Qt's key bindings add Emacs-style keys to every text field:
Ctrl+E moves to the end of the line, Ctrl+D deletes, Ctrl+K and Ctrl+U delete to the
end and the whole line, Ctrl+Shift+A deselects. A field that has focus claims these
keys before any shortcut, so Ctrl+E (File → Export) did nothing while the article
filter had focus, on Linux only. The field keeps them where the window has no
enabled action on the key; End, Delete and the other keys stay the field's.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

# The bindings the xcb platform adds to the other platforms' (measured with
# QKeySequence.keyBindings under QT_QPA_PLATFORM=xcb and offscreen, Qt 6.8).
X11_EDITING_KEYS = frozenset(
    QKeySequence(text) for text in ("Ctrl+D", "Ctrl+E", "Ctrl+K", "Ctrl+U", "Ctrl+Shift+A")
)
TEXT_FIELDS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox)


def window_action_for(widget: QWidget, key: QKeySequence) -> QAction | None:
    """The enabled action of ``widget``'s window that ``key`` triggers, if any."""
    for action in widget.window().findChildren(QAction):
        if action.isEnabled() and key in action.shortcuts():
            return action
    return None


class WindowShortcutsFirst(QObject):
    """An application event filter: a text field's claim on an X11 Emacs-style key
    is dropped when the window has an action on that key, so the action runs."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(watched, TEXT_FIELDS):
            return False
        assert isinstance(event, QKeyEvent)
        key = QKeySequence(event.keyCombination())
        if key in X11_EDITING_KEYS and window_action_for(watched, key) is not None:
            event.ignore()  # not claimed by the field: the shortcut map delivers it to the action
            return True
        return False


def install(app: QApplication) -> None:
    """Install the filter on ``app`` once."""
    if app.findChild(WindowShortcutsFirst) is None:
        app.installEventFilter(WindowShortcutsFirst(app))
