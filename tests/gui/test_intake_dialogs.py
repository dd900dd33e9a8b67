"""Intake dialogs driven as an analyst drives them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from annotator.domain import NewArticle
from annotator.gui import intake_dialogs
from annotator.gui.intake_dialogs import (
    ArticlePropertiesDialog,
    ImportPreviewDialog,
    ImportReportDialog,
    save_original,
    valid_date,
)
from annotator.ingest import read_text
from annotator.services.intake import ImportOutcome
from annotator.services.workspace import open_workspace
from annotator.store import open_store

RAW = "Floods in the north\n\nAdvertisement\nRivers burst their banks on Tuesday.\nShare this article\nThousands left their homes."


@pytest.fixture
def raw():
    return read_text(RAW, keep_boilerplate=True)


def test_preview_lists_removed_lines_and_restores_one(qtbot, raw):
    dialog = ImportPreviewDialog(raw)
    qtbot.addWidget(dialog)
    lines = [dialog.removed_list.item(i).text() for i in range(dialog.removed_list.count())]
    assert lines == ["line 3: Advertisement", "line 5: Share this article"]  # with their position
    assert "Advertisement" not in dialog.preview.toPlainText()

    dialog.removed_list.item(0).setCheckState(Qt.CheckState.Unchecked)  # restore "Advertisement"
    assert "Advertisement" in dialog.preview.toPlainText()
    article = dialog.article()
    assert article.text == "Floods in the north\n\nAdvertisement\nRivers burst their banks on Tuesday.\nThousands left their homes."
    assert article.removed_lines == ["Share this article"]


def test_preview_keep_all_and_remove_all(qtbot, raw):
    dialog = ImportPreviewDialog(raw)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.restore_all_button, Qt.MouseButton.LeftButton)
    assert dialog.article().text == raw.text
    qtbot.mouseClick(dialog.remove_all_button, Qt.MouseButton.LeftButton)
    assert dialog.article().text == read_text(RAW).text


def test_preview_metadata_edits_and_validation(qtbot, raw):
    dialog = ImportPreviewDialog(raw)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form.edits["outlet"].setText("Northern Ledger")
    dialog.form.edits["published"].setText("5 March")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # refused: the date is not ISO
    assert "YYYY-MM-DD" in dialog.form.error.text()
    dialog.form.edits["published"].setText("2024-03-05")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    article = dialog.article()
    assert (article.outlet, article.published, article.title) == ("Northern Ledger", "2024-03-05", "Floods in the north")


def test_preview_with_given_removals(qtbot, raw):
    dialog = ImportPreviewDialog(raw, removals=[2, 5])
    qtbot.addWidget(dialog)
    assert dialog.article().removed_lines == ["Advertisement", "Thousands left their homes."]


def test_properties_dialog_reports_only_changes(qtbot, tmp_path):
    store = open_store(tmp_path / "p.db")
    article_id, _ = store.insert_article(read_text(RAW))
    article = store.get_article(article_id)
    dialog = ArticlePropertiesDialog(article, store.removed_lines(article_id), original_name="pasted text")
    qtbot.addWidget(dialog)
    assert [dialog.removed_list.item(i).text() for i in range(dialog.removed_list.count())] == [
        "Advertisement", "Share this article"]
    dialog.form.edits["author"].setText("  Giulia   Conti ")
    dialog.form.edits["url"].setText("https://example.org/floods")
    assert dialog.changes() == {"author": "Giulia Conti", "url": "https://example.org/floods"}
    store.update_article(article_id, **dialog.changes())
    assert store.get_article(article_id).author == "Giulia Conti"
    assert store.get_article(article_id).text == article.text
    dialog.form.edits["title"].setText("")
    dialog.accept()
    assert dialog.form.error.text() == "The title cannot be empty."
    store.close()


def test_report_dialog_and_copy(qtbot):
    outcomes = [
        ImportOutcome("/in/a.html", "imported", 3, "imported as article 3"),
        ImportOutcome("/in/b.html", "duplicate", 1, "already present as article 1"),
        ImportOutcome("/in/c.pdf", "error", None, "c.pdf: this PDF has no text layer (scanned image?); run OCR first"),
    ]
    dialog = ImportReportDialog(outcomes, cancelled=True)
    qtbot.addWidget(dialog)
    assert dialog.summary.text().startswith("Imported 1, already present 1, failed 1.")
    assert "cancelled" in dialog.summary.text()
    assert dialog.table.item(2, 0).text() == "c.pdf"
    assert dialog.table.item(2, 1).text() == "Error"
    assert dialog.table.item(2, 2).text() == "this PDF has no text layer (scanned image?); run OCR first"
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == dialog.report_text()
    assert "error\t/in/c.pdf\tc.pdf: this PDF has no text layer" in dialog.report_text()


def test_save_original(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QWidget

    source = tmp_path / "story.txt"
    source.write_bytes("Caf\u00e9 story\n\nText.".encode("cp1252"))
    from annotator.ingest import read_path

    store = open_store(tmp_path / "o.db")
    article_id, _ = store.insert_article(read_path(source))
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "out" / "copy.txt"
    target.parent.mkdir()
    asked = []

    def choose(parent_, caption, suggested, *args):
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(intake_dialogs.QFileDialog, "getSaveFileName", choose)
    assert save_original(parent, store, article_id) == target
    assert asked == ["story.txt"]
    assert target.read_bytes() == source.read_bytes()

    pasted_id, _ = store.insert_article(NewArticle(title="t", text="typed text"))
    shown = []
    monkeypatch.setattr(intake_dialogs.QMessageBox, "information", lambda *a: shown.append(a[2]))
    assert save_original(parent, store, pasted_id) is None
    assert shown and "no original file" in shown[0]
    store.close()


@pytest.mark.parametrize("value, ok", [("", True), ("2024", True), ("2024-03", True), ("2024-03-05", True),
                                        ("2024-13-01", False), ("5 March", False)])
def test_valid_date(value, ok):
    assert valid_date(value) is ok


def test_the_window_stores_the_reviewed_article(window, monkeypatch):
    raw = read_text(RAW, keep_boilerplate=True)

    def review(dialog):
        dialog.removed_list.item(1).setCheckState(Qt.CheckState.Unchecked)  # keep "Share this article"
        dialog.form.edits["author"].setText("Giulia Conti")
        return dialog.DialogCode.Accepted

    monkeypatch.setattr(ImportPreviewDialog, "exec", review)
    store = window.store
    article_id = window.intake.preview_and_store(raw)
    stored = store.get_article(article_id)
    assert stored.author == "Giulia Conti"
    assert "Share this article" in stored.text and "Advertisement" not in stored.text
    assert store.removed_lines(article_id) == ["Advertisement"]
    assert window.document.article.id == article_id
    # An article already stored is opened, not previewed or stored twice.
    second = read_text("Bridge to reopen\n\nAdvertisement\nThe mayor said the bridge reopens in May.",
                       keep_boilerplate=True)
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda dialog: dialog.DialogCode.Accepted)
    second_id = window.intake.preview_and_store(second)
    window.open_article(article_id)
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda dialog: pytest.fail("previewed again"))
    assert window.intake.preview_and_store(second) == second_id
    assert window.document.article.id == second_id

    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda dialog: dialog.DialogCode.Rejected)
    count = len(store.article_ids())
    assert window.intake.preview_and_store(read_text("Another story\n\nText.", keep_boilerplate=True)) is None
    assert len(store.article_ids()) == count


def test_the_window_saves_changed_properties(window, monkeypatch):
    article_id, _ = window.store.insert_article(read_text(RAW))

    def edit(dialog):
        dialog.form.edits["outlet"].setText("Northern Ledger")
        return dialog.DialogCode.Accepted

    monkeypatch.setattr(ArticlePropertiesDialog, "exec", edit)
    assert window.article_actions.edit_properties(article_id) is True
    assert window.store.get_article(article_id).outlet == "Northern Ledger"
    monkeypatch.setattr(ArticlePropertiesDialog, "exec", lambda dialog: dialog.DialogCode.Accepted)
    assert window.article_actions.edit_properties(article_id) is False




def test_a_date_error_goes_once_the_date_is_fixed(qtbot, tmp_path):
    store = open_workspace(tmp_path / "d.db")
    article = store.get_article(store.latest_article_id())
    dialog = ArticlePropertiesDialog(article)
    qtbot.addWidget(dialog)
    dialog.show()
    date = dialog.form.edits["published"]
    date.selectAll()
    qtbot.keyClicks(date, "14 March")
    dialog.accept()
    assert dialog.form.error.isVisible()
    date.selectAll()
    qtbot.keyClicks(date, "2026-03-14")
    assert not dialog.form.error.isVisible()
    store.close()


def test_preview_removes_the_line_at_the_cursor(qtbot, raw):
    dialog = ImportPreviewDialog(raw)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.preview.toPlainText().split("\n") == [
        "Floods in the north", "", "Rivers burst their banks on Tuesday.", "Thousands left their homes."]
    dialog.preview.setFocus()
    qtbot.keyClick(dialog.preview, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.preview, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.preview, Qt.Key.Key_Down)  # on "Thousands left their homes."
    qtbot.mouseClick(dialog.remove_line_button, Qt.MouseButton.LeftButton)
    assert "Thousands" not in dialog.preview.toPlainText()
    assert dialog.removed_list.item(dialog.removed_list.count() - 1).text() == "line 6: Thousands left their homes."
    article = dialog.article()
    assert article.text == "Floods in the north\n\nRivers burst their banks on Tuesday."
    assert article.removed_lines == ["Advertisement", "Share this article", "Thousands left their homes."]
