"""Queries over the whole corpus: full-text search, source mentions and groups,
figures, claim verdicts and the counts behind the charts.

The search index is two FTS5 tables kept by triggers (migration 3, built with
sqlite-utils' ``enable_fts``): ``articles_fts`` (title, text) and
``annotations_fts`` (quote, note). Every query takes optional filters, among them
the analyst, so that a layer (mine / all / one analyst) narrows it.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from annotator.domain import Verdict
from annotator.store.core import Store, StoreError

MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_CONTEXT = 60


class SearchSyntaxError(StoreError):
    """A search the index cannot read (an unbalanced quote or bracket)."""


class FilterError(StoreError):
    """A filter that cannot narrow anything as written (a date that is no date)."""


_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _check_date(text: str | None, which: str) -> None:
    """A published-date filter is a year, a month or a day (2024, 2024-05, 2024-05-31)."""
    if not text:
        return
    ok = _DATE.fullmatch(text) is not None
    if ok and len(text) > 4:
        try:
            _dt.date.fromisoformat(text if len(text) == 10 else text + "-01")
        except ValueError:
            ok = False
    if not ok:
        raise FilterError(f"The date “{text}” ({which}) is not a date: write it as YYYY-MM-DD (2024-05-31), "
                          "YYYY-MM or YYYY.")


@dataclass(frozen=True)
class Filters:
    """What narrows a corpus query; None or "" means no filter."""

    tag: str | None = None
    outlet: str | None = None
    status: str | None = None
    date_from: str | None = None   # ISO dates, compared with the article's published date
    date_to: str | None = None
    annotator: str | None = None   # the analyst whose annotations count
    layer: str | None = None       # '' the analysts' own, 'curated' the curated layer (services.layers)

    def __post_init__(self) -> None:
        _check_date(self.date_from, "from")
        _check_date(self.date_to, "to")

    def whose(self) -> Filters:
        """Only the analyst and layer: for queries that fix the tag and read articles apart."""
        return Filters(annotator=self.annotator, layer=self.layer)


@dataclass(frozen=True)
class SearchHit:
    """One result: an article (its title or text matched) or an annotation (its
    quote or note matched). ``start``/``end`` are code points in the article text
    of the first hit (for a title-only or note match: the whole annotation, or None).
    ``snippet`` holds the hits between MARK_START and MARK_END."""

    kind: str            # "article" or "annotation"
    field: str           # "text", "title", "quote" or "note"
    article_id: int
    title: str
    outlet: str
    published: str
    start: int | None
    end: int | None
    snippet: str
    annotation_id: int | None = None
    tag: str = ""


# -- search query syntax ------------------------------------------------------

_TOKEN = re.compile(r'"[^"]*"?\*?|\(|\)|[^\s()"]+')
_OPERATORS = {"AND", "OR", "NOT"}


def fts_query(text: str) -> str:
    """An analyst's search as an FTS5 query.

    Phrases in double quotes, ``word*`` prefixes, AND / OR / NOT (upper case) and
    brackets keep their meaning; every other word is quoted, so that punctuation
    ("U.S.", "covid-19", "3.5%") is searched for, not read as syntax.
    """
    out: list[str] = []
    # SQLite reads the query as a C string: a NUL (pasted from a PDF, say) would end it
    # inside a quoted word ("unterminated string").
    for token in _TOKEN.findall(text.replace("\x00", " ")):
        if token in _OPERATORS or token in "()":
            out.append(token)
            continue
        prefix = token.endswith("*")
        word = token.rstrip("*")
        if word.startswith('"'):
            word = word.strip('"')
        if not word.strip():
            continue
        out.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    # FTS5 refuses an operator with nothing on one side; a person typing "NOT"
    # at the end means nothing by it yet.
    while out and out[-1] in _OPERATORS:
        out.pop()
    while out and out[0] in _OPERATORS - {"NOT"}:
        out.pop(0)
    return " ".join(out)


def _article_filters(f: Filters, alias: str = "a") -> tuple[str, list]:
    where, params = [], []
    if f.outlet:
        where.append(f"{alias}.outlet = ? COLLATE NOCASE")
        params.append(f.outlet)
    if f.status:
        where.append(f"{alias}.status = ?")
        params.append(f.status)
    if f.date_from:
        where.append(f"{alias}.published != '' AND {alias}.published >= ?")
        params.append(f.date_from)
    if f.date_to:
        # "2024-05-31" includes the whole day: "2024-05-31T10:00" sorts after it.
        where.append(f"{alias}.published != '' AND {alias}.published < ?")
        params.append(f.date_to + "\uffff")
    return " AND ".join(where), params


def _annotation_filters(f: Filters, alias: str = "n") -> tuple[str, list]:
    where, params = [], []
    if f.tag:
        where.append(f"{alias}.tag_id IN (SELECT id FROM tags WHERE name = ?)")
        params.append(f.tag)
    if f.annotator:
        where.append(f"{alias}.annotator = ?")
        params.append(f.annotator)
    if f.layer is not None:
        where.append(f"{alias}.layer = ?")
        params.append(f.layer)
    return " AND ".join(where), params


def _combined(f: Filters, *, by_tag: bool = True) -> tuple[str, list]:
    """Article and annotation filters together (``by_tag=False`` where the query fixes the tag)."""
    where_a, params_a = _article_filters(f)
    where_n, params_n = _annotation_filters(f if by_tag else f.whose())
    return _and(where_a, where_n), params_a + params_n


def _and(*parts: str) -> str:
    return " AND ".join(p for p in parts if p)


_WORD = re.compile(r"[^\W_]+")


def _fold(word: str) -> str:
    """A token as FTS5's unicode61 tokenizer (remove_diacritics 2) indexes it."""
    if word.isascii():
        return word.lower()
    # Lower case and canonical decomposition, as unicode61 folds: "Straße" stays "straße",
    # "ǅ" is not "dž".
    return "".join(ch for ch in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(ch))


