"""File → Export and File → Import annotations: dialogs, background work, print / PDF.

Entry points for the main window (each modal; the window refreshes afterwards):

* :func:`show_export_dialog` ``(parent, store, current_article_id, selected_article_ids)``
  asks for format, scope, layer (whose annotations: the window's by default) and output path, exports in the background with a
  progress dialog and Cancel, and returns the path written (None if cancelled).
* :func:`show_import_annotations_dialog` ``(parent, store)`` asks for files, plans
  the import in the background, shows the preview (summary, articles, conflicts,
  span errors) and imports on "Import"; returns True if the database changed.
* :func:`print_report` and :func:`save_report_as_pdf` ``(parent, store, article_ids)``
  print the HTML report, or save it as PDF, through Qt's rich text engine.

The work itself is :mod:`annotator.services.exchange`; each background job opens
its own database connection (see :mod:`annotator.gui.workers`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEventLoop, QMarginsF, QSettings, Qt
from PySide6.QtGui import (
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.formats import FORMATS, ExportCancelled
from annotator.gui.team_layers import LayerBox
from annotator.gui.workers import BackgroundJob
from annotator.services.exchange import (
    ImportCancelled,
    ImportPlan,
    apply_import,
    plan_import,
)
from annotator.services.exporting import export_annotations, iter_documents, selection
from annotator.store import Store

# (label, format, suffix, file filter): each format's single file, then the zipped
# many-file variants, all from the format registry.
EXPORT_CHOICES = tuple(
    [(f.label, f.name, f.suffix, f.file_filter) for f in FORMATS.values() if f.write is not None]
    + [(f.files_label, f.name, ".zip", "Zip archive (*.zip)") for f in FORMATS.values() if f.write_files is not None]
)
_READABLE = [f for f in FORMATS.values() if f.read is not None]
IMPORT_FILTER = ";;".join(
    ["Annotation files (" + " ".join(f"*{s}" for f in _READABLE for s in f.suffixes) + " *.zip)"]
    + [f"{f.label} (" + " ".join(f"*{s}" for s in f.suffixes + ((".zip",) if f.write_files else ())) + ")" for f in _READABLE]
    + ["All files (*)"]
)
FORMAT_KEY, SCOPE_KEY, FOLDER_KEY = "export/format", "export/scope", "export/folder"


def export_folder(settings: QSettings | None = None) -> Path:
    """The folder of the last export, else the home folder (never the working folder)."""
    settings = settings if settings is not None else QSettings()
    folder = Path(str(settings.value(FOLDER_KEY, "") or ""))
    return folder if str(folder) not in ("", ".") and folder.is_dir() else Path.home()


# Lists longer than this show their start; a list widget of 100,000 rows helps nobody.
LIST_LIMIT = 2000


@dataclass
class ExportChoice:
    fmt: str
    path: Path
    article_ids: list[int] | None  # None: all articles
    layer: object = "all"          # a services.layers.Layer, or its word (all, mine, curated, an analyst)


class ExportDialog(QDialog):
    """Format, scope (current article, selected articles, all), layer (all analysts,
    mine, curated, one analyst's: the layer the window shows, unless chosen here) and
    output file."""

    def __init__(
        self,
        parent: QWidget | None,
        store: Store,
        current_article_id: int | None = None,
        selected_article_ids: Sequence[int] = (),
        folder: Path | None = None,
        settings: QSettings | None = None,
        layer: str = "all",
        me: Callable[[], str] | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Export annotations")
        # The last export's format, scope and folder are offered again.
        self.settings = settings if settings is not None else QSettings()
        remembered = Path(str(self.settings.value(FOLDER_KEY, "") or ""))
        if folder is None and str(remembered) not in ("", ".") and remembered.is_dir():
            folder = remembered
        self.setMinimumWidth(560)
        self.store = store
        self.current_article_id = current_article_id
        self.selected_article_ids = list(selected_article_ids)
        self.folder = folder or Path.home()

        self.format_combo = QComboBox()
        for label, *_ in EXPORT_CHOICES:
            self.format_combo.addItem(label)

        self.scope_current = QRadioButton("&Current article")
        self.scope_selected = QRadioButton(f"&Selected articles ({len(self.selected_article_ids)})")
        self.scope_all = QRadioButton(f"&All articles ({len(store.article_ids())})")
        self.scope_group = QButtonGroup(self)
        for button in (self.scope_current, self.scope_selected, self.scope_all):
            self.scope_group.addButton(button)
        self.scope_current.setEnabled(current_article_id is not None)
        self.scope_selected.setEnabled(len(self.selected_article_ids) > 1)
        if current_article_id is not None:
            self.scope_current.setChecked(True)
            title = store.get_article(current_article_id).title[:60].replace("&", "&&")
            self.scope_current.setText(f"&Current article: {title}")
        else:
            self.scope_all.setChecked(True)
        scope_box = QVBoxLayout()
        for button in (self.scope_current, self.scope_selected, self.scope_all):
            scope_box.addWidget(button)

        self.layer_combo = LayerBox(store, me)
        self.layer_combo.setToolTip("Whose annotations to export: every analyst's own (each row names its "
                                    "analyst), yours, the curated layer, or one analyst's")
        self.layer_combo.reload()  # every analyst listed from the start: the arrows reach them at once
        self.layer_combo.set_word(layer)

        self.path_edit = QLineEdit(str(self.folder / ("annotations" + EXPORT_CHOICES[0][2])))
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setAutoDefault(False)  # Enter in the path field exports; it does not browse
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(placeholder-text);")

        form = QFormLayout()
        form.addRow("&Format:", self.format_combo)
        form.addRow("Scope:", scope_box)
        form.addRow("&Layer:", self.layer_combo)
        form.addRow("Save to:", path_row)
        form.addRow("", self.hint)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        # The HTML report of the chosen scope, straight to paper or PDF.
        self.pdf_button = self.buttons.addButton("Save report as P&DF…", QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button = self.buttons.addButton("&Print report…", QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button.clicked.connect(lambda: save_report_as_pdf(
            self, self.store, self.choice().article_ids, folder=self.choice().path.parent, layer=self.choice().layer,
        ))
        self.print_button.clicked.connect(lambda: print_report(self, self.store, self.choice().article_ids,
                                                               layer=self.choice().layer))
        self.export_button = self.buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        # Enter exports: made the default once the button is in the dialog (before, the
        # dialog never heard of it and Enter pressed Cancel).
        self.export_button.setDefault(True)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.path_edit.textChanged.connect(self._validate)
        labels = [choice[0] for choice in EXPORT_CHOICES]
        last = str(self.settings.value(FORMAT_KEY, "") or "")
        index = labels.index(last) if last in labels else 0
        self.format_combo.setCurrentIndex(index)
        self._format_changed(index)
        scope = {"current": self.scope_current, "selected": self.scope_selected, "all": self.scope_all}.get(
            str(self.settings.value(SCOPE_KEY, "") or "")
        )
        if scope is not None and scope.isEnabled():
            scope.setChecked(True)

    def remember(self) -> None:
        """Keep this export's format, scope and folder for the next one."""
        self.settings.setValue(FORMAT_KEY, EXPORT_CHOICES[self.format_combo.currentIndex()][0])
        scope = "current" if self.scope_current.isChecked() else "selected" if self.scope_selected.isChecked() else "all"
        self.settings.setValue(SCOPE_KEY, scope)
        self.settings.setValue(FOLDER_KEY, str(self.choice().path.parent))

    def _format_changed(self, index: int) -> None:
        _, fmt, suffix, _ = EXPORT_CHOICES[index]
        path = Path(self.path_edit.text().strip() or "annotations")
        self.path_edit.setText(str(path.with_suffix(suffix)))
        self.hint.setText(FORMATS[fmt].hint)
        self._validate()

    def _validate(self) -> None:
        text = self.path_edit.text().strip()
        self.export_button.setEnabled(bool(text) and Path(text).parent.is_dir())

    def browse(self) -> None:
        _, _, suffix, file_filter = EXPORT_CHOICES[self.format_combo.currentIndex()]
        path, _ = QFileDialog.getSaveFileName(self, "Export annotations", self.path_edit.text(), file_filter)
        if path:
            if not path.lower().endswith(suffix) and not (suffix == ".html" and path.lower().endswith(".htm")):
                path += suffix
            self.path_edit.setText(path)

    def choice(self) -> ExportChoice:
        fmt = EXPORT_CHOICES[self.format_combo.currentIndex()][1]
        if self.scope_current.isChecked():
            ids = [self.current_article_id]
        elif self.scope_selected.isChecked():
            ids = list(self.selected_article_ids)
        else:
            ids = None
        return ExportChoice(fmt, Path(self.path_edit.text().strip()), ids, self.layer_combo.layer())


def _wait(job: BackgroundJob) -> tuple[bool, object]:
    """Block (with the event loop running, so progress and Cancel work) until ``job`` ends."""
    outcome: list = []
    loop = QEventLoop()
    job.finished.connect(lambda result: (outcome.append((True, result)), loop.quit()))
    job.failed.connect(lambda error: (outcome.append((False, error)), loop.quit()))
    job.start()
    if not outcome:
        loop.exec()
    return outcome[0]


def run_export(parent: QWidget, store: Store, choice: ExportChoice) -> BackgroundJob:
    """A (not yet started) background job writing ``choice``; its result is the count."""

    def work(thread_store, progress, cancelled):
        return export_annotations(
            thread_store, choice.fmt, choice.path, article_ids=choice.article_ids, layer=choice.layer,
            progress=lambda done, total: progress(done, total, choice.path.name), cancelled=cancelled,
        )

    return BackgroundJob(parent, "Exporting annotations", store.path, work)


def show_export_dialog(
    parent: QWidget,
    store: Store,
    current_article_id: int | None = None,
    selected_article_ids: Sequence[int] = (),
    folder: Path | None = None,
    settings: QSettings | None = None,
    layer: str = "all",
    me: Callable[[], str] | None = None,
) -> Path | None:
    """File → Export: ask, export with progress, tell. Returns the path written, or None.
    ``folder`` is where the suggested file name goes (default: the last export's folder,
    else the home folder); ``settings`` keep the last choices (default: the application's);
    ``layer`` is the layer offered (the one the window shows), ``me()`` whose "mine" is."""
    dialog = ExportDialog(parent, store, current_article_id, selected_article_ids, folder, settings, layer, me)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    dialog.remember()
    choice = dialog.choice()
    ok, result = _wait(run_export(parent, store, choice))
    if ok:
        status = getattr(parent, "statusBar", None)
        if callable(status):
            status().showMessage(f"Exported {result} annotations to {choice.path}", 6000)
        return choice.path
    if isinstance(result, ExportCancelled):
        return None
    QMessageBox.warning(parent, "Export failed", str(result))
    return None


# ---------------------------------------------------------------------------
# Import


class ImportPreviewDialog(QDialog):
    """What an import would do, before it does it: summary, articles, conflicts, errors."""

    def __init__(self, parent: QWidget | None, plan: ImportPlan):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Import annotations")
        self.resize(760, 520)

        files = ", ".join(p.name for p in plan.paths)
        self.summary_label = QLabel(f"<b>{_html_escape(files)}</b><br>" + _html_escape(plan.summary()).replace("\n", "<br>"))
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.tabs = QTabWidget()
        self.articles_tree = QTreeWidget()
        self.articles_tree.setHeaderLabels(["Article", "Annotations", "How"])
        self.articles_tree.setRootIsDecorated(False)
        counts: dict[int, int] = {}
        for a in plan.annotations:
            counts[a.article] = counts.get(a.article, 0) + 1
        for i, article in enumerate(plan.articles):
            how = "new article" if article.existing_id is None else f"article {article.existing_id}: {article.how}"
            QTreeWidgetItem(self.articles_tree, [article.title, str(counts.get(i, 0)), how])
        self.articles_tree.resizeColumnToContents(1)
        self.articles_tree.setColumnWidth(0, 380)
        self.tabs.addTab(self.articles_tree, f"Articles ({len(plan.articles)})")

        self.conflicts_list = self._list(plan.conflicts)
        self.warnings_list = self._list(plan.warnings + plan.orphaned)
        self.errors_list = self._list(plan.errors)
        self.duplicates_list = self._list(plan.duplicates)
        self.memos_list = self._list([memo.line() for memo in plan.memos])
        self.tabs.addTab(self.conflicts_list, f"Conflicts ({len(plan.conflicts)})")
        self.tabs.addTab(self.warnings_list, f"Warnings ({len(plan.warnings) + len(plan.orphaned)})")
        self.tabs.addTab(self.errors_list, f"Errors ({len(plan.errors)})")
        self.tabs.addTab(self.duplicates_list, f"Already present ({len(plan.duplicates)})")
        self.tabs.addTab(self.memos_list, f"Memos ({len(plan.memos)})")
        if plan.errors:
            self.tabs.setCurrentWidget(self.errors_list)
        elif plan.conflicts:
            self.tabs.setCurrentWidget(self.conflicts_list)

        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        if plan.errors:
            self.warning_label.setText(
                f"⚠ {_count(len(plan.errors), 'problem')}: the annotations named there are not imported;"
                " everything else is."
            )
            self.warning_label.setStyleSheet("color: #b45309;")
        else:
            self.warning_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.copy_button = self.buttons.addButton("&Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        label = f"&Import {len(plan.annotations)} annotations" if plan.annotations else "&Import"
        self.import_button = self.buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(plan.changes_anything)
        self.import_button.setDefault(plan.changes_anything)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.buttons)

    @staticmethod
    def _list(lines: list[str]) -> QListWidget:
        widget = QListWidget()
        widget.setWordWrap(True)
        widget.setAlternatingRowColors(True)
        for line in lines[:LIST_LIMIT]:
            QListWidgetItem(line, widget)
        if len(lines) > LIST_LIMIT:
            more = QListWidgetItem(f"… and {len(lines) - LIST_LIMIT} more (Copy report copies them all).", widget)
            more.setFlags(Qt.ItemFlag.NoItemFlags)
        if not lines:
            item = QListWidgetItem("None.", widget)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        return widget

    def report_text(self) -> str:
        parts = [f"Files: {', '.join(str(p) for p in self.plan.paths)}", self.plan.summary()]
        for title, lines in (
            ("Conflicts", self.plan.conflicts), ("Warnings", self.plan.warnings), ("Orphaned", self.plan.orphaned),
            ("Errors", self.plan.errors), ("Already present", self.plan.duplicates),
            ("Memos", [memo.line() for memo in self.plan.memos]),
        ):
            if lines:
                parts.append(f"{title}:\n" + "\n".join(f"  {line}" for line in lines))
        return "\n\n".join(parts)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plan_job(parent: QWidget, store: Store, paths: Sequence[str | Path]) -> BackgroundJob:
    """A background job reading and checking ``paths``; its result is the ImportPlan."""

    def work(thread_store, progress, cancelled):
        progress(0, 0, "Reading and checking the files…")
        return plan_import(thread_store, list(paths))

    return BackgroundJob(parent, "Reading annotations", store.path, work)


def apply_job(parent: QWidget, store: Store, plan: ImportPlan) -> BackgroundJob:
    """A background job writing ``plan`` in one transaction; its result is the ImportResult."""

    def work(thread_store, progress, cancelled):
        return apply_import(
            thread_store, plan, progress=lambda done, total: progress(done, total, "annotations"), cancelled=cancelled,
        )

    return BackgroundJob(parent, "Importing annotations", store.path, work)


def show_import_annotations_dialog(parent: QWidget, store: Store, paths: Sequence[str | Path] | None = None) -> bool:
    """File → Import annotations: choose files (unless ``paths``), preview, import.
    Returns True if the database changed (the window should refresh)."""
    if paths is None:
        chosen, _ = QFileDialog.getOpenFileNames(parent, "Import annotations", "", IMPORT_FILTER)
        if not chosen:
            return False
        paths = chosen
    ok, plan = _wait(plan_job(parent, store, paths))
    if not ok:
        QMessageBox.warning(parent, "Cannot read the files", str(plan))
        return False
    preview = ImportPreviewDialog(parent, plan)
    if preview.exec() != QDialog.DialogCode.Accepted:
        return False
    ok, result = _wait(apply_job(parent, store, plan))
    if not ok:
        if not isinstance(result, ImportCancelled):
            QMessageBox.warning(parent, "Import failed", f"{result}\n\nNothing was imported.")
        return False
    status = getattr(parent, "statusBar", None)
    if callable(status):
        memos = f", {_count(result.memos_set, 'memo')} set" if result.memos_set else ""
        status().showMessage(
            f"Imported {result.annotations_added} annotations"
            f" ({result.articles_created} new articles, {result.tags_created} new tags{memos})", 6000,
        )
    return result.annotations_added + result.articles_created + result.tags_created + result.links_added \
        + result.memos_set > 0


# ---------------------------------------------------------------------------
# Print / PDF


def report_document(store: Store, article_ids: Sequence[int] | None, layer=None) -> QTextDocument:
    """The HTML report of ``article_ids`` (or all; the annotations of ``layer``, by
    default all analysts') laid out by Qt's rich text engine."""
    buffer = io.StringIO()
    ids = list(article_ids) if article_ids is not None else None
    FORMATS["html"].write(iter_documents(store, ids, selection(store, ids, layer)),
                          {t.id: t for t in store.list_tags()}, buffer)
    document = QTextDocument()
    document.setHtml(buffer.getvalue())
    return document


def save_report_as_pdf(
    parent: QWidget | None, store: Store, article_ids: Sequence[int] | None, path: str | Path | None = None,
    folder: Path | None = None, layer=None,
) -> Path | None:
    """Write the report of ``layer`` as an A4 PDF (asking where unless ``path``, starting
    in ``folder``, else the last export's folder); returns the path."""
    if path is None:
        start = folder if folder is not None and folder.is_dir() else export_folder()
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Save report as PDF", str(start / "annotation-report.pdf"), "PDF (*.pdf)"
        )
        if not chosen:
            return None
        path = chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf"
    path = Path(path)
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        document = report_document(store, article_ids, layer)
        writer = QPdfWriter(str(path))
        writer.setTitle("Annotation report")
        writer.setCreator("annotator")
        writer.setPageLayout(QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter,
        ))
        document.print_(writer)
        del writer  # the PDF is finished when the writer goes
    finally:
        QGuiApplication.restoreOverrideCursor()
    return path


def print_report(parent: QWidget | None, store: Store, article_ids: Sequence[int] | None, printer=None,
                 layer=None) -> bool:
    """Print the report through the system print dialog (on ``printer``, default the
    system's); True if it was sent."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print annotation report")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    report_document(store, article_ids, layer).print_(printer)
    return True
