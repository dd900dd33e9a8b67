"""Schema migrations. Append new migrations; never edit one that has shipped.

``db/schema.sql`` is the readable snapshot of the schema these produce; a test
checks it against a freshly migrated database.
"""

from __future__ import annotations

import textwrap

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("annotator")


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(textwrap.dedent(
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            outlet TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            published TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,
            added TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'to do'
                CHECK (status IN ('to do', 'in progress', 'done')),
            source_path TEXT NOT NULL DEFAULT '',
            source_format TEXT NOT NULL DEFAULT '',
            removed_lines TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX articles_by_url ON articles (url) WHERE url != '';
        CREATE INDEX articles_by_added ON articles (added);

        CREATE TABLE article_originals (
            article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            file_name TEXT NOT NULL,
            zlib_bytes BLOB NOT NULL
        );

        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            colour TEXT NOT NULL,
            shortcut TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX tags_by_shortcut ON tags (shortcut) WHERE shortcut != '';

        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags (id),
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            annotator TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            value TEXT NOT NULL DEFAULT '',
            origin TEXT NOT NULL DEFAULT '',
            CHECK ("end" > start)
        );
        CREATE INDEX annotations_by_article ON annotations (article_id, start);
        CREATE INDEX annotations_by_tag ON annotations (tag_id);

        CREATE TABLE annotation_links (
            from_annotation_id INTEGER NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,
            to_annotation_id INTEGER NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,
            kind TEXT NOT NULL DEFAULT 'source',
            PRIMARY KEY (from_annotation_id, to_annotation_id, kind)
        );
        CREATE INDEX annotation_links_by_target ON annotation_links (to_annotation_id);

        CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            score REAL NOT NULL DEFAULT 0,
            value TEXT NOT NULL DEFAULT '',
            suggester TEXT NOT NULL DEFAULT '',
            suggester_version TEXT NOT NULL DEFAULT '',
            source_suggestion_id INTEGER REFERENCES suggestions (id) ON DELETE SET NULL,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'rejected')),
            annotation_id INTEGER REFERENCES annotations (id) ON DELETE SET NULL,
            created TEXT NOT NULL,
            CHECK ("end" > start),
            UNIQUE (article_id, tag_id, start, "end")
        );

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    ))


@migrations()
def m002_attribution_cues(db: Database) -> None:
    """The cue of an attribution ("said", "according to"): kept on a suggestion and on the
    claim–source link made when it is accepted."""
    db.execute("ALTER TABLE suggestions ADD COLUMN cue TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE annotation_links ADD COLUMN cue TEXT NOT NULL DEFAULT ''")


@migrations()
def m003_corpus_analysis(db: Database) -> None:
    """Corpus analysis: a full-text index of articles (title, text) and annotations
    (quote, note), kept by triggers; claim verdicts; confirmed source groups.

    Verdicts and group members name their annotation by id *and* creation time and
    have no foreign key: deleting an annotation leaves them behind, so undoing the
    delete (which restores id and time) brings them back, while a new annotation
    that reuses the id never inherits them.
    """
    for table, columns in (("articles", ["title", "text"]), ("annotations", ["quote", "note"])):
        db[table].enable_fts(columns, create_triggers=True, tokenize="unicode61 remove_diacritics 2")
        # sqlite-utils' update trigger fires on every column; re-indexing a long text
        # because its status or a tag changed would make those writes slow.
        quoted = ", ".join(f"[{c}]" for c in columns)
        old = ", ".join(f"old.[{c}]" for c in columns)
        new = ", ".join(f"new.[{c}]" for c in columns)
        db.executescript(textwrap.dedent(
            f"""
            DROP TRIGGER [{table}_au];
            CREATE TRIGGER [{table}_au] AFTER UPDATE OF {quoted} ON [{table}] BEGIN
              INSERT INTO [{table}_fts] ([{table}_fts], rowid, {quoted}) VALUES ('delete', old.rowid, {old});
              INSERT INTO [{table}_fts] (rowid, {quoted}) VALUES (new.rowid, {new});
            END;
            """
        ))
    db.executescript(textwrap.dedent(
        """
        CREATE TABLE verdicts (
            annotation_id INTEGER PRIMARY KEY,
            annotation_created TEXT NOT NULL,
            rating TEXT NOT NULL,
            explanation TEXT NOT NULL DEFAULT '',
            evidence TEXT NOT NULL DEFAULT '[]',
            reviewer TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL
        );
        CREATE TABLE source_groups (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL
        );
        CREATE TABLE source_members (
            annotation_id INTEGER PRIMARY KEY,
            annotation_created TEXT NOT NULL,
            group_id INTEGER NOT NULL REFERENCES source_groups (id) ON DELETE CASCADE
        );
        CREATE INDEX source_members_by_group ON source_members (group_id);
        """
    ))


