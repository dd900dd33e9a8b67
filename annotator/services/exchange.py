"""Importing annotations from other tools' files (and our own exports).

Imports are planned first
(:func:`plan_import`: nothing is written, every span is checked, duplicates and
conflicts are listed) and then applied in one transaction (:func:`apply_import`).
"""

from __future__ import annotations

import bisect
import datetime as _dt
import dataclasses
import decimal
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import (
    STATUSES, Annotation, NewArticle, SpanError, Verdict, check_span, content_hash, normalise_text,
    title_from_text,
)
from annotator.formats import ArticleRecord, ImportFormatError, ParsedFile, SpanRecord, TagRecord, read_file
from annotator.formats.document import hex_colour, palette_colour
from annotator.services.verdicts import check_date, rating_scale, sort_evidence
from annotator.store import Store, StoreError, corpus
from annotator.store.core import now

INSERT_CHUNK = 5000

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]


class ImportCancelled(Exception):
    """The person cancelled a running import; nothing was written."""


# ---------------------------------------------------------------------------
# Import: plan


@dataclass
class PlannedArticle:
    """An article the import attaches annotations to: an existing one, or one to create."""

    where: str
    title: str
    text: str
    existing_id: int | None = None
    new: NewArticle | None = None
    status: str = ""
    how: str = "new"
    memo: str = ""  # the file's memo on the article; stored where the article has none


@dataclass
class PlannedMemo:
    """A memo a file carries (on the project or an article) and what importing it does:
    it fills an empty memo; a memo already written is kept, never overwritten."""

    owner: str  # "Project memo" or "Memo on “title”"
    text: str  # the file's memo
    kept: str = ""  # the memo already there, which stays ("" when the file's memo is set)

    def line(self) -> str:
        """One line for the preview."""
        if self.kept:
            return (
                f"{self.owner}: kept as it is ({_snippet(self.kept)}); the file's memo ({_snippet(self.text)})"
                " is not imported, a memo already written is never overwritten."
            )
        return f"{self.owner}: set from the file ({_snippet(self.text)})."


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= 60 else flat[:59] + '…'}”, {_count(len(text), 'character')}"


@dataclass
class PlannedAnnotation:
    article: int  # index into ImportPlan.articles
    tag: str
    start: int
    end: int
    quote: str
    note: str
    annotator: str
    created: str
    updated: str
    value: str
    origin: str
    where: str
    verdict: Verdict | None = None


