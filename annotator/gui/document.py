"""The open article and its annotations: the model that undo commands change.

Every change goes to the store first (committed) and is announced afterwards,
so whatever the window shows as done is already saved.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from annotator.domain import Annotation, Article, Suggestion, Tag
from annotator.services.annotations import (
    accept_suggestion,
    add_annotation,
    delete_annotations,
    reject_suggestions,
    reopen_suggestion,
    restore_annotations,
    retag_annotation,
    set_note,
    set_source,
)
from annotator.store import Store


def suggestion_kind(s: Suggestion) -> str:
    """The suggester's kind of a suggestion ("date", "quote", "anonymous", …), or ""."""
    if '"kind"' not in s.value:
        return ""
    try:
        value = json.loads(s.value)
    except ValueError:
        return ""
    return value.get("kind", "") if isinstance(value, dict) else ""


def _key(a: Annotation) -> tuple[int, int, int]:
    return (a.start, a.end, a.id)


class ArticleDocument(QObject):
    """Holds the open article, its annotations (sorted by offset) and the tags."""

    # Item models need to hear of a change before and after it (Qt's begin/end
    # pairs): the "about to" signals come before the list changes.
    aboutToReset = Signal()            # the annotation list is about to be replaced
    articleChanged = Signal()          # a different article (or none) is open
    annotationAboutToBeInserted = Signal(int)  # row
    annotationAboutToBeRemoved = Signal(int)   # row
    annotationInserted = Signal(int, object)   # row, Annotation
    annotationRemoved = Signal(int, object)    # row, Annotation
    annotationUpdated = Signal(int, object)    # row, Annotation
    tagsChanged = Signal()
    suggestionsChanged = Signal()
    articleMetaChanged = Signal()      # status or metadata of the open article
    failed = Signal(object)            # an undo step could not be saved (the exception)

    def __init__(self, store: Store, annotator: str, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.annotator = annotator
        self.article: Article | None = None
        self.annotations: list[Annotation] = []
        self.suggestions: list[Suggestion] = []
        self._suggestion_by_id: dict[int, Suggestion] = {}
        self._suggestion_by_span: dict[tuple[int, int], Suggestion] = {}
        self.hidden_kinds: set[str] = set()  # kinds of suggestion not shown, e.g. {"date"}
        self.tags: list[Tag] = store.list_tags()
        # Which of an article's annotations are shown (a layer: see gui/team_layers.py); None: all.
        self.layer: Callable[[int, list[Annotation]], list[Annotation]] | None = None
        self._by_id: dict[int, Annotation] = {}
        self.tag_counts: Counter[int] = Counter()
        self.said_by: dict[int, int] = {}  # claim annotation id → its source's id ("source" links)

    # -- queries ----------------------------------------------------------

    def tag(self, tag_id: int) -> Tag | None:
        for tag in self.tags:
            if tag.id == tag_id:
                return tag
        return None

    def row_of(self, annotation_id: int) -> int:
        """Row of an annotation in the sorted list (binary search), or -1."""
        a = self._by_id.get(annotation_id)
        if a is None:
            return -1
        return bisect.bisect_left(self.annotations, _key(a), key=_key)

    def annotation(self, annotation_id: int) -> Annotation | None:
        return self._by_id.get(annotation_id)

    def _index(self) -> None:
        self._by_id = {a.id: a for a in self.annotations}
        self.tag_counts = Counter(a.tag_id for a in self.annotations)
        self.said_by = self._read_links()

    def _read_links(self) -> dict[int, int]:
        if self.article is None:
            return {}
        said_by: dict[int, int] = {}
        for link in self.store.list_links(self.article.id):
            if link[2] == "source":
                said_by.setdefault(link[0], link[1])
        return said_by

    def source_of(self, annotation_id: int) -> Annotation | None:
        """The annotation a claim is attributed to ("said by"), if any."""
        source_id = self.said_by.get(annotation_id)
        return self._by_id.get(source_id) if source_id is not None else None

    def _links_changed(self) -> None:
        """Re-read the attributions; rows whose "said by" changed are announced."""
        before, self.said_by = self.said_by, self._read_links()
        changed = {k for k in before.keys() | self.said_by.keys() if before.get(k) != self.said_by.get(k)}
        for annotation_id in sorted(changed):
            row = self.row_of(annotation_id)
            if row >= 0:
                self.annotationUpdated.emit(row, self.annotations[row])

    def set_source(self, claim_id: int, source_ids: list[int]) -> list[int]:
        """Attribute a claim to its source (none: remove); returns the previous sources."""
        before = set_source(self.store, claim_id=claim_id, source_ids=source_ids).value
        self._links_changed()
        return before

    # -- loading ------------------------------------------------------------

    def annotations_of(self, article_id: int) -> list[Annotation]:
        """The article's annotations in the layer shown."""
        annotations = self.store.list_annotations(article_id)
        return annotations if self.layer is None else self.layer(article_id, annotations)

    def open(self, article_id: int | None) -> None:
        if article_id is None:
            article, annotations, suggestions = None, [], []
        else:
            article = self.store.get_article(article_id)
            annotations = self.annotations_of(article_id)
            suggestions = self.store.list_suggestions(article_id)
        self.aboutToReset.emit()
        self.article, self.annotations = article, annotations
        self._index()
        self._index_suggestions(suggestions)
        self.articleChanged.emit()

    def reload_tags(self) -> None:
        tags = self.store.list_tags()
        annotations = self.annotations_of(self.article.id) if self.article is not None else []
        self.aboutToReset.emit()
        self.tags, self.annotations = tags, annotations
        self._index()
        self.tagsChanged.emit()

    def reload_article(self) -> None:
        """Read the open article's metadata and status again (changed elsewhere)."""
        if self.article is not None:
            self.article = self.store.get_article(self.article.id)
            self.articleMetaChanged.emit()


    def _index_suggestions(self, suggestions: list[Suggestion]) -> None:
        if self.hidden_kinds:
            suggestions = [s for s in suggestions if suggestion_kind(s) not in self.hidden_kinds]
        self.suggestions = suggestions
        self._suggestion_by_id = {s.id: s for s in suggestions}
        self._suggestion_by_span = {}
        for s in suggestions:
            self._suggestion_by_span.setdefault((s.start, s.end), s)

    def set_suggestions(self, suggestions: list[Suggestion]) -> None:
        self._index_suggestions(suggestions)
        self.suggestionsChanged.emit()

    def suggestion(self, suggestion_id: int) -> Suggestion | None:
        return self._suggestion_by_id.get(suggestion_id)

    def suggestion_at(self, start: int, end: int) -> Suggestion | None:
        """The pending suggestion covering exactly ``start:end``, if any."""
        return self._suggestion_by_span.get((start, end))

    def reload_suggestions(self) -> None:
        if self.article is not None:
            self.set_suggestions(self.store.list_suggestions(self.article.id))

    def accept_suggestion(self, suggestion_id: int, tag_id: int | None = None) -> Annotation:
        """Make a suggestion an annotation (under ``tag_id`` if given)."""
        annotation = accept_suggestion(
            self.store, suggestion_id=suggestion_id, annotator=self.annotator, tag_id=tag_id).value
        self.set_suggestions([s for s in self.suggestions if s.id != suggestion_id])
        self._insert(annotation)
        self._links_changed()
        return annotation

    def reject_suggestion(self, suggestion_id: int) -> None:
        reject_suggestions(self.store, suggestion_ids=[suggestion_id])
        self.set_suggestions([s for s in self.suggestions if s.id != suggestion_id])

    def reopen_suggestion(self, suggestion_id: int, annotation_id: int | None = None) -> None:
        """Undo an accept (deleting its annotation) or a reject."""
        op = reopen_suggestion(self.store, suggestion_id=suggestion_id, annotation_id=annotation_id)
        self._forget(op.changes.removed_annotations)
        self._links_changed()
        self.reload_suggestions()

    # -- changes (each committed before it is announced) --------------------

    def _insert(self, annotation: Annotation) -> None:
        if self.article is None or annotation.article_id != self.article.id:
            return
        row = bisect.bisect_left(self.annotations, _key(annotation), key=_key)
        self.annotationAboutToBeInserted.emit(row)
        self.annotations.insert(row, annotation)
        self._by_id[annotation.id] = annotation
        self.tag_counts[annotation.tag_id] += 1
        self.annotationInserted.emit(row, annotation)

    def add(self, tag_id: int, start: int, end: int, *, whole_words: bool = False) -> Annotation:
        """Tag a span of the open article; raises SpanError or StoreError."""
        assert self.article is not None
        annotation = add_annotation(
            self.store, article=self.article, tag_id=tag_id, start=start, end=end,
            annotator=self.annotator, whole_words=whole_words,
        ).value
        self._insert(annotation)
        return annotation

    def remove(self, annotation_ids: list[int]) -> tuple[list[Annotation], list[tuple[int, int, str]]]:
        deleted, links = delete_annotations(self.store, annotation_ids=annotation_ids).value
        self._forget(deleted)
        self._links_changed()
        return deleted, links

    def _forget(self, deleted) -> None:
        for annotation in deleted:
            row = self.row_of(annotation.id)
            if row >= 0:
                self.annotationAboutToBeRemoved.emit(row)
                del self.annotations[row]
                del self._by_id[annotation.id]
                self.tag_counts[annotation.tag_id] -= 1
                self.annotationRemoved.emit(row, annotation)

    def restore(self, annotations: list[Annotation], links: list[tuple[int, int, str]] = ()) -> None:
        restore_annotations(self.store, annotations=annotations, links=links)
        for annotation in annotations:
            self._insert(annotation)
        self._links_changed()

    def retag(self, annotation_id: int, tag_id: int, value: str | None = None) -> Annotation:
        return self._updated(retag_annotation(self.store, annotation_id=annotation_id, tag_id=tag_id, value=value).value)

    def set_note(self, annotation_id: int, note: str) -> Annotation:
        return self._updated(set_note(self.store, annotation_id=annotation_id, note=note).value)

    def _updated(self, annotation: Annotation) -> Annotation:
        annotation_id = annotation.id
        row = self.row_of(annotation_id)
        if row >= 0:
            old = self.annotations[row]
            self.tag_counts[old.tag_id] -= 1
            self.tag_counts[annotation.tag_id] += 1
            self.annotations[row] = self._by_id[annotation_id] = annotation
            self.annotationUpdated.emit(row, annotation)
        return annotation
