"""Excel workbook (.xlsx) export, read by Excel and LibreOffice as it is.

Sheet "annotations": one row per annotation with the CSV's columns; every text
cell is stored as text (a quote such as ``=SUM(A1)`` or ``+1`` is never run as a
formula nor turned into a number, and needs no apostrophe), offsets are integers,
the header is frozen and filtered, the columns have widths, and URLs are links.
Sheet "articles": one row per article (no text). Characters XML cannot hold, a
carriage return and a literal ``_xHHHH_`` are written with the OOXML escape
``_xHHHH_`` that Excel and LibreOffice decode, so every cell imports back exactly.

A cell holds at most 32,767 characters (Excel counts UTF-16 units; it refuses or
"repairs" a workbook with more, and openpyxl cuts them off silently). A longer
text (a quote, a note, a verdict's explanation) keeps its first part in its cell,
marked by a cell comment, and the rest in the sheet "continued", one row per
further part: ``sheet``, ``id`` (the row's annotation_id, or article_id on the
articles sheet, so sorting a sheet keeps them together), ``column``, ``part``
(2, 3, ...) and ``text``. The parts, in order, are the whole text.

Reading: the "annotations" sheet of such a workbook (or any workbook whose first
sheet has the columns tag, start, end and quote), read like annotator's CSV, its
long cells joined again from "continued".
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from annotator.domain import Tag, context
from annotator.formats.csv import CSV_COLUMNS, read_table, verdict_cells, whole_number
from annotator.formats.document import Cancelled, ExportDocument, Progress, Ticker
from annotator.formats.records import ImportFormatError, ParsedFile
from annotator.formats.safety import SafeZip, read_bytes

ANNOTATIONS_SHEET = "annotations"
ARTICLES_SHEET = "articles"
CONTINUED_SHEET = "continued"
CONTINUED_COLUMNS = ("sheet", "id", "column", "part", "text")
# The most characters a cell holds, as Excel counts them (UTF-16 units).
CELL_LIMIT = 32_767
ARTICLE_COLUMNS = ("article_id", "title", "outlet", "author", "url", "published", "status", "annotations", "added",
                   "content_hash")
CONTEXT_CHARS = 40
_WIDTHS = {"article_id": 10, "title": 40, "url": 30, "tag": 12, "start": 8, "end": 8, "quote": 60, "note": 40,
           "annotator": 14, "created": 22, "updated": 22, "context_before": 30, "context_after": 30,
           "annotation_id": 12, "source_id": 10, "source_quote": 40, "outlet": 20, "author": 20, "published": 22, "status": 11, "annotations": 12, "added": 22,
           "content_hash": 20,
           "verdict": 14, "verdict_rating_value": 8, "verdict_explanation": 40, "verdict_evidence": 30,
           "verdict_reviewer": 14, "verdict_date": 12, "sheet": 12, "id": 10, "column": 18, "part": 6, "text": 80}
# Excel shows at most this many characters of a link target; longer URLs stay plain text.
_MAX_LINK = 2000
_LINK_FONT = Font(color="0563C1", underline="single")
# A text this long fits a cell even if every character had to be escaped (7 units each).
_SURELY_FITS = CELL_LIMIT // 7
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def escape_cell(text: str) -> str:
    """``text`` with what XML cannot carry as ``_xHHHH_`` (and ``_`` before a literal
    ``xHHHH_`` as ``_x005F_``), as OOXML defines for cell strings."""
    return _NOT_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def unescape_cell(text: str) -> str:
    """Undo :func:`escape_cell`."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def split_cell(text: str, limit: int = CELL_LIMIT) -> list[str]:
    """``text`` in consecutive parts whose escaped forms (:func:`escape_cell`) each fit a
    cell of ``limit`` UTF-16 units; one part when it fits already."""
    if len(text) <= limit // 7 or _cost(escape_cell(text)) <= limit:
        return [text]
    parts, start, used = [], 0, 0
    for i, ch in enumerate(text):
        # An escaped character takes 7 units (_xHHHH_), one outside the BMP 2.
        cost = 7 if ch == "_" or _NOT_XML.match(ch) else 2 if ord(ch) > 0xFFFF else 1
        if used + cost > limit:
            parts.append(text[start:i])
            start, used = i, 0
        used += cost
    parts.append(text[start:])
    return parts


