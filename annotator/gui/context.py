"""What the window's panels and controllers share, passed to each explicitly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand, QUndoGroup
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.gui.article_view import ArticleView
from annotator.gui.document import ArticleDocument
from annotator.store import Store


@dataclass
class Workbench:
    """The open database, the open article and the window's common services.

    ``message(text, ms)`` shows a status-bar line (0 ms: until replaced);
    ``report(error, title)`` shows a problem in a message box;
    ``save_setting(name, value) -> bool`` saves a preference (problems are shown);
    ``run_in_background(title, work, on_done, on_error)`` runs long work with
    progress and cancel (see ``MainWindow.run_in_background``).
    """

    store: Store
    document: ArticleDocument
    view: ArticleView
    window: QWidget  # the parent of dialogs
    undo_group: QUndoGroup
    message: Callable[[str, int], None]
    report: Callable[[Exception, str], None]
    save_setting: Callable[[str, object], bool]
    run_in_background: Callable[..., object]

    def push(self, command: QUndoCommand) -> bool:
        """Run an undo command on the open article's stack; True if it was saved
        (a failure is announced by the document's ``failed`` signal and the command
        dropped). With no article open there is no stack: the command runs once,
        without an undo step."""
        stack = self.undo_group.activeStack()
        if stack is None:
            command.redo()
        else:
            stack.push(command)
        return getattr(command, "error", None) is None

    def confirm(self, title: str, question: str) -> bool:
        """Ask before something that cannot be undone; Cancel is the default."""
        answer = QMessageBox.question(
            self.window, title, question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """Several commands as one undo step."""
        stack = self.undo_group.activeStack()
        if stack is not None:
            stack.beginMacro(text)
        try:
            yield
        finally:
            if stack is not None:
                stack.endMacro()
