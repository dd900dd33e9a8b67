"""The cue of a claim–source link ("said", "according to") through the jsonl export and back."""

from __future__ import annotations

import json

from annotator.domain import NewArticle
from annotator.services.exchange import apply_import, plan_import
from annotator.services.exporting import export_to_stream
from annotator.store import open_store

TEXT = "Flooding closed 40 schools, the regional council said. According to Mayor Ines Duarte, the dam held."


def _at(phrase: str) -> tuple[int, int]:
    i = TEXT.index(phrase)
    return i, i + len(phrase)


def test_link_cue_goes_out_in_jsonl_and_comes_back(tagged_store, tmp_path):
    store = tagged_store
    article_id, _ = store.insert_article(NewArticle(title="Floods", text=TEXT))
    claim_tag, source_tag = store.tag_by_name("claim").id, store.tag_by_name("source").id

    def add(tag: int, phrase: str):
        s, e = _at(phrase)
        return store.insert_annotation(article_id, tag, s, e, phrase)

    closed = add(claim_tag, "Flooding closed 40 schools")
    council = add(source_tag, "the regional council")
    held = add(claim_tag, "the dam held")
    mayor = add(source_tag, "Mayor Ines Duarte")
    store.insert_link(closed.id, council.id, "source", "said")
    store.insert_link(held.id, mayor.id, "source")  # linked by hand: no cue

    path = tmp_path / "out.jsonl"
    with path.open("w", encoding="utf-8") as out:
        export_to_stream(store, "jsonl", out)
    spans = {s["quote"]: s for s in json.loads(path.read_text(encoding="utf-8"))["spans"]}
    assert spans["Flooding closed 40 schools"]["links"] == [{"to": council.id, "kind": "source", "cue": "said"}]
    assert spans["the dam held"]["links"] == [{"to": mayor.id, "kind": "source"}]

    other = open_store(tmp_path / "other.db")
    plan = plan_import(other, [path])
    assert not plan.errors
    apply_import(other, plan)
    (new_id,) = [a.id for a in other.list_articles()]
    ids = {a.quote: a.id for a in other.list_annotations(new_id)}
    assert other.link_cue(ids["Flooding closed 40 schools"], ids["the regional council"]) == "said"
    assert other.link_cue(ids["the dam held"], ids["Mayor Ines Duarte"]) == ""
    assert sorted(other.list_links(new_id)) == sorted([
        (ids["Flooding closed 40 schools"], ids["the regional council"], "source"),
        (ids["the dam held"], ids["Mayor Ines Duarte"], "source"),
    ])