@dataclass
class ImportPlan:
    """Everything an import would do, and everything wrong with it, before any write."""

    paths: list[Path]
    articles: list[PlannedArticle] = field(default_factory=list)
    tags: list[TagRecord] = field(default_factory=list)  # to create
    annotations: list[PlannedAnnotation] = field(default_factory=list)
    # (from, to, kind); an end is ("new", index into annotations) or ("db", annotation id)
    # (from, to, kind) or (from, to, kind, cue): the attribution's cue of a claim–source link.
    links: list[tuple] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Imported with a remark (re-anchored by quote, a number a spreadsheet reformatted).
    warnings: list[str] = field(default_factory=list)
    # Quote selectors whose quote is not in the text: reported, not imported, not an error.
    orphaned: list[str] = field(default_factory=list)
    project_memo: str = ""  # the file's project memo; stored where the project has none
    memos: list[PlannedMemo] = field(default_factory=list)  # every memo the files carry, set or kept

    @property
    def new_articles(self) -> list[PlannedArticle]:
        return [a for a in self.articles if a.existing_id is None]

    @property
    def matched_articles(self) -> list[PlannedArticle]:
        return [a for a in self.articles if a.existing_id is not None]

    @property
    def changes_anything(self) -> bool:
        return bool(self.annotations or self.tags or self.new_articles or self.links or self.memos_to_set)

    @property
    def memos_to_set(self) -> list[PlannedMemo]:
        return [m for m in self.memos if not m.kept]

    def summary(self) -> str:
        """A few lines a person reads before deciding to import."""
        lines = [
            f"{_count(len(self.annotations), 'annotation')} to add ({len(self.duplicates)} already present, skipped).",
            f"{_count(len(self.new_articles), 'article')} to create, {len(self.matched_articles)} matched"
            " to articles in the database.",
            f"{_count(len(self.tags), 'tag')} to create"
            + (f": {', '.join(f'{t.name} ({t.colour})' for t in self.tags)}." if self.tags else "."),
        ]
        if self.links:
            lines.append(f"{_count(len(self.links), 'link')} between annotations.")
        if self.memos:
            kept = len(self.memos) - len(self.memos_to_set)
            lines.append(
                f"{_count(len(self.memos_to_set), 'memo')} to set"
                + (f", {kept} kept as {'it is' if kept == 1 else 'they are'} (a memo already written is never"
                   " overwritten)." if kept else ".")
            )
        if self.conflicts:
            lines.append(f"{_count(len(self.conflicts), 'conflict')} (listed below).")
        if self.warnings:
            lines.append(f"{_count(len(self.warnings), 'warning')}: imported as listed below.")
        if self.orphaned:
            lines.append(f"{len(self.orphaned)} orphaned (their quote is not in the text): not imported.")
        if self.errors:
            lines.append(f"{_count(len(self.errors), 'error')}: the annotations or files named are not imported.")
        return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _normalised(text: str) -> tuple[str, list[int] | None]:
    """``text`` with line breaks made ``\\n`` (as intake stores texts) and, if that
    changed anything, the new offset of every old offset (0..len(text))."""
    if normalise_text(text) == text:
        return text, None
    out: list[str] = []
    mapping: list[int] = []
    i, n = 0, len(text)
    while i < n and text[i] == "\ufeff":
        mapping.append(0)
        i += 1
    while i < n:
        ch = text[i]
        mapping.append(len(out))
        i += 1
        if ch == "\x00":
            continue
        if ch == "\r" and i < n and text[i] == "\n":
            mapping.append(len(out))
            i += 1
        out.append("\n" if ch in "\r\u2028\u2029\x85\x0b\x0c" else ch)
    mapping.append(len(out))
    return "".join(out), mapping


Remap = Callable[[int, int], tuple[int, int]]


def _compose(first: Remap | None, then: Remap) -> Remap:
    if first is None:
        return then
    return lambda s, e: then(*first(s, e))


def _spacing_remap(source: str, target: str) -> Remap | None:
    """For two texts with the same characters but different whitespace, move a
    span of ``source`` onto the same characters of ``target`` (None if they differ
    in more than whitespace)."""
    src = [i for i, ch in enumerate(source) if not ch.isspace()]
    dst = [j for j, ch in enumerate(target) if not ch.isspace()]
    if len(src) != len(dst) or any(source[i] != target[j] for i, j in zip(src, dst)):
        return None

    def remap(start: int, end: int) -> tuple[int, int]:
        first = bisect.bisect_left(src, start)  # first non-space character in the span
        last = bisect.bisect_left(src, end) - 1  # last one
        if first > last:
            return start, start  # whitespace only: left to fail the span check
        return dst[first], dst[last] + 1

    return remap


def _nearest(text: str, needle: str, hint: int | None) -> int | None:
    """The occurrence of ``needle`` in ``text`` nearest to ``hint`` (the first when no
    hint): at most two scans of the text, done by ``str.find``."""
    if not needle:
        return None
    if hint is None:
        found = text.find(needle)
        return None if found == -1 else found
    hint = min(max(hint, 0), len(text))
    after = text.find(needle, hint)
    before = text.rfind(needle, 0, min(len(text), hint + len(needle) - 1))
    candidates = [i for i in (after, before) if i != -1]
    return min(candidates, key=lambda i: abs(i - hint)) if candidates else None


FUZZY_MIN_RATIO = 0.8
FUZZY_MAX_QUOTE = 2000


