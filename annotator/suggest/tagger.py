"""A trained attribution tagger: source, cue and content spans by a CRF and a small network.

The rules in :mod:`sources` and :mod:`claims` know the cue verbs and clause shapes
written down for them; PolNeAR's annotators also count stances ("he thinks", "polls
show") and a long tail of cues no list holds. Each paragraph is tagged BIO-style with SRC, CUE
and CON from token features (word, crude lemma, prefix, suffix, shape, word pairs, speech-verb
and source-head hits, how often the fit part annotates the word as a cue or a source (the
lexicon), quotation marks and the distance since the last closing one, the distance to the
nearest speech verb and to the nearest likely cue in the same sentence, the position in the
sentence, commas) by two models read together: a linear-chain conditional random field and a
bidirectional LSTM over the same feature strings, which reads the whole paragraph (the CRF
sees three tokens either side). The network's log-probabilities are added to the CRF's label
scores (:class:`Model`); the best labelling (Viterbi) and each token's marginal probabilities
(forward-backward) come from the sum. :func:`tag` returns the spans of the best labelling,
and where a sentence holds a tagged cue but no source (or no content), the likeliest source
(content) tokens by the marginal probabilities (:func:`recover`). :func:`merge` adds the
sources the rules missed, puts the model's content in place of the rules' cut of the same claim,
links each new content span to a source through the cue nearest to it, keeps the rules'
sources only where the model sees the source or its cue too, and leaves reported
speech in which the model sees neither content nor source and cue as an unattributed statement.

The weights of both models (``attribution.npz``, numpy arrays: no machine-learning library is
needed to tag) and the lexicon (``attribution.lexicon.tsv``), shipped in this package, are
fitted by ``benchmarks/train_attribution.py`` (CRFsuite and PyTorch) on the fit part of PolNeAR
(Newell, Margolin and Ruths, LREC 2018: political news from seven US publishers, 2015-2016,
annotated for attribution). Nothing is downloaded at run time.
"""

from __future__ import annotations

import re
import threading
import zlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from annotator.suggest.sources import ORG_WORDS, SOURCE_HEADS, SPEECH_VERBS

MODEL_FILE = "attribution.npz"
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
# A model content span shorter than this many words is left out. One word is content too
# ('"Savage," she said', '46 percent said yes'): on the fit part's held-out month, F1 of the
# attributed claims 0.742 with three words, 0.751 with one.
MIN_CONTENT_WORDS = 1
# A cue with no source (or no content) tagged in its sentence takes the sentence's likeliest
# source (content) tokens when the model gives them at least this probability (chosen on the
# held-out month from 0.03 to 0.3: source F1 0.744 -> 0.755, attributed claims 0.751 -> 0.764).
RECOVER_MIN_PROB = 0.1
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


# A word's share of occurrences inside the fit part's gold cue and source spans, in buckets.
_RATE_BUCKETS = (0.15, 0.4, 0.7)


def _bucket(rate: float) -> int:
    return sum(rate >= b for b in _RATE_BUCKETS)


class Lexicon:
    """How often a word (or its crude lemma) attributes in the fit part: cue and source buckets.

    Read from the tab-separated file ``benchmarks/train_attribution.py`` writes beside the
    weights: ``word<TAB>cue rate<TAB>source rate``, lemmas prefixed with ``~``."""

    def __init__(self, rows: dict[str, tuple[float, float]]):
        self.cue: dict[str, int] = {}
        self.src: dict[str, int] = {}
        for word, (cue, src) in rows.items():
            if _bucket(cue):
                self.cue[word] = _bucket(cue)
            if _bucket(src):
                self.src[word] = _bucket(src)

    @classmethod
    def read(cls, path: Path) -> Lexicon:
        rows = {}
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                word, cue, src = line.rstrip("\n").split("\t")
                rows[word] = (float(cue), float(src))
        return cls(rows)

    def cue_of(self, low: str, lem: str) -> int:
        return self.cue.get(low) or self.cue.get("~" + lem, 0)

    def src_of(self, low: str, lem: str) -> int:
        return self.src.get(low) or self.src.get("~" + lem, 0)


def _bin(d: int) -> str:
    """A distance in tokens, in bins that widen with it."""
    return str(d) if d < 5 else "5" if d < 7 else "7" if d < 11 else "11" if d < 21 else "21"


