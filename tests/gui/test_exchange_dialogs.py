"""Export and import-annotation dialogs, driven as a person drives them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMainWindow

from annotator.gui import exchange_dialogs
from annotator.gui.exchange_dialogs import (
    EXPORT_CHOICES, ExportDialog, ImportPreviewDialog, run_export, save_report_as_pdf,
    show_export_dialog, show_import_annotations_dialog,
)
from annotator.services.exchange import plan_import
from annotator.services.exporting import export_annotations
from annotator.store import open_store


def build_hard_store(path: Path):
    spec = importlib.util.spec_from_file_location(
        "exchange_hard_cases", Path(__file__).resolve().parent.parent / "formats" / "hard_cases.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_hard_store(path)


@pytest.fixture
def hard_store(tmp_path):
    store = build_hard_store(tmp_path / "a.db")
    yield store
    store.close()


@pytest.fixture
def window(qtbot):
    win = QMainWindow()
    qtbot.addWidget(win)
    win.show()
    return win


def click_radio(qtbot, button) -> None:
    """Click a radio button on its indicator, as a person would."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def accept_next_dialog(configure=lambda dialog: None):
    """Accept the next modal dialog once it is shown, after ``configure(dialog)``."""
    def act():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, act)
            return
        configure(dialog)
        dialog.accept()
    QTimer.singleShot(0, act)


def choice_index(fmt: str) -> int:
    """The row of ``fmt``'s single-file choice in the format box."""
    return [choice[1] for choice in EXPORT_CHOICES].index(fmt)


def test_export_dialog_offers_formats_and_scopes(qtbot, hard_store, tmp_path):
    dialog = ExportDialog(None, hard_store, current_article_id=2, selected_article_ids=[1, 2], folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.format_combo.count() == len(EXPORT_CHOICES)
    assert dialog.scope_current.isChecked() and dialog.scope_selected.isEnabled()
    assert dialog.choice().article_ids == [2]
    dialog.format_combo.setCurrentIndex(choice_index("qdpx"))
    assert dialog.path_edit.text().endswith("annotations.qdpx")
    click_radio(qtbot, dialog.scope_selected)
    assert dialog.choice().article_ids == [1, 2]
    click_radio(qtbot, dialog.scope_all)
    choice = dialog.choice()
    assert (choice.fmt, choice.article_ids) == ("qdpx", None)
    dialog.path_edit.setText(str(tmp_path / "missing-folder" / "x.qdpx"))
    assert not dialog.export_button.isEnabled()


def test_export_dialog_without_current_article_exports_all(qtbot, hard_store, tmp_path):
    dialog = ExportDialog(None, hard_store, folder=tmp_path)
    qtbot.addWidget(dialog)
    assert not dialog.scope_current.isEnabled() and not dialog.scope_selected.isEnabled()
    assert dialog.scope_all.isChecked() and dialog.choice().article_ids is None


def test_show_export_dialog_writes_the_file(qtbot, window, hard_store, tmp_path):
    target = tmp_path / "out.jsonl"

    def configure(dialog):
        dialog.format_combo.setCurrentIndex(choice_index("jsonl"))
        dialog.scope_all.setChecked(True)
        dialog.path_edit.setText(str(target))

    accept_next_dialog(configure)
    assert show_export_dialog(window, hard_store, 1, [1]) == target
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["spans"]
    assert "Exported" in window.statusBar().currentMessage()


def test_export_job_can_be_cancelled(qtbot, window, hard_store, tmp_path):
    choice = ExportDialog(None, hard_store, folder=tmp_path).choice()
    choice.path = tmp_path / "cancelled.jsonl"
    choice.fmt = "jsonl"
    job = run_export(window, hard_store, choice)
    job.runner.cancel_event.set()
    with qtbot.waitSignal(job.failed, timeout=10_000) as blocker:
        job.start()
    assert type(blocker.args[0]).__name__ == "ExportCancelled"
    assert not choice.path.exists()


def test_import_preview_lists_conflicts_and_errors(qtbot, hard_store, tmp_path):
    out = tmp_path / "o.jsonl"
    export_annotations(hard_store, "jsonl", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["spans"][0]["end"] += 1
    lines[0] = json.dumps(record, ensure_ascii=False)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hard_store.update_tag(hard_store.tag_by_name("claim").id, colour="#000000")

    dialog = ImportPreviewDialog(None, plan_import(hard_store, [out]))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.errors_list.count() == 1 and "o.jsonl line 1, span 1" in dialog.errors_list.item(0).text()
    assert any("claim" in dialog.conflicts_list.item(i).text() for i in range(dialog.conflicts_list.count()))
    assert dialog.tabs.currentWidget() is dialog.errors_list
    assert not dialog.import_button.isEnabled()  # everything else is already present
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert "Errors:" in QApplication.clipboard().text()


def test_show_import_annotations_dialog_imports_into_an_empty_database(qtbot, window, hard_store, tmp_path, monkeypatch):
    out = tmp_path / "p.qdpx"
    export_annotations(hard_store, "qdpx", out)
    target = open_store(tmp_path / "empty.db")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(out)], ""))
    seen = {}

    def configure(dialog):
        seen["label"] = dialog.import_button.text()
        seen["articles"] = dialog.articles_tree.topLevelItemCount()

    accept_next_dialog(configure)
    assert show_import_annotations_dialog(window, target) is True
    assert seen == {"label": f"&Import {hard_store.count_annotations()} annotations", "articles": 3}
    assert target.count_annotations() == hard_store.count_annotations()
    assert "Imported" in window.statusBar().currentMessage()
    target.close()


