"""Which reader reads a file: by its name, and for zip archives by what they hold."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.exchange.brat_reader import read_brat
from annotator.exchange.csv_reader import read_csv
from annotator.exchange.jsonl_reader import read_jsonl
from annotator.exchange.qdpx_reader import read_qdpx
from annotator.exchange.records import ImportFormatError, ParsedFile
from annotator.exchange.safety import SafeZip
from annotator.exchange.w3c_reader import read_w3c

FORMATS: dict[str, Callable[[Path], ParsedFile]] = {
    "jsonl": read_jsonl,
    "w3c": read_w3c,
    "brat": read_brat,
    "qdpx": read_qdpx,
    "csv": read_csv,
}
_SUFFIXES = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "w3c", ".jsonld": "w3c",
    ".ann": "brat", ".txt": "brat", ".qdpx": "qdpx", ".csv": "csv",
}


def detect_format(path: Path) -> str:
    """The format of ``path``: by suffix, a folder is brat, a zip by its contents."""
    if path.is_dir():
        return "brat"
    suffix = path.suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if suffix == ".zip":
        with SafeZip(path) as archive:
            names = archive.names()
        if "project.qde" in names:
            return "qdpx"
        if any(name.endswith(".ann") for name in names):
            return "brat"
        raise ImportFormatError(f"{path.name} holds neither a REFI-QDA project nor brat .ann files.")
    raise ImportFormatError(
        f"{path.name}: unknown kind of file; annotator imports .jsonl, .json (W3C), .csv,"
        " .qdpx, brat .ann/.txt (or a folder or .zip of them)."
    )


def read_file(path: str | Path, fmt: str | None = None) -> ParsedFile:
    """Read ``path`` (format detected unless ``fmt``); raises ImportFormatError."""
    path = Path(path)
    if not path.exists():
        raise ImportFormatError(f"{path} does not exist.")
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise ImportFormatError(f"Unknown import format “{fmt}” (known: {', '.join(FORMATS)}).")
    return FORMATS[fmt](path)
