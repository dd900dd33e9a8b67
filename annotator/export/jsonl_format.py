"""JSON Lines export: one article per line with its full text and its spans.

Each line is an object with the article's metadata, ``text``, ``content_hash``
and ``spans`` (``start``/``end`` are code-point offsets, end exclusive, as
Python, spaCy and Prodigy count them). ``label`` repeats the spans as doccano's
``[start, end, label]`` triples; ``tags`` gives the colour and description of
every tag the line uses, so an import recreates them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from annotator.domain import Tag
from annotator.export.document import FORMAT_VERSION, Cancelled, ExportDocument, Progress, Ticker

FORMAT_NAME = "annotator-jsonl"


def article_record(doc: ExportDocument, tags: dict[int, Tag]) -> dict:
    """The JSON object written for one article."""
    a = doc.article
    links = doc.links_from()
    spans = []
    used: dict[int, Tag] = {}
    for n in doc.annotations:
        tag = tags[n.tag_id]
        used[tag.id] = tag
        spans.append({
            "id": n.id, "start": n.start, "end": n.end, "label": tag.name, "quote": n.quote,
            "note": n.note, "annotator": n.annotator, "created": n.created, "updated": n.updated,
            "value": n.value, "origin": n.origin,
            "links": [{"to": target, "kind": kind} for target, kind in links.get(n.id, ())],
        })
    return {
        "format": FORMAT_NAME, "version": FORMAT_VERSION,
        "id": a.id, "title": a.title, "outlet": a.outlet, "author": a.author, "url": a.url,
        "published": a.published, "status": a.status, "added": a.added,
        "content_hash": a.content_hash, "text": a.text, "spans": spans,
        "label": [[s["start"], s["end"], s["label"]] for s in spans],
        "tags": [{"name": t.name, "colour": t.colour, "description": t.description} for t in used.values()],
    }


def write_jsonl(
    docs: Iterable[ExportDocument],
    tags: dict[int, Tag],
    out: TextIO,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write one line per document to ``out``; returns the number of annotations."""
    ticker = Ticker(progress, cancelled)
    for doc in docs:
        out.write(json.dumps(article_record(doc, tags), ensure_ascii=False))
        out.write("\n")
        ticker.add(len(doc.annotations))
    ticker.check()
    return ticker.count
