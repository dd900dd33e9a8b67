"""The layer chooser: whose annotations the open article shows, as exports and the
corpus views take them (see :mod:`annotator.services.layers`): all analysts, mine,
the curated layer, or one analyst's. It sits in the status bar (``Ctrl+Shift+L``
takes the keys to it: the arrows choose); the text, its highlights and the
annotation table all follow it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QWidget

from annotator.domain import Annotation
from annotator.store import Store

Filter = Callable[[int, list[Annotation]], list[Annotation]]
# The layers a chooser always offers (as :class:`annotator.services.layers.Layer` spells
# them); the analysts' are read when it is used: the layers module loads the corpus
# queries, which the window's start-up does without.
FIXED = (("all", "All analysts"), ("mine", "Mine"), ("curated", "Curated"))


def layer_filter(store: Store, layer: str) -> Filter:
    """Keeps, of an article's annotations, those of ``layer`` (``all``, ``mine``,
    ``curated`` or an analyst's name)."""
    from annotator.services.layers import Layer, annotation_ids

    chosen = Layer.parse(layer)

    def keep(article_id: int, annotations: list[Annotation]) -> list[Annotation]:
        ids = annotation_ids(store, article_id, chosen)
        return [a for a in annotations if a.id in ids]

    return keep


class LayerChooser(QComboBox):
    """All analysts / Mine / Curated / each analyst; choosing one calls
    ``apply(filter, label)``. ``me()`` names the analyst working here."""

    def __init__(self, store: Store, me: Callable[[], str], apply: Callable[[Filter, str], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.me, self.apply = store, me, apply
        self.setToolTip("Whose annotations the article shows: every analyst's, yours, the curated layer, "
                        "or one analyst's (Ctrl+Shift+L)")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._fill(FIXED)
        self.activated.connect(lambda *_: self.choose(self.currentData()))
        self.focus_action = QAction(self)
        self.focus_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.focus_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.focus_action.triggered.connect(self.take_keys)

    def reload(self) -> None:
        """The layers as they are now (a sync may have brought new analysts)."""
        from annotator.services.layers import layer_choices

        self._fill([(str(layer), layer.label) for layer in layer_choices(self.store)])

    def _fill(self, layers) -> None:
        """``layers``: (word, label) pairs."""
        current = self.currentData() or "all"
        self.blockSignals(True)
        self.clear()
        for word, label in layers:
            if word == "mine" and self.me():
                label = f"{label} ({self.me()})"
            self.addItem(f"Layer: {label}", word)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(False)

    def showPopup(self) -> None:
        self.reload()
        super().showPopup()

    def focusInEvent(self, event) -> None:
        self.reload()
        super().focusInEvent(event)

    def take_keys(self) -> None:
        """Ctrl+Shift+L: the arrows now choose the layer (Alt+Down opens the list)."""
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_filter(self) -> Filter:
        return layer_filter(self.store, self.currentData() or "all")

    def choose(self, layer: str) -> None:
        """Show ``layer`` (``all``, ``mine``, ``curated`` or an analyst's name)."""
        if self.findData(layer) < 0:
            self.reload()
        self.setCurrentIndex(max(0, self.findData(layer)))
        self.apply(self.current_filter(), self.currentText().removeprefix("Layer: "))
