"""What a reader produces: articles, tags and spans as one file states them."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.domain import Verdict
from pathlib import Path


class ImportFormatError(ValueError):
    """A file that cannot be read as the format it claims to be; the message names it."""


@dataclass
class SpanRecord:
    """One annotation as the file gives it.

    ``start``/``end`` are code-point offsets, or ``None`` when the file gives only
    the quote (with ``prefix``/``suffix``) and the span must be found in the text.
    ``ref`` identifies the span within its file, for ``links``: ``(ref, kind)`` pairs, or
    ``(ref, kind, cue)`` where the file gives the attribution's cue ("said").
    """

    where: str
    start: int | None
    end: int | None
    quote: str
    tag: str
    note: str = ""
    annotator: str = ""
    created: str = ""
    updated: str = ""
    value: str = ""
    origin: str = ""
    ref: str = ""
    links: list[tuple[str, ...]] = field(default_factory=list)
    prefix: str = ""
    suffix: str = ""
    # From a table a spreadsheet may have re-saved: a quote that differs from the
    # text at its offsets only as a spreadsheet reformats numbers is a warning.
    tabular: bool = False
    # Given by a quote selector: when the position does not read the quote, the
    # quote (with prefix and suffix) is followed instead.
    anchor: bool = False
    # A claim's verdict as the file gives it (jsonl): rating, explanation, evidence, reviewer, date.
    verdict: Verdict | None = None


@dataclass
class ArticleRecord:
    """An article as the file gives it; ``text`` is None when the file has no full text
    (our CSV, W3C annotations without embedded sources)."""

    where: str
    text: str | None
    title: str = ""
    outlet: str = ""
    author: str = ""
    url: str = ""
    published: str = ""
    status: str = ""
    content_hash: str = ""
    article_id: int | None = None
    spans: list[SpanRecord] = field(default_factory=list)
    memo: str = ""  # the analyst's memo on the article (REFI-QDA: a Note the source refers to)


@dataclass
class TagRecord:
    name: str
    colour: str = ""
    description: str = ""
    where: str = ""
    parent: str = ""  # the name of the tag (category) this one is nested in


@dataclass
class ParsedFile:
    path: Path
    format: str
    articles: list[ArticleRecord] = field(default_factory=list)
    tags: list[TagRecord] = field(default_factory=list)
    project_memo: str = ""  # REFI-QDA: the Project's Description
    # Problems that spoil part of the file (a bad line, a span without offsets);
    # the rest of the file is still read.
    errors: list[str] = field(default_factory=list)


def text_field(obj: dict, key: str, where: str) -> str:
    """``obj[key]`` as a string ('' when missing or null); anything else is an error."""
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ImportFormatError(f"{where}: “{key}” should be text, not {type(value).__name__}.")
    return value


def offset_field(obj: dict, key: str, where: str) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ImportFormatError(f"{where}: “{key}” should be a whole number, not {value!r}.")
    return value


def verdict_object(verdict: Verdict) -> dict:
    """A verdict as the JSON object the exports write:
    ``{"rating", "explanation", "evidence": [URL...], "reviewer", "date"}``."""
    return {"rating": verdict.rating, "explanation": verdict.explanation, "evidence": list(verdict.evidence),
            "reviewer": verdict.reviewer, "date": verdict.date}


def verdict_field(obj: object, where: str) -> Verdict | None:
    """The verdict a :func:`verdict_object` gives (None for null); anything else is an error."""
    if obj is None:
        return None
    if not isinstance(obj, dict) or not isinstance(obj.get("rating"), str) or not obj["rating"].strip():
        raise ImportFormatError(f"{where}: “verdict” should be an object with a “rating”, not {obj!r}.")
    evidence = obj.get("evidence") or []
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        raise ImportFormatError(f"{where}: the verdict's “evidence” should be a list of web addresses.")
    return Verdict(
        0, obj["rating"].strip(), text_field(obj, "explanation", where), tuple(evidence),
        text_field(obj, "reviewer", where), text_field(obj, "date", where),
    )