def _fuzzy(text: str, quote: str, hint: int) -> tuple[int, int] | None:
    """Where ``quote``, a little changed, stands near ``hint``: the closest match in a
    window around it (bounded work, so anchoring stays linear in the text)."""
    if not quote or len(quote) > FUZZY_MAX_QUOTE:
        return None
    margin = max(64, len(quote))
    lo = max(0, hint - margin)
    window = text[lo:hint + len(quote) + margin]
    matcher = difflib.SequenceMatcher(None, window, quote, autojunk=False)
    block = matcher.find_longest_match(0, len(window), 0, len(quote))
    if block.size == 0:
        return None
    # Align the quote on its longest exact piece, then judge the whole stretch.
    start = min(max(0, block.a - block.b), len(window))
    end = min(len(window), start + len(quote))
    if difflib.SequenceMatcher(None, window[start:end], quote, autojunk=False).ratio() < FUZZY_MIN_RATIO:
        return None
    return lo + start, lo + end


def anchor(text: str, quote: str, prefix: str = "", suffix: str = "", hint: int | None = None) -> tuple[int, int, bool] | None:
    """Find ``quote`` in ``text`` as Hypothesis and Apache Annotator do: the occurrence
    with its prefix and suffix, else with either, else the quote alone, each time the
    one nearest ``hint`` (a position the file gave); failing that, a fuzzy match near
    ``hint``. Returns (start, end, fuzzy) or None (orphaned)."""
    if not quote:
        return None
    variants: list[tuple[str, str]] = []
    for variant in ((prefix, suffix), (prefix, ""), ("", suffix), ("", "")):
        if variant not in variants:
            variants.append(variant)
    for before, after in variants:
        found = _nearest(text, before + quote + after, None if hint is None else hint - len(before))
        if found is not None:
            start = found + len(before)
            return start, start + len(quote), False
    if hint is not None:
        fuzzy = _fuzzy(text, quote, hint)
        if fuzzy is not None:
            return fuzzy[0], fuzzy[1], True
    return None


_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?")


def _number(cell: str) -> decimal.Decimal | None:
    cell = cell.strip().replace("\u00a0", "").replace(" ", "")
    if not cell or not any(ch.isdigit() for ch in cell) or not _NUMBER.fullmatch(cell):
        return None
    percent = cell.endswith("%")
    digits = cell.rstrip("%").replace(",", "")
    try:
        value = decimal.Decimal(digits)
    except decimal.InvalidOperation:
        return None
    return value / 100 if percent else value


def same_number(a: str, b: str) -> bool:
    """Whether two cells are the same number written differently, as a spreadsheet
    rewrites them when it saves a CSV (``+1``/``1``, ``-3%``/``-3.00%``, ``1e5``/``100000``)."""
    x, y = _number(a), _number(b)
    return x is not None and x == y


def _locate(text: str, span: SpanRecord, *, fuzzy: bool = True) -> tuple[int, int, str] | None:
    """Where ``span`` stands in ``text``: (start, end, how), ``how`` being "" when the
    file's offsets read its quote (or it gave only a quote that was found), "number"
    when they read it as a spreadsheet rewrote it, "re-anchored" or "fuzzy" when a
    quote selector was followed instead of the position; None when it is not there."""
    start, end = span.start, span.end
    if start is not None and end is not None and 0 <= start < end <= len(text):
        here = text[start:end]
        if here == span.quote:
            return start, end, ""
        if span.tabular and same_number(here, span.quote):
            return start, end, "number"
    if start is None or span.anchor:
        found = anchor(text, span.quote, span.prefix, span.suffix, start if fuzzy else None)
        if found is not None:
            how = "fuzzy" if found[2] else "" if start is None else "re-anchored"
            return found[0], found[1], how
    return None


