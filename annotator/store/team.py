"""The local side of team sync: what is still to be sent, marking it sent, and
applying what the team server sent, each in one SQLite transaction.

A row is "to send" while ``rev > pushed_rev`` (annotations, tags) or ``pushed =
0`` (articles, links); deletions wait in ``sync_tombstones``. Marking sent only
touches rows whose ``rev`` is still the one sent, so an edit made during a sync
is sent by the next one. Pulled rows are applied while ``sync_applying`` holds a
row, so the triggers of migration 4 neither mark them as local changes nor apply
the ownership rules to them, and the pull cursor moves in the same transaction:
a sync killed at any moment leaves either all of a pull or none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from annotator.domain import Annotation
from annotator.store.core import Store, StoreError, now

ARTICLE_FIELDS = ("content_hash", "title", "outlet", "author", "url", "published", "text", "added")
TAG_FIELDS = ("name", "colour", "shortcut", "description", "position", "deleted")
ANNOTATION_FIELDS = (
    "uuid", "article_hash", "tag_name", "start", "end", "quote", "note", "analyst", "layer",
    "created", "updated", "value", "origin", "deleted",
)
LINK_FIELDS = ("from_uuid", "to_uuid", "kind", "cue", "analyst", "created")
FIELD_FIELDS = ("article_hash", "field", "value", "changed_at", "changed_by")
STATUS_FIELDS = ("article_hash", "analyst", "status", "changed_at")
METADATA = ("title", "outlet", "author", "url", "published")
# The present value of an ``article_changes`` row ``c`` of article ``a``: a column, or the memo.
_FIELD_VALUE = (
    "CASE c.field " + " ".join(f"WHEN '{f}' THEN a.{f}" for f in (*METADATA, "status"))
    + " ELSE coalesce((SELECT m.text FROM memos m WHERE m.scope = 'article' AND m.target_id = a.id), '') END"
)


@dataclass(frozen=True)
class Membership:
    """This file's team: the server it syncs with, its analyst, and the pull cursor."""

    server_id: str
    analyst: str
    curator: bool
    cursor: int
    last_sync: str


@dataclass
class Outbox:
    """Rows to send, as plain tuples in the field orders above (annotations carry
    their ``rev`` last, to mark them sent)."""

    articles: list[tuple] = field(default_factory=list)
    tags: list[tuple] = field(default_factory=list)
    annotations: list[tuple] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)
    links: list[tuple] = field(default_factory=list)
    fields: list[tuple] = field(default_factory=list)     # FIELD_FIELDS: metadata and memos
    statuses: list[tuple] = field(default_factory=list)   # STATUS_FIELDS: this analyst's statuses
    rejections: list[tuple] = field(default_factory=list)  # curators: (uuid, article_hash, curator, at)
    withdrawals: list[str] = field(default_factory=list)   # curators: uuids no longer rejected
    article_deletions: list[tuple] = field(default_factory=list)  # curators: (content_hash, deleted_at)
    project: list[tuple] = field(default_factory=list)     # (field, value, changed_at, analyst): the memo
    others: int = 0  # changed annotations under another analyst's name: never sent from here

    def __bool__(self) -> bool:
        return bool(self.articles or self.tags or self.annotations or self.deletions or self.links
                    or self.fields or self.statuses or self.rejections or self.withdrawals
                    or self.article_deletions or self.project)


@dataclass
class Applied:
    """What a pull changed here."""

    articles: int = 0
    tags: int = 0
    annotations: int = 0
    removed: int = 0
    links: int = 0
    mismatched: int = 0  # annotations whose quote does not read so in the local text
    fields: int = 0      # article metadata and memos changed here
    statuses: int = 0    # analysts' statuses of articles changed here
    rejections: int = 0  # curators' rejections made or withdrawn here
    project: int = 0     # project fields (the memo) changed here
    # The local articles whose rows, annotations, links, fields, statuses or curation the
    # pull changed, new ones included; and those it deleted (their ids are gone now).
    changed_articles: set[int] = field(default_factory=set)
    removed_articles: set[int] = field(default_factory=set)


def membership(store: Store) -> Membership | None:
    rows = store._query("SELECT server_id, analyst, curator, cursor, last_sync FROM team")
    if not rows:
        return None
    r = rows[0]
    return Membership(r[0], r[1], bool(r[2]), r[3], r[4])


