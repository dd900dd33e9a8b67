"""Named actions on articles: metadata, review status, deletion."""

from __future__ import annotations

from annotator.services.changes import Changes, Op, operation
from annotator.store import Store


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