def _phrases(match: str) -> list[tuple[list[str], bool]]:
    """The phrases of an FTS query (as :func:`fts_query` writes it) that a hit shows:
    their folded tokens and whether the last is a prefix. Phrases after NOT are left out."""
    out, negated = [], False
    for m in re.finditer(r'"((?:[^"]|"")*)"(\*?)|(\S+)', match):
        if m.group(3) is not None:
            negated = m.group(3) == "NOT"
            continue
        tokens = [_fold(t) for t in _WORD.findall(m.group(1).replace('""', '"'))]
        if tokens and not negated:
            out.append((tokens, bool(m.group(2))))
        negated = False
    return out


def hit_spans(text: str, phrases: list[tuple[list[str], bool]], *, around: int | None = SNIPPET_CONTEXT) -> list[tuple[int, int]]:
    """Code-point spans of ``text`` where any of ``phrases`` occurs, in order, as FTS5
    matches them (folded tokens; a prefix phrase's last token may go on). With
    ``around``, only the first hit and those within ``around`` after it (a snippet's
    worth): the rest of a long text is not read."""
    if not phrases:
        return []
    longest = max(len(tokens) for tokens, _ in phrases)
    window: list[tuple[int, int, str]] = []
    words = _WORD.finditer(text)
    spans: list[tuple[int, int]] = []
    stop = None

    def advance() -> bool:
        m = next(words, None)
        if m is None:
            return False
        window.append((m.start(), m.end(), _fold(m.group())))
        return True

    while len(window) < longest and advance():
        pass
    while window:
        start = window[0][0]
        if stop is not None and start > stop:
            break
        for tokens, prefix in phrases:
            n = len(tokens)
            if n > len(window):
                continue
            if all(window[k][2] == tokens[k] for k in range(n - 1)) and (
                window[n - 1][2].startswith(tokens[-1]) if prefix else window[n - 1][2] == tokens[-1]
            ):
                spans.append((start, window[n - 1][1]))
                if stop is None and around is not None:
                    stop = window[n - 1][1] + around
                break
        window.pop(0)
        while len(window) < longest and advance():
            pass
    return spans


