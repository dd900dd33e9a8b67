"""brat standoff export: a ``.txt`` and ``.ann`` pair per article.

brat offsets are code points of the ``.txt`` (ours exactly). A span that crosses
a line break is written as brat's discontinuous fragments, one per line. Tag
names become brat types (ASCII letters, digits, ``_`` and ``-``); the original
names and colours are in ``visual.conf`` (labels and ``bgColor``) and, with the
exact notes, annotators and dates that brat cannot hold, in a ``.json`` file
beside each pair, which brat ignores and annotator's import reads. Notes are
``AnnotatorNotes``; links between annotations are relations.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable

from annotator.domain import Annotation, Tag
from annotator.export.document import FORMAT_VERSION, Cancelled, ExportDocument, Progress, Ticker, hex_colour

FORMAT_NAME = "annotator-brat"
Sink = Callable[[str, bytes], None]
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def brat_name(name: str, used: set[str]) -> str:
    """``name`` as a brat type: ASCII-safe, starting with a letter, not in ``used``
    (compared ignoring case); the result is added to ``used``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = _UNSAFE.sub("_", ascii_name).strip("_-") or "tag"
    if not base[0].isalpha():
        base = "T_" + base
    candidate, n = base, 2
    while candidate.lower() in used:
        candidate, n = f"{base}_{n}", n + 1
    used.add(candidate.lower())
    return candidate


def brat_names(names: Iterable[str]) -> dict[str, str]:
    """A distinct brat type for each name."""
    used: set[str] = set()
    return {name: brat_name(name, used) for name in names}


def one_line(text: str) -> str:
    return " ".join(text.split())


def fragments(text: str, n: Annotation) -> list[tuple[int, int]]:
    """``start:end`` cut at line breaks into the non-empty pieces brat can show
    (line breaks at either end are left out; the .json companion keeps the exact span)."""
    pieces, pos = [], n.start
    for line in n.quote.split("\n"):
        if line:
            pieces.append((pos, pos + len(line)))
        pos += len(line) + 1
    return pieces or [(n.start, n.end)]


def _confs(tags: dict[int, Tag], types: dict[str, str], kinds: dict[str, str]) -> tuple[str, str]:
    annotation = ["# Written by annotator. Types are tag names made safe for brat; see visual.conf.", "[entities]"]
    annotation += [types[t.name] for t in tags.values()]
    annotation += ["", "[relations]"]
    annotation += [f"{k}\tArg1:<ENTITY>, Arg2:<ENTITY>" for k in kinds.values()]
    annotation += ["", "[events]", "", "[attributes]", ""]
    visual = ["[labels]"]
    visual += [f"{types[t.name]} | {one_line(t.name).replace('|', '/')}" for t in tags.values()]
    visual += ["", "[drawing]"]
    visual += [f"{types[t.name]}\tbgColor:{hex_colour(t.colour)}" for t in tags.values()]
    return "\n".join(annotation) + "\n", "\n".join(visual) + "\n"


def write_brat(
    docs: Iterable[ExportDocument],
    tags: dict[int, Tag],
    put: Sink,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write ``annotation.conf``, ``visual.conf`` and per article ``article-ID.txt``,
    ``.ann`` and ``.json`` through ``put(name, bytes)``; returns the number of annotations."""
    ticker = Ticker(progress, cancelled)
    types = brat_names(t.name for t in tags.values())
    kinds: dict[str, str] = {}
    used_kinds: set[str] = set()
    for doc in docs:
        a = doc.article
        base = f"article-{a.id}"
        t_ids = {n.id: f"T{k}" for k, n in enumerate(doc.annotations, 1)}
        lines, spans, relations = [], {}, {}
        for k, n in enumerate(doc.annotations, 1):
            tag = tags[n.tag_id]
            frags = fragments(a.text, n)
            lines.append(
                f"T{k}\t{types[tag.name]} {';'.join(f'{s} {e}' for s, e in frags)}\t"
                + " ".join(a.text[s:e] for s, e in frags).replace("\n", " ")
            )
            if n.note:
                lines.append(f"#{k}\tAnnotatorNotes T{k}\t{one_line(n.note)}")
            spans[f"T{k}"] = {
                "id": n.id, "start": n.start, "end": n.end, "label": tag.name, "note": n.note, "annotator": n.annotator,
                "created": n.created, "updated": n.updated, "value": n.value, "origin": n.origin,
            }
        r = 0
        for source, target, kind in doc.links:
            if source in t_ids and target in t_ids:
                r += 1
                if kind not in kinds:
                    kinds[kind] = brat_name(kind, used_kinds)
                lines.append(f"R{r}\t{kinds[kind]} Arg1:{t_ids[source]} Arg2:{t_ids[target]}")
                relations[f"R{r}"] = kind
        used = {tags[n.tag_id].name: tags[n.tag_id] for n in doc.annotations}
        meta = {
            "format": FORMAT_NAME, "version": FORMAT_VERSION,
            "article": {
                "id": a.id, "title": a.title, "outlet": a.outlet, "author": a.author, "url": a.url,
                "published": a.published, "status": a.status, "content_hash": a.content_hash,
            },
            "tags": {
                types[name]: {"name": t.name, "colour": t.colour, "description": t.description}
                for name, t in used.items()
            },
            "spans": spans,
            "relations": relations,
        }
        put(f"{base}.txt", a.text.encode("utf-8"))
        put(f"{base}.ann", ("\n".join(lines) + "\n" if lines else "").encode("utf-8"))
        put(f"{base}.json", json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
        ticker.add(len(doc.annotations))
    annotation_conf, visual_conf = _confs(tags, types, kinds)
    put("annotation.conf", annotation_conf.encode("utf-8"))
    put("visual.conf", visual_conf.encode("utf-8"))
    ticker.check()
    return ticker.count
