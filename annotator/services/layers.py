"""Layers: whose annotations a view, an export or a corpus query takes.

- ``all``: every analyst's own annotations (not the curated layer, which copies
  theirs; each row says its analyst in the ``annotator`` column). Before a team,
  that is every annotation, as always.
- ``mine``: this file's analyst's own annotations.
- ``curated``: the curated layer (what the lead settled).
- an analyst's name: that analyst's own annotations.

A :class:`Layer` is a value: ``Layer.parse("mine")``, ``str(layer)`` gives the
word back. Every selection goes through :meth:`Layer.criteria` (the analyst and
the layer column it means), so exports, the corpus queries (:meth:`Layer.filters`)
and the window (:func:`annotation_ids`) select the same annotations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from annotator.services.workspace import annotator_name
from annotator.store import Store, StoreError
from annotator.store import team as local
from annotator.store.corpus import Filters, analysts

ALL, MINE, CURATED, ANALYST = "all", "mine", "curated", "analyst"


@dataclass(frozen=True)
class Layer:
    """``kind`` is ``all``, ``mine``, ``curated`` or ``analyst`` (then ``analyst`` names them)."""

    kind: str = ALL
    analyst: str = ""

    @classmethod
    def parse(cls, text: str | Layer | None) -> Layer:
        """``all``, ``mine``, ``curated`` or an analyst's name (None or "" is ``all``)."""
        if isinstance(text, Layer):
            return text
        word = (text or ALL).strip()
        if word in (ALL, MINE, CURATED):
            return cls(word)
        return cls(ANALYST, word)

    @classmethod
    def of_analyst(cls, name: str) -> Layer:
        return cls(ANALYST, name)

    def __str__(self) -> str:
        return self.analyst if self.kind == ANALYST else self.kind

    @property
    def label(self) -> str:
        """For a menu or a status bar."""
        return {ALL: "All analysts", MINE: "Mine", CURATED: "Curated"}.get(self.kind, self.analyst)

    def criteria(self, store: Store) -> tuple[str | None, str | None]:
        """``(analyst, layer column)`` this layer selects; None where it does not narrow."""
        if self.kind == ALL:
            return None, ""
        if self.kind == CURATED:
            return None, "curated"
        if self.kind == MINE:
            return annotator_name(store), ""
        return self.analyst, ""

    def filters(self, store: Store, base: Filters | None = None) -> Filters:
        """``base`` (or no other filter) narrowed to this layer, for the corpus queries
        (search, sources, figures, charts)."""
        analyst, layer = self.criteria(store)
        return replace(base or Filters(), annotator=analyst, layer=layer)


ALL_LAYERS = Layer(ALL)


def layer_choices(store: Store) -> list[Layer]:
    """What a layer chooser offers: all, mine, curated, then every analyst by name."""
    return [Layer(ALL), Layer(MINE), Layer(CURATED), *(Layer.of_analyst(a) for a in analysts(store))]


def check_layer(store: Store, layer: Layer) -> None:
    """Refuse an analyst's name no annotation here carries (a typo would export nothing)."""
    if layer.kind == ANALYST and layer.analyst not in analysts(store):
        known = ", ".join(analysts(store)) or "none yet"
        raise StoreError(
            f"No annotations by “{layer.analyst}” in {store.path} (analysts: {known}; "
            "or say mine, all or curated)."
        )


def annotation_ids(
    store: Store, article_ids: int | Sequence[int] | None, layer: Layer | str | None
) -> set[int]:
    """Ids of the annotations of ``layer`` in one article, in several, or in all (None)."""
    analyst, column = Layer.parse(layer).criteria(store)
    if isinstance(article_ids, int):
        article_ids = [article_ids]
    return set(local.layer_annotation_ids(store, article_ids, analyst=analyst, layer=column))


__all__ = ["ALL", "ALL_LAYERS", "ANALYST", "CURATED", "MINE", "Layer", "annotation_ids", "check_layer",
           "layer_choices"]
