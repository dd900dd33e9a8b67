"""Qt item models: the article list and the annotation table."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from annotator.domain import Annotation, ArticleSummary
from annotator.gui.document import ArticleDocument

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class _FlatTableModel(QAbstractTableModel):
    """A flat table with fixed column headers; subclasses give ``_row_count``."""

    HEADERS: tuple[str, ...] = ()

    def _row_count(self) -> int:
        return 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class ArticleListModel(_FlatTableModel):
    """Articles (without their text): title, outlet, status, annotation count."""

    HEADERS = ("Title", "Outlet", "Status", "Annotations")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[ArticleSummary] = []

    def set_articles(self, rows: list[ArticleSummary]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def article_id(self, row: int) -> int:
        return self._rows[row].id

    def summary(self, row: int) -> ArticleSummary:
        return self._rows[row]

    def row_of(self, article_id: int) -> int:
        for row, a in enumerate(self._rows):
            if a.id == article_id:
                return row
        return -1

    def update_article(self, summary: ArticleSummary) -> None:
        row = self.row_of(summary.id)
        if row >= 0:
            self._rows[row] = summary
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def _row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        a = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (a.title, a.outlet, a.status, a.annotation_count)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [a.title, a.outlet, a.author, a.published, a.url]
            return "\n".join(p for p in parts if p)
        if role == ID_ROLE:
            return a.id
        if role == SORT_ROLE:
            return (a.title.casefold(), a.outlet.casefold(), a.status, a.annotation_count)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AnnotationTableModel(_FlatTableModel):
    """The open article's annotations, kept in step with the ArticleDocument."""

    HEADERS = ("Tag", "Quote", "Said by", "Note", "By")
    ANALYST = 4  # the column of who made the annotation (its header is short: the quote keeps the room)

    def __init__(self, document: ArticleDocument, parent=None):
        super().__init__(parent)
        self.document = document
        document.aboutToReset.connect(self.beginResetModel)
        document.articleChanged.connect(self.endResetModel)
        document.tagsChanged.connect(self.endResetModel)
        document.annotationAboutToBeInserted.connect(lambda row: self.beginInsertRows(QModelIndex(), row, row))
        document.annotationInserted.connect(self.endInsertRows)
        document.annotationAboutToBeRemoved.connect(lambda row: self.beginRemoveRows(QModelIndex(), row, row))
        document.annotationRemoved.connect(self.endRemoveRows)
        document.annotationUpdated.connect(self._updated)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal and section == self.ANALYST:
            return "The analyst who made the annotation"
        return super().headerData(section, orientation, role)

    def _updated(self, row: int, _annotation: Annotation) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def annotation(self, row: int) -> Annotation:
        return self.document.annotations[row]

    def _row_count(self) -> int:
        return len(self.document.annotations)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        a = self.document.annotations[index.row()]
        column = index.column()
        tag = self.document.tag(a.tag_id)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return tag.name if tag else "?"
            if column == 1:
                return " ".join(a.quote.split())
            if column == 2:
                source = self.document.source_of(a.id)
                return " ".join(source.quote.split()) if source else ""
            if column == 3:
                return " ".join(a.note.split())
            return a.annotator
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 2:
                source = self.document.source_of(a.id)
                return f"Said by: {source.quote}\n(Ctrl+L to change)" if source else None
            by = f"by {a.annotator or 'unknown'}"
            if column == self.ANALYST:
                return f"{by}, {a.created[:16].replace('T', ' ')}"
            return f"{a.quote}\n\n{a.note}".strip() + f"\n\n— {by}" if column in (1, 3) else None
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and tag is not None:
            return QColor(tag.colour)
        if role == ID_ROLE:
            return a.id
        if role == SORT_ROLE:
            source = self.document.source_of(a.id) if column == 2 else None
            return (tag.name if tag else "", a.start, source.quote.casefold() if source else "", a.note,
                    a.annotator)[column]
        return None


class TagFilterProxyModel(QSortFilterProxyModel):
    """Shows the annotations of one tag and of one analyst (None: all of them)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._tag_id: int | None = None
        self._analyst: str | None = None
        self.setSortRole(SORT_ROLE)

    def set_tag(self, tag_id: int | None) -> None:
        self.beginFilterChange()
        self._tag_id = tag_id
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_analyst(self, analyst: str | None) -> None:
        self.beginFilterChange()
        self._analyst = analyst
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._tag_id is None and self._analyst is None:
            return True
        a = self.sourceModel().annotation(source_row)
        return (self._tag_id is None or a.tag_id == self._tag_id) and (
            self._analyst is None or a.annotator == self._analyst)


class ArticleFilterProxyModel(QSortFilterProxyModel):
    """Filters articles by text in title, outlet or status (case-insensitive)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setSortRole(SORT_ROLE)
