"""Word documents (.docx) via python-docx, behind a zip-bomb guard."""

from __future__ import annotations

import io
import zipfile

from .errors import IngestError, human_size

# A .docx is a zip: refuse archives that would inflate beyond these before parsing.
MAX_UNCOMPRESSED = 200 * 1000 * 1000
MAX_RATIO = 100
MAX_MEMBERS = 10_000


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_zip(data: bytes, path: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking it cannot be a zip bomb."""
    if data.startswith(OLE_MAGIC):
        # Word wraps a password-protected .docx in an OLE container, like an old .doc.
        raise IngestError(
            path,
            "this Word document is password-protected or in the old .doc format;"
            " save it as .docx without a password and import again",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise IngestError(path, f"this Word document is corrupt (not a readable zip archive: {exc})") from exc
    if len(members) > MAX_MEMBERS:
        raise IngestError(path, f"refused: the document holds {len(members)} parts (a zip bomb?)")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise IngestError(
            path,
            f"refused: the document would unpack to {human_size(total)} (the limit is {human_size(MAX_UNCOMPRESSED)}); a zip bomb?",
        )
    packed = sum(m.compress_size for m in members) or 1
    if total > 10 * 1000 * 1000 and total / packed > MAX_RATIO:
        raise IngestError(
            path, f"refused: the document unpacks {total // packed}-fold to {human_size(total)} (a zip bomb?)"
        )
    return archive


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            value = " ".join(cell.text.split())
            if not cells or cells[-1] != value:  # merged cells repeat their text
                cells.append(value)
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def read_docx(data: bytes, path: str) -> dict:
    """Text (paragraphs and tables in document order) and title of a .docx."""
    archive = check_zip(data, path)
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        raise IngestError(path, "this is not a Word document (.docx): the zip has no word/document.xml")
    if "EncryptedPackage" in names:
        raise IngestError(path, "this Word document is password-protected; remove the password and import again")
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        title = ""
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                text = item.text.strip()
                if not text:
                    continue
                style = (item.style.name if item.style is not None else "") or ""
                if not title and (style == "Title" or style.startswith("Heading")):
                    title = " ".join(text.split())
                if style.startswith("List"):
                    text = "• " + text
                blocks.append(text)
            elif isinstance(item, Table):
                blocks.extend(_table_lines(item))
        core_title = (document.core_properties.title or "").strip()
    except IngestError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged file
        raise IngestError(path, f"this Word document is corrupt ({type(exc).__name__}: {exc})") from exc
    return {"text": "\n\n".join(blocks), "title": core_title or title}