def test_import_dialog_cancelled_changes_nothing(qtbot, window, hard_store, tmp_path):
    out = tmp_path / "o.jsonl"
    export_annotations(hard_store, "jsonl", out)
    target = open_store(tmp_path / "empty.db")

    def reject_next():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ImportPreviewDialog):
            dialog.reject()
        else:
            QTimer.singleShot(20, reject_next)

    QTimer.singleShot(0, reject_next)
    assert show_import_annotations_dialog(window, target, [out]) is False
    assert target.count_annotations() == 0 and target.article_ids() == []
    target.close()


def test_report_saved_as_pdf(qtbot, hard_store, tmp_path):
    path = save_report_as_pdf(None, hard_store, None, tmp_path / "report.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000


def test_report_document_shows_highlights_and_table(qtbot, hard_store):
    document = exchange_dialogs.report_document(hard_store, [1])
    text = document.toPlainText()
    assert "The minister said" in text and "Annotator" in text
    assert document.pageCount() >= 1


def test_long_lists_are_cut_but_copied_whole(qtbot, hard_store, tmp_path, monkeypatch):
    monkeypatch.setattr(exchange_dialogs, "LIST_LIMIT", 5)
    out = tmp_path / "o.jsonl"
    export_annotations(hard_store, "jsonl", out)
    plan = plan_import(hard_store, [out])
    dialog = ImportPreviewDialog(None, plan)
    qtbot.addWidget(dialog)
    assert dialog.duplicates_list.count() == 6
    assert dialog.duplicates_list.item(5).text().startswith(f"… and {len(plan.duplicates) - 5} more")
    assert all(line in dialog.report_text() for line in plan.duplicates)


def test_print_report_goes_through_the_print_dialog(qtbot, hard_store, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert exchange_dialogs.print_report(None, hard_store, [1], printer) is False
    assert not (tmp_path / "printed.pdf").exists()
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    assert exchange_dialogs.print_report(None, hard_store, [1], printer) is True
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF")


def test_export_dialog_remembers_format_scope_and_folder(qtbot, window, hard_store, tmp_path):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    folder = tmp_path / "exports"
    folder.mkdir()

    def configure(dialog):
        dialog.format_combo.setCurrentIndex(choice_index("xlsx"))
        click_radio(qtbot, dialog.scope_all)
        dialog.path_edit.setText(str(folder / "first.xlsx"))

    accept_next_dialog(configure)
    assert show_export_dialog(window, hard_store, 1, [1, 2], settings=settings) == folder / "first.xlsx"

    again = ExportDialog(None, hard_store, current_article_id=1, selected_article_ids=[1, 2], settings=settings)
    qtbot.addWidget(again)
    choice = again.choice()
    assert (choice.fmt, choice.article_ids, choice.path.parent) == ("xlsx", None, folder)
    assert choice.path.suffix == ".xlsx"


def test_ctrl_e_opens_export_while_the_article_filter_has_focus(qtbot, make_window, monkeypatch):
    import annotator.gui.exchange_dialogs as dialogs

    window = make_window()
    calls = []
    monkeypatch.setattr(dialogs, "show_export_dialog", lambda *args, **kw: calls.append(args))
    window.show()
    qtbot.waitExposed(window)
    window.article_filter.setFocus()
    qtbot.waitUntil(window.article_filter.hasFocus)
    qtbot.keyClick(window.article_filter, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert len(calls) == 1


def test_the_pdf_report_is_saved_where_the_export_dialog_points(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window(auto_suggest=False, active=True)
    folder = tmp_path / "reports"
    folder.mkdir()
    asked = []

    def save_as(_parent, _title, proposed, _filter):
        asked.append(proposed)
        return str(folder / "desk report"), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)

    def save_pdf(dialog):
        dialog.path_edit.selectAll()
        qtbot.keyClicks(dialog.path_edit, str(folder / "annotations.csv"))
        qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)

    accept_next_dialog(save_pdf)  # then Export: the CSV goes to the same folder
    qtbot.keyClick(window.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert asked == [str(folder / "annotation-report.pdf")]  # not the working folder
    assert (folder / "desk report.pdf").read_bytes().startswith(b"%PDF")
    assert (folder / "annotations.csv").exists()
