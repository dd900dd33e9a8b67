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

from annotator.store import Store
from annotator.store import corpus
from annotator.store.corpus import Filters, Mention
from annotator.suggest.figures import find_figures

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


@dataclass(frozen=True)
class Report:
    """One figure as one article reports it."""

    mention: Mention
    value: str        # as normalised: "12", "24..119", "4.5%"
    low: float | None
    high: float | None
    unit: str = ""
    noun: str = ""
    qualifier: str = ""
    outlier: bool = False

    @property
    def middle(self) -> float | None:
        return None if self.low is None or self.high is None else (self.low + self.high) / 2


@dataclass
class FigureGroup:
    """Every report of one kind of quantity: its counted noun and unit."""

    noun: str
    unit: str
    reports: list[Report] = field(default_factory=list)

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.noun or "(no noun)", f"[{self.unit}]" if self.unit else "") if p)

    @property
    def count(self) -> int:
        return len(self.reports)

    @property
    def outlets(self) -> list[str]:
        return sorted({r.mention.outlet for r in self.reports if r.mention.outlet})

    def numbers(self) -> list[float]:
        return [r.middle for r in self.reports if r.middle is not None]

    @property
    def low(self) -> float | None:
        values = [r.low for r in self.reports if r.low is not None]
        return min(values) if values else None

    @property
    def high(self) -> float | None:
        values = [r.high for r in self.reports if r.high is not None]
        return max(values) if values else None

    @property
    def median(self) -> float | None:
        values = self.numbers()
        return statistics.median(values) if values else None

    @property
    def spread(self) -> float | None:
        """(high - low) / median: 0 when every report agrees."""
        median = self.median
        if median in (None, 0) or self.low is None or self.high is None:
            return None
        return (self.high - self.low) / abs(median)


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
    found = find_figures(quote)
    return json.loads(found[0].value_json()) if found else {}


def _report(m: Mention) -> Report | None:
    data = read_value(m.value, m.quote)
    if not data or data.get("kind") == "date":
        return None
    value = str(data.get("value", ""))
    lo_text, _, hi_text = value.partition("..")
    low = _number(lo_text)
    high = _number(hi_text) if hi_text else low
    return Report(
        m, value, low, high, unit=str(data.get("unit", "")), noun=str(data.get("noun", "")),
        qualifier=str(data.get("qualifier", "")),
    )


def _mark_outliers(reports: list[Report]) -> list[Report]:
    """Reports more than 1.5 interquartile ranges outside the middle half (with four or more
    reports), or, with fewer, more than twice or less than half the median."""
    values = sorted(r.middle for r in reports if r.middle is not None)
    if len(values) < 3:
        return reports
    if len(values) >= 4:
        q1, _q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
        lo, hi = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    else:
        median = statistics.median(values)
        lo, hi = (median / 2, median * 2) if median > 0 else (median * 2, median / 2)
    return [
        Report(r.mention, r.value, r.low, r.high, r.unit, r.noun, r.qualifier,
               outlier=r.middle is not None and not lo <= r.middle <= hi)
        for r in reports
    ]


def figure_groups(store: Store, filters: Filters = Filters(), *, min_reports: int = 1) -> list[FigureGroup]:
    """Figures grouped by counted noun and unit, most reported first."""
    groups: dict[tuple[str, str], FigureGroup] = {}
    by_key: dict[tuple[str, str], list[Report]] = defaultdict(list)
    for m in corpus.mentions(store, FIGURE_TAG, filters):
        report = _report(m)
        if report is None:
            continue
        key = (noun_key(report.noun) if report.noun else "", report.unit)
        by_key[key].append(report)
    for (noun, unit), reports in by_key.items():
        if len(reports) < min_reports:
            continue
        reports.sort(key=lambda r: ((r.mention.published or r.mention.created), r.mention.outlet))
        groups[(noun, unit)] = FigureGroup(noun, unit, _mark_outliers(reports))
    return sorted(groups.values(), key=lambda g: (-g.count, g.label))
