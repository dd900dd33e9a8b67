"""Team → Agreement: how much the analysts agree (per tag, per article, per pair:
Cohen's kappa, Krippendorff's alpha, span F1 exact and overlap) and where they do
not. Selecting a line of scores lists its disagreements; Enter or a double click on
a disagreement opens its place in the text. Computed off the UI thread."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.corpus_common import CorpusWindow, OpenSpan
from annotator.gui.team_models import RecordTableModel, record_view, stacked
from annotator.gui.wording import plural
from annotator.services.agreement import (
    ALL,
    AgreementReport,
    Disagreement,
    Score,
    compute_agreement,
)
from annotator.store import Store

KINDS = {"missing": "only this analyst", "tag": "another tag", "boundary": "other limits"}


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class Computed:
    """An agreement report with the titles of its articles."""

    report: AgreementReport
    titles: dict[int, str]


class ScoreModel(RecordTableModel):
    """One line per score: corpus or article, tag, pair of analysts (or all)."""

    HEADERS = ("Article", "Tag", "Analysts", "Kappa", "Alpha", "F1 exact", "F1 overlap", "Words")

    def show(self, s: Score, column: int, role):
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                self.title(s.article_id),
                "All tags" if s.tag == ALL else s.tag,
                "All analysts" if s.pair == ALL else s.pair.replace("/", " – "),
                _number(s.kappa), _number(s.alpha), _number(s.f1_exact), _number(s.f1_overlap), str(s.units),
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class DisagreementModel(RecordTableModel):
    """The disagreements of the selected score."""

    HEADERS = ("Article", "Quote", "Tag", "Analyst", "Compared with", "Kind", "Where")

    def show(self, d: Disagreement, column: int, role):
        if role == Qt.ItemDataRole.DisplayRole:
            quote = " ".join(d.quote.split())
            return (
                self.title(d.article_id),
                quote if len(quote) <= 90 else quote[:89] + "…",
                d.tag, d.analyst, d.other, KINDS.get(d.kind, d.kind), f"{d.start}–{d.end}",
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{d.analyst} tagged “{d.quote}” as {d.tag}; {d.other} has "
                    + {"missing": "nothing there.", "tag": "the same words under another tag.",
                       "boundary": "the same tag with other limits."}.get(d.kind, d.kind))
        return None


def disagreements_of(report: AgreementReport, score: Score | None) -> list[Disagreement]:
    """The disagreements behind one score: its article (or all), its tag (or all), its
    pair of analysts (or any)."""
    if score is None:
        return list(report.disagreements)
    pair = None if score.pair == ALL else set(score.pair.split("/"))
    return [
        d for d in report.disagreements
        if (score.article_id is None or d.article_id == score.article_id)
        and (score.tag == ALL or d.tag == score.tag)
        and (pair is None or {d.analyst, d.other} == pair)
    ]


def _table(model, parent: QWidget) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(-1)
    view = record_view(proxy, parent)
    view.setSortingEnabled(True)
    # The report's own order (corpus first, then per article) until a header is clicked.
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    proxy.sort(-1)
    return view, proxy


def _fit(view: QTableView, widest: int = 360) -> None:
    """Columns as wide as their contents (the rows Qt samples), long titles and quotes
    capped; once, so that the columns do not jump as lines are chosen."""
    if view.property("fitted"):
        return
    view.setProperty("fitted", view.model().rowCount() > 0)
    view.resizeColumnsToContents()
    for column in range(view.model().columnCount()):
        view.setColumnWidth(column, min(view.columnWidth(column), widest))


class AgreementWindow(CorpusWindow):
    """The agreement report over the whole corpus, recomputed in the background when
    annotations change while it is shown."""

    CANNOT = "Could not compute the agreement"

    def __init__(self, store: Store, open_span: OpenSpan, changes, parent: QWidget | None = None):
        super().__init__(store, None, "Agreement between analysts", parent, changes)
        self.analyst.hide()  # agreement compares every analyst; there is no one layer to choose
        self.open_span = open_span
        self.computed: Computed | None = None
        self.summary = QLabel("Computing…", self)
        hint = QLabel("Select a line of scores to list its disagreements; Enter or a double click on a "
                      "disagreement opens it in the text.", self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter the scores: article, tag or analyst")
        self.filter.setClearButtonEnabled(True)
        self.score_model = ScoreModel(self)
        self.scores, self.score_proxy = _table(self.score_model, self)
        self.disagreement_model = DisagreementModel(self)
        self.disagreements, self.disagreement_proxy = _table(self.disagreement_model, self)
        self.disagreement_label = QLabel(self)
        splitter = stacked(self.scores, self.disagreement_label, self.disagreements, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(hint)
        layout.addWidget(self.filter)
        layout.addWidget(splitter, 1)
        self.resize(1100, 720)
        self.filter.textChanged.connect(self.score_proxy.setFilterFixedString)
        self.scores.selectionModel().currentRowChanged.connect(self._score_chosen)
        self.disagreements.activated.connect(self._open)

    def open_report(self) -> None:
        self.present(self.scores)
        self.activateWindow()

    def refresh(self) -> None:
        """Compute the report again, in the background (once more if asked meanwhile)."""
        def work(store) -> Computed:
            report = compute_agreement(store)
            shown = {s.article_id for s in report.scores} | {d.article_id for d in report.disagreements}
            titles = {a.id: a.title for a in store.list_articles() if a.id in shown}
            return Computed(report, titles)

        self.compute(work, self._show, "Computing the agreement…")

    def _show(self, computed: Computed) -> None:
        self.computed = computed
        report = computed.report
        articles = len({s.article_id for s in report.scores if s.article_id is not None})
        if len(report.analysts) < 2 or not report.scores:
            self.summary.setText(
                f"Analysts: {', '.join(report.analysts) or 'none'}. Agreement needs articles that two or more "
                "analysts annotated; there are none yet.")
        else:
            overall = report.score()
            self.summary.setText(
                f"Analysts: {', '.join(report.analysts)} · {plural(articles, 'article')} annotated by two or "
                f"more · over all: kappa {_number(overall.kappa if overall else None)}, "
                f"alpha {_number(overall.alpha if overall else None)} · "
                f"{plural(len(report.disagreements), 'disagreement')}")
        self.score_model.set_rows(report.scores, computed.titles)
        _fit(self.scores)
        if self.score_proxy.rowCount():
            self.scores.setCurrentIndex(self.score_proxy.index(0, 0))
        else:
            self._score_chosen(QModelIndex())

    def _score_chosen(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if self.computed is None:
            return
        score = current.data(Qt.ItemDataRole.UserRole) if current.isValid() else None
        rows = disagreements_of(self.computed.report, score)
        self.disagreement_model.set_rows(rows, self.computed.titles)
        _fit(self.disagreements)
        where = "" if score is None else self.score_model.title(score.article_id)
        self.disagreement_label.setText(
            plural(len(rows), "disagreement") + (f" in {where}" if score is not None and score.article_id else "")
            + ("" if score is None or score.tag == ALL else f", tag {score.tag}")
            + ("" if score is None or score.pair == ALL else f", between {score.pair.replace('/', ' and ')}"))

    def _open(self, index: QModelIndex) -> None:
        d = index.data(Qt.ItemDataRole.UserRole)
        if d is None:
            d = self.disagreement_proxy.index(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        if d is not None:
            self.open_span(d.article_id, d.start, d.end)
