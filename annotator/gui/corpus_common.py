"""What the corpus views share: rich-text rows, and a refresh that waits until
edits pause and the view is visible."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from annotator.gui.team_layers import LayerBox
from annotator.gui.workers import QuietJob, run_quietly
from annotator.store import Store
from annotator.store.corpus import MARK_END, MARK_START, Filters

UPDATING = " Updating…"
OpenSpan = Callable[[int, int | None, int | None], None]  # article id, start, end (code points)


def snippet_html(snippet: str) -> str:
    """A search snippet as HTML, its hits in bold on a yellow ground."""
    return (
        html.escape(snippet)
        .replace(MARK_START, "<b style='background:#FDE68A'>")
        .replace(MARK_END, "</b>")
    )


class RichTextDelegate(QStyledItemDelegate):
    """Draws an item's DisplayRole as HTML (one line)."""

    def _document(self, option: QStyleOptionViewItem, text: str) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(text)
        doc.setDocumentMargin(3)
        width = option.rect.width() or (option.widget.viewport().width() if option.widget else 0)
        if width > 0:
            doc.setTextWidth(width)  # wrap: a snippet needs two or three lines in a narrow panel
        return doc

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(opt, text)
        context = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.HighlightedText))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, opt.rect.width(), opt.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, opt.text)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 2)


class LazyRefresh(QObject):
    """Calls ``refresh`` once edits have paused for ``delay_ms``, and only while
    ``widget`` is visible (else as soon as it is shown again)."""

    def __init__(self, widget: QWidget, refresh: Callable[[], None], delay_ms: int = 300):
        super().__init__(widget)
        self.widget, self.refresh = widget, refresh
        self.stale = False
        self.timer = QTimer(self, singleShot=True, interval=delay_ms)
        self.timer.timeout.connect(self._fire)

    def request(self, *_args) -> None:
        self.stale = True
        self.timer.start()

    def _fire(self) -> None:
        if self.stale and self.widget.isVisible():
            self.stale = False
            self.refresh()

    def shown(self) -> None:
        if self.stale:
            self._fire()


class AnalystFilter(LayerBox):
    """Whose annotations a corpus view counts, as the layers of team work have it
    (:mod:`annotator.services.layers`): every analyst's, mine, the curated layer, or
    one analyst's."""

    def __init__(self, store: Store, me: Callable[[], str] | None = None, parent: QWidget | None = None):
        super().__init__(store, me, parent=parent)
        self.setToolTip("Count the annotations of all analysts, yours, the curated layer, or one analyst's")

    def filters(self, base: Filters | None = None) -> Filters:
        """``base`` (or no other filter) narrowed to the chosen layer."""
        return self.layer().filters(self.store, base)


def follows_annotations(changes) -> bool:
    """Whether ``changes`` (an operation's :class:`Changes`) alter what the corpus views
    count: annotations, their links, tags, articles or the confirmed sources."""
    return bool(changes.annotations or changes.removed_annotations or changes.links or changes.tags
                or changes.articles or changes.removed_articles or changes.registry)


def connect_refresh(document, refresh: LazyRefresh) -> None:
    """Refresh on every change of the open article's annotations or of the tags."""
    for signal in (document.annotationInserted, document.annotationRemoved, document.annotationUpdated,
                   document.tagsChanged):
        signal.connect(refresh.request)


class CorpusWindow(QDialog):
    """A window over the whole corpus: it counts everyone's annotations or one analyst's
    (``self.analyst``), and refreshes itself when annotations change, while it is shown.
    Subclasses implement ``refresh`` (building their rows in the background with
    :meth:`compute`) and may widen ``follows`` (what changes they show).

    With the window's ChangeHub (``changes``), the view hears every operation on the
    database, whoever ran it; without one, the open article's edits."""

    computed_shown = Signal()  # a result of compute is shown
    CANNOT = "Could not read the corpus"  # said, with the error, when compute fails

    def __init__(self, store: Store, document, title: str, parent: QWidget | None = None, changes=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.store = store
        self.analyst = AnalystFilter(store, (lambda: document.annotator) if document is not None else None, self)
        self.analyst.activated.connect(lambda *_: self.refresh())
        self.lazy = LazyRefresh(self, self._refresh_now)
        self.shown_version: int | None = None  # the database's data_version the view shows
        self.job: QuietJob | None = None  # the view's background work (see compute)
        self.again = False  # asked to compute again while it ran
        self.computed_once = False  # a result of compute has been shown
        if changes is not None:
            changes.changed.connect(self._changed)
        else:
            connect_refresh(document, self.lazy)
        if parent is not None:
            parent.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        # The main window closing closes its database: this window goes with it (a refresh
        # still due would read a closed database).
        if watched is self.parent() and event.type() == QEvent.Type.Close and event.isAccepted():
            self.lazy.timer.stop()
            self.abandon_work()
            self.close()
        return super().eventFilter(watched, event)

    def follows(self, changes) -> bool:
        return follows_annotations(changes)

    def compute(self, work: Callable[[Store], object], show: Callable[[object], None], waiting: str) -> None:
        """Run ``work(store)`` in the background with a database connection of its own (a
        view over 10,000 articles takes most of a second to build), saying ``waiting`` in
        ``self.summary``, and ``show`` its result here. The view stays up and keeps what it
        shows meanwhile; asked again while it runs, it computes once more when it ends
        (what it computed then is already out of date)."""
        if self.job is not None and self.job.is_running():
            self.again = True
            return
        self.summary.setText(waiting)
        self.job = run_quietly(self, self.store.path, lambda store, _progress, _cancelled: work(store),
                               lambda result: self._computed(show, result), self._not_computed)

    def updating(self) -> str:
        """The summary as it stands, saying the rows below are being computed again."""
        return self.summary.text().removesuffix(UPDATING) + UPDATING

    def _computed(self, show: Callable[[object], None], result: object) -> None:
        if self.again:
            self.again = False
            self.job = None
            self.refresh()
            return
        show(result)
        self.computed_once = True
        self.computed_shown.emit()

    def _not_computed(self, error: Exception) -> None:
        self.again = False
        self.summary.setText(f"{self.CANNOT}: {error}")

    def abandon_work(self) -> None:
        """The main window is closing: wait for the view's background work, drop its result."""
        if self.job is not None:
            self.job.abandon()

    def _changed(self, changes) -> None:
        if self.follows(changes):
            self.lazy.request()

    def refresh(self) -> None:
        raise NotImplementedError

    def _data_version(self) -> int:
        """SQLite's count of commits by other connections (background jobs, another program)."""
        return self.store.data_version()

    def _refresh_now(self) -> None:
        self.shown_version = self._data_version()
        self.refresh()

    def refresh_at_once(self) -> None:
        """Refresh now (after the view's own edit), and not again for the changes that edit reported."""
        self.lazy.timer.stop()
        self.lazy.stale = False
        self._refresh_now()

    def is_current(self) -> bool:
        """Whether the view still shows the database as it is: nothing it follows changed
        since it was drawn (this window's operations arrive through the ChangeHub; other
        connections' commits move the data_version)."""
        return self.shown_version is not None and not self.lazy.stale and self._data_version() == self.shown_version

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.lazy.shown()

    def present(self, focus: QWidget) -> None:
        """Show and raise the window, ``focus`` taking the keyboard; refreshed first unless
        it is current (opened again with nothing changed, it shows what it had at once)."""
        if not self.is_current():
            self.lazy.stale = False
            self._refresh_now()
        self.show()
        self.raise_()
        focus.setFocus()
