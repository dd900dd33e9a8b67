"""What the writers read: an article with its annotations and links, and the tags.

Writers receive :class:`ExportDocument` objects one at a time, so an export of a
large database never holds more than one article's annotations in memory.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from annotator.domain import VERDICT_SCALE, Annotation, Article, Verdict

FORMAT_VERSION = 1
DEFAULT_COLOUR = "#808080"
# Stable identifiers (REFI-QDA GUIDs, W3C ids) derive from this namespace, so the
# same database exported twice gives the same ids.
ID_NAMESPACE = uuid.UUID("6c3f4a52-2f0e-4a57-9d1c-5b0e8f3a9e21")

_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_NAMED = {
    "black": "#000000", "white": "#FFFFFF", "red": "#FF0000", "green": "#008000", "blue": "#0000FF",
    "yellow": "#FFFF00", "orange": "#FFA500", "purple": "#800080", "grey": "#808080", "gray": "#808080",
    "pink": "#FFC0CB", "brown": "#A52A2A", "cyan": "#00FFFF", "magenta": "#FF00FF", "teal": "#008080",
    "navy": "#000080", "maroon": "#800000", "olive": "#808000", "lime": "#00FF00", "silver": "#C0C0C0",
}
# Colours for tags that arrive without one (e.g. from brat or CSV files).
PALETTE = ("#3B82F6", "#16A34A", "#E11D48", "#F59E0B", "#8B5CF6", "#0891B2", "#DB2777", "#65A30D")


__all__ = [
    "ExportCancelled", "ExportDocument", "Ticker", "guid_series", "hex_colour", "palette_colour", "rating_value",
    "stable_guid", "source_iri",
]

Progress = Callable[[int], None]
Cancelled = Callable[[], bool]


class ExportCancelled(Exception):
    """The person cancelled a running export; nothing was written."""


@dataclass
class ExportDocument:
    """One article, its annotations (ordered by offset) and the links that start in it."""

    article: Article
    annotations: list[Annotation]
    links: list[tuple[int, int, str]] = field(default_factory=list)
    verdicts: dict[int, Verdict] = field(default_factory=dict)  # claim annotation id: its verdict
    # (from, to, kind) of a link: the attribution's cue ("said"), where the link has one.
    cues: dict[tuple[int, int, str], str] = field(default_factory=dict)
    memo: str = ""  # the analyst's memo on the article
    scale: tuple[str, ...] = VERDICT_SCALE  # the desk's rating scale, best first

    def said_by(self) -> dict[int, int]:
        """``{claim id: source id}`` of the "source" links (the lowest source id when a
        claim has several, as :meth:`Store.iter_export_rows` picks)."""
        return {source: target for source, target, kind in sorted(self.links, reverse=True) if kind == "source"}

    def links_from(self) -> dict[int, list[tuple[int, str]]]:
        """``{from_annotation_id: [(to_annotation_id, kind), ...]}``."""
        out: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for source, target, kind in self.links:
            out[source].append((target, kind))
        return out


class Ticker:
    """Counts annotations written, reporting progress and honouring cancel every ``step``."""

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None, step: int = 2000):
        self.progress, self.cancelled, self.step = progress, cancelled, step
        self.count = 0
        self._next = step

    def add(self, n: int) -> None:
        self.count += n
        if self.count >= self._next:
            self._next = self.count + self.step
            self.check()

    def check(self) -> None:
        if self.progress is not None:
            self.progress(self.count)
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled()


def hex_colour(colour: str, default: str = DEFAULT_COLOUR) -> str:
    """``colour`` as ``#RRGGBB`` (the form REFI-QDA importers and brat read).

    Six-digit colours are kept as written; ``#RGB`` is expanded, ``#RRGGBBAA``
    loses its alpha, a few colour names are known; anything else is ``default``.
    """
    colour = (colour or "").strip()
    named = _NAMED.get(colour.lower())
    if named:
        return named
    m = _HEX.fullmatch(colour)
    if not m:
        return default
    digits = m.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits[:6]


def palette_colour(name: str) -> str:
    """A stable colour for a tag that comes without one."""
    return PALETTE[int(uuid.uuid5(ID_NAMESPACE, name.lower()).hex[:8], 16) % len(PALETTE)]


def stable_guid(*parts: object) -> str:
    """A GUID derived from ``parts`` (same input, same GUID), in lower case: the
    REFI-QDA schema allows either case, some of its readers only lower case."""
    return str(uuid.uuid5(ID_NAMESPACE, "\x1f".join(str(p) for p in parts)))


def guid_series(*parts: object) -> Callable[[int], str]:
    """GUIDs for many numbered items of one kind: a stable GUID for ``parts`` with
    its last 12 hex digits replaced by the number (much cheaper than one uuid5 each)."""
    base = stable_guid(*parts)[:24]
    return lambda number: f"{base}{number:012x}"


def source_iri(article: Article) -> str:
    """The article's URL, or a URN naming its text by content hash."""
    return article.url or f"urn:annotator:sha256:{article.content_hash}"


def rating_value(rating: str, scale: Sequence[str] = VERDICT_SCALE) -> int | None:
    """A rating's place on the desk's scale counted from the worst (1) to the best
    (``len(scale)``), as schema.org's ``ratingValue``; None when it is not on the scale."""
    return len(scale) - list(scale).index(rating) if rating in scale else None