_SENTENCE_END = frozenset(".?!")


def features(text: str, spans: list[tuple[int, int]], lex: Lexicon) -> list[list[str]]:
    """The feature strings of each token of one paragraph (``spans`` from :func:`tokens`), with
    the cue and source shares of ``lex``."""
    words = [text[s:e] for s, e in spans]
    lows = [w.lower() for w in words]
    lems = [_lemma(w) for w in lows]
    n = len(words)
    speech = [bool(_SPEECH.match(w)) for w in lows]
    cue_b = [lex.cue_of(lows[i], lems[i]) for i in range(n)]
    src_b = [lex.src_of(lows[i], lems[i]) for i in range(n)]
    # A likely cue: a speech verb, or a word that is mostly inside cues in the fit part.
    cueish = [speech[i] or cue_b[i] >= 2 for i in range(n)]
    # Distance to the nearest speech verb and likely cue on each side, the sentence (by its
    # final punctuation) and whether it holds a likely cue before or after the token, and quote
    # state, in two sweeps.
    left = [99] * n
    lcue = [99] * n
    last = lastc = -99
    inq = [False] * n
    quoted = False
    commas = [0] * n
    sent = _sentence_ids(words)
    in_sent = [0] * n
    closed = [99] * n  # tokens since the last closing quote mark
    c = 0
    sent_start = 0
    last_close = -99
    for i, w in enumerate(words):
        left[i] = i - last
        lcue[i] = i - lastc
        if speech[i]:
            last = i
        if cueish[i]:
            lastc = i
        if w in _OPEN_QUOTES or (w == '"' and not quoted):
            quoted = True
        elif w in _CLOSE_QUOTES or w == '"':
            quoted = False
            last_close = i
        inq[i] = quoted
        closed[i] = i - last_close
        commas[i] = c
        in_sent[i] = i - sent_start
        if w in ",;:":
            c += 1
        if i + 1 < n and sent[i + 1] != sent[i]:
            sent_start = i + 1
    right = [99] * n
    rcue = [99] * n
    nxt = nxtc = 10**6
    for i in range(n - 1, -1, -1):
        right[i] = nxt - i
        rcue[i] = nxtc - i
        if speech[i]:
            nxt = i
        if cueish[i]:
            nxtc = i
    base = []
    for i, w in enumerate(words):
        low = lows[i]
        base.append(
            (
                low,
                lems[i],
                _shape(w),
                "S" if speech[i] else ("H" if _HEAD.match(low) else ("O" if low in ORG_WORDS else ("P" if low in _PRONOUN else "-"))),
                f"{cue_b[i]}{src_b[i]}",
            )
        )
    out = []
    for i in range(n):
        low, lem, shp, cls, lx = base[i]
        same_l = i - lcue[i] >= 0 and sent[i - lcue[i]] == sent[i]
        same_r = i + rcue[i] < n and sent[i + rcue[i]] == sent[i]
        f = [
            "w=" + low, "l=" + lem, "s=" + shp, "c=" + cls, "suf=" + low[-3:], "pre=" + low[:4], "x=" + lx,
            "q=" + ("1" if inq[i] else "0"),
            "dl=" + str(min(left[i], 9)), "dr=" + str(min(right[i], 9)),
            "kl=" + (_bin(lcue[i]) if same_l else "-"), "kr=" + (_bin(rcue[i]) if same_r else "-"),
            "cm=" + str(min(commas[i], 3)),
            "pos=" + ("0" if i == 0 else "1" if i < 4 else "2" if i < 15 else "3"),
            "sp=" + _bin(in_sent[i]), "qc=" + _bin(closed[i]),
            "b-=" + (base[i - 1][1] if i else "^") + "|" + lem,
            "b+=" + lem + "|" + (base[i + 1][1] if i + 1 < n else "$"),
        ]
        for d in (-3, -2, -1, 1, 2, 3):
            j = i + d
            if 0 <= j < n:
                bl, blem, bs, bc, bx = base[j]
                f.append(f"{d}:l={blem}")
                f.append(f"{d}:s={bs}")
                f.append(f"{d}:c={bc}")
                f.append(f"{d}:x={bx}")
                if -1 <= d <= 1:
                    f.append(f"{d}:w={bl}")
            else:
                f.append(f"{d}:edge")
        f.append(f"lc={lem}|{base[i - 1][3] if i else '^'}|{base[i + 1][3] if i + 1 < n else '$'}")
        f.append(f"qk={'1' if inq[i] else '0'}{'L' if same_l else '-'}{'R' if same_r else '-'}")
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
    """Spans from BIO labels; content interrupted only by a nested source or cue is one span.

    The content on both sides of a nested attribution ("that police believe the fire was set")
    is joined only when nothing lies between them; content separated by untagged tokens
    ('"We won," she said on Tuesday. "They know it."') stays two spans, as annotators mark it."""
    runs: list[list] = []  # [kind, first token, last token]
    for i, lab in enumerate(labels):
        if lab == "O":
            continue
        kind = lab[2:]
        last = runs[-1] if runs else None
        if last and last[2] == i - 1 and last[0] == kind and not lab.startswith("B-"):
            last[2] = i
        else:
            runs.append([kind, i, i])

    def span(kind: str, a: int, b: int) -> TaggedSpan:
        return TaggedSpan(kind, spans[a][0], spans[b][1], sum(probs[a : b + 1]) / (b - a + 1))

    out: list[TaggedSpan] = []
    i = 0
    while i < len(runs):
        kind, a, b = runs[i]
        if kind == "CON":
            # Extend over contiguous (SRC|CUE)+ CON groups, keeping the nested spans.
            while True:
                j, end = i + 1, b
                while j < len(runs) and runs[j][0] != "CON" and runs[j][1] == end + 1:
                    end = runs[j][2]
                    j += 1
                if j > i + 1 and j < len(runs) and runs[j][0] == "CON" and runs[j][1] == end + 1:
                    out.extend(span(*r) for r in runs[i + 1 : j])
                    b = runs[j][2]
                    i = j
                else:
                    break
        out.append(span(kind, a, b))
        i += 1
    out.sort(key=lambda t: (t.start, t.end))
    return out


