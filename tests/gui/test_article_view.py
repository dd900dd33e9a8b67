"""The article view: offsets at the Qt boundary, lazy highlights, overlaps."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCharFormat, QTextCursor

from annotator.domain import Annotation, Tag, normalise_text
from annotator.gui.article_view import ArticleView

TAGS = [Tag(1, "claim", "#3B82F6", "1"), Tag(2, "source", "#16A34A", "2"), Tag(3, "figure", "#E11D48", "3")]
HARD = [
    "👍🏽", "👩‍👩‍👧", "🇺🇦", "🏳️‍🌈", "é", "e\u0301", "ज़ि", "مرحبا بالعالم", "漢字", "１２３", "\r\n", "\n", " ", "x", "𝔘",
]


@pytest.fixture
def view(qtbot):
    v = ArticleView()
    qtbot.addWidget(v)
    v.resize(600, 400)
    v.show()
    qtbot.waitExposed(v)
    return v


def formats_at(view, offset: int) -> list[QTextCharFormat]:
    position = view.to_qt(offset)
    block = view.document().findBlock(position)
    inside = position - block.position()
    ranges = block.layout().formats()
    return [QTextCharFormat(r.format) for r in ranges if r.start <= inside < r.start + r.length]


def annotation(id, tag, start, end, text):
    return Annotation(id, 1, tag, start, end, text[start:end])


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.sampled_from(HARD), min_size=1, max_size=30), st.data())
def test_selection_offsets_round_trip_through_qt(view, pieces, data):
    text = normalise_text("".join(pieces))
    if not text:
        return
    view.set_article(text, [], [], TAGS)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    view.select_span(start, end)
    # Qt's own idea of the selected text matches Python's slice (Qt shows line breaks as U+2029).
    assert view.textCursor().selectedText() == text[start:end].replace("\n", "\u2029")
    assert view.selected_span() == (start, end)


def test_qt_positions_inside_surrogate_pairs_round_down(view):
    text = "a😀b"
    view.set_article(text, [], [], TAGS)
    cursor = view.textCursor()
    cursor.setPosition(2)  # between the two halves of 😀
    assert view.from_qt(2) == 1
    assert view.from_qt(3) == 2 and view.to_qt(2) == 3


def test_highlight_after_astral_characters_lands_on_the_right_text(view, qtbot):
    text = "👩‍👩‍👧 said 🇺🇦 officials reported 11 deaths on 🗓 Monday"
    start = text.index("11 deaths")
    view.set_article(text, [annotation(1, 3, start, start + 9, text)], [], TAGS)
    view.viewport().repaint()
    assert formats_at(view, start) and formats_at(view, start + 8)
    assert formats_at(view, start - 1) == []
    assert formats_at(view, start + 9) == []  # the space after "deaths"
    assert formats_at(view, text.index("Monday")) == []


def test_overlapping_annotations_stay_distinguishable(view):
    text = "The minister said 40 soldiers died in the attack."
    claim = annotation(1, 1, 0, len(text) - 1, text)
    figure = annotation(2, 3, text.index("40"), text.index("40") + len("40 soldiers"), text)
    view.set_article(text, [claim, figure], [], TAGS)
    view.viewport().repaint()
    only_claim = formats_at(view, 2)[0]
    both = formats_at(view, text.index("40") + 1)[0]
    assert only_claim.background().color() != both.background().color()
    assert both.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline
    assert both.underlineColor().isValid()


def test_highlights_far_down_a_long_article_appear_when_scrolled_to(view, qtbot):
    paragraphs = [f"Paragraph {i} says that {i} people were counted." for i in range(3000)]
    text = "\n".join(paragraphs)
    start = text.index("2999 people")
    view.set_article(text, [annotation(1, 3, start, start + 11, text)], [], TAGS)
    view.viewport().repaint()
    block = view.document().findBlock(view.to_qt(start)).blockNumber()
    assert block not in view.highlighter.formatted, "blocks off screen are formatted lazily"
    view.moveCursor(QTextCursor.MoveOperation.End)
    view.ensureCursorVisible()
    qtbot.waitUntil(lambda: bool(formats_at(view, start + 1)))


def test_many_void_qt_calls_do_not_crash_the_interpreter(view):
    # PySide6 6.12.0 on Python 3.11 drops a reference to None on each such call and
    # aborts after a few thousand; pyproject.toml excludes that combination.
    view.set_article("x" * 100, [], [], TAGS)
    cursor = view.textCursor()
    fmt = QTextCharFormat()
    for i in range(30_000):
        cursor.setPosition(i % 100)
        cursor.mergeCharFormat(fmt)
    assert cursor.position() == 99
