"""Read annotator's own CSV export back.

The CSV carries no article text, so each group of rows (one article id) is
attached by the planner to the article whose text reads every quote at its
offsets. Cells were neutralised against spreadsheet formulas on export;
:func:`~annotator.export.spreadsheet_safety.restore` undoes that exactly.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from annotator.exchange.records import ArticleRecord, ImportFormatError, ParsedFile, SpanRecord
from annotator.exchange.safety import decode_text, read_bytes
from annotator.export.csv_format import CSV_COLUMNS
from annotator.export.spreadsheet_safety import restore

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
