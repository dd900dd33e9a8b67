-- annotator database schema (generated: python -m annotator.store.schema_dump).
-- The migrations in annotator/store/migrations.py are the source of truth;
-- a test checks that this snapshot matches a freshly migrated database.

CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);

CREATE TABLE annotation_links (
    from_annotation_id INTEGER NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,
    to_annotation_id INTEGER NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'source', cue TEXT NOT NULL DEFAULT '', analyst TEXT NOT NULL DEFAULT '', created TEXT NOT NULL DEFAULT '', pushed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (from_annotation_id, to_annotation_id, kind)
);

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
    origin TEXT NOT NULL DEFAULT '', uuid TEXT, layer TEXT NOT NULL DEFAULT '' CHECK (layer IN ('', 'curated')), rev INTEGER NOT NULL DEFAULT 1, pushed_rev INTEGER NOT NULL DEFAULT 0,
    CHECK ("end" > start)
);

CREATE VIRTUAL TABLE "annotations_fts" USING FTS5 (
    "quote", "note",
    tokenize='unicode61 remove_diacritics 2',
    content="annotations"
);

CREATE TABLE 'annotations_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

CREATE TABLE 'annotations_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

CREATE TABLE 'annotations_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

CREATE TABLE 'annotations_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

CREATE TABLE article_changes (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL DEFAULT '',
    pushed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, field)
);

CREATE TABLE article_originals (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    zlib_bytes BLOB NOT NULL
);

CREATE TABLE article_states (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    analyst TEXT NOT NULL,
    status TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    PRIMARY KEY (article_id, analyst)
);

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
, status_by TEXT NOT NULL DEFAULT '', status_at TEXT NOT NULL DEFAULT '', pushed INTEGER NOT NULL DEFAULT 0);

CREATE VIRTUAL TABLE "articles_fts" USING FTS5 (
    "title", "text",
    tokenize='unicode61 remove_diacritics 2',
    content="articles"
);

CREATE TABLE 'articles_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

CREATE TABLE 'articles_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

CREATE TABLE 'articles_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

CREATE TABLE 'articles_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

CREATE TABLE curation_rejections (
    uuid TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    curator TEXT NOT NULL,
    at TEXT NOT NULL
, pushed INTEGER NOT NULL DEFAULT 0);

CREATE TABLE memos (
    scope TEXT NOT NULL CHECK (scope IN ('project', 'article')),
    target_id INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (scope, target_id)
);

CREATE TABLE project_changes (
    field TEXT PRIMARY KEY,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL DEFAULT '',
    pushed INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
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
    created TEXT NOT NULL, cue TEXT NOT NULL DEFAULT '',
    CHECK ("end" > start),
    UNIQUE (article_id, tag_id, start, "end")
);

CREATE TABLE sync_applying (flag INTEGER);

CREATE TABLE sync_tombstones (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    local_id INTEGER,
    created TEXT NOT NULL DEFAULT '',
    deleted_at TEXT NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0, layer TEXT,  -- kept once sent: an undone delete takes its uuid back
    PRIMARY KEY (kind, key)
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    colour TEXT NOT NULL,
    shortcut TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
, rev INTEGER NOT NULL DEFAULT 1, pushed_rev INTEGER NOT NULL DEFAULT 0, parent_id INTEGER REFERENCES tags (id) ON DELETE SET NULL);

CREATE TABLE team (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    server_id TEXT NOT NULL,
    analyst TEXT NOT NULL,
    curator INTEGER NOT NULL DEFAULT 0,
    cursor INTEGER NOT NULL DEFAULT 0,
    last_sync TEXT NOT NULL DEFAULT ''
);

CREATE TABLE verdicts (
    annotation_id INTEGER PRIMARY KEY,
    annotation_created TEXT NOT NULL,
    rating TEXT NOT NULL,
    explanation TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '[]',
    reviewer TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL
);

CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");

CREATE INDEX annotation_links_by_target ON annotation_links (to_annotation_id);

