"""Reading untrusted archives and XML without being exploited by them.

Zip archives are checked before anything is read: member count, names that
would escape the archive (``../``, absolute paths, drive letters), total size
and compression ratio (decompression bombs); members are then read with a hard
size cap, since the sizes in a zip header can lie. XML is parsed by defusedxml
with DTDs forbidden, so neither entity expansion ("billion laughs") nor external
entities can happen. Nothing is fetched or executed.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml.ElementTree import fromstring

from annotator.exchange.records import ImportFormatError

MAX_MEMBERS = 50_000
MAX_TOTAL_BYTES = 1 << 30  # 1 GiB unpacked in all
MAX_MEMBER_BYTES = 512 << 20
# Text compresses about 3-10x; a far higher ratio on a large member is a bomb.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1 << 20
MAX_FILE_BYTES = 1 << 30  # plain files (jsonl, json, csv, ann) read whole


def check_member_name(name: str, archive: str) -> str:
    """``name`` normalised; raises for names that would leave the archive."""
    if "\x00" in name:
        raise ImportFormatError(f"{archive}: a member name contains a NUL character.")
    cleaned = name.replace("\\", "/")
    if cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        raise ImportFormatError(f"{archive}: member “{name}” has an absolute path; the archive is refused.")
    normal = posixpath.normpath(cleaned)
    if normal == ".." or normal.startswith("../") or "/../" in f"/{cleaned}/":
        raise ImportFormatError(f"{archive}: member “{name}” points outside the archive; the archive is refused.")
    return normal


class SafeZip:
    """A zip archive opened for reading after the checks above."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        shown = self.path.name
        try:
            self.zip = zipfile.ZipFile(self.path)
        except zipfile.BadZipFile as error:
            raise ImportFormatError(f"{shown} is not a readable zip archive ({error}).") from error
        except OSError as error:
            raise ImportFormatError(f"Cannot read {shown}: {error.strerror or error}.") from error
        try:
            infos = self.zip.infolist()
            if len(infos) > MAX_MEMBERS:
                raise ImportFormatError(f"{shown} holds {len(infos)} files, more than the {MAX_MEMBERS} accepted.")
            total = 0
            self.members: dict[str, zipfile.ZipInfo] = {}
            for info in infos:
                name = check_member_name(info.filename, shown)
                if info.is_dir():
                    continue
                total += info.file_size
                if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                    raise ImportFormatError(f"{shown} unpacks to more than {MAX_TOTAL_BYTES >> 20} MB; refused.")
                if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise ImportFormatError(
                        f"{shown}: member “{name}” is compressed {info.file_size // max(info.compress_size, 1)}"
                        " times, which only a decompression bomb does; refused."
                    )
                self.members[name] = info
        except BaseException:
            self.zip.close()
            raise

    def names(self) -> list[str]:
        return sorted(self.members)

    def read(self, name: str) -> bytes:
        """The bytes of member ``name``, never more than its declared size."""
        info = self.members.get(name)
        if info is None:
            raise ImportFormatError(f"{self.path.name} has no member “{name}”.")
        limit = info.file_size
        try:
            with self.zip.open(info) as fh:
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
            raise ImportFormatError(f"{self.path.name}: cannot unpack “{name}” ({error}).") from error
        if len(data) > limit:
            raise ImportFormatError(f"{self.path.name}: “{name}” unpacks to more than its stated size; refused.")
        return data

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_bytes(path: Path) -> bytes:
    """A whole (not archived) file, refusing absurd sizes with a clear message."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFormatError(f"{path.name} is {size >> 20} MB, more than the {MAX_FILE_BYTES >> 20} MB accepted.")
        return path.read_bytes()
    except OSError as error:
        raise ImportFormatError(f"Cannot read {path.name}: {error.strerror or error}.") from error


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 text (a leading byte-order mark is dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError(f"{where} is not UTF-8 text (byte {error.start}).") from error


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