def _snippet(text: str, spans: list[tuple[int, int]], around: int = SNIPPET_CONTEXT) -> str:
    """The text around the first hit, every hit inside it marked."""
    if not spans:
        return text[: 2 * around].replace("\n", " ")
    first_start, first_end = spans[0]
    lo, hi = max(0, first_start - around), min(len(text), first_end + around)
    # Start and end at a word's edge where one is near.
    if lo > 0:
        space = text.find(" ", lo, first_start)
        lo = space + 1 if 0 <= space < lo + 15 else lo
    if hi < len(text):
        space = text.rfind(" ", first_end, hi)
        hi = space if space > hi - 15 else hi
    out, pos = [], lo
    for s, e in spans:
        if s < lo or e > hi:
            continue
        out += [text[pos:s], MARK_START, text[s:e], MARK_END]
        pos = e
    out.append(text[pos:hi])
    body = "".join(out).replace("\n", " ")
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


def _run_match(store: Store, sql: str, params: list) -> list[tuple]:
    try:
        return store._tuples(sql, params)
    except sqlite3.OperationalError as error:
        if "fts5" in str(error) or "syntax" in str(error):
            raise SearchSyntaxError(_syntax_message(params[0])) from error
        raise


def _syntax_message(match: str) -> str:
    """What is wrong with a search, in the analyst's words (not FTS5's)."""
    depth = 0
    for token in re.findall(r'"(?:[^"]|"")*"\*?|[()]|\S+', match):
        depth += {"(": 1, ")": -1}.get(token, 0)
        if depth < 0:
            return "The search cannot be read: a “)” closes no “(”."
    if depth > 0:
        return "The search cannot be read: a “(” is not closed by a “)”."
    return ("The search cannot be read: put AND, OR and NOT between words or phrases, "
            "and brackets around a whole part of the search.")


def search(
    store: Store, query: str, filters: Filters = Filters(), *, scope: str = "all", limit: int = 20, offset: int = 0,
) -> list[SearchHit]:
    """One page of results, best first: matching articles (title and text; with a tag
    or analyst filter, only articles with such annotations), then matching
    annotations (quote and note) in ``scope`` "all"; "articles" or "annotations" for one kind."""
    match = fts_query(query)
    if not match:
        return []
    hits: list[SearchHit] = []
    if scope in ("all", "articles"):
        hits += _search_articles(store, match, filters, limit, offset)
    if scope in ("all", "annotations"):
        hits += _search_annotations(store, match, filters, limit, offset)
    return hits


def _search_articles(store: Store, match: str, f: Filters, limit: int, offset: int) -> list[SearchHit]:
    where, params = _article_filters(f)
    # A layer alone does not narrow the articles: their titles and texts are everyone's.
    # A tag or an analyst does: the articles with such annotations (in that layer).
    by_annotation, more = _annotation_filters(f) if (f.tag or f.annotator) else ("", [])
    if by_annotation:
        where = _and(where, f"EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id AND {by_annotation})")
        params += more
    # Without filters FTS5 ranks and cuts the page itself; a join makes SQLite sort
    # every match. (``rowid IN (subquery)`` would run the match once per article.)
    if where:
        sql = (
            "SELECT articles_fts.rowid FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
            f" WHERE articles_fts MATCH ? AND {where} ORDER BY articles_fts.rank LIMIT ? OFFSET ?"
        )
    else:
        sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?"
    ids = [r[0] for r in _run_match(store, sql, [match, *params, limit, offset])]
    if not ids:
        return []
    rows = store._tuples(
        f"SELECT id, title, outlet, published, text FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids,
    )
    by_id = {row[0]: row for row in rows}
    phrases = _phrases(match)
    hits = []
    for article_id in ids:
        _id, title, outlet, published, text = by_id[article_id]
        spans = hit_spans(text, phrases) or (
            [] if hit_spans(title, phrases) else _fts_spans(store, "articles_fts", 1, article_id, match))
        if spans:
            s, e = spans[0]
            hits.append(SearchHit("article", "text", article_id, title, outlet, published, s, e, _snippet(text, spans)))
        else:
            hits.append(SearchHit(
                "article", "title", article_id, title, outlet, published, None, None,
                _snippet(title, hit_spans(title, phrases)),
            ))
    return hits


