"""Export actions: write a file completely or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from annotator.export.csv_format import write_csv
from annotator.store import Store


@contextlib.contextmanager
def atomic_file(path: str | Path, *, binary: bool = False) -> Iterator[TextIO | BinaryIO]:
    """Open a temporary file beside ``path`` and move it into place only when the
    block succeeds, so a failed or cancelled export never leaves half a file.
    Text files are UTF-8 with newlines written exactly as given."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        opened = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with opened as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def export_csv(
    store: Store,
    out: str | Path | TextIO,
    *,
    article_ids: Sequence[int] | None = None,
    bom: bool = True,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Export annotations (of ``article_ids``, or all) as CSV; returns the row count."""
    rows = store.iter_export_rows(article_ids)
    if isinstance(out, (str, Path)):
        with atomic_file(out) as fh:
            return write_csv(rows, fh, bom=bom, progress=progress, cancelled=cancelled)
    return write_csv(rows, out, bom=bom, progress=progress, cancelled=cancelled)
