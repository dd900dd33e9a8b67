"""Tagging: the tag keys, tagging and retagging, deleting, attributing a claim."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from annotator.domain import Annotation
from annotator.gui.annotation_panel import AnnotationPanel
from annotator.gui.commands import (
    AddAnnotationCommand,
    DeleteAnnotationsCommand,
    RetagAnnotationCommand,
    SetSourceCommand,
)
from annotator.gui.context import Workbench
from annotator.gui.suggestion_review import SuggestionReview


class Tagging(QObject):
    """The Annotation menu: a window-wide action per tag key, and "Said by".

    ``whole_words()`` says whether selections are extended to whole words.
    """

    def __init__(self, bench: Workbench, annotations: AnnotationPanel, review: SuggestionReview,
                 menu: QMenu, whole_words: Callable[[], bool]):
        super().__init__(bench.window)
        self.bench = bench
        self.document = bench.document
        self.view = bench.view
        self.annotations = annotations
        self.review = review
        self.menu = menu
        self.whole_words = whole_words
        self.attribute_action = QAction("&Said by… (attribute the claim to its source)", bench.window)
        self.attribute_action.setShortcut(QKeySequence("Ctrl+L"))
        self.attribute_action.setStatusTip("Link the selected claim to the source that said it, change or remove it")
        self.attribute_action.triggered.connect(self.attribute_selected)
        bench.window.addAction(self.attribute_action)
        self.document.tagsChanged.connect(self._tags_changed)

    def _tags_changed(self) -> None:
        self.menu.clear()
        for t in self.document.tags:
            # Window-wide keys: they tag from the table, the palette or the list too, while
            # a text field that types the key (filter, note, find) gets it first.
            action = self.menu.addAction(f"Tag as {t.name}")
            if t.shortcut:
                action.setShortcut(QKeySequence(t.shortcut))
            action.triggered.connect(lambda _checked=False, tag_id=t.id: self.tag_selection(tag_id))
        self.menu.addSeparator()
        self.menu.addAction(self.attribute_action)

    def tag_selection(self, tag_id: int) -> Annotation | None:
        """Tag the view's selection, or retag the selected annotations when nothing is selected."""
        if self.document.article is None:
            return None
        start, end = self.view.selected_span()
        if start == end:
            selected = self.annotations.selected()
            if selected:
                with self.bench.macro(f"retag {len(selected)} annotations"):
                    for a in selected:
                        if a.tag_id != tag_id:
                            self.bench.push(RetagAnnotationCommand(self.document, a, tag_id))
                return None
            self.bench.message("Select some text first (Shift+arrows or the mouse), then press a tag key.", 4000)
            return None
        suggestion = self.document.suggestion_at(start, end)
        if suggestion is not None:
            return self.review.accept_suggestion(suggestion.id, tag_id)
        command = AddAnnotationCommand(self.document, tag_id, start, end, whole_words=self.whole_words())
        if self.bench.push(command) and command.annotation is not None:
            tag = self.document.tag(tag_id)
            self.bench.message(f"Saved as {tag.name if tag else '?'}: “{command.annotation.quote[:60]}”", 3000)
            return command.annotation
        return None

    def delete_selected(self) -> None:
        """Delete the selected annotations (or, in the article, the one at the cursor)."""
        selected = self.annotations.selected()
        if not selected and self.view.hasFocus():
            spans = [s for s in self.view.highlighter.spans_at(self.view.cursor_offset()) if not s.suggested]
            selected = [a for a in (self.document.annotation(s.id) for s in spans) if a is not None][:1]
        if selected:
            self.bench.push(DeleteAnnotationsCommand(self.document, [a.id for a in selected]))
            self.bench.message(f"Deleted {len(selected)} annotation(s) (saved; Ctrl+Z to undo)", 4000)

    def attribute_selected(self) -> bool:
        """Annotation → Said by (Ctrl+L): choose the source of the selected claim,
        change it, or remove it; one undo step."""
        from annotator.gui.attribution import SourcePickerDialog

        claim = self.annotations.current()
        if claim is None:
            self.bench.message("Select one claim first (J/K or a click), then press Ctrl+L.", 4000)
            return False
        dialog = SourcePickerDialog(self.document, claim, self.bench.window)
        self.source_dialog = dialog
        if not dialog.exec():
            return False
        chosen = dialog.chosen()
        current = self.document.source_of(claim.id)
        if chosen == ([current.id] if current else []):
            return False
        command = SetSourceCommand(self.document, claim, chosen)
        if not self.bench.push(command):
            return False
        self.bench.message(f"{command.text()[0].upper()}{command.text()[1:]} (saved; Ctrl+Z undoes)", 4000)
        return True
