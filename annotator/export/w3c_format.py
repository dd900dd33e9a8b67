"""W3C Web Annotation Data Model export (JSON-LD).

One ``AnnotationCollection`` whose page holds every annotation. Each annotation
targets its article (the article's URL, or ``urn:annotator:sha256:<hash>`` when
it has none) with a ``TextQuoteSelector`` (exact, prefix, suffix) and a
``TextPositionSelector`` (code points, end exclusive, as the model defines).
Bodies are ``TextualBody`` objects: the tag with purpose ``tagging``, the note
with purpose ``commenting``. The articles' texts, the tags' colours and the
values annotator keeps beyond the model travel in the ``ann:`` namespace, which
other tools ignore.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable
from typing import TextIO

from annotator import __version__
from annotator.domain import Annotation, Article, Tag, context
from annotator.export.document import (
    FORMAT_VERSION, Cancelled, ExportDocument, Progress, Ticker, source_iri,
)

CONTEXT = ["http://www.w3.org/ns/anno.jsonld", {"ann": "urn:annotator:terms:"}]
SELECTOR_CONTEXT_CHARS = 32


def annotation_iri(article: Article, annotation_id: int) -> str:
    return f"urn:annotator:sha256:{article.content_hash}:annotation:{annotation_id}"


def annotation_object(article: Article, n: Annotation, tag: Tag, links: list[tuple[int, str]]) -> dict:
    """The Web Annotation for ``n``."""
    prefix, suffix = context(article.text, n.start, n.end, SELECTOR_CONTEXT_CHARS)
    body = [{"type": "TextualBody", "purpose": "tagging", "value": tag.name}]
    if n.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": n.note, "format": "text/plain"})
    obj: dict = {
        "id": annotation_iri(article, n.id),
        "type": "Annotation",
        "motivation": "commenting" if n.note else "tagging",
        "created": n.created,
        "modified": n.updated,
        "body": body,
        "target": {
            "source": source_iri(article),
            "selector": [
                {"type": "TextQuoteSelector", "exact": n.quote, "prefix": prefix, "suffix": suffix},
                {"type": "TextPositionSelector", "start": n.start, "end": n.end},
            ],
        },
    }
    if n.annotator:
        obj["creator"] = {"type": "Person", "name": n.annotator}
    if n.value:
        obj["ann:value"] = n.value
    if n.origin:
        obj["ann:origin"] = n.origin
    if links:
        obj["ann:links"] = [{"ann:to": annotation_iri(article, to), "ann:kind": kind} for to, kind in links]
    return obj


def source_object(article: Article) -> dict:
    return {
        "id": source_iri(article), "type": "Text", "format": "text/plain",
        "ann:title": article.title, "ann:outlet": article.outlet, "ann:author": article.author,
        "ann:url": article.url, "ann:published": article.published, "ann:status": article.status,
        "ann:contentHash": article.content_hash, "ann:text": article.text,
    }


def write_w3c(
    docs: Iterable[ExportDocument],
    tags: dict[int, Tag],
    out: TextIO,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write the collection to ``out``, streaming one annotation at a time;
    returns the number of annotations."""
    ticker = Ticker(progress, cancelled)
    head = {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": "Annotations exported from annotator",
        "generator": {"id": "urn:annotator", "type": "Software", "name": f"annotator {__version__}"},
        "generated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "ann:formatVersion": FORMAT_VERSION,
        "ann:tags": [
            {"ann:name": t.name, "ann:colour": t.colour, "ann:description": t.description} for t in tags.values()
        ],
    }
    dump = json.dumps
    out.write(dump(head, ensure_ascii=False, indent=1)[:-2])
    out.write(',\n "ann:sources": [')
    sources: list[Article] = []
    first_item = True
    items = []
    for doc in docs:
        sources.append(doc.article)
        links = doc.links_from()
        for n in doc.annotations:
            items.append(dump(annotation_object(doc.article, n, tags[n.tag_id], links.get(n.id, [])), ensure_ascii=False))
        ticker.add(len(doc.annotations))
    # The sources come first so a reader streaming the file meets the texts before the targets.
    for i, article in enumerate(sources):
        out.write(("\n  " if i == 0 else ",\n  ") + dump(source_object(article), ensure_ascii=False))
    out.write(f'\n ],\n "total": {len(items)},\n "first": {{"type": "AnnotationPage", "startIndex": 0, "items": [')
    for item in items:
        out.write(("\n  " if first_item else ",\n  ") + item)
        first_item = False
    out.write("\n ]}\n}\n")
    ticker.check()
    return ticker.count