def paragraphs(text: str) -> list[list[tuple[int, int]]]:
    """Token windows of ``text``: each line, cut every :data:`MAX_TOKENS` tokens."""
    out = []
    for m in _PARAGRAPH.finditer(text):
        toks = tokens(text, m.start(), m.end())
        for k in range(0, len(toks), MAX_TOKENS):
            if toks[k : k + MAX_TOKENS]:
                out.append(toks[k : k + MAX_TOKENS])
    return out


# Weights other than the shipped ones (set by :func:`use_model`, for evaluating a candidate).
_MODEL_OVERRIDE: Path | None = None


def model_path() -> Path:
    """The weights :func:`tag` uses: the shipped ones unless :func:`use_model` chose others."""
    return _MODEL_OVERRIDE or Path(str(resources.files(__package__) / MODEL_FILE))


def use_model(path: Path | None) -> None:
    """Tag with the weights at ``path`` from now on (``None``: the shipped ones again)."""
    global _MODEL_OVERRIDE
    _MODEL_OVERRIDE = Path(path) if path else None


def lexicon_path(model: Path) -> Path:
    """The lexicon fitted with the weights at ``model`` (``attribution.lexicon.tsv``)."""
    return model.with_suffix(".lexicon.tsv")


# The labels of the weights file's score columns, in its order.
BIO = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
_COLUMN = {lab: k for k, lab in enumerate(BIO)}
# The network's log-probabilities join the CRF's label scores with this weight (chosen on the
# fit part's held-out month with weights fitted before it, from 0.3 to 1.2; see the README).
NETWORK_WEIGHT = 0.5