def _cost(text: str) -> int:
    """Length in UTF-16 units."""
    return len(text) + sum(ord(ch) > 0xFFFF for ch in text)


class _Continued:
    """The sheet "continued", created when a first cell is too long for Excel."""

    def __init__(self, book: Workbook):
        self.book, self.sheet = book, None

    def cell(self, sheet, text: str, where: tuple[str, object, str]) -> WriteOnlyCell:
        """The cell for ``text`` at ``where`` (sheet name, row id, column name): its first
        part, the others written to "continued"."""
        parts = split_cell(text)
        cell = WriteOnlyCell(sheet, escape_cell(parts[0]))
        cell.data_type = "s"  # text, never a formula or a number
        if len(parts) > 1:
            if self.sheet is None:
                self.sheet = self.book.create_sheet(CONTINUED_SHEET)
                _header(self.sheet, CONTINUED_COLUMNS)
            for number, part in enumerate(parts[1:], 2):
                self.sheet.append(_row(self.sheet, (*where, number, part)))
            cell.comment = Comment(
                f"{len(text):,} characters: the first {len(parts[0]):,} here, the rest in the sheet"
                f" “{CONTINUED_SHEET}” ({where[2]}, id {where[1]}, parts 2–{len(parts)}).", "annotator",
            )
        return cell


def _header(sheet, columns: tuple[str, ...]) -> None:
    bold = Font(bold=True)
    sheet.freeze_panes = "A2"  # before any row: a write-only sheet writes its view first
    for i, column in enumerate(columns):
        sheet.column_dimensions[_letter(i)].width = _WIDTHS.get(column, 16)
    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, column)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)


def _letter(index: int) -> str:
    return get_column_letter(index + 1)


def _row(sheet, values: Iterable[object], link_column: int | None = None, *,
         continued: _Continued | None = None, key: int | None = None, columns: tuple[str, ...] = ()) -> list:
    """Cells for one row; with ``continued``, a text too long for a cell goes on there
    under this row's ``key`` and its column's name."""
    cells = []
    for i, value in enumerate(values):
        if isinstance(value, str):
            if continued is not None and len(value) > _SURELY_FITS:
                cell = continued.cell(sheet, value, (sheet.title, key, columns[i]))
            else:
                cell = WriteOnlyCell(sheet, escape_cell(value))
                cell.data_type = "s"  # text, never a formula or a number
            if i == link_column and value.startswith(("http://", "https://")) and len(value) <= _MAX_LINK:
                cell.hyperlink = value
                cell.font = _LINK_FONT
        else:
            cell = WriteOnlyCell(sheet, value)
        cells.append(cell)
    return cells


