"""Export actions: every format through one path, each file written completely or not at all.

The file (or folder) is written beside its destination and moved into place only
when complete; what it is written with comes from the format registry
(:data:`annotator.formats.FORMATS`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from annotator.formats import FORMATS, ExportCancelled, ExportDocument, Format
from annotator.formats.csv import CSV_COLUMNS, verdict_cells
from annotator.services.layers import Layer, annotation_ids, check_layer
from annotator.services.verdicts import rating_scale
from annotator.services.workspace import is_database_file
from annotator.store import Store, corpus

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]

__all__ = [
    "ExportCancelled", "ExportError", "atomic_file", "export_annotations", "export_csv", "export_to_stream",
    "selection",
]


class ExportError(Exception):
    """An export that cannot be written as asked (message for a person)."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_file(path: str | Path, *, binary: bool = False) -> Iterator[TextIO | BinaryIO]:
    """Open a temporary file beside ``path`` and move it into place only when the
    block succeeds, so a failed or cancelled export never leaves half a file.
    Text files are UTF-8 with newlines written exactly as given. The file gets the
    mode any new file would get (0666 less the umask), not the temporary's 0600."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        opened = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with opened as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _atomic_folder(path: Path) -> Iterator[Path]:
    """A temporary folder beside ``path``, renamed to ``path`` when the block succeeds.
    An existing folder is replaced only if it is empty: an export never deletes files."""
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} is a file; choose a folder name or a .zip file.")
    if path.is_dir() and any(path.iterdir()):
        raise ExportError(f"The folder {path} is not empty; choose a new folder or a .zip file.")
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent))
    try:
        os.chmod(tmp, 0o777 & ~_umask())
        yield tmp
        if path.is_dir():
            path.rmdir()
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


class _FolderSink:
    def __init__(self, root: Path):
        self.root = root

    def __call__(self, name: str, data: bytes) -> None:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


class _ZipSink:
    def __init__(self, fh: BinaryIO):
        self.zip = zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED)

    def __call__(self, name: str, data: bytes) -> None:
        self.zip.writestr(name, data)


def selection(store: Store, article_ids: Sequence[int] | None, layer: Layer | str | None) -> set[int] | None:
    """The ids of the annotations of ``layer`` an export of ``article_ids`` writes (None:
    every annotation, when the layer narrows nothing in this file)."""
    layer = Layer.parse(layer)
    check_layer(store, layer)
    chosen = annotation_ids(store, article_ids, layer)
    return None if len(chosen) == count_in_scope(store, article_ids) else chosen


def _rows_in(rows: Iterator[tuple], chosen: set[int] | None) -> Iterator[tuple]:
    """Table rows of the chosen annotations; a claim's "said by" only when its source is chosen too."""
    if chosen is None:
        yield from rows
        return
    at, source = CSV_COLUMNS.index("annotation_id"), CSV_COLUMNS.index("source_id")  # source_quote follows
    for row in rows:
        if row[at] in chosen:
            yield row if row[source] is None or row[source] in chosen else (
                *row[:source], None, None, *row[source + 2:])


def iter_documents(
    store: Store, article_ids: Sequence[int] | None = None, chosen: set[int] | None = None
) -> Iterator[ExportDocument]:
    """Each article (all, or ``article_ids`` in that order) with its annotations and links
    (only the ``chosen`` annotations, and the links between them, when given)."""
    scale = rating_scale(store)
    for article in store.iter_articles(article_ids):
        links = store.list_links(article.id)
        annotations = store.list_annotations(article.id)
        verdicts = corpus.verdicts_of(store, [article.id])
        if chosen is not None:
            annotations = [a for a in annotations if a.id in chosen]
            links = [link for link in links if link[0] in chosen and link[1] in chosen]
            verdicts = {i: v for i, v in verdicts.items() if i in chosen}
        yield ExportDocument(
            article, annotations, links, verdicts,
            {link: cue for link in links if (cue := store.link_cue(*link))},
            store.get_memo("article", article.id),
            scale,
        )


def iter_table_rows(store: Store, article_ids: Sequence[int] | None = None) -> Iterator[tuple]:
    """The rows of the tabular exports in :data:`~annotator.formats.csv.CSV_COLUMNS` order:
    the store's rows with each claim's verdict added."""
    verdicts, scale = corpus.verdicts_of(store, article_ids), rating_scale(store)
    at = CSV_COLUMNS.index("annotation_id")
    for row in store.iter_export_rows(article_ids):
        yield (*row, *verdict_cells(verdicts.get(row[at]), scale))


def count_in_scope(store: Store, article_ids: Sequence[int] | None = None) -> int:
    """How many annotations an export of ``article_ids`` (or all) writes."""
    if article_ids is None:
        return store.count_annotations()
    return sum(store.count_annotations(i) for i in article_ids)


