"""Charts of the corpus: annotations per tag per outlet and per week, sources per
claim, most-cited sources, verdicts. Drawn with matplotlib, which is imported only
when the charts window first draws (it costs a third of a second and tens of MB),
and saved as PNG or SVG."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.corpus_common import CorpusWindow
from annotator.services.sources import source_registry
from annotator.services.verdicts import rating_scale
from annotator.store import Store
from annotator.store import corpus

CHARTS = {
    "per_outlet": "Annotations per tag and outlet",
    "per_week": "Annotations per tag and week",
    "sources_per_claim": "Sources per claim",
    "top_sources": "Most-cited sources",
    "verdicts": "Verdicts",
}


def read_chart(store: Store, kind: str, filters: corpus.Filters = corpus.Filters()) -> tuple:
    """What chart ``kind`` shows of the annotations ``filters`` leave, read from ``store`` (in
    the background: on a large corpus it takes a second): ``(kind, rows, extra)``."""
    if kind in ("per_outlet", "per_week"):
        count = corpus.count_by_tag_and_outlet if kind == "per_outlet" else corpus.count_by_tag_and_week
        return kind, count(store, filters), {t.name: t.colour for t in store.list_tags()}
    if kind == "sources_per_claim":
        return kind, corpus.sources_per_claim(store, filters), None
    if kind == "top_sources":
        return kind, [(e.name, e.count) for e in source_registry(store, filters)[:15]], None
    return kind, corpus.count_verdicts(store, filters), list(rating_scale(store))


def draw(chart: tuple, figure) -> None:
    """Draw a chart as :func:`read_chart` read it on a matplotlib ``figure`` (cleared first)."""
    from matplotlib.ticker import MaxNLocator

    kind, rows, extra = chart
    figure.clear()
    ax = figure.add_subplot(111)
    empty = ""
    if kind in ("per_outlet", "per_week"):
        columns = sorted({r[1] or "(none)" for r in rows})
        by_tag: dict[str, dict[str, int]] = defaultdict(dict)
        for tag, column, n in rows:
            by_tag[tag][column or "(none)"] = n
        bottom = [0] * len(columns)
        colours = _distinct_colours(by_tag, extra)
        for tag, counts in by_tag.items():
            heights = [counts.get(c, 0) for c in columns]
            ax.bar(columns, heights, bottom=bottom, label=tag, color=colours[tag], edgecolor="white", linewidth=0.8)
            bottom = [b + h for b, h in zip(bottom, heights)]
        if by_tag:
            ax.legend()
        else:
            empty = "No annotations in this layer yet:\ntag claims, sources and figures in the articles."
        ax.set_ylabel("annotations")
        _slanted(ax)
    elif kind == "sources_per_claim":
        ax.bar([str(n) for n, _ in rows], [c for _, c in rows], color="#16A34A")
        ax.set_xlabel("sources linked to the claim")
        ax.set_ylabel("claims")
        if not rows:
            empty = "No claims in this layer yet:\ntag claims and link each to the source who made it."
    elif kind == "top_sources":
        shown = rows[::-1]
        ax.barh([name[:40] for name, _ in shown], [n for _, n in shown], color="#16A34A")
        ax.set_xlabel("times cited")
        if not rows:
            empty = "No sources in this layer yet:\ntag who is cited with the source tag."
    else:
        counts, scale = dict(rows), extra
        names = scale + sorted(set(counts) - set(scale))
        ax.bar(names, [counts.get(n, 0) for n in names], color="#3B82F6")
        ax.set_ylabel("claims")
        _slanted(ax)
        if not counts:
            empty = "No verdicts in this layer yet:\nselect a claim and press Ctrl+Shift+J to give it one."
    ax.set_title(CHARTS[kind])
    (ax.xaxis if kind == "top_sources" else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    if empty:
        # Say what would fill the chart where its bars would be, not an empty 0-to-1 frame.
        ax.text(0.5, 0.5, empty, transform=ax.transAxes, ha="center", va="center", fontsize=12, color="#444")
        if kind != "verdicts":
            ax.set_xticks([])
        ax.set_yticks([])
    figure.tight_layout()


def _distinct_colours(tags, colours: dict[str, str]) -> dict[str, str]:
    """Each tag's own colour, but one that another tag in the chart already has (tags may
    share a colour in the window) gives way to a free one of matplotlib's tab10: stacked
    bars and their legend must tell the tags apart."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex, to_rgb

    def far(colour: str, others) -> bool:  # not a near shade of any (RGB distance)
        return all(sum((a - b) ** 2 for a, b in zip(to_rgb(colour), to_rgb(o))) > 0.12 for o in others)

    spare = [to_hex(c) for c in colormaps["tab10"].colors]
    out: dict[str, str] = {}
    for tag in tags:
        colour = (colours.get(tag) or "").lower()
        if not colour or colour in out.values():
            taken = [*out.values(), *(c for t, c in colours.items() if t in tags and c)]
            colour = next((c for c in spare if far(c, taken)), "#777777")
        out[tag] = colour
    return out


