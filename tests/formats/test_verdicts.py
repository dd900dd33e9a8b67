"""Verdicts in exports: ClaimReview JSON-LD, and a claim's verdict through jsonl, W3C and the HTML report."""

from __future__ import annotations

import dataclasses
import io
import json

from annotator.domain import NewArticle
from annotator.services.exporting import export_to_stream
from annotator.services.verdicts import set_verdict

TEXT = "At least 11 soldiers were killed, Colonel Henrik Malmberg said."


def test_claims_with_verdicts_become_claim_reviews(tagged_store):
    store = tagged_store
    article_id, _ = store.insert_article(NewArticle(title="Clashes", text=TEXT, url="https://news.example/a",
                                                    published="2024-05-03T10:00:00"))
    claim = store.insert_annotation(article_id, store.tag_by_name("claim").id, 0, 32, TEXT[:32])
    s = TEXT.index("Colonel")
    source = store.insert_annotation(article_id, store.tag_by_name("source").id, s, s + 23, TEXT[s:s + 23])
    store.insert_link(claim.id, source.id, "source")
    set_verdict(store, annotation_id=claim.id, rating="mostly false", explanation="Nine, says the ministry.",
                evidence=["https://gov.example/report"], reviewer="Ana", date="2024-05-04")
    out = io.StringIO()
    assert export_to_stream(store, "claimreview", out) == 1
    (review,) = json.loads(out.getvalue())["@graph"]
    assert review["claimReviewed"] == TEXT[:32]
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "mostly false", "bestRating": 6,
                                      "worstRating": 1, "ratingValue": 3}
    assert review["itemReviewed"]["author"]["name"] == "Colonel Henrik Malmberg"
    assert review["itemReviewed"]["appearance"]["url"] == "https://news.example/a"
    assert review["itemReviewed"]["datePublished"] == "2024-05-03"
    assert (review["author"]["name"], review["datePublished"]) == ("Ana", "2024-05-04")
    assert review["url"].startswith("https://news.example/a#:~:text=At%20least")
    lines = io.StringIO()
    export_to_stream(store, "jsonl", lines)
    spans = json.loads(lines.getvalue())["spans"]
    assert [s.get("verdict", {}).get("rating") for s in spans] == ["mostly false", None]
    assert spans[0]["verdict"]["evidence"] == ["https://gov.example/report"]


def test_jsonl_verdicts_import_back_and_bad_ones_are_named(tagged_store, tmp_path):
    from annotator.services.exchange import apply_import, plan_import
    from annotator.services.verdicts import get_verdict
    from annotator.store import open_store

    store = tagged_store
    article_id, _ = store.insert_article(NewArticle(title="Clashes", text=TEXT))
    claim = store.insert_annotation(article_id, store.tag_by_name("claim").id, 0, 32, TEXT[:32])
    verdict = set_verdict(store, annotation_id=claim.id, rating="false", explanation="None died.",
                          evidence=["https://gov.example/r"], reviewer="Ben", date="2024-05-05").value
    path = tmp_path / "out.jsonl"
    with path.open("w", encoding="utf-8") as out:
        export_to_stream(store, "jsonl", out)
    other = open_store(tmp_path / "other.db")
    plan = plan_import(other, [path])
    assert not plan.errors and not plan.warnings
    apply_import(other, plan)
    (imported,) = other.list_annotations(other.article_ids()[0])
    assert get_verdict(other, imported.id) == dataclasses.replace(verdict, annotation_id=imported.id)
    record = json.loads(path.read_text(encoding="utf-8"))
    record["spans"][0]["verdict"] = {"rating": "pants on fire"}
    path.write_text(json.dumps(record), encoding="utf-8")
    warned = plan_import(open_store(tmp_path / "third.db"), [path])
    assert any("pants on fire" in w and "rating scale" in w for w in warned.warnings)
    record["spans"][0]["verdict"] = {"explanation": "no rating"}
    path.write_text(json.dumps(record), encoding="utf-8")
    bad = plan_import(open_store(tmp_path / "fourth.db"), [path])
    assert any("out.jsonl line 1, span 1" in e and "“verdict”" in e for e in bad.errors)


def test_w3c_carries_the_verdict_as_an_assessing_body_and_html_shows_it(tagged_store, tmp_path):
    from annotator.services.exchange import apply_import, plan_import
    from annotator.services.verdicts import get_verdict
    from annotator.store import open_store

    store = tagged_store
    article_id, _ = store.insert_article(NewArticle(title="Clashes", text=TEXT))
    claim = store.insert_annotation(article_id, store.tag_by_name("claim").id, 0, 32, TEXT[:32], note="check")
    verdict = set_verdict(store, annotation_id=claim.id, rating="mixed", explanation="Some <b>were</b>.",
                          evidence=["https://gov.example/r", "https://b.example/"],
                          reviewer="Ana", date="2024-05-06").value
    path = tmp_path / "out.jsonld"
    with path.open("w", encoding="utf-8") as out:
        export_to_stream(store, "w3c", out)
    bodies = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(bodies)
    assert '"purpose": "assessing"' in text and '"value": "mixed"' in text
    other = open_store(tmp_path / "other.db")
    plan = plan_import(other, [path])
    assert not plan.errors
    apply_import(other, plan)
    (imported,) = other.list_annotations(other.article_ids()[0])
    assert imported.note == "check"  # the verdict is not read as a note
    assert get_verdict(other, imported.id) == dataclasses.replace(verdict, annotation_id=imported.id)
    other.close()
    html = io.StringIO()
    export_to_stream(store, "html", html)
    assert "Verdict: mixed</b> (Ana, 2024-05-06): Some &lt;b&gt;were&lt;/b&gt;." in html.getvalue()
    assert '<a href="https://gov.example/r">' in html.getvalue()
