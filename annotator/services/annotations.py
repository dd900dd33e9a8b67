"""Named actions on annotations, shared by the window, the command line and tests."""

from __future__ import annotations

from annotator.domain import Annotation, Article, SpanError, check_span, extend_to_words, trim_span
from annotator.store import Store


def add_annotation(
    store: Store,
    *,
    article: Article,
    tag_id: int,
    start: int,
    end: int,
    annotator: str,
    note: str = "",
    whole_words: bool = False,
) -> Annotation:
    """Tag ``article.text[start:end]``, trimmed of surrounding whitespace (and
    grown to whole words when asked). Raises SpanError for an empty span or
    one outside the text."""
    if not 0 <= start <= end <= len(article.text):
        raise SpanError(f"The selection {start}-{end} lies outside the article (length {len(article.text)}).")
    if whole_words:
        start, end = extend_to_words(article.text, start, end)
    else:
        start, end = trim_span(article.text, start, end)
    if start >= end:
        raise SpanError("The selection holds only whitespace; select some text to tag.")
    check_span(article.text, start, end)
    return store.insert_annotation(
        article.id, tag_id, start, end, article.text[start:end], note=note, annotator=annotator
    )


def retag_annotation(store: Store, *, annotation_id: int, tag_id: int, value: str | None = None) -> Annotation:
    """Give an annotation another tag. Its normalised value was made for the old tag
    (a figure's number, a claim's kind), so it is cleared unless ``value`` is given
    (undo gives the old one back)."""
    return store.update_annotation(annotation_id, tag_id=tag_id, value="" if value is None else value)


def set_note(store: Store, *, annotation_id: int, note: str) -> Annotation:
    """Replace an annotation's note."""
    return store.update_annotation(annotation_id, note=note)
