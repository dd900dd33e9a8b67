"""Who is cited: the source registry as a window. Sources (most cited first) on the
left; the selected source's mentions, with their article and claims, on the right.
Confirm, merge, split and rename are named services, undone with Ctrl+Z here."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QToolTip,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.corpus_common import CorpusWindow, OpenSpan
from annotator.gui.wording import plural
from annotator.services import sources as registry
from annotator.store import Store, StoreError


SHOWN = 200  # mentions listed for one source (by article); the rest are counted
CLAIMS_SHOWN = 3  # claims named beside one mention; the rest are counted
COLUMNS = ("Source", "Cited", "Articles", "Outlets", "First", "Last", "")
# Column widths, by the text they are sized for (measured in the view's font, not on every row).
SAMPLES = ("Colonel Henrik Malmberg-Andersen", "000000", "000000", "Outlet 00 (000), Outlet 00 (000), Outlet 00",
           "0000-00-00", "0000-00-00", "confirmed")


class SourcesModel(QAbstractTableModel):
    """The registry's sources as rows; a row's text (its outlets, its first and last
    dates) is worked out when the view shows it, not for all of them up front."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[registry.SourceEntry] = []

    def set_entries(self, entries: list[registry.SourceEntry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        e = self.entries[index.row()]
        column = index.column()
        if column == 0:
            return e.name
        if column == 1:
            return str(e.count)
        if column == 2:
            return str(len(e.article_ids))
        if column == 3:
            return ", ".join(f"{o} ({n})" for o, n in e.outlets.most_common(4))
        if column == 4:
            return e.first_seen
        if column == 5:
            return e.last_seen
        return "confirmed" if e.confirmed else "proposed"


class CitationTimeline(QWidget):
    """A source over time: one bar a month, from the first month it is cited to the last (a
    month without a citation is a gap on the baseline); the first and last month written under
    the bars, each month's count in its tooltip."""

    BAR = QColor("#16A34A")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.months: dict[str, int] = {}
        self.setMinimumHeight(72)
        self.setAccessibleName("Citations per month")

    def set_months(self, months: dict[str, int]) -> None:
        self.months = months
        self.update()

    def _bars(self) -> tuple[QRect, float]:
        """The area the bars fill, and the width of one month."""
        labels = self.fontMetrics().height() + 4
        area = self.rect().adjusted(4, 4, -4, -labels)
        return area, area.width() / max(len(self.months), 1)

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        if not self.months:
            return
        painter = QPainter(self)
        area, width = self._bars()
        most = max(self.months.values()) or 1
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        for i, n in enumerate(self.months.values()):
            if n:
                height = max(2, round(area.height() * n / most))
                left = area.left() + i * width
                painter.fillRect(QRectF(left + width * 0.1, area.bottom() - height + 1, max(width * 0.8, 1), height),
                                 self.BAR)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        keys = list(self.months)
        under = QRect(area.left(), area.bottom() + 2, area.width(), self.fontMetrics().height() + 2)
        painter.drawText(under, Qt.AlignmentFlag.AlignLeft, keys[0])
        if len(keys) > 1:
            painter.drawText(under, Qt.AlignmentFlag.AlignRight, keys[-1])
        painter.end()

    def month_at(self, x: float) -> str | None:
        area, width = self._bars()
        i = int((x - area.left()) // width) if width else -1
        return list(self.months)[i] if 0 <= i < len(self.months) and area.left() <= x else None

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            month = self.month_at(event.pos().x())
            if month is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), f"{month}: {plural(self.months[month], 'citation')}", self)
            return True
        return super().event(event)


class SourceRegistryWindow(CorpusWindow):
    """The registry of sources across the corpus."""

    def __init__(self, store: Store, document, open_span: OpenSpan, report, parent: QWidget | None = None,
                 changes=None):
        super().__init__(store, document, "Who is cited — source registry", parent, changes)
        self.open_span, self.report = open_span, report
        self.undo_states: list[Callable[[], object]] = []  # what Ctrl+Z here undoes, last first
        self.model = SourcesModel(self)
        self.sources = QTreeView(self)
        self.sources.setModel(self.model)
        self.sources.setRootIsDecorated(False)
        self.sources.setUniformRowHeights(True)
        self.sources.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.sources.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        metrics = self.sources.fontMetrics()
        for column, sample in enumerate(SAMPLES):
            self.sources.header().resizeSection(column, metrics.horizontalAdvance(sample) + 18)
        self.mentions = QTreeWidget(self)
        self.mentions.setHeaderLabels(["Mention", "Article", "Outlet", "Published", "Claims"])
        self.mentions.setRootIsDecorated(False)
        self.mentions.viewport().installEventFilter(self)
        self.mentions.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        buttons = QHBoxLayout()
        for text, slot, key in (("&Confirm", self.confirm, "Ctrl+Return"), ("&Merge selected sources", self.merge, "Ctrl+M"),
                                ("&Split selected mentions off", self.split, "Ctrl+T"), ("&Rename…", self.rename, "F2")):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            button.setToolTip(key)
            QShortcut(QKeySequence(key), self, slot)
            buttons.addWidget(button)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo)
        buttons.addStretch(1)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.over_time = QLabel(self)
        self.timeline = CitationTimeline(self)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.mentions, 1)
        column.addWidget(self.over_time)
        column.addWidget(self.timeline)
        split = QSplitter(self)
        split.addWidget(self.sources)
        split.addWidget(right)
        split.setSizes([520, 520])
        heading = QHBoxLayout()
        heading.addWidget(self.summary, 1)
        heading.addWidget(self.analyst)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.resize(1100, 600)
        self.sources.selectionModel().currentRowChanged.connect(lambda *_: self._show_mentions())
        self.mentions.itemActivated.connect(self._open_mention)

    def open_registry(self) -> None:
        self.present(self.sources)

    @property
    def entries(self) -> list[registry.SourceEntry]:
        return self.model.entries

    def refresh(self) -> None:
        filters = self.analyst.filters()
        self.compute(lambda store: registry.source_registry(store, filters), self._show_entries,
                     self.updating() if self.computed_once and self.entries
                     else "Grouping the source mentions into people and organisations…")

    def _show_entries(self, entries: list[registry.SourceEntry]) -> None:
        current = self._entry().name if self._entry() else None
        self.model.set_entries(entries)
        row = next((i for i, e in enumerate(self.entries) if e.name == current), 0)
        if self.entries:
            self.sources.setCurrentIndex(self.model.index(row, 0))
        else:
            self._show_mentions()
        confirmed = sum(e.confirmed for e in self.entries)
        if self.entries:
            self.summary.setText(f"{plural(len(self.entries), 'source')}, {confirmed} confirmed; "
                                 f"{plural(sum(e.count for e in self.entries), 'source annotation')}.")
        else:
            self.summary.setText("No sources in this layer yet: tag who is cited with the source tag (or accept"
                                 " the source suggestions) and they are grouped here into people and organisations.")

    def _entry(self) -> registry.SourceEntry | None:
        index = self.sources.currentIndex()
        return self.entries[index.row()] if index.isValid() and index.row() < len(self.entries) else None

    def _selected_entries(self) -> list[registry.SourceEntry]:
        return [self.entries[index.row()] for index in self.sources.selectionModel().selectedRows()]

    def _show_mentions(self) -> None:
        self.mentions.clear()
        entry = self._entry()
        self._show_over_time(entry)
        if entry is None:
            return
        shown = entry.ordered()[:SHOWN]
        claims = registry.claims_of_sources(self.store, [m.annotation_id for m in shown])
        items = []
        for m in shown:
            linked = claims.get(m.annotation_id, ())
            said = "; ".join(c[4][:80] for c in linked[:CLAIMS_SHOWN]) + (
                f" (+{len(linked) - CLAIMS_SHOWN} more)" if len(linked) > CLAIMS_SHOWN else "")
            item = QTreeWidgetItem([m.quote, m.title, m.outlet, m.published[:10], said])
            for column, full in ((0, m.quote), (1, m.title), (4, said)):
                item.setToolTip(column, full)
            item.setData(0, 256, m)
            items.append(item)
        if entry.count > SHOWN:
            items.append(QTreeWidgetItem([f"… {entry.count - SHOWN} more (annotator sources --format jsonl lists all)"]))
        self.mentions.addTopLevelItems(items)  # at once: one by one costs a layout each
        self._fit_mention_columns()

    def _show_over_time(self, entry: registry.SourceEntry | None) -> None:
        months = entry.by_month if entry is not None else {}
        self.timeline.set_months(months)
        if not months:
            self.over_time.clear()
            return
        busiest = max(months, key=months.__getitem__)
        self.over_time.setText(
            f"Cited per month, {next(iter(months))} to {next(reversed(months))}: most in {busiest} "
            f"({plural(months[busiest], 'citation')})" if len(months) > 1
            else f"Cited in {busiest} only ({plural(months[busiest], 'citation')})")

    def _fit_mention_columns(self) -> None:
        """A long mention or title shares what the outlet and the date leave ("…", whole in its
        tooltip), so that all four stay in sight; again whenever the list is resized."""
        view = self.mentions
        for column in range(4):
            view.resizeColumnToContents(column)
        room = view.viewport().width() - view.columnWidth(2) - view.columnWidth(3)
        mention, title = view.columnWidth(0), view.columnWidth(1)
        if mention + title > room:
            half = room // 2
            mention, title = (
                (mention, room - mention) if mention <= half else
                (room - title, title) if title <= half else (half, room - half)
            )
            view.setColumnWidth(0, max(80, mention))
            view.setColumnWidth(1, max(80, title))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.mentions.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_mention_columns()
        return super().eventFilter(watched, event)

    def _open_mention(self, item: QTreeWidgetItem) -> None:
        m = item.data(0, 256)
        if m is not None:
            self.open_span(m.article_id, m.start, m.end)

    def _run(self, action, **params) -> None:
        """Run a registry edit; Ctrl+Z here undoes just what it changed (the memberships of
        the mentions it moved, or the one name), leaving any later edit of other groups."""
        if "annotation_ids" in params:
            ids = params["annotation_ids"]
            state = registry.source_group_state(self.store, ids)
            undo = lambda: registry.restore_source_groups(self.store, state=state, annotation_ids=ids)  # noqa: E731
        else:
            group_id, before = params["group_id"], self._entry().name
            undo = lambda: registry.rename_source(self.store, group_id=group_id, name=before)  # noqa: E731
        try:
            action(self.store, **params)
        except StoreError as error:
            self.report(error)
            return
        self.undo_states.append(undo)
        self.refresh_at_once()

    def confirm(self) -> None:
        entry = self._entry()
        if entry is not None:
            self._run(registry.group_sources, name=entry.name, annotation_ids=[m.annotation_id for m in entry.mentions])

    def merge(self) -> None:
        chosen = self._selected_entries()
        if len(chosen) >= 2:
            ids = [m.annotation_id for e in chosen for m in e.mentions]
            self._run(registry.group_sources, name=max(chosen, key=lambda e: e.count).name, annotation_ids=ids)

    def split(self) -> None:
        picked = [m for item in self.mentions.selectedItems() if (m := item.data(0, 256)) is not None]
        if picked:
            self._run(registry.group_sources, name=registry.read_name(picked[0].quote).display or picked[0].quote,
                      annotation_ids=[m.annotation_id for m in picked])

    def rename(self) -> None:
        entry = self._entry()
        if entry is None:
            return
        name, ok = QInputDialog.getText(self, "Rename source", "Name:", text=entry.name)
        if not ok or not name.strip():
            return
        if entry.group_id is None:
            self._run(registry.group_sources, name=name, annotation_ids=[m.annotation_id for m in entry.mentions])
        else:
            self._run(registry.rename_source, group_id=entry.group_id, name=name)

    def undo(self) -> None:
        if self.undo_states:
            try:
                self.undo_states.pop()()
            except StoreError as error:
                self.report(error)
                return
            self.refresh_at_once()
