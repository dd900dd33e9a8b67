"""Dialogs of article intake: import preview, article properties, import report, save original.

* :class:`ImportPreviewDialog` shows an article before it is stored: metadata to
  review and edit, the text, and the lines that boilerplate removal takes out,
  each of which can be restored. ``article()`` is what to store.
* :class:`ArticlePropertiesDialog` edits a stored article's metadata (never its
  text) and lists the lines removed at import. ``changes()`` feeds
  the ``update_article`` service.
* :class:`ImportReportDialog` ends a batch: counts, one row per file, Copy.
* :func:`save_original` writes an article's original file back to disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import Article, NewArticle, title_from_text
from annotator.ingest import drop_lines, find_boilerplate
from annotator.services.intake import (
    DUPLICATE,
    ERROR,
    IMPORTED,
    ImportOutcome,
    format_report,
    write_original,
)
from annotator.store import StoreError

METADATA_FIELDS = ("title", "outlet", "author", "published", "url")
_LABELS = {"title": "&Title:", "outlet": "&Outlet:", "author": "&Author:", "published": "&Date:", "url": "&URL:"}


def valid_date(value: str) -> bool:
    """Empty, or an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)."""
    if not value:
        return True
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            dt.datetime.strptime(value, fmt)
            return True
        except ValueError:
            continue
    return False


class MetadataForm(QWidget):
    """Title, outlet, author, date and URL of an article, editable."""

    def __init__(self, values: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self._initial = {name: values.get(name, "") or "" for name in METADATA_FIELDS}
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QLineEdit] = {}
        for name in METADATA_FIELDS:
            edit = QLineEdit(self._initial[name], self)
            edit.setObjectName(f"{name}Edit")
            edit.setCursorPosition(0)  # long URLs show their beginning
            if name == "published":
                edit.setPlaceholderText("YYYY-MM-DD")
            label = QLabel(_LABELS[name], self)
            label.setBuddy(edit)
            layout.addRow(label, edit)
            self.edits[name] = edit
            edit.textChanged.connect(self._recheck)
        self.error = QLabel(self)
        self.error.setObjectName("metadataError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        layout.addRow(self.error)

    def values(self) -> dict[str, str]:
        return {name: " ".join(edit.text().split()) for name, edit in self.edits.items()}

    def changes(self) -> dict[str, str]:
        """Only the fields that differ from the values the form opened with."""
        return {name: value for name, value in self.values().items() if value != self._initial[name]}

    def _recheck(self) -> None:
        """Once a problem is shown, it goes away as soon as it is fixed."""
        if self.error.isVisible():
            self.validate(focus=False)

    def validate(self, *, focus: bool = True) -> bool:
        """Show what is wrong (and focus it); True if the values can be saved."""
        values = self.values()
        problem, field = "", ""
        if not values["title"]:
            problem, field = "The title cannot be empty.", "title"
        elif not valid_date(values["published"]):
            problem, field = "Write the date as YYYY-MM-DD (or leave it empty).", "published"
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        if field and focus:
            self.edits[field].setFocus()
        return not problem


class ImportPreviewDialog(QDialog):
    """Review an article before it is stored.

    ``raw`` is the article read with ``keep_boilerplate=True``; ``removals``
    are the indices of its lines (``raw.text.split("\\n")``) proposed for
    removal, by default the built-in rules (pass
    ``annotator.services.intake.plan_removals(raw, store)`` to include the
    outlet's recurring lines). Each proposed line is listed with a check box:
    unchecking it restores the line, and the text preview follows.
    """

    def __init__(self, raw: NewArticle, removals: Sequence[int] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.raw = raw
        self.setWindowTitle("Import article")
        self.resize(900, 640)
        self._lines = raw.text.split("\n")
        planned = find_boilerplate(raw.text) if removals is None else sorted(set(removals))
        self._planned = [i for i in planned if 0 <= i < len(self._lines) and self._lines[i].strip()]
        self._auto_title = raw.title == title_from_text(raw.text)

        self.form = MetadataForm(
            {"title": raw.title, "outlet": raw.outlet, "author": raw.author, "published": raw.published, "url": raw.url},
            self,
        )
        source = raw.original_name or Path(raw.source_path).name
        self.source_label = QLabel(f"From <b>{_escape(source)}</b> ({raw.source_format})" if source else "", self)

        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("textPreview")
        self.preview.setReadOnly(True)
        self.preview.setTextInteractionFlags(  # arrows move the cursor: "the line at the cursor"
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        self.removed_list = QListWidget(self)
        self.removed_list.setObjectName("removedLines")
        self.removed_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.removed_list.setWordWrap(True)
        self.removed_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for index in self._planned:
            self._add_removal(index)
        self.removed_list.itemChanged.connect(self._update_preview)
        self.remove_line_button = QPushButton("Remove the &line at the cursor", self)
        self.remove_line_button.setToolTip("Add the line the text cursor is on to the lines removed")
        self.remove_line_button.clicked.connect(self.remove_cursor_line)
        self.restore_all_button = QPushButton("&Keep all lines", self)
        self.restore_all_button.clicked.connect(lambda: self._set_all(Qt.CheckState.Unchecked))
        self.remove_all_button = QPushButton("&Remove all listed", self)
        self.remove_all_button.clicked.connect(lambda: self._set_all(Qt.CheckState.Checked))

        removed_box = QWidget(self)
        removed_layout = QVBoxLayout(removed_box)
        removed_layout.setContentsMargins(0, 0, 0, 0)
        self.removed_heading = QLabel(self)
        removed_layout.addWidget(self.removed_heading)
        removed_layout.addWidget(self.removed_list, 1)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.restore_all_button)
        buttons_row.addWidget(self.remove_all_button)
        buttons_row.addStretch(1)
        removed_layout.addLayout(buttons_row)

        text_box = QWidget(self)
        text_layout = QVBoxLayout(text_box)
        text_layout.setContentsMargins(0, 0, 0, 0)
        self.text_heading = QLabel(self)
        text_layout.addWidget(self.text_heading)
        text_layout.addWidget(self.preview, 1)
        text_layout.addWidget(self.remove_line_button, 0, Qt.AlignmentFlag.AlignLeft)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(text_box)
        splitter.addWidget(removed_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.source_label)
        layout.addWidget(self.form)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self._update_preview()

    def _add_removal(self, index: int) -> QListWidgetItem:
        line = self._lines[index].strip()
        item = QListWidgetItem(f"line {index + 1}: {line}")
        item.setData(Qt.ItemDataRole.UserRole, index)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
        item.setCheckState(Qt.CheckState.Checked)
        item.setToolTip(f"{line}\n\n(line {index + 1} of the file; uncheck to keep it in the article)")
        self.removed_list.addItem(item)
        return item

    def _shown_lines(self) -> list[int]:
        """For each line of the preview, the index of the file's line it shows
        (the preview's text is ``drop_lines`` of the file's: same walk)."""
        dropped = set(self.removed_indices())
        shown: list[int] = []
        previous_blank = True
        for index, line in enumerate(self._lines):
            if index in dropped:
                continue
            blank = not line.strip()
            if blank and previous_blank:
                continue
            shown.append(index)
            previous_blank = blank
        return shown

    def remove_cursor_line(self) -> bool:
        """Add the preview's line at the text cursor to the lines removed."""
        shown = self._shown_lines()
        row = self.preview.textCursor().blockNumber()
        if row >= len(shown) or not self._lines[shown[row]].strip():
            return False
        index = shown[row]
        existing = [self.removed_list.item(r) for r in range(self.removed_list.count())
                    if self.removed_list.item(r).data(Qt.ItemDataRole.UserRole) == index]
        self.removed_list.blockSignals(True)
        item = existing[0] if existing else self._add_removal(index)
        item.setCheckState(Qt.CheckState.Checked)
        self.removed_list.blockSignals(False)
        self._update_preview()
        self.preview.setTextCursor(self._cursor_at_block(min(row, self.preview.blockCount() - 1)))
        return True

    def _cursor_at_block(self, number: int) -> QTextCursor:
        return QTextCursor(self.preview.document().findBlockByNumber(number))

    def _set_all(self, state: Qt.CheckState) -> None:
        self.removed_list.blockSignals(True)
        for row in range(self.removed_list.count()):
            self.removed_list.item(row).setCheckState(state)
        self.removed_list.blockSignals(False)
        self._update_preview()

    def removed_indices(self) -> list[int]:
        """Indices of the lines still marked for removal."""
        items = (self.removed_list.item(row) for row in range(self.removed_list.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked]

    def _cleaned(self) -> tuple[str, list[str]]:
        indices = self.removed_indices()
        text, removed = drop_lines(self.raw.text, indices)
        if not text.strip():  # nothing would be left: keep the text whole
            return self.raw.text, []
        return text, removed

    def _update_preview(self, *_args) -> None:
        text, removed = self._cleaned()
        self.preview.setPlainText(text)
        words = len(text.split())
        self.text_heading.setText(f"Article text ({words:,} words)")
        count = self.removed_list.count()
        self.removed_heading.setText(
            f"Lines removed: {len(removed)} of {count}. Uncheck a line to keep it." if count
            else "No lines were found to remove."
        )
        self.restore_all_button.setEnabled(bool(count))
        self.remove_all_button.setEnabled(bool(count))

    def article(self) -> NewArticle:
        """The article to store: edited metadata, text without the lines still checked."""
        text, removed = self._cleaned()
        values = self.form.values()
        title = values["title"]
        if self._auto_title and title == self.raw.title:
            title = title_from_text(text)
        return replace(
            self.raw,
            text=text,
            removed_lines=list(self.raw.removed_lines) + removed,
            title=title,
            outlet=values["outlet"],
            author=values["author"],
            published=values["published"],
            url=values["url"],
        )

    def accept(self) -> None:
        if self.form.validate():
            super().accept()


class ArticlePropertiesDialog(QDialog):
    """Edit the metadata of a stored article; its text stays as it is."""

    def __init__(self, article: Article, removed_lines: Sequence[str] = (), *,
                 original_name: str = "", restore=None, parent: QWidget | None = None):
        """``restore(lines)`` puts removed lines back into the text and returns how
        many, or raises StoreError saying why it cannot (annotations exist)."""
        super().__init__(parent)
        self.setWindowTitle("Article properties")
        self.resize(640, 480)
        self.form = MetadataForm(
            {name: getattr(article, name) for name in METADATA_FIELDS}, self
        )
        info = [f"{len(article.text.split()):,} words", f"added {article.added[:10]}" if article.added else ""]
        if original_name:
            info.append(f"original file: {original_name}")
        self.info_label = QLabel(" · ".join(part for part in info if part), self)
        self.removed_list = QListWidget(self)
        self.removed_list.setObjectName("removedLines")
        self.removed_list.setWordWrap(True)
        self.removed_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.removed_list.addItems(list(removed_lines))
        self.removed_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        heading = QLabel(
            f"Lines removed at import ({len(removed_lines)}); select lines to put them back into the text:"
            if removed_lines else "No lines were removed at import.",
            self,
        )
        self._restore = restore
        self.restored = 0  # lines put back into the text while the dialog was open
        self.restore_button = QPushButton("Restore the selected &lines to the text", self)
        self.restore_button.setObjectName("restoreLines")
        self.restore_button.setEnabled(False)
        self.restore_button.setVisible(bool(removed_lines) and restore is not None)
        self.restore_button.clicked.connect(self.restore_selected)
        self.removed_list.itemSelectionChanged.connect(
            lambda: self.restore_button.setEnabled(bool(self.removed_list.selectedItems()))
        )
        self.restore_message = QLabel("", self)
        self.restore_message.setObjectName("restoreMessage")
        self.restore_message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.info_label)
        layout.addWidget(heading)
        layout.addWidget(self.removed_list, 1)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.restore_message)
        layout.addWidget(buttons)

    def restore_selected(self) -> None:
        """Put the selected removed lines back into the article's text, or say why not."""
        rows = sorted(self.removed_list.row(item) for item in self.removed_list.selectedItems())
        if not rows or self._restore is None:
            return
        try:
            count = self._restore([self.removed_list.item(row).text() for row in rows])
        except StoreError as error:
            self.restore_message.setText(f"Not restored: {error}")
            return
        self.restored += count
        for row in reversed(rows):
            self.removed_list.takeItem(row)
        self.restore_message.setText(f"{count} line{'s' if count != 1 else ''} restored to the text.")

    def changes(self) -> dict[str, str]:
        """The edited fields, for ``Store.update_article(article_id, **changes)``."""
        return self.form.changes()

    def accept(self) -> None:
        if self.form.validate():
            super().accept()