@migrations()
def m004_team(db: Database) -> None:
    """Team work: stable ids (``uuid``) and layers ('' is the analyst's own, 'curated'
    the lead's) on annotations; who changed a status or made a link, and when;
    what still has to be sent to the team server (``rev`` > ``pushed_rev``, links
    and articles not ``pushed``, ``sync_tombstones`` for deletions).

    Rows the sync applies from the server are written while ``sync_applying`` holds a
    row (inside that one transaction only), so the triggers neither count them as
    local changes nor apply the ownership rules to them. Once the file has joined a
    team (``team`` holds the analyst), an analyst changes only their own annotations
    and only a curator the curated layer, here as on the server.
    """
    db.executescript(textwrap.dedent(
        """
        ALTER TABLE annotations ADD COLUMN uuid TEXT;
        ALTER TABLE annotations ADD COLUMN layer TEXT NOT NULL DEFAULT '' CHECK (layer IN ('', 'curated'));
        ALTER TABLE annotations ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE annotations ADD COLUMN pushed_rev INTEGER NOT NULL DEFAULT 0;
        UPDATE annotations SET uuid = lower(hex(randomblob(16)));
        CREATE UNIQUE INDEX annotations_by_uuid ON annotations (uuid);
        CREATE INDEX annotations_to_push ON annotations (id) WHERE rev > pushed_rev;

        ALTER TABLE annotation_links ADD COLUMN analyst TEXT NOT NULL DEFAULT '';
        ALTER TABLE annotation_links ADD COLUMN created TEXT NOT NULL DEFAULT '';
        ALTER TABLE annotation_links ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE articles ADD COLUMN status_by TEXT NOT NULL DEFAULT '';
        ALTER TABLE articles ADD COLUMN status_at TEXT NOT NULL DEFAULT '';
        ALTER TABLE articles ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tags ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE tags ADD COLUMN pushed_rev INTEGER NOT NULL DEFAULT 0;

        CREATE TABLE team (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            server_id TEXT NOT NULL,
            analyst TEXT NOT NULL,
            curator INTEGER NOT NULL DEFAULT 0,
            cursor INTEGER NOT NULL DEFAULT 0,
            last_sync TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE sync_tombstones (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            local_id INTEGER,
            created TEXT NOT NULL DEFAULT '',
            deleted_at TEXT NOT NULL,
            sent INTEGER NOT NULL DEFAULT 0,  -- kept once sent: an undone delete takes its uuid back
            PRIMARY KEY (kind, key)
        );
        CREATE TABLE sync_applying (flag INTEGER);

        CREATE TRIGGER annotations_uuid AFTER INSERT ON annotations WHEN NEW.uuid IS NULL BEGIN
            -- An undone delete (same id and creation time) keeps its stable id.
            UPDATE annotations SET uuid = coalesce(
                (SELECT key FROM sync_tombstones
                  WHERE kind = 'annotation' AND local_id = NEW.id AND created = NEW.created),
                lower(hex(randomblob(16))))
             WHERE id = NEW.id;
        END;
        CREATE TRIGGER annotations_uuid_back AFTER UPDATE OF uuid ON annotations BEGIN
            DELETE FROM sync_tombstones WHERE kind = 'annotation' AND key = NEW.uuid;
        END;
        CREATE TRIGGER annotations_changed
            AFTER UPDATE OF tag_id, start, "end", quote, note, value, origin, layer ON annotations
            WHEN NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
            UPDATE annotations SET rev = rev + 1 WHERE id = NEW.id;
        END;
        CREATE TRIGGER annotations_deleted AFTER DELETE ON annotations
            WHEN NOT EXISTS (SELECT 1 FROM sync_applying) AND OLD.uuid IS NOT NULL BEGIN
            INSERT OR REPLACE INTO sync_tombstones (kind, key, local_id, created, deleted_at)
            VALUES ('annotation', OLD.uuid, OLD.id, OLD.created, strftime('%Y-%m-%dT%H:%M:%fZ'));
        END;
        CREATE TRIGGER annotations_owned_change
            BEFORE UPDATE OF tag_id, start, "end", quote, note, value, origin, layer ON annotations
            WHEN NOT EXISTS (SELECT 1 FROM sync_applying) AND EXISTS (
                SELECT 1 FROM team WHERE (OLD.layer = '' AND analyst != OLD.annotator)
                                      OR (OLD.layer = 'curated' AND NOT curator)) BEGIN
            SELECT RAISE(ABORT, 'This annotation belongs to another analyst (or to the curated layer); only they can change it.');
        END;
        CREATE TRIGGER annotations_owned_delete BEFORE DELETE ON annotations
            WHEN NOT EXISTS (SELECT 1 FROM sync_applying) AND EXISTS (
                SELECT 1 FROM team WHERE (OLD.layer = '' AND analyst != OLD.annotator)
                                      OR (OLD.layer = 'curated' AND NOT curator)) BEGIN
            SELECT RAISE(ABORT, 'This annotation belongs to another analyst (or to the curated layer); only they can delete it.');
        END;
        CREATE TRIGGER annotations_curated_insert BEFORE INSERT ON annotations
            WHEN NEW.layer = 'curated' AND NOT EXISTS (SELECT 1 FROM sync_applying)
             AND EXISTS (SELECT 1 FROM team WHERE NOT curator) BEGIN
            SELECT RAISE(ABORT, 'Only curators add to the curated layer.');
        END;
        CREATE TRIGGER tags_changed AFTER UPDATE OF name, colour, shortcut, description ON tags
            WHEN NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
            UPDATE tags SET rev = rev + 1 WHERE id = NEW.id;
        END;
        CREATE TRIGGER links_made AFTER INSERT ON annotation_links WHEN NEW.created = '' BEGIN
            UPDATE annotation_links
               SET created = strftime('%Y-%m-%dT%H:%M:%fZ'),
                   analyst = (SELECT annotator FROM annotations WHERE id = NEW.from_annotation_id)
             WHERE from_annotation_id = NEW.from_annotation_id AND to_annotation_id = NEW.to_annotation_id
               AND kind = NEW.kind;
        END;
        CREATE TRIGGER articles_status AFTER UPDATE OF status ON articles
            WHEN NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
            UPDATE articles
               SET status_at = strftime('%Y-%m-%dT%H:%M:%fZ'),
                   status_by = coalesce((SELECT analyst FROM team),
                                        (SELECT value FROM settings WHERE key = 'annotator_name'), '')
             WHERE id = NEW.id;
        END;
        """
    ))


