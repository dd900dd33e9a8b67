"""The window follows what any operation on its database changed, whoever ran it."""

from __future__ import annotations

import threading

from annotator.domain import NewArticle
from annotator.services import articles as article_ops
from annotator.services import tags as tag_ops
from annotator.store import open_store


def test_a_tag_made_in_a_background_thread_appears_in_the_palette(qtbot, window):
    def work():
        store = open_store(window.store.path)  # a background job has its own connection
        try:
            tag_ops.create_tag(store, name="victim", colour="#8B5CF6", shortcut="4")
        finally:
            store.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: "4  victim" in [b.text() for b in window.palette.buttons.values()], timeout=5000)
    assert window.document.tag(window.store.tag_by_name("victim").id) is not None


def test_metadata_status_and_deletion_reach_the_open_article_and_the_list(qtbot, window):
    article_id = window.document.article.id
    article_ops.update_article(window.store, article_id=article_id, title="Clashes at the border")
    assert window.title_label.text() == "Clashes at the border"
    assert window.article_model.index(0, 0).data() == "Clashes at the border"
    article_ops.set_article_status(window.store, article_id=article_id, status="done")
    assert window.status_combo.currentText() == "done"

    other, _ = window.store.insert_article(NewArticle(title="Second", text="The mayor said 3 roads closed.\n"))
    window.refresh_articles()
    assert window.article_model.rowCount() == 2
    article_ops.delete_article(window.store, article_id=article_id)
    assert window.document.article is None
    assert window.article_model.rowCount() == 1 and window.article_model.index(0, 0).data() == "Second"


def test_a_closed_window_stops_listening(qtbot, make_window):
    first = make_window()
    first.close()
    # Another operation on the same file after the window closed reaches nobody and breaks nothing.
    store = open_store(first.store.path)
    tag_ops.create_tag(store, name="place", colour="#10B981")
    store.close()
    assert first.changes._remove is None
