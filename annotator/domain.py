"""Domain objects and pure functions: articles, tags, annotations and offsets.

Offsets everywhere in annotator are Python ``str`` indices (Unicode code
points), end exclusive, so that ``article.text[start:end] == quote`` holds.
Qt counts UTF-16 code units; :class:`Utf16Map` is the one place that converts.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

STATUSES = ("to do", "in progress", "done")
CONTEXT_CHARS = 40


@dataclass(frozen=True)
class Article:
    id: int
    title: str
    text: str
    outlet: str = ""
    author: str = ""
    url: str = ""
    published: str = ""
    content_hash: str = ""
    added: str = ""
    status: str = "to do"


@dataclass(frozen=True)
class ArticleSummary:
    """A row of the article list: everything but the text."""

    id: int
    title: str
    outlet: str
    status: str
    annotation_count: int
    added: str = ""
    author: str = ""
    url: str = ""
    published: str = ""


@dataclass(frozen=True)
class Tag:
    id: int
    name: str
    colour: str
    shortcut: str = ""
    description: str = ""   # the tag's memo: what it means, with examples
    parent_id: int | None = None  # the category it sits under, if any


# Annotations and suggestions are built by the ten thousand when an article opens;
# plain slotted dataclasses construct twice as fast as frozen ones. Treat them as
# values all the same: change one with dataclasses.replace, never in place.
@dataclass(slots=True)
class Annotation:
    id: int
    article_id: int
    tag_id: int
    start: int
    end: int
    quote: str
    note: str = ""
    annotator: str = ""
    created: str = ""
    updated: str = ""
    value: str = ""
    origin: str = ""


@dataclass(slots=True)
class Suggestion:
    """A proposed annotation that the analyst has not yet accepted or rejected."""

    id: int
    article_id: int
    tag_id: int
    start: int
    end: int
    quote: str
    score: float = 0.0
    value: str = ""
    suggester: str = ""
    suggester_version: str = ""
    source_suggestion_id: int | None = None
    status: str = "pending"
    cue: str = ""  # the attribution's cue ("said", "according to") for sources and attributed claims


# The rating scale a desk starts with, best first; the last one means "cannot be rated".
VERDICT_SCALE = ("true", "mostly true", "mixed", "mostly false", "false", "unverifiable")


@dataclass(frozen=True)
class Verdict:
    """A fact-checker's verdict on a claim annotation."""

    annotation_id: int
    rating: str
    explanation: str = ""
    evidence: tuple[str, ...] = ()
    reviewer: str = ""
    date: str = ""  # ISO date of the review


@dataclass
class NewArticle:
    """An article as it comes out of intake, before it has an id."""

    title: str
    text: str
    outlet: str = ""
    author: str = ""
    url: str = ""
    published: str = ""
    source_path: str = ""
    source_format: str = ""
    removed_lines: list[str] = field(default_factory=list)
    original_name: str = ""
    original_bytes: bytes | None = None


class SpanError(ValueError):
    """A span that does not fit the text it claims to index."""


# ---------------------------------------------------------------------------
# Text normalisation (done once, at import; never after annotations exist)

_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x85|\x0b|\x0c")


def codebook_order(tags: Sequence[Tag]) -> list[tuple[Tag, int]]:
    """Tags with their depth, each category followed by its sub-tags (the order of
    ``tags`` kept among siblings). A parent that is missing, or a loop, makes a top-level tag."""
    known = {t.id for t in tags}
    children: dict[int | None, list[Tag]] = {}
    for t in tags:
        children.setdefault(t.parent_id if t.parent_id in known else None, []).append(t)
    ordered: list[tuple[Tag, int]] = []
    placed: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for t in children.get(parent, []):
            if t.id not in placed:
                placed.add(t.id)
                ordered.append((t, depth))
                walk(t.id, depth + 1)

    walk(None, 0)
    for t in tags:  # in a loop of categories: shown, at the top level
        if t.id not in placed:
            placed.add(t.id)
            ordered.append((t, 0))
            walk(t.id, 1)
    return ordered


