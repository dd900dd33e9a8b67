"""Inter-annotator agreement between the analysts of a team, as a lead reads it in
INCEpTION: per tag, per article and over the corpus, for every pair of analysts
and for all of them together.

- **Cohen's kappa** (pairs) and **Krippendorff's alpha** (pairs and all analysts),
  nominal, over word tokens: each analyst gives every
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

import bisect
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from annotator.store import Store
from annotator.store.team import layer_spans

ALL = "*"
CURATED = "(curated)"  # the curated layer, when it takes part as if it were an analyst
_word_table: np.ndarray | None = None


def word_starts(text: str) -> np.ndarray:
    """Where each word (a run of ``\\w``: letters, digits, ``_``) of ``text`` starts, as
    ``re.finditer(r"\\w+")`` finds them, counted in numpy: ``\\w`` is ``str.isalnum()``
    or ``_``, looked up for the Basic Multilingual Plane in a table made once."""
    global _word_table
    if _word_table is None:
        _word_table = np.fromiter((chr(c).isalnum() or c == 95 for c in range(0x10000)), bool, 0x10000)
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    plane = points < 0x10000
    if plane.all():
        word = _word_table[points]
    else:
        word = np.zeros(len(points), dtype=bool)
        word[plane] = _word_table[points[plane]]
        for i in np.flatnonzero(~plane).tolist():
            word[i] = chr(points[i]).isalnum()
    begins = word.copy()
    begins[1:] &= ~word[:-1]
    return np.flatnonzero(begins)


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


# Made by the hundred thousand on a large corpus: a frozen dataclass's __init__ costs
# five times a plain one's. Treat it as a value all the same (it hashes by value).
@dataclass(slots=True, unsafe_hash=True)
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


def _kappa_from(confusion: np.ndarray) -> float | None:
    """Cohen's kappa from a confusion matrix (rows: one analyst, columns: the other)."""
    n = confusion.sum()
    if n == 0:
        return None
    observed = np.trace(confusion) / n
    expected = float((confusion.sum(axis=1) * confusion.sum(axis=0)).sum()) / (n * n)
    if expected >= 1.0:
        return 1.0 if observed >= 1.0 else 0.0
    return float((observed - expected) / (1.0 - expected))


def cohen_kappa(x: np.ndarray, y: np.ndarray) -> float | None:
    """Cohen's kappa of two label arrays (None without units)."""
    size = int(max(x.max(initial=0), y.max(initial=0))) + 1
    return _kappa_from(np.bincount(x * size + y, minlength=size * size).reshape(size, size))


def _alpha_from(coincidences: np.ndarray) -> float | None:
    """Krippendorff's alpha (nominal) from a coincidence matrix; 1.0 when only one
    value is in play, None without pairable values."""
    totals = coincidences.sum(axis=1)
    n = totals.sum()
    if n <= 1:
        return None
    if np.count_nonzero(totals) < 2:
        return 1.0
    observed = n - np.trace(coincidences)
    expected = (n * n - (totals ** 2).sum()) / (n - 1)
    return float(1 - observed / expected)


def _alpha(counts: np.ndarray) -> float | None:
    """Krippendorff's alpha (nominal) from per-unit value counts (units x values)."""
    counts = counts[counts.sum(axis=1) >= 2].astype(np.float64)
    if len(counts) == 0:
        return None
    weighted = counts / (counts.sum(axis=1) - 1)[:, None]
    return _alpha_from(weighted.T @ counts - np.diag(weighted.sum(axis=0)))


def _binary(matrix: np.ndarray, k: int) -> np.ndarray:
    """A labels x labels matrix collapsed to "tag k" against "anything else"."""
    row, col, both = matrix[k, :].sum(), matrix[:, k].sum(), matrix[k, k]
    return np.array([[both, row - both], [col - both, matrix.sum() - row - col + both]])


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


@dataclass
class _Tally:
    """What one pair (or all analysts) shares over some articles, per tag."""

    matrix: np.ndarray                 # confusion (a pair) or coincidences (all analysts)
    spans: dict[str, np.ndarray]       # tag -> [exact, overlap, a, b]

    def add(self, other: _Tally) -> None:
        self.matrix = self.matrix + other.matrix
        for tag, counts in other.spans.items():
            self.spans[tag] = self.spans.get(tag, np.zeros(4, dtype=np.int64)) + counts


