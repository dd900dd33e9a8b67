"""A trained attribution tagger: source, cue and content spans by a linear-chain CRF.

The rules in :mod:`sources` and :mod:`claims` know the cue verbs and clause shapes
written down for them; PolNeAR's annotators also count stances ("he thinks", "polls
show") and a long tail of cues no list holds. A conditional random field over token
features (word, crude lemma, shape, speech-verb and source-head hits, quotation marks,
the distance to the nearest speech verb, commas and clause punctuation) tags each
paragraph BIO-style with SRC, CUE and CON. :func:`tag` returns the spans; the suggester
(:func:`annotator.suggest.suggest`) adds those the rules missed and links each content
span to a source through the cue nearest to it.

The weights (``attribution.crfsuite``, shipped in this package) are fitted by
``benchmarks/train_attribution.py`` on the fit part of PolNeAR (Newell, Margolin and
Ruths, LREC 2018: political news from seven US publishers, 2015-2016, annotated for
attribution). Nothing is downloaded at run time.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from annotator.suggest.sources import ORG_WORDS, SOURCE_HEADS, SPEECH_VERBS

MODEL_FILE = "attribution.crfsuite"
LABELS = ("SRC", "CUE", "CON")

# Numbers keep their separators ("5,000", "0.2") so that a figure is one token.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:['’]\w+)*|''|``|[^\w\s]")
_SPEECH = re.compile(rf"(?:{SPEECH_VERBS})\Z")
_HEAD = re.compile(rf"(?:{SOURCE_HEADS})\Z")
_OPEN_QUOTES = frozenset("“«``")
_CLOSE_QUOTES = frozenset("”»''")
_PRONOUN = frozenset("he she they i we it his her their who".split())
_PARAGRAPH = re.compile(r"[^\n]+")
# A reporter's credit line ("Anna Petrova reported from Kyiv.", "Reporting by ..."): no source.
_CREDIT_LINE = re.compile(
    r"\b(?:reported|reporting|wrote)\s+(?:from|in)\s+[A-Z][\w’'-]+(?:,?\s+[A-Z][\w’'-]+)*\.?\s*$"
    r"|\bcontributed\s+(?:to\s+)?(?:this\s+)?(?:report|reporting|story)\b"
    r"|\b(?:[Rr]eporting|[Ww]riting|[Ee]diting)\s+by\b"
)
# Longer paragraphs are tagged in windows of this many tokens (bounds the CRF's work).
MAX_TOKENS = 400


@dataclass(frozen=True)
class TaggedSpan:
    label: str  # SRC, CUE or CON
    start: int
    end: int
    score: float  # the mean marginal probability of the span's tokens


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each token of ``text[start:end]``: words, quote marks, punctuation."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


def _lemma(w: str) -> str:
    """A crude lemma by suffix rules: said→said, warning→warn, claims→claim, argued→argu."""
    for suf in ("ing", "ed", "es", "s"):
        if len(w) > len(suf) + 2 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def _shape(w: str) -> str:
    if w.isdigit():
        return "d"
    if w.isupper():
        return "X" if len(w) > 1 else "X1"
    if w[:1].isupper():
        return "Xx"
    if w[:1].isalpha():
        return "x"
    return w if len(w) == 1 else "p"


def features(text: str, spans: list[tuple[int, int]]) -> list[list[str]]:
    """The feature strings of each token of one paragraph (``spans`` from :func:`tokens`)."""
    words = [text[s:e] for s, e in spans]
    lows = [w.lower() for w in words]
    n = len(words)
    speech = [bool(_SPEECH.match(w)) for w in lows]
    # Distance to the nearest speech verb on each side, and quote state, in two sweeps.
    left = [99] * n
    last = -99
    inq = [False] * n
    quoted = False
    commas = [0] * n
    c = 0
    for i, w in enumerate(words):
        left[i] = i - last
        if speech[i]:
            last = i
        if w in _OPEN_QUOTES or (w == '"' and not quoted):
            quoted = True
        elif w in _CLOSE_QUOTES or w == '"':
            quoted = False
        inq[i] = quoted
        commas[i] = c
        if w in ",;:":
            c += 1
    right = [99] * n
    nxt = 10**6
    for i in range(n - 1, -1, -1):
        right[i] = nxt - i
        if speech[i]:
            nxt = i
    base = []
    for i, w in enumerate(words):
        low = lows[i]
        base.append(
            (
                low,
                _lemma(low),
                _shape(w),
                "S" if speech[i] else ("H" if _HEAD.match(low) else ("O" if low in ORG_WORDS else ("P" if low in _PRONOUN else "-"))),
            )
        )
    out = []
    for i in range(n):
        low, lem, shp, cls = base[i]
        f = [
            "w=" + low, "l=" + lem, "s=" + shp, "c=" + cls, "suf=" + low[-3:],
            "q=" + ("1" if inq[i] else "0"),
            "dl=" + str(min(left[i], 9)), "dr=" + str(min(right[i], 9)),
            "cm=" + str(min(commas[i], 3)),
            "pos=" + ("0" if i == 0 else "1" if i < 4 else "2" if i < 15 else "3"),
        ]
        for d in (-3, -2, -1, 1, 2, 3):
            j = i + d
            if 0 <= j < n:
                bl, blem, bs, bc = base[j]
                f.append(f"{d}:l={blem}")
                f.append(f"{d}:s={bs}")
                f.append(f"{d}:c={bc}")
                if -1 <= d <= 1:
                    f.append(f"{d}:w={bl}")
            else:
                f.append(f"{d}:edge")
        f.append(f"lc={lem}|{base[i - 1][3] if i else '^'}|{base[i + 1][3] if i + 1 < n else '$'}")
        out.append(f)
    return out


def bio(spans: list[tuple[int, int]], gold: list[tuple[str, int, int]]) -> list[str]:
    """BIO labels of the tokens ``spans`` for gold ``(label, start, end)`` spans.

    Content is laid down first, then sources and cues over it: an attribution nested in
    another's content keeps its own source and cue, and :func:`decode` joins the content
    around them again."""
    labels = ["O"] * len(spans)
    for rank in ("CON", "SRC", "CUE"):
        for label, gs, ge in gold:
            if label != rank:
                continue
            first = True
            for i, (s, e) in enumerate(spans):
                if s >= gs and e <= ge:
                    labels[i] = ("B-" if first else "I-") + label
                    first = False
    return labels


def decode(spans: list[tuple[int, int]], labels: list[str], probs: list[float]) -> list[TaggedSpan]:
    """Spans from BIO labels; content interrupted only by a nested source or cue is one span."""
    out: list[TaggedSpan] = []
    cur: list | None = None
    for i, lab in enumerate(labels):
        kind = lab[2:] if lab != "O" else ""
        if cur and (not kind or lab.startswith("B-") or kind != cur[0]):
            out.append(TaggedSpan(cur[0], spans[cur[1]][0], spans[cur[2]][1], sum(probs[cur[1] : cur[2] + 1]) / (cur[2] - cur[1] + 1)))
            cur = None
        if kind:
            if cur is None:
                cur = [kind, i, i]
            else:
                cur[2] = i
    if cur:
        out.append(TaggedSpan(cur[0], spans[cur[1]][0], spans[cur[2]][1], sum(probs[cur[1] : cur[2] + 1]) / (cur[2] - cur[1] + 1)))
    # Rejoin content split by a nested attribution: CON (SRC|CUE)+ CON.
    joined: list[TaggedSpan] = []
    i = 0
    while i < len(out):
        sp = out[i]
        if sp.label == "CON":
            j = i + 1
            while j < len(out) and out[j].label in ("SRC", "CUE"):
                j += 1
            while j < len(out) and out[j].label == "CON" and j > i + 1:
                joined.extend(out[i + 1 : j])
                sp = TaggedSpan("CON", sp.start, out[j].end, (sp.score + out[j].score) / 2)
                i = j
                j = i + 1
                while j < len(out) and out[j].label in ("SRC", "CUE"):
                    j += 1
        joined.append(sp)
        i += 1
    joined.sort(key=lambda t: (t.start, t.end))
    return joined


def paragraphs(text: str) -> list[list[tuple[int, int]]]:
    """Token windows of ``text``: each line, cut every :data:`MAX_TOKENS` tokens."""
    out = []
    for m in _PARAGRAPH.finditer(text):
        toks = tokens(text, m.start(), m.end())
        for k in range(0, len(toks), MAX_TOKENS):
            if toks[k : k + MAX_TOKENS]:
                out.append(toks[k : k + MAX_TOKENS])
    return out


# CRFsuite's tagger keeps the sequence being tagged inside it: one per thread (suggestions are
# made on worker threads while the window tags another article).
_LOCAL = threading.local()


def model_path() -> Path:
    return Path(str(resources.files(__package__) / MODEL_FILE))


def _tagger():
    t = getattr(_LOCAL, "tagger", None)
    if t is None:
        import pycrfsuite

        t = pycrfsuite.Tagger()
        t.open(str(model_path()))
        _LOCAL.tagger = t
    return t


def tag(text: str) -> list[TaggedSpan]:
    """Source, cue and content spans the model finds in ``text``, sorted by start."""
    tagger = _tagger()
    out: list[TaggedSpan] = []
    for toks in paragraphs(text):
        labels = tagger.tag(features(text, toks))
        if all(lab == "O" for lab in labels):
            continue
        probs = [tagger.marginal(lab, i) for i, lab in enumerate(labels)]
        out.extend(decode(toks, labels, probs))
    out.sort(key=lambda t: (t.start, t.end))
    return out


def merge(text: str, tagged: list[TaggedSpan], sources: list, claims: list) -> None:
    """Add to the rules' ``sources`` and ``claims`` (in place) what the model found beyond them.

    A model source that overlaps no rule source becomes a source, its cue the model cue
    nearest to it in the same line. A model content span overlapping no quoted or reported
    claim becomes a claim ("quote" when it opens with a quotation mark, else "reported"),
    linked to the source whose cue is nearest to it in the same line; an unattributed
    "fact" claim it overlaps gives way to it."""
    from annotator.suggest.claims import Claim
    from annotator.suggest.sources import Source, _kind

    if not tagged:
        return
    lines = [m.span() for m in _PARAGRAPH.finditer(text)]
    line_starts = [s for s, _ in lines]

    def line_of(pos: int) -> int:
        return bisect_right(line_starts, pos) - 1

    cues = [t for t in tagged if t.label == "CUE"]
    cue_lines = [line_of(c.start) for c in cues]

    def nearest_cue(s: int, e: int) -> TaggedSpan | None:
        ln = line_of(s)
        best, dist = None, 10**9
        for c, cl in zip(cues, cue_lines):
            if cl != ln:
                continue
            d = c.start - e if c.start >= e else s - c.end if c.end <= s else 0
            if d < dist:
                best, dist = c, d
        return best

    rule_sources = [(x.start, x.end) for x in sources]
    for t in tagged:
        if t.label != "SRC" or any(s < t.end and t.start < e for s, e in rule_sources):
            continue
        np = text[t.start : t.end]
        ls, le = lines[line_of(t.start)]
        if not any(ch.isalpha() for ch in np) or _CREDIT_LINE.search(text, ls, le):
            continue
        cue = nearest_cue(t.start, t.end)
        cs, ce = (cue.start, cue.end) if cue else (t.end, t.end)
        while ce > cs and text[ce - 1] in ",;:.":
            ce -= 1
        sources.append(
            Source(t.start, t.end, _kind(np, ""), cs, ce, text[cs:ce], inverted=cs < t.start,
                   score=round(0.4 + 0.4 * t.score, 3))
        )
    cue_of = [(x.cue_start, x.cue_end, line_of(x.start)) for x in sources]
    attributed = [(c.start, c.end) for c in claims if c.kind != "fact"]
    added: list[tuple[int, int]] = []
    for t in tagged:
        if t.label != "CON" or any(s < t.end and t.start < e for s, e in attributed):
            continue
        s, e = t.start, t.end
        while e > s and text[e - 1] in " ,;:.":
            e -= 1
        if len(text[s:e].split()) < 3:
            continue
        ln = line_of(s)
        best, dist = None, 10**9
        for i, (cs, ce, sl) in enumerate(cue_of):
            if sl != ln:
                continue
            d = cs - e if cs >= e else s - ce if ce <= s else 0
            if d < dist:
                best, dist = i, d
        kind = "quote" if text[s] in "“\"«'" else "reported"
        claims.append(Claim(s, e, round(0.4 + 0.3 * t.score, 3), best, kind))
        added.append((s, e))
    if added:
        claims[:] = [
            c for c in claims
            if c.kind != "fact" or not any(s < c.end and c.start < e for s, e in added)
        ]
        claims.sort(key=lambda c: (c.start, c.end))
