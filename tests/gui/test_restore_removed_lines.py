"""Lines removed at import go back into the text from the article's Properties,
while the article has no annotations; otherwise the dialog says why not."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction

from annotator.gui.intake_dialogs import ArticlePropertiesDialog
from annotator.ingest.reader import read_path

from tests.gui.test_first_hour import on_next_dialog

PAGE = (
    "Home | News | Sport\nSubscribe now for 1 euro\n\nThe river rose two metres overnight, the council said.\n\n"
    "Schools stay closed until Monday.\n\nShare this article\nCopyright 2026 Daily Example\n"
)


def _imported(win, tmp_path):
    path = tmp_path / "river.txt"
    path.write_text(PAGE, encoding="utf-8")
    article = read_path(path)
    assert article.removed_lines == ["Subscribe now for 1 euro", "Share this article", "Copyright 2026 Daily Example"]
    article_id, _ = win.store.insert_article(article)
    win.open_article(article_id)
    return article_id


def _properties(win) -> QAction:
    return next(a for a in win.findChildren(QAction) if a.text() == "Article &properties…")


def _restore(qtbot, line: str, seen: list):
    def act(dialog):
        items = dialog.removed_list.findItems(line, Qt.MatchFlag.MatchExactly)
        dialog.removed_list.setCurrentItem(items[0], QItemSelectionModel.SelectionFlag.ClearAndSelect)
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
        seen.append((dialog.restore_message.text(), dialog.removed_list.count()))
        dialog.reject()
    return act


def test_a_removed_line_goes_back_where_the_file_has_it(qtbot, make_window, tmp_path):
    win = make_window(auto_suggest=False)
    article_id = _imported(win, tmp_path)
    seen: list = []
    on_next_dialog(_restore(qtbot, "Subscribe now for 1 euro", seen), ArticlePropertiesDialog)
    _properties(win).trigger()
    assert seen == [("1 line restored to the text.", 2)]
    text = win.store.get_article(article_id).text
    assert text.startswith("Home | News | Sport\nSubscribe now for 1 euro\n\nThe river rose")
    assert win.store.removed_lines(article_id) == ["Share this article", "Copyright 2026 Daily Example"]
    assert [row[0] for row in win.store.conn.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'subscribe'")] == [article_id]
    qtbot.waitUntil(lambda: win.view.toPlainText() == text)


def test_an_annotated_article_keeps_its_text_and_says_why(qtbot, make_window, tmp_path):
    win = make_window(auto_suggest=False)
    article_id = _imported(win, tmp_path)
    text = win.store.get_article(article_id).text
    start = text.index("Schools")
    win.store.insert_annotation(article_id, win.store.list_tags()[0].id, start, start + 7, "Schools")
    seen: list = []
    on_next_dialog(_restore(qtbot, "Share this article", seen), ArticlePropertiesDialog)
    _properties(win).trigger()
    (message, count), = seen
    assert message.startswith("Not restored:") and "1 annotation" in message and count == 3
    assert win.store.get_article(article_id).text == text
