"""Plain text and Markdown: decoding any common encoding, Markdown to readable text."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Single-byte Latin code pages that charset-normalizer confuses on short texts
# (English with curly quotes comes out as cp852, French as cp1250): among
# these we choose by which decoding reads like ordinary European text.
_LATIN_PAGES = re.compile(r"^(cp(125[0-8]|437|85\d|86\d)|latin_?\d*|iso8859_\d+|mac_\w+|ascii)$")
_LATIN_CANDIDATES = ("cp1252", "cp1250", "iso8859_2")
_COMMON_NON_ASCII = set(
    "àáâãäåæçèéêëìíîïñòóôõöøœùúûüýÿßÀÁÂÄÅÆÇÈÉÊËÎÏÑÓÔÖØŒÙÚÛÜ"
    "ąćęłńśźżĄĆĘŁŃŚŹŻčďěňřšťůžČĎĚŇŘŠŤŮŽőűŐŰ"
    "\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u20ac\u00a0«»£°§©®™·•²³½¼¾"
)


class NotText(ValueError):
    """The bytes do not decode to readable text."""


# C0 controls other than tab and line breaks, DEL, C1 controls, and unassigned
# surrogates: none of them occur in real text.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _latin_score(text: str) -> int:
    score = 0
    for ch in _NON_ASCII.findall(text):
        score += 1 if ch in _COMMON_NON_ASCII else -2
    return score


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` as text; return ``(text, encoding)`` or raise :class:`NotText`.

    Order: a byte-order mark, strict UTF-8, then charset-normalizer's guess
    (checked against the common Western and Central European code pages).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is None:
                raise NotText(f"the file starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}")
            return _checked(text), encoding
    wide = _utf16_without_bom(data)
    if wide:
        text = _strict(data, wide)
        if text is not None:
            return _checked(text), wide
    text = _strict(data, "utf-8")
    if text is not None:
        return _checked(text), "utf-8"
    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise NotText("this is not a text file (no text encoding fits its bytes)")
    encoding = best.encoding
    if _LATIN_PAGES.match(encoding):
        candidates = list(_LATIN_CANDIDATES) + ([encoding] if encoding not in _LATIN_CANDIDATES else [])
        decoded = [(c, t) for c in candidates if (t := _strict(data, c)) is not None]
        if not decoded:
            raise NotText("this is not a text file (no text encoding fits its bytes)")
        # Highest score (on the first megabyte) wins; max() keeps the first of
        # equals, so cp1252 wins ties.
        encoding, text = max(decoded, key=lambda d: _latin_score(d[1][:1_000_000]))
    else:
        text = _strict(data, encoding)
        if text is None:
            text = data.decode(encoding, errors="replace")
    return _checked(text), encoding


def _checked(text: str) -> str:
    if "\x00" in text or _control_share(text) > 0.01:
        raise NotText("this looks like a binary file, not text")
    return text


def _utf16_without_bom(data: bytes) -> str:
    """"utf-16-le" or "utf-16-be" when the NULs fall on every other byte, as in UTF-16 Latin text."""
    head = data[:8192]
    if len(head) < 4 or b"\x00" not in head:
        return ""
    half = len(head) // 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return ""


def looks_binary(data: bytes) -> bool:
    """Quick sniff on the first bytes: NULs (outside UTF-16/32) or many control bytes."""
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        # UTF-16 without BOM has NULs in every other byte of Latin text.
        return not _utf16_without_bom(head)
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 11, 27))
    return control > 0.05 * max(len(head), 1)


# ---------------------------------------------------------------------------
# Markdown

_MD = None


def _markdown():
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt

        _MD = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    return _MD


_TAG = re.compile(r"<[^>]+>")


def _inline_text(token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "image":
            alt = "".join(c.content for c in child.children or ())
            if alt:
                parts.append(alt)
        elif kind == "html_inline":
            if child.content.lower().startswith("<br"):
                parts.append("\n")
    return "".join(parts)


def markdown_to_text(source: str) -> tuple[str, str]:
    """Render Markdown as readable plain text; return ``(text, title)``.

    Paragraphs and headings become lines separated by a blank line, list items
    become "• item" lines (numbered lists keep their numbers), quotes keep a
    "> " prefix, code blocks are kept verbatim; link targets and emphasis
    markers are dropped. The title is the first heading (empty if none).
    """
    tokens = _markdown().parse(source)
    blocks: list[tuple[str, int]] = []  # (text, top-level list number or 0)
    list_serial = 0
    title = ""
    lists: list[list[int]] = []  # stack of [ordered?, next number]
    quote_depth = 0
    in_item = 0
    row: list[str] = []
    in_cell = False
    pending_item_prefix = ""

    def add(text: str) -> None:
        nonlocal pending_item_prefix
        text = text.strip("\n")
        if not text.strip():
            return
        indent = "  " * max(0, len(lists) - 1)
        if pending_item_prefix:
            text = pending_item_prefix + text
            pending_item_prefix = ""
        elif in_item:
            text = indent + "  " + text
        if quote_depth:
            text = "\n".join("> " * quote_depth + line for line in text.split("\n"))
        blocks.append((text, list_serial if lists else 0))

    heading_open = False
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading_open = True
        elif kind == "heading_close":
            heading_open = False
        elif kind == "inline":
            if in_cell:
                row.append(_inline_text(token).strip())
                continue
            text = _inline_text(token)
            if heading_open and not title:
                title = " ".join(text.split())
            add(text)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else 0
            if not lists:
                list_serial += 1
            lists.append([kind == "ordered_list_open", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            in_item += 1
            ordered, number = lists[-1]
            indent = "  " * (len(lists) - 1)
            if ordered:
                pending_item_prefix = f"{indent}{number}. "
                lists[-1][1] += 1
            else:
                pending_item_prefix = f"{indent}• "
        elif kind == "list_item_close":
            in_item -= 1
            pending_item_prefix = ""
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind in ("fence", "code_block"):
            add(token.content.rstrip("\n"))
        elif kind == "html_block":
            add(_TAG.sub("", token.content))
        elif kind in ("th_open", "td_open"):
            in_cell = True
        elif kind in ("th_close", "td_close"):
            in_cell = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            add("\t".join(row))
            row = []
    # Items of one list are tight lines; other blocks are separated by a blank line.
    out: list[str] = []
    previous = 0
    for text, in_list in blocks:
        if out and not (in_list and in_list == previous):
            out.append("")
        out.append(text)
        previous = in_list
    return "\n".join(out), title

