"""Named actions on suggestions, shared by the window, the command line and tests."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.domain import Suggestion
from annotator.services.processes import process_pool
from annotator.store import Store
from annotator.suggest import TAGS, SuggestedSpan, suggest

# Characters suggested in the calling thread (about 0.3 s of work: 70 KB/s on one core).
# Longer texts go to a worker process: pure-Python work in a thread would hold the GIL and
# make the window stutter; starting the process costs a few tenths of a second.
IN_THREAD_LIMIT = 20_000


def warm_up() -> None:
    """Load and run once what suggesting needs (numpy, the attribution tagger's weights, the
    rules' patterns), so that the first article opened does not wait for it: the window calls
    this in the background at start-up."""
    suggest("The mayor said 3 people were hurt.")


def suggest_article(store: Store, article_id: int, tags: Iterable[str] = TAGS) -> list[Suggestion]:
    """Propose figures, sources and claims for an article and keep them for review.

    The article's pending suggestions are replaced; spans the analyst already
    accepted or rejected are not proposed again. Tags missing from the tag set
    are skipped. Returns the article's pending suggestions.
    """
    article = store.get_article(article_id)
    tag_ids = {}
    for name in tags:
        tag = store.tag_by_name(name)
        if tag is not None:
            tag_ids[name] = tag.id
    wanted = [t for t in TAGS if t in tag_ids]
    if len(article.text) > IN_THREAD_LIMIT:
        with process_pool(1, ["annotator.suggest"]) as pool:
            spans = pool.submit(suggest, article.text, wanted).result()
    else:
        spans = suggest(article.text, wanted)
    return store.replace_suggestions(article_id, store_rows(spans, tag_ids))


def store_rows(spans: list[SuggestedSpan], tag_ids: dict[str, int]) -> list[dict]:
    """The dicts :meth:`Store.replace_suggestions` takes, one per span, links kept."""
    return [
        {
            "tag_id": tag_ids[s.tag],
            "start": s.start,
            "end": s.end,
            "quote": s.quote,
            "score": s.score,
            "value": s.value,
            "suggester": s.suggester,
            "suggester_version": s.version,
            "source_index": s.source_index,
            "cue": s.cue,
        }
        for s in spans
    ]


def restore_suggestions(store: Store, *, suggestion_ids: Iterable[int]) -> None:
    """Propose rejected suggestions again (they are pending once more)."""
    for suggestion_id in suggestion_ids:
        store.reset_suggestion(suggestion_id)
