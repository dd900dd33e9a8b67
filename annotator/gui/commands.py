"""Undo commands. Their redo/undo change the ArticleDocument (and so the store),
never widgets; each step is committed to SQLite as it runs."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.domain import Annotation, Article, SpanError, Tag
from annotator.gui.document import ArticleDocument
from annotator.services import articles as article_ops
from annotator.services import tags as tag_ops
from annotator.store import StoreError

NOTE_EDIT_ID = 1001


def short(text: str, width: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class StoreCommand(QUndoCommand):
    """Base of commands that write to the store through ``self.document``.

    Qt cannot carry a Python exception out of ``redo``/``undo``, so a storage
    failure is kept in ``error``, announced by the document's ``failed`` signal,
    and the command is made obsolete: the stack drops it instead of pretending
    it happened. Subclasses implement ``do_redo`` and ``do_undo``.
    """

    def __init__(self, document: ArticleDocument, text: str = ""):
        super().__init__(text)
        self.document = document
        self.error: Exception | None = None

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except (StoreError, SpanError) as error:
            self.error = error
            self.setObsolete(True)
            self.document.failed.emit(error)

    def redo(self) -> None:
        self._guard(self.do_redo)

    def undo(self) -> None:
        self._guard(self.do_undo)


class AddAnnotationCommand(StoreCommand):
    def __init__(self, document: ArticleDocument, tag_id: int, start: int, end: int, *, whole_words: bool = False):
        super().__init__(document)
        self.args = (tag_id, start, end)
        self.whole_words = whole_words
        self.annotation: Annotation | None = None

    def do_redo(self) -> None:
        if self.annotation is None:
            self.annotation = self.document.add(*self.args, whole_words=self.whole_words)
            tag = self.document.tag(self.annotation.tag_id)
            self.setText(f"tag “{short(self.annotation.quote)}” as {tag.name if tag else '?'}")
        else:
            self.document.restore([self.annotation])

    def do_undo(self) -> None:
        assert self.annotation is not None
        self.document.remove([self.annotation.id])


class DeleteAnnotationsCommand(StoreCommand):
    def __init__(self, document: ArticleDocument, annotation_ids: list[int]):
        super().__init__(document, f"delete {len(annotation_ids)} annotation{'s' if len(annotation_ids) != 1 else ''}")
        self.ids = annotation_ids
        self.deleted: list[Annotation] = []
        self.links: list[tuple[int, int, str]] = []

    def do_redo(self) -> None:
        self.deleted, self.links = self.document.remove(self.ids)

    def do_undo(self) -> None:
        self.document.restore(self.deleted, self.links)


class RetagAnnotationCommand(StoreCommand):
    def __init__(self, document: ArticleDocument, annotation: Annotation, tag_id: int):
        tag = document.tag(tag_id)
        super().__init__(document, f"retag “{short(annotation.quote)}” as {tag.name if tag else '?'}")
        self.annotation_id = annotation.id
        self.old, self.new = annotation.tag_id, tag_id
        self.old_value = annotation.value

    def do_redo(self) -> None:
        self.document.retag(self.annotation_id, self.new)

    def do_undo(self) -> None:
        self.document.retag(self.annotation_id, self.old, self.old_value)


class EditNoteCommand(StoreCommand):
    """A note edit; consecutive edits of the same note merge into one undo step."""

    def __init__(self, document: ArticleDocument, annotation: Annotation, note: str):
        super().__init__(document, f"edit note of “{short(annotation.quote)}”")
        self.annotation_id = annotation.id
        self.old, self.new = annotation.note, note

    def id(self) -> int:
        return NOTE_EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditNoteCommand) or other.annotation_id != self.annotation_id or other.error:
            return False
        self.new = other.new
        return True

    def do_redo(self) -> None:
        self.document.set_note(self.annotation_id, self.new)

    def do_undo(self) -> None:
        self.document.set_note(self.annotation_id, self.old)


class AcceptSuggestionCommand(StoreCommand):
    def __init__(self, document: ArticleDocument, suggestion_id: int, tag_id: int | None = None):
        suggestion = document.suggestion(suggestion_id)
        quote = suggestion.quote if suggestion else ""
        super().__init__(document, f"accept suggestion “{short(quote)}”")
        self.suggestion_id = suggestion_id
        self.tag_id = tag_id
        self.annotation: Annotation | None = None

    def do_redo(self) -> None:
        self.annotation = self.document.accept_suggestion(self.suggestion_id, self.tag_id)

    def do_undo(self) -> None:
        assert self.annotation is not None
        self.document.reopen_suggestion(self.suggestion_id, self.annotation.id)


class RejectSuggestionCommand(StoreCommand):
    def __init__(self, document: ArticleDocument, suggestion_id: int):
        suggestion = document.suggestion(suggestion_id)
        super().__init__(document, f"reject suggestion “{short(suggestion.quote if suggestion else '')}”")
        self.suggestion_id = suggestion_id

    def do_redo(self) -> None:
        self.document.reject_suggestion(self.suggestion_id)

    def do_undo(self) -> None:
        self.document.reopen_suggestion(self.suggestion_id)


class SetSourceCommand(StoreCommand):
    """Attribute a claim to a source by hand, or remove the attribution."""

    def __init__(self, document: ArticleDocument, claim: Annotation, source_ids: list[int]):
        source = document.annotation(source_ids[0]) if source_ids else None
        text = (f"attribute “{short(claim.quote)}” to “{short(source.quote)}”" if source
                else f"remove the source of “{short(claim.quote)}”")
        super().__init__(document, text)
        self.claim_id = claim.id
        self.new = list(source_ids)
        self.old: list[int] = []

    def do_redo(self) -> None:
        self.old = self.document.set_source(self.claim_id, self.new)

    def do_undo(self) -> None:
        self.document.set_source(self.claim_id, self.old)


class CreateTagCommand(StoreCommand):
    """Add a tag; undo removes it again while no annotation uses it."""

    def __init__(self, document: ArticleDocument, fields: dict):
        super().__init__(document, f"add tag “{fields['name'].strip()}”")
        self.fields = dict(fields)
        self.tag_id: int | None = None

    def do_redo(self) -> None:
        self.tag_id = tag_ops.create_tag(self.document.store, tag_id=self.tag_id, **self.fields).value.id

    def do_undo(self) -> None:
        assert self.tag_id is not None
        tag_ops.remove_unused_tag(self.document.store, tag_id=self.tag_id)


class UpdateTagCommand(StoreCommand):
    """Change a tag's name, colour, key, memo or category."""

    def __init__(self, document: ArticleDocument, tag: Tag, fields: dict):
        current = dataclasses.asdict(tag)
        self.new = {k: v for k, v in fields.items() if current.get(k) != v}
        self.old = {k: current[k] for k in self.new}
        super().__init__(document, f"change tag “{tag.name}”"
                         + (f" (now “{self.new['name']}”)" if "name" in self.new else ""))
        self.tag_id = tag.id

    def do_redo(self) -> None:
        tag_ops.update_tag(self.document.store, tag_id=self.tag_id, **self.new)

    def do_undo(self) -> None:
        tag_ops.update_tag(self.document.store, tag_id=self.tag_id, **self.old)


class EditArticleCommand(StoreCommand):
    """Change an article's metadata (title, outlet, author, url, published) or status."""

    def __init__(self, document: ArticleDocument, article: Article, fields: dict, text: str = ""):
        current = dataclasses.asdict(article)
        self.new = {k: v for k, v in fields.items() if current.get(k) != v}
        self.old = {k: current[k] for k in self.new}
        super().__init__(document, text or f"change properties of “{short(article.title)}”")
        self.article_id = article.id

    def _apply(self, fields: dict) -> None:
        fields = dict(fields)
        status = fields.pop("status", None)
        if fields:
            article_ops.update_article(self.document.store, article_id=self.article_id, **fields)
        if status is not None:
            article_ops.set_article_status(self.document.store, article_id=self.article_id, status=status)

    def do_redo(self) -> None:
        self._apply(self.new)

    def do_undo(self) -> None:
        self._apply(self.old)
