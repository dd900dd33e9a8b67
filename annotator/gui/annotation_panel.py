"""The annotation panel: the open article's annotations (filtered by tag, and by
analyst where several made them), the note of the selected one (saved as you type)
and its details."""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import Annotation, Tag
from annotator.gui.article_view import ArticleView
from annotator.gui.commands import EditNoteCommand
from annotator.gui.document import ArticleDocument
from annotator.gui.models import ID_ROLE, AnnotationTableModel, TagFilterProxyModel
from annotator.gui.tag_palette import swatch
from annotator.store import StoreError
from annotator.store.team import several_analysts


class AnnotationPanel(QWidget):
    """Table, tag filter, note and details of the open article's annotations.

    ``push(command) -> bool`` runs an undo command on the article's stack;
    ``message(text, ms)`` shows a line in the status bar.
    """

    currentChanged = Signal()  # the selected annotation changed (or none is selected)

    def __init__(self, document: ArticleDocument, view: ArticleView, push: Callable[[object], bool],
                 message: Callable[[str, int], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.view = view
        self.push = push
        self.message = message
        # The annotation whose note the note field shows: typing is saved to it,
        # even when the selection has already moved on.
        self._note_target: int | None = None
        self.tag_filter = QComboBox()
        self.tag_filter.setToolTip("Show the annotations of one tag")
        # Who made the annotations: a column and a filter where the file holds several
        # analysts' work (a team's); one analyst's own file keeps the room for the quote.
        self.several_analysts = False
        self.analyst_filter = QComboBox()
        self.analyst_filter.setToolTip("Show the annotations of one analyst")
        self.analyst_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.analyst_filter.hide()
        self.model = AnnotationTableModel(document, self)
        self.proxy = TagFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = table = QTableView()
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # text order until a header is clicked
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)  # sized to the tag names
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((2, 100), (3, 90)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(AnnotationTableModel.ANALYST, QHeaderView.ResizeMode.Interactive)
        self.note_label = QLabel("&Note on the selected annotation")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("Select an annotation, then type a note here")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(110)
        self.note_label.setBuddy(self.note_edit)
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("Annotations"))
        filter_row.addStretch(1)
        filter_row.addWidget(self.analyst_filter)
        filter_row.addWidget(self.tag_filter)
        layout.addLayout(filter_row)
        layout.addWidget(table, 1)
        layout.addWidget(self.note_label)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.details_label)

        self._note_timer = QTimer(self, singleShot=True, interval=600)
        self._note_timer.timeout.connect(self.commit_note)
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        table.clicked.connect(self._row_clicked)
        self.tag_filter.currentIndexChanged.connect(lambda i: self.proxy.set_tag(self.tag_filter.itemData(i)))
        self.analyst_filter.currentIndexChanged.connect(
            lambda i: self.proxy.set_analyst(self.analyst_filter.itemData(i)))
        for signal in (document.annotationInserted, document.annotationRemoved, document.annotationUpdated,
                       document.tagsChanged):
            signal.connect(lambda *_: self._analysts_changed())
        self.note_edit.textChanged.connect(self._note_typed)
        self.note_edit.installEventFilter(self)
        table.installEventFilter(self)
        document.articleChanged.connect(self._article_changed)
        document.tagsChanged.connect(self._tags_changed)

    # -- selection ------------------------------------------------------------

    def selected(self) -> list[Annotation]:
        result = []
        for index in self.table.selectionModel().selectedRows():
            a = self.document.annotation(index.data(ID_ROLE))
            if a is not None:
                result.append(a)
        return result

    def current(self) -> Annotation | None:
        selected = self.selected()
        return selected[0] if len(selected) == 1 else None

    def select(self, annotation_id: int, reveal: bool = True) -> None:
        """Select one annotation's row (showing all tags if the filter hides it)
        and, with ``reveal``, scroll the article to it with a flash."""
        row = self.document.row_of(annotation_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # hidden by a filter: show all
            self.tag_filter.setCurrentIndex(0)
            self.analyst_filter.setCurrentIndex(0)
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        if reveal:
            a = self.document.annotations[row]
            self.view.reveal(a.start, a.end)

    def move(self, step: int) -> None:
        """Go to the next (+1) or previous (-1) annotation after the cursor (J/K)."""
        annotations = self.document.annotations
        if not annotations:
            return
        current = self.current()
        if current is not None:
            row = self.document.row_of(current.id) + step
        else:
            offset = self.view.cursor_offset()
            row = next((i for i, a in enumerate(annotations) if a.start >= offset), len(annotations))
            if step < 0:
                row -= 1
        row %= len(annotations)
        self.select(annotations[row].id)
        self.view.setFocus()

    def _row_clicked(self, index: QModelIndex) -> None:
        a = self.document.annotation(index.data(ID_ROLE))
        if a is not None:
            self.view.reveal(a.start, a.end)

    def _selection_changed(self, *_args) -> None:
        self.commit_note()
        current = self.current()
        self._note_target = current.id if current else None
        self.view.set_selected_annotation(current)
        self.note_edit.setEnabled(current is not None)
        self.note_edit.setPlaceholderText(
            "Type a note; it is saved as you type" if current else "Select an annotation, then type a note here"
        )
        self._set_note_text(current.note if current else "")
        self.details_label.setText(self.describe(current) if current else "")
        self.currentChanged.emit()

    def refresh_details(self) -> None:
        """Describe the selected annotation again (its links or verdict changed)."""
        current = self.current()
        self.details_label.setText(self.describe(current) if current else "")

    # -- following the document ------------------------------------------------

    def _article_changed(self) -> None:
        self._note_target = None
        self.note_edit.setEnabled(False)
        self._set_note_text("")
        self.details_label.setText("")
        try:
            self.several_analysts = several_analysts(self.document.store)
        except StoreError:
            self.several_analysts = False
        self._analysts_changed()

    def _analysts_changed(self) -> None:
        """The analyst column and filter: shown where the file holds several analysts'
        work; the filter lists those of the open article (in the layer shown)."""
        names = sorted({a.annotator for a in self.document.annotations if a.annotator})
        self.several_analysts = self.several_analysts or len(names) > 1
        if [self.analyst_filter.itemData(i) for i in range(1, self.analyst_filter.count())] != names:
            current = self.analyst_filter.currentData()
            self.analyst_filter.blockSignals(True)
            self.analyst_filter.clear()
            self.analyst_filter.addItem("All analysts", None)
            for name in names:
                self.analyst_filter.addItem(name, name)
            self.analyst_filter.setCurrentIndex(max(self.analyst_filter.findData(current), 0))
            self.analyst_filter.blockSignals(False)
            self.proxy.set_analyst(self.analyst_filter.currentData())
        self.analyst_filter.setVisible(len(names) > 1 or self.analyst_filter.currentIndex() > 0)
        # As wide as the longest name (a long one is cut, whole in the tooltip), as the tag column is.
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(n) for n in names), default=0)
        header = metrics.horizontalAdvance("By") + 2 * metrics.height()  # and the sort arrow
        self.table.horizontalHeader().resizeSection(AnnotationTableModel.ANALYST,
                                                    min(max(widest + 16, header), 10 * metrics.height()))
        self._fit_columns(self.table.width())

    def annotation_updated(self, a: Annotation) -> None:
        """Show an annotation's new note and details if it is the selected one."""
        if a.id == self._note_target:
            if self.note_edit.toPlainText() != a.note:
                self._set_note_text(a.note)
            self.details_label.setText(self.describe(a))

    def _tags_changed(self) -> None:
        tags: list[Tag] = self.document.tags
        current = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("All tags", None)
        for t in tags:
            self.tag_filter.addItem(swatch(t.colour), t.name, t.id)
        self.tag_filter.setCurrentIndex(max(self.tag_filter.findData(current), 0))
        self.tag_filter.blockSignals(False)
        self.proxy.set_tag(self.tag_filter.currentData())
        names = [t.name for t in tags] or ["Tag"]
        metrics = self.table.fontMetrics()
        self.table.horizontalHeader().resizeSection(
            0, max(metrics.horizontalAdvance(n) for n in names) + metrics.height() + 24)  # name, swatch, margins

    # -- notes --------------------------------------------------------------------

    def _set_note_text(self, text: str) -> None:
        self.note_edit.blockSignals(True)
        self.note_edit.setPlainText(text)
        self.note_edit.blockSignals(False)

    def _note_typed(self) -> None:
        self._note_timer.start()
        self.message("Note: typing…", 0)

    def commit_note(self) -> None:
        """Save the note being typed (called on pause, focus change, close)."""
        self._note_timer.stop()
        current = self.document.annotation(self._note_target) if self._note_target is not None else None
        if current is None or not self.note_edit.isEnabled():
            return
        text = self.note_edit.toPlainText()
        if text != current.note and self.push(EditNoteCommand(self.document, current, text)):
            self.message("Note saved", 2000)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.note_edit and event.type() == QEvent.Type.FocusOut:
            self.commit_note()
        elif watched is self.table and event.type() == QEvent.Type.Resize:
            self._fit_columns(event.size().width())
        return super().eventFilter(watched, event)

    def _fit_columns(self, width: int) -> None:
        """The quote keeps room. In one analyst's file their name goes first (it is on
        every row), then the note (it has its own field below), then "said by" (both
        stay in the details below). Where several analysts worked, who made a span
        matters more: the note and "said by" give way first, the analyst last."""
        if self.several_analysts:
            hidden = {3: width < 480, 2: width < 420, AnnotationTableModel.ANALYST: width < 280}
        else:
            hidden = {AnnotationTableModel.ANALYST: True, 3: width < 440, 2: width < 360}
        for column, hide in hidden.items():
            self.table.setColumnHidden(column, hide)

    # -- details -----------------------------------------------------------------

    def describe(self, a: Annotation) -> str:
        """Offsets, provenance, normalised value, links and verdict of one annotation."""
        store = self.document.store
        tag = self.document.tag(a.tag_id)
        lines = [f"{tag.name if tag else '?'} · characters {a.start}–{a.end} · {a.annotator or 'unknown'}"
                 f" · {a.created[:16].replace('T', ' ')}"]
        if a.value:
            try:
                value = json.loads(a.value)
            except ValueError:
                value = a.value
            if isinstance(value, dict):
                rest = ", ".join(f"{k}: {v}" for k, v in value.items() if k != "value" and v not in (None, "", []))
                head = str(value["value"]) if value.get("value") not in (None, "", []) else ""
                shown = f"{head} ({rest})" if head and rest else head or rest
            else:
                shown = str(value)
            if shown:
                lines.append(f"Value: {shown}")
        if a.origin:
            try:
                origin = json.loads(a.origin)
                lines.append(f"Suggested by {origin.get('suggester')} {origin.get('version')}"
                             f" (score {float(origin.get('score', 0)):.2f})")
            except (ValueError, AttributeError):
                lines.append(f"Origin: {a.origin}")
        try:
            links = store.links_of(a.id)
        except StoreError:
            links = []
        for source_id, target_id, kind in links:
            other_id = target_id if source_id == a.id else source_id if target_id == a.id else None
            other = self.document.annotation(other_id) if other_id is not None else None
            if other is not None:
                if kind == "source":
                    label = "Said by" if source_id == a.id else "Says"
                else:
                    label = f"{kind} of this" if source_id == a.id else f"attributed here ({kind})"
                lines.append(f"{label[0].upper()}{label[1:]}: “{other.quote[:80]}”")
                try:
                    cue = store.link_cue(source_id, target_id, kind)
                except StoreError:
                    cue = ""
                if cue:
                    lines.append(f"Cue: {cue}")
        from annotator.services.verdicts import (
            get_verdict,  # the corpus queries load when first needed
        )

        try:
            verdict = get_verdict(store, a.id)
        except StoreError:
            verdict = None
        if verdict is not None:
            lines.append(f"Verdict: {verdict.rating} ({verdict.reviewer or 'unknown'}, {verdict.date})"
                         + (f": {verdict.explanation}" if verdict.explanation else ""))
        return "\n".join(lines)
