"""CSV export: one row per annotation, RFC 4180, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import TextIO

from annotator.export.spreadsheet_safety import neutralise

CSV_COLUMNS = (
    "article_id", "title", "url", "tag", "start", "end", "quote", "note",
    "annotator", "created", "updated", "context_before", "context_after",
)


def write_csv(
    rows: Iterable[tuple],
    out: TextIO,
    *,
    bom: bool = True,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write ``rows`` (in :data:`CSV_COLUMNS` order) to ``out``; returns the row count.

    ``out`` must be opened with ``newline=""``. Text cells are neutralised
    against formula injection; integers are written as they are.
    """
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
        count += 1
        if count % 5000 == 0:
            if progress is not None:
                progress(count)
            if cancelled is not None and cancelled():
                raise ExportCancelled()
    return count


class ExportCancelled(Exception):
    """The person cancelled a running export; nothing was written."""
