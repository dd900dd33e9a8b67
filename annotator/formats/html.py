"""A self-contained HTML report: metadata, the text with coloured highlights, a
legend and a table of annotations with notes.

Everything from the database is escaped; the page loads nothing (a
Content-Security-Policy forbids it) and runs no script. Overlapping annotations
take the innermost annotation's colour (every colour drawn is in the legend), are underlined, and each annotation starts with its number
from the table, so overlaps stay readable in print, where the print styles keep
the colours and avoid splitting table rows. Paragraphs and table cells take
their direction from their first strongly directional character, so
right-to-left text reads correctly. Qt's rich text engine renders the same HTML for "Print / Save as PDF".
"""

from __future__ import annotations

import datetime as _dt
import functools
import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TextIO

from annotator import __version__
from annotator.domain import Tag
from annotator.formats.document import Cancelled, ExportDocument, Progress, Ticker, hex_colour

Sink = Callable[[str, bytes], None]
_NEWLINE = re.compile("\n")

STYLE = """
body { font-family: "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #1a1a1a;
       max-width: 50em; margin: 2em auto; padding: 0 1em; line-height: 1.55; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 2.5em; border-bottom: 1px solid #ccc; }
.meta { color: #555; margin: 0.2em 0 1em; }
.text p { margin: 0 0 0.6em; white-space: pre-wrap; }
.hl { border-radius: 2px; padding: 0 1px; }
.overlap { text-decoration: underline; text-decoration-thickness: 2px; }
sup.ref { font-size: 0.7em; color: #333; font-weight: bold; }
sup.ref a { color: inherit; text-decoration: none; }
span.swatch { border: 1px solid #777; }
.legend { margin: 1em 0; }
.legend span.item { white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: 1em 0 2em; font-size: 0.92em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.45em; vertical-align: top; text-align: start; }
th { background: #f0f0f0; }
td.note { white-space: pre-wrap; }
.empty { color: #777; font-style: italic; }
footer { color: #777; font-size: 0.85em; margin-top: 3em; }
@media print {
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  .hl, th, span.swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2.article { break-before: page; }
  h2.article.first { break-before: auto; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _rgb(colour: str) -> tuple[int, int, int]:
    h = hex_colour(colour)
    return int(h[1:3], 16), int(h[3:5], 16), int(h[5:7], 16)


@functools.lru_cache(maxsize=4096)
def _tint(colours: tuple[str, ...]) -> str:
    """A light background for one tag's colour, or the blend of several (overlaps)."""
    strength = 0.38 if len(colours) == 1 else 0.5
    mixed = [0.0, 0.0, 0.0]
    for colour in colours:
        for i, c in enumerate(_rgb(colour)):
            mixed[i] += 255 - (255 - c) * strength
    return "#" + "".join(f"{round(v / len(colours)):02x}" for v in mixed)


def _dir(text: str) -> str:
    """``rtl`` or ``ltr`` from the first strongly directional character (as HTML's
    ``dir="auto"`` decides; written out because Qt's rich text ignores "auto")."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


SWATCH = '<span class="swatch" style="background-color: {}">&nbsp;&nbsp;&nbsp;</span>&nbsp;'


def _safe_href(url: str) -> str | None:
    return url if url.lower().startswith(("http://", "https://")) else None


def _highlighted(doc: ExportDocument, tags: dict[int, Tag], anchor: str) -> str:
    """The article text as paragraphs, with a highlight per stretch of covered text."""
    text = doc.article.text
    numbers = {n.id: k for k, n in enumerate(doc.annotations, 1)}
    starts: dict[int, list] = {}
    ends: dict[int, list] = {}
    for n in doc.annotations:
        starts.setdefault(n.start, []).append(n)
        ends.setdefault(n.end, []).append(n)
    breaks = [m.start() for m in _NEWLINE.finditer(text)]
    bounds = sorted({0, len(text), *starts, *ends, *breaks, *(i + 1 for i in breaks)})
    active: dict[int, object] = {}
    out = ['<div class="text">', f'<p dir="{_dir(text)}">']
    for a, b in zip(bounds, bounds[1:]):
        for n in ends.get(a, ()):
            active.pop(n.id, None)
        links = []
        for n in starts.get(a, ()):
            active[n.id] = n
            k = numbers[n.id]
            links.append(f'<a id="{anchor}-m{k}" href="#{anchor}-a{k}">{k}</a>')
        markers = f'<sup class="ref">{",".join(links)}</sup>' if links else ""
        piece = text[a:b]
        if piece == "\n":
            line_end = text.find("\n", b)
            out.append(markers + f'</p>\n<p dir="{_dir(text[b:line_end if line_end != -1 else len(text)])}">')
            continue
        if not active:
            out.append(markers + _e(piece))
            continue
        covering = sorted(active.values(), key=lambda n: (n.start, -n.end, n.id))
        # The innermost annotation's colour, exactly as the legend draws it (a blend of
        # two tags' colours would be a colour the legend does not explain); the
        # underline and the numbers show the overlap.
        colours = (tags[covering[-1].tag_id].colour,)
        title = "; ".join(f"{numbers[n.id]}: {tags[n.tag_id].name}" for n in covering)
        cls = "hl overlap" if len(covering) > 1 else "hl"
        out.append(
            f'{markers}<span class="{cls}" style="background-color: {_tint(colours)}" title="{_e(title)}">'
            f"{_e(piece)}</span>"
        )
    out.append("</p>\n</div>")
    return "".join(out)


def _verdict_html(verdict) -> str:
    """A claim's verdict under its note: rating, reviewer and date, explanation, evidence links."""
    if verdict is None:
        return ""
    links = ", ".join(
        f'<a href="{_e(href)}">{_e(url)}</a>' if (href := _safe_href(url)) else _e(url) for url in verdict.evidence
    )
    return (
        f'<div class="verdict"><b>Verdict: {_e(verdict.rating)}</b> ({_e(verdict.reviewer or "unknown")},'
        f" {_e(verdict.date)}){': ' + _e(verdict.explanation) if verdict.explanation else ''}"
        f"{'<br>Evidence: ' + links if links else ''}</div>"
    )


