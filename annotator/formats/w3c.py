"""W3C Web Annotation Data Model export (JSON-LD).

One ``AnnotationCollection`` whose page holds every annotation. Each annotation
targets its article (the article's URL, or ``urn:annotator:sha256:<hash>`` when
it has none) with a ``TextQuoteSelector`` (exact, prefix, suffix) and a
``TextPositionSelector`` (code points, end exclusive, as the model defines).
Bodies are ``TextualBody`` objects: the tag with purpose ``tagging``, the note
with purpose ``commenting``. The articles' texts, the tags' colours and the
values annotator keeps beyond the model travel in the ``ann:`` namespace, which
other tools ignore.

Reading: Read W3C Web Annotations (JSON-LD): annotator's own export and other tools'.

Accepts an ``AnnotationCollection`` (with its first page embedded), an
``AnnotationPage``, a list of annotations or a single annotation. Pages that are
only linked are not fetched. Spans come from a ``TextPositionSelector`` when
there is one (checked against the ``TextQuoteSelector``), otherwise from the
quote and its prefix and suffix. Texts come from annotator's ``ann:sources``;
annotations on other sources are matched to articles in the database.
"""

from __future__ import annotations

import datetime as _dt
import json
import uuid
from collections.abc import Iterable
from typing import TextIO
from pathlib import Path

from annotator import __version__
from annotator.domain import Annotation, Article, Tag, Verdict, context
from annotator.formats.document import (
    FORMAT_VERSION, Cancelled, ExportDocument, Progress, Ticker, source_iri,
)
from annotator.formats.records import ArticleRecord, ImportFormatError, ParsedFile, SpanRecord, TagRecord
from annotator.formats.safety import decode_text, load_json, read_bytes


# ``ann:to`` names another annotation: an IRI, not a string.
CONTEXT = ["http://www.w3.org/ns/anno.jsonld", {"ann": "urn:annotator:terms:", "ann:to": {"@type": "@id"}}]
SELECTOR_CONTEXT_CHARS = 32


def annotation_iri(article: Article, annotation_id: int) -> str:
    return f"urn:annotator:sha256:{article.content_hash}:annotation:{annotation_id}"


def annotation_object(
    article: Article, n: Annotation, tag: Tag, links: list[tuple[int, str]], verdict: Verdict | None = None,
) -> dict:
    """The Web Annotation for ``n``; a claim's verdict is a body with purpose ``assessing``."""
    prefix, suffix = context(article.text, n.start, n.end, SELECTOR_CONTEXT_CHARS)
    body = [{"type": "TextualBody", "purpose": "tagging", "value": tag.name}]
    if n.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": n.note, "format": "text/plain"})
    if verdict is not None:
        body.append({
            "type": "TextualBody", "purpose": "assessing", "value": verdict.rating,
            "ann:explanation": verdict.explanation, "ann:evidence": list(verdict.evidence),
            "ann:reviewer": verdict.reviewer, "ann:date": verdict.date,
        })
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
    generated = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    collection = f"urn:uuid:{uuid.uuid4()}"
    head = {
        "@context": CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": "Annotations exported from annotator",
        "generator": {"id": "urn:annotator", "type": "Software", "name": f"annotator {__version__}"},
        "generated": generated,
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
            items.append(dump(
                annotation_object(doc.article, n, tags[n.tag_id], links.get(n.id, []), doc.verdicts.get(n.id)),
                ensure_ascii=False,
            ))
        ticker.add(len(doc.annotations))
    # The sources come first so a reader streaming the file meets the texts before the targets.
    for i, article in enumerate(sources):
        out.write(("\n  " if i == 0 else ",\n  ") + dump(source_object(article), ensure_ascii=False))
    page = json.dumps(f"urn:uuid:{uuid.uuid5(uuid.UUID(collection[9:]), 'page 1')}")
    out.write(f'\n ],\n "total": {len(items)},\n "first": {{"id": {page}, "type": "AnnotationPage", "partOf": {json.dumps(collection)},'
              ' "startIndex": 0, "items": [')
    for item in items:
        out.write(("\n  " if first_item else ",\n  ") + item)
        first_item = False
    out.write("\n ]}\n}\n")
    ticker.check()
    return ticker.count


SHA_URN = "urn:annotator:sha256:"


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(obj: dict, key: str) -> str:
    value = obj.get(key, "")
    return value if isinstance(value, str) else "" if value is None else str(value)


def _items(doc: object, name: str) -> list:
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict):
        raise ImportFormatError(f"{name} holds no Web Annotations (found {type(doc).__name__}).")
    kinds = set(_as_list(doc.get("type")))
    if "AnnotationCollection" in kinds:
        first = doc.get("first")
        if first is None:
            return []
        if not isinstance(first, dict):
            raise ImportFormatError(
                f"{name}: the collection only links to its pages ({first!r}); pages are not fetched."
                " Export the annotations with their pages embedded."
            )
        items = list(_as_list(first.get("items")))
        if first.get("next") is not None:
            raise ImportFormatError(f"{name}: the collection has further pages that are only linked; they are not fetched.")
        return items
    if "AnnotationPage" in kinds:
        return list(_as_list(doc.get("items")))
    if "Annotation" in kinds:
        return [doc]
    raise ImportFormatError(f"{name} holds no Web Annotations (no Annotation, AnnotationPage or AnnotationCollection).")


