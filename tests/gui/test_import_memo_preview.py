"""File → Import annotations shows the memos a REFI-QDA project would set, and the
memos it keeps because the analyst already wrote them, before anything is written."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from annotator.gui.exchange_dialogs import ImportPreviewDialog
from annotator.services.memos import set_memo


def qdpx_with_memos(tmp_path: Path) -> Path:
    """The REFI-QDA project of tests/formats/test_qdpx_codebook_memos.py: a project memo
    and a memo on the article “Tanks” (the suite imports test folders by path)."""
    spec = importlib.util.spec_from_file_location(
        "qdpx_codebook_memos", Path(__file__).resolve().parent.parent / "formats" / "test_qdpx_codebook_memos.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._project(tmp_path)


def when_preview_shows(act) -> None:
    """Call ``act(dialog)`` once the import preview is the modal dialog."""
    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ImportPreviewDialog):
            act(dialog)
        else:
            QTimer.singleShot(20, poll)
    QTimer.singleShot(0, poll)


def test_import_preview_lists_the_memos_set_and_those_kept(qtbot, make_window, tmp_path, monkeypatch):
    project = qdpx_with_memos(tmp_path)
    window = make_window(auto_suggest=False)
    set_memo(window.store, scope="project", text="Our own project memo.")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(project)], ""))
    seen = {}

    def review_and_import(dialog):
        bar = dialog.tabs.tabBar()
        memos_tab = [bar.tabText(i) for i in range(bar.count())].index("Memos (2)")
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(memos_tab).center())
        seen["current"] = dialog.tabs.currentWidget() is dialog.memos_list
        seen["memos"] = [dialog.memos_list.item(i).text() for i in range(dialog.memos_list.count())]
        seen["summary"] = dialog.summary_label.text()
        seen["report"] = dialog.report_text()
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    when_preview_shows(review_and_import)
    window.import_annotations_action.trigger()

    assert seen["current"]
    project_line, article_line = seen["memos"]
    assert project_line.startswith("Project memo: kept as it is (“Our own project memo.”")
    assert "“Coding the border reports, spring 2026.”" in project_line and "never overwritten" in project_line
    assert article_line == (
        "Memo on “Tanks”: set from the file (“Single-source story; check the ministry.”, 40 characters)."
    )
    assert "1 memo to set, 1 kept as it is" in seen["summary"]
    assert "Memos:\n  Project memo: kept as it is" in seen["report"]
    tanks = next(a for a in window.store.list_articles() if a.title == "Tanks")
    assert window.store.get_memo("article", tanks.id) == "Single-source story; check the ministry."
    assert window.store.get_memo("project") == "Our own project memo."
    assert "1 memo set" in window.statusBar().currentMessage()


def test_a_file_that_only_brings_memos_can_still_be_imported(qtbot, make_window, tmp_path, monkeypatch):
    project = qdpx_with_memos(tmp_path)
    window = make_window(auto_suggest=False)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(project)], ""))

    when_preview_shows(lambda dialog: qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton))
    window.import_annotations_action.trigger()
    tanks = next(a for a in window.store.list_articles() if a.title == "Tanks")
    set_memo(window.store, scope="article", target_id=tanks.id, text="")
    set_memo(window.store, scope="project", text="")
    seen = {}

    def memos_only(dialog):
        seen["enabled"] = dialog.import_button.isEnabled()
        seen["summary"] = dialog.summary_label.text()
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    when_preview_shows(memos_only)
    window.import_annotations_action.trigger()
    assert seen["enabled"], "every annotation is already there, but the memos are not"
    assert "0 annotations to add" in seen["summary"] and "2 memos to set." in seen["summary"]
    assert window.store.get_memo("article", tanks.id) == "Single-source story; check the ministry."
    assert window.store.get_memo("project") == "Coding the border reports, spring 2026."