def _article_section(doc: ExportDocument, tags: dict[int, Tag], first: bool, heading: str = "h2") -> str:
    a = doc.article
    anchor = f"article-{a.id}"
    meta = [part for part in (a.outlet, a.author, a.published) if part]
    url = _safe_href(a.url)
    parts = [
        f'<section id="{anchor}">',
        f'<{heading} class="article{" first" if first else ""}" dir="{_dir(a.title)}">{_e(a.title)}</{heading}>',
    ]
    if meta:
        parts.append(f'<p class="meta" dir="{_dir(meta[0])}">{" · ".join(_e(m) for m in meta)}</p>')
    if a.url:
        link = f'<a href="{_e(url)}">{_e(a.url)}</a>' if url else _e(a.url)
        parts.append(f'<p class="meta">Source: {link}</p>')
    counts: dict[int, int] = {}
    for n in doc.annotations:
        counts[n.tag_id] = counts.get(n.tag_id, 0) + 1
    if counts:
        items = " &nbsp; &nbsp; ".join(
            f'<span class="item">{SWATCH.format(_tint((tags[t].colour,)))}{_e(tags[t].name)} ({c})</span>'
            for t, c in counts.items()
        )
        parts.append(f'<p class="legend">{items}</p>')
    parts.append(_highlighted(doc, tags, anchor))
    if doc.annotations:
        rows = []
        numbers = {n.id: k for k, n in enumerate(doc.annotations, 1)}
        quotes = {n.id: n.quote for n in doc.annotations}
        said_by = doc.said_by()
        for k, n in enumerate(doc.annotations, 1):
            tag = tags[n.tag_id]
            said = ""
            if (target := said_by.get(n.id)) in numbers:
                said = (
                    f'<div class="said">Said by <a href="#{anchor}-a{numbers[target]}">{numbers[target]}</a>:'
                    f" {_e(quotes[target])}</div>"
                )
            rows.append(
                f'<tr id="{anchor}-a{k}"><td><a href="#{anchor}-m{k}">{k}</a></td>'
                f"<td>{SWATCH.format(_tint((tag.colour,)))}{_e(tag.name)}</td>"
                f'<td dir="{_dir(n.quote)}">{_e(n.quote)}</td><td class="note" dir="{_dir(n.note)}">{_e(n.note)}'
                f"{said}{_verdict_html(doc.verdicts.get(n.id))}</td>"
                f"<td>{_e(n.annotator)}</td><td>{_e(n.created[:16].replace('T', ' '))}</td></tr>"
            )
        parts.append(
            '<table border="1" cellspacing="0" cellpadding="4"><thead><tr><th>#</th><th>Tag</th><th>Quote</th>'
            "<th>Note</th><th>Annotator</th><th>Created</th></tr></thead><tbody>"
            + "\n".join(rows) + "</tbody></table>"
        )
    else:
        parts.append('<p class="empty">No annotations.</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _page(title: str, body: str) -> str:
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n"
        f"<footer>Report written by annotator {_e(__version__)} on {stamp}.</footer>\n</body>\n</html>\n"
    )


def write_html_report(
    docs: Iterable[ExportDocument],
    tags: dict[int, Tag],
    out: TextIO,
    *,
    title: str = "Annotation report",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """One page for all ``docs``; returns the number of annotations."""
    ticker = Ticker(progress, cancelled)
    sections, contents = [], []
    for doc in docs:
        sections.append(_article_section(doc, tags, first=not sections))
        contents.append(
            f'<li><a href="#article-{doc.article.id}" dir="{_dir(doc.article.title)}">{_e(doc.article.title)}</a>'
            f" ({len(doc.annotations)})</li>"
        )
        ticker.add(len(doc.annotations))
    head = f"<h1>{_e(title)}</h1>\n"
    if len(sections) > 1:
        head += f"<ol class=\"contents\">{''.join(contents)}</ol>\n"
    out.write(_page(title, head + "\n".join(sections)))
    ticker.check()
    return ticker.count


def article_html(doc: ExportDocument, tags: dict[int, Tag]) -> str:
    """A report page for one article (used by the window's print / PDF)."""
    return _page(doc.article.title, _article_section(doc, tags, first=True, heading="h1"))


def write_html_pages(
    docs: Iterable[ExportDocument],
    tags: dict[int, Tag],
    put: Sink,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """One page per article (``article-ID.html``) and an ``index.html`` linking them."""
    ticker = Ticker(progress, cancelled)
    items = []
    for doc in docs:
        name = f"article-{doc.article.id}.html"
        put(name, article_html(doc, tags).encode("utf-8"))
        items.append(f'<li><a href="{name}" dir="{_dir(doc.article.title)}">{_e(doc.article.title)}</a> ({len(doc.annotations)})</li>')
        ticker.add(len(doc.annotations))
    put("index.html", _page("Annotation report", f"<h1>Annotation report</h1>\n<ol>{''.join(items)}</ol>").encode("utf-8"))
    ticker.check()
    return ticker.count
