"""schema.org ClaimReview JSON-LD: every claim with a verdict, as fact-checkers publish
them and search engines read them (writer only).

``reviewRating.ratingValue`` is the rating's place on the desk's scale counted from
the worst (1) to the best (``bestRating``); ``alternateName`` is the rating's name.
A rating that says the claim could not be judged ("unverifiable") is on no truth
scale: it has its name and no value, and the scale's best counts the others only
(else a reader takes "unverifiable" for worse than "false").
The claim's author is its linked source; its appearance is the article.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TextIO
from urllib.parse import quote

from annotator.domain import VERDICT_SCALE, Tag
from annotator.formats.document import Cancelled, ExportDocument, Progress, Ticker, rating_value, source_iri


UNGRADED = frozenset({"unverifiable", "not verifiable", "unproven", "cannot be verified", "no evidence"})


def claim_reviews(doc: ExportDocument, scale: Sequence[str] = VERDICT_SCALE) -> list[dict]:
    """The ClaimReview objects of one article's claims that have a verdict."""
    scale = [r for r in scale if r.casefold() not in UNGRADED]
    a = doc.article
    by_id = {n.id: n for n in doc.annotations}
    links = doc.links_from()
    out = []
    for n in doc.annotations:
        verdict = doc.verdicts.get(n.id)
        if verdict is None:
            continue
        rating = {"@type": "Rating", "alternateName": verdict.rating, "bestRating": len(scale), "worstRating": 1}
        if (value := rating_value(verdict.rating, scale)) is not None:
            rating["ratingValue"] = value
        claim: dict = {
            "@type": "Claim",
            "appearance": {"@type": "CreativeWork", "url": source_iri(a), "headline": a.title},
        }
        if a.published:
            claim["datePublished"] = a.published[:10]
        sources = [by_id[target].quote for target, kind in links.get(n.id, ()) if kind == "source" and target in by_id]
        if sources:
            claim["author"] = {"@type": "Thing", "name": sources[0]}
        review = {
            "@type": "ClaimReview",
            "claimReviewed": n.quote,
            "reviewRating": rating,
            "itemReviewed": claim,
            "author": {"@type": "Person", "name": verdict.reviewer or n.annotator or "unknown"},
            "datePublished": verdict.date,
            # The review's page: the claim in its article, as a text fragment.
            "url": f"{source_iri(a)}#:~:text={quote(n.quote[:300], safe='')}",
        }
        if verdict.explanation:
            review["reviewBody"] = verdict.explanation
        if verdict.evidence:
            review["citation"] = [{"@type": "CreativeWork", "url": url} for url in verdict.evidence]
        out.append(review)
    return out


def write_claimreview(
    docs: Iterable[ExportDocument],
    tags: dict[int, Tag],
    out: TextIO,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    scale: Sequence[str] = VERDICT_SCALE,
) -> int:
    """Write one JSON-LD document with every reviewed claim; returns how many."""
    ticker = Ticker(progress, cancelled)
    reviews: list[dict] = []
    for doc in docs:
        found = claim_reviews(doc, scale)
        reviews += found
        ticker.add(len(found))
    ticker.check()
    json.dump({"@context": "https://schema.org", "@graph": reviews}, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(reviews)
