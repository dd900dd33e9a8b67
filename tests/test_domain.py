"""Offsets, spans and text normalisation (pure functions, no Qt)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from annotator.domain import (
    SpanError,
    Utf16Map,
    check_span,
    content_hash,
    context,
    extend_to_words,
    normalise_text,
    trim_span,
)

# Pieces that make offset conversion hard: astral emoji with skin tones, ZWJ
# family and profession sequences, regional-indicator flags, keycaps, Arabic
# with harakat, combining accents, CJK, mathematical letters outside the BMP.
HARD_PIECES = [
    "👍🏽", "👩‍👩‍👧‍👦", "🧑🏿‍🚒", "🇺🇦", "🇬🇧", "🏴‍☠️", "1️⃣", "❤️",
    "قال المتحدث إن ٪٣٠", "مُحَمَّد", "e\u0301", "n\u0303", "Z\u0351\u0362",
    "中文", "𝔘𝔫𝔦", "😀", "\u200d", "\U0010ffff", " ", "\n", "\t", "a", "x y",
    "“quoted”", "£3.5m",
]

texts = st.lists(
    st.one_of(st.sampled_from(HARD_PIECES), st.text(max_size=5)), max_size=30
).map("".join)


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@given(texts, st.data())
def test_to_qt_counts_utf16_units(text, data):
    m = Utf16Map(text)
    i = data.draw(st.integers(0, len(text)))
    assert m.to_qt(i) == utf16_len(text[:i])
    assert m.u16_length == utf16_len(text)
    assert m.length == len(text)


@given(texts)
def test_round_trip_every_code_point_offset(text):
    m = Utf16Map(text)
    for i in range(len(text) + 1):
        assert m.from_qt(m.to_qt(i)) == i


@given(texts)
def test_from_qt_inside_surrogate_pair_rounds_down(text):
    m = Utf16Map(text)
    for i, ch in enumerate(text):
        if ord(ch) > 0xFFFF:
            high = utf16_len(text[:i])
            assert m.from_qt(high) == i
            assert m.from_qt(high + 1) == i  # between the two surrogates
            assert m.from_qt(high + 2) == i + 1


@given(texts, st.data())
def test_qt_span_reads_the_same_text(text, data):
    """A span converted to Qt and back selects exactly the same characters."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    m = Utf16Map(text)
    u16 = text.encode("utf-16-le")
    qt_start, qt_end = m.to_qt(start), m.to_qt(end)
    assert u16[2 * qt_start : 2 * qt_end].decode("utf-16-le") == text[start:end]
    assert text[m.from_qt(qt_start) : m.from_qt(qt_end)] == text[start:end]


def test_conversion_by_hand():
    text = "a👍🏽b"  # a, thumbs up (astral), skin tone (astral), b
    m = Utf16Map(text)
    assert [m.to_qt(i) for i in range(5)] == [0, 1, 3, 5, 6]
    assert [m.from_qt(p) for p in range(7)] == [0, 1, 1, 2, 2, 3, 4]


@pytest.mark.parametrize("bad", [-1, 7])
def test_out_of_range_is_refused(bad):
    m = Utf16Map("a👍🏽b")
    with pytest.raises(IndexError):
        m.from_qt(bad)
    with pytest.raises(IndexError):
        m.to_qt(bad if bad < 0 else 5)


# -- normalisation ---------------------------------------------------------


@given(st.lists(st.sampled_from(HARD_PIECES + ["\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0c"]), max_size=30).map("".join))
def test_normalised_text_has_only_newline_breaks_and_stays_aligned(raw):
    text = normalise_text(raw)
    assert "\r" not in text and "\u2028" not in text and "\u2029" not in text and "\x00" not in text
    assert normalise_text(text) == text  # idempotent: never re-normalises differently
    # Qt starts a block or line at each of these; only \n may remain.
    assert not any(ch in text for ch in "\r\x0b\x0c\x85\u2028\u2029")
    one_per_break = raw.replace("\r\n", "\n")
    assert text.count("\n") == sum(one_per_break.count(b) for b in "\n\r\u2028\u2029\x85\x0c")
    m = Utf16Map(text)
    assert m.u16_length == utf16_len(text)


def test_crlf_and_bom_and_nul():
    assert normalise_text("\ufeffHead\r\nline\rnext\u2028x\x00y") == "Head\nline\nnext\nxy"
    assert normalise_text("a\r\n\r\nb") == "a\n\nb"


def test_content_hash_ignores_whitespace_layout_and_composition():
    assert content_hash("A  story\n\nhere") == content_hash("A story here ")
    assert content_hash("cafe\u0301") == content_hash("café")
    assert content_hash("A story") != content_hash("A storey")


# -- spans -----------------------------------------------------------------


@given(texts, st.data())
def test_trim_span_removes_only_surrounding_whitespace(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s, e = trim_span(text, start, end)
    assert start <= s <= e <= end
    assert text[s:e] == text[start:end].strip()


def test_trim_span_examples():
    text = "  at least 11 soldiers \n"
    assert trim_span(text, 0, len(text)) == (2, 22)
    assert trim_span("   ", 0, 3)[0] == trim_span("   ", 0, 3)[1]


@given(texts, st.data())
def test_extend_to_words_contains_trimmed_selection(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    ts, te = trim_span(text, start, end)
    assume(ts < te)
    s, e = extend_to_words(text, start, end)
    assert s <= ts and e >= te
    assert text[s:e] == text[s:e].strip()
    # Idempotent: a whole-word span stays put.
    assert extend_to_words(text, s, e) == (s, e)


def test_extend_to_words_examples():
    text = "They said at least 11 soldiers died."
    i = text.index("east")
    assert text.__getitem__(slice(*extend_to_words(text, i, i + 6))) == "least 11"
    arabic = "قال مُحَمَّد اليوم"
    j = arabic.index("مُ") + 2
    s, e = extend_to_words(arabic, j, j + 1)
    assert arabic[s:e] == "مُحَمَّد"
    accent = "un café noir"
    k = accent.index("caf")
    assert accent[slice(*extend_to_words(accent, k, k + 2))] == "café"
    combining = "un cafe\u0301 noir"
    k = combining.index("caf")
    assert combining[slice(*extend_to_words(combining, k, k + 2))] == "cafe\u0301"


def test_check_span():
    text = "Police said 11 died."
    check_span(text, 12, 14, "11")
    check_span(text, 0, len(text))
    for start, end in [(-1, 2), (3, 3), (5, 2), (0, len(text) + 1)]:
        with pytest.raises(SpanError):
            check_span(text, start, end)
    with pytest.raises(SpanError, match="not"):
        check_span(text, 12, 14, "12")
    with pytest.raises(SpanError):
        check_span(text, 1.0, 2)  # type: ignore[arg-type]


def test_context_cuts_code_points():
    text = "x" * 50 + "👍🏽" + "TARGET" + "🇺🇦" + "y" * 50
    start = text.index("TARGET")
    before, after = context(text, start, start + 6, width=3)
    assert before == "x👍🏽" and after == "🇺🇦y"
    assert context(text, 0, 2, width=10)[0] == ""