@migrations()
def m005_memos_and_codebook(db: Database) -> None:
    """Memos on the project and on articles (a tag's memo is its description), and
    tags in a hierarchy: a tag may sit under a category tag, as nested codes do in
    QualCoder and REFI-QDA."""
    db.executescript(textwrap.dedent(
        """
        CREATE TABLE memos (
            scope TEXT NOT NULL CHECK (scope IN ('project', 'article')),
            target_id INTEGER NOT NULL DEFAULT 0,
            text TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (scope, target_id)
        );
        CREATE TRIGGER memos_of_deleted_article AFTER DELETE ON articles BEGIN
            DELETE FROM memos WHERE scope = 'article' AND target_id = OLD.id;
        END;
        ALTER TABLE tags ADD COLUMN parent_id INTEGER REFERENCES tags (id) ON DELETE SET NULL;
        """
    ))


@migrations()
def m006_curation(db: Database) -> None:
    """Curation: an analyst's span the lead rejected (the group it stands in is settled
    without a curated span), by the span's stable id, so that a span added to the
    group later makes it open again."""
    db.executescript(textwrap.dedent(
        """
        CREATE TABLE curation_rejections (
            uuid TEXT PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            curator TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX curation_rejections_by_article ON curation_rejections (article_id);
        """
    ))


