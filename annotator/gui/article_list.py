"""The article list panel: a filter field over a sortable table of articles."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import ArticleSummary
from annotator.gui.models import ID_ROLE, ArticleFilterProxyModel, ArticleListModel

MenuEntries = Callable[[int], list[tuple[str, Callable[[], object]] | None]]


class ArticleListPanel(QWidget):
    """Lists the articles; ``articleChosen`` is emitted when the analyst moves to one.

    ``menu_entries(article_id)`` gives the context menu: ``(label, action)`` pairs,
    ``None`` for a separator.
    """

    articleChosen = Signal(int)

    def __init__(self, menu_entries: MenuEntries, parent: QWidget | None = None):
        super().__init__(parent)
        self.menu_entries = menu_entries
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter articles")
        self.filter.setClearButtonEnabled(True)
        self.model = ArticleListModel(self)
        self.proxy = ArticleFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = table = QTableView()
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Widths from the font, not ResizeToContents: that measures every row, and a
        # list of 10,000 articles would pay for it on every refresh.
        metrics = table.fontMetrics()
        for column, sample in ((1, "The Northern Ledger"), (2, "in progress"), (3, "Annotations")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 18)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.filter)
        layout.addWidget(table)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        table.customContextMenuRequested.connect(self._context_menu)
        table.selectionModel().currentRowChanged.connect(self._row_changed)
        # A narrow list keeps its titles readable: outlet and status give way first
        # (both stay in the row's tooltip and in the filter).
        table.installEventFilter(self)

    def set_articles(self, rows: list[ArticleSummary], current: int | None) -> None:
        """Show ``rows``, keeping ``current`` selected (without announcing it)."""
        self.model.set_articles(rows)
        if current is not None:
            self.select(current)

    def count(self) -> int:
        return self.model.rowCount()

    def select(self, article_id: int) -> None:
        """Make ``article_id`` the current row, quietly (the caller has opened it)."""
        row = self.model.row_of(article_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            selection = self.table.selectionModel()
            selection.blockSignals(True)
            selection.setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            selection.blockSignals(False)
            self.table.scrollTo(index)

    def selected_ids(self) -> list[int]:
        return [index.data(ID_ROLE) for index in self.table.selectionModel().selectedRows()]

    def update_row(self, article_id: int, **fields) -> None:
        """Change the shown summary of one article (status, title, outlet, count)."""
        from dataclasses import replace

        row = self.model.row_of(article_id)
        if row >= 0:
            self.model.update_article(replace(self.model.summary(row), **fields))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.articleChosen.emit(current.data(ID_ROLE))

    def _context_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self)
        for entry in self.menu_entries(index.data(ID_ROLE)):
            if entry is None:
                menu.addSeparator()
            else:
                menu.addAction(*entry)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            width = event.size().width()
            self.table.setColumnHidden(1, width < 420)
            self.table.setColumnHidden(2, width < 300)
        return super().eventFilter(watched, event)
