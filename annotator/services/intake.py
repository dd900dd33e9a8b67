"""Importing articles: files and folders into the store, one transaction per article.

Parsing (the slow part: HTML extraction, PDF text) runs in two worker
processes when there are several files; the store is written only from the
calling thread, in the order the files were given.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from annotator.domain import NewArticle
from annotator.ingest import (
    FurnitureIndex,
    IngestError,
    find_boilerplate,
    iter_paths,
    read_path,
    remove_furniture,
)
from annotator.services.articles import add_article
from annotator.services.processes import process_pool
from annotator.services.workspace import database_files, file_identity, is_database_file

IMPORTED, DUPLICATE, ERROR = "imported", "duplicate", "error"

WORKERS = 2
# Below this many files the worker processes cost more to start than they save.
PARALLEL_FROM = 6
# Articles of one outlet needed before its recurring lines count as furniture.
OUTLET_MIN_ARTICLES = 3

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file: ``status`` is "imported", "duplicate" or "error"."""

    path: str
    status: str
    article_id: int | None
    message: str


def _read_one(path: Path, keep_boilerplate: bool) -> NewArticle | IngestError:
    try:
        return read_path(path, keep_boilerplate=keep_boilerplate)
    except IngestError as error:
        return error


def _pool() -> ProcessPoolExecutor:
    return process_pool(WORKERS, ["annotator.ingest", "trafilatura", "pypdf", "docx"])


