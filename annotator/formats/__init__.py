"""Exchange formats: one module per format with its reader and writer side by side,
and the one registry that the command line, the dialogs, suffix detection and the
services read (no Qt, no SQL).

A reader turns one file into a :class:`~annotator.formats.records.ParsedFile`:
articles (with their text when the file carries it), tags and spans, exactly as
the file states them; matching them to the database, checking every span and
writing happen in :mod:`annotator.services.exchange`. A writer receives
:class:`~annotator.formats.document.ExportDocument` objects one at a time (CSV:
table rows) and writes one file, or many files into a sink (a folder or a zip).
Adding a format is one module and one entry in :data:`FORMATS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.formats.brat import read_brat, write_brat
from annotator.formats.claimreview import write_claimreview
from annotator.formats.csv import read_csv, write_csv
from annotator.formats.document import ExportCancelled, ExportDocument
from annotator.formats.html import write_html_pages, write_html_report
from annotator.formats.jsonl import read_jsonl, write_jsonl
from annotator.formats.qdpx import read_qdpx, write_qdpx
from annotator.formats.records import ArticleRecord, ImportFormatError, ParsedFile, SpanRecord, TagRecord
from annotator.formats.safety import SafeZip
from annotator.formats.w3c import read_w3c, write_w3c
from annotator.formats.xlsx import read_xlsx, write_xlsx


@dataclass(frozen=True)
class Format:
    """One exchange format as every part of the program sees it.

    ``write`` writes one file (text, or bytes when ``binary``); ``write_files``
    writes many files into a sink, a folder or a zip (``files_label`` offers it).
    ``rows``: the writer takes table rows (:meth:`Store.iter_export_rows`) instead
    of documents and tags. ``suffixes`` are the file names its reader recognises.
    """

    name: str
    label: str
    suffix: str
    file_filter: str
    hint: str
    read: Callable[[Path], ParsedFile] | None = None
    write: Callable | None = None
    write_files: Callable | None = None
    files_label: str = ""
    binary: bool = False
    rows: bool = False
    suffixes: tuple[str, ...] = ()


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format(
        "csv", "CSV table, one row per annotation", ".csv", "CSV (*.csv)",
        "Opens safely in spreadsheets; no article texts.",
        read=read_csv, write=write_csv, rows=True, suffixes=(".csv",),
    ),
    Format(
        "xlsx", "Excel workbook (annotations and articles sheets)", ".xlsx", "Excel workbook (*.xlsx)",
        "Every text cell stays text in Excel and LibreOffice, offsets are numbers; imports back exactly.",
        read=read_xlsx, write=write_xlsx, binary=True, suffixes=(".xlsx",),
    ),
    Format(
        "jsonl", "JSON Lines for NLP tools (doccano, spaCy)", ".jsonl", "JSON Lines (*.jsonl *.ndjson)",
        "One article per line with its text and spans (code-point offsets).",
        read=read_jsonl, write=write_jsonl, suffixes=(".jsonl", ".ndjson"),
    ),
    Format(
        "w3c", "W3C Web Annotations (JSON-LD)", ".jsonld", "JSON-LD (*.jsonld *.json)",
        "Each annotation with a text-quote and a text-position selector; article texts included.",
        read=read_w3c, write=write_w3c, suffixes=(".json", ".jsonld"),
    ),
    Format(
        "qdpx", "REFI-QDA project (QualCoder, MAXQDA, ATLAS.ti, NVivo)", ".qdpx", "REFI-QDA project (*.qdpx)",
        "Tags become codes, notes memos, analysts users.",
        read=read_qdpx, write=write_qdpx, binary=True, suffixes=(".qdpx",),
    ),
    Format(
        "brat", "brat standoff", ".zip", "Zip archive (*.zip)",
        "Tag names made safe for brat; annotator restores them on import.",
        read=read_brat, write_files=write_brat,
        files_label="brat standoff (.txt and .ann per article, zipped)", suffixes=(".ann", ".txt"),
    ),
    Format(
        "html", "HTML report, one page", ".html", "HTML (*.html *.htm)",
        "Highlights, legend and a table of annotations; prints well to PDF.",
        write=write_html_report, write_files=write_html_pages,
        files_label="HTML report, one page per article (zipped)",
    ),
    Format(
        "claimreview", "ClaimReview JSON-LD (claims with a verdict)", ".jsonld", "JSON-LD (*.jsonld)",
        "schema.org ClaimReview, as fact-checkers publish and search engines read them.",
        write=write_claimreview,
    ),
)}
READABLE = tuple(name for name, f in FORMATS.items() if f.read is not None)
_BY_SUFFIX = {suffix: f.name for f in FORMATS.values() for suffix in f.suffixes}

__all__ = [
    "FORMATS", "READABLE", "ArticleRecord", "ExportCancelled", "ExportDocument", "Format", "ImportFormatError",
    "ParsedFile", "SpanRecord", "TagRecord", "detect_format", "read_file",
]


def detect_format(path: Path) -> str:
    """The format of ``path``: by suffix, a folder is brat, a zip by its contents."""
    if path.is_dir():
        return "brat"
    suffix = path.suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix == ".zip":
        with SafeZip(path) as archive:
            names = archive.names()
        if "project.qde" in names:
            return "qdpx"
        if any(name.endswith(".ann") for name in names):
            return "brat"
        raise ImportFormatError(f"{archive.name} holds neither a REFI-QDA project nor brat .ann files.")
    known = ", ".join(sorted({s for f in FORMATS.values() for s in f.suffixes}))
    raise ImportFormatError(
        f"{path.name}: unknown kind of file; annotator imports {known} (brat: also a folder or .zip)."
    )


def read_file(path: str | Path, fmt: str | None = None) -> ParsedFile:
    """Read ``path`` (format detected unless ``fmt``); raises ImportFormatError."""
    path = Path(path)
    if not path.exists():
        raise ImportFormatError(f"{path} does not exist.")
    fmt = fmt or detect_format(path)
    spec = FORMATS.get(fmt)
    if spec is None or spec.read is None:
        raise ImportFormatError(f"Unknown import format “{fmt}” (known: {', '.join(READABLE)}).")
    try:
        return spec.read(path)
    except ImportFormatError:
        raise
    except (RecursionError, MemoryError) as error:
        raise ImportFormatError(f"{path.name} is nested too deeply or too large to be read ({type(error).__name__}).") from error
    except Exception as error:  # a reader meeting a shape it did not expect must not stop the batch
        raise ImportFormatError(
            f"{path.name} cannot be read as {spec.label} ({type(error).__name__}: {str(error)[:120]})."
        ) from error
