"""Rows up and rows down: one server transaction each.

Sending is idempotent: rows are keyed by stable ids (articles by content, tags by
name, annotations by uuid, links by their two ends and kind) and an upsert that
changes nothing writes nothing, so sending the same rows again (after a sync was
killed before it could mark them sent) neither doubles them nor wakes the
other analysts' pulls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import psycopg

from annotator.team.server import TeamError, _first_line, _where


@dataclass
class Sent:
    """What the server took, and what it could not take yet."""

    articles: int = 0
    tags: int = 0
    annotations: list[str] = field(default_factory=list)       # uuids taken
    deletions: int = 0
    links: list[tuple[str, str, str]] = field(default_factory=list)
    waiting_for_tag: dict[str, int] = field(default_factory=dict)  # tag name -> annotations held
    fields: int = 0     # article metadata and memos sent (whether or not newer than the server's)
    statuses: int = 0
    rejections: int = 0  # curators: rejections made and withdrawn
    deleted_articles: int = 0  # curators: articles marked deleted for the team
    gone: list[str] = field(default_factory=list)  # articles sent that a curator had deleted already
    project: int = 0     # project fields (the memo) sent


@dataclass
class Pulled:
    articles: list[tuple] = field(default_factory=list)
    tags: list[tuple] = field(default_factory=list)
    annotations: list[tuple] = field(default_factory=list)
    links: list[tuple] = field(default_factory=list)
    fields: list[tuple] = field(default_factory=list)
    statuses: list[tuple] = field(default_factory=list)
    rejections: list[tuple] = field(default_factory=list)
    project: list[tuple] = field(default_factory=list)   # (field, value, changed_at, changed_by)
    cursor: int = 0

    def __bool__(self) -> bool:
        return bool(self.articles or self.tags or self.annotations or self.links or self.fields or self.statuses
                    or self.rejections or self.project)


def _refused(conn: psycopg.Connection, error: psycopg.Error) -> TeamError:
    if isinstance(error, psycopg.errors.InsufficientPrivilege):
        return TeamError(f"The team server {_where(conn)} refused a change: {_first_line(error)}. "
                         "Ask the administrator whether your role has the rights of an analyst "
                         "(annotator team add-analyst).", refused=True)
    if isinstance(error, psycopg.OperationalError):
        return TeamError(f"Lost the team server {_where(conn)}: {_first_line(error)}")
    return TeamError(f"The team server {_where(conn)} refused the sync: {_first_line(error)}", refused=True)


def push(
    conn: psycopg.Connection, *, articles: Sequence[tuple], tags: Sequence[tuple], annotations: Sequence[tuple],
    deletions: Sequence[str], links: Sequence[tuple], fields: Sequence[tuple] = (),
    statuses: Sequence[tuple] = (), rejections: Sequence[tuple] = (), withdrawals: Sequence[str] = (),
    article_deletions: Sequence[tuple] = (), project: Sequence[tuple] = (),
) -> Sent:
    """Send rows (tuples in ``annotator.store.team``'s field orders; tags and
    annotations with their rev last) in one transaction. Annotations whose tag the
    server does not have (only a curator adds tags) wait, and are counted. An
    article's field (metadata, memo) or status replaces the server's only when
    changed later (by time, then analyst name): the latest edit wins everywhere, and so
    for the project's fields (``project``). ``article_deletions`` ((content hash,
    time)) mark articles deleted for the team, which only a curator may do (row-level
    security leaves an analyst's marks without effect)."""
    sent = Sent()
    if not (articles or tags or annotations or deletions or links or fields or statuses or rejections
            or withdrawals or article_deletions or project):
        return sent
    try:
        with conn.transaction(), conn.cursor() as cur:
            if articles:
                cur.execute(
                    "CREATE TEMP TABLE up_articles (content_hash text, title text, outlet text, author text,"
                    " url text, published text, text text, added text) ON COMMIT DROP"
                )
                with cur.copy("COPY up_articles FROM STDIN") as copy:
                    for row in articles:
                        copy.write_row(row)
                cur.execute(
                    "INSERT INTO annotator.articles (content_hash, title, outlet, author, url, published, text, added)"
                    " SELECT * FROM up_articles ON CONFLICT (content_hash) DO NOTHING"
                )
                sent.articles = cur.rowcount
                cur.execute("SELECT a.content_hash FROM annotator.articles a JOIN up_articles u"
                            " ON u.content_hash = a.content_hash WHERE a.deleted")
                sent.gone = [r[0] for r in cur.fetchall()]
            if tags:
                cur.executemany(
                    "INSERT INTO annotator.tags AS t (name, colour, shortcut, description, position)"
                    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (name) DO UPDATE SET colour = excluded.colour,"
                    " shortcut = excluded.shortcut, description = excluded.description, deleted = false"
                    " WHERE (t.colour, t.shortcut, t.description, t.deleted)"
                    " IS DISTINCT FROM (excluded.colour, excluded.shortcut, excluded.description, false)",
                    [t[:5] for t in tags],
                )
                sent.tags = len(tags)
            if annotations:
                cur.execute(
                    "CREATE TEMP TABLE up_annotations (uuid text, article_hash text, tag_name text, start integer,"
                    ' "end" integer, quote text, note text, analyst text, layer text, created text, updated text,'
                    " value text, origin text) ON COMMIT DROP"
                )
                with cur.copy("COPY up_annotations FROM STDIN") as copy:
                    for row in annotations:
                        copy.write_row(row[:13])
                cur.execute(
                    "SELECT u.tag_name, count(*) FROM up_annotations u WHERE NOT EXISTS ("
                    " SELECT 1 FROM annotator.tags t WHERE lower(t.name) = lower(u.tag_name) AND NOT t.deleted)"
                    " GROUP BY u.tag_name"
                )
                sent.waiting_for_tag = dict(cur.fetchall())
                cur.execute(
                    "INSERT INTO annotator.annotations AS n (uuid, article_hash, tag_name, start, \"end\", quote,"
                    " note, analyst, layer, created, updated, value, origin)"
                    " SELECT u.uuid, u.article_hash, t.name, u.start, u.\"end\", u.quote, u.note, u.analyst, u.layer,"
                    " u.created, u.updated, u.value, u.origin FROM up_annotations u"
                    " JOIN annotator.tags t ON lower(t.name) = lower(u.tag_name) AND NOT t.deleted"
                    " JOIN annotator.articles a ON a.content_hash = u.article_hash AND NOT a.deleted"
                    " ON CONFLICT (uuid) DO UPDATE SET tag_name = excluded.tag_name, start = excluded.start,"
                    ' "end" = excluded."end", quote = excluded.quote, note = excluded.note, updated = excluded.updated,'
                    " value = excluded.value, origin = excluded.origin, deleted = false"
                    ' WHERE (n.tag_name, n.start, n."end", n.note, n.updated, n.value, n.origin, n.deleted)'
                    ' IS DISTINCT FROM (excluded.tag_name, excluded.start, excluded."end", excluded.note,'
                    " excluded.updated, excluded.value, excluded.origin, false)"
                )
                cur.execute(
                    "SELECT u.uuid FROM up_annotations u JOIN annotator.annotations n ON n.uuid = u.uuid"
                )
                sent.annotations = [r[0] for r in cur.fetchall()]
            if deletions:
                # Row-level security hides other analysts' rows from this UPDATE.
                cur.execute(
                    "UPDATE annotator.annotations SET deleted = true WHERE uuid = ANY(%s) AND NOT deleted",
                    (list(deletions),),
                )
                sent.deletions = cur.rowcount
            if links:
                cur.execute(
                    "SELECT uuid FROM annotator.annotations WHERE uuid = ANY(%s) AND NOT deleted",
                    (list({u for link in links for u in link[:2]}),),
                )
                there = {r[0] for r in cur.fetchall()}
                ready = [link for link in links if link[0] in there and link[1] in there]
                cur.executemany(
                    "INSERT INTO annotator.links (from_uuid, to_uuid, kind, cue, analyst, created)"
                    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    ready,
                )
                sent.links = [tuple(link[:3]) for link in ready]
            if fields:
                cur.executemany(
                    "INSERT INTO annotator.article_fields AS f (article_hash, field, value, changed_at, changed_by)"
                    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (article_hash, field) DO UPDATE"
                    " SET value = excluded.value, changed_at = excluded.changed_at, changed_by = excluded.changed_by"
                    " WHERE (excluded.changed_at, excluded.changed_by) > (f.changed_at, f.changed_by)",
                    fields,
                )
                sent.fields = len(fields)
            if statuses:
                cur.executemany(
                    "INSERT INTO annotator.article_status AS s (article_hash, analyst, status, changed_at)"
                    " VALUES (%s, %s, %s, %s) ON CONFLICT (article_hash, analyst) DO UPDATE"
                    " SET status = excluded.status, changed_at = excluded.changed_at"
                    " WHERE excluded.changed_at > s.changed_at",
                    statuses,
                )
                sent.statuses = len(statuses)
            if rejections:
                cur.executemany(
                    "INSERT INTO annotator.curation_rejections AS r (uuid, article_hash, curator, at)"
                    " VALUES (%s, %s, %s, %s) ON CONFLICT (uuid) DO UPDATE"
                    " SET curator = excluded.curator, at = excluded.at, withdrawn = false"
                    " WHERE r.withdrawn OR r.at IS DISTINCT FROM excluded.at",
                    rejections,
                )
            if withdrawals:
                cur.execute(
                    "UPDATE annotator.curation_rejections SET withdrawn = true, curator = current_user"
                    " WHERE uuid = ANY(%s) AND NOT withdrawn",
                    (list(withdrawals),),
                )
            sent.rejections = len(rejections) + len(withdrawals)
            if project:
                cur.executemany(
                    "INSERT INTO annotator.project_fields AS f (field, value, changed_at, changed_by)"
                    " VALUES (%s, %s, %s, %s) ON CONFLICT (field) DO UPDATE"
                    " SET value = excluded.value, changed_at = excluded.changed_at, changed_by = excluded.changed_by"
                    " WHERE (excluded.changed_at, excluded.changed_by) > (f.changed_at, f.changed_by)",
                    project,
                )
                sent.project = len(project)
            # Last: the annotations sent above for an article deleted here went with it.
            for content_hash, at in article_deletions:
                cur.execute(
                    "UPDATE annotator.articles SET deleted = true, deleted_by = current_user, deleted_at = %s"
                    " WHERE content_hash = %s AND NOT deleted",
                    (at, content_hash),
                )
                sent.deleted_articles += cur.rowcount
    except psycopg.Error as error:
        raise _refused(conn, error) from error
    return sent


def pull(conn: psycopg.Connection, cursor: int) -> Pulled:
    """Every row changed on the server after ``cursor``, read in one snapshot."""
    pulled = Pulled(cursor=cursor)
    try:
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            queries = {
                "articles": "SELECT content_hash, title, outlet, author, url, published,"
                            " CASE WHEN deleted THEN '' ELSE text END, added, deleted::int, seq"
                            " FROM annotator.articles WHERE seq > %s",
                "tags": "SELECT name, colour, shortcut, description, position, deleted::int, seq"
                        " FROM annotator.tags WHERE seq > %s",
                "annotations": 'SELECT uuid, article_hash, tag_name, start, "end", quote, note, analyst, layer,'
                               " created, updated, value, origin, deleted::int, seq"
                               " FROM annotator.annotations WHERE seq > %s ORDER BY seq",
                "links": "SELECT from_uuid, to_uuid, kind, cue, analyst, created, seq"
                         " FROM annotator.links WHERE seq > %s",
                "fields": "SELECT article_hash, field, value, changed_at, changed_by, seq"
                          " FROM annotator.article_fields WHERE seq > %s",
                "statuses": "SELECT article_hash, analyst, status, changed_at, seq"
                            " FROM annotator.article_status WHERE seq > %s",
                "rejections": "SELECT uuid, article_hash, curator, at, withdrawn::int, seq"
                              " FROM annotator.curation_rejections WHERE seq > %s",
                "project": "SELECT field, value, changed_at, changed_by, seq"
                           " FROM annotator.project_fields WHERE seq > %s",
            }
            for name, query in queries.items():
                cur.execute(query, (cursor,))
                rows = cur.fetchall()
                if rows:
                    pulled.cursor = max(pulled.cursor, max(r[-1] for r in rows))
                setattr(pulled, name, [r[:-1] for r in rows])
    except psycopg.Error as error:
        raise _refused(conn, error) from error
    return pulled
