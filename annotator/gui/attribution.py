"""Attribution by hand: say who said a claim (link it to its source annotation)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import Annotation
from annotator.gui.commands import short
from annotator.gui.document import ArticleDocument

NO_SOURCE = -1


def source_candidates(document: ArticleDocument, claim: Annotation) -> list[Annotation]:
    """The annotations a claim may be attributed to: those tagged as a source (all
    others when there is no such tag), the current source always among them."""
    source_tags = {t.id for t in document.tags if t.name.casefold() == "source"}
    current = document.source_of(claim.id)
    return [a for a in document.annotations
            if a.id != claim.id and (not source_tags or a.tag_id in source_tags or a is current)]


class SourcePickerDialog(QDialog):
    """Choose the source of a claim with arrows and Enter, or a double click;
    the first line removes the attribution."""

    def __init__(self, document: ArticleDocument, claim: Annotation, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Said by")
        self.resize(560, 380)
        self.list = QListWidget()
        none = QListWidgetItem("No source (remove the attribution)")
        none.setData(Qt.ItemDataRole.UserRole, NO_SOURCE)
        self.list.addItem(none)
        candidates = source_candidates(document, claim)
        current = document.source_of(claim.id)
        # Preselect the current source, else the nearest one before the claim (sources
        # are mostly named just before what they say), else the first after it.
        before = [a for a in candidates if a.start <= claim.start]
        preselect = current or (before[-1] if before else candidates[0] if candidates else None)
        for a in candidates:
            tag = document.tag(a.tag_id)
            item = QListWidgetItem(f"“{short(a.quote, 70)}”  ({tag.name if tag else '?'}, characters {a.start}–{a.end})")
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            item.setToolTip(a.quote)
            self.list.addItem(item)
            if a is preselect:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        heading = QLabel(f"Who said “{short(claim.quote, 80)}”?\n"
                         "Arrows and Enter, or double-click; type to jump to a name.")
        heading.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.list.setFocus()

    def chosen(self) -> list[int]:
        """The chosen source as a list of ids ([] removes the attribution)."""
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else NO_SOURCE
        return [] if value == NO_SOURCE else [value]