def _valid_stamp(stamp: str) -> bool:
    """Whether ``stamp`` is an ISO 8601 date and time that stays within the years
    1-9999 in UTC (so every export can write it)."""
    try:
        moment = _dt.datetime.fromisoformat(stamp)
        if moment.tzinfo is not None:
            moment.astimezone(_dt.timezone.utc)
    except (TypeError, ValueError, OverflowError):
        return False
    return True


def _describe(span: SpanRecord) -> str:
    quote = span.quote if len(span.quote) <= 40 else span.quote[:39] + "…"
    return f"{span.where} ({span.tag} “{quote}”)"


class _Planner:
    def __init__(self, store: Store, paths: list[Path]):
        self.store = store
        self.plan = ImportPlan(paths)
        self.scale = rating_scale(store)
        keys = store.article_keys()
        self.db_by_hash = {h: i for i, h, _, _ in keys}
        self.db_by_url = {u: i for i, _, u, _ in keys if u}
        self.db_ids = {i for i, _, _, _ in keys}
        tags = store.list_tags()
        # Exact names first; then ignoring case, as SQLite compares tag names.
        self.db_tags = {t.name: t for t in tags}
        self.db_tags_folded = {t.name.lower(): t for t in reversed(tags)}
        self.new_tags: dict[str, TagRecord] = {}
        self.planned_by_hash: dict[str, int] = {}
        self.planned_by_existing: dict[int, int] = {}
        self._texts: dict[int, str] | None = None
        # (article index, start, end) -> [(tag name, note, ("db", id) | ("new", index), file number)].
        # A file is compared with the database and with the other files, not with
        # itself: a database may well hold the same span twice.
        self.spans: dict[tuple[int, int, int], list[tuple[str, str, tuple[str, int], int]]] = {}
        self.file_number = 0
        self.loaded: set[int] = set()
        self.link_set: set[tuple] = set()

    # -- tags

    def add_tags(self, tags: list[TagRecord]) -> None:
        for t in tags:
            if not all(isinstance(v, str) for v in (t.name, t.colour, t.description)):
                self.plan.errors.append(f"{t.where}: a tag's name, colour and description should be text; ignored.")
                continue
            name = self.tag_name(t.name, t.colour, t.description, t.where)
            planned = self.new_tags.get(name.lower()) if name else None
            if planned is not None and isinstance(t.parent, str) and t.parent and not planned.parent:
                planned.parent = t.parent

    def tag_name(self, name: str, colour: str = "", description: str = "", where: str = "") -> str | None:
        """The tag's name as it will be stored (existing tags keep their spelling)."""
        name = name.strip()
        if not name:
            return None
        key = name.lower()
        existing = self.db_tags.get(name) or self.db_tags_folded.get(key)
        if existing is not None:
            if colour and hex_colour(colour).lower() != hex_colour(existing.colour).lower():
                message = (
                    f"Tag “{existing.name}”: {where or 'the file'} gives colour {colour},"
                    f" the database has {existing.colour}; the database colour is kept."
                )
                if message not in self.plan.conflicts:
                    self.plan.conflicts.append(message)
            return existing.name
        planned = self.new_tags.get(key)
        if planned is None:
            planned = TagRecord(name, colour, description, where)
            self.new_tags[key] = planned
            self.plan.tags.append(planned)
        elif colour and not planned.colour:
            planned.colour = colour
        elif colour and hex_colour(colour).lower() != hex_colour(planned.colour).lower():
            message = (
                f"Tag “{planned.name}”: {where} gives colour {colour}, {planned.where} gave"
                f" {planned.colour}; {planned.colour} is used."
            )
            if message not in self.plan.conflicts:
                self.plan.conflicts.append(message)
        if description and not planned.description:
            planned.description = description
        return planned.name

    # -- articles

    def db_texts(self) -> dict[int, str]:
        if self._texts is None:
            self._texts = {a.id: a.text for a in self.store.iter_articles()}
        return self._texts

    def existing(self, article_id: int, how: str, where: str) -> int:
        if article_id in self.planned_by_existing:
            return self.planned_by_existing[article_id]
        article = self.store.get_article(article_id)
        self.plan.articles.append(PlannedArticle(where, article.title, article.text, article_id, how=how))
        self.planned_by_existing[article_id] = len(self.plan.articles) - 1
        return len(self.plan.articles) - 1

    def fits(self, text: str, spans: list[SpanRecord]) -> bool:
        return all(_locate(text, span, fuzzy=False) is not None for span in spans)

    def match(self, record: ArticleRecord, fmt: str, path: Path) -> int | None:
        """Index of the planned article ``record`` attaches to, or None (error noted)."""
        if record.text is not None:
            h = content_hash(record.text)
            if h in self.planned_by_hash:
                return self.planned_by_hash[h]
            if h in self.db_by_hash:
                index = self.existing(self.db_by_hash[h], "same content hash", record.where)
                if self.plan.articles[index].text == record.text:
                    self.plan.articles[index].how = "same text"
                return index
            if record.url and record.url in self.db_by_url:
                self.plan.errors.append(
                    f"{record.where}: the database already has article {self.db_by_url[record.url]} with the URL"
                    f" {record.url} but a different text; its {len(record.spans)} annotations are not imported."
                )
                return None
            if not record.text.strip():
                self.plan.errors.append(f"{record.where}: the article text is empty; its annotations are not imported.")
                return None
            new = NewArticle(
                title=record.title or title_from_text(record.text), text=record.text, outlet=record.outlet,
                author=record.author, url=record.url, published=record.published,
                source_path=str(path), source_format=f"{fmt} annotations",
            )
            self.plan.articles.append(PlannedArticle(
                record.where, new.title, record.text, None, new,
                record.status if record.status in STATUSES else "", "new",
            ))
            self.planned_by_hash[h] = len(self.plan.articles) - 1
            return len(self.plan.articles) - 1
        # No text in the file: find the article whose text reads every quote.
        named: list[tuple[int, str]] = []
        if record.content_hash and record.content_hash in self.db_by_hash:
            named.append((self.db_by_hash[record.content_hash], "same content hash"))
        if record.article_id is not None and record.article_id in self.db_ids:
            named.append((record.article_id, "same id, quotes checked"))
        if record.url and record.url in self.db_by_url:
            named.append((self.db_by_url[record.url], "same URL, quotes checked"))
        for article_id, how in named:
            if self.fits(self.store.get_article(article_id).text, record.spans):
                return self.existing(article_id, how, record.where)
        for index, planned in enumerate(self.plan.articles):
            if planned.existing_id is None and self.fits(planned.text, record.spans):
                return index
        if record.spans:
            for article_id, text in self.db_texts().items():
                if self.fits(text, record.spans):
                    return self.existing(article_id, "quotes found", record.where)
        if named:
            # The named article is the best guess; its failing spans are reported one by one.
            return self.existing(named[0][0], named[0][1], record.where)
        title = f" “{record.title}”" if record.title else ""
        self.plan.errors.append(
            f"{record.where}: no article{title} in the database reads these quotes, and the file does not"
            f" carry the article's text; its {len(record.spans)} annotations are not imported."
        )
        return None

    # -- annotations

    def known_spans(self, index: int) -> None:
        planned = self.plan.articles[index]
        if planned.existing_id is None or index in self.loaded:
            return
        self.loaded.add(index)
        names = {t.id: t.name for t in self.db_tags.values()}
        for n in self.store.list_annotations(planned.existing_id):
            self.spans.setdefault((index, n.start, n.end), []).append((names.get(n.tag_id, ""), n.note, ("db", n.id), -1))

    def add_span(
        self, index: int, span: SpanRecord, original: str | None, remap: Remap | None
    ) -> tuple[str, int] | None:
        planned = self.plan.articles[index]
        text = planned.text
        wrong = [
            name for name in ("tag", "quote", "note", "annotator", "created", "updated", "value", "origin", "prefix", "suffix")
            if not isinstance(getattr(span, name), str)
        ]
        if wrong or not all(isinstance(part, str) for link in span.links for part in link):
            self.plan.errors.append(
                f"{span.where}: {', '.join(wrong) or 'a link'} should be text; the annotation is not imported."
            )
            return None
        tag = self.tag_name(span.tag, where=span.where)
        if tag is None:
            self.plan.errors.append(f"{_describe(span)}: the span has no tag name.")
            return None
        start, end, quote = span.start, span.end, span.quote
        if remap is not None and original is not None and start is not None:
            # The file's text differs from the stored one in line breaks or spacing:
            # check the span against the file's text, then move it onto the stored one.
            try:
                check_span(original, start, end, quote)
            except SpanError as error:
                self.plan.errors.append(f"{_describe(span)}: {error}.")
                return None
            start, end = remap(start, end)
            quote = text[start:end]
        else:
            located = _locate(text, span)
            if located is None and (span.start is None or span.anchor):
                self.plan.orphaned.append(
                    f"{_describe(span)}: the quote does not occur in the article's text; not imported (orphaned)."
                )
                return None
            if located is not None:
                start, end, how = located
                quote = text[start:end]
                if how == "number":
                    self.plan.warnings.append(
                        f"{_describe(span)}: the file's quote {span.quote!r} is the text's {quote!r} as a"
                        " spreadsheet rewrites numbers; the text's is kept."
                    )
                elif how:
                    self.plan.warnings.append(
                        f"{_describe(span)}: position {span.start}-{span.end} does not read the quote;"
                        f" re-anchored by the quote{' (a close match)' if how == 'fuzzy' else ''} at {start}-{end}"
                        + (f", which reads {quote[:60]!r}." if how == "fuzzy" else ".")
                    )
        try:
            check_span(text, start, end, quote)
        except SpanError as error:
            self.plan.errors.append(f"{_describe(span)}: {error}.")
            return None
        self.known_spans(index)
        same_place = self.spans.setdefault((index, start, end), [])
        others = [entry for entry in same_place if entry[3] != self.file_number]
        key = tag
        for other_tag, other_note, ref, _ in others:
            if other_tag == key and other_note == span.note:
                self.plan.duplicates.append(f"{_describe(span)}: already present.")
                return ref
        for other_tag, other_note, ref, _ in others:
            if other_tag == key:
                self.plan.conflicts.append(
                    f"{_describe(span)}: span {start}-{end} is already tagged {tag} with another note"
                    f" ({other_note[:60]!r}, here {span.note[:60]!r}); the {'existing' if ref[0] == 'db' else 'first'}"
                    " annotation is kept."
                )
                return ref
        for other_tag, _, ref, _ in others:
            if ref[0] == "db":
                self.plan.conflicts.append(
                    f"{_describe(span)}: span {start}-{end} already has a “{other_tag}” annotation;"
                    f" the {tag} annotation is added beside it."
                )
                break
        created, updated = span.created, span.updated
        for stamp in {created, updated} - {""}:
            if not _valid_stamp(stamp):
                self.plan.warnings.append(
                    f"{_describe(span)}: the date {stamp[:40]!r} is not a date and time annotator can keep;"
                    " the time of the import is used."
                )
        created = created if _valid_stamp(created) else now()
        updated = updated if _valid_stamp(updated) else ""
        verdict = span.verdict
        if verdict is not None:
            links, refused = sort_evidence(verdict.evidence)
            if refused:
                verdict = dataclasses.replace(verdict, evidence=links)
                self.plan.warnings.append(
                    f"{_describe(span)}: the verdict's evidence {refused[0][:60]!r} is not a web address"
                    " (http:// or https://, one address, no line breaks); it is left out"
                    + (f", with {len(refused) - 1} more like it." if len(refused) > 1 else ".")
                )
            if verdict.date.strip():
                try:
                    check_date(verdict.date)
                except ValueError:
                    self.plan.warnings.append(
                        f"{_describe(span)}: the verdict's date {verdict.date[:40]!r} is not a day written"
                        " YYYY-MM-DD; the verdict is imported without a date."
                    )
                    verdict = dataclasses.replace(verdict, date="")
        self.plan.annotations.append(PlannedAnnotation(
            index, tag, start, end, quote, span.note, span.annotator, created, updated or created,
            span.value, span.origin, span.where, verdict,
        ))
        if span.verdict is not None and span.verdict.rating not in self.scale:
            self.plan.warnings.append(
                f"{_describe(span)}: the verdict “{span.verdict.rating}” is not on this desk's rating scale;"
                " it is imported as it is."
            )
        ref = ("new", len(self.plan.annotations) - 1)
        same_place.append((key, span.note, ref, self.file_number))
        return ref

    def add_file(self, parsed: ParsedFile) -> None:
        self.file_number += 1
        self.plan.errors.extend(parsed.errors)
        self.add_tags(parsed.tags)
        if isinstance(parsed.project_memo, str) and not self.plan.project_memo:
            self.plan.project_memo = parsed.project_memo
        file_refs: dict[str, tuple[str, int]] = {}
        pending: list[tuple[tuple[str, int], dict[str, tuple[str, int]], SpanRecord]] = []
        for record in parsed.articles:
            original, remap = record.text, None
            if record.text is not None:
                record.text, mapping = _normalised(record.text)
                if mapping is not None:
                    remap = _compose(None, lambda s, e, m=mapping: (m[s], m[e]))
            index = self.match(record, parsed.format, parsed.path)
            if index is None:
                continue
            if isinstance(record.memo, str) and record.memo and not self.plan.articles[index].memo:
                self.plan.articles[index].memo = record.memo
            stored = self.plan.articles[index].text
            if record.text is not None and record.text != stored:
                # Matched by content hash: the same words, spaced differently.
                spacing = _spacing_remap(record.text, stored)
                if spacing is not None:
                    remap = _compose(remap, spacing)
            article_refs: dict[str, tuple[str, int]] = {}
            for span in record.spans:
                ref = self.add_span(index, span, original, remap)
                if ref is not None and span.ref:
                    article_refs[span.ref] = ref
                    file_refs.setdefault(span.ref, ref)
                    if span.links:
                        pending.append((ref, article_refs, span))
        for ref, article_refs, span in pending:
            for target, kind, *cue in span.links:
                to = article_refs.get(target) or file_refs.get(target)
                if to is None:
                    self.plan.errors.append(f"{_describe(span)}: links to {target}, which the file does not hold.")
                elif (ref, to, kind) not in self.link_set and not (ref[0] == to[0] == "db"):
                    self.link_set.add((ref, to, kind))
                    self.plan.links.append((ref, to, kind, *cue))


