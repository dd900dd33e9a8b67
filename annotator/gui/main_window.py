"""The main window: article list, article view, tag palette, annotation table, notes."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import STATUSES, Annotation
from annotator.gui.article_view import ArticleView
from annotator.gui.changes import ChangeHub
from annotator.gui.commands import (
    AddAnnotationCommand,
    DeleteAnnotationsCommand,
    EditNoteCommand,
    RetagAnnotationCommand,
    SetSourceCommand,
)
from annotator.gui.corpus_menu import CorpusMenu
from annotator.gui.document import ArticleDocument
from annotator.gui.models import (
    ID_ROLE,
    AnnotationTableModel,
    ArticleFilterProxyModel,
    ArticleListModel,
    TagFilterProxyModel,
)
from annotator.gui.suggestion_review import SuggestionReviewMixin
from annotator.gui.tag_palette import SUGGESTED_COLOURS, TagDialog, TagPalette, swatch
from annotator.gui.workers import BackgroundJob, QuietJob, run_job
from annotator.services import articles as article_ops
from annotator.services import tags as tag_ops
from annotator.services.settings import load_settings, save_setting
from annotator.store import Store, StoreError

log = logging.getLogger(__name__)


def plural(count: int, noun: str) -> str:
    """“1 article”, “2 articles”."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
TEXT_FILTER = "Articles (*.txt *.text *.md *.markdown *.html *.htm *.html.gz *.docx *.pdf);;All files (*)"


class FindBar(QWidget):
    """Ctrl+F: find text in the article (Enter: next, Shift+Enter: previous)."""

    def __init__(self, view: ArticleView, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = view
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find in article")
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self.find_next)
        self.status = QLabel()
        close = QToolButton(text="✕", autoRaise=True)
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.view.setFocus()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.find_next(backward=True)
        else:
            super().keyPressEvent(event)

    def find_next(self, backward: bool = False) -> bool:
        from PySide6.QtGui import QTextDocument

        needle = self.field.text()
        if not needle:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.view.find(needle, flags)
        if not found:
            cursor = self.view.textCursor()
            cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
            self.view.setTextCursor(cursor)
            found = self.view.find(needle, flags)
        self.status.setText("" if found else "Not found")
        return found


