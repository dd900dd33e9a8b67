"""SQLite store: connection, migrations, queries and error mapping."""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from annotator.domain import (
    STATUSES,
    Annotation,
    Article,
    ArticleSummary,
    NewArticle,
    Suggestion,
    Tag,
    content_hash,
)
from annotator.store.migrations import migrations

SCHEMA_VERSION = len(migrations._migrations)
BUSY_TIMEOUT_MS = 15_000


class StoreError(Exception):
    """A storage problem explained for a person (locked, read-only, full, corrupt)."""


def now() -> str:
    """Current UTC time as ISO 8601 with microseconds (sortable text)."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds")


# SQLite's primary result codes for failures of the environment, not of the SQL.
_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_READONLY = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH}
_FULL = {sqlite3.SQLITE_FULL}
_IO = {sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_PROTOCOL, sqlite3.SQLITE_NOLFS}
_CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def error_code(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code of ``error``, or None when Python raised it itself."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _explain(error: sqlite3.Error, path: str) -> StoreError | None:
    """Turn an SQLite error caused by the environment into a readable StoreError.

    The error is classified by SQLite's result code, never by the words of its
    message (``UNIQUE constraint failed: t.full_name`` is not a full disk).
    Errors that are not the environment's fault (SQL bugs, constraint
    violations) return None so that they reach the crash dialog as the bugs they are.
    """
    code = error_code(error)
    if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_CONSTRAINT_TRIGGER:
        # Our own triggers' refusals (another analyst's annotation): written for people.
        return StoreError(str(error))
    if code in _BUSY:
        return StoreError(
            f"The database {path} is busy in another window or program. "
            "Your last action was not saved; please try again."
        )
    if code in _READONLY:
        return StoreError(f"Cannot save: the database {path} is read-only. Check the file's permissions.")
    if code in _FULL:
        return StoreError(f"Cannot save: the disk holding {path} is full. Free some space and try again.")
    if code in _IO:
        return StoreError(f"Cannot read or write the database {path}: {error}.")
    if code in _CORRUPT:
        return StoreError(f"{path} is not a readable annotator database ({error}).")
    return None


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"], title=row["title"], text=row["text"], outlet=row["outlet"],
        author=row["author"], url=row["url"], published=row["published"],
        content_hash=row["content_hash"], added=row["added"], status=row["status"],
    )


def _annotation(row: Sequence) -> Annotation:
    return Annotation(*row)


_ANNOTATION_COLUMNS = (
    'id, article_id, tag_id, start, "end", quote, note, annotator, created, updated, value, origin'
)
_SUGGESTION_COLUMNS = (
    'id, article_id, tag_id, start, "end", quote, score, value, suggester, '
    "suggester_version, source_suggestion_id, status, cue"
)


class Store:
    """An open annotator database. Use :func:`open_store` to get one."""

    def __init__(self, conn: sqlite3.Connection, path: str, *, read_only: bool = False):
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self.db = Database(conn, execute_plugins=False)

    # -- plumbing ---------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            explained = _explain(error, self.path)
            if explained is None:
                raise
            raise explained from error

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it.

        ``BEGIN IMMEDIATE`` takes the write lock up front, so two processes never
        deadlock upgrading a read to a write; the busy timeout makes the second
        one wait its turn instead of failing.
        """
        if self.read_only:
            raise StoreError(f"Cannot save: {self.path} is open read-only (read-only media or permissions).")
        with self._errors():
            if self.conn.in_transaction:  # nested: the outer transaction decides
                yield self.conn
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                # Also after a failed COMMIT (busy, disk full), which can leave the
                # transaction open: later writes would otherwise run "nested" in it
                # and never be committed.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: Sequence | dict = ()) -> list[sqlite3.Row]:
        with self._errors():
            return self.conn.execute(sql, params).fetchall()

    def _tuples(self, sql: str, params: Sequence | dict = ()) -> list[tuple]:
        """Like _query but plain tuples: faster for the big lists (annotations)."""
        with self._errors():
            cursor = self.conn.cursor()
            cursor.row_factory = None
            return cursor.execute(sql, params).fetchall()

    def data_version(self) -> int:
        """SQLite's count of commits by other connections (background jobs, another program)."""
        return self._query("PRAGMA data_version")[0][0]

    def integrity_check(self) -> str:
        return self._query("PRAGMA integrity_check")[0][0]

    # -- settings ---------------------------------------------------------

    def get_setting(self, key: str, default: str = "") -> str:
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def all_settings(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self._query("SELECT key, value FROM settings")}

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as c:
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- articles ---------------------------------------------------------

    def find_duplicate(self, new: NewArticle) -> int | None:
        """Id of an article with the same normalised text or the same URL."""
        rows = self._query(
            "SELECT id FROM articles WHERE content_hash = ? OR (url != '' AND url = ?) LIMIT 1",
            (content_hash(new.text), new.url),
        )
        return rows[0][0] if rows else None

    def insert_article(self, new: NewArticle) -> tuple[int, bool]:
        """Store ``new``; returns ``(id, True)``, or ``(existing id, False)`` for a duplicate."""
        with self.write() as c:
            existing = self.find_duplicate(new)
            if existing is not None:
                return existing, False
            cur = c.execute(
                "INSERT INTO articles (title, outlet, author, url, published, text, content_hash,"
                " added, source_path, source_format, removed_lines)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new.title, new.outlet, new.author, new.url, new.published, new.text,
                    content_hash(new.text), now(), new.source_path, new.source_format,
                    json.dumps(new.removed_lines, ensure_ascii=False),
                ),
            )
            article_id = cur.lastrowid
            if new.original_bytes is not None:
                c.execute(
                    "INSERT INTO article_originals (article_id, file_name, zlib_bytes) VALUES (?, ?, ?)",
                    (article_id, new.original_name, new.original_bytes),
                )
            return article_id, True

    def get_article(self, article_id: int) -> Article:
        rows = self._query("SELECT * FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise StoreError(f"There is no article with id {article_id} in {self.path}.")
        return _article(rows[0])

    def iter_articles(self, article_ids: Iterable[int] | None = None) -> Iterator[Article]:
        """Articles with their text, in id order (all of them when ``article_ids`` is None)."""
        if article_ids is None:
            with self._errors():
                for row in self.conn.execute("SELECT * FROM articles ORDER BY id"):
                    yield _article(row)
        else:
            for article_id in article_ids:
                yield self.get_article(article_id)

    def list_articles(self, ids: Sequence[int] | None = None) -> list[ArticleSummary]:
        """Every article (or those of ``ids``) without its text, newest first, with annotation counts."""
        where = f" WHERE a.id IN ({','.join('?' * len(ids))})" if ids is not None else ""
        rows = self._query(
            "SELECT a.id, a.title, a.outlet, a.status,"
            " (SELECT count(*) FROM annotations n WHERE n.article_id = a.id),"
            " a.added, a.author, a.url, a.published"
            f" FROM articles a{where} ORDER BY a.added DESC, a.id DESC",
            list(ids or ()),
        )
        return [ArticleSummary(*row) for row in rows]

    def article_ids(self) -> list[int]:
        return [row[0] for row in self._query("SELECT id FROM articles ORDER BY id")]

    def latest_article_id(self) -> int | None:
        rows = self._query("SELECT id FROM articles ORDER BY added DESC, id DESC LIMIT 1")
        return rows[0][0] if rows else None

    def has_article(self, article_id: int) -> bool:
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def set_article_status(self, article_id: int, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with self.write() as c:
            c.execute("UPDATE articles SET status = ? WHERE id = ?", (status, article_id))

    def update_article(self, article_id: int, **fields: str) -> None:
        """Change metadata (title, outlet, author, url, published); never the text."""
        allowed = {"title", "outlet", "author", "url", "published"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        if not fields:
            return
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.write() as c:
            c.execute(f"UPDATE articles SET {assignments} WHERE id = ?", (*fields.values(), article_id))

    def replace_article_text(self, article_id: int, text: str, removed_lines: Sequence[str]) -> None:
        """Replace an article's text and its removed lines in one transaction, only
        while it has no annotations and no accepted suggestions (offsets would move);
        its other suggestions are deleted. The search index follows by trigger."""
        with self.write() as c:
            (notes,) = c.execute("SELECT count(*) FROM annotations WHERE article_id = ?", (article_id,)).fetchone()
            (accepted,) = c.execute(
                "SELECT count(*) FROM suggestions WHERE article_id = ? AND status = 'accepted'", (article_id,)
            ).fetchone()
            if notes or accepted:
                raise StoreError(
                    f"The text cannot change: the article has {notes} annotation(s) and {accepted} accepted"
                    " suggestion(s), whose offsets would no longer read their quotes."
                )
            if c.execute("SELECT 1 FROM articles WHERE content_hash = ? AND id != ?",
                         (content_hash(text), article_id)).fetchone():
                raise StoreError("Another article already has exactly this text.")
            c.execute("DELETE FROM suggestions WHERE article_id = ?", (article_id,))
            c.execute(
                "UPDATE articles SET text = ?, content_hash = ?, removed_lines = ? WHERE id = ?",
                (text, content_hash(text), json.dumps(list(removed_lines), ensure_ascii=False), article_id),
            )

    def delete_article(self, article_id: int) -> None:
        with self.write() as c:
            c.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    def removed_lines(self, article_id: int) -> list[str]:
        rows = self._query("SELECT removed_lines FROM articles WHERE id = ?", (article_id,))
        return json.loads(rows[0][0]) if rows else []

    def article_original(self, article_id: int) -> tuple[str, bytes] | None:
        """The original file's name and bytes, as imported."""
        rows = self._query(
            "SELECT file_name, zlib_bytes FROM article_originals WHERE article_id = ?", (article_id,)
        )
        if not rows:
            return None
        return rows[0][0], zlib.decompress(rows[0][1])

    def outlet_texts(self, outlet: str, limit: int = 200) -> list[str]:
        """Texts of recent articles from one outlet (for corpus-level furniture detection)."""
        rows = self._query(
            "SELECT text FROM articles WHERE outlet = ? ORDER BY added DESC LIMIT ?", (outlet, limit)
        )
        return [row[0] for row in rows]

    # -- tags -------------------------------------------------------------

    def list_tags(self) -> list[Tag]:
        rows = self._query(
            "SELECT id, name, colour, shortcut, description, parent_id FROM tags ORDER BY position, id"
        )
        return [Tag(*row) for row in rows]

    def get_tag(self, tag_id: int) -> Tag:
        rows = self._query("SELECT id, name, colour, shortcut, description, parent_id FROM tags WHERE id = ?",
                           (tag_id,))
        if not rows:
            raise StoreError(f"There is no tag with id {tag_id}.")
        return Tag(*rows[0])

    def tag_by_name(self, name: str) -> Tag | None:
        rows = self._query(
            "SELECT id, name, colour, shortcut, description, parent_id FROM tags WHERE name = ?", (name,)
        )
        return Tag(*rows[0]) if rows else None

    def _tag_conflict(self, c: sqlite3.Connection, name: str | None, shortcut: str | None, tag_id: int) -> None:
        if name is not None:
            name = name.strip()
            if not name:
                raise StoreError("A tag needs a name.")
            row = c.execute("SELECT id FROM tags WHERE name = ? AND id != ?", (name, tag_id)).fetchone()
            if row:
                raise StoreError(f"There is already a tag called “{name}”.")
        if shortcut:
            row = c.execute(
                "SELECT name FROM tags WHERE shortcut = ? AND id != ?", (shortcut, tag_id)
            ).fetchone()
            if row:
                raise StoreError(f"The key “{shortcut}” already tags “{row[0]}”.")

    def insert_tag(self, name: str, colour: str, shortcut: str = "", description: str = "",
                   parent_id: int | None = None, *, tag_id: int | None = None) -> Tag:
        """Add a tag; ``tag_id`` gives it back the id it had (redo of an undone creation)."""
        with self.write() as c:
            self._tag_conflict(c, name, shortcut, -1)
            position = c.execute("SELECT coalesce(max(position), 0) + 1 FROM tags").fetchone()[0]
            cur = c.execute(
                "INSERT INTO tags (id, name, colour, shortcut, description, position, parent_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (tag_id, name.strip(), colour, shortcut, description, position, parent_id),
            )
            return Tag(cur.lastrowid, name.strip(), colour, shortcut, description, parent_id)

    def _check_parent(self, c: sqlite3.Connection, tag_id: int, parent_id: int | None) -> None:
        """A tag's category must exist and may not be the tag itself or one of its own sub-tags."""
        while parent_id is not None:
            if parent_id == tag_id:
                raise StoreError("A tag cannot sit under itself or under one of its own sub-tags.")
            row = c.execute("SELECT parent_id FROM tags WHERE id = ?", (parent_id,)).fetchone()
            if row is None:
                raise StoreError(f"There is no tag with id {parent_id} to put this tag under.")
            parent_id = row[0]

    def update_tag(self, tag_id: int, **fields) -> Tag:
        """Change name, colour, shortcut, description or category (``parent_id``) of a tag."""
        allowed = {"name", "colour", "shortcut", "description", "parent_id"}
        if set(fields) - allowed:
            raise ValueError(f"cannot update {sorted(set(fields) - allowed)}")
        if "name" in fields:
            fields["name"] = fields["name"].strip()
        with self.write() as c:
            self._tag_conflict(c, fields.get("name"), fields.get("shortcut"), tag_id)
            if "parent_id" in fields:
                self._check_parent(c, tag_id, fields["parent_id"])
            if fields:
                assignments = ", ".join(f"{name} = ?" for name in fields)
                c.execute(f"UPDATE tags SET {assignments} WHERE id = ?", (*fields.values(), tag_id))
        return self.get_tag(tag_id)

    # -- memos ---------------------------------------------------------------

    def get_memo(self, scope: str, target_id: int = 0) -> str:
        """The memo on the project (scope "project") or on an article ("article", its id)."""
        rows = self._query("SELECT text FROM memos WHERE scope = ? AND target_id = ?", (scope, target_id))
        return rows[0][0] if rows else ""

    def set_memo(self, scope: str, target_id: int, text: str) -> None:
        with self.write() as c:
            c.execute(
                "INSERT INTO memos (scope, target_id, text, updated) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (scope, target_id) DO UPDATE SET text = excluded.text, updated = excluded.updated",
                (scope, target_id, text, now()),
            )

    def search_memos(self, words: str) -> list[tuple[str, int, str]]:
        """``(scope, target_id, text)`` of the memos, tag memos (descriptions) included,
        that contain every word of ``words`` (case-insensitive)."""
        terms = words.split()
        rows = self._tuples(
            "SELECT scope, target_id, text FROM memos WHERE text != ''"
            " UNION ALL SELECT 'tag', id, description FROM tags WHERE description != ''"
            " ORDER BY 1, 2")
        return [row for row in rows if all(t.casefold() in row[2].casefold() for t in terms)]

    def tag_usage(self, tag_id: int) -> int:
        return self._query("SELECT count(*) FROM annotations WHERE tag_id = ?", (tag_id,))[0][0]

    def delete_tag(self, tag_id: int) -> int:
        """Delete a tag and the annotations that use it; returns how many went."""
        with self.write() as c:
            count = c.execute("DELETE FROM annotations WHERE tag_id = ?", (tag_id,)).rowcount
            c.execute("DELETE FROM tags WHERE id = ?", (tag_id,))
            return count

    # -- annotations ------------------------------------------------------

    def insert_annotation(
        self,
        article_id: int,
        tag_id: int,
        start: int,
        end: int,
        quote: str,
        *,
        note: str = "",
        annotator: str = "",
        value: str = "",
        origin: str = "",
        annotation_id: int | None = None,
        created: str | None = None,
        updated: str | None = None,
    ) -> Annotation:
        """Store one annotation. SQLite itself checks that ``quote`` is exactly
        ``text[start:end]`` (its substr counts code points), so a wrong span can
        never be stored."""
        if not 0 <= start < end:
            raise StoreError(f"Span {start}-{end} of article {article_id} is empty; select some text to tag.")
        if len(quote) != end - start:
            raise StoreError(f"Span {start}-{end} of article {article_id} does not read {quote[:60]!r}.")
        stamp = now()
        created = created or stamp
        updated = updated or created
        with self.write() as c:
            try:
                cur = c.execute(
                    f"INSERT INTO annotations ({_ANNOTATION_COLUMNS})"
                    " SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM articles"
                    # With len(quote) == end - start, a match also proves end <= length(text),
                    # without length() scanning the whole (possibly 1 MB) text every time.
                    " WHERE id = ? AND substr(text, ? + 1, ? - ?) = ?",
                    (
                        annotation_id, tag_id, start, end, quote, note, annotator, created, updated,
                        value, origin, article_id, start, end, start, quote,
                    ),
                )
            except sqlite3.IntegrityError as error:
                # Another window may have deleted the tag since this one showed it.
                if c.execute("SELECT 1 FROM tags WHERE id = ?", (tag_id,)).fetchone() is None:
                    raise StoreError(
                        f"There is no tag with id {tag_id}; it may have been deleted in another window."
                    ) from error
                raise
            if cur.rowcount != 1:
                if not self.has_article(article_id):
                    raise StoreError(f"There is no article with id {article_id}.")
                raise StoreError(
                    f"Span {start}-{end} of article {article_id} does not read {quote[:60]!r}."
                )
            return Annotation(
                cur.lastrowid, article_id, tag_id, start, end, quote, note, annotator,
                created, updated, value, origin,
            )

    def get_annotation(self, annotation_id: int) -> Annotation:
        rows = self._query(f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,))
        if not rows:
            raise StoreError(f"There is no annotation with id {annotation_id}.")
        return _annotation(rows[0])

    def list_annotations(self, article_id: int) -> list[Annotation]:
        rows = self._tuples(
            f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE article_id = ?"
            ' ORDER BY start, "end", id',
            (article_id,),
        )
        return [Annotation(*row) for row in rows]

    def count_annotations(self, article_id: int | None = None) -> int:
        if article_id is None:
            return self._query("SELECT count(*) FROM annotations")[0][0]
        return self._query("SELECT count(*) FROM annotations WHERE article_id = ?", (article_id,))[0][0]

    def update_annotation(
        self, annotation_id: int, *, tag_id: int | None = None, note: str | None = None, value: str | None = None
    ) -> Annotation:
        """Retag an annotation, change its note or its normalised value."""
        with self.write() as c:
            if value is not None:
                c.execute("UPDATE annotations SET value = ?, updated = ? WHERE id = ?", (value, now(), annotation_id))
            if tag_id is not None:
                if c.execute("SELECT 1 FROM tags WHERE id = ?", (tag_id,)).fetchone() is None:
                    raise StoreError(
                        f"There is no tag with id {tag_id}; it may have been deleted in another window."
                    )
                c.execute("UPDATE annotations SET tag_id = ?, updated = ? WHERE id = ?", (tag_id, now(), annotation_id))
            if note is not None:
                c.execute("UPDATE annotations SET note = ?, updated = ? WHERE id = ?", (note, now(), annotation_id))
        return self.get_annotation(annotation_id)

    def delete_annotations(
        self, annotation_ids: Iterable[int]
    ) -> tuple[list[Annotation], list[tuple[int, int, str, str]]]:
        """Delete annotations; returns them and their links ``(from, to, kind, cue)`` so that
        undo can restore both."""
        ids = list(annotation_ids)
        marks = ",".join("?" * len(ids))
        with self.write() as c:
            deleted = [
                _annotation(row)
                for row in c.execute(f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id IN ({marks})", ids)
            ]
            links = c.execute(
                "SELECT from_annotation_id, to_annotation_id, kind, cue FROM annotation_links"
                f" WHERE from_annotation_id IN ({marks}) OR to_annotation_id IN ({marks})",
                ids + ids,
            ).fetchall()
            c.execute(f"DELETE FROM annotations WHERE id IN ({marks})", ids)
        return deleted, [tuple(link) for link in links]

    def restore_annotations(self, annotations: Iterable[Annotation], links: Iterable[tuple] = ()) -> None:
        """Put deleted annotations (and their links) back exactly as they were."""
        with self.write():
            for a in annotations:
                self.insert_annotation(
                    a.article_id, a.tag_id, a.start, a.end, a.quote, note=a.note,
                    annotator=a.annotator, value=a.value, origin=a.origin,
                    annotation_id=a.id, created=a.created, updated=a.updated,
                )
            for link in links:
                self.insert_link(*link)

    # -- links between annotations -----------------------------------------

    def insert_link(self, from_annotation_id: int, to_annotation_id: int, kind: str = "source", cue: str = "") -> None:
        """Link two annotations; ``cue`` is the attribution's cue ("said") of a claim–source link."""
        with self.write() as c:
            c.execute(
                "INSERT OR IGNORE INTO annotation_links (from_annotation_id, to_annotation_id, kind, cue)"
                " VALUES (?, ?, ?, ?)",
                (from_annotation_id, to_annotation_id, kind, cue),
            )

    def replace_links(self, from_annotation_id: int, kind: str, to_annotation_ids: Iterable[int]) -> list[int]:
        """Make ``to_annotation_ids`` the only links of ``kind`` from one annotation
        (none: remove them); returns the targets it had before."""
        with self.write() as c:
            before = [r[0] for r in c.execute(
                "SELECT to_annotation_id FROM annotation_links WHERE from_annotation_id = ? AND kind = ?"
                " ORDER BY to_annotation_id", (from_annotation_id, kind))]
            c.execute("DELETE FROM annotation_links WHERE from_annotation_id = ? AND kind = ?",
                      (from_annotation_id, kind))
            for target in to_annotation_ids:
                self.insert_link(from_annotation_id, target, kind)
        return before

    def link_cue(self, from_annotation_id: int, to_annotation_id: int, kind: str = "source") -> str:
        """The cue stored with a link ("" when there is none, or no such link)."""
        rows = self._query(
            "SELECT cue FROM annotation_links WHERE from_annotation_id = ? AND to_annotation_id = ? AND kind = ?",
            (from_annotation_id, to_annotation_id, kind),
        )
        return rows[0][0] if rows else ""

    def links_of(self, annotation_id: int) -> list[tuple[int, int, str]]:
        """``(from_annotation_id, to_annotation_id, kind)`` of the links to or from one annotation."""
        return [
            tuple(r)
            for r in self._query(
                "SELECT from_annotation_id, to_annotation_id, kind FROM annotation_links"
                " WHERE from_annotation_id = ? UNION ALL"
                " SELECT from_annotation_id, to_annotation_id, kind FROM annotation_links"
                " WHERE to_annotation_id = ? AND from_annotation_id != ?",
                (annotation_id, annotation_id, annotation_id),
            )
        ]

    def list_links(self, article_id: int | None = None) -> list[tuple[int, int, str]]:
        """``(from_annotation_id, to_annotation_id, kind)`` for one article or all."""
        sql = "SELECT l.from_annotation_id, l.to_annotation_id, l.kind FROM annotation_links l"
        if article_id is None:
            return [tuple(r) for r in self._query(sql)]
        return [
            tuple(r)
            for r in self._query(
                sql + " JOIN annotations a ON a.id = l.from_annotation_id WHERE a.article_id = ?",
                (article_id,),
            )
        ]

    # -- export rows ------------------------------------------------------

    def iter_export_rows(self, article_ids: Sequence[int] | None = None, context_chars: int = 40) -> Iterator[tuple]:
        """Rows for tabular exports, ordered by article and offset:
        ``(article_id, title, url, tag, start, end, quote, note, annotator, created,
        updated, context_before, context_after, annotation_id, source_id, source_quote)``.
        The context is cut by SQLite (code points), so no article text is copied into
        Python. ``source_id``/``source_quote`` are the source a claim is linked to
        ("said by"; the lowest id when there are several), else None."""
        where = ""
        params: list = [context_chars, context_chars, context_chars]
        if article_ids is not None:
            where = f" WHERE n.article_id IN ({','.join('?' * len(article_ids))})"
            params += list(article_ids)
        sql = (
            'SELECT n.article_id, a.title, a.url, t.name, n.start, n."end", n.quote, n.note,'
            " n.annotator, n.created, n.updated,"
            " substr(a.text, max(n.start - ?, 0) + 1, min(n.start, ?)),"
            ' substr(a.text, n."end" + 1, ?), n.id, s.id, s.quote'
            " FROM annotations n JOIN articles a ON a.id = n.article_id"
            " JOIN tags t ON t.id = n.tag_id"
            " LEFT JOIN annotations s ON s.id = (SELECT min(l.to_annotation_id) FROM annotation_links l"
            f" WHERE l.from_annotation_id = n.id AND l.kind = 'source'){where}"
            ' ORDER BY n.article_id, n.start, n."end", n.id'
        )
        with self._errors():
            yield from self.conn.execute(sql, params)

    # -- exchange: matching and bulk import (used by services.exchange) --------

    def article_keys(self) -> list[tuple[int, str, str, str]]:
        """``(id, content_hash, url, title)`` of every article, without the texts,
        so that an import can find the articles its annotations belong to."""
        return [tuple(r) for r in self._query("SELECT id, content_hash, url, title FROM articles ORDER BY id")]

    def insert_annotations(self, annotations: Sequence[Annotation]) -> list[int]:
        """Store many annotations at once and return their new ids, in order.

        The ``id`` of each given annotation is ignored: ids are assigned here.
        SQLite checks every quote as :meth:`insert_annotation` does; if any span
        does not read its quote, nothing is stored and StoreError names it.
        """
        with self.write() as c:
            # A quote as long as its span that substr() finds there also proves the span
            # fits the text, without length() reading the whole text for every row.
            bad = next((a for a in annotations if not 0 <= a.start < a.end or len(a.quote) != a.end - a.start), None)
            first = c.execute("SELECT coalesce(max(id), 0) + 1 FROM annotations").fetchone()[0]
            ids = list(range(first, first + len(annotations)))
            rows = [
                (
                    new_id, a.tag_id, a.start, a.end, a.quote, a.note, a.annotator, a.created,
                    a.updated or a.created, a.value, a.origin, a.article_id, a.start, a.end, a.start, a.quote,
                )
                for new_id, a in zip(ids, annotations)
            ]
            stored_rows = 0
            if bad is None:
                # rowcount, not total_changes: rows that triggers touch do not count.
                stored_rows = c.executemany(
                    f"INSERT INTO annotations ({_ANNOTATION_COLUMNS})"
                    " SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM articles"
                    " WHERE id = ? AND substr(text, ? + 1, ? - ?) = ?",
                    rows,
                ).rowcount
            if bad is not None or stored_rows != len(rows):
                stored = {r[0] for r in c.execute("SELECT id FROM annotations WHERE id >= ?", (first,))}
                bad = bad or next(a for new_id, a in zip(ids, annotations) if new_id not in stored)
                raise StoreError(
                    f"Span {bad.start}-{bad.end} of article {bad.article_id} does not read {bad.quote[:60]!r};"
                    " nothing was imported."
                )
            return ids

    def insert_links(self, links: Iterable[tuple[int, int, str]]) -> None:
        """Store many ``(from_annotation_id, to_annotation_id, kind)`` links at once."""
        with self.write() as c:
            c.executemany(
                "INSERT OR IGNORE INTO annotation_links (from_annotation_id, to_annotation_id, kind)"
                " VALUES (?, ?, ?)",
                list(links),
            )

    # -- suggestions --------------------------------------------------------

    def replace_suggestions(self, article_id: int, spans: Sequence[dict]) -> list[Suggestion]:
        """Replace the article's pending suggestions with ``spans``.

        Each span is a dict with tag_id, start, end, quote, score, value,
        suggester, suggester_version and optionally ``source_index`` (index of
        another span in ``spans``) and ``cue`` (the attribution's cue). Spans the analyst already rejected or accepted
        are not proposed again.
        """
        # Spans are checked against the text here, once, and wrong ones skipped, so
        # the write transaction stays short even for thousands of suggestions.
        text = self.get_article(article_id).text

        def fits(span: dict) -> bool:
            start, end = span["start"], span["end"]
            return 0 <= start < end <= len(text) and text[start:end] == span["quote"]

        with self.write() as c:
            c.execute("DELETE FROM suggestions WHERE article_id = ? AND status = 'pending'", (article_id,))
            stamp = now()
            ids: list[int | None] = []
            for span in spans:
                if not fits(span):
                    ids.append(None)
                    continue
                cur = c.execute(
                    'INSERT OR IGNORE INTO suggestions (article_id, tag_id, start, "end", quote, score,'
                    " value, suggester, suggester_version, created, cue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article_id, span["tag_id"], span["start"], span["end"], span["quote"],
                        span.get("score", 0.0), span.get("value", ""), span.get("suggester", ""),
                        span.get("suggester_version", ""), stamp, span.get("cue", ""),
                    ),
                )
                if cur.rowcount == 1:
                    ids.append(cur.lastrowid)
                    continue
                # Already accepted or rejected: keep its id, so a claim and its source
                # are linked whichever of them is accepted first, in whichever run.
                known = c.execute(
                    'SELECT id FROM suggestions WHERE article_id = ? AND tag_id = ? AND start = ? AND "end" = ?',
                    (article_id, span["tag_id"], span["start"], span["end"]),
                ).fetchone()
                ids.append(known[0] if known else None)
            links = [
                (ids[span["source_index"]], own)
                for span, own in zip(spans, ids)
                if own is not None and span.get("source_index") is not None and ids[span["source_index"]] is not None
            ]
            c.executemany("UPDATE suggestions SET source_suggestion_id = ? WHERE id = ?", links)
        return self.list_suggestions(article_id)

    def list_suggestions(self, article_id: int, status: str = "pending") -> list[Suggestion]:
        rows = self._query(
            f"SELECT {_SUGGESTION_COLUMNS} FROM suggestions WHERE article_id = ? AND status = ?"
            ' ORDER BY start, "end", id',
            (article_id, status),
        )
        return [Suggestion(*row) for row in rows]

    def reject_suggestions(self, suggestion_ids: Iterable[int]) -> None:
        with self.write() as c:
            c.executemany(
                "UPDATE suggestions SET status = 'rejected' WHERE id = ?", [(i,) for i in suggestion_ids]
            )

    def suggestion_article_ids(self, suggestion_ids: Iterable[int]) -> set[int]:
        """The articles the given suggestions belong to."""
        ids = list(suggestion_ids)
        marks = ",".join("?" * len(ids))
        return {row[0] for row in self._query(f"SELECT DISTINCT article_id FROM suggestions WHERE id IN ({marks})", ids)}

    def reset_suggestion(self, suggestion_id: int) -> None:
        """Make a rejected or accepted suggestion pending again (undo)."""
        with self.write() as c:
            c.execute(
                "UPDATE suggestions SET status = 'pending', annotation_id = NULL WHERE id = ?", (suggestion_id,)
            )

    def accept_suggestion(self, suggestion_id: int, *, annotator: str, tag_id: int | None = None) -> Annotation:
        """Turn a suggestion into an annotation (optionally under another tag), keeping
        its value and provenance, and link claim and source when both are accepted."""
        with self.write() as c:
            row = c.execute(
                f"SELECT {_SUGGESTION_COLUMNS}, annotation_id FROM suggestions WHERE id = ?", (suggestion_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"There is no suggestion with id {suggestion_id}.")
            s = Suggestion(*row[:-1])
            origin = json.dumps(
                {"suggester": s.suggester, "version": s.suggester_version, "score": s.score},
                ensure_ascii=False,
            )
            annotation = self.insert_annotation(
                s.article_id, tag_id or s.tag_id, s.start, s.end, s.quote,
                annotator=annotator, value=s.value, origin=origin,
            )
            c.execute(
                "UPDATE suggestions SET status = 'accepted', annotation_id = ? WHERE id = ?",
                (annotation.id, suggestion_id),
            )
            if s.source_suggestion_id is not None:
                source = c.execute(
                    "SELECT annotation_id FROM suggestions WHERE id = ? AND status = 'accepted'",
                    (s.source_suggestion_id,),
                ).fetchone()
                if source and source[0] is not None:
                    self.insert_link(annotation.id, source[0], "source", s.cue)
            for claim_annotation, cue in c.execute(
                "SELECT annotation_id, cue FROM suggestions WHERE source_suggestion_id = ?"
                " AND status = 'accepted' AND annotation_id IS NOT NULL",
                (suggestion_id,),
            ).fetchall():
                self.insert_link(claim_annotation, annotation.id, "source", cue)
            return annotation


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the database (WAL included, via SQLite's backup API) before migrating it.

    Called outside any transaction: a backup read while a write lock is held,
    by this connection or another, can wait for that lock forever.
    """
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-schema-{version + 1}.{stamp}{path.suffix or '.db'}")
    copy = sqlite3.connect(str(target))
    try:
        conn.backup(copy)
    finally:
        copy.close()
    return target


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """Turn on WAL mode, waiting (up to the busy timeout) for other connections:
    SQLite reports "database is locked" at once here, without its busy handler,
    when another window opens the same new file at the same moment."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _read_only_uri(path: Path) -> str | None:
    """An SQLite URI that opens ``path`` read-only when this process cannot write
    it (read-only media, a file without write permission), else None.

    On a folder that cannot be written SQLite cannot create the WAL's ``-shm``
    either, so the file is opened as immutable: readable, never changed.
    """
    if not path.exists():
        return None
    uri = "file:" + quote(str(path.resolve()))
    if not os.access(path.parent, os.W_OK):
        return uri + "?immutable=1"
    if not os.access(path, os.W_OK):
        return uri + "?mode=ro"
    return None


def _identify(conn: sqlite3.Connection, store: Store, shown: str) -> set[str]:
    """The migrations applied to the file, read in one read
    transaction (a window creating this file at the same moment must not be seen
    half-way), refusing files that are not annotator databases.

    The file is identified by SQLite itself: opening it with anything else and
    closing that descriptor would drop every lock this process holds on it
    (SQLite's "How To Corrupt An SQLite Database File", section 2.2).
    """
    try:
        conn.execute("BEGIN")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            applied = {m.name for m in migrations.applied(store.db)}
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            # Never COMMIT after a failure: that would hide the real error behind
            # "cannot commit - no transaction is active".
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    except sqlite3.DatabaseError as error:
        if error_code(error) == sqlite3.SQLITE_NOTADB:
            raise StoreError(f"{shown} is not an annotator database (it is not an SQLite file).") from error
        raise
    known = {m.name for m in migrations._migrations}
    if tables - {migrations.migrations_table} and not applied:
        raise StoreError(f"{shown} is an SQLite database of another program, not an annotator database.")
    if version > SCHEMA_VERSION or applied - known:
        raise StoreError(
            f"{shown} was written by a newer version of annotator (schema {version}; "
            f"this program knows up to {SCHEMA_VERSION}). Please upgrade annotator."
        )
    return applied


def open_store(path: str | Path) -> Store:
    """Open (creating if needed) and migrate the database at ``path``.

    Refuses, with a :class:`StoreError`, a file that is not an SQLite database,
    a damaged one and a database written by a newer annotator, before changing
    anything in it. The file is copied before any migration of an existing
    database. A database this process cannot write (read-only media or
    permissions) is opened read-only: it can be read and exported, and every
    write says that changes cannot be saved.

    The file itself is only ever opened through SQLite (see :func:`_identify`).
    """
    path = Path(path).expanduser()
    shown = str(path)
    if path.is_dir():
        raise StoreError(f"{shown} is a folder, not a database file.")
    existed = path.exists() and path.stat().st_size > 0
    read_only_uri = _read_only_uri(path) if existed else None
    if not existed:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"Cannot create the folder for {shown}: {error.strerror}.") from error
    try:
        conn = sqlite3.connect(
            read_only_uri or str(path), uri=read_only_uri is not None,
            timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False,
        )
    except sqlite3.Error as error:
        raise _explain(error, shown) or StoreError(f"Cannot open {shown}: {error}.") from error
    conn.row_factory = sqlite3.Row
    store = Store(conn, shown, read_only=read_only_uri is not None)
    try:
        with store._errors():
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # Identify the file before changing anything in it (journal mode
            # included): another program's database must be left untouched.
            applied = _identify(conn, store, shown)
            if store.read_only:
                if migrations.pending(store.db):
                    raise StoreError(
                        f"{shown} needs upgrading to this version of annotator, but it is read-only. "
                        "Copy it to a folder you can write to and open the copy."
                    )
                return store
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                # A damaged database must be refused before its header changes.
                if existed and conn.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                    raise StoreError(f"{shown} is damaged (SQLite's check found corrupt pages); nothing was changed.")
                _switch_to_wal(conn)
            # NORMAL in WAL mode survives any crash of the program; only a power
            # cut can lose the last commits. It keeps tagging under a millisecond.
            conn.execute("PRAGMA synchronous = NORMAL")
            if migrations.pending(store.db):
                if existed and applied:
                    _backup(conn, path, len(applied))
                # Another window may be creating or migrating the same file right
                # now: take the write lock first, then look again.
                with store.write():
                    if migrations.pending(store.db):
                        migrations.apply(store.db)
                        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.close()
        raise
    return store