def plan_import(store: Store, paths: Sequence[str | Path], fmt: str | None = None) -> ImportPlan:
    """Read ``paths`` and work out what importing them would do; writes nothing.

    Files that cannot be read become errors in the plan (with the reason), as do
    spans that do not read their quote; the rest of the plan stands.
    """
    paths = [Path(p) for p in paths]
    planner = _Planner(store, paths)
    for path in paths:
        try:
            parsed = read_file(path, fmt)
        except ImportFormatError as error:
            planner.plan.errors.append(str(error))
            continue
        planner.add_file(parsed)
    for tag in planner.plan.tags:
        if not hex_colour(tag.colour, default=""):
            tag.colour = palette_colour(tag.name)  # a file without colours (brat, CSV, other tools)
    plan = planner.plan
    if plan.project_memo:
        plan.memos.append(PlannedMemo("Project memo", plan.project_memo, store.get_memo("project")))
    for article in plan.articles:
        if article.memo:
            kept = store.get_memo("article", article.existing_id) if article.existing_id is not None else ""
            plan.memos.append(PlannedMemo(f"Memo on “{article.title}”", article.memo, kept))
    return plan


# ---------------------------------------------------------------------------
# Import: apply


@dataclass
class ImportResult:
    articles_created: int
    tags_created: int
    annotations_added: int
    links_added: int
    memos_set: int = 0


