"""The codebook view (tags in categories, with memos and counts; .qdc export and
import) and the memo editor and search for the project and articles."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.formats.records import ImportFormatError
from annotator.gui.tag_palette import swatch
from annotator.services.codebook import codebook, export_codebook, import_codebook
from annotator.services.memos import search_memos
from annotator.store import Store, StoreError


class CodebookDialog(QDialog):
    """Tags → Codebook: every tag under its category, its key, how often it is used
    and its memo; export or import the codebook alone (REFI-QDA .qdc)."""

    changed = Signal()  # tags were imported

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Codebook")
        self.resize(760, 460)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Tag", "Key", "Annotations", "Memo (what it means, with examples)"])
        self.tree.setColumnWidth(0, 200)
        self.tree.setColumnWidth(1, 40)
        self.tree.setColumnWidth(2, 90)
        self.tree.setWordWrap(True)
        self.export_button = QPushButton("&Export codebook (.qdc)…")
        self.export_button.clicked.connect(self.export_file)
        self.import_button = QPushButton("&Import codebook (.qdc)…")
        self.import_button.clicked.connect(self.import_file)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for entry in codebook(self.store):
            t = entry.tag
            parent = items.get(t.parent_id)
            item = QTreeWidgetItem([t.name, t.shortcut, str(entry.count), t.description])
            item.setIcon(0, swatch(t.colour))
            item.setToolTip(3, t.description)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setData(0, Qt.ItemDataRole.UserRole, t.id)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[t.id] = item
        self.tree.expandAll()

    def export_file(self, path: str = "") -> str:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Export codebook", "codebook.qdc",
                                                  "REFI-QDA codebook (*.qdc)")
        if not path:
            return ""
        try:
            count = export_codebook(self.store, path)
        except (OSError, StoreError) as error:
            QMessageBox.warning(self, "Export codebook", f"Cannot write {path}: {error}")
            return ""
        self.setWindowTitle(f"Codebook — {count} tags written to {path}")
        return path

    def import_file(self, path: str = "") -> tuple[int, int] | None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Import codebook", "", "REFI-QDA codebook (*.qdc *.qde)")
        if not path:
            return None
        try:
            added, updated = import_codebook(self.store, path=path).value
        except (ImportFormatError, StoreError) as error:
            QMessageBox.warning(self, "Import codebook", str(error))
            return None
        self.refresh()
        self.changed.emit()
        self.setWindowTitle(f"Codebook — {added} tags added, {updated} updated")
        return added, updated


class MemoDialog(QDialog):
    """A memo on the project or on an article: free text, saved on OK."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(560, 380)
        self.edit = QPlainTextEdit(text)
        self.edit.setPlaceholderText("What you want to remember: context, doubts, what to check next…")
        self.edit.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit, 1)
        layout.addWidget(buttons)
        self.edit.setFocus()

    def text(self) -> str:
        return self.edit.toPlainText()


class MemoSearchDialog(QDialog):
    """Edit → Search memos: every memo (project, articles, tags) holding the words
    typed; double-click or Enter on an article's memo opens the article."""

    articleChosen = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Search memos")
        self.resize(640, 420)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Words to find in memos")
        self.field.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.count = QLabel()
        self.field.textChanged.connect(self.search)
        self.results.itemActivated.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.count)
        layout.addWidget(self.results, 1)
        self.search("")

    def search(self, words: str) -> None:
        self.results.clear()
        titles = {a.id: a.title for a in self.store.list_articles()}
        tags = {t.id: t.name for t in self.store.list_tags()}
        found = search_memos(self.store, words)
        for scope, target, text in found:
            where = {"project": "Project", "article": f"Article “{titles.get(target, target)}”",
                     "tag": f"Tag “{tags.get(target, target)}”"}[scope]
            snippet = " ".join(text.split())
            item = QListWidgetItem(f"{where}: {snippet[:200]}")
            item.setToolTip(text)
            item.setData(Qt.ItemDataRole.UserRole, (scope, target))
            self.results.addItem(item)
        self.count.setText(f"{len(found)} memo{'s' if len(found) != 1 else ''}")

    def _open(self, item: QListWidgetItem) -> None:
        scope, target = item.data(Qt.ItemDataRole.UserRole)
        if scope == "article":
            self.articleChosen.emit(target)
            self.accept()
