"""Choosing a layer: whose annotations the open article shows, an export writes or
a corpus view counts (see :mod:`annotator.services.layers`): all analysts, mine,
the curated layer, or one analyst's.

:class:`LayerBox` is the one combo box for it (the corpus views' analyst filter and
the export dialog use it too). :class:`LayerChooser` sits in the status bar
(``Ctrl+Shift+L`` takes the keys to it: the arrows choose); the text, its
highlights and the annotation table all follow it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QWidget

from annotator.domain import Annotation
from annotator.store import Store

if TYPE_CHECKING:
    from annotator.services.layers import Layer

Filter = Callable[[int, list[Annotation]], list[Annotation]]
# The layers a box always offers (as :class:`annotator.services.layers.Layer` spells
# them); the analysts' are read when it is used: the layers module loads the corpus
# queries, which the window's start-up does without.
FIXED = (("all", "All analysts"), ("mine", "Mine"), ("curated", "Curated"))


def layer_filter(store: Store, layer: Layer | str) -> Filter:
    """Keeps, of an article's annotations, those of ``layer`` (a Layer, or ``all``,
    ``mine``, ``curated`` or an analyst's name)."""
    from annotator.services.layers import Layer, annotation_ids

    chosen = Layer.parse(layer)

    def keep(article_id: int, annotations: list[Annotation]) -> list[Annotation]:
        ids = annotation_ids(store, article_id, chosen)
        return [a for a in annotations if a.id in ids]

    return keep


class LayerBox(QComboBox):
    """All analysts / Mine / Curated / each analyst. The analysts are listed when the
    list opens or the box takes the focus (arrow keys then choose): finding them reads
    every annotation. ``me()`` names the analyst working here ("mine"; without it, the
    name saved in the database); ``prefix`` starts every item's text."""

    def __init__(self, store: Store, me: Callable[[], str] | None = None, *, prefix: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.me, self.prefix = store, me, prefix
        self._fill(FIXED)

    def reload(self) -> None:
        """The layers as they are now (a sync or an import may have brought new analysts)."""
        from annotator.services.layers import layer_choices

        self._fill([(str(layer), layer.label) for layer in layer_choices(self.store)])

    def _fill(self, layers) -> None:
        """``layers``: (word, label) pairs; the choice made stays."""
        current = self.currentData() or "all"
        me = self.me() if self.me is not None else ""
        self.blockSignals(True)
        self.clear()
        fixed = dict(FIXED)
        for word, label in layers:
            if word in fixed and label != fixed[word]:
                continue  # an analyst who took the name of a fixed layer is reached as "mine" or not at all
            if word == "mine" and me:
                label = f"{label} ({me})"
            self.addItem(f"{self.prefix}{label}", word)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(False)

    def showPopup(self) -> None:
        self.reload()
        super().showPopup()

    def focusInEvent(self, event) -> None:
        self.reload()
        super().focusInEvent(event)

    def word(self) -> str:
        return self.currentData() or "all"

    def layer(self) -> Layer:
        """The chosen layer (``mine`` is ``me()``'s, when given)."""
        from annotator.services.layers import Layer

        word = self.word()
        me = self.me() if self.me is not None else ""
        return Layer.of_analyst(me) if word == "mine" and me else Layer.parse(word)

    def set_word(self, word: str) -> None:
        """Choose ``word`` (``all``, ``mine``, ``curated`` or an analyst's name) without
        telling anyone; an unknown analyst's name leaves the choice as it was."""
        if self.findData(word) < 0:
            self.reload()
        if self.findData(word) >= 0:
            self.blockSignals(True)
            self.setCurrentIndex(self.findData(word))
            self.blockSignals(False)


class LayerChooser(LayerBox):
    """The window's layer; choosing one calls ``apply(filter, label)``."""

    def __init__(self, store: Store, me: Callable[[], str], apply: Callable[[Filter, str], None],
                 parent: QWidget | None = None):
        super().__init__(store, me, prefix="Layer: ", parent=parent)
        self.apply = apply
        self.setToolTip("Whose annotations the article shows: every analyst's, yours, the curated layer, "
                        "or one analyst's (Ctrl+Shift+L)")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.activated.connect(lambda *_: self.choose(self.currentData()))
        self.focus_action = QAction(self)
        self.focus_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.focus_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.focus_action.triggered.connect(self.take_keys)

    def take_keys(self) -> None:
        """Ctrl+Shift+L: the arrows now choose the layer (Alt+Down opens the list)."""
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_filter(self) -> Filter:
        return layer_filter(self.store, self.layer())

    def choose(self, layer: str) -> None:
        """Show ``layer`` (``all``, ``mine``, ``curated`` or an analyst's name)."""
        if self.findData(layer) < 0:
            self.reload()
        self.setCurrentIndex(max(0, self.findData(layer)))
        self.apply(self.current_filter(), self.currentText().removeprefix(self.prefix))
