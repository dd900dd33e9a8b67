"""CSV export: one row per annotation, RFC 4180, safe to open in a spreadsheet.

Reading: Read annotator's own CSV export back.

The CSV carries no article text, so each group of rows (one article id) is
attached by the planner to the article whose text reads every quote at its
offsets. Cells were neutralised against spreadsheet formulas on export;
:func:`~annotator.formats.safety.restore` undoes that exactly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from annotator.formats.document import ExportCancelled
from annotator.formats.records import ArticleRecord, ImportFormatError, ParsedFile, SpanRecord
from annotator.formats.safety import decode_text, neutralise, read_bytes, restore


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


REQUIRED = ("tag", "start", "end", "quote")


def read_csv(path: Path) -> ParsedFile:
    parsed = ParsedFile(path, "csv")
    text = decode_text(read_bytes(path), path.name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFormatError(f"{path.name} is empty.") from None
    except csv.Error as error:
        raise ImportFormatError(f"{path.name} is not readable CSV ({error}).") from error
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFormatError(
            f"{path.name} lacks the column(s) {', '.join(missing)}; annotator reads CSV files with the columns"
            f" {', '.join(CSV_COLUMNS)}."
        )
    col = {name: i for i, name in enumerate(header)}
    groups: dict[tuple[str, str, str], ArticleRecord] = {}
    try:
        for lineno, row in enumerate(reader, 2):
            if not any(row):
                continue
            where = f"{path.name} row {lineno}"
            if len(row) != len(header):
                parsed.errors.append(f"{where}: {len(row)} cells where the header has {len(header)}.")
                continue

            def cell(name: str, row: list[str] = row) -> str:
                return restore(row[col[name]]) if name in col else ""

            try:
                start, end = int(row[col["start"]]), int(row[col["end"]])
            except ValueError:
                parsed.errors.append(f"{where}: start and end must be whole numbers, not {row[col['start']]!r}, {row[col['end']]!r}.")
                continue
            key = (row[col["article_id"]] if "article_id" in col else "", cell("title"), cell("url"))
            record = groups.get(key)
            if record is None:
                raw_id = key[0].strip()
                record = groups[key] = ArticleRecord(
                    where=f"{path.name} (article {raw_id or key[1] or '?'})", text=None, title=key[1], url=key[2],
                    article_id=int(raw_id) if raw_id.isdigit() else None,
                )
            record.spans.append(SpanRecord(
                where=where, start=start, end=end, quote=cell("quote"), tag=cell("tag"), note=cell("note"),
                annotator=cell("annotator"), created=cell("created"), updated=cell("updated"),
                prefix=cell("context_before"), suffix=cell("context_after"),
            ))
    except csv.Error as error:
        raise ImportFormatError(f"{path.name} is not readable CSV ({error}).") from error
    parsed.articles = list(groups.values())
    return parsed
