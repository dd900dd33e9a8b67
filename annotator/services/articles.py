"""Named actions on articles: metadata, review status, deletion."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from annotator.domain import NewArticle
from annotator.ingest.boilerplate import drop_lines
from annotator.ingest.errors import IngestError
from annotator.ingest.reader import read_original
from annotator.services.changes import Changes, Op, operation
from annotator.store import Store, StoreError


@operation
def add_article(store: Store, *, article: NewArticle | dict) -> Op[tuple[int, bool]]:
    """Store an article read by intake (text, metadata, removed lines, original file).
    The value is ``(article_id, created)``: an article whose text is already stored
    is not added again, and ``created`` is False."""
    new = article if isinstance(article, NewArticle) else NewArticle(**article)
    article_id, created = store.insert_article(new)
    return Op((article_id, created), Changes(articles=frozenset({article_id}) if created else frozenset()))


@operation
def update_article(store: Store, *, article_id: int, **fields: str) -> Op[None]:
    """Change an article's metadata (title, outlet, author, url, published); never its text."""
    store.update_article(article_id, **fields)
    return Op(None, Changes(articles=frozenset({article_id})))


@operation
def set_article_status(store: Store, *, article_id: int, status: str) -> Op[None]:
    """Set an article's review status (one of ``annotator.domain.STATUSES``)."""
    store.set_article_status(article_id, status)
    return Op(None, Changes(articles=frozenset({article_id})))


@operation
def delete_article(store: Store, *, article_id: int) -> Op[None]:
    """Delete an article with its annotations, links and suggestions."""
    store.delete_article(article_id)
    return Op(None, Changes(removed_articles=frozenset({article_id})))


def _without(text: str, lines: Sequence[str]) -> str:
    """``text`` without ``lines`` (each taken once, first occurrence first), as an import drops them."""
    pending = Counter(lines)
    drop = []
    for i, line in enumerate(text.split("\n")):
        if pending[line.strip()] > 0:
            pending[line.strip()] -= 1
            drop.append(i)
    return drop_lines(text, drop)[0]


@operation
def restore_removed_lines(store: Store, *, article_id: int, lines: Sequence[str]) -> Op[int]:
    """Put ``lines`` (some of the lines removed at import) back where the original file
    has them. Only while the article has no annotations and no accepted suggestions;
    its pending suggestions go (they are proposed again for the new text). The value
    is the number of lines restored; StoreError says why it cannot be done."""
    removed = store.removed_lines(article_id)
    restore = Counter(lines)
    if restore - Counter(removed):
        raise StoreError("Only lines removed at import can be restored.")
    original = store.article_original(article_id)
    if original is None:
        raise StoreError("The original file is not kept in the database, so the lines have no place to go back to.")
    try:
        full = read_original(original[1], original[0]).text
    except IngestError as error:
        raise StoreError(f"The original file {original[0]} cannot be read again: {error}") from error
    article = store.get_article(article_id)
    if _without(full, removed) != article.text:
        raise StoreError(f"The original file {original[0]} does not give the stored text again; nothing restored.")
    keep_removed = []
    for line in removed:
        if restore[line] > 0:
            restore[line] -= 1
        else:
            keep_removed.append(line)
    store.replace_article_text(article_id, _without(full, keep_removed), keep_removed)
    return Op(len(lines), Changes(articles=frozenset({article_id}), suggestions=frozenset({article_id})))
