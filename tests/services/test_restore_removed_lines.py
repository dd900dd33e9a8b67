"""The service behind "Restore the selected lines": only with the original file, only
lines that were removed, and the article's pending suggestions go with the old text."""

from __future__ import annotations

import pytest

from annotator.ingest.reader import read_path, read_text
from annotator.services.articles import restore_removed_lines
from annotator.store import StoreError, open_store

PAGE = "Home | News\nAdvertisement\n\nThe river rose two metres, the council said.\n\nShare this article\n"


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "r.db")
    store.insert_tag("claim", "#3B82F6")
    yield store
    store.close()


def test_pending_suggestions_go_and_the_search_finds_the_restored_line(store, tmp_path):
    path = tmp_path / "river.txt"
    path.write_text(PAGE, encoding="utf-8")
    article_id, _ = store.insert_article(read_path(path))
    assert store.removed_lines(article_id) == ["Advertisement", "Share this article"]
    text = store.get_article(article_id).text
    start = text.index("The river")
    store.replace_suggestions(article_id, [dict(
        tag_id=store.tag_by_name("claim").id, start=start, end=start + 9, quote="The river", score=1.0,
        value="", suggester="test", suggester_version="1",
    )])
    assert len(store.list_suggestions(article_id)) == 1
    with pytest.raises(StoreError, match="Only lines removed at import"):
        restore_removed_lines(store, article_id=article_id, lines=["Home | News"])
    assert restore_removed_lines(store, article_id=article_id, lines=["Share this article"]).value == 1
    assert store.get_article(article_id).text == text + "\n\nShare this article"
    assert store.list_suggestions(article_id) == []
    assert store.removed_lines(article_id) == ["Advertisement"]


def test_pasted_text_restores_and_without_an_original_nothing_changes(store):
    article_id, _ = store.insert_article(read_text(PAGE))
    assert store.removed_lines(article_id) == ["Advertisement", "Share this article"]
    restore_removed_lines(store, article_id=article_id, lines=["Advertisement"])
    assert store.get_article(article_id).text.startswith("Home | News\nAdvertisement\n\nThe river")
    # A database from before originals were kept: the lines have nowhere to go.
    with store.write() as c:
        c.execute("DELETE FROM article_originals WHERE article_id = ?", (article_id,))
    text = store.get_article(article_id).text
    with pytest.raises(StoreError, match="original file is not kept"):
        restore_removed_lines(store, article_id=article_id, lines=["Share this article"])
    assert store.get_article(article_id).text == text
