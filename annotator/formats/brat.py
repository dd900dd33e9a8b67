"""brat standoff export: a ``.txt`` and ``.ann`` pair per article.

brat offsets are code points of the ``.txt`` (ours exactly). A span that crosses
a line break is written as brat's discontinuous fragments, one per line. Tag
names become brat types (ASCII letters, digits, ``_`` and ``-``); the original
names and colours are in ``visual.conf`` (labels and ``bgColor``) and, with the
exact notes, annotators and dates that brat cannot hold, in a ``.json`` file
beside each pair, which brat ignores and annotator's import reads. Notes are
``AnnotatorNotes``; links between annotations are relations; a claim's verdict is
the attribute ``Verdict`` (``A`` line; the rating made a brat value, ``mostly_true``),
declared in ``annotation.conf`` with the desk's ratings, its explanation, evidence,
reviewer and date in the ``.json``.

Reading: Read brat standoff annotations: a folder, a zip, or one ``.ann``/``.txt`` pair.

The ``.txt`` gives the text (offsets are its code points), the ``.ann`` the spans
(``T`` lines), notes (``#`` AnnotatorNotes), links (``R`` relations) and verdicts
(``A`` lines of the attribute ``Verdict``; without the ``.json``, the rating is the
value with ``_`` read as a space). The
``.json`` that annotator writes beside each pair restores tag names, colours,
exact notes, annotators and dates; without it, brat types are the tag names and
``visual.conf`` gives the colours.
"""

from __future__ import annotations

import json
import re
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.domain import Annotation, Tag, Verdict
from annotator.formats.document import FORMAT_VERSION, Cancelled, ExportDocument, Progress, Ticker, hex_colour
from annotator.formats.records import (
    ArticleRecord, ImportFormatError, ParsedFile, SpanRecord, TagRecord, verdict_field, verdict_object,
)
from annotator.formats.safety import SafeZip, load_json, read_bytes


