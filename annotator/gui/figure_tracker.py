"""Figures side by side: each quantity (counted noun and unit) with every article's
report of it, the spread, and the reports far from the rest in red."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDialog, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.gui.corpus_common import LazyRefresh, OpenSpan, connect_refresh
from annotator.services.figures import figure_groups
from annotator.store import Store
from annotator.suggest.figures import format_number

OUTLIER = QColor("#B91C1C")


def _n(value: float | None) -> str:
    return "" if value is None else format_number(value)


class FigureTrackerWindow(QDialog):
    """Every quantity reported in the corpus, most reported first."""

    def __init__(self, store: Store, document, open_span: OpenSpan, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Figures side by side")
        self.store, self.open_span = store, open_span
        self.summary = QLabel(self)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Quantity / report", "Value", "Qualifier", "Outlet", "Published", "Reports",
                                   "Range", "Median"])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.resize(1000, 600)
        self.tree.itemActivated.connect(self._open)
        self.lazy = LazyRefresh(self, self.refresh)
        connect_refresh(document, self.lazy)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.lazy.shown()

    def open_tracker(self) -> None:
        self.refresh()
        self.show()
        self.raise_()
        self.tree.setFocus()

    def refresh(self) -> None:
        groups = figure_groups(self.store)
        self.tree.clear()
        for g in groups:
            outliers = sum(r.outlier for r in g.reports)
            top = QTreeWidgetItem([g.label, "", "", ", ".join(g.outlets[:4]), "", str(g.count),
                                   f"{_n(g.low)}–{_n(g.high)}" if g.low is not None else "", _n(g.median)])
            if outliers:
                top.setToolTip(0, f"{outliers} report(s) far from the others")
            for r in g.reports:
                m = r.mention
                child = QTreeWidgetItem([m.quote, r.value, r.qualifier, m.outlet, m.published[:10]])
                child.setData(0, 256, m)
                child.setToolTip(0, m.title)
                if r.outlier:
                    for column in range(5):
                        child.setForeground(column, QBrush(OUTLIER))
                    child.setText(1, f"{r.value}  (outlier)")
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        if groups:
            self.tree.topLevelItem(0).setExpanded(True)
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        self.summary.setText(f"{len(groups)} quantities, {sum(g.count for g in groups)} figures. "
                             "Enter on a report opens it in its article.")

    def _open(self, item: QTreeWidgetItem) -> None:
        m = item.data(0, 256)
        if m is not None:
            self.open_span(m.article_id, m.start, m.end)
