"""Bringing articles in: File → Open, dropped files, the clipboard; one file goes
through the import preview, a batch is stored in the background and reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QFileDialog

from annotator.gui.context import Workbench
from annotator.gui.workers import BackgroundJob
from annotator.services.articles import add_article
from annotator.store import StoreError

TEXT_FILTER = "Articles (*.txt *.text *.md *.markdown *.html *.htm *.html.gz *.docx *.pdf);;All files (*)"


class Intake(QObject):
    """``open_article(article_id)`` shows an article once it is stored."""

    def __init__(self, bench: Workbench, open_article: Callable[[int | None], None]):
        super().__init__(bench.window)
        self.bench = bench
        self.open_article = open_article
        self.job: BackgroundJob | None = None

    def open_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.bench.window, "Open articles", "", TEXT_FILTER)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[str], *, preview: bool = True) -> BackgroundJob:
        """Import files in the background (progress, cancel). One file is shown in
        the import preview first (metadata, removed lines to restore); a batch is
        stored directly and ends with a report. Duplicates are reported, not added;
        the last article imported is opened."""
        from annotator.services.intake import import_paths, read_article

        failed = lambda e: self.bench.report(e, "Import failed")
        if preview and len(paths) == 1 and Path(paths[0]).is_file():
            def read(store, progress, _cancelled):
                progress(0, 1, Path(paths[0]).name)
                return read_article(store, paths[0])

            self.job = self.bench.run_in_background("Reading the article", read, self.preview_and_store, failed)
            return self.job

        def work(store, progress, cancelled):
            return import_paths(store, [Path(p) for p in paths], progress=progress, cancelled=cancelled)

        self.job = self.bench.run_in_background("Importing articles", work, self.after_import, failed)
        return self.job

    def preview_and_store(self, raw) -> int | None:
        """Show the import preview of one article read from a file or the clipboard;
        store it if the analyst accepts. Returns the article id."""
        from annotator.gui.intake_dialogs import ImportPreviewDialog
        from annotator.ingest import IngestError, clean_article
        from annotator.services.intake import plan_removals

        if isinstance(raw, IngestError):
            self.bench.report(raw, "Cannot import the file")
            return None
        store = self.bench.store
        try:
            # Stored articles have their furniture removed: compare the cleaned text.
            duplicate = store.find_duplicate(clean_article(raw))
            removals = plan_removals(raw, store)
        except StoreError as error:
            self.bench.report(error, "Cannot import the file")
            return None
        if duplicate is not None:
            self.open_article(duplicate)
            self.bench.message("This article is already in the database; it is now open.", 5000)
            return duplicate
        dialog = ImportPreviewDialog(raw, removals, self.bench.window)
        self.preview_dialog = dialog
        if not dialog.exec():
            return None
        try:
            article_id, created = add_article(store, article=dialog.article()).value
        except StoreError as error:
            self.bench.report(error, "Could not save")
            return None
        self.open_article(article_id)
        self.bench.message("Article saved" if created else "This article is already in the database", 4000)
        return article_id

    def after_import(self, outcomes) -> None:
        from annotator.gui.intake_dialogs import ImportReportDialog

        shown = [o.article_id for o in outcomes if o.article_id is not None]
        if shown:
            self.open_article(shown[-1])
        errors = sum(o.status == "error" for o in outcomes)
        imported = sum(o.status == "imported" for o in outcomes)
        duplicates = sum(o.status == "duplicate" for o in outcomes)
        self.bench.message(f"Imported {imported}, already present {duplicates}, failed {errors}", 5000)
        cancelled = self.job is not None and self.job.cancelled
        if errors or cancelled or len(outcomes) > 1:
            self.report_dialog = ImportReportDialog(outcomes, cancelled=cancelled, parent=self.bench.window)
            self.report_dialog.exec()

    def new_from_clipboard(self) -> int | None:
        from annotator.ingest import IngestError, read_clipboard

        mime = QApplication.clipboard().mimeData()
        html = mime.html() if mime is not None and mime.hasHtml() else None
        text = mime.text() if mime is not None and mime.hasText() else None
        try:
            raw = read_clipboard(html, text, keep_boilerplate=True)
        except IngestError as error:
            self.bench.report(error, "Cannot make an article from the clipboard")
            return None
        return self.preview_and_store(raw)
