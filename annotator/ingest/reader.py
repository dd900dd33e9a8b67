"""From a path, the clipboard or a string to a :class:`NewArticle`."""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from annotator.formats.safety import ARTICLE_FILE_BYTES, ARTICLE_UNPACKED_BYTES, file_name, gunzip, read_capped

from ..domain import NewArticle, normalise_text, title_from_text
from .boilerplate import drop_lines, find_boilerplate, strip_boilerplate, tidy_lines
from .errors import IngestError, refused_as_ingest
from .textfile import NotText, decode_bytes, looks_binary, markdown_to_text
from .webpage import check_complete, extract_html, html_fragment_text, looks_like_html

MAX_FILE_BYTES = ARTICLE_FILE_BYTES
# zlib level for the kept original: level 3 packs web pages nearly as tight
# as the default 6 in half the time.
ORIGINAL_COMPRESSION = 3

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf", ".gz"}

# Files in an imported folder that are never articles (assets of saved pages, media…).
_SKIP_IN_FOLDERS = {
    ".css", ".js", ".mjs", ".json", ".map", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".bmp",
    ".tif", ".tiff", ".avif", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".m4a", ".webm",
    ".ogg", ".wav", ".mov", ".avi", ".zip", ".exe", ".dll", ".so", ".db", ".sqlite", ".ds_store", ".lnk",
}


def iter_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Yield the files named by ``paths``, expanding folders recursively.

    Folder contents come sorted by name; hidden files and folders, the
    ``NAME_files`` asset folders that browsers save next to ``NAME.html``, and
    media, font, script and style files are skipped inside folders. A path
    given explicitly is always yielded, even if missing or unreadable, so
    that :func:`read_path` can report it.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


class OutsideLink(type(Path())):
    """A file in an imported folder that is a symbolic link to a file outside it:
    :func:`read_path` reports it instead of importing what it points to."""


def _walk(folder: Path, root: Path | None = None, seen: set[tuple[int, int]] | None = None) -> Iterator[Path]:
    root = root or Path(os.path.realpath(folder))
    seen = set() if seen is None else seen
    try:
        info = folder.stat()
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        yield folder  # read_path reports why the folder cannot be read
        return
    if (info.st_dev, info.st_ino) in seen:
        return  # a symbolic link back into a folder already walked: a loop
    seen.add((info.st_dev, info.st_ino))
    names = {e.name for e in entries}
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            stem = entry.name[: -len("_files")] if entry.name.endswith("_files") else None
            if stem and any(stem + s in names for s in (".html", ".htm", ".xhtml")):
                continue
            yield from _walk(entry, root, seen)
        elif entry.suffix.lower() not in _SKIP_IN_FOLDERS:
            if entry.is_symlink() and not Path(os.path.realpath(entry)).is_relative_to(root):
                yield OutsideLink(entry)
            else:
                yield entry


