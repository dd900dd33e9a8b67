"""Figures side by side: each quantity (counted noun and unit) with every article's
report of it, the spread, and the reports far from the rest in red."""

from __future__ import annotations

import heapq
from operator import attrgetter

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.gui.corpus_common import CorpusWindow, OpenSpan
from annotator.gui.wording import plural
from annotator.services.figures import figure_groups, number_text, report_places
from annotator.store import Store

OUTLIER = QColor("#B91C1C")
GROUP_ROLE, PLACE_ROLE = 256, 257
SHOWN = 500
BY_DATE = attrgetter("published", "outlet")


class FigureTrackerWindow(CorpusWindow):
    """Every quantity reported in the corpus, most reported first."""

    def __init__(self, store: Store, document, open_span: OpenSpan, parent: QWidget | None = None, changes=None):
        super().__init__(store, document, "Figures side by side", parent, changes)
        self.open_span = open_span
        self.summary = QLabel(self)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Quantity / report", "Value", "Qualifier", "Outlet", "Published", "Reports",
                                   "Range", "Median"])
        heading = QHBoxLayout()
        heading.addWidget(self.summary, 1)
        heading.addWidget(self.analyst)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.tree, 1)
        self.resize(1000, 600)
        self.tree.itemActivated.connect(self._open)
        self.tree.itemExpanded.connect(self._fill)
        self.groups = []
        self._fit_columns()  # the headings whole while the first grouping runs

    def _fit_columns(self) -> None:
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)

    def open_tracker(self) -> None:
        self.present(self.tree)

    def refresh(self) -> None:
        filters = self.analyst.filters()
        self.compute(lambda store: figure_groups(store, filters), self._show_groups,
                     "Grouping the figures by what they count…" if not self.groups
                     else self.updating())

    def _show_groups(self, groups) -> None:
        self.groups = groups
        self.tree.clear()
        for i, g in enumerate(self.groups):
            outliers = sum(r.outlier for r in g.reports)
            spread = f"{number_text(g.low)}–{number_text(g.high)}" if g.low is not None else ""
            top = QTreeWidgetItem([g.label, "", "", ", ".join(g.outlets[:4]), "", str(g.count), spread,
                                   number_text(g.median)])
            top.setData(0, GROUP_ROLE, i)
            if outliers:
                top.setToolTip(0, f"{outliers} report(s) far from the others")
            # Reports are read when the quantity is opened: a corpus has a hundred thousand.
            top.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            self.tree.addTopLevelItem(top)
        if self.groups:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
            self.tree.topLevelItem(0).setExpanded(True)
        self._fit_columns()
        if self.groups:
            self.summary.setText(f"{plural(len(self.groups), 'quantity', 'quantities')},"
                                 f" {plural(sum(g.count for g in self.groups), 'figure')}. "
                                 "Enter on a report opens it in its article.")
        else:
            self.summary.setText("No figures in this layer yet: tag numbers as figures (or accept the figure"
                                 " suggestions) and they are grouped here by what they count.")

    def _fill(self, top: QTreeWidgetItem) -> None:
        index = top.data(0, GROUP_ROLE)
        if index is None or top.childCount():
            return
        group = self.groups[index]
        # Outliers first, then in date order; at most SHOWN of them.
        # (A quantity may have tens of thousands: only the SHOWN first are put in order.)
        shown = sorted((r for r in group.reports if r.outlier), key=BY_DATE)[:SHOWN]
        if len(shown) < SHOWN:
            shown += heapq.nsmallest(SHOWN - len(shown), (r for r in group.reports if not r.outlier), key=BY_DATE)
        places = report_places(self.store, shown)
        for r in shown:
            start, end, quote, title = places[r.annotation_id]
            child = QTreeWidgetItem([quote, f"{r.value}  (outlier)" if r.outlier else r.value, r.qualifier,
                                     r.outlet, r.published[:10]])
            child.setData(0, PLACE_ROLE, (r.article_id, start, end))
            child.setToolTip(0, title)
            if r.outlier:
                for column in range(5):
                    child.setForeground(column, QBrush(OUTLIER))
            top.addChild(child)
        if group.count > SHOWN:
            top.addChild(QTreeWidgetItem([f"… {group.count - SHOWN} more (annotator figures --format csv lists all)"]))

    def _open(self, item: QTreeWidgetItem) -> None:
        place = item.data(0, PLACE_ROLE)
        if place is not None:
            self.open_span(*place)
