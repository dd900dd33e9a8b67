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
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from annotator.domain import Verdict
from annotator.formats.document import ExportCancelled, rating_value
from annotator.formats.records import ArticleRecord, ImportFormatError, ParsedFile, SpanRecord
from annotator.formats.safety import ANNOTATION_FILE_BYTES, decode_text, neutralise, read_bytes, restore


VERDICT_COLUMNS = (
    "verdict", "verdict_rating_value", "verdict_explanation", "verdict_evidence", "verdict_reviewer", "verdict_date",
)
CSV_COLUMNS = (
    "article_id", "title", "url", "tag", "start", "end", "quote", "note",
    "annotator", "created", "updated", "context_before", "context_after",
    "annotation_id", "source_id", "source_quote", *VERDICT_COLUMNS,
)
# ``source_id``/``source_quote``: the source a claim is attributed to ("said by"), by
# its ``annotation_id`` in the same file; empty for anything not linked to a source.
# ``verdict...``: a claim's verdict (empty without one): the rating, its place on the
# desk's scale (1 = worst), explanation, evidence links (one a line), reviewer, date.


def verdict_cells(verdict: Verdict | None, scale: Sequence[str]) -> tuple:
    """The :data:`VERDICT_COLUMNS` cells of a row: empty when there is no verdict."""
    if verdict is None:
        return (None,) * len(VERDICT_COLUMNS)
    return (verdict.rating, rating_value(verdict.rating, scale), verdict.explanation, "\n".join(verdict.evidence),
            verdict.reviewer, verdict.date)


def _verdict(cell: Callable[[str], str]) -> Verdict | None:
    """The verdict a row's :data:`VERDICT_COLUMNS` give (the rating value follows from the
    scale and is not read)."""
    rating = cell("verdict").strip()
    if not rating:
        return None
    evidence = tuple(line.strip() for line in cell("verdict_evidence").splitlines() if line.strip())
    return Verdict(0, rating, cell("verdict_explanation"), evidence, cell("verdict_reviewer"), cell("verdict_date"))


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
_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")


def whole_number(cell: object) -> int | None:
    """``cell`` as an integer if it is one written in ASCII digits (``²``, ``①`` and
    4,000-digit numbers are not), else None."""
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e18:
        return int(cell)
    if isinstance(cell, str) and _WHOLE.fullmatch(cell.strip()):
        return int(cell)
    return None


def read_table(rows: Iterator[list], name: str, parsed: ParsedFile, *, cell_text: Callable[[object], str]) -> None:
    """Read annotation rows (a header, then one row per annotation, columns as
    :data:`CSV_COLUMNS`) into ``parsed``: the CSV and the Excel workbook share this.
    ``cell_text`` turns a cell into the text it stands for."""
    header = next(rows, None)
    if header is None:
        raise ImportFormatError(f"{name} is empty.")
    header = [cell_text(h).strip() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFormatError(
            f"{name} lacks the column(s) {', '.join(missing)}; annotator reads tables with the columns"
            f" {', '.join(CSV_COLUMNS)}."
        )
    col = {column: i for i, column in enumerate(header)}
    groups: dict[tuple[str, str, str], ArticleRecord] = {}
    for lineno, row in enumerate(rows, 2):
        row = list(row)
        if not any(cell not in (None, "") for cell in row):
            continue
        where = f"{name} row {lineno}"
        if len(row) > len(header) and any(cell not in (None, "") for cell in row[len(header):]):
            parsed.errors.append(f"{where}: {len(row)} cells where the header has {len(header)}.")
            continue
        row += [None] * (len(header) - len(row))

        def cell(column: str, row: list = row) -> str:
            return cell_text(row[col[column]]) if column in col else ""

        start, end = whole_number(row[col["start"]]), whole_number(row[col["end"]])
        if start is None or end is None:
            parsed.errors.append(
                f"{where}: start and end must be whole numbers, not {cell('start')[:40]!r}, {cell('end')[:40]!r}."
            )
            continue
        key = (cell("article_id").strip(), cell("title"), cell("url"))
        record = groups.get(key)
        if record is None:
            record = groups[key] = ArticleRecord(
                where=f"{name} (article {key[0][:20] or key[1][:60] or '?'})", text=None, title=key[1], url=key[2],
                article_id=whole_number(key[0]),
            )
        own, source = whole_number(row[col["annotation_id"]]) if "annotation_id" in col else None, None
        if own is not None and "source_id" in col:
            source = whole_number(row[col["source_id"]])
        record.spans.append(SpanRecord(
            where=where, start=start, end=end, quote=cell("quote"), tag=cell("tag"), note=cell("note"),
            annotator=cell("annotator"), created=cell("created"), updated=cell("updated"),
            prefix=cell("context_before"), suffix=cell("context_after"), tabular=True,
            ref=str(own) if own is not None else "", links=[(str(source), "source")] if source is not None else [],
            verdict=_verdict(cell),
        ))
    # A row whose source was filtered out of the table keeps its annotation, without the link.
    for record in groups.values():
        refs = {span.ref for span in record.spans if span.ref}
        for span in record.spans:
            span.links = [link for link in span.links if link[0] in refs]
    parsed.articles = list(groups.values())


def read_csv(path: Path) -> ParsedFile:
    parsed = ParsedFile(path, "csv")
    text = decode_text(read_bytes(path), path.name)
    # A quote or note may be longer than the csv module's default field limit (131,072).
    csv.field_size_limit(max(csv.field_size_limit(), ANNOTATION_FILE_BYTES))
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        read_table(rows, path.name, parsed, cell_text=lambda value: restore(value or ""))
    except csv.Error as error:
        raise ImportFormatError(f"{path.name} is not readable CSV ({error}).") from error
    return parsed
