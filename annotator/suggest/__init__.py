"""Pre-annotation: figures, sources and claims proposed for the analyst to accept or reject.

Everything here is pure, rule-based and Qt-free: :func:`suggest` takes a text and
returns :class:`SuggestedSpan` objects whose offsets index that exact text
(``text[start:end] == quote``), sorted by ``(start, end)``.

``value`` is compact JSON:

* figure: ``{"value", "unit"?, "noun"?, "qualifier"?, "kind"?}``; ``value`` is normalised
  ("5000", "0.333", "1200000", "-3%", "10..20" for a range); ``unit`` is a
  currency code, "%", a measurement unit, "times" or "magnitude"; ``noun`` the
  counted noun ("alleged members"); ``qualifier`` e.g. "at least", "some", or "vague"
  for "dozens", "hundreds", "tens of thousands", whose ``value`` is a range ("24..119").
  ``kind`` "date" marks a calendar expression (date, clock time, "last week",
  "every year"), proposed with a low score; its ``value`` is ISO 8601 where the
  text determines it ("2021-03-07", "--03-07", "2021-03", "18:30", "1960s"),
  the weekday's name, or the expression in lower case ("last month").
* source: ``{"kind", "refers_to"?, "refers_to_quote"?}``; ``kind`` is named,
  organisation, anonymous or pronoun; a pronoun refers to the index (in the
  returned list) of the source it stands for.
* claim: ``{"kind"}``: quote (content of a direct quotation), reported (the
  clause of reported speech) or fact (a sentence asserting something checkable);
  ``source_index`` links it to its source suggestion.

A source and a quoted or reported claim carry the attribution's ``cue`` ("said",
"according to", "warned"), so the analyst sees why the pair was proposed.

``score`` (0..1) orders suggestions by confidence. The annotation conventions
the rules follow are written down in ``tests/suggest/fixtures/README.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from annotator.suggest import claims as _claims
from annotator.suggest import figures as _figures
from annotator.suggest import sources as _sources
from annotator.suggest import tagger as _tagger
from annotator.suggest.base import SUGGESTER_VERSION, TAGS, SuggestedSpan
from annotator.suggest.sentences import split_sentences

__all__ = ["SUGGESTER_VERSION", "TAGS", "SuggestedSpan", "suggest", "split_sentences"]


def suggest(text: str, tags: Iterable[str] = TAGS, *, model: bool = True) -> list[SuggestedSpan]:
    """Suggest figures, sources and claims in ``text``, sorted by ``(start, end)``.

    ``tags`` selects which kinds to return. Claims are linked to their source
    through ``source_index`` (an index into the returned list), pronoun
    sources to the source they stand for through ``refers_to`` in ``value``.
    Unknown tags raise ``ValueError``. With ``model`` (the default) the trained
    attribution tagger (:mod:`annotator.suggest.tagger`) adds the sources and
    attributed claims the rules missed; ``model=False`` gives the rules alone.
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
        # A date alone does not make a sentence checkable: claims count quantities only.
        _claims.find_claims(text, sentences, sources, [(f.start, f.end) for f in figures if not f.kind])
        if "claim" in wanted
        else []
    )
    if model and sentences:
        _tagger.merge(text, _tagger.tag(text), sources, claims if "claim" in wanted else [], sentences)

    # Records (tag rank, start, end, score, value, object, linked source object), sorted,
    # then links resolved to indices of the sorted list.
    items: list[tuple[int, int, int, float, str, object, object]] = []
    if "figure" in wanted:
        items += [(0, f.start, f.end, f.score, f.value_json(), f, None) for f in figures]
    if "source" in wanted:
        items += [(1, s.start, s.end, s.score, "", s, None) for s in sources]
    link = "source" in wanted
    for c in claims:
        linked = sources[c.source] if link and c.source is not None else None
        items.append((2, c.start, c.end, c.score, _CLAIM_VALUES[c.kind], c, linked))
    items.sort(key=_item_key)
    index_of = {id(it[5]): i for i, it in enumerate(items)}

    out: list[SuggestedSpan] = []
    for rank, start, end, score, value, obj, linked in items:
        cue = ""
        if rank == 1:
            value = _source_value(text, obj, sources, index_of)  # type: ignore[arg-type]
            cue = obj.cue  # type: ignore[attr-defined]
        elif rank == 2 and obj.source is not None and obj.kind != "fact":  # type: ignore[attr-defined]
            cue = sources[obj.source].cue  # type: ignore[attr-defined]
        out.append(
            _span(
                TAGS[rank],
                start,
                end,
                text[start:end],
                float(score),
                value,
                _SUGGESTERS[rank],
                index_of[id(linked)] if linked is not None else None,
                cue,
            )
        )
    return out


def _span(
    tag: str, start: int, end: int, quote: str, score: float, value: str, suggester: str, source_index: int | None,
    cue: str,
) -> SuggestedSpan:
    """A SuggestedSpan built without the frozen dataclass's ``__init__``, which sets each
    field through ``object.__setattr__`` and costs more than finding most figures."""
    span = object.__new__(SuggestedSpan)
    span.__dict__.update(
        tag=tag, start=start, end=end, quote=quote, score=score, value=value, suggester=suggester,
        version=SUGGESTER_VERSION, source_index=source_index, cue=cue,
    )
    return span


_SUGGESTERS = (_figures.SUGGESTER, _sources.SUGGESTER, _claims.SUGGESTER)
_CLAIM_VALUES = {kind: json.dumps({"kind": kind}, separators=(",", ":")) for kind in ("quote", "reported", "fact")}


def _item_key(item: tuple) -> tuple[int, int, int]:
    return item[1], item[2], item[0]


def _source_value(text: str, src: _sources.Source, sources: list[_sources.Source], index_of: dict[int, int]) -> str:
    """``{"kind", "refers_to"?, "refers_to_quote"?}`` for a source suggestion (compact JSON,
    written by hand: json.dumps costs more than finding the source)."""
    kind = _SOURCE_KINDS.get(src.kind) or f'{{"kind":{_json_str(src.kind)}'
    if src.refers_to is None:
        return kind + "}"
    ref = sources[src.refers_to]
    return f'{kind},"refers_to":{index_of[id(ref)]},"refers_to_quote":{_json_str(text[ref.start : ref.end])}}}'


_json_str = json.encoder.encode_basestring  # type: ignore[attr-defined]
_SOURCE_KINDS = {k: f'{{"kind":"{k}"' for k in ("named", "organisation", "anonymous", "pronoun")}
