"""The main window: layout, menus and the wiring of its panels.

The panels and controllers live in their own modules, each given what it needs
(a :class:`~annotator.gui.context.Workbench`): the article list
(``article_list``), the annotation panel (``annotation_panel``), tagging
(``tagging``), tag management (``tag_management``), intake (``intake``),
whole-article actions and memos (``article_actions``), the find bar
(``find_bar``) and suggestion review (``suggestion_review``). Every change an
operation makes reaches the window once, through the :class:`ChangeHub`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import STATUSES, Annotation
from annotator.gui.annotation_panel import AnnotationPanel
from annotator.gui.article_actions import ArticleActions
from annotator.gui.article_list import ArticleListPanel
from annotator.gui.article_view import ArticleView
from annotator.gui.changes import ChangeHub
from annotator.gui.context import Workbench
from annotator.gui.corpus_menu import CorpusMenu
from annotator.gui.team_menu import install_team_menu
from annotator.gui.document import ArticleDocument
from annotator.gui.find_bar import FindBar
from annotator.gui.intake import Intake
from annotator.gui.status_bar import StatusBar
from annotator.gui.suggestion_review import SuggestionReview
from annotator.gui.tag_management import TagManager
from annotator.gui.tag_palette import TagPalette
from annotator.gui.tagging import Tagging
from annotator.gui.wording import plural
from annotator.gui.workers import BackgroundJob, run_job
from annotator.services.changes import Changes
from annotator.services.settings import load_settings, save_setting
from annotator.store import Store, StoreError

log = logging.getLogger(__name__)
# Up to this many changed articles already in the list are updated row by row; more, or
# an article new to the list, and the list is read again.
ROW_UPDATES = 200


class MainWindow(QMainWindow):
    """The analyst's workbench. All changes go through undo commands and services."""

    jobFinished = Signal()       # a background job (import, export) has finished and been handled
    suggestionsReady = Signal()  # suggestions for the open article have arrived

    def __init__(self, store: Store, *, annotator: str):
        super().__init__()
        self.store = store
        self.document = ArticleDocument(store, annotator, self)
        self.undo_group = QUndoGroup(self)
        self.undo_stacks: dict[int, QUndoStack] = {}
        self.settings = load_settings(store)
        self.whole_words = self.settings.whole_words
        self.current_job: BackgroundJob | None = None
        self.setWindowTitle("annotator")
        self.setAcceptDrops(True)
        self.view = ArticleView()
        self.bench = Workbench(
            store=store, document=self.document, view=self.view, window=self, undo_group=self.undo_group,
            message=lambda text, ms: self.statusBar().showMessage(text, ms),
            report=self.report, save_setting=self.save_setting, run_in_background=self.run_in_background,
        )
        self.article_actions = ArticleActions(self.bench, self.open_article, self._forget_history)
        self.intake = Intake(self.bench, self.open_article)
        self.tags = TagManager(self.bench, self._clear_history)
        self._build_widgets()
        self._build_menus()
        self._connect()
        self.changes = ChangeHub(store.path, self)
        self.changes.changed.connect(self._apply_changes)
        self.team_menu = install_team_menu(self)
        self.document.reload_tags()
        self.refresh_articles()
        self._restore_geometry()

    # -- construction -------------------------------------------------------

    def _build_widgets(self) -> None:
        self.articles = ArticleListPanel(self.article_actions.menu_entries)
        # The list's parts by their old names (tests, benchmarks, other windows).
        self.article_list, self.article_model = self.articles.table, self.articles.model
        self.article_proxy, self.article_filter = self.articles.proxy, self.articles.filter

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
        self.view.describe = self._describe_span
        self.find_bar = FindBar(self.view)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(6, 6, 6, 6)
        centre_layout.addWidget(self.title_label)
        centre_layout.addLayout(status_row)
        centre_layout.addWidget(self.view, 1)
        centre_layout.addWidget(self.find_bar)

        self.palette = TagPalette()
        self.annotations = AnnotationPanel(self.document, self.view, self.bench.push, self.bench.message)
        panel = self.annotations
        self.annotation_table, self.annotation_model = panel.table, panel.model
        self.annotation_proxy, self.tag_filter = panel.proxy, panel.tag_filter
        self.note_edit, self.details_label = panel.note_edit, panel.details_label
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 6, 6, 6)
        right_layout.addWidget(QLabel("Tags (press the key to tag the selection)"))
        right_layout.addWidget(self.palette)
        right_layout.addWidget(panel, 1)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.articles)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([380, 620, 400])
        self.setCentralWidget(self.splitter)
        self.setStatusBar(StatusBar(self))
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

    def _build_menus(self) -> None:
        bar = self.menuBar()
        actions, intake = self.article_actions, self.intake
        file_menu = bar.addMenu("&File")
        self.open_action = self._action(file_menu, "&Open…", intake.open_files, QKeySequence.StandardKey.Open,
                                        "Import article files and open the last one")
        self.clipboard_action = self._action(file_menu, "New article from &clipboard", intake.new_from_clipboard,
                                             "Ctrl+Shift+V", "Make an article of the text on the clipboard")
        self._action(file_menu, "Article &properties…",
                     lambda: self.document.article and actions.edit_properties(self.document.article.id))
        self.article_memo_action = self._action(file_menu, "Article &memo…", actions.edit_article_memo,
                                                "Ctrl+Alt+M",
                                                "Notes on the whole article: context, doubts, what to check")
        self._action(file_menu, "Pro&ject memo…", actions.edit_project_memo,
                     tip="Notes on the whole project: research question, decisions, conventions")
        self._action(file_menu, "Search me&mos…", actions.search_memos, "Ctrl+Shift+M")
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
        self.delete_action = self._action(edit_menu, "&Delete annotation", self._delete_annotations,
                                          QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.view.addAction(self.delete_action)
        self.annotation_table.addAction(self.delete_action)
        self._action(edit_menu, "&Find…", self.find_bar.open_bar, QKeySequence.StandardKey.Find)
        self._action(edit_menu, "Next annotation", lambda: self.annotations.move(1), "J")
        self._action(edit_menu, "Previous annotation", lambda: self.annotations.move(-1), "K")
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
        self._action(view_menu, "Zoom &in", lambda: self.view.zoom(1),
                     [QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")])
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

        self.review = SuggestionReview(self.bench, self.settings, bar.addMenu("&Suggestions"))
        self.show_suggestions_action = self.review.show_action
        self.auto_suggest_action = self.review.auto_action
        self.date_suggestions_action = self.review.dates_action

        tag_menu = bar.addMenu("&Tags")
        self._action(tag_menu, "&Add tag…", self.tags.add_tag)
        self._action(tag_menu, "&Codebook…", self.tags.show_codebook, "Ctrl+Shift+B",
                     "Tags in their categories with memos and counts; export or import a .qdc codebook")
        self.tagging = Tagging(self.bench, self.annotations, self.review, bar.addMenu("&Annotation"),
                               lambda: self.whole_words)
        self.attribute_action = self.tagging.attribute_action
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
        self.articles.articleChosen.connect(self.open_article)
        self.annotations.currentChanged.connect(self._update_counts)
        self.status_combo.activated.connect(lambda i: self.article_actions.set_status(STATUSES[i]))
        self.view.navigate.connect(self.annotations.move)
        self.view.annotationClicked.connect(self.select_annotation)
        self.view.filesDropped.connect(self.import_files)
        self.view.selectionChanged.connect(self._update_counts)
        self.review.ready.connect(self.suggestionsReady)
        self.review.changed.connect(self._update_counts)
        self.palette.tagClicked.connect(self.tagging.tag_selection)
        self.palette.addRequested.connect(self.tags.add_tag)
        self.palette.editRequested.connect(self.tags.edit_tag)
        self.palette.deleteRequested.connect(self.tags.delete_tag)

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)

    # -- what other windows and the application use ------------------------------

    def report(self, error: Exception, title: str = "Could not save") -> None:
        """Show a storage or input problem; the window stays usable."""
        log.warning("%s: %s", title, error)
        QMessageBox.warning(self, title, str(error))

    def open_article(self, article_id: int | None) -> None:
        """Show an article with its annotations (None shows nothing)."""
        self.annotations.commit_note()
        if self.document.article is not None and self.document.article.id == article_id:
            return
        try:
            self.document.open(article_id)
        except StoreError as error:
            self.report(error, "Could not open the article")
            return
        if article_id is not None:
            self.save_setting("last_article", article_id)
            self.articles.select(article_id)

    def select_annotation(self, annotation_id: int, reveal: bool = True) -> None:
        self.annotations.select(annotation_id, reveal)

    def current_annotation(self) -> Annotation | None:
        return self.annotations.current()

    def import_files(self, paths: list[str], *, preview: bool = True) -> BackgroundJob:
        return self.intake.import_files(paths, preview=preview)

    def refresh_articles(self) -> None:
        current = self.document.article.id if self.document.article else None
        try:
            rows = self.store.list_articles()
        except StoreError as error:
            self.report(error, "Could not read the articles")
            return
        self.articles.set_articles(rows, current)
        self._update_counts()

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

    def save_setting(self, name: str, value) -> bool:
        """Save one preference (see ``annotator.services.settings``); a storage
        problem is shown, not raised."""
        try:
            self.settings = save_setting(self.store, name=name, value=value).value
        except StoreError as error:
            self.report(error)
            return False
        return True

    # -- following the document and the operations --------------------------------

    def _apply_changes(self, changes: Changes) -> None:
        """The window follows what an operation changed, whoever ran it (this
        window, a background job): the one subscriber of the ChangeHub here.
        Callers of services never refresh views by hand."""
        try:
            if changes.tags:
                self.document.reload_tags()
            current = self.document.article.id if self.document.article is not None else None
            if current is not None and current in changes.removed_articles:
                self.document.open(None)
            elif current is not None and current in changes.articles:
                self.document.reload_article()
            touched = {a.article_id for a in changes.annotations + changes.removed_annotations}
            rows = changes.articles | (touched - {current})
            listed = len(rows) <= ROW_UPDATES and all(self.articles.model.row_of(i) >= 0 for i in rows)
            if changes.removed_articles or changes.tags or (rows and not listed):
                self.refresh_articles()
            elif rows:  # only these rows are read again (a team sync names the few it changed)
                for summary in self.store.list_articles(sorted(rows)):
                    self.articles.model.update_article(summary)
            selected = self.annotations.current()
            if selected is not None and (selected.id in changes.verdicts or selected.id in changes.links):
                self.annotations.refresh_details()
        except StoreError as error:
            self.report(error, "Could not show the latest changes")

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
            self.review.article_opened()
        self._update_counts()

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
        if article is not None:
            self.articles.update_row(article.id, status=article.status, title=article.title,
                                     outlet=article.outlet, annotation_count=len(self.document.annotations))

    def _annotation_inserted(self, _row: int, a: Annotation) -> None:
        self.view.add_annotation(a)
        self._refresh_article_row()
        self._update_counts()
        self.annotations.select(a.id, reveal=False)

    def _annotation_removed(self, _row: int, a: Annotation) -> None:
        self.view.remove_annotation(a)
        self._refresh_article_row()
        self._update_counts()

    def _annotation_updated(self, _row: int, a: Annotation) -> None:
        self.view.update_annotation(a)
        self.annotations.annotation_updated(a)
        self._update_counts()

    def _tags_changed(self) -> None:
        tags = self.document.tags
        self.palette.set_tags(tags)
        self.view.highlighter.set_tags(tags)
        if self.document.article is not None:
            self.view.highlighter.set_spans(self.document.annotations, self.document.suggestions)
            self.view.rehighlight_all()
        self._update_counts()

    def _command_failed(self, error: Exception) -> None:
        self.report(error, "Could not save" if isinstance(error, StoreError) else "Nothing to tag")

    def _announce(self, what: str, step: str) -> None:
        if step:
            self.statusBar().showMessage(f"{what}: {step}", 5000)

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

    def _delete_annotations(self) -> None:
        self.tagging.delete_selected()

    def _forget_history(self, article_id: int) -> None:
        stack = self.undo_stacks.pop(article_id, None)
        if stack is not None:
            self.undo_group.removeStack(stack)
            stack.deleteLater()

    def _clear_history(self) -> None:
        for stack in self.undo_stacks.values():
            stack.clear()

    # -- exchange ---------------------------------------------------------------

    def export_annotations(self):
        """File → Export: format, scope (this article, the selected ones, all), layer (the
        one shown, unless chosen there), file."""
        from annotator.gui.exchange_dialogs import show_export_dialog

        self.annotations.commit_note()
        current = self.document.article.id if self.document.article else None
        return show_export_dialog(self, self.store, current, self.articles.selected_ids(),
                                  layer=self.team_menu.layers.word(), me=lambda: self.document.annotator)

    def import_annotations(self) -> bool:
        """File → Import annotations: preview conflicts and span errors, then import."""
        from annotator.gui.exchange_dialogs import show_import_annotations_dialog

        self.annotations.commit_note()
        if not show_import_annotations_dialog(self, self.store):
            return False
        current = self.document.article.id if self.document.article else None
        try:
            self.document.reload_tags()
            self.refresh_articles()
            self.document.open(current if current is not None else self.store.latest_article_id())
        except StoreError as error:
            self.report(error, "Could not show the imported annotations")
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
            "Everything is saved the moment it is shown; tag and article edits are undo steps too.",
        )

    def _update_counts(self, *_args) -> None:
        d = self.document
        parts = [plural(self.articles.count(), "article")]
        if d.article is not None:
            counts = d.tag_counts
            parts.append(plural(len(d.annotations), "annotation"))
            parts.extend(f"{t.name} {counts[t.id]}" for t in d.tags if counts.get(t.id))
            start, end = self.view.selected_span()
            if end > start:
                parts.append(f"selection {start}–{end}")
        self.count_label.setText(" · ".join(parts))

    def closeEvent(self, event) -> None:
        self.annotations.commit_note()
        self.changes.close()
        self.review.close()
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        super().closeEvent(event)
