"""What the team windows share: a table model over a list of records (one row each),
its read-only view, and two views stacked."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)


class RecordTableModel(QAbstractTableModel):
    """Rows of records (``UserRole`` gives a row's record) with the titles of their
    articles; subclasses name the columns (``HEADERS``) and say what a cell shows."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []
        self.titles: dict[int, str] = {}

    def set_rows(self, rows: list, titles: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        if titles is not None:
            self.titles = titles
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def title(self, article_id: int | None) -> str:
        return "All articles" if article_id is None else self.titles.get(article_id, f"#{article_id}")

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self.rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return record
        return self.show(record, index.column(), role)

    def show(self, record, column: int, role):
        """What cell ``column`` of ``record``'s row shows in ``role``."""
        raise NotImplementedError


def record_view(model, parent: QWidget) -> QTableView:
    """A read-only table of ``model``, a whole row selected at a time."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    # Column widths from the first 200 rows: measuring thousands of rows stalls the window.
    view.horizontalHeader().setResizeContentsPrecision(200)
    return view


def stacked(upper: QWidget, label: QLabel, lower: QWidget, parent: QWidget) -> QSplitter:
    """``upper`` above ``lower`` (under its ``label``), the line between them movable."""
    below = QWidget(parent)
    layout = QVBoxLayout(below)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(label)
    layout.addWidget(lower, 1)
    splitter = QSplitter(Qt.Orientation.Vertical, parent)
    splitter.addWidget(upper)
    splitter.addWidget(below)
    return splitter