CREATE TRIGGER links_made AFTER INSERT ON annotation_links WHEN NEW.created = '' BEGIN
    UPDATE annotation_links
       SET created = strftime('%Y-%m-%dT%H:%M:%fZ'),
           analyst = (SELECT annotator FROM annotations WHERE id = NEW.from_annotation_id)
     WHERE from_annotation_id = NEW.from_annotation_id AND to_annotation_id = NEW.to_annotation_id
       AND kind = NEW.kind;
END;

CREATE TRIGGER "annotations_ad" AFTER DELETE ON "annotations" BEGIN
  INSERT INTO "annotations_fts" ("annotations_fts", rowid, "quote", "note") VALUES('delete', old.rowid, old."quote", old."note");
END;

CREATE TRIGGER "annotations_ai" AFTER INSERT ON "annotations" BEGIN
  INSERT INTO "annotations_fts" (rowid, "quote", "note") VALUES (new.rowid, new."quote", new."note");
END;

CREATE TRIGGER [annotations_au] AFTER UPDATE OF [quote], [note] ON [annotations] BEGIN
  INSERT INTO [annotations_fts] ([annotations_fts], rowid, [quote], [note]) VALUES ('delete', old.rowid, old.[quote], old.[note]);
  INSERT INTO [annotations_fts] (rowid, [quote], [note]) VALUES (new.rowid, new.[quote], new.[note]);
END;

CREATE INDEX annotations_by_article ON annotations (article_id, start);

CREATE INDEX annotations_by_tag ON annotations (tag_id);

CREATE UNIQUE INDEX annotations_by_uuid ON annotations (uuid);

CREATE TRIGGER annotations_changed
    AFTER UPDATE OF tag_id, start, "end", quote, note, value, origin, layer ON annotations
    WHEN NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    UPDATE annotations SET rev = rev + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER annotations_curated_insert BEFORE INSERT ON annotations
    WHEN NEW.layer = 'curated' AND NOT EXISTS (SELECT 1 FROM sync_applying)
     AND EXISTS (SELECT 1 FROM team WHERE NOT curator) BEGIN
    SELECT RAISE(ABORT, 'Only curators add to the curated layer.');
END;

CREATE TRIGGER annotations_deleted AFTER DELETE ON annotations
    WHEN NOT EXISTS (SELECT 1 FROM sync_applying) AND OLD.uuid IS NOT NULL
     AND EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id) BEGIN
    INSERT OR REPLACE INTO sync_tombstones (kind, key, local_id, created, deleted_at, layer)
    VALUES ('annotation', OLD.uuid, OLD.id, OLD.created, strftime('%Y-%m-%dT%H:%M:%fZ'), OLD.layer);
END;

CREATE TRIGGER annotations_owned_change
    BEFORE UPDATE OF tag_id, start, "end", quote, note, value, origin, layer ON annotations
    WHEN NOT EXISTS (SELECT 1 FROM sync_applying) AND EXISTS (
        SELECT 1 FROM team WHERE (OLD.layer = '' AND analyst != OLD.annotator)
                              OR (OLD.layer = 'curated' AND NOT curator)) BEGIN
    SELECT RAISE(ABORT, 'This annotation belongs to another analyst (or to the curated layer); only they can change it.');
END;

CREATE TRIGGER annotations_owned_delete BEFORE DELETE ON annotations
    WHEN NOT EXISTS (SELECT 1 FROM sync_applying) AND EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id) AND EXISTS (
        SELECT 1 FROM team WHERE (OLD.layer = '' AND analyst != OLD.annotator)
                              OR (OLD.layer = 'curated' AND NOT curator)) BEGIN
    SELECT RAISE(ABORT, 'This annotation belongs to another analyst (or to the curated layer); only they can delete it.');
END;

CREATE INDEX annotations_to_push ON annotations (id) WHERE rev > pushed_rev;

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

CREATE TRIGGER annotations_uuid_back AFTER UPDATE OF uuid ON annotations BEGIN
    DELETE FROM sync_tombstones WHERE kind = 'annotation' AND key = NEW.uuid;
END;