def _slanted(ax, most: int = 20) -> None:
    """Long category names (outlets, weeks) slanted so that they do not overlap; of
    many, every n-th is named."""
    labels = ax.get_xticklabels()
    step = max(1, -(-len(labels) // most))
    for i, label in enumerate(labels):
        label.set_rotation(40)
        label.set_horizontalalignment("right")
        label.set_visible(i % step == 0)


class ChartsWindow(CorpusWindow):
    """One chart at a time, chosen from a list; Save writes PNG or SVG."""

    def __init__(self, store: Store, document, parent: QWidget | None = None, changes=None):
        super().__init__(store, document, "Charts", parent, changes)
        self.canvas = None
        self.kind = QComboBox(self)
        for key, label in CHARTS.items():
            self.kind.addItem(label, key)
        self.save_button = QPushButton("&Save as PNG or SVG…", self)
        self.summary = QLabel(self)  # "Counting…" while a chart's numbers are read
        top = QHBoxLayout()
        top.addWidget(self.kind, 1)
        top.addWidget(self.summary)
        top.addWidget(self.analyst)
        top.addWidget(self.save_button)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(top)
        self.resize(900, 600)
        self.kind.currentIndexChanged.connect(lambda *_: self.refresh())
        self.save_button.clicked.connect(self.save_dialog)

    def follows(self, changes) -> bool:
        """Charts also show verdicts: a verdict saved, cleared or undone, or the rating scale
        changed, redraws them."""
        return bool(changes.verdicts) or "verdict_scale" in changes.settings or super().follows(changes)

    def open_charts(self) -> None:
        self._ensure_canvas()  # in the layout before the window shows, so it shows with it
        self.present(self.kind)

    def _ensure_canvas(self):
        if self.canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            self.canvas = FigureCanvasQTAgg(Figure(figsize=(8, 5)))
            self.layout_.addWidget(self.canvas, 1)
        return self.canvas

    def refresh(self) -> None:
        kind, filters = self.kind.currentData(), self.analyst.filters()
        self.compute(lambda store: read_chart(store, kind, filters), self._draw, "Counting…")

    def _draw(self, chart: tuple) -> None:
        canvas = self._ensure_canvas()
        draw(chart, canvas.figure)
        canvas.draw()
        self.summary.clear()

    def save(self, path: str | Path) -> None:
        """Write the chart shown to ``path``; the suffix (.png or .svg) chooses the format."""
        self._ensure_canvas().figure.savefig(str(path), dpi=150)

    def save_dialog(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(self, "Save chart", f"{self.kind.currentData()}.png",
                                                   "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        if Path(path).suffix.lower() not in (".png", ".svg"):
            # "chart" or "chart.txt": the type chosen in the dialog, not matplotlib's refusal.
            path += ".svg" if chosen.startswith("SVG") else ".png"
        try:
            self.save(path)
        except OSError as error:
            QMessageBox.warning(self, "Could not save the chart", f"{path}: {error.strerror or error}")
