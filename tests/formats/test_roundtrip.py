"""Every format: export the hard-case database, import into an empty one, compare."""

from __future__ import annotations

import pytest

from annotator.domain import NewArticle
from annotator.services.exchange import apply_import, plan_import
from annotator.services.exporting import export_annotations
from annotator.store import open_store

FULL_TEXT_FORMATS = [
    ("jsonl", "out.jsonl"),
    ("w3c", "out.jsonld"),
    ("qdpx", "out.qdpx"),
    ("brat", "brat-folder"),
    ("brat", "out.zip"),
]


def articles_of(store):
    return sorted(
        (a.title, a.text, a.outlet, a.author, a.url, a.published, a.status) for a in store.iter_articles()
    )


def tags_of(store):
    return sorted((t.name, t.colour, t.description) for t in store.list_tags())


def annotations_of(store, *, extras=True):
    out = []
    for article in store.iter_articles():
        tag_names = {t.id: t.name for t in store.list_tags()}
        for n in store.list_annotations(article.id):
            row = (article.title, tag_names[n.tag_id], n.start, n.end, n.quote, n.note, n.annotator, n.created)
            if extras:
                row += (n.updated, n.value, n.origin)
            out.append(row)
    return sorted(out)


def links_of(store):
    described = {}
    for article in store.iter_articles():
        for n in store.list_annotations(article.id):
            described[n.id] = (article.title, n.start, n.end, n.tag_id)
    tag_names = {t.id: t.name for t in store.list_tags()}
    return sorted(
        (described[a][:3] + (tag_names[described[a][3]],), described[b][:3] + (tag_names[described[b][3]],), kind)
        for a, b, kind in store.list_links()
    )


@pytest.mark.parametrize(("fmt", "name"), FULL_TEXT_FORMATS)
def test_round_trip_into_an_empty_database(hard_store, tmp_path, fmt, name):
    out = tmp_path / name
    count = export_annotations(hard_store, fmt, out)
    assert count == hard_store.count_annotations()

    target = open_store(tmp_path / "b.db")
    plan = plan_import(target, [out])
    assert plan.errors == []
    assert plan.conflicts == []
    assert plan.duplicates == []
    result = apply_import(target, plan)
    assert result.annotations_added == count

    assert articles_of(target) == articles_of(hard_store)
    assert tags_of(target) == tags_of(hard_store)
    assert annotations_of(target) == annotations_of(hard_store)
    assert links_of(target) == links_of(hard_store)
    for article in target.iter_articles():
        for n in target.list_annotations(article.id):
            assert article.text[n.start:n.end] == n.quote

    # Importing the same file again adds nothing: every annotation is an exact duplicate.
    again = plan_import(target, [out])
    assert again.annotations == [] and again.errors == [] and again.conflicts == []
    assert len(again.duplicates) == count


def test_csv_round_trip_attaches_to_articles_by_quote(hard_store, tmp_path):
    out = tmp_path / "out.csv"
    export_annotations(hard_store, "csv", out)
    target = open_store(tmp_path / "b.db")
    # The same articles, added in another order (so with other ids), and the tags.
    for article in reversed(list(hard_store.iter_articles())):
        target.insert_article(NewArticle(
            title=article.title, text=article.text, outlet=article.outlet, author=article.author,
            url=article.url, published=article.published,
        ))
        target.set_article_status(target.latest_article_id(), article.status)
    for tag in hard_store.list_tags():
        target.insert_tag(tag.name, tag.colour, tag.shortcut, tag.description)

    plan = plan_import(target, [out])
    assert plan.errors == [] and plan.conflicts == [] and plan.new_articles == []
    apply_import(target, plan)
    assert annotations_of(target, extras=False) == annotations_of(hard_store, extras=False)


def test_csv_without_matching_article_is_an_error(hard_store, tmp_path):
    out = tmp_path / "out.csv"
    export_annotations(hard_store, "csv", out)
    target = open_store(tmp_path / "b.db")
    plan = plan_import(target, [out])
    assert plan.annotations == []
    assert len(plan.errors) == 3
    assert all("out.csv" in e and "does not carry the article's text" in e for e in plan.errors)