class MainWindow(SuggestionReviewMixin, QMainWindow):
    """The analyst's workbench. All changes go through undo commands and the store."""

    jobFinished = Signal()  # a background job (import, export) has finished and been handled

    def __init__(self, store: Store, *, annotator: str):
        super().__init__()
        self.store = store
        self.document = ArticleDocument(store, annotator, self)
        self.undo_group = QUndoGroup(self)
        self.undo_stacks: dict[int, QUndoStack] = {}
        self.settings = load_settings(store)
        self.whole_words = self.settings.whole_words
        self.current_job: BackgroundJob | None = None
        self._quiet_jobs: list[QuietJob] = []
        self._prompting = False  # the status bar shows a prompt about the selected suggestion
        # The annotation whose note the note field shows: typing is saved to it,
        # even when the selection has already moved on.
        self._note_target: int | None = None
        self.setWindowTitle("annotator")
        self.setAcceptDrops(True)
        self._build_widgets()
        self._build_actions()
        self.view.highlighter.show_suggestions = self.show_suggestions_action.isChecked()
        self.document.hidden_kinds = set() if self.date_suggestions_action.isChecked() else {"date"}
        self._connect()
        self._note_timer = QTimer(self, singleShot=True, interval=600)
        self._note_timer.timeout.connect(self.commit_note)
        self._suggest_timer = QTimer(self, singleShot=True, interval=60)
        self._suggest_timer.timeout.connect(self.auto_suggest)
        self.changes = ChangeHub(store.path, self)
        self.changes.changed.connect(self._apply_changes)
        self.refresh_tags()
        self.refresh_articles()
        self._restore_geometry()

    # -- construction -------------------------------------------------------

    def _build_widgets(self) -> None:
        # Left: article list
        self.article_filter = QLineEdit()
        self.article_filter.setPlaceholderText("Filter articles")
        self.article_filter.setClearButtonEnabled(True)
        self.article_model = ArticleListModel(self)
        self.article_proxy = ArticleFilterProxyModel(self)
        self.article_proxy.setSourceModel(self.article_model)
        self.article_list = QTableView()
        self.article_list.setModel(self.article_proxy)
        self.article_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.article_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.article_list.setSortingEnabled(True)
        self.article_list.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.article_list.verticalHeader().hide()
        self.article_list.setWordWrap(False)
        self.article_list.setAlternatingRowColors(True)
        self.article_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.article_list.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Widths from the font, not ResizeToContents: that measures every row, and a
        # list of 10,000 articles would pay for it on every refresh.
        metrics = self.article_list.fontMetrics()
        for column, sample in ((1, "The Northern Ledger"), (2, "in progress"), (3, "Annotations")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 18)
        # A narrow list keeps its titles readable: outlet and status give way first
        # (both stay in the row's tooltip and in the filter); see eventFilter.
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self.article_filter)
        left_layout.addWidget(self.article_list)

        # Centre: header, view, find bar
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.meta_label = QLabel()
        self.meta_label.setWordWrap(True)
        self.meta_label.setStyleSheet("color: palette(placeholder-text);")
        self.status_combo = QComboBox()
        self.status_combo.addItems(STATUSES)
        self.status_combo.setToolTip("Where you are with this article")
        status_row = QHBoxLayout()
        status_row.addWidget(self.meta_label, 1)
        status_row.addWidget(QLabel("Status:"))
        status_row.addWidget(self.status_combo)
        self.view = ArticleView()
        self.view.describe = self._describe_span
        self.find_bar = FindBar(self.view)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(6, 6, 6, 6)
        centre_layout.addWidget(self.title_label)
        centre_layout.addLayout(status_row)
        centre_layout.addWidget(self.view, 1)
        centre_layout.addWidget(self.find_bar)

        # Right: palette, annotation table, note
        self.palette = TagPalette()
        self.tag_filter = QComboBox()
        self.tag_filter.setToolTip("Show the annotations of one tag")
        self.annotation_model = AnnotationTableModel(self.document, self)
        self.annotation_proxy = TagFilterProxyModel(self)
        self.annotation_proxy.setSourceModel(self.annotation_model)
        self.annotation_table = QTableView()
        self.annotation_table.setModel(self.annotation_proxy)
        self.annotation_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.annotation_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.annotation_table.verticalHeader().hide()
        self.annotation_table.setWordWrap(False)
        self.annotation_table.setAlternatingRowColors(True)
        self.annotation_table.setSortingEnabled(True)
        self.annotation_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # text order until a header is clicked
        aheader = self.annotation_table.horizontalHeader()
        aheader.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)  # sized to the tag names
        aheader.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((2, 100), (3, 90)):
            aheader.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            aheader.resizeSection(column, width)
        aheader.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.note_label = QLabel("&Note on the selected annotation")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("Select an annotation, then type a note here")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(110)
        self.note_label.setBuddy(self.note_edit)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 6, 6, 6)
        right_layout.addWidget(QLabel("Tags (press the key to tag the selection)"))
        right_layout.addWidget(self.palette)
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("Annotations"))
        filter_row.addStretch(1)
        filter_row.addWidget(self.tag_filter)
        right_layout.addLayout(filter_row)
        right_layout.addWidget(self.annotation_table, 1)
        right_layout.addWidget(self.note_label)
        right_layout.addWidget(self.note_edit)
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label.setStyleSheet("color: palette(placeholder-text);")
        right_layout.addWidget(self.details_label)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([380, 620, 400])
        self.setCentralWidget(self.splitter)
        self.count_label = QLabel()
        self.statusBar().addPermanentWidget(self.count_label)
        self.resize(1360, 820)

    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.open_action = self._action(file_menu, "&Open…", self.open_files, QKeySequence.StandardKey.Open,
                                        "Import article files and open the last one")
        self.clipboard_action = self._action(file_menu, "New article from &clipboard", self.new_from_clipboard,
                                             "Ctrl+Shift+V", "Make an article of the text on the clipboard")
        self._action(file_menu, "Article &properties…",
                     lambda: self.document.article and self.edit_article_properties(self.document.article.id))
        self.article_memo_action = self._action(file_menu, "Article &memo…", self.edit_article_memo, "Ctrl+Alt+M",
                                                "Notes on the whole article: context, doubts, what to check")
        self._action(file_menu, "Pro&ject memo…", self.edit_project_memo,
                     tip="Notes on the whole project: research question, decisions, conventions")
        self._action(file_menu, "Search me&mos…", self.search_memos, "Ctrl+Shift+M")
        file_menu.addSeparator()
        self.export_action = self._action(file_menu, "&Export annotations…", self.export_annotations, "Ctrl+E",
                                          "CSV, JSONL, W3C, REFI-QDA, brat or an HTML report; print or PDF")
        self.import_annotations_action = self._action(file_menu, "&Import annotations…", self.import_annotations,
                                                      "Ctrl+Shift+I", "Annotations from this or another tool")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        # Say what was undone: a stray key is then cheap to take back knowingly.
        self.undo_action.triggered.connect(lambda: self._announce("Undone", self.undo_group.redoText()))
        self.redo_action.triggered.connect(lambda: self._announce("Redone", self.undo_group.undoText()))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.delete_action = self._action(edit_menu, "&Delete annotation", self.delete_selected_annotations,
                                          QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.view.addAction(self.delete_action)
        self.annotation_table.addAction(self.delete_action)
        self._action(edit_menu, "&Find…", self.find_bar.open_bar, QKeySequence.StandardKey.Find)
        self._action(edit_menu, "Next annotation", lambda: self.move_annotation(1), "J")
        self._action(edit_menu, "Previous annotation", lambda: self.move_annotation(-1), "K")
        for action in edit_menu.actions()[-2:]:
            # J/K are handled by the article view so they never steal typing elsewhere.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        edit_menu.addSeparator()
        self.whole_words_action = self._action(edit_menu, "Extend selections to &whole words",
                                               self.set_whole_words)
        self.whole_words_action.setCheckable(True)
        self.whole_words_action.setChecked(self.whole_words)
        self._action(edit_menu, "Set annotator &name…", self.set_annotator_name)

        view_menu = bar.addMenu("&View")
        self._action(view_menu, "Zoom &in", lambda: self.view.zoom(1), [QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")])
        self._action(view_menu, "Zoom &out", lambda: self.view.zoom(-1), QKeySequence.StandardKey.ZoomOut)
        self._action(view_menu, "Go to &article list", self.article_list.setFocus, "Ctrl+1")
        self._action(view_menu, "Go to article &text", self.view.setFocus, "Ctrl+2")
        self._action(view_menu, "Go to annotation &table", self.annotation_table.setFocus, "Ctrl+3")
        self._action(view_menu, "Go to &note", self.note_edit.setFocus, "Ctrl+4")
        view_menu.addSeparator()
        # Every saved step of the open article, newest last: a slip of a key shows
        # here, and clicking an earlier line undoes back to it.
        self.history_view = QUndoView(self.undo_group)
        self.history_view.setEmptyLabel("Article opened")
        self.history_dock = QDockWidget("History of changes", self)
        self.history_dock.setObjectName("history")
        self.history_dock.setWidget(self.history_view)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.history_dock.hide()
        history_action = self.history_dock.toggleViewAction()
        history_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        view_menu.addAction(history_action)

        self.suggest_menu = bar.addMenu("&Suggestions")
        self._build_suggestion_actions(self.suggest_menu)

        tag_menu = bar.addMenu("&Tags")
        self._action(tag_menu, "&Add tag…", self.add_tag)
        self._action(tag_menu, "&Codebook…", self.show_codebook, "Ctrl+Shift+B",
                     "Tags in their categories with memos and counts; export or import a .qdc codebook")
        self.retag_menu = self.menuBar().addMenu("&Annotation")
        self.attribute_action = QAction("&Said by… (attribute the claim to its source)", self)
        self.attribute_action.setShortcut(QKeySequence("Ctrl+L"))
        self.attribute_action.setStatusTip("Link the selected claim to the source that said it, change or remove it")
        self.attribute_action.triggered.connect(self.attribute_selected)
        self.addAction(self.attribute_action)
        self.corpus_menu = CorpusMenu(self, bar.addMenu("&Corpus"))
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard and workflow", self.show_help, QKeySequence.StandardKey.HelpContents)

    def _connect(self) -> None:
        d = self.document
        d.articleChanged.connect(self._article_changed)
        d.annotationInserted.connect(self._annotation_inserted)
        d.annotationRemoved.connect(self._annotation_removed)
        d.annotationUpdated.connect(self._annotation_updated)
        d.tagsChanged.connect(self._tags_changed)
        d.articleMetaChanged.connect(self._meta_changed)
        d.failed.connect(self._command_failed)
        self.article_filter.textChanged.connect(self.article_proxy.setFilterFixedString)
        self.article_list.customContextMenuRequested.connect(self._article_menu)
        self.article_list.selectionModel().currentRowChanged.connect(self._article_row_changed)
        self.annotation_table.selectionModel().selectionChanged.connect(self._annotation_selection_changed)
        self.annotation_table.clicked.connect(self._annotation_row_clicked)
        self.tag_filter.currentIndexChanged.connect(self._tag_filter_changed)
        self.status_combo.activated.connect(lambda i: self._set_status(STATUSES[i]))
        self.view.navigate.connect(self.move_annotation)
        self.view.keyCommand.connect(self._key_command)
        d.suggestionsChanged.connect(self._suggestions_changed)
        self.view.annotationClicked.connect(self.select_annotation)
        self.view.filesDropped.connect(self.import_files)
        self.view.selectionChanged.connect(self._update_counts)
        self.view.selectionChanged.connect(self._selection_moved)
        self.palette.tagClicked.connect(self.tag_selection)
        self.palette.addRequested.connect(self.add_tag)
        self.palette.editRequested.connect(self.edit_tag)
        self.palette.deleteRequested.connect(self.delete_tag)
        self.note_edit.textChanged.connect(self._note_typed)
        self.note_edit.installEventFilter(self)
        self.article_list.installEventFilter(self)
        self.annotation_table.installEventFilter(self)

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)

    # -- helpers ---------------------------------------------------------------

    def report(self, error: Exception, title: str = "Could not save") -> None:
        """Show a storage or input problem; the window stays usable."""
        log.warning("%s: %s", title, error)
        QMessageBox.warning(self, title, str(error))

    def _push(self, command) -> bool:
        """Run an undo command; True if it was saved (failures are reported by
        the document's ``failed`` signal and the command is dropped)."""
        stack = self.undo_group.activeStack()
        if stack is None:
            return False
        stack.push(command)
        return command.error is None

    def _announce(self, what: str, step: str) -> None:
        if step:
            self.statusBar().showMessage(f"{what}: {step}", 5000)

    def _command_failed(self, error: Exception) -> None:
        self.report(error, "Could not save" if isinstance(error, StoreError) else "Nothing to tag")

    def _describe_span(self, span_id: int, suggested: bool) -> str:
        if suggested:
            for s in self.document.suggestions:
                if s.id == span_id:
                    tag = self.document.tag(s.tag_id)
                    return f"Suggested {tag.name if tag else '?'} ({s.score:.0%})"
            return ""
        a = self.document.annotation(span_id)
        if a is None:
            return ""
        tag = self.document.tag(a.tag_id)
        head = f"{tag.name if tag else '?'} — {a.annotator}" if a.annotator else (tag.name if tag else "?")
        return f"{head}\n{a.note}" if a.note else head

    def selected_annotations(self) -> list[Annotation]:
        rows = self.annotation_table.selectionModel().selectedRows()
        result = []
        for index in rows:
            a = self.document.annotation(index.data(ID_ROLE))
            if a is not None:
                result.append(a)
        return result

    def current_annotation(self) -> Annotation | None:
        selected = self.selected_annotations()
        return selected[0] if len(selected) == 1 else None

    # -- articles --------------------------------------------------------------

    def refresh_articles(self) -> None:
        current = self.document.article.id if self.document.article else None
        self.article_model.set_articles(self.store.list_articles())
        if current is not None:
            self._select_article_row(current)
        self._update_counts()

    def _select_article_row(self, article_id: int) -> None:
        row = self.article_model.row_of(article_id)
        if row < 0:
            return
        index = self.article_proxy.mapFromSource(self.article_model.index(row, 0))
        if index.isValid():
            selection = self.article_list.selectionModel()
            selection.blockSignals(True)
            selection.setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            selection.blockSignals(False)
            self.article_list.scrollTo(index)

    def _article_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.open_article(current.data(ID_ROLE))

    def open_article(self, article_id: int | None) -> None:
        """Show an article with its annotations (None shows nothing)."""
        self.commit_note()
        if self.document.article is not None and self.document.article.id == article_id:
            return
        try:
            self.document.open(article_id)
        except StoreError as error:
            self.report(error, "Could not open the article")
            return
        if article_id is not None:
            self.save_setting("last_article", article_id)
            self._select_article_row(article_id)

    def _article_changed(self) -> None:
        d = self.document
        article = d.article
        if article is None:
            self.view.set_article("", [], [], d.tags)
            self.title_label.setText("No article open")
            self.meta_label.setText("Use File → Open, drop files here, or paste with Ctrl+Shift+V.")
            self.undo_group.setActiveStack(None)
        else:
            self.view.set_article(article.text, d.annotations, d.suggestions, d.tags)
            self.title_label.setText(article.title)
            self.setWindowTitle(f"{article.title} — annotator")
            self._meta_changed()
            stack = self.undo_stacks.get(article.id)
            if stack is None:
                stack = self.undo_stacks[article.id] = QUndoStack(self.undo_group)
            self.undo_group.setActiveStack(stack)
            if self.auto_suggest_action.isChecked():
                # Let the article paint first; a typical article's suggestions
                # still arrive well within 200 ms of opening it.
                self._suggest_timer.start()
        self._note_target = None
        self.note_edit.setEnabled(False)
        self._set_note_text("")
        self.details_label.setText("")
        self._update_counts()

    def _apply_changes(self, changes) -> None:
        """The window follows what an operation changed, whoever ran it (this
        window, a background job): the one subscriber of the ChangeHub here.
        Callers of services never refresh views by hand."""
        if changes.tags:
            self.refresh_tags()
        current = self.document.article.id if self.document.article is not None else None
        if current is not None and current in changes.removed_articles:
            self.document.open(None)
        elif current is not None and current in changes.articles:
            self.document.reload_article()
        touched = {a.article_id for a in changes.annotations + changes.removed_annotations}
        if changes.removed_articles or changes.tags or (changes.articles - {current}) or (touched - {current}):
            self.refresh_articles()

    def _meta_changed(self) -> None:
        article = self.document.article
        if article is None:
            return
        self.title_label.setText(article.title)
        parts = [article.outlet, article.author, article.published, article.url]
        self.meta_label.setText(" · ".join(p for p in parts if p))
        self.status_combo.setCurrentText(article.status)
        self._refresh_article_row()

    def _refresh_article_row(self) -> None:
        article = self.document.article
        if article is None:
            return
        row = self.article_model.row_of(article.id)
        if row >= 0:
            self.article_model.update_article(replace(
                self.article_model.summary(row), status=article.status, title=article.title,
                outlet=article.outlet, annotation_count=len(self.document.annotations),
            ))

    def _set_status(self, status: str) -> None:
        try:
            self.document.set_status(status)
            self.statusBar().showMessage(f"Status set to “{status}” (saved)", 3000)
        except StoreError as error:
            self.report(error)
            self._meta_changed()

    # -- tagging ---------------------------------------------------------------

    def tag_selection(self, tag_id: int) -> Annotation | None:
        """Tag the view's selection, or retag the selected annotations when nothing is selected."""
        if self.document.article is None:
            return None
        start, end = self.view.selected_span()
        if start == end:
            selected = self.selected_annotations()
            if selected:
                self.undo_group.activeStack().beginMacro(f"retag {len(selected)} annotations")
                for a in selected:
                    if a.tag_id != tag_id:
                        self._push(RetagAnnotationCommand(self.document, a, tag_id))
                self.undo_group.activeStack().endMacro()
                return None
            self.statusBar().showMessage("Select some text first (Shift+arrows or the mouse), then press a tag key.", 4000)
            return None
        suggestion = self.document.suggestion_at(start, end)
        if suggestion is not None:
            return self.accept_suggestion(suggestion.id, tag_id)
        command = AddAnnotationCommand(self.document, tag_id, start, end, whole_words=self.whole_words)
        if self._push(command) and command.annotation is not None:
            tag = self.document.tag(tag_id)
            self.statusBar().showMessage(f"Saved as {tag.name if tag else '?'}: “{command.annotation.quote[:60]}”", 3000)
            return command.annotation
        return None

    def _annotation_inserted(self, _row: int, a: Annotation) -> None:
        self.view.add_annotation(a)
        self._after_annotation_change()
        self.select_annotation(a.id, reveal=False)

    def _annotation_removed(self, _row: int, a: Annotation) -> None:
        self.view.remove_annotation(a)
        self._after_annotation_change()

    def _annotation_updated(self, _row: int, a: Annotation) -> None:
        self.view.update_annotation(a)
        if a.id == self._note_target:
            if self.note_edit.toPlainText() != a.note:
                self._set_note_text(a.note)
            self.details_label.setText(self.describe_details(a))
        self._update_counts()

    def _after_annotation_change(self) -> None:
        self._refresh_article_row()
        self._update_counts()

    def delete_selected_annotations(self) -> None:
        selected = self.selected_annotations()
        if not selected and self.view.hasFocus():
            spans = [s for s in self.view.highlighter.spans_at(self.view.cursor_offset()) if not s.suggested]
            selected = [a for a in (self.document.annotation(s.id) for s in spans) if a is not None][:1]
        if selected:
            self._push(DeleteAnnotationsCommand(self.document, [a.id for a in selected]))
            self.statusBar().showMessage(f"Deleted {len(selected)} annotation(s) (saved; Ctrl+Z to undo)", 4000)

    # -- annotation table, navigation ------------------------------------------

    def select_annotation(self, annotation_id: int, reveal: bool = True) -> None:
        row = self.document.row_of(annotation_id)
        if row < 0:
            return
        index = self.annotation_proxy.mapFromSource(self.annotation_model.index(row, 0))
        if not index.isValid():  # hidden by the tag filter: show all
            self.tag_filter.setCurrentIndex(0)
            index = self.annotation_proxy.mapFromSource(self.annotation_model.index(row, 0))
        self.annotation_table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.annotation_table.scrollTo(index)
        if reveal:
            a = self.document.annotations[row]
            self.view.reveal(a.start, a.end)

    def _annotation_row_clicked(self, index: QModelIndex) -> None:
        a = self.document.annotation(index.data(ID_ROLE))
        if a is not None:
            self.view.reveal(a.start, a.end)

    def _annotation_selection_changed(self, *_args) -> None:
        self.commit_note()
        current = self.current_annotation()
        self._note_target = current.id if current else None
        self.view.set_selected_annotation(current)
        self.note_edit.setEnabled(current is not None)
        self.note_edit.setPlaceholderText(
            "Type a note; it is saved as you type" if current else "Select an annotation, then type a note here"
        )
        self._set_note_text(current.note if current else "")
        self.details_label.setText(self.describe_details(current) if current else "")
        self._update_counts()

    def show_codebook(self) -> None:
        """Tags → Codebook."""
        from annotator.gui.codebook import CodebookDialog

        dialog = CodebookDialog(self.store, self)
        dialog.changed.connect(self.refresh_tags)
        self.codebook_dialog = dialog
        dialog.exec()

    def edit_article_memo(self) -> bool:
        """File → Article memo (Ctrl+M): the open article's memo."""
        article = self.document.article
        return article is not None and self._edit_memo("article", article.id, f"Memo on “{article.title}”")

    def edit_project_memo(self) -> bool:
        return self._edit_memo("project", 0, "Project memo")

    def _edit_memo(self, scope: str, target_id: int, title: str) -> bool:
        from annotator.gui.codebook import MemoDialog
        from annotator.services.memos import set_memo

        dialog = MemoDialog(title, self.store.get_memo(scope, target_id), self)
        self.memo_dialog = dialog
        if not dialog.exec():
            return False
        try:
            set_memo(self.store, scope=scope, target_id=target_id, text=dialog.text())
        except StoreError as error:
            self.report(error)
            return False
        self.statusBar().showMessage("Memo saved", 3000)
        return True

    def search_memos(self) -> None:
        """File → Search memos: find words in every memo; Enter opens an article's."""
        from annotator.gui.codebook import MemoSearchDialog

        dialog = MemoSearchDialog(self.store, self)
        dialog.articleChosen.connect(self.open_article)
        self.memo_search_dialog = dialog
        dialog.exec()

    def attribute_selected(self) -> bool:
        """Annotation → Said by (Ctrl+L): choose the source of the selected claim,
        change it, or remove it; one undo step."""
        from annotator.gui.attribution import SourcePickerDialog

        claim = self.current_annotation()
        if claim is None:
            self.statusBar().showMessage("Select one claim first (J/K or a click), then press Ctrl+L.", 4000)
            return False
        dialog = SourcePickerDialog(self.document, claim, self)
        self.source_dialog = dialog
        if not dialog.exec():
            return False
        chosen = dialog.chosen()
        current = self.document.source_of(claim.id)
        if chosen == ([current.id] if current else []):
            return False
        command = SetSourceCommand(self.document, claim, chosen)
        if not self._push(command):
            return False
        self.statusBar().showMessage(f"{command.text()[0].upper()}{command.text()[1:]} (saved; Ctrl+Z undoes)", 4000)
        return True

    def describe_details(self, a: Annotation) -> str:
        """Offsets, provenance, normalised value and links of one annotation."""
        import json

        tag = self.document.tag(a.tag_id)
        lines = [f"{tag.name if tag else '?'} · characters {a.start}–{a.end} · {a.annotator or 'unknown'}"
                 f" · {a.created[:16].replace('T', ' ')}"]
        if a.value:
            try:
                value = json.loads(a.value)
            except ValueError:
                value = a.value
            if isinstance(value, dict):
                shown = ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "", []))
            else:
                shown = str(value)
            if shown:
                lines.append(f"Value: {shown}")
        if a.origin:
            try:
                origin = json.loads(a.origin)
                lines.append(f"Suggested by {origin.get('suggester')} {origin.get('version')}"
                             f" (score {float(origin.get('score', 0)):.2f})")
            except (ValueError, AttributeError):
                lines.append(f"Origin: {a.origin}")
        try:
            links = self.store.links_of(a.id)
        except StoreError:
            links = []
        for source_id, target_id, kind in links:
            other_id = target_id if source_id == a.id else source_id if target_id == a.id else None
            other = self.document.annotation(other_id) if other_id is not None else None
            if other is not None:
                if kind == "source":
                    label = "Said by" if source_id == a.id else "Says"
                else:
                    label = f"{kind} of this" if source_id == a.id else f"attributed here ({kind})"
                lines.append(f"{label[0].upper()}{label[1:]}: “{other.quote[:80]}”")
                try:
                    cue = self.store.link_cue(source_id, target_id, kind)
                except StoreError:
                    cue = ""
                if cue:
                    lines.append(f"Cue: {cue}")
        from annotator.services.verdicts import get_verdict  # the corpus queries load when first needed

        verdict = get_verdict(self.store, a.id)
        if verdict is not None:
            lines.append(f"Verdict: {verdict.rating} ({verdict.reviewer or 'unknown'}, {verdict.date})"
                         + (f": {verdict.explanation}" if verdict.explanation else ""))
        return "\n".join(lines)

    def move_annotation(self, step: int) -> None:
        """Go to the next (+1) or previous (-1) annotation after the cursor."""
        annotations = self.document.annotations
        if not annotations:
            return
        current = self.current_annotation()
        if current is not None:
            row = self.document.row_of(current.id) + step
        else:
            offset = self.view.cursor_offset()
            row = next((i for i, a in enumerate(annotations) if a.start >= offset), len(annotations))
            if step < 0:
                row -= 1
        row %= len(annotations)
        self.select_annotation(annotations[row].id)
        self.view.setFocus()

    def _tag_filter_changed(self, index: int) -> None:
        self.annotation_proxy.set_tag(self.tag_filter.itemData(index))

    # -- notes -------------------------------------------------------------------

    def _set_note_text(self, text: str) -> None:
        self.note_edit.blockSignals(True)
        self.note_edit.setPlainText(text)
        self.note_edit.blockSignals(False)

    def _note_typed(self) -> None:
        self._note_timer.start()
        self.statusBar().showMessage("Note: typing…")

    def commit_note(self) -> None:
        """Save the note being typed (called on pause, focus change, close)."""
        self._note_timer.stop()
        current = self.document.annotation(self._note_target) if self._note_target is not None else None
        if current is None or not self.note_edit.isEnabled():
            return
        text = self.note_edit.toPlainText()
        if text != current.note and self._push(EditNoteCommand(self.document, current, text)):
            self.statusBar().showMessage("Note saved", 2000)

    def eventFilter(self, watched, event) -> bool:
        from PySide6.QtCore import QEvent

        if watched is self.note_edit and event.type() == QEvent.Type.FocusOut:
            self.commit_note()
        elif watched is self.article_list and event.type() == QEvent.Type.Resize:
            narrow = event.size().width() < 420
            self.article_list.setColumnHidden(1, narrow)
            self.article_list.setColumnHidden(2, event.size().width() < 300)
        elif watched is self.annotation_table and event.type() == QEvent.Type.Resize:
            # The quote keeps room: annotator, then the note (it has its own field below) give way.
            self.annotation_table.setColumnHidden(4, event.size().width() < 480)
            self.annotation_table.setColumnHidden(3, event.size().width() < 440)
        return super().eventFilter(watched, event)

    # -- tags ---------------------------------------------------------------

    def refresh_tags(self) -> None:
        self.document.reload_tags()

    def _tags_changed(self) -> None:
        tags = self.document.tags
        self.palette.set_tags(tags)
        self.view.highlighter.set_tags(tags)
        if self.document.article is not None:
            self.view.highlighter.set_spans(self.document.annotations, self.document.suggestions)
            self.view.rehighlight_all()
        current = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("All tags", None)
        for t in tags:
            self.tag_filter.addItem(swatch(t.colour), t.name, t.id)
        position = self.tag_filter.findData(current)
        self.tag_filter.setCurrentIndex(max(position, 0))
        self.tag_filter.blockSignals(False)
        self.annotation_proxy.set_tag(self.tag_filter.currentData())
        names = [t.name for t in tags] or ["Tag"]
        metrics = self.annotation_table.fontMetrics()
        self.annotation_table.horizontalHeader().resizeSection(
            0, max(metrics.horizontalAdvance(n) for n in names) + metrics.height() + 24)  # name, swatch, margins
        self.accept_all_menu.clear()
        for t in tags:
            action = self.accept_all_menu.addAction(f"Accept all {t.name} suggestions")
            if t.shortcut:
                action.setShortcut(QKeySequence(f"Alt+{t.shortcut}"))
            action.triggered.connect(lambda _checked=False, tag_id=t.id: self.accept_all_suggestions(tag_id))
        self.retag_menu.clear()
        for t in tags:
            # Window-wide keys: they tag from the table, the palette or the list too, while
            # a text field that types the key (filter, note, find) gets it first.
            action = self.retag_menu.addAction(f"Tag as {t.name}")
            if t.shortcut:
                action.setShortcut(QKeySequence(t.shortcut))
            action.triggered.connect(lambda _checked=False, tag_id=t.id: self.tag_selection(tag_id))
        self.retag_menu.addSeparator()
        self.retag_menu.addAction(self.attribute_action)
        self._update_counts()

    def add_tag(self) -> None:
        used = {t.colour.upper() for t in self.document.tags}
        colour = next((c for c in SUGGESTED_COLOURS if c not in used), SUGGESTED_COLOURS[0])
        dialog = TagDialog(self, colour=colour, tags=self.document.tags)
        while dialog.exec():
            v = dialog.values()
            try:
                tag_ops.create_tag(self.store, name=v["name"], colour=v["colour"], shortcut=v["shortcut"],
                                   description=v["description"], parent_id=v["parent_id"])
            except StoreError as error:
                self.report(error, "Cannot add the tag")
                continue
            return

    def edit_tag(self, tag_id: int) -> None:
        tag = self.document.tag(tag_id)
        dialog = TagDialog(self, tag, tags=self.document.tags)
        while dialog.exec():
            try:
                tag_ops.update_tag(self.store, tag_id=tag_id, **dialog.values())
            except StoreError as error:
                self.report(error, "Cannot change the tag")
                continue
            return

    def delete_tag(self, tag_id: int) -> None:
        tag = self.document.tag(tag_id)
        if tag is None:
            return
        used = self.store.tag_usage(tag_id)
        if used:
            answer = QMessageBox.question(
                self, "Delete tag",
                f"“{tag.name}” is used by {used} annotation{'s' if used != 1 else ''} in your database. "
                "Deleting the tag deletes them too, and this cannot be undone.\n\nDelete the tag?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            tag_ops.delete_tag(self.store, tag_id=tag_id)
        except StoreError as error:
            self.report(error)
            return
        # Undo steps may refer to the deleted annotations.
        for stack in self.undo_stacks.values():
            stack.clear()

    # -- files -------------------------------------------------------------------

    def open_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Open articles", "", TEXT_FILTER)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[str], *, preview: bool = True) -> BackgroundJob:
        """Import files in the background (progress, cancel). One file is shown in
        the import preview first (metadata, removed lines to restore); a batch is
        stored directly and ends with a report. Duplicates are reported, not added;
        the last article imported is opened."""
        from annotator.services.intake import import_paths, read_article

        single = len(paths) == 1 and Path(paths[0]).is_file()
        if preview and single:
            def read(store, progress, _cancelled):
                progress(0, 1, Path(paths[0]).name)
                return read_article(store, paths[0])

            return self.run_in_background("Reading the article", read, self.preview_and_store,
                                          lambda e: self.report(e, "Import failed"))

        def work(store, progress, cancelled):
            return import_paths(store, [Path(p) for p in paths], progress=progress, cancelled=cancelled)

        return self.run_in_background("Importing articles", work, self.after_import,
                                      lambda e: self.report(e, "Import failed"))

    def preview_and_store(self, raw) -> int | None:
        """Show the import preview of one article read from a file or the clipboard;
        store it if the analyst accepts. Returns the article id."""
        from annotator.gui.intake_dialogs import ImportPreviewDialog
        from annotator.ingest import IngestError, clean_article
        from annotator.services.intake import plan_removals

        if isinstance(raw, IngestError):
            self.report(raw, "Cannot import the file")
            return None
        # Stored articles have their furniture removed: compare the cleaned text.
        duplicate = self.store.find_duplicate(clean_article(raw))
        if duplicate is not None:
            self.open_article(duplicate)
            self.statusBar().showMessage("This article is already in the database; it is now open.", 5000)
            return duplicate
        dialog = ImportPreviewDialog(raw, plan_removals(raw, self.store), self)
        self.preview_dialog = dialog
        if not dialog.exec():
            return None
        try:
            article_id, created = self.store.insert_article(dialog.article())
        except StoreError as error:
            self.report(error)
            return None
        self.refresh_articles()
        self.open_article(article_id)
        self.statusBar().showMessage(
            "Article saved" if created else "This article is already in the database", 4000)
        return article_id

    def run_in_background(self, title: str, work, on_done, on_error) -> BackgroundJob:
        """Run ``work`` off the UI thread with a progress dialog; ``jobFinished``
        is emitted once its result or error has been handled."""

        def finish(handler):
            def handle(value) -> None:
                try:
                    handler(value)
                finally:
                    self.current_job = None
                    self.jobFinished.emit()
            return handle

        self.current_job = run_job(self, title, self.store.path, work, finish(on_done), finish(on_error))
        return self.current_job

    def after_import(self, outcomes) -> None:
        from annotator.gui.intake_dialogs import ImportReportDialog

        shown = [o.article_id for o in outcomes if o.article_id is not None]
        self.refresh_articles()
        if shown:
            self.open_article(shown[-1])
        errors = sum(o.status == "error" for o in outcomes)
        imported = sum(o.status == "imported" for o in outcomes)
        duplicates = sum(o.status == "duplicate" for o in outcomes)
        self.statusBar().showMessage(
            f"Imported {imported}, already present {duplicates}, failed {errors}", 5000
        )
        cancelled = self.current_job is not None and self.current_job.cancelled
        if errors or cancelled or len(outcomes) > 1:
            self.report_dialog = ImportReportDialog(outcomes, cancelled=cancelled, parent=self)
            self.report_dialog.exec()

    def new_from_clipboard(self) -> int | None:
        from annotator.ingest import IngestError, read_clipboard

        mime = QApplication.clipboard().mimeData()
        html = mime.html() if mime is not None and mime.hasHtml() else None
        text = mime.text() if mime is not None and mime.hasText() else None
        try:
            raw = read_clipboard(html, text, keep_boilerplate=True)
        except IngestError as error:
            self.report(error, "Cannot make an article from the clipboard")
            return None
        return self.preview_and_store(raw)

    # -- article list context menu ---------------------------------------------

    def _article_menu(self, pos) -> None:
        from PySide6.QtWidgets import QMenu

        index = self.article_list.indexAt(pos)
        if not index.isValid():
            return
        article_id = index.data(ID_ROLE)
        menu = QMenu(self)
        menu.addAction("Properties…", lambda: self.edit_article_properties(article_id))
        menu.addAction("Save original file…", lambda: self.save_original(article_id))
        menu.addSeparator()
        menu.addAction("Delete article…", lambda: self.delete_article(article_id))
        menu.exec(self.article_list.viewport().mapToGlobal(pos))

    def edit_article_properties(self, article_id: int) -> bool:
        from annotator.gui.intake_dialogs import ArticlePropertiesDialog

        article = self.store.get_article(article_id)
        original = self.store.article_original(article_id)
        dialog = ArticlePropertiesDialog(
            article, self.store.removed_lines(article_id), original_name=original[0] if original else "",
            restore=lambda lines: article_ops.restore_removed_lines(self.store, article_id=article_id, lines=lines).value,
            parent=self,
        )
        self.properties_dialog = dialog
        accepted = dialog.exec()
        if dialog.restored and self.document.article is not None and self.document.article.id == article_id:
            self.open_article(None)  # the text changed: show it again
            self.open_article(article_id)
        if not accepted or not dialog.changes():
            return bool(dialog.restored)
        try:
            article_ops.update_article(self.store, article_id=article_id, **dialog.changes())
        except StoreError as error:
            self.report(error)
            return False
        return True

    def save_original(self, article_id: int):
        from annotator.gui.intake_dialogs import save_original

        return save_original(self, self.store, article_id)

    def delete_article(self, article_id: int) -> bool:
        article = self.store.get_article(article_id)
        count = self.store.count_annotations(article_id)
        answer = QMessageBox.question(
            self, "Delete article",
            f"Delete “{article.title}” and its {count} annotation{'s' if count != 1 else ''}? "
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            article_ops.delete_article(self.store, article_id=article_id)
        except StoreError as error:
            self.report(error)
            return False
        stack = self.undo_stacks.pop(article_id, None)
        if stack is not None:
            self.undo_group.removeStack(stack)
            stack.deleteLater()
        return True

    def selected_article_ids(self) -> list[int]:
        return [index.data(ID_ROLE) for index in self.article_list.selectionModel().selectedRows()]

    def export_annotations(self):
        """File → Export: format, scope (this article, the selected ones, all), file."""
        from annotator.gui.exchange_dialogs import show_export_dialog

        self.commit_note()
        current = self.document.article.id if self.document.article else None
        return show_export_dialog(self, self.store, current, self.selected_article_ids())

    def import_annotations(self) -> bool:
        """File → Import annotations: preview conflicts and span errors, then import."""
        from annotator.gui.exchange_dialogs import show_import_annotations_dialog

        self.commit_note()
        if not show_import_annotations_dialog(self, self.store):
            return False
        current = self.document.article.id if self.document.article else None
        self.refresh_tags()
        self.refresh_articles()
        self.document.open(current if current is not None else self.store.latest_article_id())
        return True

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    # -- settings and misc ------------------------------------------------------

    def set_whole_words(self, checked: bool) -> None:
        self.whole_words = checked
        self.save_setting("whole_words", checked)

    def save_setting(self, name: str, value) -> bool:
        """Save one preference (see ``annotator.services.settings``); a storage
        problem is shown, not raised."""
        try:
            self.settings = save_setting(self.store, name=name, value=value).value
        except StoreError as error:
            self.report(error)
            return False
        return True

    def set_annotator_name(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(self, "Annotator name", "Your name on new annotations:",
                                        text=self.document.annotator)
        if ok and name.strip():
            if self.save_setting("annotator_name", name.strip()):
                self.document.annotator = name.strip()

    def show_help(self) -> None:
        QMessageBox.information(
            self, "Keyboard and workflow",
            "Select text with the mouse or Shift+arrows in the article, then press a tag's key "
            "(1 claim, 2 source, 3 figure, or your own).\n\n"
            "J / Tab: next annotation · K / Shift+Tab: previous\n"
            "Delete: delete the selected annotation · Ctrl+Z / Ctrl+Shift+Z: undo / redo\n"
            "With an annotation selected and no text selected, a tag key retags it.\n"
            "Ctrl+4: type a note for the selected annotation (saved as you type).\n"
            "Ctrl+F: find · Ctrl+Plus / Ctrl+Minus: zoom · Ctrl+1/2/3: list, text, table.\n\n"
            "Suggestions: N / Shift+N: next / previous · A or Enter: accept · X or Backspace: reject\n"
            "A tag key accepts a suggestion as that tag · Alt+tag key: accept all of that tag\n"
            "F6: suggest again for this article · Ctrl+Shift+H: show or hide suggestions\n"
            "Ctrl+Shift+Y: the history of changes · Suggestions → Rejected suggestions: propose again\n\n"
            "Ctrl+L: said by (attribute the selected claim to its source) · Ctrl+Alt+M: article memo\n"
            "Ctrl+Shift+M: search memos · Ctrl+Shift+B: the codebook\n\n"
            "Everything is saved the moment it is shown.",
        )

    def _update_counts(self, *_args) -> None:
        d = self.document
        parts = [plural(self.article_model.rowCount(), "article")]
        if d.article is not None:
            counts = d.tag_counts
            parts.append(plural(len(d.annotations), "annotation"))
            parts.extend(f"{t.name} {counts[t.id]}" for t in d.tags if counts.get(t.id))
            start, end = self.view.selected_span()
            if end > start:
                parts.append(f"selection {start}–{end}")
        self.count_label.setText(" · ".join(parts))

    def closeEvent(self, event) -> None:
        self.commit_note()
        self.changes.close()
        self._suggest_timer.stop()
        for job in self._quiet_jobs:
            job.abandon()
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        super().closeEvent(event)