FORMAT_NAME = "annotator-brat"
VERDICT_ATTRIBUTE = "Verdict"
Sink = Callable[[str, bytes], None]
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def brat_name(name: str, used: set[str]) -> str:
    """``name`` as a brat type: ASCII-safe, starting with a letter, not in ``used``
    (compared ignoring case); the result is added to ``used``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = _UNSAFE.sub("_", ascii_name).strip("_-") or "tag"
    if not base[0].isalpha():
        base = "T_" + base
    candidate, n = base, 2
    while candidate.lower() in used:
        candidate, n = f"{base}_{n}", n + 1
    used.add(candidate.lower())
    return candidate


def brat_names(names: Iterable[str]) -> dict[str, str]:
    """A distinct brat type for each name."""
    used: set[str] = set()
    return {name: brat_name(name, used) for name in names}


def one_line(text: str) -> str:
    return " ".join(text.split())


def fragments(text: str, n: Annotation) -> list[tuple[int, int]]:
    """``start:end`` cut at line breaks into the non-empty pieces brat can show
    (line breaks at either end are left out; the .json companion keeps the exact span)."""
    pieces, pos = [], n.start
    for line in n.quote.split("\n"):
        if line:
            pieces.append((pos, pos + len(line)))
        pos += len(line) + 1
    return pieces or [(n.start, n.end)]


def _confs(tags: dict[int, Tag], types: dict[str, str], kinds: dict[str, str],
           ratings: dict[str, str]) -> tuple[str, str]:
    annotation = ["# Written by annotator. Types are tag names made safe for brat; see visual.conf.", "[entities]"]
    annotation += [types[t.name] for t in tags.values()]
    # Without this rule brat's server flags every nested or crossing annotation as an error.
    annotation += ["", "[relations]", "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"]
    annotation += [f"{k}\tArg1:<ENTITY>, Arg2:<ENTITY>" for k in kinds.values()]
    annotation += ["", "[events]", "", "[attributes]"]
    if ratings:
        annotation += [f"{VERDICT_ATTRIBUTE}\tArg:<ENTITY>, Value:{'|'.join(ratings.values())}"]
    annotation += [""]
    visual = ["[labels]"]
    visual += [f"{types[t.name]} | {one_line(t.name).replace('|', '/')}" for t in tags.values()]
    visual += ["", "[drawing]"]
    visual += [f"{types[t.name]}\tbgColor:{hex_colour(t.colour)}" for t in tags.values()]
    return "\n".join(annotation) + "\n", "\n".join(visual) + "\n"


def write_brat(
    docs: Iterable[ExportDocument],
    tags: dict[int, Tag],
    put: Sink,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write ``annotation.conf``, ``visual.conf`` and per article ``article-ID.txt``,
    ``.ann`` and ``.json`` through ``put(name, bytes)``; returns the number of annotations."""
    ticker = Ticker(progress, cancelled)
    types = brat_names(t.name for t in tags.values())
    kinds: dict[str, str] = {}
    used_kinds: set[str] = set()
    ratings: dict[str, str] = {}  # rating: its brat value
    used_ratings: set[str] = set()
    for doc in docs:
        a = doc.article
        for rating in (*doc.scale, *(v.rating for v in doc.verdicts.values())):
            if rating not in ratings:
                ratings[rating] = brat_name(rating, used_ratings)
        base = f"article-{a.id}"
        t_ids = {n.id: f"T{k}" for k, n in enumerate(doc.annotations, 1)}
        lines, spans, relations = [], {}, {}
        attributes = 0
        for k, n in enumerate(doc.annotations, 1):
            tag = tags[n.tag_id]
            frags = fragments(a.text, n)
            lines.append(
                f"T{k}\t{types[tag.name]} {';'.join(f'{s} {e}' for s, e in frags)}\t"
                + " ".join(a.text[s:e] for s, e in frags).replace("\n", " ")
            )
            if n.note:
                lines.append(f"#{k}\tAnnotatorNotes T{k}\t{one_line(n.note)}")
            spans[f"T{k}"] = {
                "id": n.id, "start": n.start, "end": n.end, "label": tag.name, "note": n.note, "annotator": n.annotator,
                "created": n.created, "updated": n.updated, "value": n.value, "origin": n.origin,
            }
            verdict = doc.verdicts.get(n.id)
            if verdict is not None:
                attributes += 1
                lines.append(f"A{attributes}\t{VERDICT_ATTRIBUTE} T{k} {ratings[verdict.rating]}")
                spans[f"T{k}"]["verdict"] = verdict_object(verdict) | {"brat_value": ratings[verdict.rating]}
        r = 0
        for source, target, kind in doc.links:
            if source in t_ids and target in t_ids:
                r += 1
                if kind not in kinds:
                    kinds[kind] = brat_name(kind, used_kinds)
                lines.append(f"R{r}\t{kinds[kind]} Arg1:{t_ids[source]} Arg2:{t_ids[target]}")
                relations[f"R{r}"] = kind
        used = {tags[n.tag_id].name: tags[n.tag_id] for n in doc.annotations}
        meta = {
            "format": FORMAT_NAME, "version": FORMAT_VERSION,
            "article": {
                "id": a.id, "title": a.title, "outlet": a.outlet, "author": a.author, "url": a.url,
                "published": a.published, "status": a.status, "content_hash": a.content_hash,
            },
            "tags": {
                types[name]: {"name": t.name, "colour": t.colour, "description": t.description}
                for name, t in used.items()
            },
            "spans": spans,
            "relations": relations,
        }
        put(f"{base}.txt", a.text.encode("utf-8"))
        put(f"{base}.ann", ("\n".join(lines) + "\n" if lines else "").encode("utf-8"))
        put(f"{base}.json", json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
        ticker.add(len(doc.annotations))
    annotation_conf, visual_conf = _confs(tags, types, kinds, ratings)
    put("annotation.conf", annotation_conf.encode("utf-8"))
    put("visual.conf", visual_conf.encode("utf-8"))
    ticker.check()
    return ticker.count


_FRAGMENT = re.compile(r"(\d+) (\d+)")
_BG = re.compile(r"bgColor:(#[0-9A-Fa-f]{3,8})")


class _Folder:
    def __init__(self, root: Path, only: list[str] | None = None):
        self.root = root
        if only is None:
            self._names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        else:
            self._names = [n for n in only if (root / n).is_file()]

    def names(self) -> list[str]:
        return self._names

    def read(self, name: str) -> bytes:
        return read_bytes(self.root / name)


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportFormatError(f"{where} is not UTF-8 text (byte {error.start}).") from error


def _colours(files, folder: str) -> dict[str, str]:
    """brat type -> colour from visual.conf (the pair's folder or the root)."""
    for name in (posixpath.join(folder, "visual.conf"), "visual.conf"):
        if name in files.names():
            colours = {}
            section = ""
            for line in _decode(files.read(name), name).splitlines():
                line = line.strip()
                if line.startswith("["):
                    section = line
                elif section == "[drawing]" and line and not line.startswith("#"):
                    m = _BG.search(line)
                    if m:
                        colours[line.split()[0]] = m.group(1)
            return colours
    return {}


def _read_pair(files, ann_name: str, shown: str, parsed: ParsedFile) -> None:
    stem = ann_name[:-4]
    where = f"{shown}: {ann_name}" if shown != ann_name else ann_name
    txt_name = stem + ".txt"
    if txt_name not in files.names():
        parsed.errors.append(f"{where}: the text file {posixpath.basename(txt_name)} is missing beside it.")
        return
    text = _decode(files.read(txt_name), txt_name)
    meta: dict = {}
    if stem + ".json" in files.names():
        try:
            meta = load_json(files.read(stem + ".json"), f"{where}: its .json companion")
        except ImportFormatError as error:
            parsed.errors.append(f"{error} annotator uses the brat data alone.")
        if not isinstance(meta, dict):
            meta = {}
    info = meta.get("article") if isinstance(meta.get("article"), dict) else {}
    known_tags = meta.get("tags") if isinstance(meta.get("tags"), dict) else {}
    known_spans = meta.get("spans") if isinstance(meta.get("spans"), dict) else {}
    relations = meta.get("relations") if isinstance(meta.get("relations"), dict) else {}
    colours = _colours(files, posixpath.dirname(ann_name))

    def field(key: str) -> str:
        value = info.get(key, "")
        return value if isinstance(value, str) else ""

    record = ArticleRecord(
        where=where, text=text, title=field("title") or posixpath.basename(stem), outlet=field("outlet"),
        author=field("author"), url=field("url"), published=field("published"), status=field("status"),
    )
    spans: dict[str, SpanRecord] = {}
    notes: dict[str, str] = {}
    verdicts: dict[str, str] = {}  # span id: the Verdict attribute's value
    links: list[tuple[str, str, str, int]] = []
    skipped = 0
    for lineno, line in enumerate(_decode(files.read(ann_name), ann_name).split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        at = f"{where} line {lineno}"
        parts = line.split("\t")
        ident = parts[0]
        if ident.startswith("T"):
            if len(parts) < 3:
                parsed.errors.append(f"{at}: a text-bound annotation needs an id, “Type start end” and the text.")
                continue
            head = parts[1].split(" ", 1)
            if len(head) != 2:
                parsed.errors.append(f"{at}: “{parts[1]}” should be “Type start end”.")
                continue
            frags = []
            for frag in head[1].split(";"):
                m = _FRAGMENT.fullmatch(frag.strip())
                if not m:
                    frags = []
                    break
                frags.append((int(m.group(1)), int(m.group(2))))
            if not frags:
                parsed.errors.append(f"{at}: offsets “{head[1]}” are not “start end[;start end...]”.")
                continue
            written = "\t".join(parts[2:])
            start, end = frags[0][0], frags[-1][1]
            pieces = " ".join(text[s:e] for s, e in frags).replace("\n", " ")
            extra = known_spans.get(ident) if isinstance(known_spans.get(ident), dict) else {}
            # brat's text field joins the fragments with spaces: check it against the .txt,
            # then take the whole stretch from the first fragment to the last (widened by
            # the line breaks brat cannot show, which annotator's companion remembers).
            if pieces == written and start < end <= len(text):
                exact_start, exact_end = extra.get("start"), extra.get("end")
                if (
                    isinstance(exact_start, int) and isinstance(exact_end, int)
                    and 0 <= exact_start <= start < end <= exact_end <= len(text)
                    and not text[exact_start:start].strip() and not text[end:exact_end].strip()
                ):
                    start, end = exact_start, exact_end
                quote = text[start:end]
            else:
                quote = written
            type_info = known_tags.get(head[0]) if isinstance(known_tags.get(head[0]), dict) else {}
            spans[ident] = SpanRecord(
                where=f"{at} ({ident})", start=start, end=end, quote=quote,
                tag=type_info.get("name") or head[0],
                annotator=str(extra.get("annotator") or ""), created=str(extra.get("created") or ""),
                updated=str(extra.get("updated") or ""), value=str(extra.get("value") or ""),
                origin=str(extra.get("origin") or ""), ref=ident,
            )
            spans[ident].note = str(extra.get("note") or "")
        elif ident.startswith("#"):
            head = parts[1].split(" ") if len(parts) > 1 else []
            if len(head) == 2 and head[0] == "AnnotatorNotes":
                notes[head[1]] = "\t".join(parts[2:])
        elif ident.startswith("A") and len(parts) > 1 and parts[1].split(" ")[0] == VERDICT_ATTRIBUTE:
            head = parts[1].split(" ")
            if len(head) == 3:
                verdicts[head[1]] = head[2]
            else:
                parsed.errors.append(f"{at}: the verdict “{line}” is not “{VERDICT_ATTRIBUTE} T1 rating”.")
        elif ident.startswith("R"):
            head = parts[1].split(" ") if len(parts) > 1 else []
            if len(head) == 3 and head[1].startswith("Arg1:") and head[2].startswith("Arg2:"):
                links.append((head[1][5:], head[2][5:], relations.get(ident) or head[0], lineno))
            else:
                parsed.errors.append(f"{at}: relation “{line}” is not “Kind Arg1:T1 Arg2:T2”.")
        else:
            skipped += 1
    if skipped:
        parsed.errors.append(
            f"{where}: {skipped} lines of kinds annotator does not keep (events, attributes other than"
            f" {VERDICT_ATTRIBUTE}, normalisations)"
            " are not imported."
        )
    for ident, note in notes.items():
        span = spans.get(ident)
        if span is None:
            parsed.errors.append(f"{where}: a note refers to {ident}, which the file does not define.")
        elif " ".join(span.note.split()) != " ".join(note.split()):
            span.note = note  # edited in brat since annotator wrote the exact note
    for ident, span in spans.items():
        if ident not in notes:
            span.note = ""  # removed in brat
    for ident, value in verdicts.items():
        if ident not in spans:
            parsed.errors.append(f"{where}: a verdict refers to {ident}, which the file does not define.")
            continue
        extra = known_spans.get(ident) if isinstance(known_spans.get(ident), dict) else {}
        try:
            exact = verdict_field(extra.get("verdict"), f"{where}: its .json companion, {ident}")
        except ImportFormatError as error:
            parsed.errors.append(f"{error} The rating in the .ann file is used.")
            exact = None
        # The .json's exact verdict, unless the rating was changed in brat since.
        if exact is not None and extra["verdict"].get("brat_value") == value:
            spans[ident].verdict = exact
        else:
            spans[ident].verdict = Verdict(0, value.replace("_", " "))
    for source, target, kind, lineno in links:
        if source in spans:
            spans[source].links.append((target, kind))
        else:
            parsed.errors.append(f"{where} line {lineno}: the relation starts at {source}, which the file does not define.")
    for type_name, info in known_tags.items():
        if isinstance(info, dict) and isinstance(info.get("name"), str):
            parsed.tags.append(TagRecord(info["name"], str(info.get("colour") or ""), str(info.get("description") or ""), where))
    used_types = {span.tag for span in spans.values()}
    for type_name, colour in colours.items():
        if type_name not in known_tags and type_name in used_types:
            parsed.tags.append(TagRecord(type_name, colour, "", where))
    record.spans = list(spans.values())
    parsed.articles.append(record)


def read_brat(path: Path) -> ParsedFile:
    parsed = ParsedFile(path, "brat")
    if path.is_dir():
        files = _Folder(path)
        shown = path.name
    elif path.suffix.lower() == ".zip":
        files = SafeZip(path)
        shown = path.name
    else:
        stem = path.with_suffix("")
        files = _Folder(path.parent, [f"{stem.name}{s}" for s in (".ann", ".txt", ".json")] + ["visual.conf"])
        if f"{stem.name}.ann" not in files.names():
            raise ImportFormatError(f"{path.name}: the brat annotation file {stem.name}.ann is missing beside it.")
        shown = f"{stem.name}.ann"
    try:
        anns = [n for n in files.names() if n.endswith(".ann")]
        if not anns:
            raise ImportFormatError(f"{path.name} holds no brat .ann files.")
        for name in anns:
            try:
                _read_pair(files, name, shown, parsed)
            except ImportFormatError as error:
                parsed.errors.append(str(error))
    finally:
        if isinstance(files, SafeZip):
            files.close()
    return parsed