def apply_import(
    store: Store,
    plan: ImportPlan,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ImportResult:
    """Write what ``plan`` lists (its errors are not imported) in one transaction:
    all of it, or on any failure or cancel, none of it."""
    total = len(plan.annotations)
    with store.write():
        tag_ids = {t.name: t.id for t in store.list_tags()}
        folded = {name.casefold(): tag_id for name, tag_id in tag_ids.items()}
        for t in plan.tags:
            if store.tag_by_name(t.name) is not None:
                raise StoreError(f"The tag “{t.name}” was created since the preview; please preview the import again.")
            # A nested code (REFI-QDA) keeps its category when the category is known by now.
            tag_ids[t.name] = folded[t.name.casefold()] = store.insert_tag(
                t.name, t.colour or palette_colour(t.name), description=t.description,
                parent_id=folded.get(t.parent.casefold()) if t.parent else None,
            ).id
        article_ids: list[int] = []
        for planned in plan.articles:
            if planned.existing_id is not None:
                article_ids.append(planned.existing_id)
                continue
            article_id, created = store.insert_article(planned.new)
            if not created:
                raise StoreError(
                    f"“{planned.title}” was added to the database since the preview; please preview the import again."
                )
            if planned.status and planned.status != "to do":
                store.set_article_status(article_id, planned.status)
            article_ids.append(article_id)
        # Memos from the file fill empty ones; a memo the analyst wrote is never overwritten.
        memos_set = 0
        for planned, article_id in zip(plan.articles, article_ids):
            if planned.memo and not store.get_memo("article", article_id):
                store.set_memo("article", article_id, planned.memo)
                memos_set += 1
        if plan.project_memo and not store.get_memo("project"):
            store.set_memo("project", 0, plan.project_memo)
            memos_set += 1
        rows = [
            Annotation(
                0, article_ids[p.article], tag_ids[p.tag], p.start, p.end, p.quote, p.note,
                p.annotator, p.created, p.updated, p.value, p.origin,
            )
            for p in plan.annotations
        ]
        # Checked again inside the write transaction: another process may have
        # imported the same file since the plan was made.
        present: dict[tuple, int] = {}
        for article_id in {article_ids[p.article] for p in plan.annotations if plan.articles[p.article].existing_id}:
            for n in store.list_annotations(article_id):
                present.setdefault((article_id, n.tag_id, n.start, n.end, n.note), n.id)
        new_ids: list[int] = [present.get((r.article_id, r.tag_id, r.start, r.end, r.note), 0) for r in rows]
        fresh = [i for i, found in enumerate(new_ids) if not found]
        for i in range(0, len(fresh), INSERT_CHUNK):
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            chunk = fresh[i:i + INSERT_CHUNK]
            for index, new_id in zip(chunk, store.insert_annotations([rows[k] for k in chunk])):
                new_ids[index] = new_id
            if progress is not None:
                progress(i + len(chunk), total)
        if cancelled is not None and cancelled():
            raise ImportCancelled()

        def resolve(end: tuple[str, int]) -> int:
            return new_ids[end[1]] if end[0] == "new" else end[1]

        links = [(resolve(a), resolve(b), kind, *cue) for a, b, kind, *cue in plan.links]
        store.insert_links([link for link in links if len(link) == 3])
        for link in links:
            if len(link) == 4:
                store.insert_link(*link)
        for planned, new_id in zip([plan.annotations[k] for k in fresh], [new_ids[k] for k in fresh]):
            if planned.verdict is not None:
                corpus.set_verdict(store, dataclasses.replace(planned.verdict, annotation_id=new_id))
    if progress is not None:
        progress(total, total)
    return ImportResult(len(plan.new_articles), len(plan.tags), len(fresh), len(links), memos_set)
