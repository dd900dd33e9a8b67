"""Full-text search: query syntax, filters, offsets of hits, and an index that stays
right through imports, edits, deletes and undo."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain import NewArticle
from annotator.services import annotations as ops
from annotator.services.articles import delete_article, update_article
from annotator.store import corpus
from annotator.store.corpus import Filters, fts_query, search

KYIV = "At least 11 soldiers were killed in Kyiv, officials said. Café owners in the U.S. reacted. 👍🏽 Soldiers wept."
GAZA = "Aid workers said 300 people fled. The minister denied that soldiers were involved."


@pytest.fixture
def store(tagged_store):
    return tagged_store


def _article(store, title, text, **meta):
    article_id, _ = store.insert_article(NewArticle(title=title, text=text, **meta))
    return store.get_article(article_id)


def test_query_syntax_keeps_phrases_prefixes_and_operators_and_quotes_the_rest():
    assert fts_query('"were killed" sold* OR kyiv') == '"were killed" "sold"* OR "kyiv"'
    assert fts_query("U.S. NOT covid-19") == '"U.S." NOT "covid-19"'
    assert fts_query('say "unbalanced') == '"say" "unbalanced"'
    assert fts_query("soldiers AND") == '"soldiers"'


def test_hits_carry_code_point_offsets_of_the_article_text(store):
    kyiv = _article(store, "Kyiv clashes", KYIV, outlet="Wire", published="2024-05-03")
    _article(store, "Gaza aid", GAZA, outlet="Daily", published="2024-06-01")
    hits = search(store, "wept")
    assert [(h.article_id, h.field) for h in hits] == [(kyiv.id, "text")]
    assert kyiv.text[hits[0].start:hits[0].end] == "wept"  # after an emoji: code points, not UTF-16
    assert corpus.MARK_START + "wept" + corpus.MARK_END in hits[0].snippet
    assert {h.article_id for h in search(store, "cafe")} == {kyiv.id}  # accents folded
    assert [h.field for h in search(store, "clashes")] == ["title"]
    assert {h.article_id for h in search(store, '"soldiers were"')} == {kyiv.id, kyiv.id + 1}
    assert {h.article_id for h in search(store, "soldiers NOT minister")} == {kyiv.id}
    assert {h.article_id for h in search(store, "kyi* OR fled")} == {kyiv.id, kyiv.id + 1}


def test_filters_narrow_by_outlet_status_dates_tag_and_analyst(store):
    kyiv = _article(store, "Kyiv", KYIV, outlet="Wire", published="2024-05-03")
    gaza = _article(store, "Gaza", GAZA, outlet="Daily", published="2024-06-01T08:00:00")
    claim = store.tag_by_name("claim")
    start = GAZA.index("soldiers")
    ops.add_annotation(store, article=gaza, tag_id=claim.id, start=start, end=start + 8, annotator="ben")
    ids = lambda **f: {h.article_id for h in search(store, "soldiers", Filters(**f), scope="articles")}  # noqa: E731
    assert ids(outlet="wire") == {kyiv.id}
    assert ids(date_from="2024-05-10") == {gaza.id}
    assert ids(date_to="2024-06-01") == {kyiv.id, gaza.id}
    assert ids(date_to="2024-05-31") == {kyiv.id}
    assert ids(tag="claim") == {gaza.id}
    assert ids(annotator="ana") == set()
    assert ids(status="done") == set()
    hits = search(store, "soldiers", Filters(tag="claim"), scope="annotations")
    assert [(h.kind, h.tag, h.start, h.end) for h in hits] == [("annotation", "claim", start, start + 8)]


def test_index_follows_imports_edits_deletes_and_undo(store):
    kyiv = _article(store, "Kyiv", KYIV)
    figure = store.tag_by_name("figure")
    s = KYIV.index("11 soldiers")
    note_hits = lambda: [h.annotation_id for h in search(store, "recount", scope="annotations")]  # noqa: E731
    a = ops.add_annotation(store, article=kyiv, tag_id=figure.id, start=s, end=s + 11, annotator="ana").value
    ops.set_note(store, annotation_id=a.id, note="ask for a recount")
    assert note_hits() == [a.id]
    deleted, links = ops.delete_annotations(store, annotation_ids=[a.id]).value
    assert note_hits() == []
    ops.restore_annotations(store, annotations=deleted, links=links)
    assert note_hits() == [a.id]
    ops.set_note(store, annotation_id=a.id, note="")
    assert note_hits() == []
    update_article(store, article_id=kyiv.id, title="Kharkiv")
    assert [h.article_id for h in search(store, "kharkiv")] == [kyiv.id]
    assert search(store, "kyiv", scope="articles")[0].field == "text"  # the text still holds it
    delete_article(store, article_id=kyiv.id)
    assert search(store, "soldiers") == []
    assert corpus.check_search_index(store)


def test_rebuilt_index_finds_the_same(store):
    _article(store, "Kyiv", KYIV)
    before = search(store, "soldiers")
    corpus.rebuild_search_index(store)
    assert search(store, "soldiers") == before and before


WORDS = ["café", "Cafe", "soldier", "soldiers", "U.S.", "naïve", "Straße", "ÉTÉ", "été", "x_y", "42", "👍🏽", "قال", "—",
         "İstanbul", "ǅemal", "ﬁre"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
       query=st.sampled_from(["cafe", "soldier*", '"u s"', "ete", "naive", "strasse", "straße", "42", "x", "y", "قال",
                              '"soldiers cafe"', "istanbul", "dzemal", "ǆemal", "fire", "ﬁre"]))
def test_hits_found_in_python_are_where_fts5_matches(store, words, query):
    """The offsets of a hit are found without FTS5's highlight(): they must agree with what FTS5 matched."""
    text = " ".join(words) + "."
    article_id, _ = store.insert_article(NewArticle(title="t", text=text))
    try:
        hits = [h for h in search(store, query, scope="articles") if h.article_id == article_id]
        spans = corpus.hit_spans(text, corpus._phrases(fts_query(query)), around=None)
        assert bool(hits) == bool(spans)
        if hits:
            assert (hits[0].start, hits[0].end) == spans[0]
    finally:
        store.delete_article(article_id)


def test_index_follows_a_bulk_import_of_articles_and_annotations(store, tmp_path):
    import json

    from annotator.services.exchange import apply_import, plan_import

    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"title": "Imported", "text": GAZA, "spans": [
        {"start": GAZA.index("minister"), "end": GAZA.index("minister") + 8, "label": "source", "note": "recheck"}]}),
        encoding="utf-8")
    apply_import(store, plan_import(store, [path]))
    assert [h.field for h in search(store, "fled")] == ["text"]
    assert [(h.kind, h.field, h.tag) for h in search(store, "recheck")] == [("annotation", "note", "source")]
    assert corpus.check_search_index(store)
