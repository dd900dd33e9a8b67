"""Claims: quoted and reported speech, and sentences that assert checkable facts.

Direct quotes give their content; reported speech gives the clause governed
by the attribution ("X said [that] CLAUSE", "CLAUSE, X said", "According to
X, CLAUSE"); any other sentence is a claim when it asserts something a
fact-checker could verify: a figure, an event, a cause or a comparison.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from dataclasses import dataclass

from annotator.suggest.sources import DATELINE, Source

SUGGESTER = "claims"

_PARTICIPLE = re.compile(r",\s+(saying|adding|warning|arguing|claiming|insisting|noting|stressing)\b")
_PARTICIPLE_AT = re.compile(r"(?:saying|adding|warning|arguing|claiming|insisting|noting|stressing)\b")
_QUOTE = re.compile(r"“([^”\n]{1,2000})”|\"([^\"\n]{1,2000})\"|«([^»\n]{1,2000})»|''(?!\s)([^\n]{1,2000}?)''")
_WORD = re.compile(r"\w[\w'’-]*")
_DATELINE = re.compile(DATELINE)
_TOLD_OBJECT = re.compile(
    r"\s+(?:Reuters|AFP|AP|the\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*|reporters|journalists|a\s+news\s+conference|"
    r"a\s+press\s+conference|parliament|lawmakers|[A-Z][\w]+(?:\s+[A-Z][\w]+){0,3}|(?:[a-z]+\s+){1,4}(?=that\b))"
)
_AFTER_VERB_FILLER = re.compile(
    r"(?:\s+(?:on|late\s+on|early\s+on|last)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|night|year)"
    r"|\s+in\s+a\s+(?:statement|speech|post|interview|televised\s+address|briefing|tweet|letter|report)(?:\s+(?:on|to)\s+[\w ]{1,30}?(?=,|\s+that\b))?"
    r"|\s+(?:earlier|later|separately|previously|again|also)|\s+(?:on|via)\s+(?:X|Twitter|Facebook|Telegram|television|state\s+TV)"
    r"|\s+at\s+a\s+(?:news|press)\s+conference|\s+(?:yesterday|today)|,)*"
    r"(?:\s*that\b)?\s*[:,]?"
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
    r"is|are|was|were|has|have|had)\b"
)
_STRONG_CUES = re.compile(
    r"\b(?:killed|died|dead|wounded|injured|arrested|detained|attacked|seized|captured|launched|destroyed|fled|"
    r"displaced|rose|fell|increased|decreased|declined|doubled|tripled|surged|plunged|won|lost|voted|signed|"
    r"passed|approved|banned|imposed|resigned|sentenced|convicted|charged|paid|spent|cost|raised|cut|"
    r"because|due\s+to|caused|led\s+to|resulted\s+in|largest|biggest|highest|lowest|worst|record|"
    r"percent|per\s+cent|million|billion|trillion|unemployment|deficit|debt|taxes|jobs)\b"
)
_OPINION = re.compile(
    r"\b(?:i\s+think|i\s+believe|i\s+feel|we\s+need|we\s+have\s+to|we\s+must|we\s+should|we're\s+going\s+to|"
    r"i'm\s+going\s+to|i\s+will|i\s+would|let\s+me|thank\s+you|should|must|i\s+want|hope|please)\b"
)
# Completed events: past tense of common verbs, and "is raising"-style ongoing actions.
_EVENT_CUES = re.compile(
    r"\b(?:was|were|had|did|made|got|took|gave|sent|went|came|left|paid|put|told|found|began|became|"
    r"built|brought|bought|sold|held|led|ran|saw|ruled|approved|signed|called|supported|opposed|voted|"
    r"released|concluded|stripped|happened|formed|created|lost|won|cut|raised|moved|closed|opened|"
    r"(?:is|are|has\s+been|have\s+been)\s+\w+ing)\b"
)
# The cue patterns above run on lower-cased text.


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
    """Claims in ``text``; ``sources`` come from :func:`find_sources` on the same text.

    Every lookup goes through sorted offsets and bisection, so a long text costs
    time in proportion to its length.
    """
    claims: list[Claim] = []
    quotes = [(m.start(m.lastindex), m.end(m.lastindex)) for m in _QUOTE.finditer(text)]
    quote_opens = {qs - 1 for qs, _ in quotes}
    source_starts = [x.start for x in sources]
    sentence_starts = [ss for ss, _ in sentences]
    covered_sentences: set[int] = set()
    reported: list[tuple[int, int]] = []

    def cover(s: int, e: int) -> None:
        first = max(0, bisect_right(sentence_starts, s) - 1)
        last = bisect_left(sentence_starts, e)
        covered_sentences.update(range(first, last))

    cue_starts = sorted(x.cue_start for x in sources)
    # Reported speech first: it may contain short partial quotes.
    for i, src in enumerate(sources):
        for s, e in _reported_clauses(text, sentences, src, quote_opens, cue_starts):
            if _words(text, s, e) < 3:
                continue
            claims.append(Claim(s, e, 0.7, i, "reported"))
            cover(s, e)
            reported.append((s, e))
    # "…, the United Nations said, warning that the number could rise": the same source.
    for m in _PARTICIPLE.finditer(text):
        j = bisect_left(source_starts, m.start()) - 1
        if j < 0:
            continue
        k = _sentence_of(sentences, m.start())
        ss, se = sentences[k]
        if sources[j].start < ss or sources[j].cue == m.group(1):
            continue
        f = _AFTER_VERB_FILLER.match(text, m.end(), se)
        s, e = _trim(text, f.end() if f else m.end(), se, " \t\n,;:.")
        if _words(text, s, e) >= 3 and text[s : s + 1] not in "“\"«":
            claims.append(Claim(s, e, 0.65, j, "reported"))
            cover(s, e)
            reported.append((s, e))

    # A short quotation inside reported speech is part of that claim: containment is
    # answered with the reported spans sorted by start and the running maximum of their ends.
    reported.sort()
    reported_starts = [r[0] for r in reported]
    reach = list(accumulate((r[1] for r in reported), max))
    for qs, qe in quotes:
        s, e = _trim(text, qs, qe)
        if _words(text, s, e) < 4:
            continue
        i = bisect_right(reported_starts, s) - 1
        if i >= 0 and reach[i] >= e:
            continue
        src = _quote_source(text, sources, source_starts, qs - 1, qe + 1)
        claims.append(Claim(s, e, 0.8, src, "quote"))
        cover(qs - 1, qe + 1)

    fig_starts = sorted(fs for fs, _ in figure_spans)
    low: str | None = text.lower()
    if len(low) != len(text):
        low = None  # lower-casing changed the length ("İ"): lower each sentence on its own
    for k, (ss, se) in enumerate(sentences):
        if k in covered_sentences:
            continue
        m = _DATELINE.match(text, ss, se)
        s = m.end() if m else ss
        has_figure = bisect_left(fig_starts, s) < bisect_left(fig_starts, se)
        score = _fact_score(text, low, s, se, has_figure)
        if score < 0.4:  # a figure alone, or two other cues
            continue
        j = bisect_left(source_starts, s)
        src = j if j < len(sources) and sources[j].start < se else None
        claims.append(Claim(s, se, score, src, "fact"))
    claims.sort(key=lambda c: (c.start, c.end))
    return claims


# Verbs whose object is a noun phrase unless "that" follows ("urged restraint").
_NEED_THAT = frozenset(
    "urged demanded demands denied denies described promised pledged vowed declined posted tweeted "
    "asked welcomed".split()
)
# Longer stretches are no single claim (and bounding them keeps the work linear).
MAX_CLAIM = 1000
_QUOTE_MARK = re.compile(r"[”\"»]")
_BEFORE_ATTRIBUTION = re.compile(r",\s*(?:according\s+to\s+)?$")
# A fronted adverbial is no content: "In an interview on Tuesday, she said …", "At a rally, …".
_FRONTED = re.compile(
    r"(?:(?:and|but|yet|so)\s+)?(?:in|at|on|as|after|when|with|though|although|while|during|before|since|"
    r"for|by|from|until|unlike|despite|if|because|once|throughout|amid|under|over|earlier|later|"
    r"speaking|asked|writing|either|(?:minutes|hours|days|weeks|months|soon|shortly|long)\s+(?:after|before)|"
    r"(?:last|this|next)\s+(?:year|month|week|spring|summer|fall|autumn|winter)|(?:yesterday|today)$|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day$)\b",
    re.IGNORECASE,
)
_QUOTE_BEFORE = re.compile(r"(?:[”\"»’]|''),?\s*$")
_NOT_A_CLAUSE = re.compile(r"\s*(?:[.?!]|$)|\s*(?:to|in|on|at(?!\s+(?:least|most)\b)|it|of|after|before|during|outside|following)\b")
# Where a reported clause ends before the sentence does: another credit ("…, quoting a
# military source"), a comment on it ("…, a claim opposition leaders denied") or a second
# action of the speaker ("… and urged people to remove standing water").
_OTHER_CREDIT = re.compile(
    r",\s+(?:quoting|citing|according\s+to|saying|adding|warning|arguing|claiming|insisting|noting|stressing)\b"
    r"|,\s+(?:a|an)\s+(?:claim|allegation|accusation|charge|assertion|view)\b"
    r"|,?\s+and\s+(?:urged|called|said|added|warned|asked|vowed|pledged|promised|appealed|declined|told|insisted)\b"
)
_AND_CLAUSE = re.compile(r",?\s*and\s+")


def _reported_clauses(
    text: str, sentences: list[tuple[int, int]], src: Source, quote_opens: set[int], cue_starts: list[int]
) -> list[tuple[int, int]]:
    """The clauses ``src`` is credited with (none for direct quotes, which are handled apart)."""
    k = _sentence_of(sentences, src.cue_start)
    ss, se = sentences[k]
    cue = src.cue.lower()
    if cue.startswith(("quoting", "citing", "quoted", "cited")):
        return []
    out: list[tuple[int, int]] = []
    # Text before the attribution: "CLAUSE, X said." / "CLAUSE, said X." / "CLAUSE, according to X."
    head_end = min(src.start, src.cue_start)
    before = _BEFORE_ATTRIBUTION.search(text, max(ss, head_end - 24), head_end) if 0 < head_end - ss <= MAX_CLAIM else None
    if before:
        if _QUOTE_BEFORE.search(text, max(ss, before.start() - 4), before.start() + 1):
            return []  # a direct quote: handled with the quotes
        m = _DATELINE.match(text, ss, head_end)
        s, e = _trim(text, m.end() if m else ss, before.start())
        fronted = not src.inverted and e > s and all(
            _FRONTED.match(part.strip()) for part in text[s:e].split(","))
        if e > s and text[s : s + 1] not in "“\"«" and not _has_cue(cue_starts, s, e) and not fronted:
            out.append((s, e))
        if src.inverted and not cue.startswith("according"):
            return out
        # "…, the regional utility said, and four people were taken to hospital"
        pos = max(src.end, src.cue_end)
        m = _AFTER_VERB_FILLER.match(text, pos, se)
        pos = m.end() if m else pos
        a = _AND_CLAUSE.match(text, pos, se)
        if out and a and se - a.end() <= MAX_CLAIM:
            s, e = _trim(text, a.end(), se, " \t\n,;:.")
            if _words(text, s, e) >= 4:
                out.append((s, e))
        if not fronted:
            return out
    if src.inverted and not cue.startswith("according") and "statement" not in cue:
        return []
    # Text after: "X said (that) CLAUSE." / "According to X, CLAUSE."
    pos = max(src.end, src.cue_end)
    if cue.startswith(("told", "tells")):
        m = _TOLD_OBJECT.match(text, pos, se)
        if m:
            pos = m.end()
    m = _AFTER_VERB_FILLER.match(text, pos, se)
    if m:
        if cue in _NEED_THAT and not m.group().rstrip(" :,").endswith("that"):
            return []
        pos = m.end()
    while pos < se and text[pos].isspace():
        pos += 1
    if se - pos > MAX_CLAIM:
        return []
    if pos >= se or text[pos] in "“\"«" or pos in quote_opens or _PARTICIPLE_AT.match(text, pos, se):
        return []  # a direct quote, or "…, warning that …" (see the participles in find_claims)
    if _NOT_A_CLAUSE.match(text, pos, se) and cue in ("said", "says", "told", "tells", "added", "adds"):
        return []
    if _QUOTE_MARK.search(text, max(ss, head_end - MAX_CLAIM), head_end):
        return []  # "“…,” Senator Delgado said after the vote."
    # "…, quoting a military source" credits another source: stop before it.
    cut = _OTHER_CREDIT.search(text, pos, se)
    s, e = _trim(text, pos, cut.start() if cut else se, " \t\n,;:.")
    return [(s, e)] if s < e else []


def _has_cue(cue_starts: list[int], s: int, e: int) -> bool:
    """True when another attribution starts inside ``s:e`` (the clause is not one claim)."""
    return bisect_left(cue_starts, s) < bisect_left(cue_starts, e)


_SENTENCE_BREAK = re.compile(r"[.?!]\s|\n")
_NO_BREAK_OR_QUOTE = re.compile(r"[^.?!“”\"\n]*")
_BLANK_LINE = re.compile(r"\n\s*\n")


def _quote_source(text: str, sources: list[Source], starts: list[int], qs: int, qe: int) -> int | None:
    """Index of the source a quotation (``qs:qe`` with its marks) is attributed to."""
    lo = bisect_left(starts, qs - 700)
    hi = bisect_right(starts, qe + 60)
    # "“…,” he said" / "“…,” said X": the attribution follows the closing mark.
    for i in range(lo, hi):
        src = sources[i]
        anchor = min(src.start, src.cue_start)
        if qe <= anchor <= qe + 40 and not _SENTENCE_BREAK.search(text, qe, anchor):
            return i
    # "X said: “…”": the attribution leads into the quotation.
    for i in range(hi - 1, lo - 1, -1):
        src = sources[i]
        end = max(src.end, src.cue_end)
        if qs - 60 <= end <= qs and _NO_BREAK_OR_QUOTE.fullmatch(text, end, qs):
            return i
    # A quotation on its own continues the speaker quoted just before.
    for i in range(hi - 1, lo - 1, -1):
        src = sources[i]
        end = max(src.end, src.cue_end)
        if end <= qs:
            if qs - end > 400 and _BLANK_LINE.search(text, end, qs):
                return None
            return i
    return None


_PROPER_NAME_INSIDE = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
_ENDS_LIKE_SENTENCE = re.compile(r"(?:[.!]|[.!][”\"’)])$")


def _fact_score(text: str, low: str | None, s: int, e: int, has_figure: bool) -> float:
    """How strongly the sentence ``text[s:e]`` asserts something checkable (0..0.95).

    Evidence adds up: a figure, a verb of measurable change or a superlative, a
    completed event (past tense), a named entity; opinions and plans subtract.
    ``low`` is ``text`` lower-cased (same length), for the lower-case cue patterns.
    """
    n_words = _words(text, s, e)
    if n_words < 5 or text[e - 1 : e] == "?":
        return 0.0
    ls, le = s, e
    if low is None:
        low, ls, le = text[s:e].lower(), 0, e - s
    score = 0.5 if has_figure else 0.0
    if _STRONG_CUES.search(low, ls, le):
        score += 0.3
    elif _FACT_CUES.search(low, ls, le):
        score += 0.1
    if _EVENT_CUES.search(low, ls, le):
        score += 0.2
    # Named entities other than the first word suggest a checkable assertion.
    if _PROPER_NAME_INSIDE.search(text, s, e):
        score += 0.1
    if _OPINION.search(low, ls, le):
        score -= 0.3
    if not _ENDS_LIKE_SENTENCE.search(text, s, e) and n_words < 12:
        score -= 0.2  # headlines and captions
    return round(max(0.0, min(score, 0.95)), 2)
