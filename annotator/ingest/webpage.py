"""Saved web pages and clipboard HTML: article body and metadata via trafilatura."""

from __future__ import annotations

import logging
import re

from .errors import IngestError

# trafilatura logs every page it finds too short; the user gets our message instead.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

_DOC_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_DOC_END = re.compile(rb"</(?:html|body)\s*>", re.I)
_ANY_TAG = re.compile(rb"<\s*/?\s*[a-z][a-z0-9]*[\s>/]", re.I)

# Fewer words than this is navigation or a teaser, not an article.
MIN_ARTICLE_WORDS = 20

# Extraction settings, chosen on the evaluation pages (benchmarks/eval_intake.py):
# favouring recall finds more of the article; tables are left out because on
# those pages they held layout and link lists far more often than data.
EXTRACT_OPTIONS = dict(
    include_comments=False,
    include_tables=False,
    include_images=False,
    include_links=False,
    favor_recall=True,
)
# When extraction finds less than this, the page is probably built in an
# unusual way (text in a script's JSON, one huge <div>): try the simple
# extractor too and keep its text if it is much longer.
SHORT_EXTRACT_WORDS = 60
FALLBACK_FACTOR = 3


def looks_like_html(head: bytes) -> bool:
    """Sniff: does this start like an HTML document or fragment?"""
    head = head[:4096].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head or head.startswith(
        (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<article", b"<p>", b"<p ")
    )


def check_complete(data: bytes, path: str) -> None:
    """Refuse a saved page that stops before its end (an interrupted save or download)."""
    if _DOC_START.match(data[:4096]) and not _DOC_END.search(data[-65536:]) and not _DOC_END.search(data):
        raise IngestError(path, "the page is truncated: it ends before </html>; save the page again")


def extract_html(data: bytes | str, path: str, *, url: str = "") -> dict:
    """Extract article text and metadata from a whole page or an HTML fragment.

    Returns a dict with ``text``, ``title``, ``author``, ``published``,
    ``outlet`` and ``url``. Raises :class:`IngestError` when the page has no
    article or cannot be parsed.
    """
    import trafilatura

    sample = data[:65536] if isinstance(data, bytes) else data[:65536].encode("utf-8", "replace")
    if not _ANY_TAG.search(sample) and not _ANY_TAG.search(data if isinstance(data, bytes) else data.encode("utf-8", "replace")):
        raise IngestError(path, "this is not HTML (no HTML tags found)")
    try:
        doc = trafilatura.bare_extraction(data, url=url or None, with_metadata=True, **EXTRACT_OPTIONS)
    except (ValueError, TypeError, AttributeError, LookupError, RecursionError) as exc:
        raise IngestError(path, f"the HTML could not be parsed ({type(exc).__name__}: {exc})") from exc
    text = (doc.text or "").strip() if doc is not None else ""
    words = _word_count(text)
    if words < SHORT_EXTRACT_WORDS:
        try:
            _, fallback, _ = trafilatura.baseline(data)
        except (ValueError, TypeError, AttributeError, LookupError, RecursionError):
            fallback = ""
        fallback = (fallback or "").strip()
        if _word_count(fallback) >= FALLBACK_FACTOR * max(words, 1) and _word_count(fallback) >= MIN_ARTICLE_WORDS:
            text = fallback
            words = _word_count(text)
    if words < MIN_ARTICLE_WORDS:
        if doc is None and not _parses(data):
            raise IngestError(path, "the HTML is malformed: no document could be parsed from it")
        if _nesting_depth(data) > MAX_PARSED_DEPTH:
            raise IngestError(
                path, f"the page is nested more than {MAX_PARSED_DEPTH} elements deep, deeper than the HTML parser"
                " reads; save the article alone (reader view) or as text and import that",
            )
        raise IngestError(
            path, "no article text found in this page (is it a front page, a gallery or a sign-in wall?)"
        )
    meta = {"title": "", "author": "", "published": "", "outlet": "", "url": url}
    if doc is not None:
        meta = {
            "title": _clean(doc.title),
            "author": _clean(doc.author),
            "published": _clean(doc.date),
            "outlet": _clean(doc.sitename) or _clean(doc.hostname),
            "url": _clean(doc.url) or url,
        }
    return {"text": spaced_paragraphs(text), **meta}


_LIST_ITEM = re.compile(r"^\s*(?:[-•*▪]|\d+[.)])\s")


def spaced_paragraphs(text: str) -> str:
    """One paragraph per line -> paragraphs separated by a blank line, as in the
    other formats; consecutive list items stay on consecutive lines."""
    lines = [line for line in text.split("\n") if line.strip()]
    out: list[str] = []
    for i, line in enumerate(lines):
        if out and not (_LIST_ITEM.match(line) and _LIST_ITEM.match(lines[i - 1])):
            out.append("")
        out.append(line)
    return "\n".join(out)


def html_fragment_text(html: str) -> str:
    """Readable text of a small HTML fragment (clipboard) that has no article structure."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises ParserError, ValueError… on odd fragments
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    blocks = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article", "pre"}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in blocks:
            el.tail = "\n" + (el.tail or "")
            if el.tag == "li":
                el.text = "• " + (el.text or "")
        elif el.tag in ("td", "th"):
            el.tail = "\t" + (el.tail or "")
    text = root.text_content()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _parses(data: bytes | str) -> bool:
    import lxml.etree
    import lxml.html

    try:
        return lxml.html.document_fromstring(data) is not None
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return False


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


# libxml2's HTML parser stops at this depth; what lies deeper is never seen.
MAX_PARSED_DEPTH = 255
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>")
_VOID = {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source", b"track",
         b"wbr", b"p", b"li", b"option"}


def _nesting_depth(data: bytes | str) -> int:
    """How deeply elements nest in ``data`` (a quick scan of the tags, not a parse;
    elements whose end tag may be left out do not count)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(data):
        if name.lower() in _VOID or self_closing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _word_count(text: str) -> int:
    # Chinese and Japanese do not separate words by spaces: count two characters as a word.
    return len(text.split()) + len(_CJK.findall(text)) // 2


def _clean(value) -> str:
    return " ".join(str(value).split()) if value else ""
