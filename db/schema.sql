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
    kind TEXT NOT NULL DEFAULT 'source', cue TEXT NOT NULL DEFAULT '',
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
    origin TEXT NOT NULL DEFAULT '',
    CHECK ("end" > start)
);

CREATE TABLE article_originals (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    zlib_bytes BLOB NOT NULL
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
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
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

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    colour TEXT NOT NULL,
    shortcut TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);

CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");

CREATE INDEX annotation_links_by_target ON annotation_links (to_annotation_id);

CREATE INDEX annotations_by_article ON annotations (article_id, start);

CREATE INDEX annotations_by_tag ON annotations (tag_id);

CREATE INDEX articles_by_added ON articles (added);

CREATE INDEX articles_by_url ON articles (url) WHERE url != '';

CREATE UNIQUE INDEX tags_by_shortcut ON tags (shortcut) WHERE shortcut != '';