def normalise_text(text: str) -> str:
    """Return ``text`` with every line ending turned into ``\\n``.

    Qt treats CR, U+2028 and U+2029 as block or line separators of its own;
    folding them to ``\\n`` at import keeps Qt blocks and Python lines aligned.
    A leading byte-order mark and NUL characters are dropped.
    """
    text = text.lstrip("\ufeff").replace("\x00", "")
    return _LINE_BREAKS.sub("\n", text)


def content_hash(text: str) -> str:
    """Hash of the text with whitespace collapsed: equal for the same article."""
    collapsed = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(collapsed.encode("utf-8")).hexdigest()


def title_from_text(text: str, fallback: str = "Untitled", limit: int = 120) -> str:
    """First non-empty line of ``text`` as a title. A long line (a lede, not a
    headline) gives its first sentence when that is short enough, else its words
    up to ``limit`` characters: never a word cut in the middle."""
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if len(line) <= limit:
            return line
        sentence = re.match(r".{20,}?[.!?](?=\s)", line[: limit + 1])
        if sentence:
            return sentence.group(0)
        cut = line[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–— ")
        return cut + "…"
    return fallback


# ---------------------------------------------------------------------------
# Spans


def check_span(text: str, start: int, end: int, quote: str | None = None) -> None:
    """Raise :class:`SpanError` unless ``start:end`` is a non-empty span of ``text``
    (and, when given, covers exactly ``quote``)."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise SpanError(f"offsets must be integers, got {start!r}, {end!r}")
    if not 0 <= start < end <= len(text):
        raise SpanError(f"span {start}-{end} is outside the text (length {len(text)})")
    if quote is not None and text[start:end] != quote:
        raise SpanError(
            f"span {start}-{end} reads {text[start:end][:60]!r}, not {quote[:60]!r}"
        )


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``start:end`` so that it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_word_char(ch: str) -> bool:
    # Combining marks and joiners belong to the word they attach to.
    return ch.isalnum() or ch in "_'’\u200d" or unicodedata.category(ch).startswith("M")


def extend_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``start:end`` to whole words, then trim surrounding whitespace."""
    start, end = trim_span(text, start, end)
    if start >= end:
        return start, end
    while start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        start -= 1
    while end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
        end += 1
    return start, end


def context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, str]:
    """Up to ``width`` characters either side of a span, for exports and reviews."""
    return text[max(0, start - width) : start], text[end : end + width]


# ---------------------------------------------------------------------------
# Offsets: Python code points <-> Qt UTF-16 units


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def line_starts(text: str) -> list[int]:
    """Code-point offset at which each line starts (Qt makes one block per line)."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


class Utf16Map:
    """Converts between code-point offsets of ``text`` and Qt's UTF-16 offsets.

    Only characters outside the Basic Multilingual Plane take two UTF-16 units,
    so the map keeps the sorted code-point positions of those characters and
    converts with a binary search: O(log n) per conversion, O(n) to build once.
    """

    __slots__ = ("_astral", "_astral_u16", "length", "u16_length")

    def __init__(self, text: str):
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 position of each astral character (its high surrogate).
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral)]
        self.length = len(text)
        self.u16_length = self.length + len(self._astral)

    def to_qt(self, offset: int) -> int:
        """UTF-16 position of the code point offset ``offset`` (0..len(text))."""
        if not 0 <= offset <= self.length:
            raise IndexError(f"offset {offset} outside 0..{self.length}")
        return offset + bisect.bisect_left(self._astral, offset)

    def from_qt(self, position: int) -> int:
        """Code point offset of the UTF-16 position ``position``.

        A position inside a surrogate pair (which Qt can report while a cursor
        moves) is rounded down to the start of that character.
        """
        if not 0 <= position <= self.u16_length:
            raise IndexError(f"position {position} outside 0..{self.u16_length}")
        k = bisect.bisect_left(self._astral_u16, position)
        # ``k`` astral characters start strictly before ``position``; if the last
        # one's low surrogate sits at ``position``, we are inside that pair.
        if k and self._astral_u16[k - 1] + 1 == position:
            return self._astral[k - 1]
        return position - k
