"""The main window driven as a person drives it: keyboard and mouse, then the database."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor

from annotator.gui.article_view import tint
from annotator.gui.main_window import MainWindow
from annotator.services.workspace import open_workspace

PHRASE = "At least 11 soldiers"


def select_with_keyboard(qtbot, view, start: int, length: int) -> None:
    """Put the cursor at ``start`` and extend the selection with Shift+Right."""
    cursor = view.textCursor()
    cursor.setPosition(view.to_qt(start))
    view.setTextCursor(cursor)
    for _ in range(length):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def db_annotations(window):
    return window.store.list_annotations(window.document.article.id)


def test_first_run_shows_sample_article_with_default_tags(window):
    assert "at least 11 soldiers" in window.document.article.title
    assert [t.name for t in window.document.tags] == ["claim", "source", "figure"]
    assert [t.shortcut for t in window.document.tags] == ["1", "2", "3"]
    assert window.view.toPlainText().startswith("Border clashes")
    assert window.article_model.rowCount() == 1


def test_select_and_press_key_highlights_adds_row_and_saves(qtbot, window, formats_at):
    text = window.document.article.text
    start = text.index(PHRASE)
    select_with_keyboard(qtbot, window.view, start, len(PHRASE))
    assert window.view.textCursor().selectedText() == PHRASE
    qtbot.keyClick(window.view, "3")

    saved = db_annotations(window)
    assert [(a.quote, a.start, a.end) for a in saved] == [(PHRASE, start, start + len(PHRASE))]
    figure = window.store.tag_by_name("figure")
    assert saved[0].tag_id == figure.id and saved[0].annotator == "tester"
    assert window.annotation_model.rowCount() == 1
    assert window.annotation_model.index(0, 1).data() == PHRASE
    assert window.annotation_model.index(0, 0).data() == "figure"
    backgrounds = {f.background().color().name() for f in formats_at(window.view, start + 3)}
    assert backgrounds & {tint(figure.colour, 0.32).name(), tint(figure.colour, 0.72).name()}
    assert formats_at(window.view, start + len(PHRASE) + 1) == []


def test_selection_is_trimmed_of_whitespace(qtbot, window):
    text = window.document.article.text
    start = text.index(PHRASE) - 1  # the blank line before it
    select_with_keyboard(qtbot, window.view, start, len(PHRASE) + 2)
    qtbot.keyClick(window.view, "3")
    assert [a.quote for a in db_annotations(window)] == [PHRASE]


def test_whole_word_setting_extends_selection(qtbot, window):
    text = window.document.article.text
    start = text.index("Colonel Henrik Malmberg")
    window.whole_words_action.trigger()
    select_with_keyboard(qtbot, window.view, start + 2, len("Colonel Henrik Malm") - 2)
    qtbot.keyClick(window.view, "2")
    assert [a.quote for a in db_annotations(window)] == ["Colonel Henrik Malmberg"]
    assert window.store.get_setting("whole_words") == "1"


def test_undo_and_redo_are_persisted(qtbot, window, formats_at):
    text = window.document.article.text
    start = text.index(PHRASE)
    window.view.select_span(start, start + len(PHRASE))
    qtbot.keyClick(window.view, "3")
    first_id = db_annotations(window)[0].id
    qtbot.keyClick(window.view, "z", Qt.KeyboardModifier.ControlModifier)
    assert db_annotations(window) == []
    assert window.annotation_model.rowCount() == 0
    assert formats_at(window.view, start + 3) == []
    qtbot.keyClick(window.view, "z", Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [(a.id, a.quote) for a in db_annotations(window)] == [(first_id, PHRASE)]
    assert window.annotation_model.rowCount() == 1


def test_delete_retag_and_note_with_undo(qtbot, window):
    text = window.document.article.text
    start = text.index("Colonel Henrik Malmberg")
    window.view.select_span(start, start + len("Colonel Henrik Malmberg"))
    qtbot.keyClick(window.view, "1")  # oops: claim
    annotation = db_annotations(window)[0]
    # Retag: with the annotation selected and no text selected, the key retags.
    window.select_annotation(annotation.id)
    cursor = window.view.textCursor()
    cursor.clearSelection()
    window.view.setTextCursor(cursor)
    qtbot.keyClick(window.view, "2")
    assert window.store.get_annotation(annotation.id).tag_id == window.store.tag_by_name("source").id
    # A note typed in the note editor is saved as you type (or when focus leaves it).
    window.note_edit.setFocus()
    qtbot.keyClicks(window.note_edit, "spokesman, named")
    qtbot.waitUntil(lambda: window.store.get_annotation(annotation.id).note == "spokesman, named", timeout=5000)
    window.view.setFocus()
    # Delete from the table with the Delete key, then undo it.
    window.annotation_table.setFocus()
    window.select_annotation(annotation.id)
    qtbot.keyClick(window.annotation_table, Qt.Key.Key_Delete)
    assert db_annotations(window) == []
    window.undo_action.trigger()
    restored = db_annotations(window)
    assert [(a.id, a.note) for a in restored] == [(annotation.id, "spokesman, named")]
    window.undo_action.trigger()  # the note
    assert window.store.get_annotation(annotation.id).note == ""
    window.undo_action.trigger()  # the retag
    assert window.store.get_annotation(annotation.id).tag_id == window.store.tag_by_name("claim").id


def test_clicking_row_scrolls_to_highlight_and_clicking_highlight_selects_row(qtbot, window):
    text = window.document.article.text
    late = text.index("as many as 14 soldiers")
    window.view.select_span(late, late + len("as many as 14 soldiers"))
    qtbot.keyClick(window.view, "3")
    early = text.index(PHRASE)
    window.view.select_span(early, early + len(PHRASE))
    qtbot.keyClick(window.view, "3")
    window.view.verticalScrollBar().setValue(0)
    late_row = window.annotation_proxy.mapFromSource(window.annotation_model.index(1, 1))
    assert late_row.data() == "as many as 14 soldiers"
    rect = window.annotation_table.visualRect(late_row)
    qtbot.mouseClick(window.annotation_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.view.cursor_offset() == late
    assert window.view.extraSelections(), "the highlight flashes"
    # Now click inside the early highlight in the text.
    window.view.verticalScrollBar().setValue(0)
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(window.view.to_qt(early + 4))
    point = window.view.cursorRect(cursor).center()
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.current_annotation().quote == PHRASE


def test_j_and_k_move_between_annotations(qtbot, window):
    text = window.document.article.text
    for phrase in (PHRASE, "23 others", "Colonel Henrik Malmberg"):
        i = text.index(phrase)
        window.view.select_span(i, i + len(phrase))
        qtbot.keyClick(window.view, "3")
    cursor = window.view.textCursor()
    cursor.setPosition(0)
    window.view.setTextCursor(cursor)
    window.annotation_table.clearSelection()
    quotes = []
    for key in ("J", "J", "J", "K"):
        qtbot.keyClick(window.view, key)
        quotes.append(window.current_annotation().quote)
    assert quotes == [PHRASE, "23 others", "Colonel Henrik Malmberg", "23 others"]
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    assert window.current_annotation().quote == "Colonel Henrik Malmberg"
    assert window.view.hasFocus()


def test_tag_filter_and_status(qtbot, window):
    text = window.document.article.text
    for phrase, key in ((PHRASE, "3"), ("Colonel Henrik Malmberg", "2")):
        i = text.index(phrase)
        window.view.select_span(i, i + len(phrase))
        qtbot.keyClick(window.view, key)
    window.tag_filter.setCurrentIndex(window.tag_filter.findText("source"))
    assert window.annotation_proxy.rowCount() == 1
    assert window.annotation_proxy.index(0, 1).data() == "Colonel Henrik Malmberg"
    window.status_combo.setCurrentIndex(2)
    window.status_combo.activated.emit(2)
    assert window.store.get_article(window.document.article.id).status == "done"
    assert window.article_model.index(0, 2).data() == "done"
    assert window.article_model.index(0, 3).data() == 2


def test_work_survives_restart(qtbot, db_path, formats_at):
    store = open_workspace(db_path)
    first = MainWindow(store, annotator="a")
    qtbot.addWidget(first)
    first.show()
    qtbot.waitUntil(first.isActiveWindow)
    first.open_article(store.latest_article_id())
    text = first.document.article.text
    i = text.index(PHRASE)
    first.view.select_span(i, i + len(PHRASE))
    qtbot.keyClick(first.view, "3")
    first.close()
    store.close()

    store = open_workspace(db_path)
    second = MainWindow(store, annotator="a")
    qtbot.addWidget(second)
    second.show()
    second.open_article(int(store.get_setting("last_article")))
    assert [a.quote for a in second.document.annotations] == [PHRASE]
    qtbot.waitUntil(lambda: bool(formats_at(second.view, i + 1)))
    second.close()
    store.close()


def test_tag_management(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    tag = window.store.insert_tag("victim", "#8B5CF6", "4")
    window.document.reload_tags()
    assert "4  victim" in [b.text() for b in window.palette.buttons.values()]
    text = window.document.article.text
    i = text.index("23 others")
    window.view.select_span(i, i + 9)
    qtbot.keyClick(window.view, "4")
    assert db_annotations(window)[0].tag_id == tag.id
    # Deleting a tag in use asks first; "Cancel" keeps everything.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    window.tags.delete_tag(tag.id)
    assert window.store.tag_by_name("victim") is not None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.tags.delete_tag(tag.id)
    assert window.store.tag_by_name("victim") is None
    assert db_annotations(window) == []
    assert window.annotation_model.rowCount() == 0


def test_export_csv_from_file_menu(qtbot, window, tmp_path, monkeypatch):
    from annotator.gui.exchange_dialogs import ExportDialog

    text = window.document.article.text
    i = text.index(PHRASE)
    window.view.select_span(i, i + len(PHRASE))
    qtbot.keyClick(window.view, "3")
    out = tmp_path / "out.csv"

    def choose(dialog):
        assert dialog.scope_current.isChecked()
        dialog.path_edit.setText(str(out))
        return ExportDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", choose)
    assert window.export_action.isEnabled()
    window.export_action.trigger()
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["tag"], r["quote"], int(r["start"])) for r in rows] == [("figure", PHRASE, i)]


def test_import_annotations_from_file_menu_refreshes_the_window(qtbot, window, tmp_path, monkeypatch):
    import json

    from annotator.gui import exchange_dialogs

    article = window.document.article
    start = article.text.index(PHRASE)
    record = {"text": article.text, "title": article.title,
              "spans": [{"start": start, "end": start + len(PHRASE), "label": "casualties", "note": "from jsonl"}]}
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    monkeypatch.setattr(exchange_dialogs.QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(source)], ""))
    monkeypatch.setattr(exchange_dialogs.ImportPreviewDialog, "exec",
                        lambda self: exchange_dialogs.QDialog.DialogCode.Accepted)
    window.import_annotations_action.trigger()
    assert [t.name for t in window.document.tags][-1] == "casualties"
    assert [(a.quote, a.note) for a in window.document.annotations] == [(PHRASE, "from jsonl")]
    assert window.annotation_model.rowCount() == 1
    assert "casualties" in [b.text().strip() for b in window.palette.buttons.values()]


def test_storage_failure_is_reported_not_shown_as_saved(qtbot, window, monkeypatch, formats_at):
    from PySide6.QtWidgets import QMessageBox

    from annotator.store import StoreError

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))

    def refuse(*args, **kwargs):
        raise StoreError("Cannot save: the disk holding x.db is full.")

    monkeypatch.setattr(window.store, "insert_annotation", refuse)
    text = window.document.article.text
    i = text.index(PHRASE)
    window.view.select_span(i, i + len(PHRASE))
    qtbot.keyClick(window.view, "3")
    assert shown == ["Cannot save: the disk holding x.db is full."]
    assert window.annotation_model.rowCount() == 0
    assert formats_at(window.view, i + 1) == []
    assert window.undo_group.activeStack().count() == 0


def test_zoom_changes_font_size(qtbot, window):
    before = window.view.font().pointSizeF()
    qtbot.keyClick(window.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.view.font().pointSizeF() > before


def test_models_keep_their_contract_through_every_change(qtbot, window, db_path):
    """Qt's model testers are attached (in the fixture) before the window is used, so
    they see every insert, remove and reset: tagging, retagging, deleting, undo,
    redo, a new tag, another article."""
    assert len(window.model_testers) == 4
    text = window.document.article.text
    for phrase, key in ((PHRASE, "3"), ("Colonel Henrik Malmberg", "2")):
        i = text.index(phrase)
        window.view.select_span(i, i + len(phrase))
        qtbot.keyClick(window.view, key)
    assert window.annotation_model.rowCount() == 2
    window.select_annotation(db_annotations(window)[0].id)
    qtbot.keyClick(window.annotation_table, Qt.Key.Key_Delete)
    assert window.annotation_model.rowCount() == 1
    qtbot.keyClick(window.view, "z", Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, "z", Qt.KeyboardModifier.ControlModifier)
    assert window.annotation_model.rowCount() == 1
    qtbot.keyClick(window.view, "z", Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.annotation_model.rowCount() == 2
    window.tag_filter.setCurrentIndex(window.tag_filter.findText("figure"))
    assert window.annotation_proxy.rowCount() == 1
    window.document.reload_tags()
    window.refresh_articles()
    window.open_article(None)
    assert window.annotation_model.rowCount() == 0


def test_highlight_colours_are_distinct_and_readable(window):
    colours = [QColor(t.colour) for t in window.document.tags]
    tints = [tint(t.colour, 0.32) for t in window.document.tags]
    assert len({c.name() for c in tints}) == len(colours)
    for c in tints:
        assert c.lightness() > 170, "black text must stay readable on the highlight"


def test_opening_several_files_imports_in_background_and_reports(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from annotator.gui.intake_dialogs import ImportReportDialog

    good = tmp_path / "story.txt"
    good.write_text("Flood waters rose\n\nAt least 40 homes were flooded, officials said.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    reports = []
    monkeypatch.setattr(ImportReportDialog, "exec", lambda self: reports.append(self.report_text()) or 0)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(empty), str(good)], ""))
    with qtbot.waitSignal(window.jobFinished, timeout=30_000):
        window.open_action.trigger()
    assert window.document.article.title == "Flood waters rose"
    assert window.article_model.rowCount() == 2
    assert len(reports) == 1 and "Imported 1" in reports[0] and "empty.txt" in reports[0]
    # The same file again is "already present", not a second copy.
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(good), str(good)], ""))
    with qtbot.waitSignal(window.jobFinished, timeout=30_000):
        window.open_action.trigger()
    assert window.article_model.rowCount() == 2
    assert "already present 2" in reports[-1]


def test_one_file_goes_through_the_preview_where_removed_lines_can_be_restored(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from annotator.gui.intake_dialogs import ImportPreviewDialog

    dropped = tmp_path / "dropped.txt"
    dropped.write_text("Dropped article\n\nThe council spent $2 million.\nAdvertisement\nIt said more.\n",
                       encoding="utf-8")

    def accept_with_everything_restored(dialog):
        dialog._set_all(Qt.CheckState.Unchecked)
        return 1

    monkeypatch.setattr(ImportPreviewDialog, "exec", accept_with_everything_restored)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.jobFinished, timeout=30_000):
        window.view.dropEvent(event)
    assert window.document.article.title == "Dropped article"
    assert "Advertisement" in window.document.article.text


def test_preview_removes_furniture_by_default_and_a_cancel_stores_nothing(qtbot, window, tmp_path, monkeypatch):
    from annotator.gui.intake_dialogs import ImportPreviewDialog

    story = tmp_path / "story.txt"
    story.write_text("Budget vote\n\nThe council spent $2 million.\nAdvertisement\nIt said more.\n",
                     encoding="utf-8")
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: 0)
    with qtbot.waitSignal(window.jobFinished, timeout=30_000):
        window.import_files([str(story)])
    assert window.article_model.rowCount() == 1
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: 1)
    with qtbot.waitSignal(window.jobFinished, timeout=30_000):
        window.import_files([str(story)])
    article = window.document.article
    assert article.title == "Budget vote" and "Advertisement" not in article.text
    assert window.store.removed_lines(article.id) == ["Advertisement"]
    # Opening the same file again finds the stored (cleaned) article: no second preview.
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: pytest.fail("duplicate previewed again"))
    window.open_article(None)
    with qtbot.waitSignal(window.jobFinished, timeout=30_000):
        window.import_files([str(story)])
    assert window.document.article.id == article.id
    assert window.article_model.rowCount() == 2


def test_new_article_from_clipboard(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from annotator.gui.intake_dialogs import ImportPreviewDialog

    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: 1)
    QApplication.clipboard().setText("Pasted headline\n\nThe minister said 12 schools would close.")
    window.clipboard_action.trigger()
    assert window.document.article.title == "Pasted headline"
    assert "12 schools" in window.document.article.text


def test_article_properties_and_delete(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from annotator.gui.intake_dialogs import ArticlePropertiesDialog

    article_id = window.document.article.id

    def edit(dialog):
        dialog.form.edits["outlet"].setText("Ledger Weekly")
        return 1

    monkeypatch.setattr(ArticlePropertiesDialog, "exec", edit)
    assert window.article_actions.edit_properties(article_id)
    assert window.store.get_article(article_id).outlet == "Ledger Weekly"
    assert "Ledger Weekly" in window.meta_label.text()
    assert window.article_model.index(0, 1).data() == "Ledger Weekly"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert window.article_actions.delete_article(article_id)
    assert window.store.article_ids() == [] and window.document.article is None
    assert window.article_model.rowCount() == 0


def test_hovering_a_highlight_shows_tag_and_note(qtbot, window):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    text = window.document.article.text
    i = text.index(PHRASE)
    window.view.select_span(i, i + len(PHRASE))
    qtbot.keyClick(window.view, "3")
    annotation = db_annotations(window)[0]
    window.document.set_note(annotation.id, "toll later revised to 14")
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(window.view.to_qt(i + 5))
    point = window.view.cursorRect(cursor).center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, window.view.viewport().mapToGlobal(point))
    QApplication.sendEvent(window.view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "figure" in QToolTip.text() and "toll later revised to 14" in QToolTip.text()


def test_edit_tag_renames_recolours_and_rekeys(qtbot, window, monkeypatch):
    from annotator.gui.tag_palette import TagDialog

    text = window.document.article.text
    i = text.index(PHRASE)
    window.view.select_span(i, i + len(PHRASE))
    qtbot.keyClick(window.view, "3")
    figure = window.store.tag_by_name("figure")

    def edit(dialog):
        dialog.name.setText("number")
        dialog.colour = "#8B5CF6"
        dialog.shortcut.setText("9")
        return 1

    monkeypatch.setattr(TagDialog, "exec", edit)
    window.tags.edit_tag(figure.id)
    tag = window.store.get_tag(figure.id)
    assert (tag.name, tag.colour, tag.shortcut) == ("number", "#8B5CF6", "9")
    assert window.annotation_model.index(0, 0).data() == "number"
    assert "9  number" in [b.text() for b in window.palette.buttons.values()]
    # The new key tags; the old one no longer does.
    j = text.index("23 others")
    window.view.select_span(j, j + 9)
    qtbot.keyClick(window.view, "3")
    assert len(db_annotations(window)) == 1
    qtbot.keyClick(window.view, "9")
    assert [a.tag_id for a in db_annotations(window)] == [figure.id, figure.id]


def test_cancelling_a_batch_import_keeps_what_was_finished_and_nothing_partial(qtbot, window, tmp_path, monkeypatch):
    from annotator.gui.intake_dialogs import ImportReportDialog
    from annotator.ingest import read_path

    folder = tmp_path / "batch"
    folder.mkdir()
    for k in range(40):
        (folder / f"story{k:02}.txt").write_text(f"Story {k}\n\n{k} people were counted.\n", encoding="utf-8")
    before = set(window.store.article_ids())
    reports = []
    monkeypatch.setattr(ImportReportDialog, "exec", lambda self: reports.append(self.report_text()) or 0)
    with qtbot.waitSignal(window.jobFinished, timeout=60_000):
        job = window.import_files([str(folder)])
        # Cancel as a person would, once the dialog shows a few files done.
        job.runner.progressed.connect(lambda done, _total, _label: job.cancel() if done >= 3 else None)
    new = sorted(set(window.store.article_ids()) - before)
    assert 3 <= len(new) < 40, "some files were stored before the cancel, and the cancel stopped the batch"
    for article_id in new:
        article = window.store.get_article(article_id)
        expected = read_path(folder / f"story{int(article.title.split()[1]):02}.txt")
        assert article.text == expected.text, "every stored article is whole"
    assert len(reports) == 1 and reports[0].startswith(f"Imported {len(new)},")
    assert "cancelled" in window.intake.report_dialog.summary.text()
