"""A fast rule-based sentence splitter that returns exact offsets.

pysbd handles more edge cases but runs at a few hundred kilobytes per second
and returns cleaned strings, which must then be mapped back to offsets; news
text needs only the rules below, and the suggesters need raw speed (see
``benchmarks/bench_suggest.py``).
"""

from __future__ import annotations

import re

# Words that end with a full stop without ending the sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen col lt sgt capt maj cmdr adm rep sen gov pres supt insp
    st jr sr rev hon fr messrs mt ft no nos vol art ch fig approx est dept univ assn
    inc corp ltd co bros plc llc
    jan feb mar apr jun jul aug sep sept oct nov dec
    e.g i.e etc vs cf al u.s u.k u.n u.s.a e.u a.m p.m
    """.split()
)

# A candidate end: terminal punctuation, optional closing quotes/brackets, then space.
_END = re.compile(r"""[.!?…]+["'”’»)\]]*(?=\s)|\n\s*""")
_NEXT_START = re.compile(r"""\s*["'“‘«(\[]*(\S)""")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` closes an abbreviation or an initial."""
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot + 1)
    if not m:
        return False
    word = m.group(1).lower()
    if word in ABBREVIATIONS:
        return True
    # Single letters ("J. Smith") and dotted initialisms ("U.S.") are not ends.
    return len(word) == 1 and word.isalpha() or ("." in word and len(word) <= 6 and word.replace(".", "").isalpha())


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of ``text``.

    Each span is trimmed of surrounding whitespace; a line break always ends a
    sentence (headlines, datelines and paragraphs have no full stop).
    """
    if end is None:
        end = len(text)
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _END.finditer(text, start, end):
        stop = m.end()
        if not m.group().startswith("\n"):
            punct = m.group()
            if punct[0] == "." and len(punct.rstrip("\"'”’»)]")) == 1 and _is_abbreviation(text, m.start()):
                continue
            nxt = _NEXT_START.match(text, stop, end)
            # Lower-case continuation ("... said the U.S. government") is no new sentence.
            if nxt and nxt.group(1).islower():
                continue
        _append(text, spans, pos, stop)
        pos = stop
    _append(text, spans, pos, end)
    return spans


def _append(text: str, spans: list[tuple[int, int]], s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e:
        spans.append((s, e))
