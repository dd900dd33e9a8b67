"""Inter-annotator agreement between the analysts of a team, as a lead reads it in
INCEpTION: per tag, per article and over the corpus, for every pair of analysts
and for all of them together.

- **Cohen's kappa** (pairs) and **Krippendorff's alpha** (pairs and all analysts;
  the ``krippendorff`` package), nominal, over word tokens: each analyst gives every
  word of an article the tag of the span covering it, or none. Only articles that
  both analysts of a pair (for alpha over all: at least two) annotated count: an
  article someone has not started is not a disagreement.
- **Span F1**, exact (same start, end and tag) and overlap (same tag, spans
  overlap; one-to-one), summed over articles.

Disagreements list each span one analyst has and another has not, as a place in the
text: ``missing`` (nothing there), ``tag`` (same words, another tag) or
``boundary`` (same tag, other limits).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import krippendorff
import numpy as np

from annotator.store import Store
from annotator.store.team import layer_spans

ALL = "*"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Score:
    """One line of the report. ``article_id`` None: the corpus; ``tag`` ``*``: all
    tags; ``pair`` "ana/ben" or ``*`` for all analysts together."""

    article_id: int | None
    tag: str
    pair: str
    kappa: float | None
    alpha: float | None
    f1_exact: float | None
    f1_overlap: float | None
    units: int  # word tokens compared


@dataclass(frozen=True)
class Disagreement:
    article_id: int
    start: int
    end: int
    quote: str
    tag: str
    analyst: str
    other: str
    kind: str  # missing | tag | boundary
    annotation_id: int


@dataclass
class AgreementReport:
    analysts: list[str]
    scores: list[Score] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)

    def score(self, *, article_id: int | None = None, tag: str = ALL, pair: str = ALL) -> Score | None:
        return next((s for s in self.scores if (s.article_id, s.tag, s.pair) == (article_id, tag, pair)), None)


def cohen_kappa(x: np.ndarray, y: np.ndarray) -> float | None:
    """Cohen's kappa of two label arrays (None without units; 1.0 when both agree on one label)."""
    n = len(x)
    if n == 0:
        return None
    observed = float(np.mean(x == y))
    labels = np.union1d(x, y)
    expected = sum(float(np.mean(x == k)) * float(np.mean(y == k)) for k in labels)
    if expected >= 1.0:
        return 1.0 if observed >= 1.0 else 0.0
    return (observed - expected) / (1.0 - expected)


def _alpha(counts: np.ndarray) -> float | None:
    """Krippendorff's alpha (nominal) from per-unit value counts; None when undefined
    (fewer than two values in play, or no unit coded twice)."""
    counts = counts[counts.sum(axis=1) >= 2]
    if len(counts) == 0:
        return None
    if np.count_nonzero(counts.sum(axis=0)) < 2:
        return 1.0
    value = krippendorff.alpha(value_counts=counts, level_of_measurement="nominal")
    return None if math.isnan(value) else float(value)


def _f1(matched: int, a: int, b: int) -> float | None:
    return None if a + b == 0 else 2 * matched / (a + b)


