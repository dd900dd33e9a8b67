"""add_annotation: the action behind pressing a tag key on a selection."""

from __future__ import annotations

import pytest

from annotator.domain import NewArticle, SpanError
from annotator.services.annotations import add_annotation
from annotator.services.workspace import open_workspace

TEXT = "The army said  at least 11 soldiers 👍🏽 died.\nقال المتحدث إن ١١ جنديا قتلوا.\n"


@pytest.fixture
def ws(tmp_path):
    store = open_workspace(tmp_path / "w.db")
    article_id, _ = store.insert_article(NewArticle(title="Clashes", text=TEXT))
    yield store, store.get_article(article_id), store.tag_by_name("figure")
    store.close()


def test_selection_is_trimmed_and_stored_in_code_points(ws):
    store, article, figure = ws
    start = TEXT.index("at least") - 2  # the selection began in the double space
    end = TEXT.index("soldiers") + len("soldiers") + 1
    a = add_annotation(store, article=article, tag_id=figure.id, start=start, end=end, annotator="nadia").value
    assert a.quote == "at least 11 soldiers"
    assert TEXT[a.start : a.end] == a.quote
    assert store.list_annotations(article.id) == [a]


def test_whole_words_setting(ws):
    store, article, figure = ws
    start = TEXT.index("east")
    a = add_annotation(store, article=article, tag_id=figure.id, start=start, end=start + 6,
                       annotator="nadia", whole_words=True).value
    assert a.quote == "least 11"
    i = TEXT.index("المتحدث") + 2
    b = add_annotation(store, article=article, tag_id=figure.id, start=i, end=i + 1, annotator="nadia", whole_words=True).value
    assert b.quote == "المتحدث"


def test_whitespace_only_selection_is_refused_and_nothing_stored(ws):
    store, article, figure = ws
    i = TEXT.index("  ")
    with pytest.raises(SpanError, match="only whitespace"):
        add_annotation(store, article=article, tag_id=figure.id, start=i, end=i + 2, annotator="nadia").value
    with pytest.raises(SpanError):
        add_annotation(store, article=article, tag_id=figure.id, start=0, end=len(TEXT) + 5, annotator="nadia").value
    assert store.count_annotations() == 0


def test_span_after_emoji_and_note(ws):
    store, article, figure = ws
    start = TEXT.index("died")
    a = add_annotation(store, article=article, tag_id=figure.id, start=start, end=start + 4, annotator="n", note="verb").value
    assert (a.quote, a.note) == ("died", "verb")
    assert start == len("The army said  at least 11 soldiers 👍🏽 ")
