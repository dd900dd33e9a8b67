"""The Corpus menu: search, the source registry, figures side by side, verdicts and
charts. Each view is made the first time it is opened, so none of them (nor
matplotlib) costs the window's start-up anything."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMenu


class CorpusMenu:
    """Builds the menu on ``window`` and opens the views; dependencies are the window's
    store, document, ``open_article``, ``view``, ``report`` and ``current_annotation``."""

    def __init__(self, window: QMainWindow, menu: QMenu):
        self.window = window
        self.views: dict[str, object] = {}
        self.follows_layer = False
        for text, key, slot in (
            ("&Search the corpus…", "Ctrl+Shift+F", self.open_search),
            ("&Who is cited (sources)…", "Ctrl+Shift+W", self.open_registry),
            ("&Figures side by side…", "Ctrl+Shift+G", self.open_figures),
            ("&Charts…", "Ctrl+Shift+K", self.open_charts),
            ("&Verdict on the claim…", "Ctrl+Shift+J", self.edit_verdict),
            ("Verdict rating sc&ale…", "", self.edit_rating_scale),
        ):
            action = QAction(text, window)
            if key:
                action.setShortcut(QKeySequence(key))
            action.triggered.connect(slot)
            menu.addAction(action)

    def open_span(self, article_id: int, start: int | None, end: int | None) -> None:
        """Show the article with ``start``-``end`` selected and scrolled into view."""
        w = self.window
        w.open_article(article_id)
        if start is not None and end is not None:
            w.view.reveal(start, end)
            w.view.select_span(start, end)
        w.view.setFocus()

    def _view(self, name: str, make):
        if name not in self.views:
            if not self.follows_layer:
                self.follows_layer = True
                # The views count the layer the window shows (all, mine, curated, an analyst's),
                # from when they open and whenever the window's layer changes.
                self.window.team_menu.layers.currentIndexChanged.connect(lambda *_: self._follow_layer())
            self.views[name] = make()
        self._follow_layer(self.views[name])
        return self.views[name]

    def _follow_layer(self, view=None) -> None:
        """Set the analyst box of ``view`` (else of every open view) to the window's layer;
        a view that changes refreshes (at once if shown, else when shown)."""
        word = self.window.team_menu.layers.word()
        for v in [view] if view is not None else list(self.views.values()):
            box = getattr(v, "analyst", None)
            if box is not None and box.word() != word:
                box.set_word(word)
                v.lazy.request()

    def open_search(self) -> None:
        from annotator.gui.search_panel import SearchPanel

        w = self.window

        def make():
            panel = SearchPanel(w.store, w.document, self.open_span, w)
            w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, panel)
            return panel

        self._view("search", make).open_search()

    def open_registry(self) -> None:
        from annotator.gui.source_registry import SourceRegistryWindow

        w = self.window
        self._view("registry", lambda: SourceRegistryWindow(w.store, w.document, self.open_span, w.report, w,
                                                                 w.changes)).open_registry()

    def open_figures(self) -> None:
        from annotator.gui.figure_tracker import FigureTrackerWindow

        w = self.window
        self._view("figures", lambda: FigureTrackerWindow(w.store, w.document, self.open_span, w, w.changes)).open_tracker()

    def open_charts(self) -> None:
        from annotator.gui.charts import ChartsWindow

        w = self.window
        self._view("charts", lambda: ChartsWindow(w.store, w.document, w, w.changes)).open_charts()

    def edit_verdict(self):
        """The verdict dialog for the selected claim (shown, not waited for), or None."""
        from annotator.gui.verdict_editor import VerdictDialog

        w = self.window
        annotation = w.current_annotation()
        claim = w.store.tag_by_name("claim")
        if annotation is None or claim is None or annotation.tag_id != claim.id:
            w.statusBar().showMessage("Select a claim annotation to give it a verdict.", 5000)
            return None
        dialog = VerdictDialog(w.document, annotation, w.document.annotator, w.report, w.bench.push,
                               w.annotations.refresh_details, w)
        dialog.open()
        self.views["verdict"] = dialog
        return dialog

    def edit_rating_scale(self):
        """The desk's rating scale in a dialog (shown, not waited for)."""
        from annotator.gui.verdict_editor import RatingScaleDialog

        dialog = RatingScaleDialog(self.window.store, self.window.report, self.window)
        dialog.open()
        self.views["rating_scale"] = dialog
        return dialog
