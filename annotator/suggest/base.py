"""The suggestion record shared by every suggester (kept apart to avoid import cycles)."""

from __future__ import annotations

from dataclasses import dataclass

# 1.1: calendar expressions proposed as figures of kind "date"; 1.2: attribution cues fitted on
# PolNeAR's fit part, and every source and attributed claim carries its cue; 1.3: the trained
# attribution tagger adds the sources and attributed claims the rules miss; 1.4: the tagger reads a
# cue lexicon fitted with it, the rules' descriptions and pronouns stay only where it sees the cue;
# 1.5: a bidirectional LSTM reads each paragraph with the CRF (their scores added).
SUGGESTER_VERSION = "1.5"

TAGS = ("figure", "source", "claim")


@dataclass(frozen=True)
class SuggestedSpan:
    """A proposed annotation of ``text[start:end]`` (code points, end exclusive).

    ``value`` is a compact JSON object: for figures the normalised ``value``
    (with ``unit``, ``noun``, ``qualifier`` where found), for sources the
    ``kind`` (named, organisation, anonymous, pronoun) and, for a pronoun, the
    index of the source it refers to (``refers_to``). ``source_index`` links a
    claim to the source suggestion at that index of the same returned list.
    ``cue`` is the word or phrase that attributes ("said", "according to",
    "warned"): on a source, and on a claim attributed to one.
    """

    tag: str
    start: int
    end: int
    quote: str
    score: float
    value: str = ""
    suggester: str = ""
    version: str = SUGGESTER_VERSION
    source_index: int | None = None
    cue: str = ""