def _suffixes(path: Path) -> tuple[str, bool]:
    """(format suffix, gzipped?) for names like ``page.html.gz``."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return Path(name[:-3]).suffix, True
    return path.suffix.lower(), False


def _read_bytes(path: Path) -> bytes:
    with refused_as_ingest(str(path)):
        return read_capped(path, MAX_FILE_BYTES)


def _gunzip(data: bytes, path: str) -> bytes:
    with refused_as_ingest(path):
        return gunzip(data, path, limit=ARTICLE_UNPACKED_BYTES)


def read_path(path: str | os.PathLike, *, keep_boilerplate: bool = False) -> NewArticle:
    """Read one file into a :class:`NewArticle`, or raise :class:`IngestError`.

    Supports plain text and Markdown in any common encoding, saved web pages
    (also gzip-compressed), .docx and .pdf; other names are sniffed. Unless
    ``keep_boilerplate`` is true, furniture lines are removed and listed in
    ``removed_lines``. ``original_bytes`` holds the file, zlib-compressed.
    """
    if isinstance(path, OutsideLink):
        raise IngestError(
            str(path), f"a link to {file_name(os.path.realpath(path))}, outside the folder being imported;"
            " not imported (name the file itself to import it)",
        )
    path = Path(path)
    shown = str(path)
    data = _read_bytes(path)
    try:
        article = _parse(data, path)
    except IngestError:
        raise
    except RecursionError as exc:
        raise IngestError(shown, "the file is nested too deeply to be read") from exc
    except MemoryError as exc:
        raise IngestError(shown, "the file is too large to be read in memory") from exc
    except Exception as exc:  # a parser failing on bad input must not take the batch down
        raise IngestError(shown, f"the file could not be read ({type(exc).__name__}: {exc})") from exc
    # A name that is not UTF-8 keeps its odd bytes as \\xff escapes: storable and printable.
    article.source_path = str(path.absolute()).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    article.original_name = file_name(path)
    article.original_bytes = zlib.compress(data, ORIGINAL_COMPRESSION)
    return article if keep_boilerplate else clean_article(article)


def read_original(data: bytes, name: str) -> NewArticle:
    """An article's original file (as the database keeps it) read again, furniture
    lines kept: the text an import starts from."""
    try:
        return _parse(data, Path(name))
    except IngestError:
        raise
    except Exception as exc:  # a parser failing on bad input must not take the window down
        raise IngestError(name, f"the file could not be read ({type(exc).__name__}: {exc})") from exc


def _parse(data: bytes, path: Path) -> NewArticle:
    shown = str(path)
    suffix, gzipped = _suffixes(path)
    if not data.strip():
        raise IngestError(shown, "the file is empty")
    if gzipped or (suffix not in SUPPORTED_SUFFIXES and data[:2] == b"\x1f\x8b"):
        data = _gunzip(data, shown)
        if not data.strip():
            raise IngestError(shown, "the file is empty (after unpacking)")
    if suffix in HTML_SUFFIXES:
        return _from_html(data, shown, "html")
    if suffix in TEXT_SUFFIXES:
        return _from_text(data, shown, markdown=suffix in MARKDOWN_SUFFIXES)
    if suffix == ".docx":
        return _from_docx(data, shown)
    if suffix == ".pdf":
        return _from_pdf(data, shown)
    return _sniffed(data, path)


def _sniffed(data: bytes, path: Path) -> NewArticle:
    shown = str(path)
    head = data[:8192]
    if head.startswith(b"%PDF-"):
        return _from_pdf(data, shown)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise IngestError(
            shown, "this is an old Microsoft Office file (.doc, .xls, .ppt); save it as .docx or PDF and import that"
        )
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or b"[Content_Types].xml" in data[:65536]:
            return _from_docx(data, shown)
        raise IngestError(shown, "this is a zip archive, not an article; unpack it and import the files")
    if looks_binary(head):
        kind = f"{path.suffix} " if path.suffix else ""
        raise IngestError(shown, f"this is a binary {kind}file, not text, a web page, .docx or .pdf")
    if looks_like_html(head):
        return _from_html(data, shown, "html")
    return _from_text(data, shown, markdown=False)


def _decode(data: bytes, path: str) -> str:
    try:
        text, _ = decode_bytes(data)
    except NotText as exc:
        raise IngestError(path, str(exc)) from exc
    return text


def _from_text(data: bytes, path: str, *, markdown: bool) -> NewArticle:
    if looks_binary(data[:8192]):
        raise IngestError(path, "this looks like a binary file, not text")
    text = normalise_text(_decode(data, path))
    if markdown:
        body, title = markdown_to_text(text)
        return _article(normalise_text(body), path, "markdown", title=title)
    return _article(text, path, "text")


def _from_html(data: bytes, path: str, fmt: str) -> NewArticle:
    if looks_binary(data[:8192]):
        raise IngestError(path, "this is not a web page: the file holds binary data")
    check_complete(data, path)
    meta = extract_html(data, path)
    text = normalise_text(meta.pop("text"))
    return _article(text, path, fmt, **meta)


def _from_docx(data: bytes, path: str) -> NewArticle:
    from .docx import read_docx

    meta = read_docx(data, path)
    return _article(normalise_text(meta.pop("text")), path, "docx", **meta)


def _from_pdf(data: bytes, path: str) -> NewArticle:
    from .pdf import read_pdf

    meta = read_pdf(data, path)
    return _article(normalise_text(meta.pop("text")), path, "pdf", **meta)


def _article(text: str, path: str, fmt: str, *, title: str = "", **meta: str) -> NewArticle:
    text = tidy_lines(text.split("\n"))
    if not text.strip():
        raise IngestError(path, "the file has no text")
    return NewArticle(title=title or title_from_text(text), text=text, source_format=fmt, **meta)


def clean_article(article: NewArticle) -> NewArticle:
    """``article`` with boilerplate lines removed and appended to ``removed_lines``.

    ``read_path(p)`` equals ``clean_article(read_path(p, keep_boilerplate=True))``;
    the import preview uses :func:`find_boilerplate` and :func:`drop_lines`
    directly to let the analyst restore single lines.
    """
    text, removed = strip_boilerplate(article.text)
    if not removed:
        return article
    if not text.strip():
        # Nothing but furniture: better to keep it all than to import nothing.
        return article
    title = article.title
    if title == title_from_text(article.text):  # the title was the first line: it may have been furniture
        title = title_from_text(text)
    return replace(article, text=text, title=title, removed_lines=article.removed_lines + removed)


def read_text(text: str, *, name: str = "pasted text", keep_boilerplate: bool = False) -> NewArticle:
    """An article from plain ``text`` (pasted or typed); ``name`` is used in messages."""
    if not isinstance(text, str) or not text.strip():
        raise IngestError(name, "there is no text to import")
    article = _article(normalise_text(text), name, "clipboard")
    article.original_name = name if Path(name).suffix else f"{name}.txt"
    article.original_bytes = zlib.compress(text.encode("utf-8"), ORIGINAL_COMPRESSION)
    return article if keep_boilerplate else clean_article(article)


def read_clipboard(html: str | None, text: str | None, *, keep_boilerplate: bool = False) -> NewArticle:
    """An article from the clipboard: its HTML cleaned like a web page, else its plain text."""
    name = "clipboard"
    if html and html.strip():
        try:
            meta = extract_html(html, name)
        except IngestError:
            meta = None
        if meta is not None:
            body = normalise_text(meta.pop("text"))
            article = _article(body, name, "clipboard-html", **meta)
        else:
            # A snippet too small for article extraction: keep its block structure.
            fragment = html_fragment_text(html)
            if not fragment.strip():
                if text and text.strip():
                    return read_text(text, name=name, keep_boilerplate=keep_boilerplate)
                raise IngestError(name, "the copied HTML holds no text")
            article = _article(normalise_text(fragment), name, "clipboard-html")
        article.original_name = "clipboard.html"
        article.original_bytes = zlib.compress(html.encode("utf-8"), ORIGINAL_COMPRESSION)
        return article if keep_boilerplate else clean_article(article)
    if text and text.strip():
        return read_text(text, name=name, keep_boilerplate=keep_boilerplate)
    raise IngestError(name, "the clipboard holds no text")
