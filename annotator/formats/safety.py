"""Reading untrusted files without being exploited by them, and writing cells that
spreadsheets cannot run: the one place for these guards (exchange formats and
article intake both use them).

Files are read whole only when they are regular files under a size cap (a named
pipe would block forever, a device never end). Compressed data, zip archives
(exchange files, Word documents) and gzip files (saved web pages) alike, passes
one guard, :func:`check_unpacked`: a cap on what it unpacks to and a ratio no
honest file reaches (decompression bombs). Zip archives are checked before
anything is read: member count, names that would escape the archive (``../``,
absolute paths, drive letters), then their stated sizes; members are read with a
hard size cap, since the sizes in a zip header can lie. A gzip file states no
size, so it is checked while it unpacks. XML is parsed by defusedxml with DTDs forbidden, so neither
entity expansion ("billion laughs") nor external entities can happen. Nothing is
fetched or executed.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import posixpath
import re
import stat
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml.ElementTree import fromstring

from annotator.formats.records import ImportFormatError

# Article files (web pages, documents) and annotation files (a whole corpus in one
# JSON Lines file) are read whole; these are the most either may hold.
ARTICLE_FILE_BYTES = 50 * 1024 * 1024 - 1
ANNOTATION_FILE_BYTES = (1 << 30) - 1
MAX_MEMBERS = 50_000
MAX_TOTAL_BYTES = 1 << 30  # unpacked, all members together
# An article file (a Word document, a gzipped web page) unpacks to at most this.
ARTICLE_UNPACKED_BYTES = 200 * 1000 * 1000
# Text and XML compress about 3-20x; a far higher ratio on a large member is a bomb.
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1 << 20


class RefusedFile(ImportFormatError):
    """A file the guards refuse; ``problem`` says why without the file's name."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


