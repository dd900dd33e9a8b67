"""The figure tracker: figures across the corpus grouped by what they count, so that
the same quantity as different articles and outlets report it stands side by side
("at least 11 soldiers" / "12 troops" / "a dozen soldiers"), with its spread and
the reports far from the others.

A figure annotation's value is the suggester's normalised JSON
(``{"value", "unit"?, "noun"?, "qualifier"?, "kind"?}``); figures tagged by hand
without one are read with the same figure finder.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from annotator.services.batch import without_cycle_collection
from annotator.store import Store
from annotator.store import corpus
from annotator.store.corpus import Filters

FIGURE_TAG = "figure"
# Nouns that count the same thing under another word.
SYNONYMS = {
    "troop": "soldier", "serviceman": "soldier", "servicemen": "soldier", "service member": "soldier",
    "person": "people", "individual": "people", "kid": "child", "children": "child", "casualty": "casualty",
    "fatality": "death", "dead": "death", "homes": "house", "home": "house", "dwelling": "house",
}


def noun_key(noun: str) -> str:
    """The counted noun in one form: lower case, singular, synonyms joined ("troops": "soldier")."""
    word = " ".join(noun.lower().split())
    if word in SYNONYMS:
        return SYNONYMS[word]
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    return SYNONYMS.get(word, word)


class Report(NamedTuple):
    """One figure as one article reports it (its place: :func:`report_places`)."""

    annotation_id: int
    article_id: int
    outlet: str
    published: str    # the article's date, else the day it was tagged
    value: str        # as normalised: "12", "24..119", "4.5%"
    low: float | None
    high: float | None
    unit: str = ""
    noun: str = ""
    qualifier: str = ""
    middle: float | None = None   # of a range, its middle; what the spread is measured on
    outlier: bool = False


@dataclass
class FigureGroup:
    """Every report of one kind of quantity (its counted noun and unit), with its spread."""

    noun: str
    unit: str
    reports: list[Report] = field(default_factory=list)
    low: float | None = None
    high: float | None = None
    median: float | None = None
    outlets: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.noun or "(no noun)", f"[{self.unit}]" if self.unit else "") if p)

    @property
    def count(self) -> int:
        return len(self.reports)

    @property
    def spread(self) -> float | None:
        """(high - low) / median: 0 when every report agrees."""
        if self.median in (None, 0) or self.low is None or self.high is None:
            return None
        return (self.high - self.low) / abs(self.median)


def number_text(value: float | None) -> str:
    """A spread's number for people: whole numbers without decimals, others to four digits."""
    if value is None:
        return ""
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else f"{value:.4g}"


def _number(text: str) -> float | None:
    try:
        return float(text.rstrip("%"))
    except ValueError:
        return None


def read_value(value: str, quote: str) -> dict:
    """A figure's normalised value: the stored JSON, else what the figure finder reads in the quote."""
    if value.startswith("{"):
        try:
            data = json.loads(value)
            if isinstance(data, dict):
                return data
        except ValueError:
            pass
    # Imported here: the suggesters compile their patterns on import (half a second),
    # and only figures tagged by hand without a value need one.
    from annotator.suggest.figures import find_figures

    found = find_figures(quote)
    return json.loads(found[0].value_json()) if found else {}


def _reading(value: str, quote: str) -> tuple | None:
    """``((noun key, unit), (value, low, high, unit, noun, qualifier, middle))`` of a figure,
    None for a date or nothing."""
    data = read_value(value, quote)
    if not data or data.get("kind") == "date":
        return None
    text = str(data.get("value", ""))
    lo_text, _, hi_text = text.partition("..")
    low = _number(lo_text)
    high = _number(hi_text) if hi_text else low
    unit, noun = str(data.get("unit", "")), str(data.get("noun", ""))
    middle = None if low is None or high is None else (low + high) / 2
    return (noun_key(noun) if noun else "", unit), (text, low, high, unit, noun, str(data.get("qualifier", "")), middle)


def _known(values) -> list[float]:
    return [v for v in values if v is not None]


_LOW, _HIGH, _MIDDLE, _OUTLET = attrgetter("low"), attrgetter("high"), attrgetter("middle"), attrgetter("outlet")


def _mark_outliers(reports: list[Report], values: list[float]) -> list[Report]:
    """Reports more than 1.5 interquartile ranges outside the middle half (with four or more
    reports), or, with fewer, more than twice or less than half the median. ``values``:
    the reports' middles, sorted."""
    if len(values) < 3:
        return reports
    if len(values) >= 4:
        q1, _q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
        lo, hi = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    else:
        median = statistics.median(values)
        lo, hi = (median / 2, median * 2) if median > 0 else (median * 2, median / 2)
    if lo <= values[0] and values[-1] <= hi:
        return reports  # none far out: the common case, and no pass over a hundred thousand reports
    return [
        r._replace(outlier=True) if r.middle is not None and not lo <= r.middle <= hi else r for r in reports
    ]


@without_cycle_collection()
def figure_groups(store: Store, filters: Filters = Filters(), *, min_reports: int = 1) -> list[FigureGroup]:
    """Figures grouped by counted noun and unit, most reported first; each group's reports
    in the order they were tagged (sort the few you show: there may be a hundred thousand)."""
    readings: dict[str, tuple | None] = {}  # the same value is read once
    by_key: dict[tuple[str, str], list[Report]] = defaultdict(list)
    new = tuple.__new__  # a Report built as the tuple it is: a third faster than calling it per row
    for annotation_id, article_id, value, quote, outlet, published in corpus.figure_rows(store, FIGURE_TAG, filters):
        key = value if value.startswith("{") else "\x00" + quote
        if key not in readings:
            reading = _reading(value, quote)
            readings[key] = None if reading is None else (by_key[reading[0]].append, reading[1] + (False,))
        found = readings[key]
        if found is not None:
            found[0](new(Report, (annotation_id, article_id, outlet, published) + found[1]))
    groups = []
    for (noun, unit), reports in by_key.items():
        if len(reports) < min_reports:
            continue
        middles = sorted(_known(map(_MIDDLE, reports)))
        groups.append(FigureGroup(
            noun, unit, _mark_outliers(reports, middles), min(_known(map(_LOW, reports)), default=None),
            max(_known(map(_HIGH, reports)), default=None), statistics.median(middles) if middles else None,
            sorted(set(map(_OUTLET, reports)) - {"", None}),
        ))
    return sorted(groups, key=lambda g: (-g.count, g.label))


def report_places(store: Store, reports: list[Report]) -> dict[int, tuple[int, int, str, str]]:
    """``{annotation id: (start, end, quote, article title)}`` of the given reports."""
    return corpus.annotation_places(store, [r.annotation_id for r in reports])