def _fts_spans(store: Store, table: str, column: int, rowid: int, match: str) -> list[tuple[int, int]]:
    """The hits FTS5 itself marks in one row's ``column`` (its highlight()), as code-point spans.

    Only where :func:`hit_spans` found none: SQLite's unicode61 tables predate many emoji, so
    it reads a newer one (a skin tone, 🫠) as a word where Python's categories see a symbol."""
    rows = store._tuples(
        f"SELECT highlight({table}, {column}, char(1), char(2)) FROM {table} WHERE {table} MATCH ? AND rowid = ?",
        [match, rowid],
    )
    marked = rows[0][0] if rows and rows[0][0] else ""
    spans, removed, start = [], 0, 0
    for i, ch in enumerate(marked):
        if ch == "\x01":
            start = i - removed
            removed += 1
        elif ch == "\x02":
            spans.append((start, i - removed))
            removed += 1
    return spans[:1] + [sp for sp in spans[1:] if sp[0] <= spans[0][1] + SNIPPET_CONTEXT]


def _search_annotations(store: Store, match: str, f: Filters, limit: int, offset: int) -> list[SearchHit]:
    """Matching quotes and notes, newest first: FTS5 walks its index in rowid order and
    stops at the page, where ranking would score every match (a common word is in
    a third of all annotations)."""
    where, params = _combined(f)
    rows = _run_match(
        store,
        'SELECT n.id, n.article_id, a.title, a.outlet, a.published, n.start, n."end", t.name, n.quote, n.note'
        " FROM annotations_fts JOIN annotations n ON n.id = annotations_fts.rowid"
        " JOIN articles a ON a.id = n.article_id JOIN tags t ON t.id = n.tag_id"
        f" WHERE annotations_fts MATCH ? {'AND ' + where if where else ''}"
        " ORDER BY annotations_fts.rowid DESC LIMIT ? OFFSET ?",
        [match, *params, limit, offset],
    )
    phrases = _phrases(match)
    hits = []
    for ann_id, article_id, title, outlet, published, start, end, tag, quote, note in rows:
        spans = hit_spans(quote, phrases) or (
            [] if hit_spans(note, phrases) else _fts_spans(store, "annotations_fts", 0, ann_id, match))
        if spans:
            s, e = spans[0]
            hits.append(SearchHit(
                "annotation", "quote", article_id, title, outlet, published, start + s, start + e,
                _snippet(quote, spans), ann_id, tag,
            ))
        else:
            hits.append(SearchHit(
                "annotation", "note", article_id, title, outlet, published, start, end,
                _snippet(note, hit_spans(note, phrases)), ann_id, tag,
            ))
    return hits


def rebuild_search_index(store: Store) -> None:
    """Build both indexes again from the tables (FTS5's 'rebuild')."""
    with store.write() as c:
        c.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
        c.execute("INSERT INTO annotations_fts (annotations_fts) VALUES ('rebuild')")


