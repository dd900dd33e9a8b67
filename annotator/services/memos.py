"""Memos: what the analyst writes about the project and about an article (a tag's
memo is its description). Searchable, and carried by the REFI-QDA export."""

from __future__ import annotations

from annotator.services.changes import Changes, Op, operation
from annotator.store import Store

SCOPES = ("project", "article")


@operation
def set_memo(store: Store, *, scope: str, target_id: int = 0, text: str) -> Op[str]:
    """Replace the memo on the project (``scope="project"``) or on the article
    ``target_id``; the value is the memo it had before, for undo."""
    if scope not in SCOPES:
        raise ValueError(f"memo scope must be one of {SCOPES}, not {scope!r}")
    before = store.get_memo(scope, target_id)
    store.set_memo(scope, target_id, text)
    return Op(before, Changes(articles=frozenset({target_id}) if scope == "article" else frozenset()))


def search_memos(store: Store, words: str) -> list[tuple[str, int, str]]:
    """``(scope, id, text)`` of every memo (project, article, tag) holding all the words."""
    return store.search_memos(words)