class Network:
    """A bidirectional LSTM over the hashed feature strings of :func:`features` (numpy).

    Each token's input is the sum of the embeddings of its feature strings, hashed (CRC-32)
    into ``buckets`` rows; one LSTM layer reads the window forwards and one backwards, and a
    linear layer gives each token's label probabilities (columns :data:`BIO`)."""

    def __init__(self, arrays: dict):
        import numpy as np

        self.emb = arrays["net_emb"]  # float16, converted by row when read
        self.buckets = len(self.emb)
        # Gate columns from PyTorch's order (input, forget, cell, output) to input, forget,
        # output, cell: one sigmoid over the first three quarters, tanh over the last.
        size = arrays["net_fw_hh"].shape[0]
        order = np.r_[0 : 2 * size, 3 * size : 4 * size, 2 * size : 3 * size]
        self.directions = [
            tuple(arrays[f"net_{d}_{part}"][..., order].astype(np.float32) for part in ("ih", "hh", "bias"))
            for d in ("fw", "bw")
        ]
        self.out_w = arrays["net_out_w"].astype(np.float32)
        self.out_b = arrays["net_out_b"].astype(np.float32)

    def log_probabilities(self, windows: list[list[list[int]]]) -> list:
        """Each token's log-probability of each label, an ``n × 7`` array per window;
        ``windows`` hold each token's features as :func:`hash_features` gives them."""
        import numpy as np

        xs = []
        for ids in windows:
            counts = [len(x) for x in ids]
            rows = self.emb[[i for x in ids for i in x]].astype(np.float32)
            xs.append(np.add.reduceat(rows, np.cumsum([0] + counts[:-1]), axis=0))
        forward = self._run(xs, *self.directions[0])
        backward = [h[::-1] for h in self._run([x[::-1] for x in xs], *self.directions[1])]
        out = []
        for fw, bw in zip(forward, backward):
            z = np.concatenate([fw, bw], axis=1) @ self.out_w + self.out_b
            z -= z.max(axis=1, keepdims=True)
            out.append(z - np.log(np.exp(z).sum(axis=1, keepdims=True)))
        return out

    @staticmethod
    def _run(xs: list, w_ih, w_hh, bias) -> list:
        """One LSTM direction over each window's inputs ``xs`` (gate columns: input, forget,
        output, cell); the hidden states, an ``n × hidden`` array per window."""
        import numpy as np

        size = w_hh.shape[0]
        out: list = [None] * len(xs)
        for group, lens, running in _groups([len(x) for x in xs]):
            pre = _stack(xs, group, lens) @ w_ih + bias
            h = np.zeros((len(group), size), np.float32)
            c = np.zeros((len(group), size), np.float32)
            states = np.empty((lens[0], len(group), size), np.float32)
            for t in range(lens[0]):
                k = running[t]
                g = pre[t, :k] + h[:k] @ w_hh
                ifo = 1.0 / (1.0 + np.exp(-g[:, : 3 * size]))
                c[:k] = ifo[:, size : 2 * size] * c[:k] + ifo[:, :size] * np.tanh(g[:, 3 * size :])
                h[:k] = states[t, :k] = ifo[:, 2 * size :] * np.tanh(c[:k])
            for k, i in enumerate(group):
                out[i] = states[: lens[k], k]
        return out


def hash_features(feats: list[list[str]], buckets: int) -> list[list[int]]:
    """Each token's feature strings as rows 1 to ``buckets - 1`` of the network's embedding
    table (CRC-32; row 0 is the padding of the fitting script's batches)."""
    b = buckets - 1
    return [[1 + zlib.crc32(f.encode()) % b for f in fs] for fs in feats]


class Model:
    """The attribution tagger's weights, read from one ``.npz`` file: the CRF's (a score per
    feature string and label, a score per pair of successive labels) and, when present, the
    network's. Read-only once built, so one instance serves every thread."""

    def __init__(self, path: Path):
        import numpy as np

        with np.load(path) as z:
            arrays = {k: z[k] for k in z.files}
        attrs = arrays["crf_attrs"].tobytes().decode("utf-8").split("\n")
        self.index = {a: i for i, a in enumerate(attrs)}
        # One zero row past the last feature string: the row of strings the CRF never weighted.
        state = arrays["crf_state"].astype(np.float64)
        self.state = np.vstack([state, np.zeros((1, len(BIO)))])
        self.trans = arrays["crf_trans"].astype(np.float64)
        self.network = Network(arrays) if "net_emb" in arrays else None

    def label(self, windows: list[list[list[str]]]) -> list[tuple[list[str], object]]:
        """For each window (its tokens' feature strings), the best labelling and each token's
        marginal probability of each label (an ``n × 7`` array, columns :data:`BIO`) under the
        CRF's scores plus :data:`NETWORK_WEIGHT` times the network's log-probabilities."""
        import numpy as np

        none = len(self.state) - 1
        get = self.index.get
        scores = []
        for feats in windows:
            ids = [get(f, none) for fs in feats for f in fs]
            counts = [len(fs) for fs in feats]
            scores.append(np.add.reduceat(self.state[ids], np.cumsum([0] + counts[:-1]), axis=0))
        if self.network is not None and windows:
            # Small matrices: BLAS threads only wait for each other (4x slower with two).
            with _blas_threads(1):
                hashed = [hash_features(f, self.network.buckets) for f in windows]
                for sc, log_p in zip(scores, self.network.log_probabilities(hashed)):
                    sc += NETWORK_WEIGHT * log_p
        return list(zip(viterbi(scores, self.trans), marginals(scores, self.trans)))