def read_files(
    files: Sequence[Path],
    *,
    keep_boilerplate: bool = False,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[tuple[Path, NewArticle | IngestError]]:
    """Parse ``files`` in order, yielding ``(path, article or error)``.

    With many files the parsing runs ahead in worker processes, a few files at
    a time; stopping the iteration (or ``cancelled()`` turning true) drops the
    files not yet read.
    """
    if len(files) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        for path in files:
            if cancelled is not None and cancelled():
                return
            yield path, _read_one(path, keep_boilerplate)
        return
    pool = _pool()
    broken = False
    try:
        pending: deque[tuple[Path, Future | None]] = deque()
        queue = iter(files)
        ahead = 2 * WORKERS + 2

        def top_up() -> None:
            nonlocal broken
            while len(pending) < ahead:
                path = next(queue, None)
                if path is None:
                    return
                future = None
                if not broken:
                    try:
                        future = pool.submit(_read_one, path, keep_boilerplate)
                    except (BrokenProcessPool, RuntimeError):
                        broken = True
                pending.append((path, future))

        top_up()
        while pending:
            if cancelled is not None and cancelled():
                return
            path, future = pending.popleft()
            if future is None:
                result = _read_one(path, keep_boilerplate)
            else:
                try:
                    result = future.result()
                except BrokenProcessPool:
                    # A worker died (killed, out of memory): read here instead.
                    broken = True
                    result = _read_one(path, keep_boilerplate)
            top_up()
            yield path, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class OutletFurniture:
    """Lines that recur across one outlet's articles (stored and just imported)."""

    def __init__(self, store):
        self._store = store
        self._indexes: dict[str, FurnitureIndex] = {}

    def _index(self, outlet: str) -> FurnitureIndex:
        if outlet not in self._indexes:
            self._indexes[outlet] = FurnitureIndex(self._store.outlet_texts(outlet), min_count=OUTLET_MIN_ARTICLES)
        return self._indexes[outlet]

    def strip(self, new: NewArticle) -> NewArticle:
        """``new`` without its outlet's recurring lines (they join ``removed_lines``)."""
        if not new.outlet:
            return new
        index = self._index(new.outlet)
        if len(index) + 1 < OUTLET_MIN_ARTICLES:
            return new
        text, removed = remove_furniture(new.text, index.furniture_in(new.text))
        if not removed or not text.strip():
            return new
        return replace(new, text=text, removed_lines=new.removed_lines + removed)

    def add(self, new: NewArticle) -> None:
        if new.outlet:
            self._index(new.outlet).add(new.text)


def plan_removals(raw: NewArticle, store=None) -> list[int]:
    """Lines of ``raw.text`` (read with ``keep_boilerplate=True``) that import would remove.

    The built-in rules, plus, with a ``store``, the lines that recur across
    the outlet's stored articles. The import preview offers each for restoring;
    :func:`annotator.ingest.drop_lines` then makes the article to store.
    """
    indices = set(find_boilerplate(raw.text))
    if store is not None and raw.outlet:
        index = FurnitureIndex(store.outlet_texts(raw.outlet), min_count=OUTLET_MIN_ARTICLES)
        if len(index) + 1 >= OUTLET_MIN_ARTICLES:
            keys = {" ".join(f.split()).casefold() for f in index.furniture_in(raw.text)}
            for i, line in enumerate(raw.text.split("\n")):
                if line.strip() and " ".join(line.split()).casefold() in keys:
                    indices.add(i)
    return sorted(indices)


def format_report(outcomes: Sequence[ImportOutcome]) -> str:
    """A plain-text import report (summary line, then one line per file) to copy or save."""
    imported = sum(o.status == IMPORTED for o in outcomes)
    duplicates = sum(o.status == DUPLICATE for o in outcomes)
    errors = [o for o in outcomes if o.status == ERROR]
    lines = [f"Imported {imported}, already present {duplicates}, failed {len(errors)} (of {len(outcomes)} files)"]
    labels = {IMPORTED: "imported", DUPLICATE: "already present", ERROR: "error"}
    for o in outcomes:
        detail = o.message if o.status == ERROR else (f"article {o.article_id}" if o.article_id is not None else "")
        lines.append(f"{labels.get(o.status, o.status)}\t{o.path}\t{detail}")
    return "\n".join(lines)


DATABASE_FILE_MESSAGE = "this is the open annotator database (or its journal), not an article"


def read_article(store, path: str | os.PathLike, *, keep_boilerplate: bool = True) -> NewArticle | IngestError:
    """One file read for the import preview, never the store's own database file."""
    if is_database_file(store, path):
        return IngestError(str(path), DATABASE_FILE_MESSAGE)
    return _read_one(Path(path), keep_boilerplate)


def write_original(store, article_id: int, target: str | os.PathLike) -> Path:
    """Write an article's original file (kept, compressed, at import) to ``target``,
    completely or not at all. Raises OSError with a readable ``strerror``: for a
    missing original, and for the database itself or its journal as ``target``."""
    from annotator.services.exporting import atomic_file

    original = store.article_original(article_id)
    if original is None:
        raise OSError(0, "this article has no original file (it was typed or pasted)")
    if is_database_file(store, target):
        raise OSError(0, "that is the database itself; choose another file name")
    with atomic_file(target, binary=True) as fh:
        fh.write(original[1])
    return Path(target)


def save_article(store, path: str | Path, new: NewArticle) -> ImportOutcome:
    """Store one article (one transaction); a duplicate is reported, not stored."""
    article_id, created = add_article(store, article=new).value
    if created:
        return ImportOutcome(str(path), IMPORTED, article_id, f"imported as article {article_id}")
    return ImportOutcome(str(path), DUPLICATE, article_id, f"already present as article {article_id}")


def iter_import(
    store,
    paths: Iterable[str | os.PathLike],
    *,
    keep_boilerplate: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    title: str = "",
) -> Iterator[ImportOutcome]:
    """:func:`import_paths`, yielding each file's outcome as soon as it is stored;
    ``title`` replaces the title read from the file (for a single file)."""
    from annotator.store import StoreError

    files = []
    database = database_files(store)
    for path in iter_paths(paths):
        if file_identity(path) in database:
            yield ImportOutcome(str(path), ERROR, None, f"{path}: {DATABASE_FILE_MESSAGE}")
        else:
            files.append(path)
    total = len(files)
    done = 0
    furniture = None if keep_boilerplate else OutletFurniture(store)
    for path, result in read_files(files, keep_boilerplate=keep_boilerplate, cancelled=cancelled):
        if progress is not None:
            progress(done, total, str(path))
        done += 1
        if isinstance(result, IngestError):
            yield ImportOutcome(str(path), ERROR, None, str(result))
            continue
        try:
            if furniture is not None:
                result = furniture.strip(result)
            if title:
                result = replace(result, title=" ".join(title.split()))
            outcome = save_article(store, path, result)
        except StoreError as error:
            yield ImportOutcome(str(path), ERROR, None, f"{Path(path).name}: {error}")
            continue
        if furniture is not None and outcome.status == IMPORTED:
            furniture.add(result)
        yield outcome
    if progress is not None:
        progress(done, total, "")


def import_paths(
    store,
    paths: Iterable[str | os.PathLike],
    *,
    keep_boilerplate: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[ImportOutcome]:
    """Import files and folders (recursively) into ``store``.

    Returns one :class:`ImportOutcome` per file read. ``progress(done, total,
    current)`` is called before each file is stored and once at the end;
    ``cancelled()`` returning true stops after the current file, and nothing
    of an unfinished file is written (one transaction per article). Unless
    ``keep_boilerplate``, lines that recur across the outlet's articles are
    removed too.
    """
    return list(
        iter_import(store, paths, keep_boilerplate=keep_boilerplate, progress=progress, cancelled=cancelled)
    )


def preview_paths(
    paths: Iterable[str | os.PathLike], *, keep_boilerplate: bool = False
) -> Iterator[tuple[Path, NewArticle | IngestError]]:
    """What :func:`import_paths` would store, without a store: for ``--dry-run``.

    Only the built-in boilerplate rules apply (the outlet's recurring lines
    need the store).
    """
    yield from read_files(list(iter_paths(paths)), keep_boilerplate=keep_boilerplate)
