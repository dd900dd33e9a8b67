"""W3C import anchors like Hypothesis: the quote decides when the position does not read it."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain import NewArticle
from annotator.services.exchange import anchor, plan_import
from annotator.services.exporting import export_annotations
from annotator.store import open_store

TEXT = (
    "Rally 👍🏽 crowd. The minister said costs fell. Later the minister said costs rose. "
    "Finally the minister said nothing at all about the 12,000 soldiers."
)
URL = "https://example.org/rally"


def store_with_article(tmp_path):
    store = open_store(tmp_path / "a.db")
    store.insert_tag("claim", "#3B82F6")
    store.insert_article(NewArticle(title="Rally", text=TEXT, url=URL))
    return store


def annotation(exact, prefix="", suffix="", position=None):
    selectors = [{"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}]
    if position is not None:
        selectors.append({"type": "TextPositionSelector", "start": position[0], "end": position[1]})
    return {"type": "Annotation", "body": [{"type": "TextualBody", "purpose": "tagging", "value": "claim"}],
            "target": {"source": URL, "selector": selectors}}


def plan_for(store, tmp_path, items):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"type": "AnnotationPage", "items": items}), encoding="utf-8")
    return plan_import(store, [path])


def utf16(text, index):
    return len(text[:index].encode("utf-16-le")) // 2


def test_positions_counted_in_utf16_are_reanchored_by_quote_and_reported(tmp_path):
    store = store_with_article(tmp_path)
    start = TEXT.index("costs rose")
    end = start + len("costs rose")
    plan = plan_for(store, tmp_path, [annotation("costs rose", "the minister said ", ".", (utf16(TEXT, start), utf16(TEXT, end)))])
    assert plan.errors == [] and plan.orphaned == []
    assert [(a.start, a.end) for a in plan.annotations] == [(start, end)]
    assert len(plan.warnings) == 1 and "re-anchored" in plan.warnings[0] and f"{start}-{end}" in plan.warnings[0]


def test_the_occurrence_nearest_the_position_wins_when_context_is_the_same(tmp_path):
    store = store_with_article(tmp_path)
    occurrences = [i for i in range(len(TEXT)) if TEXT.startswith("the minister said", i)]
    assert len(occurrences) == 2
    # No prefix or suffix: only the (stale) position tells the two apart.
    for wanted in occurrences:
        plan = plan_for(store, tmp_path, [annotation("the minister said", position=(wanted - 3, wanted + 14))])
        assert [(a.start, a.end) for a in plan.annotations] == [(wanted, wanted + 17)]


def test_prefix_and_suffix_choose_among_repeated_quotes(tmp_path):
    store = store_with_article(tmp_path)
    plan = plan_for(store, tmp_path, [annotation("the minister said", "Later ", " costs rose")])
    start = TEXT.index("Later the minister said") + len("Later ")
    assert [(a.start, a.end) for a in plan.annotations] == [(start, start + 17)]
    assert plan.warnings == []  # a quote-only selector found as given is no remark


def test_an_edited_quote_is_anchored_fuzzily_near_its_position(tmp_path):
    store = store_with_article(tmp_path)
    start = TEXT.index("nothing at all")
    plan = plan_for(store, tmp_path, [annotation("nothing at al1", "said ", " about", (start + 2, start + 16))])
    assert [(a.start, a.end) for a in plan.annotations] == [(start, start + len("nothing at all"))]
    assert "close match" in plan.warnings[0]


def test_a_quote_not_in_the_text_is_orphaned_not_an_error(tmp_path):
    store = store_with_article(tmp_path)
    found = annotation("costs fell")
    lost = annotation("a sentence that was deleted", position=(5, 32))
    plan = plan_for(store, tmp_path, [found, lost])
    assert plan.errors == [] and len(plan.annotations) == 1
    assert len(plan.orphaned) == 1 and "orphaned" in plan.orphaned[0]
    assert "1 orphaned" in plan.summary()


def test_collection_and_page_have_ids_and_links_are_iris(tmp_path):
    store = store_with_article(tmp_path)
    article = store.get_article(store.latest_article_id())
    tag = store.tag_by_name("claim")
    a = store.insert_annotation(article.id, tag.id, 0, 5, "Rally")
    b = store.insert_annotation(article.id, tag.id, TEXT.index("The minister"), TEXT.index("The minister") + 12, "The minister")
    store.insert_link(a.id, b.id, "source")
    out = tmp_path / "w.jsonld"
    export_annotations(store, "w3c", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["id"].startswith("urn:uuid:") and doc["first"]["id"].startswith("urn:uuid:")
    assert doc["first"]["id"] != doc["id"] and doc["first"]["partOf"] == doc["id"]
    assert doc["@context"][1]["ann:to"] == {"@type": "@id"}
    linked = [i for i in doc["first"]["items"] if "ann:links" in i]
    assert linked[0]["ann:links"][0]["ann:to"] in {i["id"] for i in doc["first"]["items"]}


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_anchor_finds_every_quote_taken_from_the_text(data):
    text = data.draw(st.text(alphabet="ab c👍\n", min_size=1, max_size=200))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    prefix, suffix = text[max(0, start - 32):start], text[end:end + 32]
    found = anchor(text, quote, prefix, suffix, data.draw(st.one_of(st.none(), st.integers(0, len(text)))))
    assert found is not None
    assert text[found[0]:found[1]] == quote and not found[2]
    # With its full context and its own position the very span comes back.
    assert anchor(text, quote, prefix, suffix, start)[:2] == (start, end)
