"""Issue 14: what a new analyst hit in the first hour, each driven as a person does it.

The window is shown and made active, so focus moves and shortcuts work as they
do on a desktop: keys go to the focused widget, Ctrl+digit moves focus.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.domain import NewArticle
from annotator.gui.main_window import MainWindow
from annotator.services.workspace import open_workspace

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
SECOND_TEXT = "Second report.\nThe mayor said the bridge will reopen in May.\nResidents welcomed the news."


@pytest.fixture
def window(qtbot, tmp_path):
    store = open_workspace(tmp_path / "work.db")
    store.set_setting("auto_suggest", "0")
    win = MainWindow(store, annotator="tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(win.isActiveWindow)
    win.open_article(store.latest_article_id())
    win.view.setFocus()
    yield win
    win.close()
    store.close()


def add_second_article(window) -> int:
    article_id, _ = window.store.insert_article(NewArticle(title="Bridge to reopen", text=SECOND_TEXT))
    window.refresh_articles()
    return article_id


def click_article(qtbot, window, article_id: int) -> None:
    """Click an article's title in the list, as a person does."""
    model, proxy = window.article_model, window.article_proxy
    index = proxy.mapFromSource(model.index(model.row_of(article_id), 0))
    rect = window.article_list.visualRect(index)
    qtbot.mouseClick(window.article_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def tag_phrase(qtbot, window, phrase: str, key: str) -> None:
    start = window.document.article.text.index(phrase)
    window.view.select_span(start, start + len(phrase))
    qtbot.keyClick(window.view, key)


def notes(window) -> dict[str, str]:
    return {a.quote: a.note for a in window.store.list_annotations(window.document.article.id)}


def test_switching_articles_with_text_selected_opens_the_other_article(qtbot, window):
    first = window.document.article.id
    second = add_second_article(window)
    start = window.document.article.text.index("Colonel")
    cursor = window.view.textCursor()
    cursor.setPosition(window.view.to_qt(start))
    window.view.setTextCursor(cursor)
    for _ in range(3):
        qtbot.keyClick(window.view, Qt.Key.Key_Right, SHIFT)
    click_article(qtbot, window, second)
    assert window.document.article.id == second
    assert window.view.toPlainText() == SECOND_TEXT
    assert window.view.selected_span() == (0, 0)
    click_article(qtbot, window, first)
    assert window.document.article.id == first
    # The next key press is not lost: it goes where the analyst put the focus.
    window.view.setFocus()
    window.view.select_span(start, start + len("Colonel Henrik Malmberg"))
    qtbot.keyClick(window.view, "2")
    assert list(notes(window)) == ["Colonel Henrik Malmberg"]


def test_notes_stay_with_their_annotation_through_undo_and_redo(qtbot, window):
    tag_phrase(qtbot, window, "At least 11 soldiers", "3")
    tag_phrase(qtbot, window, "Colonel Henrik Malmberg", "2")
    cursor = window.view.textCursor()
    cursor.setPosition(0)
    window.view.setTextCursor(cursor)
    qtbot.keyClick(window.view, "j")
    qtbot.keyClick(window.view, "4", CTRL)
    assert QApplication.focusWidget() is window.note_edit
    qtbot.keyClicks(window.note_edit, "note A")
    qtbot.keyClick(window.note_edit, "2", CTRL)
    qtbot.keyClick(window.view, "j")
    qtbot.keyClick(window.view, "4", CTRL)
    assert window.note_edit.toPlainText() == ""
    qtbot.keyClicks(window.note_edit, "note B")
    qtbot.keyClick(window.note_edit, "2", CTRL)
    both = {"At least 11 soldiers": "note A", "Colonel Henrik Malmberg": "note B"}
    assert notes(window) == both
    qtbot.keyClick(window.view, "z", CTRL)
    qtbot.keyClick(window.view, "z", CTRL)
    assert notes(window) == {"At least 11 soldiers": "", "Colonel Henrik Malmberg": ""}
    qtbot.keyClick(window.view, "z", CTRL | SHIFT)
    qtbot.keyClick(window.view, "z", CTRL | SHIFT)
    assert notes(window) == both
    assert window.note_edit.toPlainText() == "note B"


def open_window(qtbot, path) -> MainWindow:
    """Start the program on ``path`` and wait for the open article's suggestions."""
    store = open_workspace(path)
    win = MainWindow(store, annotator="tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(win.isActiveWindow)
    with qtbot.waitSignal(win.suggestionsReady, timeout=20_000):
        win.open_article(store.latest_article_id())
    win.view.setFocus()
    return win


def accept_with_key(qtbot, window, suggestion) -> int:
    """Select a suggestion's text and press A; returns the new annotation's id."""
    match = window.document.suggestion_at(suggestion.start, suggestion.end)
    assert match is not None
    window.view.select_span(match.start, match.end)
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    return next(a.id for a in window.store.list_annotations(window.document.article.id)
                if (a.start, a.end) == (match.start, match.end))


@pytest.mark.parametrize("source_first", [True, False])
def test_claim_and_source_are_linked_whichever_is_accepted_first_across_a_restart(qtbot, tmp_path, source_first):
    path = tmp_path / "restart.db"
    win = open_window(qtbot, path)
    claim = next(s for s in win.document.suggestions if s.source_suggestion_id is not None)
    source = win.document.suggestion(claim.source_suggestion_id)
    first_id = accept_with_key(qtbot, win, source if source_first else claim)
    win.close()
    win.store.close()

    win = open_window(qtbot, path)
    second_id = accept_with_key(qtbot, win, claim if source_first else source)
    claim_id, source_id = (second_id, first_id) if source_first else (first_id, second_id)
    assert win.store.links_of(claim_id) == [(claim_id, source_id, "source")]
    win.close()
    win.store.close()


def test_details_follow_a_retag_and_clear_when_another_article_opens(qtbot, window):
    tag_phrase(qtbot, window, "Colonel Henrik Malmberg", "1")
    assert window.details_label.text().startswith("claim ·")
    window.view.select_span(0, 0)
    qtbot.keyClick(window.view, "2")  # nothing selected in the text: retags the selected annotation
    assert window.details_label.text().startswith("source ·")
    second = add_second_article(window)
    click_article(qtbot, window, second)
    assert window.details_label.text() == ""


def test_a_claim_retagged_as_another_tag_loses_the_claims_kind_until_undone(qtbot, tmp_path):
    win = open_window(qtbot, tmp_path / "kind.db")
    claim = next(s for s in win.document.suggestions if s.value == '{"kind":"fact"}')
    annotation_id = accept_with_key(qtbot, win, claim)
    win.select_annotation(annotation_id)
    assert "kind: fact" in win.details_label.text()
    win.view.select_span(0, 0)
    qtbot.keyClick(win.view, "3")
    assert win.store.get_annotation(annotation_id).value == ""
    assert win.details_label.text().startswith("figure ·") and "kind" not in win.details_label.text()
    qtbot.keyClick(win.view, "z", CTRL)
    assert win.store.get_annotation(annotation_id).value == claim.value
    assert "kind: fact" in win.details_label.text()
    win.close()
    win.store.close()


def on_next_dialog(act, kind=None) -> None:
    """Run ``act(dialog)`` on the next modal dialog (of class ``kind``) once it is shown."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog

    def attempt():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind or QDialog):
            act(dialog)
        else:
            QTimer.singleShot(10, attempt)
    QTimer.singleShot(0, attempt)


def test_a_tag_cannot_take_a_command_key(qtbot, window):
    from PySide6.QtWidgets import QDialogButtonBox

    seen = []

    def fill(dialog):
        qtbot.keyClicks(dialog.name, "victim")
        dialog.shortcut.setFocus()
        qtbot.keyClicks(dialog.shortcut, "a")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen.append((dialog.isVisible(), dialog.key_problem.text()))
        dialog.shortcut.selectAll()
        qtbot.keyClicks(dialog.shortcut, "4")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    on_next_dialog(fill)
    window.tags.add_tag()
    assert seen == [(True, "a is the key for “accept suggestion”; choose another key.")]
    assert window.store.tag_by_name("victim").shortcut == "4"


def test_tag_keys_work_when_the_article_lacks_focus_but_not_in_a_text_field(qtbot, window):
    on_next_dialog(lambda dialog: dialog.reject())
    qtbot.mouseClick(window.palette.add_button, Qt.MouseButton.LeftButton)  # Tags → Add tag…, then Cancel
    window.activateWindow()  # what the window manager does when the dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    start = window.document.article.text.index("Ilse Varga")
    window.view.select_span(start, start + len("Ilse Varga"))
    window.article_filter.setFocus()
    qtbot.keyClick(window.article_filter, "2")
    assert window.article_filter.text() == "2" and notes(window) == {}
    window.article_filter.clear()
    window.annotation_table.setFocus()
    qtbot.keyClick(window.annotation_table, "2")
    assert notes(window) == {"Ilse Varga": ""}


def test_two_bad_files_are_reported_as_failed_not_cancelled(qtbot, window, tmp_path):
    from annotator.gui.intake_dialogs import ImportReportDialog

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    reports = []

    def read_report(dialog):
        reports.append(dialog.summary.text())
        dialog.accept()

    on_next_dialog(read_report, ImportReportDialog)
    with qtbot.waitSignal(window.jobFinished, timeout=30_000):
        job = window.import_files([str(empty), str(binary)])  # File → Open, both chosen
        job.dialog.show()  # as on a slow disk: the progress dialog has appeared
    assert len(reports) == 1
    assert reports == ["Imported 0, already present 0, failed 2."]


def test_the_article_lists_count_column_is_called_what_it_counts(qtbot, window):
    header = window.article_list.model().headerData(3, Qt.Orientation.Horizontal)
    tag_phrase(qtbot, window, "Ilse Varga", "2")
    window.note_edit.setFocus()
    qtbot.keyClicks(window.note_edit, "governor")
    window.view.setFocus()
    row = window.article_proxy.mapFromSource(window.article_model.index(0, 3))
    assert (header, row.data()) == ("Annotations", 1)


def test_review_slips_show_say_what_undo_undoes_and_rejected_suggestions_come_back(qtbot, tmp_path):
    win = open_window(qtbot, tmp_path / "slips.db")
    qtbot.waitUntil(win.isActiveWindow)
    cursor = win.view.textCursor()
    cursor.setPosition(0)
    win.view.setTextCursor(cursor)
    qtbot.keyClick(win.view, Qt.Key.Key_N)
    accepted = win.review.current_suggestion()
    qtbot.keyClick(win.view, Qt.Key.Key_A)  # stray typing: "a", "x", "x"
    assert win.statusBar().currentMessage().startswith("Accepted as ")
    assert "Ctrl+Z undoes" in win.statusBar().currentMessage()
    first = win.review.current_suggestion()
    qtbot.keyClick(win.view, Qt.Key.Key_X)
    assert win.statusBar().currentMessage().startswith(f"Rejected “{first.quote[:20]}")
    second = win.review.current_suggestion()
    qtbot.keyClick(win.view, Qt.Key.Key_X)
    # The history lists each step.
    qtbot.keyClick(win.view, "y", CTRL | SHIFT)
    assert win.history_dock.isVisible()
    model = win.history_view.model()
    steps = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert steps[0] == "Article opened" and steps[1].startswith("accept suggestion")
    assert [s.startswith("reject suggestion") for s in steps[2:]] == [True, True]
    # Undo says what it undid.
    qtbot.keyClick(win.view, "z", CTRL)
    assert win.statusBar().currentMessage().startswith("Undone: reject suggestion")
    assert win.document.suggestion(second.id) is not None
    # The other rejection is restored from Suggestions → Rejected suggestions.
    assert win.document.suggestion(first.id) is None

    def restore_first(dialog):
        item = next(dialog.list.item(r) for r in range(dialog.list.count())
                    if dialog.list.item(r).data(Qt.ItemDataRole.UserRole) == first.id)
        rect = dialog.list.visualItemRect(item)
        qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y()))
        if item.checkState() != Qt.CheckState.Checked:  # the click landed on the text, not the box
            qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    on_next_dialog(restore_first)
    assert win.review.show_rejected_suggestions() == 1
    assert win.document.suggestion(first.id) is not None
    assert win.store.list_suggestions(win.document.article.id, status="rejected") == []
    assert accepted.id not in [s.id for s in win.document.suggestions]
    win.close()
    win.store.close()


def test_single_line_breaks_show_as_spaced_paragraphs_with_offsets_unchanged(qtbot, window):
    second = add_second_article(window)
    click_article(qtbot, window, second)
    view = window.view
    first_block = view.document().firstBlock()
    line = view.fontMetrics().height()
    gap = view.blockBoundingGeometry(first_block.next()).top() - view.blockBoundingGeometry(first_block).top()
    assert gap >= line * 1.4, "a paragraph is followed by visible space"
    assert view.toPlainText() == window.store.get_article(second).text == SECOND_TEXT
    # A click on the second paragraph lands on its own text.
    start = SECOND_TEXT.index("The mayor")
    word = view.cursorRect(QTextCursor(view.document()))  # where the text's first line begins
    target = view.document().findBlock(view.to_qt(start))
    y = int(view.blockBoundingGeometry(target).translated(view.contentOffset()).top() + line / 2)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(word.left() + 8, y))
    assert view.textCursor().selectedText() == "The"
    assert view.selected_span() == (start, start + 3)


def backgrounds_at(window, offset: int) -> set[str]:
    """The highlight colours Qt paints at a code-point offset."""
    view = window.view
    view.viewport().repaint()
    position = view.to_qt(offset)
    block = view.document().findBlock(position)
    inside = position - block.position()
    return {r.format.background().color().name() for r in block.layout().formats()
            if r.start <= inside < r.start + r.length}


def test_a_claim_inside_a_claim_and_touching_claims_stay_distinct(qtbot, window):
    outer = "Two senior officials, who spoke on condition of anonymity because they were not authorised"
    inner = "not authorised"
    tag_phrase(qtbot, window, outer, "1")
    tag_phrase(qtbot, window, inner, "1")
    window.view.select_span(0, 0)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    window.annotation_table.clearSelection()
    text = window.document.article.text
    start = text.index(outer)
    assert backgrounds_at(window, start + 2) != backgrounds_at(window, text.index(inner) + 2)
    # Two claims side by side, a space apart, do not read as one.
    left = "She said the province needs"
    right = "€35 million in immediate aid"
    tag_phrase(qtbot, window, left, "1")
    tag_phrase(qtbot, window, right, "1")
    window.annotation_table.clearSelection()
    b = text.index(right)
    assert backgrounds_at(window, b - 3) and backgrounds_at(window, b + 3)
    assert backgrounds_at(window, b - 3) != backgrounds_at(window, b + 3)


def test_small_things_of_the_first_hour(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    assert window.count_label.text().startswith("1 article ·")
    # At 1024×640 the list's titles stay readable.
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.article_list.columnWidth(0) >= 150)
    # The annotation table sorts by a click on its header.
    tag_phrase(qtbot, window, "Ilse Varga", "2")
    tag_phrase(qtbot, window, "At least 11 soldiers", "3")
    tag_phrase(qtbot, window, "Colonel Henrik Malmberg", "1")
    header = window.annotation_table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(0) + 10, header.height() // 2))
    column = [window.annotation_proxy.index(r, 0).data() for r in range(window.annotation_proxy.rowCount())]
    assert column in (["claim", "figure", "source"], ["source", "figure", "claim"])
    # F1 names the review keys.
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: shown.append(text))
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    for key in ("N ", "A or Enter", "X or Backspace", "Alt+", "F6", "Ctrl+Shift+H"):
        assert key in shown[0]


def test_the_suggestion_prompt_goes_when_the_analyst_selects_text(qtbot, tmp_path):
    win = open_window(qtbot, tmp_path / "prompt.db")
    qtbot.keyClick(win.view, Qt.Key.Key_N)
    assert "A accept" in win.statusBar().currentMessage()
    qtbot.keyClick(win.view, Qt.Key.Key_Right, SHIFT)
    assert win.statusBar().currentMessage() == ""
    win.close()
    win.store.close()


def said_by_column(window, quote: str) -> str:
    model = window.annotation_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == quote)
    return model.index(row, 2).data()


def test_attribution_by_hand_with_keyboard_and_mouse_changed_removed_and_undone(qtbot, window):
    from annotator.gui.attribution import SourcePickerDialog

    claim = "some 1,200 families have left their homes since January"
    tag_phrase(qtbot, window, "Colonel Henrik Malmberg", "2")
    tag_phrase(qtbot, window, "Ilse Varga", "2")
    tag_phrase(qtbot, window, claim, "1")
    claim_id = window.current_annotation().id
    ids = {a.quote: a.id for a in window.store.list_annotations(window.document.article.id)}

    # Keyboard: Ctrl+L on the selected claim; the nearest source before it is offered; Enter.
    on_next_dialog(lambda dialog: qtbot.keyClick(dialog.list, Qt.Key.Key_Return), SourcePickerDialog)
    qtbot.keyClick(window.view, "l", CTRL)
    assert window.store.links_of(claim_id) == [(claim_id, ids["Ilse Varga"], "source")]
    assert said_by_column(window, claim) == "Ilse Varga"
    assert "Said by: “Ilse Varga”" in window.details_label.text()

    # Mouse: change it with a double click on another source.
    def double_click_colonel(dialog):
        item = next(dialog.list.item(r) for r in range(dialog.list.count())
                    if "Colonel" in dialog.list.item(r).text())
        qtbot.waitUntil(lambda: dialog.list.visualItemRect(item).height() > 0)
        point = dialog.list.visualItemRect(item).center()
        # A person's double click is a click and then a second one (QTest's alone skips the first press).
        qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=point)
        qtbot.mouseDClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=point)

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    on_next_dialog(double_click_colonel, SourcePickerDialog)
    window.attribute_action.trigger()
    assert window.store.links_of(claim_id) == [(claim_id, ids["Colonel Henrik Malmberg"], "source")]
    assert said_by_column(window, claim) == "Colonel Henrik Malmberg"

    # Remove it: Home goes to "No source", Enter.
    def remove(dialog):
        qtbot.keyClick(dialog.list, Qt.Key.Key_Home)
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    on_next_dialog(remove, SourcePickerDialog)
    window.view.setFocus()
    qtbot.keyClick(window.view, "l", CTRL)
    assert window.store.links_of(claim_id) == []
    assert said_by_column(window, claim) == ""
    window.activateWindow()  # what the window manager does when the dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    # Each step is one undo step.
    qtbot.keyClick(window.view, "z", CTRL)
    assert said_by_column(window, claim) == "Colonel Henrik Malmberg"
    qtbot.keyClick(window.view, "z", CTRL)
    assert window.store.links_of(claim_id) == [(claim_id, ids["Ilse Varga"], "source")]
    # Deleting the source clears "said by"; undo brings both back.
    window.select_annotation(ids["Ilse Varga"])
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert said_by_column(window, claim) == ""
    qtbot.keyClick(window.view, "z", CTRL)
    assert said_by_column(window, claim) == "Ilse Varga"


def test_memos_on_article_project_and_tag_are_saved_and_found(qtbot, window):
    from annotator.gui.codebook import MemoDialog, MemoSearchDialog

    def write(text):
        def act(dialog):
            qtbot.keyClicks(dialog.edit, text)
            dialog.accept()
        return act

    on_next_dialog(write("Ministry toll differs from the hospital's"), MemoDialog)
    qtbot.keyClick(window.view, "m", CTRL | Qt.KeyboardModifier.AltModifier)
    article_id = window.document.article.id
    assert window.store.get_memo("article", article_id) == "Ministry toll differs from the hospital's"
    on_next_dialog(write("Question: how do outlets attribute casualty figures?"), MemoDialog)
    assert window.article_actions.edit_project_memo()
    second = add_second_article(window)
    click_article(qtbot, window, second)

    def find_and_open(dialog):
        qtbot.keyClicks(dialog.field, "hospital toll")
        assert dialog.results.count() == 1
        dialog.results.setCurrentRow(0)
        dialog.results.setFocus()
        qtbot.keyClick(dialog.results, Qt.Key.Key_Return)

    on_next_dialog(find_and_open, MemoSearchDialog)
    window.article_actions.search_memos()
    assert window.document.article.id == article_id
    scopes = {scope for scope, _id, _text in window.store.search_memos("")}
    assert scopes == {"article", "project", "tag"}  # the default tags' descriptions are their memos


def test_codebook_categories_memos_counts_and_a_qdc_round_trip(qtbot, window, tmp_path):
    from annotator.gui.codebook import CodebookDialog
    from annotator.gui.tag_palette import TagDialog

    def new_tag(name, memo, under=""):
        def act(dialog):
            qtbot.keyClicks(dialog.name, name)
            qtbot.keyClicks(dialog.description, memo)
            if under:
                dialog.category.setCurrentIndex(dialog.category.findText(under))
            dialog.accept()
        on_next_dialog(act, TagDialog)
        window.tags.add_tag()

    new_tag("actors", "Who acts in the story")
    new_tag("victim", "People harmed, e.g. '23 others wounded'", under="actors")
    window.activateWindow()  # back from the tag dialogs, as the window manager does
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: len(window.palette.buttons) == 5)
    victim = window.store.tag_by_name("victim")
    assert victim.parent_id == window.store.tag_by_name("actors").id
    palette = [b.text() for b in window.palette.buttons.values()]
    assert any(text.startswith("    ") and text.endswith("victim") for text in palette)
    assert "People harmed" in window.palette.buttons[victim.id].toolTip()
    tag_phrase(qtbot, window, "23 others wounded", "3")
    path = tmp_path / "codebook.qdc"

    seen = {}

    def read_and_export(dialog):
        tree = dialog.tree
        seen["rows"] = [(tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(2),
                         [(c.text(0), c.text(3)) for c in map(tree.topLevelItem(i).child,
                                                              range(tree.topLevelItem(i).childCount()))])
                        for i in range(tree.topLevelItemCount())]
        seen["written"] = dialog.export_file(str(path))
        dialog.reject()

    on_next_dialog(read_and_export, CodebookDialog)
    qtbot.keyClick(window.view, "b", CTRL | SHIFT)  # Tags → Codebook
    assert seen["rows"] == [("claim", "0", []), ("source", "0", []), ("figure", "1", []),
                            ("actors", "0", [("victim", victim.description)])]
    assert seen["written"] == str(path)

    other = open_workspace(tmp_path / "other.db")
    added, updated = __import__("annotator.services.codebook", fromlist=["x"]).import_codebook(
        other, path=str(path)).value
    assert (added, updated) == (2, 0)
    imported = other.tag_by_name("victim")
    assert imported.description == victim.description
    assert imported.parent_id == other.tag_by_name("actors").id
    other.close()
