"""Read a REFI-QDA project (``.qdpx``) written by annotator or a QDA program.

The archive is checked (see :mod:`annotator.exchange.safety`) and ``project.qde``
parsed with entities forbidden. Codes become tags (with colours), text sources
articles (``internal://`` files or inline ``PlainTextContent``; nothing outside
the archive is read), ``PlainTextSelection``s with codings annotations, their
descriptions notes and their users annotators.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree.ElementTree import Element

from annotator.exchange.records import ArticleRecord, ImportFormatError, ParsedFile, SpanRecord, TagRecord
from annotator.exchange.safety import SafeZip, parse_xml

PROJECT = "project.qde"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _Names:
    """Element lookups in the project's namespace (the standard one, or none)."""

    def __init__(self, root: Element):
        self.ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""

    def children(self, element: Element, name: str) -> list[Element]:
        return element.findall(self.ns + name)

    def text(self, element: Element, name: str) -> str:
        found = element.find(self.ns + name)
        return (found.text or "") if found is not None else ""

    def codes(self, element: Element, out: dict[str, tuple[str, str, str]]) -> None:
        for code in self.children(element, "Code"):
            out[code.get("guid", "")] = (code.get("name", ""), code.get("color", ""), self.text(code, "Description"))
            self.codes(code, out)


def _position(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def read_qdpx(path: Path) -> ParsedFile:
    parsed = ParsedFile(path, "qdpx")
    with SafeZip(path) as archive:
        names = archive.names()
        if PROJECT not in names:
            raise ImportFormatError(f"{path.name} is not a REFI-QDA project: it has no {PROJECT}.")
        root = parse_xml(archive.read(PROJECT), f"{path.name}: {PROJECT}")
        if _local(root.tag) != "Project":
            raise ImportFormatError(f"{path.name}: {PROJECT} does not start with a <Project> element.")
        qde = _Names(root)
        sidecar: dict = {}
        if "annotator.json" in names:
            try:
                sidecar = json.loads(archive.read("annotator.json").decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                parsed.errors.append(f"{path.name}: annotator.json is unreadable; the REFI-QDA project alone is used.")
            if not isinstance(sidecar, dict):
                sidecar = {}
        extra_codes = sidecar.get("codes") if isinstance(sidecar.get("codes"), dict) else {}
        extra_sources = sidecar.get("sources") if isinstance(sidecar.get("sources"), dict) else {}
        extra_selections = sidecar.get("selections") if isinstance(sidecar.get("selections"), dict) else {}

        users = {}
        for users_el in qde.children(root, "Users"):
            for u in qde.children(users_el, "User"):
                users[u.get("guid", "")] = u.get("name", "")
        codes: dict[str, tuple[str, str, str]] = {}
        for book in qde.children(root, "CodeBook"):
            for codes_el in qde.children(book, "Codes"):
                qde.codes(codes_el, codes)
        for guid, (name, colour, description) in list(codes.items()):
            extra = extra_codes.get(guid) if isinstance(extra_codes.get(guid), dict) else {}
            # Prefer the exact colour annotator had; the XML one is its #RRGGBB form.
            colour = extra.get("colour") if isinstance(extra.get("colour"), str) else colour
            name = extra.get("name") if isinstance(extra.get("name"), str) else name
            description = extra.get("description") if isinstance(extra.get("description"), str) else description
            codes[guid] = (name, colour, description)
            parsed.tags.append(TagRecord(name, colour, description, f"{path.name}: code “{name}”"))

        for sources_el in qde.children(root, "Sources"):
            for i, source in enumerate(qde.children(sources_el, "TextSource"), 1):
                name = source.get("name", "") or f"source {i}"
                where = f"{path.name}: source “{name}”"
                text_path = source.get("plainTextPath", "")
                if text_path.startswith("internal://"):
                    member = "sources/" + text_path[len("internal://"):]
                    if member not in names:
                        parsed.errors.append(f"{where}: its text {member} is missing from the archive.")
                        continue
                    try:
                        text = archive.read(member).decode("utf-8-sig")
                    except UnicodeDecodeError as error:
                        parsed.errors.append(f"{where}: its text is not UTF-8 (byte {error.start}).")
                        continue
                elif qde.children(source, "PlainTextContent"):
                    text = qde.text(source, "PlainTextContent")
                elif text_path:
                    parsed.errors.append(
                        f"{where}: its text is outside the archive ({text_path}); annotator reads only what the"
                        " archive holds."
                    )
                    continue
                else:
                    parsed.errors.append(f"{where}: it has no text.")
                    continue
                meta = extra_sources.get(source.get("guid", ""))
                meta = meta if isinstance(meta, dict) else {}

                def field(key: str, meta: dict = meta) -> str:
                    value = meta.get(key, "")
                    return value if isinstance(value, str) else ""

                record = ArticleRecord(
                    where=where, text=text, title=field("title") or name, outlet=field("outlet"),
                    author=field("author"), url=field("url"), published=field("published"), status=field("status"),
                )
                for j, sel in enumerate(qde.children(source, "PlainTextSelection"), 1):
                    at = f"{where}, selection {j}"
                    start, end = _position(sel.get("startPosition")), _position(sel.get("endPosition"))
                    if start is None or end is None:
                        parsed.errors.append(f"{at}: startPosition and endPosition must be whole numbers.")
                        continue
                    guid = sel.get("guid", "")
                    extra = extra_selections.get(guid) if isinstance(extra_selections.get(guid), dict) else {}
                    codings = [
                        ref.get("targetGUID", "")
                        for coding in qde.children(sel, "Coding") for ref in qde.children(coding, "CodeRef")
                    ]
                    if not codings:
                        parsed.errors.append(f"{at}: the selection has no coding, so no tag; it is not imported.")
                        continue
                    annotator = extra.get("annotator") if isinstance(extra.get("annotator"), str) else users.get(
                        sel.get("creatingUser", ""), ""
                    )
                    for k, target in enumerate(codings):
                        if target not in codes:
                            parsed.errors.append(f"{at}: its coding refers to code {target}, which the codebook lacks.")
                            continue
                        links = [
                            (str(link[0]), str(link[1])) for link in extra.get("links") or []
                            if isinstance(link, list) and len(link) == 2
                        ]
                        record.spans.append(SpanRecord(
                            where=at, start=start, end=end,
                            quote=text[start:end] if 0 <= start < end <= len(text) else "",
                            tag=codes[target][0], annotator=annotator,
                            note=extra["note"] if isinstance(extra.get("note"), str) else qde.text(sel, "Description"),
                            created=str(extra.get("created") or sel.get("creationDateTime", "")),
                            updated=str(extra.get("updated") or sel.get("modifiedDateTime", "")),
                            value=str(extra.get("value") or ""), origin=str(extra.get("origin") or ""),
                            ref=guid if k == 0 else "", links=links if k == 0 else [],
                        ))
                parsed.articles.append(record)
    return parsed
