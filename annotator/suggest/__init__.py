"""Pre-annotation: figures, sources and claims proposed for the analyst to accept or reject.

Everything here is pure and Qt-free: :func:`suggest` takes a text and returns
:class:`SuggestedSpan` objects whose offsets index that exact text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from annotator.suggest import claims as _claims
from annotator.suggest import figures as _figures
from annotator.suggest import sources as _sources
from annotator.suggest.base import SUGGESTER_VERSION, TAGS, SuggestedSpan
from annotator.suggest.sentences import split_sentences

__all__ = ["SUGGESTER_VERSION", "TAGS", "SuggestedSpan", "suggest", "split_sentences"]


def suggest(text: str, tags: Iterable[str] = TAGS) -> list[SuggestedSpan]:
    """Suggest figures, sources and claims in ``text``, sorted by ``(start, end)``.

    ``tags`` selects which kinds to return. Claims are linked to their source
    through ``source_index`` (an index into the returned list), pronoun
    sources to the source they stand for through ``refers_to`` in ``value``.
    Unknown tags raise ``ValueError``.
    """
    wanted = set(tags)
    unknown = wanted - set(TAGS)
    if unknown:
        raise ValueError(f"unknown suggestion tag(s): {', '.join(sorted(unknown))}")
    if not text or not wanted:
        return []
    figures = _figures.find_figures(text) if wanted & {"figure", "claim"} else []
    sentences = split_sentences(text) if wanted & {"source", "claim"} else []
    sources = _sources.find_sources(text, sentences) if wanted & {"source", "claim"} else []
    claims = (
        _claims.find_claims(text, sentences, sources, [(f.start, f.end) for f in figures])
        if "claim" in wanted
        else []
    )

    # Build records with provisional links (by object), then sort and resolve indices.
    items: list[tuple[str, int, int, float, dict | str, object, object]] = []
    if "figure" in wanted:
        for f in figures:
            items.append(("figure", f.start, f.end, f.score, f.value_json(), f, None))
    if "source" in wanted:
        for s in sources:
            items.append(("source", s.start, s.end, s.score, {"kind": s.kind}, s, None))
    for c in claims:
        linked = sources[c.source] if c.source is not None and "source" in wanted else None
        items.append(("claim", c.start, c.end, c.score, {"kind": c.kind}, c, linked))
    items = [it for it in items if 0 <= it[1] < it[2] <= len(text)]
    items.sort(key=lambda it: (it[1], it[2], TAGS.index(it[0])))
    index_of = {id(it[5]): i for i, it in enumerate(items)}

    out: list[SuggestedSpan] = []
    for tag, start, end, score, value, obj, linked in items:
        if tag == "source":
            assert isinstance(value, dict) and isinstance(obj, _sources.Source)
            if obj.refers_to is not None:
                ref = sources[obj.refers_to]
                value["refers_to"] = index_of[id(ref)]
                value["refers_to_quote"] = text[ref.start : ref.end]
        if isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        out.append(
            SuggestedSpan(
                tag=tag,
                start=start,
                end=end,
                quote=text[start:end],
                score=float(score),
                value=value,
                suggester={"figure": _figures.SUGGESTER, "source": _sources.SUGGESTER, "claim": _claims.SUGGESTER}[tag],
                source_index=index_of.get(id(linked)) if linked is not None else None,
            )
        )
    return out
