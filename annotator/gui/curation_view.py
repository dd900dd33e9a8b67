"""Team → Curation: the open article's spans of every analyst side by side, one row
per place (a group of alternative spans), and the articles with their curation state.

Keys on a row: 1, 2, 3 … accept that analyst's span into the curated layer; E edits
it first (other words, another tag); R or X rejects the place; Ctrl+Z and
Ctrl+Shift+Z undo and redo (this window's own history). After each, the next place
still to settle is selected. Enter on an article opens it in the main window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QKeySequence,
    QTextCursor,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import Tag, Utf16Map, trim_span
from annotator.gui.corpus_common import CorpusWindow, OpenSpan
from annotator.gui.team_models import RecordTableModel, record_view, stacked
from annotator.gui.workers import QuietJob, run_quietly
from annotator.services.curation import (
    ArticleCuration,
    CurationChange,
    CurationGroup,
    CurationSpan,
    accept_span,
    curation_groups,
    curation_overview,
    reject_group,
    revert_curation,
)
from annotator.store import Store, StoreError

SETTLED = QColor("#ECFDF5")   # a place with a curated span or rejected
AGREED = QColor("#065F46")    # every analyst has the same span: accepting any is safe
CONTEXT = 240                 # characters around a span in the edit dialog


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _spans_text(spans: tuple[CurationSpan, ...]) -> str:
    return " | ".join(f"{s.tag}: {_short(s.quote, 50)}" for s in spans)


class GroupModel(QAbstractTableModel):
    """The places of one article: where, the words, each analyst's spans, the curated one."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.groups: list[CurationGroup] = []
        self.analysts: list[str] = []
        self.text = ""

    def set_groups(self, groups: list[CurationGroup], text: str) -> None:
        self.beginResetModel()
        self.groups, self.text = groups, text
        self.analysts = sorted({a for g in groups for a in g.analysts})
        self.endResetModel()

    def headers(self) -> list[str]:
        return ["Where", "Text", *(f"{i} {a}" for i, a in enumerate(self.analysts, 1)), "Curated"]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.groups)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.analysts) + 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if role == Qt.ItemDataRole.ToolTipRole and 2 <= section < 2 + len(self.analysts):
            return f"Press {section - 1} to accept {self.analysts[section - 2]}'s span"
        return None

    def analyst_spans(self, group: CurationGroup, analyst: str) -> tuple[CurationSpan, ...]:
        return group.by_analyst().get(analyst, ())

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        g = self.groups[index.row()]
        column = index.column()
        last = len(self.analysts) + 2
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{g.start}–{g.end}"
            if column == 1:
                return _short(self.text[g.start:g.end])
            if column == last:
                if g.curated:
                    return "✓ " + _spans_text(g.curated)
                return "rejected" if g.rejected else ""
            return _spans_text(self.analyst_spans(g, self.analysts[column - 2])) or "—"
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return self.text[g.start:g.end]
        if role == Qt.ItemDataRole.BackgroundRole and g.settled:
            return QBrush(SETTLED)
        if (role == Qt.ItemDataRole.ForegroundRole and column == 1 and not g.settled and g.agreed
                and len(g.analysts) == len(self.analysts) > 1):
            return QBrush(AGREED)  # everyone has this very span
        if role == Qt.ItemDataRole.UserRole:
            return g
        return None


class ArticleStateModel(RecordTableModel):
    """Every article with its curation state."""

    HEADERS = ("Article", "Analysts", "Their status", "Places", "Settled", "State")

    def show(self, a: ArticleCuration, column: int, role):
        if role == Qt.ItemDataRole.DisplayRole:
            statuses = ", ".join(f"{analyst} {status}" for analyst, status in a.statuses)
            return (a.title, ", ".join(a.analysts), statuses, str(a.groups), str(a.settled), a.state)[column]
        if role == Qt.ItemDataRole.BackgroundRole and a.fully_curated and a.groups:
            return QBrush(SETTLED)
        return None