def join(store: Store, server_id: str, analyst: str, curator: bool) -> Membership:
    """Record that this file syncs with ``server_id`` as ``analyst``.

    On a first join, the local annotations made under this file's own name become
    the analyst's (they are their work from before the team). With another server
    than before, everything is sent and read again."""
    with store.write() as c:
        before = membership(store)
        if before is None:
            own = store.get_setting("annotator_name")
            if own and own != analyst:
                c.execute("INSERT INTO sync_applying VALUES (1)")
                c.execute("UPDATE annotations SET annotator = ? WHERE annotator = ? AND layer = ''", (analyst, own))
                c.execute("DELETE FROM sync_applying")
        if before is None or before.server_id != server_id:
            c.execute("UPDATE annotations SET pushed_rev = 0")
            c.execute("UPDATE tags SET pushed_rev = 0")
            c.execute("UPDATE articles SET pushed = 0")
            c.execute("UPDATE annotation_links SET pushed = 0")
            c.execute("UPDATE article_changes SET pushed = 0")
            c.execute("UPDATE curation_rejections SET pushed = 0")
            c.execute("UPDATE project_changes SET pushed = 0")
            c.execute("DELETE FROM team")
            c.execute("INSERT INTO team (id, server_id, analyst, curator) VALUES (1, ?, ?, ?)",
                      (server_id, analyst, int(curator)))
        else:
            c.execute("UPDATE team SET analyst = ?, curator = ?", (analyst, int(curator)))
        c.execute(
            "INSERT INTO settings (key, value) VALUES ('annotator_name', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (analyst,),
        )
    return membership(store)


def outbox(store: Store) -> Outbox:
    """Everything this analyst has to send (curators: the codebook and the curated
    layer too)."""
    team = membership(store)
    if team is None:
        return Outbox()
    box = Outbox()
    box.articles = store._tuples(
        f"SELECT {', '.join(ARTICLE_FIELDS)} FROM articles WHERE NOT pushed AND source_format != 'sample'"
    )
    if team.curator:
        box.tags = store._tuples(
            "SELECT name, colour, shortcut, description, position, 0, rev FROM tags WHERE rev > pushed_rev"
        )
    box.annotations = store._tuples(
        "SELECT n.uuid, a.content_hash, t.name, n.start, n.\"end\", n.quote, n.note, n.annotator, n.layer,"
        " n.created, n.updated, n.value, n.origin, 0, n.rev"
        " FROM annotations n JOIN articles a ON a.id = n.article_id JOIN tags t ON t.id = n.tag_id"
        " WHERE n.rev > n.pushed_rev AND ((n.layer = '' AND n.annotator = ?) OR (n.layer = 'curated' AND ?))",
        (team.analyst, int(team.curator)),
    )
    box.others = store._query(
        "SELECT count(*) FROM annotations WHERE rev > pushed_rev AND layer = '' AND annotator != ?",
        (team.analyst,),
    )[0][0]
    box.deletions = [
        r[0] for r in store._tuples("SELECT key FROM sync_tombstones WHERE kind = 'annotation' AND NOT sent")
    ]
    box.links = store._tuples(
        "SELECT f.uuid, t.uuid, l.kind, l.cue, l.analyst, l.created FROM annotation_links l"
        " JOIN annotations f ON f.id = l.from_annotation_id JOIN annotations t ON t.id = l.to_annotation_id"
        " WHERE NOT l.pushed AND l.analyst = ?",
        (team.analyst,),
    )
    # Every change made here is this analyst's: the server checks that they send as themselves.
    changes = store._tuples(
        f"SELECT a.content_hash, c.field, {_FIELD_VALUE}, c.changed_at"
        " FROM article_changes c JOIN articles a ON a.id = c.article_id"
        " WHERE NOT c.pushed AND a.source_format != 'sample'"
    )
    box.fields = [(h, f, value, at, team.analyst) for h, f, value, at in changes if f != "status"]
    box.statuses = [(h, team.analyst, value, at) for h, f, value, at in changes if f == "status"]
    if team.curator:
        box.rejections = store._tuples(
            "SELECT r.uuid, a.content_hash, ?, r.at FROM curation_rejections r JOIN articles a ON a.id = r.article_id"
            " WHERE NOT r.pushed AND a.source_format != 'sample'",
            (team.analyst,),
        )
        box.withdrawals = [r[0] for r in store._tuples(
            "SELECT key FROM sync_tombstones WHERE kind = 'rejection' AND NOT sent")]
    box.article_deletions = store._tuples(
        "SELECT key, deleted_at FROM sync_tombstones WHERE kind = 'article' AND NOT sent")
    box.project = [
        (f, value, at, team.analyst) for f, value, at in store._tuples(
            "SELECT c.field, coalesce((SELECT m.text FROM memos m WHERE m.scope = 'project' AND m.target_id = 0), ''),"
            " c.changed_at FROM project_changes c WHERE NOT c.pushed")
    ]
    return box