def _blas_threads(n: int):
    """A context in which numpy's BLAS runs ``n`` threads (threadpoolctl)."""
    global _BLAS
    if _BLAS is None:
        from threadpoolctl import ThreadpoolController

        _BLAS = ThreadpoolController()
    return _BLAS.limit(limits=n, user_api="blas")


_BLAS = None


# Windows are decoded side by side in groups of this many, the longest first: each step computes
# only the windows still running, and a group's arrays stay small.
GROUP = 64


def _groups(lengths: list[int]):
    """Groups of window indices (longest first), their lengths, and for each step how many of
    the group's windows are longer than it (those still running)."""
    import numpy as np

    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    for g0 in range(0, len(order), GROUP):
        group = order[g0 : g0 + GROUP]
        lens = [lengths[i] for i in group]
        yield group, lens, np.searchsorted(-np.array(lens), -np.arange(lens[0] + 1), side="left")


def _stack(arrays: list, group: list[int], lens: list[int]):
    """The group's ``n × width`` arrays as one ``steps × windows × width`` array (zero padded)."""
    import numpy as np

    out = np.zeros((lens[0], len(group), arrays[group[0]].shape[1]), arrays[group[0]].dtype)
    for k, i in enumerate(group):
        out[: lens[k], k] = arrays[i]
    return out


def viterbi(scores: list, trans) -> list[list[str]]:
    """For each window, the labelling with the highest sum of label scores (its ``n × labels``
    array in ``scores``) and transition scores ``trans`` (previous label × next label)."""
    import numpy as np

    out: list = [None] * len(scores)
    for group, lens, running in _groups([len(x) for x in scores]):
        steps, width = lens[0], len(group)
        x = _stack(scores, group, lens)
        back = np.zeros((steps, width, trans.shape[0]), np.intp)
        best = x[0].copy()
        for t in range(1, steps):
            k = running[t]
            cand = best[:k, :, None] + trans
            back[t, :k] = cand.argmax(axis=1)
            best[:k] = cand.max(axis=1) + x[t, :k]
        path = np.zeros((steps, width), np.intp)
        cur = np.zeros(width, np.intp)
        for t in range(steps - 1, -1, -1):
            k, ending = running[t], running[t + 1]  # windows [ending, k) end at step t
            cur[ending:k] = best[ending:k].argmax(axis=1)
            path[t, :k] = cur[:k]
            if t:
                cur[:k] = back[t, np.arange(k), cur[:k]]
        for k, i in enumerate(group):
            out[i] = [BIO[j] for j in path[: lens[k], k]]
    return out


def marginals(scores: list, trans) -> list:
    """For each window, each token's probability of each label under the same scores
    (forward-backward, in the exponential domain, rescaled at every step)."""
    import numpy as np

    move = np.exp(trans - trans.max())
    out: list = [None] * len(scores)
    for group, lens, running in _groups([len(x) for x in scores]):
        x = _stack(scores, group, lens)
        emit = np.exp(x - x.max(axis=2, keepdims=True))
        fw = np.zeros_like(emit)
        bw = np.zeros_like(emit)
        fw[0] = emit[0] / emit[0].sum(axis=1, keepdims=True)
        for t in range(1, lens[0]):
            k = running[t]
            f = (fw[t - 1, :k] @ move) * emit[t, :k]
            fw[t, :k] = f / f.sum(axis=1, keepdims=True)
        for t in range(lens[0] - 1, -1, -1):
            k, going = running[t], running[t + 1]  # windows [going, k) end at step t
            bw[t, going:k] = 1.0
            if going:
                b = (emit[t + 1, :going] * bw[t + 1, :going]) @ move.T
                bw[t, :going] = b / b.sum(axis=1, keepdims=True)
        p = fw * bw
        total = p.sum(axis=2, keepdims=True)
        p = np.divide(p, total, out=p, where=total > 0)  # zero on the padding
        for k, i in enumerate(group):
            out[i] = p[: lens[k], k]
    return out