@migrations()
def m007_team_articles(db: Database) -> None:
    """Team sync of what is said about an article, not only of its annotations.

    ``article_changes`` holds, per article and field (title, outlet, author, url,
    published, memo, status), when it last changed and by whom, and whether that was
    sent (``pushed``); triggers record local edits (not those a sync applies). The
    metadata and the memo are the team's (the latest edit wins); a status is each
    analyst's own (``articles.status`` is this file's analyst's, ``article_states``
    holds the others'), as INCEpTION keeps a document state per annotator.
    """
    who = ("coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')")
    stamp = "strftime('%Y-%m-%dT%H:%M:%fZ')"
    upsert = (f"INSERT INTO article_changes (article_id, field, changed_at, changed_by) VALUES ({{id}}, {{field}},"
              f" {stamp}, {who}) ON CONFLICT (article_id, field) DO UPDATE SET changed_at = excluded.changed_at,"
              " changed_by = excluded.changed_by, pushed = 0;")
    fields = ("title", "outlet", "author", "url", "published", "status")
    per_field = "\n".join(
        f"CREATE TRIGGER articles_{f}_changed AFTER UPDATE OF {f} ON articles"
        f" WHEN OLD.{f} IS NOT NEW.{f} AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN\n"
        f"    {upsert.format(id='NEW.id', field=repr(f))}\nEND;"
        for f in fields
    )
    memo = "\n".join(
        f"CREATE TRIGGER memos_{event.lower()}_team AFTER {event} ON memos"
        f" WHEN NEW.scope = 'article'{changed} AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN\n"
        f"    {upsert.format(id='NEW.target_id', field=repr('memo'))}\nEND;"
        for event, changed in (("INSERT", ""), ("UPDATE", " AND OLD.text IS NOT NEW.text"))
    )
    db.executescript(textwrap.dedent(
        """
        CREATE TABLE article_changes (
            article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            changed_by TEXT NOT NULL DEFAULT '',
            pushed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (article_id, field)
        );
        CREATE TABLE article_states (
            article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            analyst TEXT NOT NULL,
            status TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            PRIMARY KEY (article_id, analyst)
        );
        -- A status set before this migration is sent too.
        INSERT INTO article_changes (article_id, field, changed_at, changed_by)
            SELECT id, 'status', CASE WHEN status_at != '' THEN status_at ELSE added END, status_by
              FROM articles WHERE status != 'to do';
        """
    ) + per_field + "\n" + memo)


@migrations()
def m008_team_curation(db: Database) -> None:
    """The lead's rejections travel through the team server as the curated layer does:
    ``pushed`` once sent; a withdrawn rejection (an undo) waits in ``sync_tombstones``
    (kind 'rejection') until the server has it. A sync's own writes are not recorded."""
    db.executescript(textwrap.dedent(
        """
        ALTER TABLE curation_rejections ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0;
        CREATE TRIGGER curation_rejections_withdrawn AFTER DELETE ON curation_rejections
            WHEN NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
            INSERT OR REPLACE INTO sync_tombstones (kind, key, deleted_at)
            VALUES ('rejection', OLD.uuid, strftime('%Y-%m-%dT%H:%M:%fZ'));
        END;
        CREATE TRIGGER curation_rejections_made AFTER INSERT ON curation_rejections BEGIN
            DELETE FROM sync_tombstones WHERE kind = 'rejection' AND key = NEW.uuid;
        END;
        """
    ))


@migrations()
def m009_restore_keeps_the_layer(db: Database) -> None:
    """An undone delete gives an annotation back its layer as well as its stable id: a
    curated annotation deleted and restored (by any undo) stays in the curated layer."""
    db.executescript(textwrap.dedent(
        """
        ALTER TABLE sync_tombstones ADD COLUMN layer TEXT;
        DROP TRIGGER annotations_deleted;
        CREATE TRIGGER annotations_deleted AFTER DELETE ON annotations
            WHEN NOT EXISTS (SELECT 1 FROM sync_applying) AND OLD.uuid IS NOT NULL BEGIN
            INSERT OR REPLACE INTO sync_tombstones (kind, key, local_id, created, deleted_at, layer)
            VALUES ('annotation', OLD.uuid, OLD.id, OLD.created, strftime('%Y-%m-%dT%H:%M:%fZ'), OLD.layer);
        END;
        DROP TRIGGER annotations_uuid;
        CREATE TRIGGER annotations_uuid AFTER INSERT ON annotations WHEN NEW.uuid IS NULL BEGIN
            -- An undone delete (same id and creation time) keeps its layer and its stable id.
            UPDATE annotations SET layer = (
                SELECT layer FROM sync_tombstones WHERE kind = 'annotation' AND local_id = NEW.id AND created = NEW.created)
             WHERE id = NEW.id AND EXISTS (
                SELECT 1 FROM sync_tombstones WHERE kind = 'annotation' AND local_id = NEW.id
                   AND created = NEW.created AND layer IS NOT NULL AND layer != NEW.layer);
            UPDATE annotations SET uuid = coalesce(
                (SELECT key FROM sync_tombstones
                  WHERE kind = 'annotation' AND local_id = NEW.id AND created = NEW.created),
                lower(hex(randomblob(16))))
             WHERE id = NEW.id;
        END;
        """
    ))


