"""JSON Lines export: one article per line with its full text and its spans.

Each line is an object with the article's metadata, ``text``, ``content_hash``
and ``spans`` (``start``/``end`` are code-point offsets, end exclusive, as
Python, spaCy and Prodigy count them). ``label`` repeats the spans as doccano's
``[start, end, label]`` triples; ``tags`` gives the colour and description of
every tag the line uses, so an import recreates them. A span's ``links`` are
``{"to": id, "kind": "source", "cue"?: "said"}``: ``cue`` is the attribution's cue of a
claim–source link, where it has one, and is read back on import.

Reading: Read JSON Lines: annotator's own export, doccano and spaCy/Prodigy-style files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO
from pathlib import Path

from annotator.domain import Tag
from annotator.formats.document import FORMAT_VERSION, Cancelled, ExportDocument, Progress, Ticker
from annotator.formats.records import (
    ArticleRecord, ImportFormatError, ParsedFile, SpanRecord, TagRecord, offset_field, text_field, verdict_field,
    verdict_object,
)
from annotator.formats.safety import load_json, read_bytes


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
            "links": [
                {"to": target, "kind": kind} | ({"cue": cue} if (cue := doc.cues.get((n.id, target, kind))) else {})
                for target, kind in links.get(n.id, ())
            ],
        })
        verdict = doc.verdicts.get(n.id)
        if verdict is not None:
            spans[-1]["verdict"] = verdict_object(verdict)
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


def _span(obj: object, text: str, where: str) -> SpanRecord:
    if isinstance(obj, list):  # doccano: [start, end, label]
        if len(obj) != 3:
            raise ImportFormatError(f"{where}: a label should be [start, end, label], not {obj!r}.")
        obj = {"start": obj[0], "end": obj[1], "label": obj[2]}
    if not isinstance(obj, dict):
        raise ImportFormatError(f"{where}: a span should be an object, not {type(obj).__name__}.")
    # doccano's newer entity objects name their offsets start_offset/end_offset.
    start = offset_field(obj, "start" if "start" in obj else "start_offset", where)
    end = offset_field(obj, "end" if "end" in obj else "end_offset", where)
    label = text_field(obj, "label", where)
    if not label:
        raise ImportFormatError(f"{where}: the span has no label.")
    quote = text_field(obj, "quote", where) if "quote" in obj else text[start:end] if 0 <= start < end else ""
    links = []
    for link in obj.get("links") or []:
        if not isinstance(link, dict) or "to" not in link:
            raise ImportFormatError(f"{where}: a link should be {{\"to\": id, \"kind\": ...}}, not {link!r}.")
        cue = text_field(link, "cue", where)
        links.append((str(link["to"]), text_field(link, "kind", where) or "source", *((cue,) if cue else ())))
    return SpanRecord(
        verdict=verdict_field(obj.get("verdict"), where),
        where=where, start=start, end=end, quote=quote, tag=label,
        note=text_field(obj, "note", where), annotator=text_field(obj, "annotator", where),
        created=text_field(obj, "created", where), updated=text_field(obj, "updated", where),
        value=text_field(obj, "value", where), origin=text_field(obj, "origin", where),
        ref=str(obj.get("id", "")), links=links,
    )


def _article(obj: dict, where: str, tags: list[TagRecord]) -> ArticleRecord:
    text = obj.get("text")
    if not isinstance(text, str):
        raise ImportFormatError(f"{where}: the line has no “text”.")
    if "spans" in obj:
        raw_spans = obj["spans"]
    elif "entities" in obj:
        raw_spans = obj["entities"]
    else:
        raw_spans = obj.get("label") or []
    if not isinstance(raw_spans, list):
        raise ImportFormatError(f"{where}: “spans” should be a list.")
    article_id = obj.get("id")
    record = ArticleRecord(
        where=where, text=text,
        title=text_field(obj, "title", where), outlet=text_field(obj, "outlet", where),
        author=text_field(obj, "author", where), url=text_field(obj, "url", where),
        published=text_field(obj, "published", where), status=text_field(obj, "status", where),
        content_hash=text_field(obj, "content_hash", where),
        article_id=article_id if isinstance(article_id, int) and not isinstance(article_id, bool) else None,
    )
    for i, raw in enumerate(raw_spans, 1):
        record.spans.append(_span(raw, text, f"{where}, span {i}"))
    for raw in obj.get("tags") or []:
        if isinstance(raw, dict) and isinstance(raw.get("name"), str):
            tags.append(TagRecord(
                raw["name"], text_field(raw, "colour", where), text_field(raw, "description", where), where,
            ))
    return record


def read_jsonl(path: Path) -> ParsedFile:
    """Every line is one article; a bad line is reported and the others are read."""
    parsed = ParsedFile(path, "jsonl")
    data = read_bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for lineno, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        where = f"{path.name} line {lineno}"
        try:
            obj = load_json(raw, where)
        except ImportFormatError as error:
            parsed.errors.append(str(error))
            continue
        if not isinstance(obj, dict):
            parsed.errors.append(f"{where}: expected a JSON object per line, found {type(obj).__name__}.")
            continue
        try:
            parsed.articles.append(_article(obj, where, parsed.tags))
        except ImportFormatError as error:
            parsed.errors.append(str(error))
        except (TypeError, AttributeError, KeyError) as error:  # "links": 5, "tags": 7 and the like
            parsed.errors.append(f"{where}: a field has the wrong kind of value ({type(error).__name__}: {error}).")
    return parsed