def write_xlsx(
    docs: Iterable[ExportDocument],
    tags: dict[int, Tag],
    out: BinaryIO,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write the workbook to ``out``; returns the number of annotations."""
    ticker = Ticker(progress, cancelled)
    book = Workbook(write_only=True)
    notes = book.create_sheet(ANNOTATIONS_SHEET)
    articles = book.create_sheet(ARTICLES_SHEET)
    _header(notes, CSV_COLUMNS)
    _header(articles, ARTICLE_COLUMNS)
    url_in_notes, url_in_articles = CSV_COLUMNS.index("url"), ARTICLE_COLUMNS.index("url")
    continued = _Continued(book)
    count = article_count = 0
    for doc in docs:
        a = doc.article
        quotes = {n.id: n.quote for n in doc.annotations}
        said_by = doc.said_by()
        for n in doc.annotations:
            before, after = context(a.text, n.start, n.end, CONTEXT_CHARS)
            source = said_by.get(n.id)
            notes.append(_row(notes, (
                a.id, a.title, a.url, tags[n.tag_id].name, n.start, n.end, n.quote, n.note,
                n.annotator, n.created, n.updated, before, after,
                n.id, source, quotes.get(source) if source is not None else None,
                *verdict_cells(doc.verdicts.get(n.id), doc.scale),
            ), url_in_notes, continued=continued, key=n.id, columns=CSV_COLUMNS))
        count += len(doc.annotations)
        articles.append(_row(articles, (
            a.id, a.title, a.outlet, a.author, a.url, a.published, a.status, len(doc.annotations), a.added,
            a.content_hash,
        ), url_in_articles, continued=continued, key=a.id, columns=ARTICLE_COLUMNS))
        article_count += 1
        ticker.add(len(doc.annotations))
    notes.auto_filter.ref = f"A1:{_letter(len(CSV_COLUMNS) - 1)}{count + 1}"
    articles.auto_filter.ref = f"A1:{_letter(len(ARTICLE_COLUMNS) - 1)}{article_count + 1}"
    ticker.check()
    book.save(out)
    return ticker.count


def _cell_text(value: object) -> str:
    if isinstance(value, _Whole):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unescape_cell(value) if isinstance(value, str) else str(value)


def read_xlsx(path: Path) -> ParsedFile:
    """The annotations of a workbook (the sheet "annotations", else the first)."""
    parsed = ParsedFile(path, "xlsx")
    # The archive passes the zip-bomb guard before openpyxl unpacks anything.
    SafeZip(path).close()
    try:
        book = load_workbook(io.BytesIO(read_bytes(path)), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as error:
        raise ImportFormatError(f"{path.name} is not a readable Excel workbook ({error}).") from error
    except Exception as error:  # openpyxl and its XML parser fail in many ways on a damaged file
        raise ImportFormatError(f"{path.name} is not a readable Excel workbook ({type(error).__name__}: {error}).") from error
    try:
        sheet = book[ANNOTATIONS_SHEET] if ANNOTATIONS_SHEET in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        if CONTINUED_SHEET in book.sheetnames and sheet.title != CONTINUED_SHEET:
            rows = _joined(rows, _continuations(book[CONTINUED_SHEET], sheet.title))
        read_table(rows, f"{path.name} ({sheet.title})", parsed, cell_text=_cell_text)
    finally:
        book.close()
    return parsed


class _Whole(str):
    """A cell's text joined from its parts, each already unescaped."""


def _continuations(sheet, title: str) -> dict[tuple[int, str], list[tuple[int, str]]]:
    """``{(row id, column): [(part, text), ...]}`` of the long cells of the sheet ``title``."""
    rows = sheet.iter_rows(values_only=True)
    header = [_cell_text(h).strip() for h in next(rows, ())]
    if any(column not in header for column in CONTINUED_COLUMNS):
        return {}
    at = {column: header.index(column) for column in CONTINUED_COLUMNS}
    found: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for row in rows:
        row = list(row) + [None] * (len(header) - len(row))
        key, part = whole_number(row[at["id"]]), whole_number(row[at["part"]])
        if _cell_text(row[at["sheet"]]) == title and key is not None and part is not None:
            found.setdefault((key, _cell_text(row[at["column"]])), []).append((part, _cell_text(row[at["text"]])))
    return found


def _joined(rows: Iterator[tuple], parts: dict[tuple[int, str], list[tuple[int, str]]]) -> Iterator[list]:
    """``rows`` (a header first) with each long cell made whole again from ``parts``."""
    header = next(rows, None)
    if header is None:
        return
    yield list(header)
    names = [_cell_text(h).strip() for h in header]
    if "annotation_id" not in names or not parts:
        yield from rows
        return
    key_at = names.index("annotation_id")
    for row in rows:
        row = list(row)
        key = whole_number(row[key_at]) if key_at < len(row) else None
        for i, name in enumerate(names[: len(row)]):
            more = parts.get((key, name)) if key is not None else None
            if more:
                row[i] = _Whole(_cell_text(row[i]) + "".join(text for _, text in sorted(more)))
        yield row
