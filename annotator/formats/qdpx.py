"""REFI-QDA project export (``.qdpx``) for QualCoder, MAXQDA, ATLAS.ti and NVivo.

The zip holds ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``) and one
``sources/<GUID>.txt`` per article. What real importers need (QualCoder 4.0's
was run on hand-made projects) shapes the details: texts are UTF-8 *without* a
byte-order mark and with LF line endings (positions are code points over
exactly the bytes written); ``<Project>`` has an ``origin``; the codebook holds
``<Codes>``; code names are unique; colours are ``#RRGGBB``; every coding has a
``<CodeRef>`` to an existing code; every ``<Note>`` has a ``creationDateTime``;
sources are ``plainTextPath="internal://FILE"``. Tags are codes, annotations are
``PlainTextSelection``s with a ``Coding``, notes are descriptions (memos) and
analysts are users. A claim's verdict is a ``Note`` named "Verdict: RATING" that its
selection refers to (``NoteRef``), readable in any QDA program (see
:func:`verdict_note`). ``annotator.json`` beside the project keeps what REFI-QDA
has no place for (article metadata, exact dates and colours, values, links).

Reading: Read a REFI-QDA project (``.qdpx``) written by annotator or a QDA program.

The archive is checked (see :mod:`annotator.formats.safety`) and ``project.qde``
parsed with entities forbidden. Codes become tags (with colours), text sources
articles (``internal://`` files or inline ``PlainTextContent``; nothing outside
the archive is read), ``PlainTextSelection``s with codings annotations, their
descriptions notes and their users annotators; a Note written by
:func:`verdict_note` is the selection's verdict, not part of its note.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import zipfile
from collections.abc import Iterable
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr
from pathlib import Path
from xml.etree.ElementTree import Element

from annotator import __version__
from annotator.domain import Tag, Verdict, codebook_order
from annotator.formats.document import (
    FORMAT_VERSION, Cancelled, ExportDocument, Progress, Ticker, guid_series, hex_colour, stable_guid,
)
from annotator.formats.records import (
    ArticleRecord, ImportFormatError, ParsedFile, SpanRecord, TagRecord, verdict_field, verdict_object,
)
from annotator.formats.safety import SafeZip, load_json, parse_xml


NAMESPACE = "urn:QDA-XML:project:1.0"
SIDECAR = "annotator.json"
UNKNOWN_USER = "(unknown)"
# Characters XML 1.0 cannot carry at all, not even as references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UTC_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00")


def xml_text(value: str) -> str:
    """Escaped element text; CR is kept as a reference (parsers fold a bare CR)."""
    return escape(_NOT_XML.sub("\ufffd", value)).replace("\r", "&#13;")


def xml_attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", value), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def xsd_datetime(stamp: str) -> str:
    """``stamp`` as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC), the form every importer reads;
    an unreadable stamp becomes the current time."""
    if _UTC_STAMP.fullmatch(stamp):  # annotator's own stamps: no parsing needed
        return stamp[:19] + "Z"
    try:
        moment = _dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        moment = _dt.datetime.now(_dt.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    try:
        return moment.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OverflowError:  # 9999-12-31T23:59:59-12:00 is past the year 9999 in UTC
        return "9999-12-31T23:59:59Z"


def code_lines(tags: Iterable[Tag], guid_of, indent: int) -> list[str]:
    """``<Code>`` elements for ``tags``, sub-tags nested in their category (REFI-QDA's
    nested Codes), each with its colour and description; one line per list item."""
    lines: list[str] = []
    open_depths: list[int] = []  # depths of the <Code> elements not closed yet
    for tag, depth in codebook_order(list(tags)):
        while open_depths and open_depths[-1] >= depth:
            lines.append(" " * (indent + open_depths.pop()) + "</Code>")
        pad = " " * (indent + depth)
        lines.append(f'{pad}<Code guid="{guid_of(tag)}" name={xml_attr(tag.name)}'
                     f' isCodable="true" color="{hex_colour(tag.colour)}">')
        if tag.description:
            lines.append(f"{pad} <Description>{xml_text(tag.description)}</Description>")
        open_depths.append(depth)
    while open_depths:
        lines.append(" " * (indent + open_depths.pop()) + "</Code>")
    return lines


VERDICT_NOTE = "Verdict: "


def verdict_note(verdict: Verdict) -> str:
    """A verdict as a Note's text: "Verdict: RATING", then Reviewer, Date and one
    Evidence line per link, then "Explanation: " and the explanation (any lines)."""
    lines = [VERDICT_NOTE + " ".join(verdict.rating.split())]
    lines += [f"Reviewer: {' '.join(verdict.reviewer.split())}", f"Date: {' '.join(verdict.date.split())}"]
    lines += [f"Evidence: {url}" for url in verdict.evidence]
    return "\n".join(lines) + "\nExplanation: " + verdict.explanation


def read_verdict_note(text: str) -> Verdict | None:
    """The verdict in a Note that :func:`verdict_note` wrote, else None."""
    head, found, explanation = text.partition("\nExplanation: ")
    lines = head.split("\n")
    if not found or not lines[0].startswith(VERDICT_NOTE) or not lines[0][len(VERDICT_NOTE):].strip():
        return None
    fields: dict[str, list[str]] = {}
    for line in lines[1:]:
        key, sep, value = line.partition(": ")
        if not sep or key not in ("Reviewer", "Date", "Evidence"):
            return None
        fields.setdefault(key, []).append(value.strip())
    return Verdict(0, lines[0][len(VERDICT_NOTE):].strip(), explanation, tuple(fields.get("Evidence", ())),
                   "".join(fields.get("Reviewer", ())), "".join(fields.get("Date", ())))


def _unique(name: str, used: set[str]) -> str:
    name = " ".join(name.split()) or "Untitled"
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name} ({n})", n + 1
    used.add(candidate)
    return candidate


def write_qdpx(
    docs: Iterable[ExportDocument],
    tags: dict[int, Tag],
    out: BinaryIO,
    *,
    project_name: str = "annotator export",
    project_memo: str = "",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write the ``.qdpx`` zip to ``out``; returns the number of annotations."""
    ticker = Ticker(progress, cancelled)
    stamp = xsd_datetime(_dt.datetime.now(_dt.timezone.utc).isoformat())
    users: dict[str, str] = {}
    code_guid = {t.id: stable_guid("code", t.name.lower()) for t in tags.values()}
    sidecar: dict = {
        "format": "annotator-qdpx", "version": FORMAT_VERSION,
        "codes": {code_guid[t.id]: {"name": t.name, "colour": t.colour, "description": t.description} for t in tags.values()},
        "sources": {}, "selections": {},
    }
    source_names: set[str] = set()
    sources: list[str] = []
    notes: list[str] = []
    link_xml: list[str] = []

    def user(name: str) -> str:
        name = name or UNKNOWN_USER
        if name not in users:
            users[name] = stable_guid("user", name)
        return users[name]

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for doc in docs:
            a = doc.article
            source_guid = stable_guid("source", a.content_hash)
            # LF only; a stray CR becomes LF, which keeps every offset where it was.
            archive.writestr(f"sources/{source_guid}.txt", a.text.replace("\r", "\n").encode("utf-8"))
            described = "\n".join(
                f"{label}: {value}" for label, value in (
                    ("Title", a.title), ("Outlet", a.outlet), ("Author", a.author), ("URL", a.url),
                    ("Published", a.published), ("Status", a.status),
                ) if value
            )
            sidecar["sources"][source_guid] = {
                "title": a.title, "outlet": a.outlet, "author": a.author, "url": a.url,
                "published": a.published, "status": a.status, "content_hash": a.content_hash,
            }
            added = xsd_datetime(a.added)
            parts = [
                f"  <TextSource guid=\"{source_guid}\" name={xml_attr(_unique(a.title, source_names))}"
                f" plainTextPath=\"internal://{source_guid}.txt\" creationDateTime=\"{added}\">\n"
                f"   <Description>{xml_text(described)}</Description>\n"
            ]
            links = doc.links_from()
            selection_series = guid_series("selection", a.content_hash)
            coding_series = guid_series("coding", a.content_hash)
            note_series = guid_series("note", a.content_hash)
            verdict_series = guid_series("verdict", a.content_hash)
            link_series = guid_series("link", a.content_hash)
            selection_guid = {n.id: selection_series(n.id) for n in doc.annotations}
            for n in doc.annotations:
                guid = selection_guid[n.id]
                who = user(n.annotator)
                created, updated = xsd_datetime(n.created), xsd_datetime(n.updated or n.created)
                extra = {"id": n.id}
                if not n.annotator or _NOT_XML.search(n.annotator):
                    extra["annotator"] = n.annotator
                if _NOT_XML.search(n.note):
                    extra["note"] = n.note
                if created != n.created:
                    extra["created"] = n.created
                if updated != n.updated:
                    extra["updated"] = n.updated
                if n.value:
                    extra["value"] = n.value
                if n.origin:
                    extra["origin"] = n.origin
                if links.get(n.id):
                    extra["links"] = [[selection_guid.get(to, ""), kind] for to, kind in links[n.id]]
                verdict = doc.verdicts.get(n.id)
                if verdict is not None:
                    extra["verdict"] = verdict_object(verdict)
                sidecar["selections"][guid] = extra
                label = " ".join(n.quote.split())
                label = label if len(label) <= 60 else label[:59] + "…"
                parts.append(
                    f"   <PlainTextSelection guid=\"{guid}\" name={xml_attr(label)}"
                    f" startPosition=\"{n.start}\" endPosition=\"{n.end}\" creatingUser=\"{who}\""
                    f" creationDateTime=\"{created}\" modifyingUser=\"{who}\" modifiedDateTime=\"{updated}\">\n"
                    + (f"    <Description>{xml_text(n.note)}</Description>\n" if n.note else "")
                    + f"    <Coding guid=\"{coding_series(n.id)}\" creatingUser=\"{who}\""
                    f" creationDateTime=\"{created}\"><CodeRef targetGUID=\"{code_guid[n.tag_id]}\"/></Coding>\n"
                    + (f"    <NoteRef targetGUID=\"{note_series(n.id)}\"/>\n" if n.note else "")
                    + (f"    <NoteRef targetGUID=\"{verdict_series(n.id)}\"/>\n" if verdict is not None else "")
                    + "   </PlainTextSelection>\n"
                )
                if n.note:
                    # The note as the standard means it (a Note the selection refers to);
                    # the Description above is what QDA programs show beside a selection.
                    notes.append(
                        f"  <Note guid=\"{note_series(n.id)}\" name={xml_attr(label)} creatingUser=\"{who}\""
                        f" creationDateTime=\"{created}\"><PlainTextContent>{xml_text(n.note)}</PlainTextContent></Note>\n"
                    )
                if verdict is not None:
                    notes.append(
                        f"  <Note guid=\"{verdict_series(n.id)}\" name={xml_attr(VERDICT_NOTE + verdict.rating)}"
                        f" creatingUser=\"{user(verdict.reviewer or n.annotator)}\" creationDateTime=\"{updated}\">"
                        f"<PlainTextContent>{xml_text(verdict_note(verdict))}</PlainTextContent></Note>\n"
                    )
                for to, kind in links.get(n.id, ()):
                    if to in selection_guid:
                        link_xml.append(
                            f"  <Link guid=\"{link_series(len(link_xml))}\" name={xml_attr(kind)} direction=\"OneWay\""
                            f" originGUID=\"{guid}\" targetGUID=\"{selection_guid[to]}\" creatingUser=\"{who}\""
                            f" creationDateTime=\"{created}\"/>\n"
                        )
            if doc.memo:
                # The article's memo as the standard means it: a Note the source refers to.
                memo_guid = stable_guid("memo", a.content_hash)
                parts.append(f"   <NoteRef targetGUID=\"{memo_guid}\"/>\n")
                notes.append(
                    f"  <Note guid=\"{memo_guid}\" name={xml_attr('Memo: ' + a.title)} creatingUser=\"{user('')}\""
                    f" creationDateTime=\"{added}\"><PlainTextContent>{xml_text(doc.memo)}</PlainTextContent></Note>\n"
                )
            parts.append("  </TextSource>\n")
            sources.append("".join(parts))
            ticker.add(len(doc.annotations))
        project_user = user(UNKNOWN_USER) if not users else next(iter(users.values()))
        head = [
            '<?xml version="1.0" encoding="utf-8"?>\n',
            f"<Project xmlns=\"{NAMESPACE}\" name={xml_attr(project_name)}"
            f" origin={xml_attr(f'annotator {__version__}')} creatingUserGUID=\"{project_user}\""
            f" creationDateTime=\"{stamp}\">\n",
            " <Users>\n",
            *(f"  <User guid=\"{guid}\" name={xml_attr(name)}/>\n" for name, guid in users.items()),
            " </Users>\n",
        ]
        if tags:
            head.append(" <CodeBook>\n  <Codes>\n")
            head += [line + "\n" for line in code_lines(tags.values(), lambda t: code_guid[t.id], 3)]
            head.append("  </Codes>\n </CodeBook>\n")
        note = (
            f"Exported from annotator {__version__}: {len(sources)} articles, {ticker.count} annotations."
            " Positions are Unicode code points of the source texts."
        )
        tail = [
            " <Notes>\n",
            f"  <Note guid=\"{stable_guid('note', stamp)}\" name=\"About this export\" creatingUser=\"{project_user}\""
            f" creationDateTime=\"{stamp}\"><PlainTextContent>{xml_text(note)}</PlainTextContent></Note>\n",
            *notes,
            " </Notes>\n",
            *([" <Links>\n", *link_xml, " </Links>\n"] if link_xml else []),
            # The project memo: REFI-QDA's Description of the Project, its last element.
            *([f" <Description>{xml_text(project_memo)}</Description>\n"] if project_memo else []),
            "</Project>\n",
        ]
        body = "".join(head) + (" <Sources>\n" + "".join(sources) + " </Sources>\n" if sources else "") + "".join(tail)
        archive.writestr("project.qde", body.encode("utf-8"))
        archive.writestr(SIDECAR, json.dumps(sidecar, ensure_ascii=False).encode("utf-8"))
    ticker.check()
    return ticker.count


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

    def codes(self, element: Element, out: dict[str, tuple[str, str, str, str]], parent: str = "") -> None:
        """``{guid: (name, colour, description, parent guid)}`` of the Codes, nested ones included."""
        for code in self.children(element, "Code"):
            guid = code.get("guid", "")
            out[guid] = (code.get("name", ""), code.get("color", ""), self.text(code, "Description"), parent)
            self.codes(code, out, guid)


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
                sidecar = load_json(archive.read("annotator.json"), f"{path.name}: annotator.json")
            except ImportFormatError as error:
                parsed.errors.append(f"{error} The REFI-QDA project alone is used.")
            if not isinstance(sidecar, dict):
                sidecar = {}
        extra_codes = sidecar.get("codes") if isinstance(sidecar.get("codes"), dict) else {}
        extra_sources = sidecar.get("sources") if isinstance(sidecar.get("sources"), dict) else {}
        extra_selections = sidecar.get("selections") if isinstance(sidecar.get("selections"), dict) else {}

        parsed.project_memo = qde.text(root, "Description")
        note_texts = {
            note.get("guid", ""): qde.text(note, "PlainTextContent")
            for notes_el in qde.children(root, "Notes") for note in qde.children(notes_el, "Note")
        }
        # Links between selections (claim -> source), as any REFI-QDA program writes them.
        xml_links: dict[str, list[tuple[str, str]]] = {}
        for links_el in qde.children(root, "Links"):
            for link in qde.children(links_el, "Link"):
                origin, target = link.get("originGUID", ""), link.get("targetGUID", "")
                if origin and target:
                    xml_links.setdefault(origin, []).append((target, link.get("name", "") or "source"))
        users = {}
        for users_el in qde.children(root, "Users"):
            for u in qde.children(users_el, "User"):
                users[u.get("guid", "")] = u.get("name", "")
        codes: dict[str, tuple] = {}
        for book in qde.children(root, "CodeBook"):
            for codes_el in qde.children(book, "Codes"):
                qde.codes(codes_el, codes)
        for guid, (name, colour, description, parent) in list(codes.items()):
            extra = extra_codes.get(guid) if isinstance(extra_codes.get(guid), dict) else {}
            # Prefer the exact colour annotator had; the XML one is its #RRGGBB form.
            colour = extra.get("colour") if isinstance(extra.get("colour"), str) else colour
            name = extra.get("name") if isinstance(extra.get("name"), str) else name
            description = extra.get("description") if isinstance(extra.get("description"), str) else description
            codes[guid] = (name, colour, description)
            # Parents come before their children, so the parent's name is final here.
            parsed.tags.append(TagRecord(
                name, colour, description, f"{path.name}: code “{name}”", codes[parent][0] if parent else "",
            ))

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
                    memo="\n\n".join(
                        note_texts[ref.get("targetGUID", "")] for ref in qde.children(source, "NoteRef")
                        if ref.get("targetGUID", "") in note_texts
                    ),
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
                    refs = [ref.get("targetGUID", "") for ref in qde.children(sel, "NoteRef")]
                    verdicts = [v for r in refs if r in note_texts and (v := read_verdict_note(note_texts[r]))]
                    note = "\n\n".join(
                        note_texts[r] for r in refs if r in note_texts and not read_verdict_note(note_texts[r])
                    ) or qde.text(sel, "Description")
                    try:
                        verdict = verdict_field(extra.get("verdict"), at) or (verdicts[0] if verdicts else None)
                    except ImportFormatError as error:
                        parsed.errors.append(f"{error} The verdict in the project's Note is used.")
                        verdict = verdicts[0] if verdicts else None
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
                        ] if "links" in extra else xml_links.get(guid, [])
                        record.spans.append(SpanRecord(
                            where=at, start=start, end=end,
                            quote=text[start:end] if 0 <= start < end <= len(text) else "",
                            tag=codes[target][0], annotator=annotator,
                            note=extra["note"] if isinstance(extra.get("note"), str) else note,
                            created=str(extra.get("created") or sel.get("creationDateTime", "")),
                            updated=str(extra.get("updated") or sel.get("modifiedDateTime", "")),
                            value=str(extra.get("value") or ""), origin=str(extra.get("origin") or ""),
                            ref=guid if k == 0 else "", links=links if k == 0 else [],
                            verdict=verdict if k == 0 else None,
                        ))
                parsed.articles.append(record)
    return parsed