def _overlap_matches(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """One-to-one matches of overlapping spans (both sorted by start), greedily."""
    i = j = matched = 0
    while i < len(a) and j < len(b):
        if a[i][0] < b[j][1] and b[j][0] < a[i][1]:
            matched += 1
            i += 1
            j += 1
        elif a[i][1] <= b[j][0] or (a[i][0] < b[j][0]):
            i += 1
        else:
            j += 1
    return matched


def compute_agreement(store: Store, article_ids: list[int] | None = None) -> AgreementReport:
    """Agreement of the analysts' own layers (the curated layer is left out)."""
    spans = layer_spans(store, article_ids)
    by_article: dict[int, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for row in spans:
        by_article[row[0]][row[4]].append(row)
    analysts = sorted({row[4] for row in spans})
    tags = sorted({row[3] for row in spans})
    tag_index = {tag: i + 1 for i, tag in enumerate(tags)}  # 0: no tag
    report = AgreementReport(analysts)
    shared = {a: coders for a, coders in by_article.items() if len(coders) >= 2}
    pairs = list(itertools.combinations(analysts, 2))

    # Word labels per article and analyst.
    labels: dict[int, dict[str, np.ndarray]] = {}
    for article in store.iter_articles(sorted(shared)):
        starts = np.fromiter((m.start() for m in _WORD.finditer(article.text)), dtype=np.int64)
        per: dict[str, np.ndarray] = {}
        for analyst, rows in shared[article.id].items():
            words = np.zeros(len(starts), dtype=np.int64)
            for _, start, end, tag, *_ in rows:
                words[np.searchsorted(starts, start):np.searchsorted(starts, end)] = tag_index[tag]
            per[analyst] = words
        labels[article.id] = per

    def counts_of(article_list, coders, value_of) -> np.ndarray:
        blocks = []
        for article_id in article_list:
            present = [labels[article_id][c] for c in coders if c in labels[article_id]]
            if len(present) < 2:
                continue
            width = 2 if value_of is not None else len(tags) + 1
            block = np.zeros((len(present[0]), width), dtype=np.int64)
            rows = np.arange(len(present[0]))
            for words in present:
                np.add.at(block, (rows, value_of(words) if value_of is not None else words), 1)
            blocks.append(block)
        return np.concatenate(blocks) if blocks else np.zeros((0, 2), dtype=np.int64)

    def spans_of(article_id, analyst, tag):
        rows = shared.get(article_id, {}).get(analyst, [])
        return [(r[1], r[2]) for r in rows if tag == ALL or r[3] == tag]

    def pair_score(article_list, a, b, tag, scope) -> Score | None:
        both = [i for i in article_list if a in labels.get(i, {}) and b in labels.get(i, {})]
        if not both:
            return None
        binary = None if tag == ALL else (lambda w, k=tag_index[tag]: (w == k).astype(np.int64))
        xs = [labels[i][a] if binary is None else binary(labels[i][a]) for i in both]
        ys = [labels[i][b] if binary is None else binary(labels[i][b]) for i in both]
        x, y = np.concatenate(xs), np.concatenate(ys)
        exact = overlap = total_a = total_b = 0
        for i in both:
            for t in (tags if tag == ALL else [tag]):
                sa, sb = spans_of(i, a, t), spans_of(i, b, t)
                exact += len(set(sa) & set(sb))
                overlap += _overlap_matches(sa, sb)
                total_a += len(sa)
                total_b += len(sb)
        return Score(
            scope, tag, f"{a}/{b}", cohen_kappa(x, y),
            _alpha(counts_of(both, [a, b], binary)),
            _f1(exact, total_a, total_b), _f1(overlap, total_a, total_b), len(x),
        )

    def group_score(article_list, tag, scope):
        binary = None if tag == ALL else (lambda w, k=tag_index[tag]: (w == k).astype(np.int64))
        counts = counts_of(article_list, analysts, binary)
        if len(counts) == 0:
            return None
        pair_scores = [s for s in (pair_score(article_list, a, b, tag, scope) for a, b in pairs) if s is not None]
        kappas = [s.kappa for s in pair_scores if s.kappa is not None]
        exact = [s.f1_exact for s in pair_scores if s.f1_exact is not None]
        overlap = [s.f1_overlap for s in pair_scores if s.f1_overlap is not None]
        return Score(
            scope, tag, ALL,
            sum(kappas) / len(kappas) if kappas else None, _alpha(counts),
            sum(exact) / len(exact) if exact else None, sum(overlap) / len(overlap) if overlap else None,
            len(counts),
        ), pair_scores

    corpus = sorted(shared)
    if corpus:
        for tag in [ALL, *tags]:
            found = group_score(corpus, tag, None)
            if found:
                overall, per_pair = found
                report.scores += [*per_pair, overall]
        for article_id in corpus:
            found = group_score([article_id], ALL, article_id)
            if found:
                overall, per_pair = found
                report.scores += [*per_pair, overall]
    report.disagreements = _disagreements(shared, pairs)
    return report


def _disagreements(shared: dict[int, dict[str, list[tuple]]], pairs) -> list[Disagreement]:
    out = []
    for article_id, coders in sorted(shared.items()):
        for a, b in pairs:
            if a not in coders or b not in coders:
                continue
            for mine, other, theirs in ((a, b, coders[b]), (b, a, coders[a])):
                exact = {(r[1], r[2], r[3]) for r in theirs}
                bounds = {(r[1], r[2]) for r in theirs}
                for _, start, end, tag, analyst, annotation_id, quote in coders[mine]:
                    if (start, end, tag) in exact:
                        continue
                    if (start, end) in bounds:
                        kind = "tag"
                    elif any(r[3] == tag and r[1] < end and start < r[2] for r in theirs):
                        kind = "boundary"
                    else:
                        kind = "missing"
                    out.append(Disagreement(article_id, start, end, quote, tag, analyst, other, kind, annotation_id))
    return out
