"""Named actions on annotations and suggestions, shared by the window, the command
line and tests. Each commits its work and returns an :class:`~annotator.services.changes.Op`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.domain import Annotation, Article, SpanError, check_span, extend_to_words, trim_span
from annotator.services.changes import Changes, Op, operation
from annotator.store import Store, StoreError

Link = tuple  # (from_annotation_id, to_annotation_id, kind[, cue])


def _as_annotation(a: Annotation | dict) -> Annotation:
    return a if isinstance(a, Annotation) else Annotation(**a)


def _link_ends(links: Iterable[Sequence]) -> frozenset[int]:
    return frozenset(end for link in links for end in link[:2])


@operation
def add_annotation(
    store: Store,
    *,
    article: Article | int,
    tag_id: int,
    start: int,
    end: int,
    annotator: str,
    note: str = "",
    whole_words: bool = False,
) -> Op[Annotation]:
    """Tag ``article.text[start:end]``, trimmed of surrounding whitespace (and
    grown to whole words when asked). Raises SpanError for an empty span or
    one outside the text. ``article`` may be given by id."""
    if isinstance(article, int):
        article = store.get_article(article)
    if not 0 <= start <= end <= len(article.text):
        raise SpanError(f"The selection {start}-{end} lies outside the article (length {len(article.text)}).")
    if whole_words:
        start, end = extend_to_words(article.text, start, end)
    else:
        start, end = trim_span(article.text, start, end)
    if start >= end:
        raise SpanError("The selection holds only whitespace; select some text to tag.")
    check_span(article.text, start, end)
    annotation = store.insert_annotation(
        article.id, tag_id, start, end, article.text[start:end], note=note, annotator=annotator
    )
    return Op(annotation, Changes(annotations=(annotation,)))


@operation
def retag_annotation(store: Store, *, annotation_id: int, tag_id: int, value: str | None = None) -> Op[Annotation]:
    """Give an annotation another tag. Its normalised value was made for the old tag
    (a figure's number, a claim's kind), so it is cleared unless ``value`` is given
    (undo gives the old one back)."""
    annotation = store.update_annotation(annotation_id, tag_id=tag_id, value="" if value is None else value)
    return Op(annotation, Changes(annotations=(annotation,)))


@operation
def set_note(store: Store, *, annotation_id: int, note: str) -> Op[Annotation]:
    """Replace an annotation's note."""
    annotation = store.update_annotation(annotation_id, note=note)
    return Op(annotation, Changes(annotations=(annotation,)))


@operation
def delete_annotations(store: Store, *, annotation_ids: Sequence[int]) -> Op[tuple[list[Annotation], list[Link]]]:
    """Delete annotations; the value is ``(annotations, links)`` as they were, for undo."""
    deleted, links = store.delete_annotations(list(annotation_ids))
    return Op((deleted, links), Changes(removed_annotations=tuple(deleted), links=_link_ends(links)))


@operation
def restore_annotations(
    store: Store, *, annotations: Sequence[Annotation | dict], links: Sequence[Sequence] = ()
) -> Op[list[Annotation]]:
    """Put deleted annotations back, with their ids and links (undo of a delete)."""
    restored = [_as_annotation(a) for a in annotations]
    store.restore_annotations(restored, [tuple(link) for link in links])
    return Op(restored, Changes(annotations=tuple(restored), links=_link_ends(links)))


@operation
def accept_suggestion(
    store: Store, *, suggestion_id: int, annotator: str, tag_id: int | None = None
) -> Op[Annotation]:
    """Make a suggestion an annotation (under ``tag_id`` if given), linked to its
    claim or source when that was accepted too."""
    annotation = store.accept_suggestion(suggestion_id, annotator=annotator, tag_id=tag_id)
    links = store.links_of(annotation.id)
    return Op(annotation, Changes(annotations=(annotation,), suggestions=frozenset({annotation.article_id}),
                                  links=_link_ends(links)))


@operation
def reject_suggestions(store: Store, *, suggestion_ids: Sequence[int]) -> Op[None]:
    """Reject suggestions: they are not proposed again (until restored)."""
    ids = list(suggestion_ids)
    articles = store.suggestion_article_ids(ids)
    store.reject_suggestions(ids)
    return Op(None, Changes(suggestions=frozenset(articles)))


@operation
def reopen_suggestion(store: Store, *, suggestion_id: int, annotation_id: int | None = None) -> Op[None]:
    """Undo an accept (deleting the annotation it made) or a reject: the suggestion is pending again."""
    changes = Changes(suggestions=frozenset(store.suggestion_article_ids([suggestion_id])))
    if annotation_id is not None:
        changes |= delete_annotations(store, annotation_ids=[annotation_id]).changes
    store.reset_suggestion(suggestion_id)
    return Op(None, changes)


@operation
def set_source(store: Store, *, claim_id: int, source_ids: Sequence[int]) -> Op[list[int]]:
    """Attribute a claim to its source annotation(s) in the same article, by hand
    (an empty list removes the attribution). The value is the sources it had
    before, for undo. These are the same links that accepted suggestions make."""
    claim = store.get_annotation(claim_id)
    for source_id in source_ids:
        if source_id == claim_id or store.get_annotation(source_id).article_id != claim.article_id:
            raise StoreError("A claim can only be attributed to another annotation of the same article.")
    before = store.replace_links(claim_id, "source", list(source_ids))
    return Op(before, Changes(links=frozenset({claim_id, *source_ids, *before})))
