"""ClaimReview JSON-LD export, and verdicts in the jsonl export."""

from __future__ import annotations

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
