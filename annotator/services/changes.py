"""What an action changed, and the record of every action taken.

Each write is a named operation (a function in ``annotator.services``, keyword-only
arguments) that commits its work and returns an :class:`Op`: its value and the
:class:`Changes` it made. The window turns changes into view refreshes in one
place; every view refreshes itself from them (as Anki's ``OpChanges``).

Every operation that succeeds is also reported to the listeners added with
:func:`add_listener`, as an :class:`OpRecord` (its name, plain-JSON params, the
changes and the database), and :func:`replay` runs a recorded operation again on
another store: the hook that the window's views, team sync and audit logs hang on.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from annotator.domain import Annotation, Article, Tag

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """Ids of what an action changed. Annotations carry their new state (or, when
    removed, their last state) so that views can update rows without a query."""

    articles: frozenset[int] = frozenset()          # added, or metadata/status changed
    removed_articles: frozenset[int] = frozenset()
    annotations: tuple[Annotation, ...] = ()        # added or updated (new state)
    removed_annotations: tuple[Annotation, ...] = ()
    links: frozenset[int] = frozenset()             # annotations whose links changed
    suggestions: frozenset[int] = frozenset()       # articles whose suggestions changed
    tags: frozenset[int] = frozenset()              # tags added, changed or deleted
    settings: frozenset[str] = frozenset()          # setting keys
    verdicts: frozenset[int] = frozenset()          # claim annotations whose verdict changed
    registry: bool = False                          # confirmed source groups changed

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            articles=self.articles | other.articles,
            removed_articles=self.removed_articles | other.removed_articles,
            annotations=self.annotations + other.annotations,
            removed_annotations=self.removed_annotations + other.removed_annotations,
            links=self.links | other.links,
            suggestions=self.suggestions | other.suggestions,
            tags=self.tags | other.tags,
            settings=self.settings | other.settings,
            verdicts=self.verdicts | other.verdicts,
            registry=self.registry or other.registry,
        )

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in dataclasses.fields(self))

    def touches_article(self, article_id: int | None) -> bool:
        """Whether the open article ``article_id`` (its annotations, links,
        suggestions or metadata) is affected."""
        if article_id is None:
            return False
        return (
            article_id in self.articles or article_id in self.removed_articles or article_id in self.suggestions
            or any(a.article_id == article_id for a in self.annotations + self.removed_annotations)
        )


@dataclass(frozen=True)
class Op(Generic[T]):
    """The result of an operation: its value and what it changed."""

    value: T
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class OpRecord:
    """One operation that succeeded: enough to show it, log it or replay it."""

    name: str
    params: dict[str, Any]
    changes: Changes
    database: str  # the store's path


Listener = Callable[[OpRecord], None]
_listeners: list[Listener] = []
OPERATIONS: dict[str, Callable[..., Op]] = {}


def add_listener(listener: Listener) -> Callable[[], None]:
    """Call ``listener(record)`` after every successful operation (in the thread
    that ran it, after the commit); returns a function that removes it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


def _plain(value: Any) -> Any:
    """A parameter as plain JSON: an article or tag by its id (the receiving store
    has its own copy), any other record (an annotation to restore) as a dict."""
    if isinstance(value, (Article, Tag)):
        return value.id
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


_depth = threading.local()


def operation(fn: Callable[..., Op[T]]) -> Callable[..., Op[T]]:
    """Register ``fn`` (``fn(store, *, ...) -> Op``) as a named operation.

    The whole operation is one transaction: all of it is committed, or none of
    it. Only the outermost operation is reported to listeners (an undo that
    deletes an annotation on the way is one action, not two).
    """
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def run(store, /, **params: Any) -> Op[T]:
        depth = getattr(_depth, "value", 0)
        _depth.value = depth + 1
        try:
            with store.write():
                result = fn(store, **params)
        finally:
            _depth.value = depth
        if _listeners and depth == 0:
            bound = signature.bind(store, **params)
            bound.apply_defaults()
            plain = {k: _plain(v) for k, v in bound.arguments.items() if k != "store"}
            record = OpRecord(fn.__name__, plain, result.changes, store.path)
            for listener in list(_listeners):
                listener(record)
        return result

    OPERATIONS[fn.__name__] = run
    return run


def replay(store, name: str, params: dict[str, Any]) -> Op:
    """Run a recorded operation again (``params`` as a listener received them in its record)."""
    try:
        op = OPERATIONS[name]
    except KeyError:
        raise ValueError(f"unknown operation {name!r}") from None
    return op(store, **params)
