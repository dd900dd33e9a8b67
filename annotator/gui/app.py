"""Starting the application: logging, crash reports, the main window."""

from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QMessageBox, QPlainTextEdit, QVBoxLayout

from annotator import __version__
from annotator.gui import text_field_keys

log = logging.getLogger("annotator")


def setup_logging() -> Path | None:
    """Log to a rotating file in the user's log folder; returns its path."""
    from annotator.services.workspace import log_dir

    root = logging.getLogger()
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "annotator.log"
        if not any(getattr(h, "baseFilename", None) == str(path.absolute()) for h in root.handlers):
            handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            root.addHandler(handler)
    except OSError:
        return None
    root.setLevel(logging.INFO)
    return path


class CrashDialog(QDialog):
    """Shown for unexpected errors: what happened, and a report to copy."""

    def __init__(self, report: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("annotator: unexpected error")
        self.report = report
        label = QLabel(
            "Something went wrong inside annotator. Your saved work is safe in the database.\n"
            "Please send the report below to the developers."
        )
        label.setWordWrap(True)
        text = QPlainTextEdit(report)
        text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy_report(self) -> None:
        QApplication.clipboard().setText(self.report)
        self.copy_button.setText("Copied")


def crash_report(exc_type, exc, tb) -> str:
    return (
        f"annotator {__version__}, Python {platform.python_version()}, {platform.platform()}\n\n"
        + "".join(traceback.format_exception(exc_type, exc, tb))
    )


def install_excepthook() -> None:
    """The window's error boundary: a storage problem (locked, read-only, full,
    damaged: a StoreError) that reaches the event loop is shown as the readable
    message it is; anything else is a bug, logged and shown in a CrashDialog with
    its report. Either way the program stays up."""
    from annotator.store import StoreError

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if issubclass(exc_type, StoreError) and QApplication.instance() is not None:
            log.warning("storage problem: %s", exc)
            QMessageBox.warning(QApplication.activeWindow(), "Could not read or save", str(exc))
            return
        report = crash_report(exc_type, exc, tb)
        log.error("unexpected error\n%s", report)
        if QApplication.instance() is not None:
            CrashDialog(report, QApplication.activeWindow()).exec()
        else:
            sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    app.setApplicationVersion(__version__)
    text_field_keys.install(app)
    return app


def run(db_path: Path | None = None, files: list[Path] | None = None, quit_after: int | None = None) -> int:
    """Open the window on the database; import ``files`` and show the last one,
    else reopen the article open last time, else the newest."""
    from annotator.gui.main_window import MainWindow
    from annotator.services.workspace import annotator_name, open_workspace
    from annotator.store import StoreError

    app = create_app()
    setup_logging()
    install_excepthook()
    try:
        store = open_workspace(db_path)
    except StoreError as error:
        QMessageBox.critical(None, "Cannot open the database", str(error))
        print(f"annotator: {error}", file=sys.stderr)
        return 1
    window = MainWindow(store, annotator=annotator_name(store))
    window.show()
    if files:
        window.import_files([str(f) for f in files])
    else:
        last = window.settings.last_article
        article_id = last if last is not None and store.has_article(last) else store.latest_article_id()
        window.open_article(article_id)
    window.view.setFocus()
    if quit_after is not None:
        QTimer.singleShot(quit_after, window.close)
    code = app.exec()
    store.close()
    return code
