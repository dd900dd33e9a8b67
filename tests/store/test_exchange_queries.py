"""The store methods that imports use: article keys, bulk annotations and links."""

from __future__ import annotations

import pytest

from annotator.domain import Annotation, NewArticle
from annotator.store import StoreError, open_store


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "x.db")
    yield s
    s.close()


def test_article_keys_name_every_article_without_text(store):
    a, _ = store.insert_article(NewArticle(title="A", text="First text 👍🏽.", url="https://a"))
    b, _ = store.insert_article(NewArticle(title="B", text="Second text."))
    keys = store.article_keys()
    assert [(k[0], k[2], k[3]) for k in keys] == [(a, "https://a", "A"), (b, "", "B")]
    assert keys[0][1] == store.get_article(a).content_hash


def test_insert_annotations_assigns_ids_in_order(store):
    article_id, _ = store.insert_article(NewArticle(title="A", text="👍🏽 Rally in Kyiv today."))
    tag = store.insert_tag("claim", "#3B82F6")
    existing = store.insert_annotation(article_id, tag.id, 3, 8, "Rally")
    text = store.get_article(article_id).text
    rows = [
        Annotation(0, article_id, tag.id, s, e, text[s:e], note="n", annotator="z", created="2026-01-01T00:00:00+00:00")
        for s, e in ((9, 11), (12, 16), (3, 16))
    ]
    ids = store.insert_annotations(rows)
    assert ids == [existing.id + 1, existing.id + 2, existing.id + 3]
    stored = [store.get_annotation(i) for i in ids]
    assert [n.quote for n in stored] == ["in", "Kyiv", "Rally in Kyiv"]
    assert all(n.updated == n.created == "2026-01-01T00:00:00+00:00" for n in stored)
    store.insert_links([(ids[0], ids[1], "source"), (ids[0], ids[1], "source")])
    assert store.list_links(article_id) == [(ids[0], ids[1], "source")]


def test_insert_annotations_is_all_or_nothing(store):
    article_id, _ = store.insert_article(NewArticle(title="A", text="Rally in Kyiv."))
    tag = store.insert_tag("claim", "#3B82F6")
    rows = [
        Annotation(0, article_id, tag.id, 0, 5, "Rally", created="t"),
        Annotation(0, article_id, tag.id, 6, 8, "on", created="t"),
    ]
    with pytest.raises(StoreError, match="Span 6-8 of article .* does not read 'on'"):
        store.insert_annotations(rows)
    assert store.count_annotations() == 0


@pytest.mark.parametrize(("start", "end", "quote"), [(9, 13, "Kyiv."), (9, 17, "Kyiv.abc"), (9, 13, "kyiv"), (-1, 2, "Ra"), (3, 3, "")])
def test_insert_annotations_checks_every_span(store, start, end, quote):
    article_id, _ = store.insert_article(NewArticle(title="A", text="Rally in Kyiv."))
    tag = store.insert_tag("claim", "#3B82F6")
    with pytest.raises(StoreError, match=f"Span {start}-{end}"):
        store.insert_annotations([Annotation(0, article_id, tag.id, start, end, quote, created="t")])
    assert store.count_annotations() == 0
