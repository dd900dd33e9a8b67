"""Starting the program, crash reports, logs, and two windows on one database."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.gui import app as app_module
from annotator.gui.intake import Intake
from annotator.gui.main_window import MainWindow
from annotator.services.workspace import open_workspace


def test_run_opens_the_sample_and_reopens_the_last_article(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "fresh.db"
    shown = []
    real_open = MainWindow.open_article
    monkeypatch.setattr(MainWindow, "open_article",
                        lambda self, article_id: (shown.append(article_id), real_open(self, article_id)))
    assert app_module.run(db_path=db, quit_after=50) == 0
    store = open_workspace(db)
    sample = store.latest_article_id()
    assert shown[-1] == sample
    assert store.get_setting("last_article") == str(sample)
    store.close()


def test_run_imports_given_files_and_shows_the_last(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "files.db"
    a = tmp_path / "a.txt"
    a.write_text("First story\n\nText one.\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("Second story\n\nText two.\n", encoding="utf-8")
    titles = []
    real_after = Intake.after_import

    def after_import(self, outcomes):
        real_after(self, outcomes)
        titles.append(self.bench.document.article.title)
        self.bench.window.close()

    from annotator.gui.intake_dialogs import ImportReportDialog

    reports = []
    monkeypatch.setattr(ImportReportDialog, "exec", lambda self: reports.append(self.report_text()) or 0)
    monkeypatch.setattr(Intake, "after_import", after_import)
    assert app_module.run(db_path=db, files=[a, b]) == 0
    assert titles == ["Second story"]
    assert reports and reports[0].startswith("Imported 2, already present 0, failed 0")


def test_run_refuses_a_file_that_is_not_a_database(qtbot, tmp_path, monkeypatch, capsys):
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database", encoding="utf-8")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    assert app_module.run(db_path=bogus) == 1
    assert shown and "notes.db" in shown[0] and "not an annotator database" in shown[0]
    assert "not an annotator database" in capsys.readouterr().err
    assert bogus.read_text(encoding="utf-8") == "these are my notes, not a database"


def test_unexpected_errors_show_a_dialog_whose_report_can_be_copied(qtbot, monkeypatch):
    dialogs = []
    monkeypatch.setattr(app_module.CrashDialog, "exec", lambda self: dialogs.append(self) or 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app_module.install_excepthook()
    try:
        raise ValueError("boom in a slot")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert "ValueError: boom in a slot" in dialog.report
    dialog.copy_button.click()
    assert "boom in a slot" in QApplication.clipboard().text()


def test_logs_go_to_a_rotating_file_in_the_log_folder(tmp_path):
    path = app_module.setup_logging()
    assert path is not None and path.name == "annotator.log"
    logging.getLogger("annotator.test").warning("a line for the log")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "a line for the log" in path.read_text(encoding="utf-8")
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "baseFilename", None) == str(path):
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_a_storage_problem_reaching_the_event_loop_is_a_message_not_a_crash(qtbot, tmp_path, monkeypatch):
    """The error boundary: a real "database is locked" from a window action that had no
    handler of its own is shown as the readable message, never as a crash report."""
    import sqlite3

    crashes, warnings = [], []
    monkeypatch.setattr(app_module.CrashDialog, "exec", lambda self: crashes.append(self) or 0)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app_module.install_excepthook()
    store = open_workspace(tmp_path / "work.db")
    store.conn.execute("PRAGMA busy_timeout = 50")
    blocker = sqlite3.connect(tmp_path / "work.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        store.set_setting("whole_words", "1")
    except Exception:
        sys.excepthook(*sys.exc_info())
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        store.close()
    assert crashes == []
    assert len(warnings) == 1 and "busy in another window" in warnings[0]
