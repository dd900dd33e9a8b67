"""Claims: quoted and reported speech, and sentences that assert checkable facts.

Direct quotes give their content; reported speech gives the clause governed
by the attribution ("X said [that] CLAUSE", "CLAUSE, X said", "According to
X, CLAUSE"); any other sentence is a claim when it asserts something a
fact-checker could verify: a figure, an event, a cause or a comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.suggest.sources import Source

SUGGESTER = "claims"

_QUOTE = re.compile(r"“([^”\n]{1,2000})”|\"([^\"\n]{1,2000})\"|«([^»\n]{1,2000})»")
_WORD = re.compile(r"\w[\w'’-]*")
_DATELINE = re.compile(r"[A-Z][A-Z .,'’/-]{1,40}(?:\s*\([^)\n]{1,40}\))?\s*[-–—]+\s+")
_TOLD_OBJECT = re.compile(
    r"\s+(?:Reuters|AFP|AP|the\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*|reporters|journalists|a\s+news\s+conference|"
    r"a\s+press\s+conference|parliament|lawmakers|[A-Z][\w]+(?:\s+[A-Z][\w]+){0,3}|(?:the\s+)?[a-z]+(?:\s+[a-z]+)?\s+(?=that\b))"
)
_AFTER_VERB_FILLER = re.compile(
    r"(?:\s+(?:on|late\s+on|early\s+on|last)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|night|year)"
    r"|\s+in\s+a\s+(?:statement|speech|post|interview|televised\s+address|briefing|tweet|letter|report)(?:\s+(?:on|to)\s+[\w ]{1,30}?(?=,|\s+that\b))?"
    r"|\s+(?:earlier|later|separately|previously|again|also)|\s+(?:on|via)\s+(?:X|Twitter|Facebook|Telegram|television|state\s+TV)"
    r"|\s+at\s+a\s+(?:news|press)\s+conference|\s+(?:yesterday|today)|,)*"
    r"(?:\s+that\b)?\s*[:,]?"
)
_FACT_CUES = re.compile(
    r"\b(?:killed|died|dead|wounded|injured|arrested|detained|attacked|struck|seized|captured|launched|fired|"
    r"destroyed|fled|displaced|evacuated|rose|fell|increased|decreased|declined|dropped|grew|doubled|tripled|"
    r"halved|surged|jumped|plunged|won|lost|elected|voted|signed|passed|approved|rejected|banned|imposed|"
    r"announced|resigned|sentenced|convicted|charged|accused|fined|paid|spent|cost|raised|cut|closed|opened|"
    r"built|began|ended|collapsed|exploded|crashed|sank|burned|hit|occurred|happened|took\s+place|"
    r"because|due\s+to|caused|led\s+to|resulted\s+in|as\s+a\s+result|after|following|"
    r"more\s+than|less\s+than|fewer\s+than|higher|lower|largest|biggest|smallest|highest|lowest|worst|best|"
    r"first|last|record|most|least|compared|than|since|percent|per\s+cent|million|billion|"
    r"is|are|was|were|has|have|had)\b",
    re.IGNORECASE,
)
_STRONG_CUES = re.compile(
    r"\b(?:killed|died|dead|wounded|injured|arrested|detained|attacked|seized|captured|launched|destroyed|fled|"
    r"displaced|rose|fell|increased|decreased|declined|doubled|tripled|surged|plunged|won|lost|voted|signed|"
    r"passed|approved|banned|imposed|resigned|sentenced|convicted|charged|paid|spent|cost|raised|cut|"
    r"because|due\s+to|caused|led\s+to|resulted\s+in|largest|biggest|highest|lowest|worst|record|"
    r"percent|per\s+cent|million|billion|trillion|unemployment|deficit|debt|taxes|jobs)\b",
    re.IGNORECASE,
)
_OPINION = re.compile(
    r"\b(?:I\s+think|I\s+believe|I\s+feel|we\s+need|we\s+have\s+to|we\s+must|we\s+should|we're\s+going\s+to|"
    r"I'm\s+going\s+to|I\s+will|I\s+would|let\s+me|thank\s+you|should|must|I\s+want|hope|please)\b",
    re.IGNORECASE,
)


@dataclass
class Claim:
    start: int
    end: int
    score: float
    source: int | None  # index into the sources list
    kind: str  # quote, reported, fact


def _trim(text: str, s: int, e: int, strip_end: str = " \t\n,;:") -> tuple[int, int]:
    while s < e and text[s] in " \t\n,;:":
        s += 1
    while e > s and text[e - 1] in strip_end:
        e -= 1
    return s, e


def _words(text: str, s: int, e: int) -> int:
    return len(_WORD.findall(text, s, e))


def _sentence_of(sentences: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(sentences) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e = sentences[mid]
        if pos < s:
            hi = mid - 1
        elif pos >= e:
            lo = mid + 1
        else:
            return mid
    return max(0, min(lo, len(sentences) - 1))


def find_claims(
    text: str,
    sentences: list[tuple[int, int]],
    sources: list[Source],
    figure_spans: list[tuple[int, int]],
) -> list[Claim]:
    """Claims in ``text``; ``sources`` come from :func:`find_sources` on the same text."""
    claims: list[Claim] = []
    quotes = [(m.start() + 1, m.end() - 1) for m in _QUOTE.finditer(text)]
    covered: list[tuple[int, int]] = []

    # Reported speech first: it may contain short partial quotes.
    for i, src in enumerate(sources):
        c = _reported_clause(text, sentences, src, quotes)
        if c is None:
            continue
        s, e = c
        if _words(text, s, e) < 3:
            continue
        claims.append(Claim(s, e, 0.7, i, "reported"))
        covered.append((s, e))

    for qs, qe in quotes:
        s, e = _trim(text, qs, qe)
        if _words(text, s, e) < 4 or any(cs <= s and e <= ce for cs, ce in covered):
            continue
        src = _quote_source(text, sources, qs - 1, qe + 1)
        claims.append(Claim(s, e, 0.8, src, "quote"))
        covered.append((qs - 1, qe + 1))

    fig_starts = sorted(figure_spans)
    for ss, se in sentences:
        if any(not (ce <= ss or cs >= se) for cs, ce in covered):
            continue
        m = _DATELINE.match(text, ss, se)
        s = m.end() if m else ss
        score = _fact_score(text, s, se, fig_starts)
        if score < 0.5:
            continue
        src = next((i for i, x in enumerate(sources) if s <= x.start < se), None)
        claims.append(Claim(s, se, score, src, "fact"))
    claims.sort(key=lambda c: (c.start, c.end))
    return claims


def _reported_clause(
    text: str, sentences: list[tuple[int, int]], src: Source, quotes: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The clause that ``src`` is credited with, or None for direct quotes."""
    k = _sentence_of(sentences, src.cue_start)
    ss, se = sentences[k]
    cue = src.cue.lower()
    if cue.startswith(("quoting", "citing", "quoted", "cited")):
        return None
    # Text before the attribution: "CLAUSE, X said." / "CLAUSE, said X." / "CLAUSE, according to X."
    head_end = min(src.start, src.cue_start)
    if head_end > ss and re.search(r",\s*$", text[ss:head_end]):
        pre = text[ss:head_end].rstrip()
        if pre.endswith(("”", '"', "’", "»")) or re.search(r"[”\"»],?\s*$", pre):
            return None  # a direct quote: handled with the quotes
        m = _DATELINE.match(text, ss, head_end)
        s, e = _trim(text, m.end() if m else ss, head_end)
        if text[s : s + 1] in "“\"«":
            return None
        return s, e
    # Text after: "X said (that) CLAUSE." / "According to X, CLAUSE."
    pos = max(src.end, src.cue_end)
    if cue.startswith(("told", "tells")):
        m = _TOLD_OBJECT.match(text, pos, se)
        if m:
            pos = m.end()
    m = _AFTER_VERB_FILLER.match(text, pos, se)
    if m:
        pos = m.end()
    while pos < se and text[pos].isspace():
        pos += 1
    if pos >= se:
        return None
    if text[pos : pos + 1] in "“\"«" or any(qs - 1 == pos for qs, _ in quotes):
        return None
    if re.match(r"\s*(?:[.?!]|$)", text[pos:se]) or re.match(r"\s*(?:to|in|on|at|it|of)\b", text[pos:se]) and cue in ("said", "says", "told", "tells"):
        return None
    # "…, quoting a military source" credits another source: stop before it.
    cut = re.search(r",\s+(?:quoting|citing|according\s+to)\b", text[pos:se])
    end = pos + cut.start() if cut else se
    s, e = _trim(text, pos, end, " \t\n,;:.")
    return (s, e) if s < e else None