_STATUS_LABELS = {IMPORTED: "Imported", DUPLICATE: "Already present", ERROR: "Error"}


class ImportReportDialog(QDialog):
    """The end of an import: how many were imported, already present, failed, and why."""

    def __init__(self, outcomes: Sequence[ImportOutcome], *, cancelled: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.outcomes = list(outcomes)
        self.setWindowTitle("Import report")
        self.resize(820, 420)
        imported = sum(o.status == IMPORTED for o in self.outcomes)
        duplicates = sum(o.status == DUPLICATE for o in self.outcomes)
        errors = sum(o.status == ERROR for o in self.outcomes)
        summary = f"Imported {imported}, already present {duplicates}, failed {errors}."
        if cancelled:
            summary += " The import was cancelled; the files after the last one listed were not read."
        self.summary = QLabel(summary, self)
        self.summary.setWordWrap(True)

        self.table = QTableWidget(len(self.outcomes), 3, self)
        self.table.setHorizontalHeaderLabels(["File", "Result", "Details"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        for row, outcome in enumerate(self.outcomes):
            name = QTableWidgetItem(Path(outcome.path).name)
            name.setToolTip(outcome.path)
            status = QTableWidgetItem(_STATUS_LABELS.get(outcome.status, outcome.status))
            if outcome.status == ERROR:
                detail = outcome.message.split(": ", 1)[-1]
                status.setForeground(Qt.GlobalColor.darkRed)
            else:
                detail = f"article {outcome.article_id}" if outcome.article_id is not None else ""
            details = QTableWidgetItem(detail)
            details.setToolTip(outcome.message)
            for column, item in enumerate((name, status, details)):
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton("&Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def report_text(self) -> str:
        return format_report(self.outcomes)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())
        self.copy_button.setText("Copied")


def save_original(parent: QWidget, store, article_id: int) -> Path | None:
    """Ask where to save the article's original file and write it there.

    Returns the path written, or None when there is no original or the user
    cancelled. Problems are shown to the user, not raised.
    """
    original = store.article_original(article_id)
    if original is None:
        QMessageBox.information(parent, "Save original", "This article has no original file (it was typed or pasted).")
        return None
    name = original[0]
    target, _ = QFileDialog.getSaveFileName(parent, "Save original file", name or f"article-{article_id}")
    if not target:
        return None
    try:
        write_original(store, article_id, target)
    except OSError as error:
        QMessageBox.warning(parent, "Save original", f"Cannot write {target}: {error.strerror or error}")
        return None
    return Path(target)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