_CACHE: dict[Path, object] = {}
_CACHE_LOCK = threading.Lock()


def _cached(path: Path, read):
    """``read(path)``, once per path for every thread."""
    got = _CACHE.get(path)
    if got is None:
        with _CACHE_LOCK:
            got = _CACHE.get(path)
            if got is None:
                got = _CACHE[path] = read(path)
    return got


def _lexicon(model: Path) -> Lexicon:
    return _cached(lexicon_path(model), Lexicon.read)


def _model() -> Model:
    return _cached(model_path(), Model)


def tag(text: str) -> list[TaggedSpan]:
    """Source, cue and content spans the model finds in ``text``, sorted by start."""
    model = _model()
    lexicon = _lexicon(model_path())
    out: list[TaggedSpan] = []
    windows = paragraphs(text)
    labelled = model.label([features(text, toks, lexicon) for toks in windows])
    for toks, (labels, prob) in zip(windows, labelled):
        if all(lab == "O" for lab in labels):
            continue
        out.extend(decode(toks, labels, [float(prob[i, _COLUMN[lab]]) for i, lab in enumerate(labels)]))
        out.extend(recover(text, toks, labels, lambda lab, i: float(prob[i, _COLUMN[lab]])))
    out.sort(key=lambda t: (t.start, t.end))
    return out


def _sentence_ids(words: list[str]) -> list[int]:
    """The sentence of each token, as :func:`features` counts them (final punctuation outside
    quotation marks)."""
    sent = [0] * len(words)
    quoted = False
    k = 0
    for i, w in enumerate(words):
        sent[i] = k
        if w in _OPEN_QUOTES or (w == '"' and not quoted):
            quoted = True
        elif w in _CLOSE_QUOTES or w == '"':
            quoted = False
        if w in _SENTENCE_END and not quoted:
            k += 1
    return sent


def recover(text: str, spans: list[tuple[int, int]], labels: list[str], marginal) -> list[TaggedSpan]:
    """Sources and contents the best labelling left out: in each sentence of the window where the
    model tags a cue but no source (no content), the untagged token likeliest to be in a source
    (content), with its neighbours at least half as likely, when it is at least
    :data:`RECOVER_MIN_PROB` likely. ``marginal(label, i)`` is the model's probability of
    ``label`` at token ``i`` (from :meth:`Model.label`).

    "The harbour master, speaking after a long night on the quay, said ..." keeps its speaker even
    when the subject stands too far from the verb for the best labelling to reach it."""
    kinds = [lab[2:] if lab != "O" else "O" for lab in labels]
    if "CUE" not in kinds:
        return []
    sent = _sentence_ids([text[s:e] for s, e in spans])
    out = []
    for sid in sorted({sent[i] for i, k in enumerate(kinds) if k == "CUE"}):
        idx = [j for j, x in enumerate(sent) if x == sid]
        for want in ("SRC", "CON"):
            if any(kinds[j] == want for j in idx):
                continue
            p = {j: marginal("B-" + want, j) + marginal("I-" + want, j) for j in idx if kinds[j] == "O"}
            best = max(p, key=p.__getitem__, default=None)
            if best is None or p[best] < RECOVER_MIN_PROB:
                continue
            a = b = best
            while a - 1 in p and p[a - 1] >= RECOVER_MIN_PROB / 2:
                a -= 1
            while b + 1 in p and p[b + 1] >= RECOVER_MIN_PROB / 2:
                b += 1
            out.append(TaggedSpan(want, spans[a][0], spans[b][1], sum(p[j] for j in range(a, b + 1)) / (b - a + 1)))
    return out


