"""Corpus search: a dock with the query, filters and results with highlighted
snippets; Enter (or a double click) on a result opens the article at the hit."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.corpus_common import (
    AnalystFilter,
    LazyRefresh,
    OpenSpan,
    RichTextDelegate,
    connect_refresh,
    snippet_html,
)
from annotator.store import Store, StoreError
from annotator.store import corpus

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE = 50


class SearchPanel(QDockWidget):
    """Search the corpus (articles' titles and texts, annotations' quotes and notes)."""

    def __init__(self, store: Store, document, open_span: OpenSpan, parent: QWidget | None = None):
        super().__init__("Search the corpus", parent)
        self.setObjectName("searchPanel")
        self.store, self.open_span = store, open_span
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.query = QLineEdit(body, placeholderText='words, "a phrase", prefix*, AND / OR / NOT')
        self.query.setClearButtonEnabled(True)
        form = QFormLayout()
        self.scope = QComboBox(body)
        for label, value in (("Articles and annotations", "all"), ("Article texts and titles", "articles"),
                             ("Quotes and notes", "annotations")):
            self.scope.addItem(label, value)
        self.tag = QComboBox(body)
        self.outlet = QComboBox(body)
        self.analyst = AnalystFilter(store, lambda: document.annotator, body)
        self.status = QComboBox(body)
        for label, value in (("any status", None), ("to do", "to do"), ("in progress", "in progress"), ("done", "done")):
            self.status.addItem(label, value)
        self.date_from = QLineEdit(body, placeholderText="from YYYY-MM-DD")
        self.date_to = QLineEdit(body, placeholderText="to YYYY-MM-DD")
        form.addRow("&Search in", self.scope)
        form.addRow("&Tag", self.tag)
        form.addRow("&Outlet", self.outlet)
        form.addRow("&Analyst", self.analyst)
        form.addRow("Stat&us", self.status)
        form.addRow("&Published", self.date_from)
        form.addRow("", self.date_to)
        self.summary = QLabel(body)
        self.summary.setWordWrap(True)  # a message on a bad search or date stays inside the dock
        self.results = QListWidget(body)
        self.results.setItemDelegate(RichTextDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMinimumWidth(380)
        layout.addWidget(self.query)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self.setWidget(body)
        self.query.returnPressed.connect(self.run)
        for combo in (self.scope, self.tag, self.outlet, self.analyst, self.status):
            combo.activated.connect(self.run)
        for edit in (self.date_from, self.date_to):
            edit.returnPressed.connect(self.run)
        self.results.itemActivated.connect(self._open)
        self.lazy = LazyRefresh(self, self.run)
        connect_refresh(document, self.lazy)
        self.visibilityChanged.connect(lambda visible: visible and self.lazy.shown())

    def _fill(self, combo: QComboBox, everything: str, values: list[str]) -> None:
        current = combo.currentData()
        combo.clear()
        combo.addItem(everything, None)
        for v in values:
            combo.addItem(v, v)
        combo.setCurrentIndex(max(0, combo.findData(current)))

    def open_search(self) -> None:
        """Show the panel with the query selected, ready to type."""
        self._fill(self.tag, "any tag", [t.name for t in self.store.list_tags()])
        self._fill(self.outlet, "any outlet", corpus.outlets(self.store))
        self.show()
        self.raise_()
        self.query.setFocus()
        self.query.selectAll()

    def filters(self) -> corpus.Filters:
        return self.analyst.filters(corpus.Filters(
            tag=self.tag.currentData(), outlet=self.outlet.currentData(), status=self.status.currentData(),
            date_from=self.date_from.text().strip() or None, date_to=self.date_to.text().strip() or None,
        ))

    def run(self, *_args) -> None:
        """Search again with what the panel says now."""
        self.results.clear()
        if not self.query.text().strip():
            self.summary.setText("")
            return
        try:
            hits = corpus.search(self.store, self.query.text(), self.filters(), scope=self.scope.currentData(), limit=PAGE)
        except StoreError as error:
            self.summary.setText(str(error))
            return
        for hit in hits:
            where = hit.tag or hit.field
            label = (f"<div style='color:#555'>{html.escape(hit.title[:80])} · {html.escape(where)}</div>"
                     f"<div>{snippet_html(hit.snippet)}</div>")
            item = QListWidgetItem(label)
            item.setData(HIT_ROLE, hit)
            self.results.addItem(item)
        self.summary.setText(f"{len(hits)} result{'s' if len(hits) != 1 else ''}" if hits else "No results.")
        if hits:
            self.results.setCurrentRow(0)

    def _open(self, item: QListWidgetItem) -> None:
        hit = item.data(HIT_ROLE)
        self.open_span(hit.article_id, hit.start, hit.end)