def _selectors(target: dict) -> tuple[dict | None, dict | None]:
    quote = position = None
    for sel in _as_list(target.get("selector")):
        if not isinstance(sel, dict):
            continue
        kinds = _as_list(sel.get("type"))
        if "TextQuoteSelector" in kinds and quote is None:
            quote = sel
        elif "TextPositionSelector" in kinds and position is None:
            position = sel
    return quote, position


def _source_id(target: object) -> str:
    if isinstance(target, str):
        return target
    if isinstance(target, dict):
        source = target.get("source")
        if isinstance(source, dict):
            source = source.get("id") or source.get("@id")
        return source if isinstance(source, str) else ""
    return ""


def read_w3c(path: Path) -> ParsedFile:
    parsed = ParsedFile(path, "w3c")
    doc = load_json(decode_text(read_bytes(path), path.name), path.name)
    items = _items(doc, path.name)
    articles: dict[str, ArticleRecord] = {}
    if isinstance(doc, dict):
        for raw in _as_list(doc.get("ann:tags")):
            if isinstance(raw, dict) and isinstance(raw.get("ann:name"), str):
                parsed.tags.append(TagRecord(raw["ann:name"], _text(raw, "ann:colour"), _text(raw, "ann:description"), path.name))
        for i, raw in enumerate(_as_list(doc.get("ann:sources")), 1):
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
                parsed.errors.append(f"{path.name}: source {i} has no id; ignored.")
                continue
            text = raw.get("ann:text")
            articles[raw["id"]] = ArticleRecord(
                where=f"{path.name} source {i}", text=text if isinstance(text, str) else None,
                title=_text(raw, "ann:title"), outlet=_text(raw, "ann:outlet"), author=_text(raw, "ann:author"),
                url=_text(raw, "ann:url"), published=_text(raw, "ann:published"), status=_text(raw, "ann:status"),
                content_hash=_text(raw, "ann:contentHash"),
            )
    for i, item in enumerate(items, 1):
        where = f"{path.name} annotation {i}"
        if not isinstance(item, dict):
            parsed.errors.append(f"{where}: not an annotation object.")
            continue
        targets = _as_list(item.get("target"))
        if not targets:
            parsed.errors.append(f"{where}: has no target.")
            continue
        target = targets[0]
        source = _source_id(target)
        quote_sel, position_sel = _selectors(target if isinstance(target, dict) else {})
        if not source or quote_sel is None and position_sel is None:
            parsed.errors.append(f"{where}: its target selects no text (a TextQuoteSelector or TextPositionSelector is needed).")
            continue
        record = articles.get(source)
        if record is None:
            record = ArticleRecord(
                where=f"{path.name} source {source}", text=None,
                url=source if source.startswith(("http://", "https://")) else "",
                content_hash=source[len(SHA_URN):] if source.startswith(SHA_URN) else "",
            )
            articles[source] = record
        start = end = None
        if position_sel is not None:
            start, end = position_sel.get("start"), position_sel.get("end")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
                parsed.errors.append(f"{where}: the TextPositionSelector's start and end are not whole numbers.")
                continue
        exact = _text(quote_sel, "exact") if quote_sel else ""
        if quote_sel is None and record.text is not None and 0 <= start < end <= len(record.text):
            exact = record.text[start:end]
        tags, notes, verdict = [], [], None
        for body in _as_list(item.get("body")):
            if isinstance(body, dict) and isinstance(body.get("value"), str):
                purposes = _as_list(body.get("purpose"))
                if "assessing" in purposes:
                    evidence = [e for e in _as_list(body.get("ann:evidence")) if isinstance(e, str)]
                    verdict = Verdict(0, body["value"], _text(body, "ann:explanation"), tuple(evidence),
                                      _text(body, "ann:reviewer"), _text(body, "ann:date"))
                    continue
                (tags if "tagging" in purposes else notes).append(body["value"])
        creator = item.get("creator")
        if isinstance(creator, list):
            creator = creator[0] if creator else None
        annotator = (creator.get("name") or creator.get("nickname") or "") if isinstance(creator, dict) else ""
        links = [
            (link.get("ann:to"), link.get("ann:kind") or "source")
            for link in _as_list(item.get("ann:links")) if isinstance(link, dict) and isinstance(link.get("ann:to"), str)
        ]
        for n, tag in enumerate(tags or ["untagged"]):
            record.spans.append(SpanRecord(
                where=where, start=start, end=end, quote=exact, tag=tag, note="\n\n".join(notes),
                annotator=annotator if isinstance(annotator, str) else "",
                created=_text(item, "created"), updated=_text(item, "modified"),
                value=_text(item, "ann:value"), origin=_text(item, "ann:origin"),
                ref=_text(item, "id") if n == 0 else "", links=links if n == 0 else [],
                prefix=_text(quote_sel, "prefix") if quote_sel else "",
                suffix=_text(quote_sel, "suffix") if quote_sel else "",
                anchor=quote_sel is not None, verdict=verdict,
            ))
    parsed.articles = list(articles.values())
    return parsed