def _format(fmt: str) -> Format:
    spec = FORMATS.get(fmt)
    if spec is None:
        raise ExportError(f"Unknown export format “{fmt}” (known: {', '.join(FORMATS)}).")
    return spec


def export_annotations(
    store: Store,
    fmt: str,
    out_path: str | Path,
    article_ids: Sequence[int] | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    *,
    bom: bool = True,
    layer: Layer | str | None = None,
) -> int:
    """Export the annotations of ``article_ids`` (or all) as ``fmt`` to ``out_path``;
    returns the number of annotations written. ``layer`` (a :class:`Layer` or its word:
    all, mine, curated, an analyst) chooses whose annotations; all by default.

    Formats that write many files (brat; html when ``out_path`` is not ``.html``/``.htm``)
    write a folder, or a zip when ``out_path`` ends in ``.zip``. ``progress(done, total)``
    is called now and then; ``cancelled()`` returning True stops the export with
    ExportCancelled and leaves nothing behind. ``bom`` starts a CSV with a byte-order mark.
    """
    spec = _format(fmt)
    out_path = Path(out_path)
    if not out_path.parent.is_dir():
        raise ExportError(f"Cannot write {out_path}: the folder {out_path.parent} does not exist.")
    if is_database_file(store, out_path):
        raise ExportError(f"Cannot write {out_path}: that is the database itself. Choose another file name.")
    ids = list(article_ids) if article_ids is not None else None
    for article_id in ids or ():
        if not store.has_article(article_id):
            raise ExportError(f"There is no article with id {article_id} in {store.path}.")
    chosen = selection(store, ids, layer)
    total = count_in_scope(store, ids) if chosen is None else len(chosen)
    tick = (lambda done: progress(done, total)) if progress is not None else None
    kw = {"progress": tick, "cancelled": cancelled}
    single = spec.write is not None and (
        spec.write_files is None or out_path.suffix.lower() in (spec.suffix, ".htm")
    )
    if single:
        with atomic_file(out_path, binary=spec.binary) as fh:
            if spec.rows:
                count = spec.write(_rows_in(iter_table_rows(store, ids), chosen), fh, bom=bom, **kw)
            else:
                tags = {t.id: t for t in store.list_tags()}
                extra = {}
                if spec.name == "qdpx":
                    extra = {"project_name": out_path.stem, "project_memo": store.get_memo("project")}
                if spec.name == "claimreview":
                    extra = {"scale": rating_scale(store)}
                count = spec.write(iter_documents(store, ids, chosen), tags, fh, **kw, **extra)
            if cancelled is not None and cancelled():  # writers look only now and then
                raise ExportCancelled()
    else:
        tags = {t.id: t for t in store.list_tags()}
        if out_path.suffix.lower() == ".zip":
            with atomic_file(out_path, binary=True) as fh:
                sink = _ZipSink(fh)
                with sink.zip:
                    count = spec.write_files(iter_documents(store, ids, chosen), tags, sink, **kw)
        else:
            with _atomic_folder(out_path) as folder:
                count = spec.write_files(iter_documents(store, ids, chosen), tags, _FolderSink(folder), **kw)
    if progress is not None:
        progress(count, total)
    return count


def export_to_stream(
    store: Store,
    fmt: str,
    out: TextIO,
    article_ids: Sequence[int] | None = None,
    *,
    bom: bool = False,
    layer: Layer | str | None = None,
) -> int:
    """Write a single-file text format (csv, jsonl, w3c, html) to an open stream, e.g.
    standard output (opened with ``newline=""``); ``layer`` as for :func:`export_annotations`."""
    spec = _format(fmt)
    if spec.write is None or spec.binary:
        raise ExportError(f"{fmt} cannot be written to a stream; give an output path.")
    ids = list(article_ids) if article_ids is not None else None
    chosen = selection(store, ids, layer)
    if spec.rows:
        return spec.write(_rows_in(iter_table_rows(store, ids), chosen), out, bom=bom)
    return spec.write(iter_documents(store, ids, chosen), {t.id: t for t in store.list_tags()}, out)


def export_csv(
    store: Store,
    out: str | Path | TextIO,
    *,
    article_ids: Sequence[int] | None = None,
    bom: bool = True,
    cancelled: CancelledFn | None = None,
    layer: Layer | str | None = None,
) -> int:
    """Export annotations (of ``article_ids``, or all; of ``layer``) as CSV to a path or
    an open stream; returns the row count. (A shorthand for the two functions above.)"""
    if isinstance(out, (str, Path)):
        return export_annotations(store, "csv", out, article_ids, cancelled=cancelled, bom=bom, layer=layer)
    return export_to_stream(store, "csv", out, article_ids, bom=bom, layer=layer)