CREATE TRIGGER "articles_ad" AFTER DELETE ON "articles" BEGIN
  INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "text") VALUES('delete', old.rowid, old."title", old."text");
END;

CREATE TRIGGER "articles_ai" AFTER INSERT ON "articles" BEGIN
  INSERT INTO "articles_fts" (rowid, "title", "text") VALUES (new.rowid, new."title", new."text");
END;

CREATE TRIGGER [articles_au] AFTER UPDATE OF [title], [text] ON [articles] BEGIN
  INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [text]) VALUES ('delete', old.rowid, old.[title], old.[text]);
  INSERT INTO [articles_fts] (rowid, [title], [text]) VALUES (new.rowid, new.[title], new.[text]);
END;

CREATE TRIGGER articles_author_changed AFTER UPDATE OF author ON articles WHEN OLD.author IS NOT NEW.author AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT INTO article_changes (article_id, field, changed_at, changed_by) VALUES (NEW.id, 'author', strftime('%Y-%m-%dT%H:%M:%fZ'), coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')) ON CONFLICT (article_id, field) DO UPDATE SET changed_at = excluded.changed_at, changed_by = excluded.changed_by, pushed = 0;
END;

CREATE INDEX articles_by_added ON articles (added);

CREATE INDEX articles_by_url ON articles (url) WHERE url != '';

CREATE TRIGGER articles_deleted AFTER DELETE ON articles
    WHEN OLD.pushed AND NOT EXISTS (SELECT 1 FROM sync_applying) AND EXISTS (SELECT 1 FROM team) BEGIN
    INSERT OR REPLACE INTO sync_tombstones (kind, key, deleted_at) VALUES ('article', OLD.content_hash, strftime('%Y-%m-%dT%H:%M:%fZ'));
END;

CREATE TRIGGER articles_outlet_changed AFTER UPDATE OF outlet ON articles WHEN OLD.outlet IS NOT NEW.outlet AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT INTO article_changes (article_id, field, changed_at, changed_by) VALUES (NEW.id, 'outlet', strftime('%Y-%m-%dT%H:%M:%fZ'), coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')) ON CONFLICT (article_id, field) DO UPDATE SET changed_at = excluded.changed_at, changed_by = excluded.changed_by, pushed = 0;
END;

CREATE TRIGGER articles_published_changed AFTER UPDATE OF published ON articles WHEN OLD.published IS NOT NEW.published AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT INTO article_changes (article_id, field, changed_at, changed_by) VALUES (NEW.id, 'published', strftime('%Y-%m-%dT%H:%M:%fZ'), coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')) ON CONFLICT (article_id, field) DO UPDATE SET changed_at = excluded.changed_at, changed_by = excluded.changed_by, pushed = 0;
END;

CREATE TRIGGER articles_shared_delete BEFORE DELETE ON articles
    WHEN OLD.pushed AND NOT EXISTS (SELECT 1 FROM sync_applying) AND EXISTS (SELECT 1 FROM team WHERE NOT curator) BEGIN
    SELECT RAISE(ABORT, 'This article is shared with the team: only a curator deletes it, for everyone.');
END;

CREATE TRIGGER articles_status AFTER UPDATE OF status ON articles
    WHEN NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    UPDATE articles
       SET status_at = strftime('%Y-%m-%dT%H:%M:%fZ'),
           status_by = coalesce((SELECT analyst FROM team),
                                (SELECT value FROM settings WHERE key = 'annotator_name'), '')
     WHERE id = NEW.id;
END;

CREATE TRIGGER articles_status_changed AFTER UPDATE OF status ON articles WHEN OLD.status IS NOT NEW.status AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT INTO article_changes (article_id, field, changed_at, changed_by) VALUES (NEW.id, 'status', strftime('%Y-%m-%dT%H:%M:%fZ'), coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')) ON CONFLICT (article_id, field) DO UPDATE SET changed_at = excluded.changed_at, changed_by = excluded.changed_by, pushed = 0;
END;

CREATE TRIGGER articles_title_changed AFTER UPDATE OF title ON articles WHEN OLD.title IS NOT NEW.title AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT INTO article_changes (article_id, field, changed_at, changed_by) VALUES (NEW.id, 'title', strftime('%Y-%m-%dT%H:%M:%fZ'), coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')) ON CONFLICT (article_id, field) DO UPDATE SET changed_at = excluded.changed_at, changed_by = excluded.changed_by, pushed = 0;
END;

CREATE TRIGGER articles_url_changed AFTER UPDATE OF url ON articles WHEN OLD.url IS NOT NEW.url AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT INTO article_changes (article_id, field, changed_at, changed_by) VALUES (NEW.id, 'url', strftime('%Y-%m-%dT%H:%M:%fZ'), coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')) ON CONFLICT (article_id, field) DO UPDATE SET changed_at = excluded.changed_at, changed_by = excluded.changed_by, pushed = 0;
END;

CREATE TRIGGER memos_of_deleted_article AFTER DELETE ON articles BEGIN
    DELETE FROM memos WHERE scope = 'article' AND target_id = OLD.id;
END;

CREATE INDEX curation_rejections_by_article ON curation_rejections (article_id);

CREATE TRIGGER curation_rejections_made AFTER INSERT ON curation_rejections BEGIN
    DELETE FROM sync_tombstones WHERE kind = 'rejection' AND key = NEW.uuid;
END;

CREATE TRIGGER curation_rejections_withdrawn AFTER DELETE ON curation_rejections
    WHEN NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT OR REPLACE INTO sync_tombstones (kind, key, deleted_at)
    VALUES ('rejection', OLD.uuid, strftime('%Y-%m-%dT%H:%M:%fZ'));
END;

CREATE TRIGGER memos_insert_project AFTER INSERT ON memos
    WHEN NEW.scope = 'project' AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT INTO project_changes (field, changed_at, changed_by) VALUES ('memo', strftime('%Y-%m-%dT%H:%M:%fZ'), coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')) ON CONFLICT (field) DO UPDATE SET changed_at = excluded.changed_at, changed_by = excluded.changed_by, pushed = 0;
END;

CREATE TRIGGER memos_insert_team AFTER INSERT ON memos WHEN NEW.scope = 'article' AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT INTO article_changes (article_id, field, changed_at, changed_by) VALUES (NEW.target_id, 'memo', strftime('%Y-%m-%dT%H:%M:%fZ'), coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')) ON CONFLICT (article_id, field) DO UPDATE SET changed_at = excluded.changed_at, changed_by = excluded.changed_by, pushed = 0;
END;

CREATE TRIGGER memos_update_project AFTER UPDATE ON memos
    WHEN NEW.scope = 'project' AND OLD.text IS NOT NEW.text AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT INTO project_changes (field, changed_at, changed_by) VALUES ('memo', strftime('%Y-%m-%dT%H:%M:%fZ'), coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')) ON CONFLICT (field) DO UPDATE SET changed_at = excluded.changed_at, changed_by = excluded.changed_by, pushed = 0;
END;

CREATE TRIGGER memos_update_team AFTER UPDATE ON memos WHEN NEW.scope = 'article' AND OLD.text IS NOT NEW.text AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT INTO article_changes (article_id, field, changed_at, changed_by) VALUES (NEW.target_id, 'memo', strftime('%Y-%m-%dT%H:%M:%fZ'), coalesce((SELECT analyst FROM team), (SELECT value FROM settings WHERE key = 'annotator_name'), '')) ON CONFLICT (article_id, field) DO UPDATE SET changed_at = excluded.changed_at, changed_by = excluded.changed_by, pushed = 0;
END;

CREATE INDEX source_members_by_group ON source_members (group_id);

CREATE UNIQUE INDEX tags_by_shortcut ON tags (shortcut) WHERE shortcut != '';

CREATE TRIGGER tags_changed AFTER UPDATE OF name, colour, shortcut, description ON tags
    WHEN NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    UPDATE tags SET rev = rev + 1 WHERE id = NEW.id;
END;