def merge(text: str, tagged: list[TaggedSpan], sources: list, claims: list,
          sentences: list[tuple[int, int]] | None = None) -> None:
    """Add to the rules' ``sources`` and ``claims`` (in place) what the model found beyond them.

    A model source that overlaps no rule source becomes a source, its cue the model cue
    nearest to it in the same line. Every model content span of :data:`MIN_CONTENT_WORDS` or
    more becomes a claim and the rules' claims it overlaps give way to it (annotated news marks
    content as the model does, more often than as the rules cut it), unless it overlaps several
    quoted or reported claims, whose cuts then stay. It keeps the source of the quoted or
    reported claim it replaces (when that stays), else it is linked to the source whose cue is
    nearest to it in the same line, and in the same sentence for reported speech; it is "quote"
    inside quotation marks and "reported" otherwise. A reported claim of
    the rules where the model tags no content, nor its source and cue, becomes a statement
    ("fact", no source, score :data:`UNCONFIRMED_SCORE`). ``sentences`` are the text's sentence
    spans (:func:`split_sentences`), split here when not given."""
    from annotator.suggest.claims import Claim
    from annotator.suggest.sentences import split_sentences
    from annotator.suggest.sources import _INVERSION_ONLY, Source, _kind

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
        if cs >= t.end and text[cs:ce].split()[-1:] and text[cs:ce].split()[-1].lower() in _INVERSION_ONLY:
            continue  # as for the rules: "X asked donors for aid" is no attribution, '"…," asked X' is
        sources.append(
            Source(t.start, t.end, _kind(np, ""), cs, ce, text[cs:ce], inverted=cs < t.start,
                   score=round(0.4 + 0.4 * t.score, 3))
        )
    _drop_unconfirmed(sources, claims, len(rule_sources), tagged)
    cue_of = [(x.cue_start, x.cue_end, line_of(x.start)) for x in sources]
    sentence_starts = [a for a, _ in (split_sentences(text) if sentences is None else sentences)]

    def crosses_sentence(a: int, b: int) -> bool:
        """Whether a sentence starts in ``(a, b]`` ("... last year. The minister rejected")."""
        k = bisect_right(sentence_starts, a)
        return k < len(sentence_starts) and sentence_starts[k] <= b
    added: list = []
    replaced: set[int] = set()
    for t in tagged:
        if t.label != "CON":
            continue
        s, e, kind = _content_extent(text, t.start, t.end)
        if len(_WORD.findall(text, s, e)) < MIN_CONTENT_WORDS or _NO_CONTENT.match(text, s, e):
            continue
        # Model content takes the place of the rules' quoted and reported claims it overlaps
        # (annotators cut content as the model does) and keeps their source.
        over = [c for c in claims if c.kind != "fact" and c.start < e and s < c.end]
        if len(over) > 1:
            continue  # one model span over several of the rules' claims: the rules' cuts stay
        if over:
            replaced.add(id(over[0]))
            if over[0].source is not None:
                added.append(Claim(s, e, round(0.4 + 0.3 * t.score, 3), over[0].source, kind))
                continue
        # Else (also when the rules' source of the claim it replaces was dropped) the source whose
        # cue is nearest in the same line, in the same sentence for reported speech (on the
        # held-out month: 1,477 claims linked right and 317 wrong, where keeping the dropped
        # link gave 1,439 and 322, and any cue of the line 1,476 and 338).
        ln = line_of(s)
        best, dist = None, 10**9
        for i, (cs, ce, sl) in enumerate(cue_of):
            if sl != ln:
                continue
            if kind == "reported" and crosses_sentence(min(ce, e), max(cs, s)):
                continue
            d = cs - e if cs >= e else s - ce if ce <= s else 0
            if d < dist:
                best, dist = i, d
        # With no cue in its line (no source to credit), model content still takes the place of
        # the rules' statement it overlaps: the model reads it as what someone said (on the fit
        # part's held-out month attributed-claim F1 +0.005, bootstrap interval +0.003..+0.009).
        added.append(Claim(s, e, round(0.4 + 0.3 * t.score, 3), best, kind))
    # Reported speech where the model sees neither content nor its source and cue stays a
    # statement, without a source: on the held-out month two in three such claims were no
    # attribution ("he signed a bill").
    model = {label: _overlaps([(t.start, t.end) for t in tagged if t.label == label]) for label in LABELS}

    def seen(label: str, s: int, e: int) -> bool:
        return model[label](s, e)

    def confirmed(c) -> bool:
        x = sources[c.source] if c.source is not None else None
        return seen("CON", c.start, c.end) or (
            x is not None and seen("SRC", x.start, x.end) and seen("CUE", x.cue_start, x.cue_end))

    claims[:] = [
        replace(c, kind="fact", source=None, score=UNCONFIRMED_SCORE)
        if c.kind == "reported" and not confirmed(c) else c
        for c in claims
        if id(c) not in replaced and (c.kind != "fact" or not any(a.start < c.end and c.start < a.end for a in added))
    ] + added
    claims.sort(key=lambda c: (c.start, c.end))


