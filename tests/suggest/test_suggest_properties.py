"""Properties that hold for any text: offsets index the text exactly, links point inside the list."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.suggest import TAGS, SuggestedSpan, suggest

# Pieces that exercise the rules (numbers, quotes, speech verbs) mixed with hard Unicode.
NEWS_BITS = st.sampled_from(
    [
        "At least 11 soldiers", " said ", "“", "”", '"', ", ", ". ", "\r\n", "\n\n", "according to ",
        "he said", "Mervan Qamishlo, a spokesman for the SDF,", "$1.2bn", "5%", "a third of",
        "between 10 and 20", "officials", "told Reuters", "👍🏽", "🇸🇾", "مرحبا بالعالم", "नमस्ते",
        "e\u0301", "\u200d", "１２３", "٣٤٥", "\u2028", "\t", "—", "Mr. ", "U.S.", "1,200", "’s",
    ]
)
TEXT = st.lists(st.one_of(NEWS_BITS, st.text(max_size=12)), max_size=40).map("".join)


def check(text: str, spans: list[SuggestedSpan]) -> None:
    assert spans == sorted(spans, key=lambda s: (s.start, s.end))
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.quote
        assert s.tag in TAGS
        assert 0.0 <= s.score <= 1.0
        if s.source_index is not None:
            assert s.tag == "claim"
            assert spans[s.source_index].tag == "source"
        if s.tag == "source":
            ref = json.loads(s.value).get("refers_to")
            if ref is not None:
                assert spans[ref].tag == "source"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_offsets_always_index_the_text(text: str) -> None:
    check(text, suggest(text))


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_arbitrary_unicode(text: str) -> None:
    check(text, suggest(text))


@given(TEXT, st.sets(st.sampled_from(TAGS)))
@settings(max_examples=100, deadline=None)
def test_tag_selection_returns_only_those_tags(text: str, tags: set[str]) -> None:
    spans = suggest(text, tags)
    check(text, spans)
    assert {s.tag for s in spans} <= tags