def mark_sent(
    store: Store, box: Outbox, *, annotations: Sequence[str], links: Sequence[tuple[str, str, str]]
) -> None:
    """Mark what the server took: ``box``'s articles, tags and deletions, and of its
    annotations and links those named (the others wait, e.g. for their tag)."""
    taken = set(annotations)
    with store.write() as c:
        c.executemany("UPDATE articles SET pushed = 1 WHERE content_hash = ?", [(a[0],) for a in box.articles])
        c.executemany("UPDATE tags SET pushed_rev = ? WHERE name = ? AND rev = ?",
                      [(t[-1], t[0], t[-1]) for t in box.tags])
        c.executemany(
            "UPDATE annotations SET pushed_rev = ? WHERE uuid = ? AND rev = ?",
            [(a[-1], a[0], a[-1]) for a in box.annotations if a[0] in taken],
        )
        c.executemany("UPDATE sync_tombstones SET sent = 1 WHERE kind = 'annotation' AND key = ?",
                      [(key,) for key in box.deletions])
        c.executemany(
            "UPDATE annotation_links SET pushed = 1"
            " WHERE from_annotation_id = (SELECT id FROM annotations WHERE uuid = ?)"
            " AND to_annotation_id = (SELECT id FROM annotations WHERE uuid = ?) AND kind = ?",
            list(links),
        )
        # Only the change sent: one made during the sync (a later time) waits for the next.
        c.executemany(
            "UPDATE article_changes SET pushed = 1 WHERE field = ? AND changed_at = ?"
            " AND article_id = (SELECT id FROM articles WHERE content_hash = ?)",
            [(f[1], f[3], f[0]) for f in box.fields] + [("status", s[3], s[0]) for s in box.statuses],
        )
        c.executemany("UPDATE curation_rejections SET pushed = 1 WHERE uuid = ? AND at = ?",
                      [(r[0], r[3]) for r in box.rejections])
        c.executemany("UPDATE sync_tombstones SET sent = 1 WHERE kind = 'rejection' AND key = ?",
                      [(key,) for key in box.withdrawals])
        c.executemany("UPDATE sync_tombstones SET sent = 1 WHERE kind = 'article' AND key = ? AND deleted_at = ?",
                      box.article_deletions)
        c.executemany("UPDATE project_changes SET pushed = 1 WHERE field = ? AND changed_at = ?",
                      [(f[0], f[2]) for f in box.project])


_STAGE = """
CREATE TEMP TABLE IF NOT EXISTS pulled_tags (name TEXT, colour TEXT, shortcut TEXT, description TEXT,
    position INTEGER, deleted INTEGER);
CREATE TEMP TABLE IF NOT EXISTS pulled_annotations (uuid TEXT PRIMARY KEY, article_hash TEXT, tag_name TEXT,
    start INTEGER, "end" INTEGER, quote TEXT, note TEXT, analyst TEXT, layer TEXT, created TEXT,
    updated TEXT, value TEXT, origin TEXT, deleted INTEGER);
CREATE TEMP TABLE IF NOT EXISTS pulled_links (from_uuid TEXT, to_uuid TEXT, kind TEXT, cue TEXT,
    analyst TEXT, created TEXT);
DELETE FROM pulled_tags; DELETE FROM pulled_annotations; DELETE FROM pulled_links;
"""