# The score of a reported claim the model does not confirm (the lowest a statement is proposed with).
UNCONFIRMED_SCORE = 0.4


_QUOTED = re.compile(r"(?:“|\"|«|``|'')(.*?)(?:,?\s*)(?:”|\"|»|'')\Z", re.DOTALL)
# What a source asked for or refused is no claim: "asked not to be named", "declined to comment".
_NO_CONTENT = re.compile(
    r"(?:not\s+to\s+be\s+(?:named|identified|quoted)|to\s+(?:comment|remain\s+anonymous)|anonymity)\b", re.IGNORECASE
)
_QUOTE_MARK = re.compile(r"[“”\"«»]|``|''")
_WORD = re.compile(r"\w+")
_THAT = re.compile(r"that\s+")


def _content_extent(text: str, s: int, e: int) -> tuple[int, int, str]:
    """The claim a model content span gives, by the project's conventions, and its kind: a quote
    inside its quotation marks without a trailing comma ("quote"), reported speech without a
    leading "that" and without the final full stop ("reported")."""
    while e > s and text[e - 1] in " ,;:.":
        e -= 1
    m = _QUOTED.match(text, s, e)
    if m and m.group(1).strip() and not _QUOTE_MARK.search(m.group(1)):
        return m.start(1), m.end(1), "quote"
    m = _THAT.match(text, s, e)
    if m and m.end() < e:
        s = m.end()
    return s, e, "reported"


def _overlaps(spans: list[tuple[int, int]]):
    """A test whether ``[s, e)`` overlaps any of ``spans``, in logarithmic time: among the spans
    starting before ``e``, one overlaps when the furthest end among them passes ``s``."""
    spans = sorted(spans)
    starts = [a for a, _ in spans]
    reach, furthest = [], -1
    for _, b in spans:
        furthest = max(furthest, b)
        reach.append(furthest)

    def seen(s: int, e: int) -> bool:
        k = bisect_left(starts, e)
        return k > 0 and reach[k - 1] > s

    return seen


def _drop_unconfirmed(sources: list, claims: list, n_rule: int, tagged: list[TaggedSpan]) -> None:
    """Drop (in place) the first ``n_rule`` sources (the rules') that overlap no model source
    while the model tags no cue over theirs; claims and pronouns that pointed to a dropped source
    lose the link, and the remaining indices are renumbered.

    On the fit part's held-out month, with weights fitted before it, most sources the rules credit
    without the model's source or cue were none ("Democrats have long ...", "he signed a bill"):
    dropping every such source raised source F1 by 0.006-0.009 over dropping only descriptions and
    pronouns (0.003 with the CRF alone), and world-news source recall stayed at 0.83-0.89."""
    seen = _overlaps([(t.start, t.end) for t in tagged if t.label in ("SRC", "CUE")])
    drop = {i for i, x in enumerate(sources[:n_rule]) if not seen(x.start, x.end) and not seen(x.cue_start, x.cue_end)}
    if not drop:
        return
    new_index, kept = {}, []
    for i, x in enumerate(sources):
        if i not in drop:
            new_index[i] = len(kept)
            kept.append(x)
    for k, x in enumerate(kept):
        if x.refers_to is not None:
            kept[k] = replace(x, refers_to=new_index.get(x.refers_to))
    sources[:] = kept
    for k, c in enumerate(claims):
        if c.source is not None:
            claims[k] = replace(c, source=new_index.get(c.source))