def compute_agreement(
    store: Store, article_ids: list[int] | None = None, *, with_curated: bool = False
) -> AgreementReport:
    """Agreement of the analysts' own layers; ``with_curated`` adds the curated layer
    as one more coder named :data:`CURATED` (how near each analyst came to what the
    lead settled), else it is left out.

    Every figure comes from per-article confusion matrices of word labels: a pair's
    kappa and alpha from its own (summed over articles), all analysts' alpha from
    the coincidences they add up to (each article weighs its pairs by 1 / (m - 1)
    for its m analysts), a tag's figures from the matrix collapsed to that tag."""
    spans = layer_spans(store, article_ids)
    if with_curated:
        spans += [(*row[:4], CURATED, *row[5:]) for row in layer_spans(store, article_ids, curated=True)]
    by_article: dict[int, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for row in spans:
        by_article[row[0]][row[4]].append(row)
    analysts = sorted({row[4] for row in spans})
    tags = sorted({row[3] for row in spans})
    tag_index = {tag: i + 1 for i, tag in enumerate(tags)}  # 0: no tag
    size = len(tags) + 1
    report = AgreementReport(analysts)
    shared = {a: coders for a, coders in by_article.items() if len(coders) >= 2}

    pair_tallies: dict[tuple[int | None, str], _Tally] = {}
    group_tallies: dict[int | None, _Tally] = {}
    for article in store.iter_articles(sorted(shared)):
        starts = word_starts(article.text)
        coders = shared[article.id]
        words: dict[str, np.ndarray] = {}
        own_spans: dict[str, dict[str, list[tuple[int, int]]]] = {}
        for analyst, rows in coders.items():
            labels = np.zeros(len(starts), dtype=np.int64)
            per_tag: dict[str, list[tuple[int, int]]] = defaultdict(list)
            bounds = np.searchsorted(starts, np.array([(r[1], r[2]) for r in rows], dtype=np.int64)).tolist()
            for (first, last), (_, start, end, tag, *_) in zip(bounds, rows):
                labels[first:last] = tag_index[tag]
                per_tag[tag].append((start, end))
            words[analyst] = labels
            own_spans[analyst] = per_tag
        group = _Tally(np.zeros((size, size)), {})
        for a, b in itertools.combinations(sorted(coders), 2):
            confusion = np.bincount(words[a] * size + words[b], minlength=size * size).reshape(size, size)
            counts = {}
            for tag in set(own_spans[a]) | set(own_spans[b]):
                sa, sb = own_spans[a].get(tag, []), own_spans[b].get(tag, [])
                counts[tag] = np.array([len(set(sa) & set(sb)), _overlap_matches(sa, sb), len(sa), len(sb)])
            tally = _Tally(confusion, counts)
            pair_tallies[(article.id, f"{a}/{b}")] = tally
            corpus = pair_tallies.setdefault((None, f"{a}/{b}"), _Tally(np.zeros((size, size), dtype=np.int64), {}))
            corpus.add(tally)
            group.add(_Tally((confusion + confusion.T) / (len(coders) - 1), counts))
        group_tallies[article.id] = group
        group_tallies.setdefault(None, _Tally(np.zeros((size, size)), {})).add(group)

    def score(scope: int | None, pair: str, tally: _Tally, tag: str, pair_scores: list[Score]) -> Score:
        span_counts = (sum(tally.spans.values(), np.zeros(4, dtype=np.int64)) if tag == ALL
                       else tally.spans.get(tag, np.zeros(4, dtype=np.int64)))
        matrix = tally.matrix if tag == ALL else _binary(tally.matrix, tag_index[tag])
        if pair == ALL:
            alpha = _alpha_from(matrix)
            kappas = [s.kappa for s in pair_scores if s.kappa is not None]
            kappa = sum(kappas) / len(kappas) if kappas else None
            units = max((s.units for s in pair_scores), default=0)
        else:
            kappa, alpha, units = _kappa_from(matrix), _alpha_from(matrix + matrix.T), int(matrix.sum())
        exact, overlap, a, b = (int(v) for v in span_counts)
        return Score(scope, tag, pair, kappa, alpha, _f1(exact, a, b), _f1(overlap, a, b), units)

    by_scope: dict[int | None, list[tuple[str, _Tally]]] = defaultdict(list)
    for (where, pair), tally in pair_tallies.items():
        by_scope[where].append((pair, tally))
    for scope, scope_tags in [(None, [ALL, *tags]), *((i, [ALL]) for i in sorted(shared))]:
        for tag in scope_tags:
            pair_scores = [score(scope, pair, tally, tag, []) for pair, tally in sorted(by_scope[scope])]
            report.scores += pair_scores
            if scope in group_tallies:
                report.scores.append(score(scope, ALL, group_tallies[scope], tag, pair_scores))
    report.disagreements = _disagreements(shared, list(itertools.combinations(analysts, 2)))
    return report


def _disagreements(shared: dict[int, dict[str, list[tuple]]], pairs) -> list[Disagreement]:
    out = []
    nowhere: tuple[list[int], list[int]] = ([], [])
    for article_id, coders in sorted(shared.items()):
        # Per analyst, once per article: their spans exactly, their bounds, how far they reach.
        known = {
            c: ({(r[1], r[2], r[3]) for r in rows}, {(r[1], r[2]) for r in rows}, _reach(rows))
            for c, rows in coders.items()
        }
        for a, b in pairs:
            if a not in coders or b not in coders:
                continue
            for mine, other in ((a, b), (b, a)):
                exact, bounds, reach = known[other]
                for _, start, end, tag, analyst, annotation_id, quote in coders[mine]:
                    if (start, end, tag) in exact:
                        continue
                    if (start, end) in bounds:
                        kind = "tag"
                    else:
                        # Does a span of the other's with this tag overlap? The last one
                        # starting before our end reaches furthest of those.
                        starts, furthest = reach.get(tag, nowhere)
                        before = bisect.bisect_left(starts, end)
                        kind = "boundary" if before and furthest[before - 1] > start else "missing"
                    out.append(Disagreement(article_id, start, end, quote, tag, analyst, other, kind, annotation_id))
    return out


def _reach(rows: list[tuple]) -> dict[str, tuple[list[int], list[int]]]:
    """Per tag: the starts of the spans and the furthest end reached so far (``rows`` come
    sorted by start)."""
    out: dict[str, tuple[list[int], list[int]]] = {}
    for _, start, end, tag, *_ in rows:
        entry = out.get(tag)
        if entry is None:
            out[tag] = ([start], [end])
        else:
            entry[0].append(start)
            entry[1].append(max(end, entry[1][-1]))
    return out