def apply_pull(
    store: Store, *, articles: Sequence[tuple], tags: Sequence[tuple], annotations: Sequence[tuple],
    links: Sequence[tuple], cursor: int, fields: Sequence[tuple] = (), statuses: Sequence[tuple] = (),
    rejections: Sequence[tuple] = (), project: Sequence[tuple] = (),
) -> Applied:
    """Apply rows read from the server (tuples in the field orders above; an article
    may carry a ninth, ``deleted``) and move the pull cursor to ``cursor``, all in one
    transaction.

    An own annotation changed here and not yet sent keeps the local version (it is
    sent next); one deleted here and not yet sent stays deleted. A deleted article
    goes with everything on it; an article deleted here is not taken back."""
    done = Applied()
    with store.write() as c:
        c.execute("INSERT INTO sync_applying VALUES (1)")
        for statement in _STAGE.split(";"):
            if statement.strip():
                c.execute(statement)
        c.executemany("INSERT INTO pulled_tags VALUES (?, ?, ?, ?, ?, ?)", tags)
        # A pulled tag takes its key only when no other local tag has it.
        done.tags = c.execute(
            "INSERT INTO tags (name, colour, shortcut, description, position, rev, pushed_rev)"
            " SELECT p.name, p.colour,"
            "  CASE WHEN EXISTS (SELECT 1 FROM tags o WHERE o.shortcut = p.shortcut AND p.shortcut != '')"
            "  THEN '' ELSE p.shortcut END, p.description, p.position, 1, 1"
            " FROM pulled_tags p WHERE NOT p.deleted AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.name = p.name)"
        ).rowcount
        done.tags += c.execute(
            "UPDATE tags SET colour = p.colour, description = p.description,"
            " shortcut = CASE WHEN EXISTS (SELECT 1 FROM tags o WHERE o.shortcut = p.shortcut AND o.id != tags.id"
            "  AND p.shortcut != '') THEN tags.shortcut ELSE p.shortcut END"
            " FROM pulled_tags p WHERE tags.name = p.name AND NOT p.deleted AND tags.rev = tags.pushed_rev"
            " AND (tags.colour, tags.description, tags.shortcut) IS NOT (p.colour, p.description, p.shortcut)"
        ).rowcount
        c.execute(
            "DELETE FROM tags WHERE name IN (SELECT name FROM pulled_tags WHERE deleted)"
            " AND NOT EXISTS (SELECT 1 FROM annotations n WHERE n.tag_id = tags.id)"
        )
        stamp = now()
        done.articles = 0
        for row in articles:
            if len(row) > 8 and row[8]:
                found = c.execute("SELECT id FROM articles WHERE content_hash = ?", (row[0],)).fetchone()
                if found is not None:
                    c.execute("DELETE FROM articles WHERE id = ?", found)
                    done.removed_articles.add(found[0])
                continue
            if c.execute("SELECT 1 FROM sync_tombstones WHERE kind = 'article' AND key = ?", (row[0],)).fetchone():
                continue
            cur = c.execute(
                "INSERT INTO articles (content_hash, title, outlet, author, url, published, text, added,"
                " source_format, pushed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'team', 1)"
                " ON CONFLICT (content_hash) DO NOTHING",
                (*row[:7], row[7] or stamp),
            )
            if cur.rowcount:
                done.articles += 1
                done.changed_articles.add(cur.lastrowid)
        c.executemany("INSERT OR REPLACE INTO pulled_annotations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      annotations)
        removed = c.execute(
            "DELETE FROM annotations WHERE uuid IN (SELECT uuid FROM pulled_annotations WHERE deleted)"
            " RETURNING article_id"
        ).fetchall()
        done.removed = len(removed)
        done.changed_articles.update(r[0] for r in removed)
        updated = c.execute(
            'UPDATE annotations SET tag_id = t.id, start = p.start, "end" = p."end", quote = p.quote,'
            " note = p.note, annotator = p.analyst, layer = p.layer, updated = p.updated, value = p.value,"
            " origin = p.origin"
            " FROM pulled_annotations p JOIN tags t ON t.name = p.tag_name"
            " JOIN articles a ON a.content_hash = p.article_hash"
            " WHERE annotations.uuid = p.uuid AND NOT p.deleted AND annotations.rev = annotations.pushed_rev"
            " AND p.updated >= annotations.updated"
            ' AND substr(a.text, p.start + 1, p."end" - p.start) = p.quote'
            ' AND (annotations.tag_id, annotations.start, annotations."end", annotations.note, annotations.layer,'
            "      annotations.value, annotations.updated)"
            ' IS NOT (t.id, p.start, p."end", p.note, p.layer, p.value, p.updated)'
            " RETURNING annotations.article_id"
        ).fetchall()
        inserted = c.execute(
            'INSERT INTO annotations (article_id, tag_id, start, "end", quote, note, annotator, created, updated,'
            " value, origin, uuid, layer, rev, pushed_rev)"
            ' SELECT a.id, t.id, p.start, p."end", p.quote, p.note, p.analyst, p.created, p.updated, p.value,'
            " p.origin, p.uuid, p.layer, 1, 1"
            " FROM pulled_annotations p JOIN articles a ON a.content_hash = p.article_hash"
            " JOIN tags t ON t.name = p.tag_name"
            " WHERE NOT p.deleted AND NOT EXISTS (SELECT 1 FROM annotations n WHERE n.uuid = p.uuid)"
            " AND NOT EXISTS (SELECT 1 FROM sync_tombstones s WHERE s.kind = 'annotation' AND s.key = p.uuid)"
            ' AND substr(a.text, p.start + 1, p."end" - p.start) = p.quote'
            " RETURNING article_id"
        ).fetchall()
        done.annotations = len(updated) + len(inserted)
        done.changed_articles.update(r[0] for r in updated + inserted)
        # (An annotation of an article deleted for the team went with it: not a mismatch.)
        done.mismatched = c.execute(
            "SELECT count(*) FROM pulled_annotations p WHERE NOT p.deleted"
            " AND NOT EXISTS (SELECT 1 FROM annotations n WHERE n.uuid = p.uuid)"
            " AND NOT EXISTS (SELECT 1 FROM sync_tombstones s WHERE s.kind = 'annotation' AND s.key = p.uuid)"
            " AND EXISTS (SELECT 1 FROM articles a WHERE a.content_hash = p.article_hash)"
        ).fetchone()[0]
        c.executemany("INSERT INTO pulled_links VALUES (?, ?, ?, ?, ?, ?)", links)
        linked = c.execute(
            "INSERT OR IGNORE INTO annotation_links (from_annotation_id, to_annotation_id, kind, cue, analyst,"
            " created, pushed)"
            " SELECT f.id, t.id, p.kind, p.cue, p.analyst, p.created, 1 FROM pulled_links p"
            " JOIN annotations f ON f.uuid = p.from_uuid JOIN annotations t ON t.uuid = p.to_uuid"
            " RETURNING from_annotation_id"
        ).fetchall()
        done.links = len(linked)
        for (from_id,) in linked:
            done.changed_articles.add(c.execute("SELECT article_id FROM annotations WHERE id = ?",
                                                (from_id,)).fetchone()[0])
        done.fields, done.statuses = _apply_article_changes(c, fields, statuses, done.changed_articles)
        done.rejections = _apply_rejections(c, rejections, done.changed_articles)
        done.project = _apply_project(c, project)
        c.execute("UPDATE team SET cursor = max(cursor, ?), last_sync = ?", (cursor, stamp))
        c.execute("DELETE FROM sync_applying")
    return done


def _apply_project(c, project: Sequence[tuple]) -> int:
    """Apply pulled project fields ``(field, value, changed_at, changed_by)`` (inside
    apply_pull's transaction): the latest edit wins, as for an article's memo."""
    applied = 0
    for name, value, changed_at, changed_by in project:
        here = c.execute("SELECT changed_at, changed_by FROM project_changes WHERE field = ?", (name,)).fetchone()
        if name != "memo" or (here is not None and tuple(here) >= (changed_at, changed_by)):
            continue
        c.execute(
            "INSERT INTO memos (scope, target_id, text, updated) VALUES ('project', 0, ?, ?)"
            " ON CONFLICT (scope, target_id) DO UPDATE SET text = excluded.text, updated = excluded.updated",
            (value, changed_at),
        )
        c.execute(
            "INSERT INTO project_changes (field, changed_at, changed_by, pushed) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (field) DO UPDATE SET changed_at = excluded.changed_at,"
            " changed_by = excluded.changed_by, pushed = 1",
            (name, changed_at, changed_by),
        )
        applied += 1
    return applied


def _apply_article_changes(c, fields: Sequence[tuple], statuses: Sequence[tuple],
                           changed: set[int]) -> tuple[int, int]:
    """Apply pulled article fields and statuses (inside apply_pull's transaction): the
    latest edit wins, so a newer change made here and not yet sent is kept (and sent
    next). Statuses of other analysts go to ``article_states``; this analyst's own
    (set on another machine) to the article. The articles changed join ``changed``."""
    me = c.execute(
        "SELECT coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')"
    ).fetchone()[0]
    ids = {}

    def article_of(content_hash: str) -> int | None:
        if content_hash not in ids:
            row = c.execute("SELECT id FROM articles WHERE content_hash = ?", (content_hash,)).fetchone()
            ids[content_hash] = row[0] if row else None
        return ids[content_hash]

    def newer_here(article_id: int, name: str, changed_at: str, changed_by: str) -> bool:
        row = c.execute("SELECT changed_at, changed_by, pushed FROM article_changes WHERE article_id = ? AND field = ?",
                        (article_id, name)).fetchone()
        return row is not None and (row[0], row[1]) >= (changed_at, changed_by)

    def record(article_id: int, name: str, changed_at: str, changed_by: str) -> None:
        c.execute(
            "INSERT INTO article_changes (article_id, field, changed_at, changed_by, pushed) VALUES (?, ?, ?, ?, 1)"
            " ON CONFLICT (article_id, field) DO UPDATE SET changed_at = excluded.changed_at,"
            " changed_by = excluded.changed_by, pushed = 1",
            (article_id, name, changed_at, changed_by),
        )

    applied = 0
    for content_hash, name, value, changed_at, changed_by in fields:
        article_id = article_of(content_hash)
        if article_id is None or newer_here(article_id, name, changed_at, changed_by):
            continue
        if name in METADATA:
            c.execute(f"UPDATE articles SET {name} = ? WHERE id = ?", (value, article_id))
        elif name == "memo":
            c.execute(
                "INSERT INTO memos (scope, target_id, text, updated) VALUES ('article', ?, ?, ?)"
                " ON CONFLICT (scope, target_id) DO UPDATE SET text = excluded.text, updated = excluded.updated",
                (article_id, value, changed_at),
            )
        else:
            continue
        record(article_id, name, changed_at, changed_by)
        changed.add(article_id)
        applied += 1
    states = 0
    for content_hash, analyst, status, changed_at in statuses:
        article_id = article_of(content_hash)
        if article_id is None:
            continue
        if analyst == me:
            if newer_here(article_id, "status", changed_at, analyst):
                continue
            c.execute("UPDATE articles SET status = ?, status_by = ?, status_at = ? WHERE id = ?",
                      (status, analyst, changed_at, article_id))
            record(article_id, "status", changed_at, analyst)
            changed.add(article_id)
            states += 1
        elif c.execute(
                "INSERT INTO article_states (article_id, analyst, status, changed_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (article_id, analyst) DO UPDATE SET status = excluded.status,"
                " changed_at = excluded.changed_at WHERE excluded.changed_at > article_states.changed_at",
                (article_id, analyst, status, changed_at),
            ).rowcount:
            changed.add(article_id)
            states += 1
    return applied, states


def _apply_rejections(c, rejections: Sequence[tuple], changed: set[int]) -> int:
    """Apply pulled ``(uuid, article_hash, curator, at, withdrawn)`` rows (inside
    apply_pull's transaction); a rejection made or withdrawn here and not yet sent stays.
    The articles changed join ``changed``."""
    done = 0
    for uuid, content_hash, curator, at, withdrawn in rejections:
        if c.execute("SELECT 1 FROM curation_rejections WHERE uuid = ? AND NOT pushed", (uuid,)).fetchone() or \
                c.execute("SELECT 1 FROM sync_tombstones WHERE kind = 'rejection' AND key = ? AND NOT sent",
                          (uuid,)).fetchone():
            continue
        if withdrawn:
            hit = c.execute("DELETE FROM curation_rejections WHERE uuid = ? RETURNING article_id", (uuid,)).fetchall()
        else:
            hit = c.execute(
                "INSERT INTO curation_rejections (uuid, article_id, curator, at, pushed)"
                " SELECT ?, id, ?, ?, 1 FROM articles WHERE content_hash = ?"
                " ON CONFLICT (uuid) DO UPDATE SET curator = excluded.curator, at = excluded.at, pushed = 1"
                " WHERE curation_rejections.at IS NOT excluded.at RETURNING article_id",
                (uuid, curator, at, content_hash),
            ).fetchall()
        done += len(hit)
        changed.update(r[0] for r in hit)
    return done


def article_statuses(store: Store, article_ids: Sequence[int] | None = None, *, me: str) -> list[tuple]:
    """``(article_id, analyst, status, changed_at)``: every analyst's status of each article
    (``me``, this file's analyst's, from the article itself), by article and analyst; an
    article an analyst has not started (or set back to "to do") has no row of theirs."""
    where, params = "", []
    if article_ids is not None:
        marks = ",".join("?" * len(article_ids))
        where = f" AND article_id IN ({marks})"
        params = list(article_ids)
    own = store._tuples(
        f"SELECT id, ?, status, status_at FROM articles WHERE status != 'to do'{where.replace('article_id', 'id')}",
        [me, *params],
    )
    others = store._tuples(
        "SELECT article_id, analyst, status, changed_at FROM article_states"
        f" WHERE analyst != ? AND status != 'to do'{where}", [me, *params]
    )
    return sorted(own + others)


def mark_synced(store: Store) -> None:
    """Note the time of a sync that had nothing to pull."""
    with store.write() as c:
        c.execute("UPDATE team SET last_sync = ?", (now(),))


def layer_spans(store: Store, article_ids: Sequence[int] | None = None, *, curated: bool = False) -> list[tuple]:
    """``(article_id, start, end, tag, analyst, annotation_id, quote)`` of the analysts'
    own annotations (the curated layer with ``curated``), by article and offset."""
    where = ["n.layer = ?"]
    params: list = ["curated" if curated else ""]
    if article_ids is not None:
        where.append(f"n.article_id IN ({','.join('?' * len(article_ids))})")
        params += list(article_ids)
    return store._tuples(
        'SELECT n.article_id, n.start, n."end", t.name, n.annotator, n.id, n.quote'
        " FROM annotations n JOIN tags t ON t.id = n.tag_id"
        f" WHERE {' AND '.join(where)} ORDER BY n.article_id, n.start, n.\"end\", n.id",
        params,
    )


def all_rows(store: Store) -> dict[str, list[tuple]]:
    """Every article, tag, annotation and link of a file (deletions as ``deleted`` rows:
    a curator's of articles, anyone's of annotations), in the shapes a pull returns:
    what an offline merge brings in."""
    deleted = [
        (key, "", "", 0, 1, "", "", "", "", "", "", "", "", 1)
        for (key,) in store._tuples("SELECT key FROM sync_tombstones WHERE kind = 'annotation'")
    ]
    gone = [(key, "", "", "", "", "", "", "", 1)
            for (key,) in store._tuples("SELECT key FROM sync_tombstones WHERE kind = 'article'")]
    return {
        "articles": store._tuples(f"SELECT {', '.join(ARTICLE_FIELDS)} FROM articles WHERE source_format != 'sample'")
        + gone,
        "tags": store._tuples("SELECT name, colour, shortcut, description, position, 0 FROM tags"),
        "annotations": store._tuples(
            'SELECT n.uuid, a.content_hash, t.name, n.start, n."end", n.quote, n.note, n.annotator, n.layer,'
            " n.created, n.updated, n.value, n.origin, 0"
            " FROM annotations n JOIN articles a ON a.id = n.article_id JOIN tags t ON t.id = n.tag_id"
        ) + deleted,
        "links": store._tuples(
            "SELECT f.uuid, t.uuid, l.kind, l.cue, l.analyst, l.created FROM annotation_links l"
            " JOIN annotations f ON f.id = l.from_annotation_id JOIN annotations t ON t.id = l.to_annotation_id"
        ),
    }


def article_rows(store: Store) -> dict[str, list[tuple]]:
    """What a file says about its articles, in the shapes a pull returns: its metadata
    and memo changes (``fields``), its analysts' statuses (``statuses``: the file's own
    analyst's and those it heard of), its curators' rejections, withdrawn ones too, and
    the project memo's latest change (``project``)."""
    team = membership(store)
    me = team.analyst if team else store.get_setting("annotator_name")
    fields = store._tuples(
        f"SELECT a.content_hash, c.field, {_FIELD_VALUE}, c.changed_at, c.changed_by"
        " FROM article_changes c JOIN articles a ON a.id = c.article_id"
        " WHERE c.field != 'status' AND a.source_format != 'sample'"
    )
    statuses = store._tuples(
        "SELECT a.content_hash, ?, a.status, coalesce(c.changed_at, a.status_at) FROM articles a"
        " LEFT JOIN article_changes c ON c.article_id = a.id AND c.field = 'status'"
        " WHERE (a.status != 'to do' OR c.article_id IS NOT NULL) AND a.source_format != 'sample' AND ? != ''",
        (me, me),
    ) + store._tuples(
        "SELECT a.content_hash, s.analyst, s.status, s.changed_at FROM article_states s"
        " JOIN articles a ON a.id = s.article_id"
    )
    rejections = store._tuples(
        "SELECT r.uuid, a.content_hash, r.curator, r.at, 0 FROM curation_rejections r"
        " JOIN articles a ON a.id = r.article_id"
    ) + store._tuples("SELECT key, '', '', deleted_at, 1 FROM sync_tombstones WHERE kind = 'rejection'")
    project = store._tuples(
        "SELECT c.field, coalesce((SELECT m.text FROM memos m WHERE m.scope = 'project' AND m.target_id = 0), ''),"
        " c.changed_at, c.changed_by FROM project_changes c")
    return {"fields": fields, "statuses": statuses, "rejections": rejections, "project": project}


def annotation_versions(store: Store) -> dict[str, tuple[str, str]]:
    """``uuid -> (analyst, updated)`` of every annotation here."""
    return {r[0]: (r[1], r[2]) for r in store._tuples("SELECT uuid, annotator, updated FROM annotations")}


def article_hashes(store: Store) -> set[str]:
    return {r[0] for r in store._tuples("SELECT content_hash FROM articles")}


# -- curation ----------------------------------------------------------------

CURATION_COLUMNS = (
    'n.article_id, n.id, n.uuid, n.start, n."end", n.tag_id, t.name, n.annotator, n.layer, n.quote, n.origin,'
    " r.uuid IS NOT NULL"
)


def curation_rows(store: Store, article_ids: Sequence[int] | None = None) -> list[tuple]:
    """``(article_id, id, uuid, start, end, tag_id, tag, analyst, layer, quote, origin,
    rejected)`` of every annotation of every layer, by article and offset."""
    where, params = "", []
    if article_ids is not None:
        where = f" WHERE n.article_id IN ({','.join('?' * len(article_ids))})"
        params = list(article_ids)
    return store._tuples(
        f"SELECT {CURATION_COLUMNS} FROM annotations n JOIN tags t ON t.id = n.tag_id"
        f" LEFT JOIN curation_rejections r ON r.uuid = n.uuid{where}"
        ' ORDER BY n.article_id, n.start, n."end", n.id',
        params,
    )


def insert_curated(store: Store, a: Annotation) -> Annotation:
    """Store ``a`` in the curated layer (with its id and creation time when given, as
    an undo restores it: it then takes its stable id back). SQLite checks the quote."""
    stamp = now()
    created = a.created or stamp
    with store.write() as c:
        cur = c.execute(
            'INSERT INTO annotations (id, article_id, tag_id, start, "end", quote, note, annotator, created,'
            " updated, value, origin, layer)"
            " SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'curated' FROM articles"
            " WHERE id = ? AND substr(text, ? + 1, ? - ?) = ?",
            (a.id or None, a.tag_id, a.start, a.end, a.quote, a.note, a.annotator, created, a.updated or created,
             a.value, a.origin, a.article_id, a.start, a.end, a.start, a.quote),
        )
        if cur.rowcount != 1:
            raise StoreError(f"Span {a.start}-{a.end} of article {a.article_id} does not read {a.quote[:60]!r}.")
        return replace(a, id=cur.lastrowid, created=created, updated=a.updated or created)


def delete_curated(store: Store, annotation_ids: Sequence[int]) -> list[Annotation]:
    """Delete annotations of the curated layer (others are left alone); returns them."""
    marks = ",".join("?" * len(annotation_ids))
    with store.write() as c:
        rows = c.execute(
            'SELECT id, article_id, tag_id, start, "end", quote, note, annotator, created, updated, value, origin'
            f" FROM annotations WHERE layer = 'curated' AND id IN ({marks})",
            list(annotation_ids),
        ).fetchall()
        c.executemany("DELETE FROM annotations WHERE id = ?", [(r[0],) for r in rows])
    return [Annotation(*r) for r in rows]


def add_rejections(store: Store, article_id: int, uuids: Sequence[str], curator: str) -> list[str]:
    """Record the lead's rejection of these spans; returns the uuids newly rejected."""
    stamp = now()
    with store.write() as c:
        return [
            uuid for uuid in uuids
            if c.execute(
                "INSERT OR IGNORE INTO curation_rejections (uuid, article_id, curator, at) VALUES (?, ?, ?, ?)",
                (uuid, article_id, curator, stamp),
            ).rowcount
        ]


def remove_rejections(store: Store, uuids: Sequence[str]) -> None:
    with store.write() as c:
        c.executemany("DELETE FROM curation_rejections WHERE uuid = ?", [(u,) for u in uuids])


def layer_annotation_ids(
    store: Store, article_ids: Sequence[int] | None, *, analyst: str | None, layer: str | None
) -> list[int]:
    """Ids of the annotations of ``layer`` ('' own, 'curated') by ``analyst`` (None: anyone's)."""
    where, params = [], []
    if layer is not None:
        where.append("layer = ?")
        params.append(layer)
    if analyst is not None:
        where.append("annotator = ?")
        params.append(analyst)
    if article_ids is not None:
        where.append(f"article_id IN ({','.join('?' * len(article_ids))})")
        params += list(article_ids)
    return [r[0] for r in store._tuples(
        f"SELECT id FROM annotations {'WHERE ' + ' AND '.join(where) if where else ''}", params)]


def deletion_rule(store: Store, article_id: int) -> str:
    """Who may delete an article here: ``local`` (no team has it: this file's alone),
    ``team`` (a curator's deletion reaches every analyst) or ``curator`` (shared with
    the team, and this analyst is no curator: only a curator deletes it)."""
    team = membership(store)
    rows = store._query("SELECT pushed FROM articles WHERE id = ?", (article_id,))
    if team is None or not rows or not rows[0][0]:
        return "local"
    return "team" if team.curator else "curator"


def several_analysts(store: Store) -> bool:
    """Whether annotations here come from more than one analyst (a scan stopped at the second)."""
    return store._query(
        "SELECT count(*) FROM (SELECT DISTINCT annotator FROM annotations WHERE annotator != '' LIMIT 2)")[0][0] > 1