@migrations()
def m010_team_project_and_deletions(db: Database) -> None:
    """Team sync of the project memo and of article deletions.

    ``project_changes`` records when the project memo last changed here and by whom, and
    whether that was sent, as ``article_changes`` does for an article's fields (the
    latest edit wins across the team). An article the team shares (``pushed``) is
    deleted for everyone by a curator only: the deletion leaves a tombstone (kind
    'article', the content hash) for the sync to send; an analyst who is no curator
    cannot delete it here, as on the server. Its annotations go with it without
    tombstones of their own and whoever made them (the article's tombstone says it all).
    """
    who = "coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')"
    stamp = "strftime('%Y-%m-%dT%H:%M:%fZ')"
    upsert = (f"INSERT INTO project_changes (field, changed_at, changed_by) VALUES ('memo', {stamp}, {who})"
              " ON CONFLICT (field) DO UPDATE SET changed_at = excluded.changed_at,"
              " changed_by = excluded.changed_by, pushed = 0;")
    applying = "EXISTS (SELECT 1 FROM sync_applying)"
    db.executescript(textwrap.dedent(
        f"""
        CREATE TABLE project_changes (
            field TEXT PRIMARY KEY,
            changed_at TEXT NOT NULL,
            changed_by TEXT NOT NULL DEFAULT '',
            pushed INTEGER NOT NULL DEFAULT 0
        );
        CREATE TRIGGER memos_insert_project AFTER INSERT ON memos
            WHEN NEW.scope = 'project' AND NOT {applying} BEGIN
            {upsert}
        END;
        CREATE TRIGGER memos_update_project AFTER UPDATE ON memos
            WHEN NEW.scope = 'project' AND OLD.text IS NOT NEW.text AND NOT {applying} BEGIN
            {upsert}
        END;
        -- A project memo written before this migration is sent too.
        INSERT INTO project_changes (field, changed_at, changed_by)
            SELECT 'memo', CASE WHEN updated != '' THEN updated ELSE {stamp} END, {who}
              FROM memos WHERE scope = 'project' AND text != '';

        CREATE TRIGGER articles_shared_delete BEFORE DELETE ON articles
            WHEN OLD.pushed AND NOT {applying} AND EXISTS (SELECT 1 FROM team WHERE NOT curator) BEGIN
            SELECT RAISE(ABORT, 'This article is shared with the team: only a curator deletes it, for everyone.');
        END;
        CREATE TRIGGER articles_deleted AFTER DELETE ON articles
            WHEN OLD.pushed AND NOT {applying} AND EXISTS (SELECT 1 FROM team) BEGIN
            INSERT OR REPLACE INTO sync_tombstones (kind, key, deleted_at) VALUES ('article', OLD.content_hash, {stamp});
        END;

        -- When its article is deleted (the article row is gone when these run), an
        -- annotation goes whoever made it, and leaves no tombstone.
        DROP TRIGGER annotations_owned_delete;
        CREATE TRIGGER annotations_owned_delete BEFORE DELETE ON annotations
            WHEN NOT {applying} AND EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id) AND EXISTS (
                SELECT 1 FROM team WHERE (OLD.layer = '' AND analyst != OLD.annotator)
                                      OR (OLD.layer = 'curated' AND NOT curator)) BEGIN
            SELECT RAISE(ABORT, 'This annotation belongs to another analyst (or to the curated layer); only they can delete it.');
        END;
        DROP TRIGGER annotations_deleted;
        CREATE TRIGGER annotations_deleted AFTER DELETE ON annotations
            WHEN NOT {applying} AND OLD.uuid IS NOT NULL
             AND EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id) BEGIN
            INSERT OR REPLACE INTO sync_tombstones (kind, key, local_id, created, deleted_at, layer)
            VALUES ('annotation', OLD.uuid, OLD.id, OLD.created, {stamp}, OLD.layer);
        END;
        """
    ))