def check_search_index(store: Store) -> bool:
    """Whether the indexes agree with the tables (FTS5's 'integrity-check')."""
    try:
        with store.write() as c:
            c.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
            c.execute("INSERT INTO annotations_fts (annotations_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


# -- annotations of one tag across the corpus -----------------------------------

class Mention(NamedTuple):
    """An annotation of one tag (a source, a figure, a claim) with its article's metadata."""

    annotation_id: int
    created: str
    article_id: int
    start: int
    end: int
    quote: str
    value: str
    annotator: str
    outlet: str
    title: str
    published: str
    url: str
    group_id: int | None = None   # sources only: the confirmed group it belongs to


def mentions(store: Store, tag: str, filters: Filters = Filters()) -> list[Mention]:
    """Every annotation tagged ``tag`` (by name), in no set order (sorting a hundred
    thousand costs more than grouping them)."""
    # The articles' metadata is read once, apart: joining it to each of a hundred
    # thousand annotations would read each article's row (and its text) again and again.
    where_a, params_a = _article_filters(filters)
    meta = {r[0]: r[1:] for r in store._tuples(
        f"SELECT a.id, a.outlet, a.title, a.published, a.url FROM articles a {'WHERE ' + where_a if where_a else ''}",
        params_a,
    )}
    where_n, params_n = _annotation_filters(filters.whose())
    rows = store._tuples(
        'SELECT n.id, n.created, n.article_id, n.start, n."end", n.quote, n.value, n.annotator'
        f" FROM annotations n WHERE n.tag_id IN (SELECT id FROM tags WHERE name = ?) {'AND ' + where_n if where_n else ''}",
        [tag, *params_n],
    )
    # Group memberships are few and read apart: a join would look each mention up in them.
    member = {(r[0], r[1]): (r[2],) for r in store._tuples(
        "SELECT annotation_id, annotation_created, group_id FROM source_members")}
    # Built as plain tuples (the fields in order): a third faster than calling Mention per row.
    new, alone = tuple.__new__, (None,)
    return [new(Mention, row + meta[row[2]] + member.get(row[:2], alone)) for row in rows if row[2] in meta]


def figure_rows(store: Store, tag: str, filters: Filters = Filters()) -> list[tuple]:
    """``(annotation id, article id, value, quote, outlet, published or created)`` of every
    annotation tagged ``tag``: the least the figure tracker needs (the quote only where
    there is no value to read)."""
    where_a, params_a = _article_filters(filters)
    meta = {r[0]: (r[1], r[2]) for r in store._tuples(
        f"SELECT a.id, a.outlet, a.published FROM articles a {'WHERE ' + where_a if where_a else ''}", params_a,
    )}
    where_n, params_n = _annotation_filters(filters.whose())
    rows = store._tuples(
        "SELECT n.id, n.article_id, n.value, CASE WHEN n.value LIKE '{%' THEN '' ELSE n.quote END,"
        " substr(n.created, 1, 10) FROM annotations n"
        f" WHERE n.tag_id IN (SELECT id FROM tags WHERE name = ?) {'AND ' + where_n if where_n else ''}",
        [tag, *params_n],
    )
    return [(i, a, value, quote, meta[a][0], meta[a][1] or created) for i, a, value, quote, created in rows if a in meta]


def annotation_places(store: Store, ids: Sequence[int]) -> dict[int, tuple[int, int, str, str]]:
    """``{annotation id: (start, end, quote, article title)}``."""
    out: dict[int, tuple] = {}
    ids = list(ids)
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        for row in store._tuples(
            'SELECT n.id, n.start, n."end", n.quote, a.title FROM annotations n JOIN articles a ON a.id = n.article_id'
            f" WHERE n.id IN ({','.join('?' * len(chunk))})", chunk,
        ):
            out[row[0]] = row[1:]
    return out


def links_between(store: Store, from_tag: str, to_tag: str) -> list[tuple[int, int]]:
    """``(from_annotation_id, to_annotation_id)`` of every link from an annotation tagged
    ``from_tag`` to one tagged ``to_tag`` (claims to their sources; a pronoun source to a named one)."""
    return [tuple(r) for r in store._tuples(
        "SELECT l.from_annotation_id, l.to_annotation_id FROM annotation_links l"
        " JOIN annotations f ON f.id = l.from_annotation_id JOIN annotations t ON t.id = l.to_annotation_id"
        " WHERE f.tag_id IN (SELECT id FROM tags WHERE name = ?) AND t.tag_id IN (SELECT id FROM tags WHERE name = ?)",
        [from_tag, to_tag],
    )]


def links_to(store: Store, from_tag: str, to_ids: Sequence[int]) -> list[tuple[int, int]]:
    """``(from_annotation_id, to_annotation_id)`` of the links from annotations tagged
    ``from_tag`` to the given annotations (the claims attributed to these source mentions)."""
    out: list[tuple] = []
    ids = list(to_ids)
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        # The links by their target first (an index), then the tag of each source: joined in
        # one query, SQLite walks every annotation of the tag instead.
        links = store._tuples(
            "SELECT from_annotation_id, to_annotation_id FROM annotation_links"
            f" WHERE to_annotation_id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        froms = sorted({f for f, _ in links})
        tagged = {r[0] for r in store._tuples(
            # "+tag_id": look the few ids up, rather than walk every annotation of the tag.
            f"SELECT id FROM annotations WHERE id IN ({','.join('?' * len(froms))})"
            " AND +tag_id = (SELECT id FROM tags WHERE name = ?)",
            [*froms, from_tag],
        )} if froms else set()
        out += [(f, t) for f, t in links if f in tagged]
    return out


def annotations_by_id(store: Store, ids: Sequence[int]) -> list[tuple[int, int, int, int, str]]:
    """``(id, article_id, start, end, quote)`` of the given annotations, in id order."""
    out: list[tuple] = []
    ids = list(ids)
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        out += store._tuples(
            f'SELECT id, article_id, start, "end", quote FROM annotations WHERE id IN ({",".join("?" * len(chunk))})',
            chunk,
        )
    return sorted(out)


# -- source groups (the analyst's confirmed registry) ---------------------------

def source_groups(store: Store) -> dict[int, str]:
    """``{group_id: name}`` of every confirmed source group."""
    return {r[0]: r[1] for r in store._tuples("SELECT id, name FROM source_groups")}


def insert_source_group(store: Store, name: str, annotation_ids: Sequence[int]) -> int:
    """A confirmed group of ``annotation_ids`` (moved out of any group they were in)."""
    with store.write() as c:
        group_id = c.execute("INSERT INTO source_groups (name) VALUES (?)", (name.strip(),)).lastrowid
        _assign(c, group_id, annotation_ids)
    return group_id


def assign_to_source_group(store: Store, group_id: int, annotation_ids: Sequence[int]) -> None:
    with store.write() as c:
        if c.execute("SELECT 1 FROM source_groups WHERE id = ?", (group_id,)).fetchone() is None:
            raise StoreError(f"There is no source group with id {group_id}; it may have been merged away.")
        _assign(c, group_id, annotation_ids)


def _assign(c: sqlite3.Connection, group_id: int, annotation_ids: Sequence[int]) -> None:
    ids = list(annotation_ids)
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        c.execute(
            "INSERT OR REPLACE INTO source_members (annotation_id, annotation_created, group_id)"
            f" SELECT id, created, ? FROM annotations WHERE id IN ({','.join('?' * len(chunk))})",
            [group_id, *chunk],
        )
    # A group that lost all its members is gone.
    c.execute(
        "DELETE FROM source_groups WHERE id NOT IN (SELECT group_id FROM source_members)"
    )


def rename_source_group(store: Store, group_id: int, name: str) -> None:
    if not name.strip():
        raise StoreError("A source needs a name.")
    with store.write() as c:
        c.execute("UPDATE source_groups SET name = ? WHERE id = ?", (name.strip(), group_id))


def source_group_members(store: Store, group_id: int) -> list[int]:
    return [r[0] for r in store._tuples(
        "SELECT annotation_id FROM source_members WHERE group_id = ? ORDER BY annotation_id", [group_id],
    )]


def source_group_state(store: Store, annotation_ids: Sequence[int] | None = None) -> list[tuple[int, str, str, int]]:
    """``(annotation_id, annotation_created, group name, group_id)`` of every membership, or of
    ``annotation_ids``' only: what an undo restores."""
    sql = ("SELECT m.annotation_id, m.annotation_created, g.name, g.id FROM source_members m"
           " JOIN source_groups g ON g.id = m.group_id")
    if annotation_ids is None:
        return [tuple(r) for r in store._tuples(sql + " ORDER BY m.annotation_id")]
    ids = list(annotation_ids)
    return [tuple(r) for i in range(0, len(ids), 900)
            for r in store._tuples(sql + f" WHERE m.annotation_id IN ({','.join('?' * len(ids[i:i + 900]))})",
                                   ids[i:i + 900])]


def restore_source_group_state(store: Store, state: Sequence[Sequence],
                               annotation_ids: Sequence[int] | None = None) -> None:
    """Put memberships and group names back as :func:`source_group_state` gave them: all of
    them, or only those of ``annotation_ids`` (what one edit touched; other groups, and edits
    made since by anyone else, stay as they are). A group left with no member is gone."""
    with store.write() as c:
        if annotation_ids is None:
            c.execute("DELETE FROM source_members")
            c.execute("DELETE FROM source_groups")
        else:
            ids = list(annotation_ids)
            for i in range(0, len(ids), 900):
                chunk = ids[i:i + 900]
                c.execute(f"DELETE FROM source_members WHERE annotation_id IN ({','.join('?' * len(chunk))})", chunk)
        c.executemany(
            "INSERT INTO source_groups (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
            list({g: (g, n) for _a, _c, n, g in state}.values()),
        )
        c.executemany(
            "INSERT INTO source_members (annotation_id, annotation_created, group_id) VALUES (?, ?, ?)",
            [(a, created, g) for a, created, _n, g in state],
        )
        c.execute("DELETE FROM source_groups WHERE id NOT IN (SELECT group_id FROM source_members)")


# -- verdicts ------------------------------------------------------------------

def _verdict(row: Sequence) -> Verdict:
    return Verdict(row[0], row[1], row[2], tuple(json.loads(row[3] or "[]")), row[4], row[5])


def get_verdict(store: Store, annotation_id: int) -> Verdict | None:
    rows = store._tuples(
        "SELECT v.annotation_id, v.rating, v.explanation, v.evidence, v.reviewer, v.date FROM verdicts v"
        " JOIN annotations n ON n.id = v.annotation_id AND n.created = v.annotation_created WHERE v.annotation_id = ?",
        [annotation_id],
    )
    return _verdict(rows[0]) if rows else None


def verdicts_of(store: Store, article_ids: Sequence[int] | None = None) -> dict[int, Verdict]:
    """``{annotation_id: verdict}`` for the given articles (all when None)."""
    sql = (
        "SELECT v.annotation_id, v.rating, v.explanation, v.evidence, v.reviewer, v.date FROM verdicts v"
        " JOIN annotations n ON n.id = v.annotation_id AND n.created = v.annotation_created"
    )
    if article_ids is None:
        rows = store._tuples(sql)
    else:
        ids = list(article_ids)
        rows = []
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            rows += store._tuples(sql + f" WHERE n.article_id IN ({','.join('?' * len(chunk))})", chunk)
    return {row[0]: _verdict(row) for row in rows}


def set_verdict(store: Store, verdict: Verdict) -> Verdict:
    with store.write() as c:
        row = c.execute("SELECT created FROM annotations WHERE id = ?", (verdict.annotation_id,)).fetchone()
        if row is None:
            raise StoreError(f"There is no annotation with id {verdict.annotation_id}; it may have been deleted.")
        c.execute(
            "INSERT OR REPLACE INTO verdicts (annotation_id, annotation_created, rating, explanation, evidence,"
            " reviewer, date) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (verdict.annotation_id, row[0], verdict.rating, verdict.explanation,
             json.dumps(list(verdict.evidence), ensure_ascii=False), verdict.reviewer, verdict.date),
        )
    return verdict


def delete_verdict(store: Store, annotation_id: int) -> None:
    with store.write() as c:
        c.execute("DELETE FROM verdicts WHERE annotation_id = ?", (annotation_id,))


# -- counts for the charts --------------------------------------------------------

def _article_meta(store: Store, filters: Filters) -> dict[int, tuple[str, str]]:
    """``{article id: (outlet, published)}`` of the articles ``filters`` leave (read once:
    joining them to each annotation would read each article's row, text and all, again and again)."""
    where, params = _article_filters(filters)
    return {r[0]: (r[1], r[2]) for r in store._tuples(
        f"SELECT a.id, a.outlet, a.published FROM articles a {'WHERE ' + where if where else ''}", params,
    )}


def _counts_by_article(store: Store, filters: Filters, extra: str = "") -> list[tuple]:
    """``(tag, article id, [extra,] annotations)`` grouped in SQL, without the articles."""
    where, params = _annotation_filters(filters)
    return store._tuples(
        f"SELECT t.name, n.article_id{', ' + extra if extra else ''}, count(*) FROM annotations n"
        f" JOIN tags t ON t.id = n.tag_id {'WHERE ' + where if where else ''}"
        f" GROUP BY n.tag_id, n.article_id{', ' + extra if extra else ''}",
        params,
    )


def count_by_tag_and_outlet(store: Store, filters: Filters = Filters()) -> list[tuple[str, str, int]]:
    """``(tag, outlet, annotations)``."""
    meta = _article_meta(store, filters)
    totals: dict[tuple[str, str], int] = {}
    for tag, article_id, n in _counts_by_article(store, filters):
        if article_id in meta:
            key = (tag, meta[article_id][0])
            totals[key] = totals.get(key, 0) + n
    return sorted((tag, outlet, n) for (tag, outlet), n in totals.items())


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def count_by_tag_and_week(store: Store, filters: Filters = Filters()) -> list[tuple[str, str, int]]:
    """``(tag, week, annotations)``; the week (``YYYY-Www``, Monday first) of the
    article's publication, or of the annotation when the article has no date."""
    meta = _article_meta(store, filters)
    totals: dict[tuple[str, str], int] = {}
    weeks: dict[str, str] = {}
    for tag, article_id, day, n in _counts_by_article(store, filters, "substr(n.created, 1, 10)"):
        if article_id not in meta:
            continue
        published = meta[article_id][1][:10]
        date = published if _ISO_DATE.fullmatch(published) else day
        if date not in weeks:
            try:
                weeks[date] = _dt.date.fromisoformat(date).strftime("%Y-W%W")
            except ValueError:
                weeks[date] = "(no date)"
        key = (tag, weeks[date])
        totals[key] = totals.get(key, 0) + n
    return sorted(((tag, week, n) for (tag, week), n in totals.items()), key=lambda r: (r[1], r[0]))


def sources_per_claim(store: Store, filters: Filters = Filters()) -> list[tuple[int, int]]:
    """``(number of sources, claims with that many)``."""
    meta = _article_meta(store, filters)
    where, params = _annotation_filters(filters.whose())
    claims = store._tuples(
        "SELECT n.id, n.article_id FROM annotations n WHERE n.tag_id IN (SELECT id FROM tags WHERE name = 'claim')"
        f" {'AND ' + where if where else ''}",
        params,
    )
    linked = dict(store._tuples(
        "SELECT l.from_annotation_id, count(*) FROM annotation_links l JOIN annotations s ON s.id = l.to_annotation_id"
        " WHERE s.tag_id IN (SELECT id FROM tags WHERE name = 'source') GROUP BY l.from_annotation_id"
    ))
    histogram: dict[int, int] = {}
    for claim_id, article_id in claims:
        if article_id in meta:
            k = linked.get(claim_id, 0)
            histogram[k] = histogram.get(k, 0) + 1
    return sorted(histogram.items())


def count_verdicts(store: Store, filters: Filters = Filters()) -> list[tuple[str, int]]:
    """``(rating, claims)``."""
    where, params = _combined(filters, by_tag=False)
    return [tuple(r) for r in store._tuples(
        "SELECT v.rating, count(*) FROM verdicts v"
        " JOIN annotations n ON n.id = v.annotation_id AND n.created = v.annotation_created"
        f" JOIN articles a ON a.id = n.article_id {'WHERE ' + where if where else ''}"
        " GROUP BY v.rating",
        params,
    )]


def outlets(store: Store) -> list[str]:
    """Every outlet named by an article, alphabetically."""
    return [r[0] for r in store._tuples("SELECT DISTINCT outlet FROM articles WHERE outlet != '' ORDER BY outlet")]


def analysts(store: Store) -> list[str]:
    """Every analyst who made an annotation, alphabetically."""
    return [r[0] for r in store._tuples("SELECT DISTINCT annotator FROM annotations WHERE annotator != '' ORDER BY 1")]
