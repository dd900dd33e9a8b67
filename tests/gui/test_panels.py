"""Issue 11: the window in panels. Tag and article edits are undo steps; the article
list panel works on its own with what it is given; a burst of operations from a
background thread reaches the window as one change."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from annotator.domain import ArticleSummary, NewArticle
from annotator.gui.article_list import ArticleListPanel
from annotator.gui.intake_dialogs import ArticlePropertiesDialog
from annotator.gui.tag_palette import TagDialog
from annotator.services import articles as article_ops
from annotator.store import open_store

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def undo(qtbot, window) -> None:
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)


def redo(qtbot, window) -> None:
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL_SHIFT)


def palette_names(window) -> list[str]:
    return [b.text() for b in window.palette.buttons.values()]


def fill_tag(name: str, key: str):
    def exec_(dialog):
        dialog.name.setText(name)
        dialog.shortcut.setText(key)
        return 1
    return exec_


def test_adding_and_changing_a_tag_are_undo_steps(qtbot, make_window, monkeypatch):
    window = make_window(auto_suggest=False, active=True)
    monkeypatch.setattr(TagDialog, "exec", fill_tag("victim", "4"))
    add = next(a for a in window.findChildren(QAction) if a.text() == "&Add tag…")
    add.trigger()  # Tags → Add tag…
    tag = window.store.tag_by_name("victim")
    assert tag is not None and "4  victim" in palette_names(window)
    assert window.undo_group.undoText() == "add tag “victim”"

    window.view.setFocus()
    undo(qtbot, window)
    assert window.store.tag_by_name("victim") is None
    assert "4  victim" not in palette_names(window)
    assert "Undone: add tag “victim”" in window.statusBar().currentMessage()
    redo(qtbot, window)
    again = window.store.tag_by_name("victim")
    assert again is not None and again.id == tag.id  # the same id: later steps that use it still hold
    assert "4  victim" in palette_names(window)

    monkeypatch.setattr(TagDialog, "exec", fill_tag("casualty", "5"))
    assert window.tags.edit_tag(tag.id)
    assert window.store.get_tag(tag.id).name == "casualty" and "5  casualty" in palette_names(window)
    undo(qtbot, window)
    assert (window.store.get_tag(tag.id).name, window.store.get_tag(tag.id).shortcut) == ("victim", "4")
    assert "4  victim" in palette_names(window)
    # The restored key tags again.
    text = window.document.article.text
    window.view.select_span(0, text.index(" "))
    qtbot.keyClick(window.view, "4")
    assert [a.tag_id for a in window.store.list_annotations(window.document.article.id)] == [tag.id]


def test_undoing_the_creation_of_a_tag_in_use_is_refused_and_loses_nothing(qtbot, make_window, monkeypatch):
    window = make_window(auto_suggest=False, active=True)
    first = window.document.article.id
    monkeypatch.setattr(TagDialog, "exec", fill_tag("victim", "4"))
    tag_id = window.tags.add_tag()
    # Tagged in another article (its own undo history) with the new tag.
    other, _ = window.store.insert_article(NewArticle(title="Second", text="Four villagers were hurt.\n"))
    window.refresh_articles()
    window.open_article(other)
    window.view.setFocus()
    window.view.select_span(0, 4)
    qtbot.keyClick(window.view, "4")
    assert window.store.tag_usage(tag_id) == 1
    window.open_article(first)
    reports = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: reports.append(text))
    window.view.setFocus()
    undo(qtbot, window)
    assert reports and "victim" in reports[0] and "can no longer be undone" in reports[0]
    assert window.store.tag_usage(tag_id) == 1 and window.store.tag_by_name("victim") is not None


def test_status_and_properties_are_undo_steps(qtbot, make_window, monkeypatch):
    window = make_window(auto_suggest=False, active=True)
    article_id = window.document.article.id
    before = window.store.get_article(article_id)
    window.status_combo.setFocus()
    window.status_combo.activated.emit(window.status_combo.findText("done"))
    assert window.store.get_article(article_id).status == "done"
    assert window.article_model.index(0, 2).data() == "done"

    def edit(dialog):
        dialog.form.edits["outlet"].setText("Ledger Weekly")
        return 1

    monkeypatch.setattr(ArticlePropertiesDialog, "exec", edit)
    assert window.article_actions.edit_properties(article_id)
    assert window.store.get_article(article_id).outlet == "Ledger Weekly"
    assert "change properties" in window.undo_group.undoText()

    window.view.setFocus()
    undo(qtbot, window)
    assert window.store.get_article(article_id).outlet == before.outlet
    assert "Ledger Weekly" not in window.meta_label.text()
    undo(qtbot, window)
    assert window.store.get_article(article_id).status == before.status
    assert window.status_combo.currentText() == before.status
    assert window.article_model.index(0, 2).data() == before.status
    redo(qtbot, window)
    redo(qtbot, window)
    assert window.store.get_article(article_id).status == "done"
    assert window.article_model.index(0, 1).data() == "Ledger Weekly"


def test_the_article_list_panel_works_with_what_it_is_given(qtbot):
    chosen, menus = [], []
    panel = ArticleListPanel(lambda article_id: menus.append(article_id) or [])
    qtbot.addWidget(panel)
    panel.articleChosen.connect(chosen.append)
    rows = [ArticleSummary(id=i, title=t, outlet="Ledger", status="to do", annotation_count=i)
            for i, t in ((7, "Floods in the north"), (9, "Budget vote"))]
    panel.set_articles(rows, current=9)
    panel.show()
    assert chosen == []  # showing the open article's row announces nothing
    assert panel.selected_ids() == [9]
    qtbot.keyClicks(panel.filter, "flood")
    assert panel.proxy.rowCount() == 1
    rect = panel.table.visualRect(panel.proxy.index(0, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen == [7]
    panel.update_row(7, status="done")
    assert panel.model.index(panel.model.row_of(7), 2).data() == "done"


def test_a_burst_of_operations_from_another_thread_arrives_as_one_change(qtbot, make_window):
    window = make_window(auto_suggest=False)
    heard = []
    window.changes.changed.connect(heard.append)

    def work():
        store = open_store(window.store.path)
        try:
            for k in range(30):
                article_ops.add_article(store, article=NewArticle(title=f"Story {k}", text=f"{k} people came.\n"))
        finally:
            store.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()  # the UI thread handles no events meanwhile: every change waits
    qtbot.waitUntil(lambda: window.article_model.rowCount() == 31)
    assert len(heard) == 1 and len(heard[0].articles) == 30


def test_on_a_small_screen_the_quote_keeps_room_in_the_annotation_table(qtbot, make_window):
    window = make_window(auto_suggest=False)
    text = window.document.article.text
    start = text.index("At least 11 soldiers")
    window.view.select_span(start, start + len("At least 11 soldiers were killed"))
    qtbot.keyClick(window.view, "1")
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.annotation_table.width() < 360)
    qtbot.waitUntil(lambda: window.annotation_table.isColumnHidden(2))
    assert window.annotation_table.columnWidth(1) >= 150  # the quote, readable
    assert window.annotation_table.isColumnHidden(4)  # one analyst's file: no column of their name
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: not window.annotation_table.isColumnHidden(2))  # "Said by" again when there is room


def test_the_details_read_a_figures_value_first(qtbot, make_window):
    window = make_window(auto_suggest=False)
    text = window.document.article.text
    start = text.index("at least 11 soldiers")
    annotation = window.store.insert_annotation(
        window.document.article.id, window.store.tag_by_name("figure").id, start, start + 20, text[start:start + 20],
        value='{"value":"11","noun":"soldiers","qualifier":"at least"}')
    window.document.reload_tags()  # (written past the window: read again)
    window.select_annotation(annotation.id)
    assert "Value: 11 (noun: soldiers, qualifier: at least)" in window.details_label.text()
