"""A tiny writer of text PDFs for tests: one Helvetica text line per entry."""

from __future__ import annotations


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(
    pages: list[list[str]],
    *,
    title: str = "",
    author: str = "",
    image_only: bool = False,
    right_columns: list[list[str]] | None = None,
) -> bytes:
    """A PDF whose page ``i`` shows ``pages[i]`` as lines from the top down.

    An empty string leaves a blank line (a paragraph break). With
    ``right_columns`` page ``i`` has a second column holding
    ``right_columns[i]``. With ``image_only`` the pages only hold a filled
    rectangle: no text layer.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for number, lines in enumerate(pages):
        if image_only:
            stream = b"0.5 g 72 72 400 600 re f"
        else:
            columns = [(72, lines)]
            if right_columns is not None:
                columns.append((320, right_columns[number]))
            parts = []
            for x, column in columns:
                parts.append(b"BT /F1 11 Tf 14 TL %d 760 Td" % x)
                for line in column:
                    parts.append(b"(" + _escape(line) + b") Tj T*")
                parts.append(b"ET")
            stream = b"\n".join(parts)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page = add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)
        )
        kids.append(page)
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    info = None
    if title or author:
        info = add(b"<< /Title (" + _escape(title) + b") /Author (" + _escape(author) + b") >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