class CurationCommand(QUndoCommand):
    """One curation action; undo reverts it, redo does it again (the service hands
    back the change that redoes what it undid)."""

    def __init__(self, run: Callable[[], CurationChange], store: Store, text: str,
                 after: Callable[[], None]):
        super().__init__(text)
        self.run, self.store, self.after = run, store, after
        self.change: CurationChange | None = None
        self.error: Exception | None = None

    def redo(self) -> None:
        try:
            if self.change is None:
                self.change = self.run()
            else:
                self.change = revert_curation(self.store, change=self.change).value
        except StoreError as error:
            self.error = error
            self.setObsolete(True)
        self.after()

    def undo(self) -> None:
        try:
            if self.change is not None:
                self.change = revert_curation(self.store, change=self.change).value
        except StoreError as error:
            self.error = error
        self.after()


class EditSpanDialog(QDialog):
    """Edit an analyst's span before accepting it: select other words around it
    (mouse or Shift+arrows) and choose the tag."""

    def __init__(self, text: str, span: CurationSpan, tags: list[Tag], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Edit {span.analyst}'s span, then accept it")
        self.offset = max(0, span.start - CONTEXT)
        self.context = text[self.offset: min(len(text), span.end + CONTEXT)]
        self.map = Utf16Map(self.context)
        self.words = QPlainTextEdit(self)
        self.words.setPlainText(self.context)
        self.words.setReadOnly(True)
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                           | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.words.setMinimumSize(560, 160)
        self.words.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        cursor = self.words.textCursor()
        cursor.setPosition(self.map.to_qt(span.start - self.offset))
        cursor.setPosition(self.map.to_qt(span.end - self.offset), QTextCursor.MoveMode.KeepAnchor)
        self.words.setTextCursor(cursor)
        self.tag = QComboBox(self)
        for tag in tags:
            self.tag.addItem(tag.name, tag.id)
        self.tag.setCurrentIndex(max(0, self.tag.findData(span.tag_id)))
        form = QFormLayout()
        form.addRow("&Tag:", self.tag)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("&Accept edited span", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(QLabel("Select the words of the curated span:", self))
        layout.addWidget(self.words, 1)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.words.setFocus()

    def span(self) -> tuple[int, int, int] | None:
        """(start, end, tag id) in the article's code points, trimmed; None without a selection."""
        cursor = self.words.textCursor()
        start = self.map.from_qt(cursor.selectionStart()) + self.offset
        end = self.map.from_qt(cursor.selectionEnd()) + self.offset
        start, end = trim_span(self.context, start - self.offset, end - self.offset)
        if end <= start:
            return None
        return start + self.offset, end + self.offset, self.tag.currentData()


class CurationWindow(CorpusWindow):
    """Curation of the article open in the main window (``document``); ``open_article``
    switches it, ``reload_article`` shows the curated layer's change in the text."""

    def __init__(self, store: Store, document, open_span: OpenSpan, reload_article: Callable[[], None],
                 changes, parent: QWidget | None = None):
        super().__init__(store, document, "Curation", parent, changes)
        self.analyst.hide()  # curation compares every analyst
        self.document, self.open_span, self.reload_article = document, open_span, reload_article
        self.undo_stack = QUndoStack(self)
        self.overview_job: QuietJob | None = None
        self.overview_again = False
        self.edit_dialog: EditSpanDialog | None = None
        self.shown_columns: tuple | None = None  # (article, analysts) the column widths were measured for
        self.heading = QLabel(self)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #B91C1C")
        self.problem.setWordWrap(True)
        self.problem.hide()
        keys = QLabel("1, 2, 3 …: accept that analyst's span · E: edit, then accept · R or X: reject the place · "
                      "Ctrl+Z / Ctrl+Shift+Z: undo / redo · Enter on an article: open it", self)
        self.group_model = GroupModel(self)
        self.groups = record_view(self.group_model, self)
        self.groups.horizontalHeader().setStretchLastSection(True)
        self.article_model = ArticleStateModel(self)
        self.articles = record_view(self.article_model, self)
        self.articles.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.article_summary = QLabel(self)
        splitter = stacked(self.groups, self.article_summary, self.articles, self)
        splitter.setSizes([420, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(keys)
        layout.addWidget(self.problem)
        layout.addWidget(splitter, 1)
        self.resize(1100, 720)
        self._add_keys()
        self.articles.activated.connect(self._open_article)
        document.articleChanged.connect(self.lazy.request)

    def _add_keys(self) -> None:
        def key(sequence, slot) -> QAction:
            action = QAction(self)
            action.setShortcuts([QKeySequence(s) for s in sequence])
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.groups.addAction(action)
            return action

        for n in range(1, 10):
            key([str(n)], lambda *_, n=n: self.accept_analyst(n))
        key(["E"], lambda *_: self.edit_span())
        key(["R", "X"], lambda *_: self.reject_place())
        # Undo and redo of this window's own history, while its tables have the keys
        # (the main window's Ctrl+Z stays the article's own).
        for sequence, action in (([QKeySequence(QKeySequence.StandardKey.Undo)], self.undo_stack.createUndoAction(self)),
                                 ([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")],
                                  self.undo_stack.createRedoAction(self))):
            action.setShortcuts(sequence)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.groups.addAction(action)
            self.articles.addAction(action)

    def follows(self, changes) -> bool:
        return super().follows(changes) or bool(changes.articles)

    def open_curation(self) -> None:
        self.present(self.groups)
        self.activateWindow()

    # -- showing --------------------------------------------------------------

    def refresh(self) -> None:
        """The open article's places (read here: one article) and every article's state
        (read in the background)."""
        self._show_groups()
        self._refresh_overview()

    def _show_groups(self, keep: int | None = None) -> None:
        article = self.document.article
        row = self.groups.currentIndex().row() if keep is None else keep
        if article is None:
            self.group_model.set_groups([], "")
            self.heading.setText("No article open: open one in the main window or below.")
            return
        groups = curation_groups(self.store, article.id)
        self.group_model.set_groups(groups, article.text)
        settled = sum(g.settled for g in groups)
        analysts = ", ".join(self.group_model.analysts) or "no analyst yet"
        self.heading.setText(f"<b>{article.title}</b> · {analysts} · {settled} of {len(groups)} places settled"
                             + (" · fully curated" if groups and settled == len(groups) else ""))
        shown = (article.id, tuple(self.group_model.analysts))
        if shown != self.shown_columns:
            # Measured once per article: measuring every cell again after each key press
            # took most of its time in an article of 500 places.
            self.shown_columns = shown
            self.groups.resizeColumnsToContents()
            for column in range(1, self.group_model.columnCount() - 1):
                self.groups.setColumnWidth(column, min(self.groups.columnWidth(column), 240))
        if groups:
            self.groups.setCurrentIndex(self.group_model.index(min(max(row, 0), len(groups) - 1), 0))

    def _refresh_overview(self) -> None:
        if self.overview_job is not None and self.overview_job.is_running():
            self.overview_again = True
            return

        def work(store, _progress, _cancelled):
            return curation_overview(store)

        self.overview_job = run_quietly(self, self.store.path, work, self._overview, self._overview_failed)

    def _overview(self, rows: list[ArticleCuration]) -> None:
        current = self.articles.currentIndex().row()
        rows = [r for r in rows if r.groups]
        self.article_model.set_rows(rows)
        self._summarise_articles()
        if rows:
            self.articles.setCurrentIndex(self.article_model.index(min(max(current, 0), len(rows) - 1), 0))
        if self.overview_again:
            self.overview_again = False
            self._refresh_overview()

    def _update_article_state(self) -> None:
        article = self.document.article
        rows = self.article_model.rows
        at = next((i for i, r in enumerate(rows) if article is not None and r.article_id == article.id), None)
        if at is None:
            self._refresh_overview()
            return
        rows[at] = curation_overview(self.store, [article.id])[0]
        self.article_model.dataChanged.emit(self.article_model.index(at, 0),
                                            self.article_model.index(at, self.article_model.columnCount() - 1))
        self._summarise_articles()

    def _summarise_articles(self) -> None:
        rows = self.article_model.rows
        self.article_summary.setText(f"Articles: {sum(r.fully_curated for r in rows)} of {len(rows)} fully curated")

    def _overview_failed(self, error: Exception) -> None:
        self.article_summary.setText(f"Could not read the articles' curation state: {error}")

    def _open_article(self, index: QModelIndex) -> None:
        row = index.data(Qt.ItemDataRole.UserRole)
        if row is not None:
            self.open_span(row.article_id, None, None)
            self._show_groups(keep=0)
            self.groups.setFocus()

    # -- acting ---------------------------------------------------------------

    def current_group(self) -> CurationGroup | None:
        index = self.groups.currentIndex()
        return self.group_model.groups[index.row()] if index.isValid() else None

    def accept_analyst(self, n: int) -> bool:
        """Accept the ``n``-th analyst's span of the selected place (1: the first column)."""
        group = self.current_group()
        if group is None or not 1 <= n <= len(self.group_model.analysts):
            return False
        analyst = self.group_model.analysts[n - 1]
        spans = self.group_model.analyst_spans(group, analyst)
        if not spans:
            return self._say(f"{analyst} has no span at this place: choose another analyst, or R to reject it.")
        span = spans[0]
        return self._push(lambda: accept_span(self.store, annotation_id=span.annotation_id).value,
                          f"accept {analyst}'s {span.tag} “{_short(span.quote, 40)}”")

    def edit_span(self) -> EditSpanDialog | None:
        """Edit the span in the selected column (else the first analyst's), then accept it."""
        group = self.current_group()
        if group is None or not group.candidates:
            return None
        column = self.groups.currentIndex().column() - 2
        analysts = self.group_model.analysts
        spans = self.group_model.analyst_spans(group, analysts[column]) if 0 <= column < len(analysts) else ()
        span = (spans or group.candidates)[0]
        dialog = EditSpanDialog(self.document.article.text, span, self.document.tags, self)

        def accepted() -> None:
            chosen = dialog.span()
            if chosen is None:
                self._say("Select some words for the curated span.")
                return
            start, end, tag_id = chosen
            self._push(lambda: accept_span(self.store, annotation_id=span.annotation_id, start=start, end=end,
                                           tag_id=tag_id).value,
                       f"accept an edit of {span.analyst}'s “{_short(span.quote, 40)}”")

        dialog.accepted.connect(accepted)
        dialog.open()
        self.edit_dialog = dialog
        return dialog

    def reject_place(self) -> bool:
        group = self.current_group()
        if group is None or not group.candidates:
            return False
        first = group.candidates[0]
        return self._push(lambda: reject_group(self.store, annotation_id=first.annotation_id).value,
                          f"reject “{_short(self.group_model.text[group.start:group.end], 40)}”")

    def _push(self, run: Callable[[], CurationChange], text: str) -> bool:
        row = self.groups.currentIndex().row()
        command = CurationCommand(run, self.store, text, lambda: self._after(row))
        self.undo_stack.push(command)
        if command.error is not None:
            return self._say(str(command.error))
        self.problem.hide()
        self._next_unsettled(row)
        return True

    def _after(self, row: int) -> None:
        """After an action, its undo or its redo: the place it changed is selected, and
        only this article's state is read again (not every article's)."""
        self.lazy.timer.stop()
        self.lazy.stale = False
        self.shown_version = self._data_version()
        self._show_groups()
        self._update_article_state()
        if 0 <= row < self.group_model.rowCount():
            self.groups.setCurrentIndex(self.group_model.index(row, 0))
        self.reload_article()

    def _next_unsettled(self, row: int) -> None:
        groups = self.group_model.groups
        for i in list(range(row + 1, len(groups))) + list(range(row + 1)):
            if not groups[i].settled:
                self.groups.setCurrentIndex(self.group_model.index(i, 0))
                return

    def _say(self, text: str) -> bool:
        self.problem.setText(text)
        self.problem.show()
        return False

    def abandon_work(self) -> None:
        """The main window is closing: wait for the background reading, drop its result."""
        if self.overview_job is not None:
            self.overview_job.abandon()
