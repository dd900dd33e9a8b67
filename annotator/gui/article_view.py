"""The article view: a read-only QPlainTextEdit with annotation highlights.

This module is the GUI boundary for offsets: everything outside it speaks
Python code points; Qt's UTF-16 positions are converted here, through
:class:`annotator.domain.Utf16Map`, and nowhere else.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QWidget,
)

from annotator.domain import Annotation, Suggestion, Tag, Utf16Map, line_starts


def tint(colour: str, strength: float = 0.35) -> QColor:
    """A light background version of a tag colour that keeps black text readable."""
    c = QColor(colour)
    if not c.isValid():
        c = QColor("#888888")
    r, g, b = c.red(), c.green(), c.blue()
    return QColor(
        round(255 - (255 - r) * strength), round(255 - (255 - g) * strength), round(255 - (255 - b) * strength)
    )


class _Span:
    __slots__ = ("end", "id", "start", "suggested", "tag_id")

    def __init__(self, id: int, tag_id: int, start: int, end: int, suggested: bool):
        self.id, self.tag_id, self.start, self.end, self.suggested = id, tag_id, start, end, suggested


class AnnotationHighlighter:
    """Paints annotations into the blocks (lines) of the article's document.

    Spans are bucketed by the blocks they touch. Formats are applied lazily,
    only to blocks about to be painted (``format_visible``), and re-applied to
    just the touched blocks when one annotation changes; so a 1,000,000-character
    article with 20,000 annotations opens as fast as the screen it shows.
    Accepted annotations get a tinted background (the innermost span's colour)
    and, where they overlap, an underline in the enclosing span's colour
    (wavy for three or more); suggestions get a dashed underline and no fill.
    """

    def __init__(self, document: QTextDocument):
        self.document = document
        self.text = ""
        self.map = Utf16Map("")
        self.starts = [0]
        self.colours: dict[int, str] = {}
        self.blocks: dict[int, list[_Span]] = defaultdict(list)
        self.spans: dict[tuple[int, bool], _Span] = {}
        self.formatted: set[int] = set()
        self.show_suggestions = True
        self.selected_id: int | None = None
        self._formats: dict[tuple, QTextCharFormat] = {}

    # -- content ----------------------------------------------------------

    def set_text(self, text: str) -> None:
        self.text = text
        self.map = Utf16Map(text)
        self.starts = line_starts(text)
        self.blocks = defaultdict(list)
        self.spans = {}
        self.formatted = set()

    def set_tags(self, tags: list[Tag]) -> None:
        self.colours = {t.id: t.colour for t in tags}
        self._formats.clear()

    def block_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def _blocks_of(self, span: _Span) -> range:
        return range(self.block_of(span.start), self.block_of(max(span.start, span.end - 1)) + 1)

    def add_span(self, span: _Span) -> range:
        blocks = self._blocks_of(span)
        self.spans[(span.id, span.suggested)] = span
        for b in blocks:
            self.blocks[b].append(span)
        return blocks

    def remove_span(self, span_id: int, suggested: bool = False) -> range:
        span = self.spans.pop((span_id, suggested), None)
        if span is None:
            return range(0)
        blocks = self._blocks_of(span)
        for b in blocks:
            self.blocks[b].remove(span)
        return blocks

    def blocks_of_id(self, span_id: int | None, suggested: bool = False) -> range:
        span = self.spans.get((span_id, suggested)) if span_id is not None else None
        return self._blocks_of(span) if span is not None else range(0)

    def set_spans(self, annotations: list[Annotation], suggestions: list[Suggestion]) -> None:
        """Index all spans by block; both lists come sorted by start, so one walk
        along the line starts places every span without a search."""
        self.blocks = blocks = defaultdict(list)
        self.spans = spans = {}
        starts = self.starts
        last = len(starts) - 1
        for items, suggested in ((annotations, False), (suggestions, True)):
            b = 0
            for a in sorted(items, key=lambda x: x.start) if suggested else items:
                span = _Span(a.id, a.tag_id, a.start, a.end, suggested)
                spans[(a.id, suggested)] = span
                while b < last and starts[b + 1] <= a.start:
                    b += 1
                blocks[b].append(span)
                e = b
                while e < last and starts[e + 1] < a.end:
                    e += 1
                    blocks[e].append(span)

    def spans_at(self, offset: int) -> list[_Span]:
        return [s for s in self.blocks.get(self.block_of(offset), ()) if s.start <= offset < s.end]

    # -- applying formats -----------------------------------------------------

    def refresh_blocks(self, blocks) -> None:
        """Re-apply formats to blocks that were already painted (others wait until
        they scroll into view)."""
        doc = self.document
        for b in blocks:
            if b in self.formatted:
                self.apply(doc.findBlockByNumber(b))

    def refresh_all(self) -> None:
        self.refresh_blocks(sorted(self.formatted))

    def apply(self, block) -> None:
        """Give one block its highlight formats (Qt repaints it by itself)."""
        number = block.blockNumber()
        ranges = self._ranges(block, number)
        if ranges or number in self.formatted:
            block.layout().setFormats(ranges)
            self.document.markContentsDirty(block.position(), block.length())
        self.formatted.add(number)

    # -- computing formats ---------------------------------------------------

    def _format(self, inner: int, outer: int | None, depth: int, suggested: bool, selected: bool,
                shade: int = 0) -> QTextCharFormat:
        key = (inner, outer, min(depth, 3), suggested, selected, shade)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            colour = self.colours.get(inner, "#888888")
            if suggested:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(QColor(colour))
                fmt.setBackground(tint(colour, 0.08))
            else:
                # Deeper spans are stronger (a claim inside a claim shows), and of two
                # touching spans of one tag the second is a shade stronger (they do not merge).
                strength = 0.32 + 0.16 * (min(depth, 3) - 1) + 0.14 * shade
                fmt.setBackground(tint(colour, 0.72 if selected else strength))
                if outer is not None:
                    style = (
                        QTextCharFormat.UnderlineStyle.WaveUnderline if depth >= 3
                        else QTextCharFormat.UnderlineStyle.SingleUnderline
                    )
                    fmt.setUnderlineStyle(style)
                    fmt.setUnderlineColor(QColor(self.colours.get(outer, "#888888")).darker(120))
            self._formats[key] = fmt
        return fmt

    def _shade(self, span: _Span, visible: list[_Span]) -> int:
        """0 or 1, alternating along a run of spans of one tag that touch, or are
        apart by white space only (which would read as one long span)."""
        shade = 0
        text = self.text
        while True:
            before = next((s for s in visible if s.tag_id == span.tag_id and not s.suggested
                           and s.end <= span.start and not text[s.end:span.start].strip()), None)
            if before is None:
                return shade
            shade, span = 1 - shade, before

    def _ranges(self, block, number: int) -> list[QTextLayout.FormatRange]:
        spans = self.blocks.get(number)
        if not spans:
            return []
        visible = [s for s in spans if self.show_suggestions or not s.suggested]
        if not visible:
            return []
        block_start = self.starts[number] if number < len(self.starts) else self.map.length
        block_end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else self.map.length
        base = block.position()
        if len(visible) == 1:
            cuts = [visible[0].start, visible[0].end]
        else:
            cuts = sorted({max(block_start, min(block_end, p)) for s in visible for p in (s.start, s.end)})
        ranges = []
        for lo, hi in zip(cuts, cuts[1:]):
            lo, hi = max(lo, block_start), min(hi, block_end)
            if lo >= hi:
                continue
            covering = [s for s in visible if s.start <= lo and s.end >= hi]
            if not covering:
                continue
            accepted = [s for s in covering if not s.suggested]
            if accepted:
                accepted.sort(key=lambda s: s.end - s.start)
                inner = accepted[0]
                outer = accepted[-1].tag_id if len(accepted) > 1 else None
                fmt = self._format(inner.tag_id, outer, len(accepted), False, inner.id == self.selected_id,
                                   self._shade(inner, visible))
            else:
                fmt = self._format(covering[0].tag_id, None, 1, True, False)
            r = QTextLayout.FormatRange()
            r.start = self.map.to_qt(lo) - base
            r.length = self.map.to_qt(hi) - base - r.start
            r.format = fmt
            ranges.append(r)
        return ranges


class ParagraphLayout(QPlainTextDocumentLayout):
    """Plain-text layout with a gap between lines that are both text: articles whose
    paragraphs end in a single line break read as paragraphs, not as one wall of text.
    Only the drawing changes; the text, its blocks and every offset stay as they are."""

    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self.gap = 0.0

    def blockBoundingRect(self, block) -> QRectF:
        rect = super().blockBoundingRect(block)
        following = block.next()
        if self.gap and block.length() > 1 and following.isValid() and following.length() > 1:
            rect.setHeight(rect.height() + self.gap)
        return rect


# Single keys the article view acts on (J/K, N, A, X); a tag may not take them.
COMMAND_KEYS = {"j": "next annotation", "k": "previous annotation", "n": "next suggestion",
                "a": "accept suggestion", "x": "reject suggestion"}


class ArticleView(QPlainTextEdit):
    """Read-only article text with highlights; selection by mouse or keyboard.

    Signals carry code-point offsets or annotation ids, never Qt positions.
    """

    navigate = Signal(int)                # +1 next / -1 previous annotation
    annotationClicked = Signal(int)       # annotation id under a click
    keyCommand = Signal(str)              # "next_suggestion", "previous_suggestion", "accept", "reject"
    filesDropped = Signal(list)           # local file paths dropped on the view

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setUndoRedoEnabled(False)
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5) + 1.5)
        self.setFont(font)
        self.paragraphs = ParagraphLayout(self.document())
        self.document().setDocumentLayout(self.paragraphs)
        self._set_paragraph_gap()
        self.document().setDocumentMargin(16)
        self.highlighter = AnnotationHighlighter(self.document())
        self._flash_timer = QTimer(self, singleShot=True, interval=700)
        self._flash_timer.timeout.connect(lambda: self.setExtraSelections([]))
        # Set by the window: text for the tooltip of an annotation (or suggestion) id.
        self.describe: Callable[[int, bool], str] = lambda _id, _suggested: ""

    # -- offsets: the one place that converts -----------------------------

    def to_qt(self, offset: int) -> int:
        return self.highlighter.map.to_qt(offset)

    def from_qt(self, position: int) -> int:
        return self.highlighter.map.from_qt(position)

    def selected_span(self) -> tuple[int, int]:
        """The selection as code-point offsets ``(start, end)``; equal when empty."""
        cursor = self.textCursor()
        return self.from_qt(cursor.selectionStart()), self.from_qt(cursor.selectionEnd())

    def select_span(self, start: int, end: int) -> None:
        """Select code points ``start:end`` (as a person would with Shift+arrows)."""
        cursor = self.textCursor()
        cursor.setPosition(self.to_qt(start))
        cursor.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def cursor_offset(self) -> int:
        return self.from_qt(self.textCursor().position())

    # -- content ----------------------------------------------------------

    def set_article(self, text: str, annotations: list[Annotation], suggestions: list[Suggestion], tags: list[Tag]) -> None:
        h = self.highlighter
        # Drop the old selection first: its positions mean nothing in the new text,
        # and listeners of selectionChanged convert them with the new text's map.
        self.setTextCursor(QTextCursor(self.document()))
        h.set_text(text)
        h.set_tags(tags)
        h.set_spans(annotations, suggestions)
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def set_suggestions(self, annotations: list[Annotation], suggestions: list[Suggestion]) -> None:
        self.highlighter.set_spans(annotations, suggestions)
        self.rehighlight_all()

    def set_show_suggestions(self, show: bool) -> None:
        self.highlighter.show_suggestions = show
        self.rehighlight_all()

    def rehighlight_all(self) -> None:
        self.highlighter.refresh_all()
        self.viewport().update()

    def format_visible(self) -> None:
        """Apply highlight formats to every block on screen that has none yet."""
        h = self.highlighter
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        bottom = self.viewport().rect().bottom()
        while block.isValid():
            if block.blockNumber() not in h.formatted:
                h.apply(block)
            if self.blockBoundingGeometry(block).translated(offset).top() > bottom:
                break
            block = block.next()

    def paintEvent(self, event) -> None:
        self.format_visible()
        super().paintEvent(event)

    def add_annotation(self, a: Annotation) -> None:
        h = self.highlighter
        h.refresh_blocks(h.add_span(_Span(a.id, a.tag_id, a.start, a.end, False)))

    def remove_annotation(self, a: Annotation) -> None:
        h = self.highlighter
        h.refresh_blocks(h.remove_span(a.id))

    def update_annotation(self, a: Annotation) -> None:
        h = self.highlighter
        blocks = h.remove_span(a.id)
        h.add_span(_Span(a.id, a.tag_id, a.start, a.end, False))
        h.refresh_blocks(blocks)

    def set_selected_annotation(self, a: Annotation | None) -> None:
        h = self.highlighter
        old = h.blocks_of_id(h.selected_id)
        h.selected_id = a.id if a else None
        h.refresh_blocks(sorted({*old, *h.blocks_of_id(h.selected_id)}))

    def reveal(self, start: int, end: int, *, flash: bool = True) -> None:
        """Scroll to a span and flash it briefly."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.to_qt(start))
        cursor.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        place = QTextCursor(self.document())
        place.setPosition(self.to_qt(start))
        self.setTextCursor(place)
        self.ensureCursorVisible()
        if flash:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#FFE066"))
            fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
            selection.format = fmt
            self.setExtraSelections([selection])
            self._flash_timer.start()

    def zoom(self, steps: int) -> None:
        if steps > 0:
            self.zoomIn(steps)
        else:
            self.zoomOut(-steps)
        self._set_paragraph_gap()

    def _set_paragraph_gap(self) -> None:
        self.paragraphs.gap = round(self.fontMetrics().height() * 0.6)
        self.viewport().update()

    # -- events -------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Tab and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                self.navigate.emit(1)
                return True
            if key == Qt.Key.Key_Backtab:
                self.navigate.emit(-1)
                return True
        return super().event(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            self._show_tooltip(event.pos(), event.globalPos())
            return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)
        if not mods and event.key() in (Qt.Key.Key_J, Qt.Key.Key_K) and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.navigate.emit(1 if event.key() == Qt.Key.Key_J else -1)
            return
        command = None
        if not mods:
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            command = {
                Qt.Key.Key_N: "previous_suggestion" if shift else "next_suggestion",
                Qt.Key.Key_A: None if shift else "accept",
                Qt.Key.Key_Return: None if shift else "accept",
                Qt.Key.Key_Enter: None if shift else "accept",
                Qt.Key.Key_X: None if shift else "reject",
                Qt.Key.Key_Backspace: None if shift else "reject",
            }.get(event.key())
        if command is not None:
            self.keyCommand.emit(command)
            return
        if event.key() == Qt.Key.Key_Escape and self.textCursor().hasSelection():
            cursor = self.textCursor()
            cursor.clearSelection()
            self.setTextCursor(cursor)
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            spans = [s for s in self.highlighter.spans_at(self.cursor_offset()) if not s.suggested]
            if spans:
                spans.sort(key=lambda s: s.end - s.start)
                self.annotationClicked.emit(spans[0].id)

    def _show_tooltip(self, pos: QPoint, global_pos: QPoint) -> None:
        cursor = self.cursorForPosition(pos)
        rect = self.cursorRect(cursor)
        if abs(rect.center().y() - pos.y()) > rect.height():
            QToolTip.hideText()
            return
        spans = self.highlighter.spans_at(self.from_qt(cursor.position()))
        if not spans:
            QToolTip.hideText()
            return
        text = "\n\n".join(filter(None, (self.describe(s.id, s.suggested) for s in spans)))
        if text:
            QToolTip.showText(global_pos, text, self)
        else:
            QToolTip.hideText()

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.filesDropped.emit(paths)
        else:
            super().dropEvent(event)
