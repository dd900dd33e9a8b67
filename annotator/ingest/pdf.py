"""PDFs with a text layer via pypdf: paragraphs joined, hyphens mended, page furniture dropped."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from .errors import IngestError

logging.getLogger("pypdf").setLevel(logging.CRITICAL)

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?(?:\s*[-–—])?$|^[ivxlcdm]{1,6}$", re.I
)
_SENTENCE_END = re.compile(r"[.!?:…][\"'”’»)\]]*$")
_DIGITS = re.compile(r"\d+")


def _furniture_key(line: str) -> str:
    # Headers often carry the page number: "Annual report 2024 — page 3".
    return _DIGITS.sub("#", " ".join(line.split()).casefold())


def _page_furniture(pages: list[list[str]]) -> set[str]:
    """Keys of lines among the first or last two lines of at least half of the pages (two at least)."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        filled = [line for line in lines if line.strip()]
        counts.update({_furniture_key(line) for line in filled[:2] + filled[-2:]})
    need = max(2, (len(pages) + 1) // 2)
    return {key for key, n in counts.items() if n >= need and len(key) <= 150}


def _join_page_lines(lines: list[str]) -> list[str]:
    """Lines of running text -> paragraphs."""
    paragraphs: list[str] = []
    current = ""
    widths = sorted(len(l) for l in lines if l.strip())
    typical = widths[int(len(widths) * 0.8)] if widths else 0
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if not current:
            current = line
        elif re.search(r"[^\W\d_]-$", current) and line[:1].islower():
            current = current[:-1] + line
        else:
            current = current + " " + line
        # A short line that ends a sentence ends its paragraph.
        if typical and len(raw.strip()) < 0.75 * typical and _SENTENCE_END.search(line):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


_COLUMN_GAP = re.compile(r"\S {6,}\S")


def _page_text(page) -> str:
    """The page's text, paragraphs separated by blank lines where that can be seen.

    Layout mode keeps the blank line between paragraphs but sets columns side
    by side on one line; for a page in columns the plain mode, which follows
    the order of the text in the file (column after column), is used instead.
    Plain mode is also the fallback for fonts that layout mode cannot measure.
    """
    try:
        text = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # pypdf's layout code raises assorted errors on odd fonts
        return page.extract_text() or ""
    lines = [line for line in text.split("\n") if line.strip()]
    if lines and sum(1 for line in lines if _COLUMN_GAP.search(line.strip())) >= 0.3 * len(lines):
        return page.extract_text() or ""
    return text


def read_pdf(data: bytes, path: str) -> dict:
    """Text and metadata of a PDF; clear messages for encrypted and image-only files."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise IngestError(path, "this PDF is encrypted; remove the protection and import again") from exc
            if not opened:
                raise IngestError(path, "this PDF is protected by a password; remove the password and import again")
        pages: list[list[str]] = []
        for page in reader.pages:
            text = _page_text(page)
            pages.append(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        meta = reader.metadata or {}
        title = str(meta.get("/Title") or "").strip()
        author = str(meta.get("/Author") or "").strip()
    except IngestError:
        raise
    except FileNotDecryptedError as exc:
        raise IngestError(path, "this PDF is protected by a password; remove the password and import again") from exc
    except DependencyError as exc:  # an encryption pypdf cannot undo with what is installed
        raise IngestError(path, "this PDF is encrypted; remove the protection and import again") from exc
    except (PdfReadError, Exception) as exc:  # pypdf raises many kinds on a damaged file
        raise IngestError(path, f"this PDF is corrupt or unreadable ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise IngestError(path, "this PDF has no pages")
    if sum(len(l.strip()) for lines in pages for l in lines if not _PAGE_NUMBER.match(l.strip())) < 10:
        raise IngestError(path, "this PDF has no text layer (scanned image?); run OCR first")
    furniture = _page_furniture(pages)
    paragraphs: list[str] = []
    for lines in pages:
        kept = [l for l in lines if not _PAGE_NUMBER.match(l.strip()) and _furniture_key(l) not in furniture]
        page_paragraphs = _join_page_lines(kept)
        # A paragraph that runs over the page break continues on the next page.
        if paragraphs and page_paragraphs and not _SENTENCE_END.search(paragraphs[-1]) and page_paragraphs[0][:1].islower():
            last = paragraphs.pop()
            if re.search(r"[^\W\d_]-$", last):
                page_paragraphs[0] = last[:-1] + page_paragraphs[0]
            else:
                page_paragraphs[0] = last + " " + page_paragraphs[0]
        paragraphs.extend(page_paragraphs)
    text = "\n\n".join(paragraphs)
    if len(text.strip()) < 1:
        raise IngestError(path, "this PDF has no text layer (scanned image?); run OCR first")
    return {"text": text, "title": "" if _placeholder_title(title) else title, "author": author}


_FILE_TITLE = re.compile(r"(?i)^(?:microsoft\s+\w+\s+-\s+.*|.*\.(?:docx?|pdf|odt|rtf|txt|indd|qxd)|untitled.*|document\d*)$")


def _placeholder_title(title: str) -> bool:
    """Titles that word processors write for the user ("Microsoft Word - draft.docx")."""
    return bool(_FILE_TITLE.match(title.strip()))