def _quote_source(text: str, sources: list[Source], qs: int, qe: int) -> int | None:
    """Index of the source a quotation is attributed to."""
    best = None
    for i, src in enumerate(sources):
        anchor = min(src.start, src.cue_start)
        # "“…,” he said" or "“…,” said X"
        if qe <= anchor <= qe + 40 and "\n" not in text[qe:anchor] and not re.search(r"[.?!]\s", text[qe:anchor]):
            return i
        # "X said: “…”"
        end = max(src.end, src.cue_end)
        if qs - 60 <= end <= qs and "\n" not in text[end:qs] and re.fullmatch(r"[^.?!“”\"]*", text[end:qs]):
            best = i
        if end <= qs and qs - end < 600:
            best = i if best is None or sources[best].end < end else best
    if best is not None and re.search(r"\n\s*\n", text[sources[best].end : qs]) and qs - sources[best].end > 400:
        return None
    return best


def _fact_score(text: str, s: int, e: int, figures: list[tuple[int, int]]) -> float:
    n_words = _words(text, s, e)
    if n_words < 5 or text[e - 1 : e] == "?":
        return 0.0
    sentence = text[s:e]
    score = 0.0
    if any(s <= fs < e for fs, _ in figures):
        score += 0.5
    if _STRONG_CUES.search(sentence):
        score += 0.3
    elif _FACT_CUES.search(sentence):
        score += 0.1
    # Named entities other than the first word suggest a checkable assertion.
    if re.search(r"(?<=[a-z,;] )[A-Z][a-z]+", sentence):
        score += 0.1
    if _OPINION.search(sentence):
        score -= 0.3
    if not re.search(r"[.!]$|[.!][”\"’)]$", sentence) and n_words < 12:
        score -= 0.2  # headlines and captions
    return round(min(score, 0.95), 2)
