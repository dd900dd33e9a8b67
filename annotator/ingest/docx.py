"""Word documents (.docx) via python-docx, behind a zip-bomb guard."""

from __future__ import annotations

import io
import re

from annotator.formats.safety import ARTICLE_UNPACKED_BYTES, SafeZip

from .errors import IngestError, refused_as_ingest

# References to entities other than XML's five built-in ones (and character references).
_ENTITY = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)[A-Za-z_][\w.-]*;")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_zip(data: bytes, path: str) -> SafeZip:
    """Open ``data`` as a zip after the one zip-bomb guard has checked it."""
    if data.startswith(OLE_MAGIC):
        # Word wraps a password-protected .docx in an OLE container, like an old .doc.
        raise IngestError(
            path,
            "this Word document is password-protected or in the old .doc format;"
            " save it as .docx without a password and import again",
        )
    with refused_as_ingest(path):
        return SafeZip(data, path, what="this Word document", limit=ARTICLE_UNPACKED_BYTES)


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
    with check_zip(data, path) as archive:
        names = set(archive.names())
        body = archive.read("word/document.xml") if "word/document.xml" in names else b""
    entity = _ENTITY.search(body)
    if entity:
        # lxml leaves such a reference unexpanded and python-docx then drops its paragraph.
        raise IngestError(
            path, f"this Word document uses an XML entity reference ({entity.group(0).decode('ascii', 'replace')}),"
            " which is not expanded (it could expand without limit); open it in Word, save it again and import that",
        )
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