def human_size(size: int) -> str:
    """``52428800`` -> ``"52.4 MB"`` (decimal units, as file managers show them)."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1000**2:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1000**2:.1f} MB"


def _limit_text(limit: int) -> str:
    """A limit of ``n`` MiB less one byte reads as "n MB", as the program states it."""
    return f"{(limit + 1) >> 20} MB" if (limit + 1) % (1 << 20) == 0 else human_size(limit)


def file_name(path: str | os.PathLike) -> str:
    """The name of ``path`` as a message shows it: bytes that are not UTF-8 appear as
    ``\\xff`` escapes, never as lone surrogates that cannot be printed or stored."""
    name = os.fspath(path)
    name = os.path.basename(name.rstrip("/")) or name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_capped(path: str | os.PathLike, limit: int) -> bytes:
    """The whole of the regular file ``path``, refusing folders, pipes, devices and
    files over ``limit`` bytes with a message naming the file."""
    path = Path(path)
    name = file_name(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            if not os.access(path, os.R_OK | os.X_OK):
                raise RefusedFile(name, "permission denied: this folder cannot be read")
            raise RefusedFile(name, "this is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            kind = "a named pipe" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "a device"
            raise RefusedFile(name, f"this is {kind}, not a regular file; skipped")
        if info.st_size > limit:
            raise RefusedFile(name, f"file is {human_size(info.st_size)}; the limit is {_limit_text(limit)}")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError as exc:
        raise RefusedFile(name, "no such file") from exc
    except PermissionError as exc:
        raise RefusedFile(name, "permission denied: the file cannot be read") from exc
    except IsADirectoryError as exc:
        raise RefusedFile(name, "this is a folder, not a file") from exc
    except OSError as exc:
        raise RefusedFile(name, f"the file cannot be read ({exc.strerror or exc})") from exc
    if len(data) > limit:
        raise RefusedFile(name, f"file is over {_limit_text(limit)}, the limit")
    return data


def read_bytes(path: Path) -> bytes:
    """A whole annotation file (not archived)."""
    return read_capped(path, ANNOTATION_FILE_BYTES)


def check_member_name(name: str, archive: str) -> str:
    """``name`` normalised; raises for names that would leave the archive."""
    if "\x00" in name:
        raise RefusedFile(archive, "a member name contains a NUL character.")
    cleaned = name.replace("\\", "/")
    if cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        raise RefusedFile(archive, f"member “{name}” has an absolute path; the archive is refused.")
    normal = posixpath.normpath(cleaned)
    if normal == ".." or normal.startswith("../") or "/../" in f"/{cleaned}/":
        raise RefusedFile(archive, f"member “{name}” points outside the archive; the archive is refused.")
    return normal


def check_unpacked(name: str, what: str, unpacked: int, packed: int, *, limit: int | None = None,
                   member: str = "") -> None:
    """The one decompression-bomb guard: refuse ``what`` (in the file ``name``) when
    ``unpacked`` bytes, from ``packed`` compressed ones, exceed ``limit`` (default
    :data:`MAX_TOTAL_BYTES`) or a ratio no honest file reaches. ``member`` names the
    archive member that unpacks so far."""
    if unpacked > RATIO_FLOOR_BYTES and unpacked > MAX_RATIO * max(packed, 1):
        inside = f" in “{member}”" if member else ""
        raise RefusedFile(
            name, f"refused: {what} unpacks {unpacked // max(packed, 1)}-fold to {human_size(unpacked)}{inside},"
            " which only a decompression bomb does.",
        )
    limit = MAX_TOTAL_BYTES if limit is None else limit
    if unpacked > limit:
        raise RefusedFile(
            name, f"refused: {what} would unpack to {human_size(unpacked)}"
            f" (the limit is {human_size(limit)}); a zip bomb?",
        )


def gunzip(data: bytes, name: str, *, what: str = "this gzip file", limit: int | None = None) -> bytes:
    """The unpacked bytes of the gzip data ``data`` (of the file ``name``), checked by
    :func:`check_unpacked` as they come, so a bomb is stopped before it fills memory."""
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(1 << 20):
                out += chunk
                check_unpacked(name, what, len(out), len(data), limit=limit)
    except (OSError, EOFError, zlib.error) as error:
        raise RefusedFile(name, f"{what} is corrupt or truncated ({error})") from error
    return bytes(out)


class SafeZip:
    """A zip archive (a path, or the bytes of one) opened for reading after the checks
    above. ``what`` names it in messages ("the archive", "the document"); ``limit``
    caps what all its members unpack to (default :data:`MAX_TOTAL_BYTES`)."""

    def __init__(self, source: str | os.PathLike | bytes, name: str | None = None, *, what: str = "the archive",
                 limit: int | None = None):
        shown = name or file_name(source) if not isinstance(source, bytes) else name or "archive"
        self.name = shown
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else Path(source))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
            raise RefusedFile(shown, f"{what} is corrupt (not a readable zip archive: {error})") from error
        except OSError as error:
            raise RefusedFile(shown, f"{what} cannot be read ({error.strerror or error}).") from error
        try:
            if len(infos) > MAX_MEMBERS:
                raise RefusedFile(shown, f"refused: {what} holds {len(infos)} files, more than the {MAX_MEMBERS} accepted.")
            self.members: dict[str, zipfile.ZipInfo] = {}
            files = [(check_member_name(info.filename, shown), info) for info in infos]
            files = [(member, info) for member, info in files if not info.is_dir()]
            check_unpacked(shown, what, sum(info.file_size for _, info in files),
                           sum(info.compress_size for _, info in files), limit=limit)
            for member, info in files:
                check_unpacked(shown, what, info.file_size, info.compress_size, limit=limit, member=member)
                self.members[member] = info
        except BaseException:
            self.zip.close()
            raise

    def names(self) -> list[str]:
        return sorted(self.members)

    def read(self, name: str) -> bytes:
        """The bytes of member ``name``, never more than its declared size."""
        info = self.members.get(name)
        if info is None:
            raise RefusedFile(self.name, f"there is no member “{name}”.")
        limit = info.file_size
        try:
            with self.zip.open(info) as fh:
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as error:
            raise RefusedFile(self.name, f"cannot unpack “{name}” ({error}).") from error
        if len(data) > limit:
            raise RefusedFile(self.name, f"“{name}” unpacks to more than its stated size; refused.")
        return data

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 text (a leading byte-order mark is dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError(f"{where} is not UTF-8 text (byte {error.start}).") from error


def load_json(text: str | bytes, where: str) -> object:
    """Parse JSON from an untrusted file: nesting too deep for the parser, integers
    over Python's 4,300-digit limit and lone surrogates (``"\\ud800"``, which no
    text can hold) are refused with a message naming ``where``."""
    try:
        value = json.loads(text.decode("utf-8") if isinstance(text, bytes) else text)
    except json.JSONDecodeError as error:
        raise ImportFormatError(f"{where}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno}).") from error
    except UnicodeDecodeError as error:
        raise ImportFormatError(f"{where}: not UTF-8 text (byte {error.start}).") from error
    except RecursionError as error:
        raise ImportFormatError(f"{where}: nested too deeply to be read.") from error
    except ValueError as error:  # an integer with thousands of digits
        raise ImportFormatError(f"{where}: holds a number too large to be read ({str(error)[:80]}).") from error
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise ImportFormatError(
            f"{where}: holds a lone surrogate ({error.object[error.start:error.end]!a}), which is not text."
        ) from error
    except RecursionError as error:
        raise ImportFormatError(f"{where}: nested too deeply to be read.") from error
    return value


def parse_xml(data: bytes, where: str) -> Element:
    """Parse XML with DTDs, entities and external references forbidden."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as error:
        raise ImportFormatError(
            f"{where} declares a DTD or entities, which are refused (they can expand without limit"
            " or fetch outside files)."
        ) from error
    except ParseError as error:
        raise ImportFormatError(f"{where} is not well-formed XML ({error}).") from error
    except LookupError as error:  # encoding="x-no-such" in the declaration
        raise ImportFormatError(f"{where} declares an unknown text encoding ({error}).") from error
    except RecursionError as error:
        raise ImportFormatError(f"{where} is nested too deeply to be read.") from error


# ---------------------------------------------------------------------------
# Spreadsheet cells

# Spreadsheets run a cell as a formula when it starts with these; LibreOffice also
# takes the full-width forms, and a leading line break or tab can hide the rest.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?")


def _is_plain_number(cell: str) -> bool:
    return any(ch.isdigit() for ch in cell) and _PLAIN_NUMBER.fullmatch(cell) is not None


def _starts_formula(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and not _is_plain_number(cell)


def neutralise(cell: str) -> str:
    """Prefix an apostrophe to a cell that a spreadsheet would run as a formula.

    Plain numbers such as ``-3%`` or ``+1,200.5`` stay as they are. A cell that
    already starts with apostrophes before a formula gets one more, so that
    :func:`restore` is its exact inverse.
    """
    if cell and _starts_formula(cell.lstrip("'")):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """Undo :func:`neutralise` (for importing our own CSV)."""
    if cell.startswith("'") and _starts_formula(cell.lstrip("'")):
        return cell[1:]
    return cell
