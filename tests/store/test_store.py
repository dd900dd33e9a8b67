"""The store: opening and refusing files, migrations, annotations, tags, suggestions."""

from __future__ import annotations

import os
import sqlite3

import pytest

from annotator.domain import NewArticle
from annotator.store import SCHEMA_VERSION, StoreError, open_store
from annotator.store import core
from annotator.store.migrations import migrations

TEXT = "Officials said 👍🏽 at least 11 soldiers died, according to Col. Amina Haddad.\n"


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "a.db")
    yield s
    s.close()


def add_article(store, text=TEXT, **kw):
    article_id, created = store.insert_article(NewArticle(title=kw.pop("title", "T"), text=text, **kw))
    assert created
    return article_id


def span_of(text, quote):
    start = text.index(quote)
    return start, start + len(quote)


# -- opening --------------------------------------------------------------


def test_fresh_database_is_migrated_and_in_wal_mode(tmp_path):
    path = tmp_path / "sub" / "folder" / "new.db"
    s = open_store(path)
    assert path.exists()
    assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    tables = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "tags", "annotations", "suggestions", "settings"} <= tables
    assert not migrations.pending(s.db)
    s.close()
    # Reopening migrates nothing and makes no backup.
    open_store(path).close()
    assert sorted(p.name for p in path.parent.iterdir() if "before-schema" in p.name) == []


def test_empty_file_is_a_new_database(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    s = open_store(path)
    assert s.list_articles() == []
    s.close()


@pytest.mark.parametrize(
    "content",
    [b"article text, not a database\n", os.urandom(4096), b"SQLite format 2\x00" + b"\x00" * 100],
    ids=["text", "random", "almost-header"],
)
def test_non_sqlite_file_is_refused_untouched(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not an annotator database"):
        open_store(path)
    assert path.read_bytes() == content
    assert not (tmp_path / "notes.db-wal").exists()


def test_corrupt_sqlite_file_is_refused_readably(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    with pytest.raises(StoreError) as info:
        open_store(path)
    assert str(path) in str(info.value)


def test_database_of_another_program_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmarks (url TEXT)")
    conn.execute("INSERT INTO bookmarks VALUES ('https://example.org')")
    conn.execute("PRAGMA user_version = 7")  # many programs version their schema too
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        open_store(path)
    assert path.read_bytes() == before  # not even switched to WAL


def test_database_of_another_sqlite_utils_program_is_refused(tmp_path):
    """A foreign database may have a _sqlite_migrations table of its own."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT);"
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('otherapp', 'm001', 'x');"
        "CREATE TABLE articles (id INTEGER PRIMARY KEY, body TEXT);"
    )
    conn.close()
    with pytest.raises(StoreError, match="another program"):
        open_store(path)


def test_newer_schema_version_is_refused(tmp_path):
    path = tmp_path / "a.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer version of annotator"):
        open_store(path)


def test_unknown_applied_migration_is_refused(tmp_path):
    path = tmp_path / "a.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('annotator', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer version of annotator.*upgrade"):
        open_store(path)


def test_folder_is_refused(tmp_path):
    with pytest.raises(StoreError, match="folder"):
        open_store(tmp_path)


def test_database_is_copied_before_a_migration(tmp_path, monkeypatch):
    path = tmp_path / "work.db"
    s = open_store(path)
    article_id = add_article(s)
    tag = s.insert_tag("claim", "#3B82F6", "1")
    start, end = span_of(TEXT, "at least 11 soldiers")
    s.insert_annotation(article_id, tag.id, start, end, "at least 11 soldiers", annotator="ann")
    s.close()

    # A later release adds a migration: register one for this test only.
    def m999_add_reviewed(db):
        db.execute("ALTER TABLE annotations ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0")

    monkeypatch.setattr(migrations, "_migrations", [*migrations._migrations, migrations._Migration("m999_add_reviewed", m999_add_reviewed)])
    monkeypatch.setattr(core, "SCHEMA_VERSION", SCHEMA_VERSION + 1)

    s = open_store(path)
    columns = {row[1] for row in s.conn.execute("PRAGMA table_info(annotations)")}
    assert "reviewed" in columns
    assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert len(s.list_annotations(article_id)) == 1
    s.close()

    backups = [p for p in tmp_path.iterdir() if "before-schema" in p.name]
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert "reviewed" not in {row[1] for row in old.execute("PRAGMA table_info(annotations)")}
    assert old.execute("SELECT quote FROM annotations").fetchall() == [("at least 11 soldiers",)]
    assert old.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    old.close()


def test_failed_migration_leaves_database_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "work.db"
    s = open_store(path)
    add_article(s)
    s.close()

    def m999_broken(db):
        db.execute("ALTER TABLE annotations ADD COLUMN half INTEGER")
        raise RuntimeError("bug in migration")

    monkeypatch.setattr(migrations, "_migrations", [*migrations._migrations, migrations._Migration("m999_broken", m999_broken)])
    monkeypatch.setattr(core, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(RuntimeError):
        open_store(path)
    monkeypatch.undo()
    s = open_store(path)
    assert "half" not in {row[1] for row in s.conn.execute("PRAGMA table_info(annotations)")}
    assert len(s.list_articles()) == 1
    s.close()


# -- articles ---------------------------------------------------------------


def test_duplicate_article_by_text_or_url(store):
    first = add_article(store, url="https://news.example/a")
    assert store.insert_article(NewArticle(title="again", text=TEXT.replace(" ", "  "))) == (first, False)
    assert store.insert_article(NewArticle(title="moved", text="other", url="https://news.example/a")) == (first, False)
    assert len(store.list_articles()) == 1


def test_list_articles_counts_annotations(store):
    a = add_article(store)
    b = add_article(store, text="Second story.\n")
    tag = store.insert_tag("claim", "#3B82F6", "1")
    store.insert_annotation(a, tag.id, 0, 9, "Officials", annotator="x")
    store.insert_annotation(a, tag.id, 10, 14, "said", annotator="x")
    counts = {s.id: s.annotation_count for s in store.list_articles()}
    assert counts == {a: 2, b: 0}
    store.set_article_status(b, "done")
    assert store.get_article(b).status == "done"
    with pytest.raises(ValueError):
        store.set_article_status(b, "finished")


# -- annotations -------------------------------------------------------------


def test_insert_annotation_checks_the_quote(store):
    article_id = add_article(store)
    tag = store.insert_tag("claim", "#3B82F6", "1")
    start, end = span_of(TEXT, "at least 11 soldiers")
    a = store.insert_annotation(article_id, tag.id, start, end, "at least 11 soldiers", annotator="ann", note="n")
    assert store.get_annotation(a.id) == a
    assert store.get_article(article_id).text[a.start : a.end] == a.quote
    for bad_start, bad_end, quote in [
        (start, end, "at least 12 soldiers"),
        (start + 1, end + 1, "at least 11 soldiers"),
        (start, end + 100_000, "at least 11 soldiers"),
        (start, start, ""),
    ]:
        with pytest.raises(StoreError):
            store.insert_annotation(article_id, tag.id, bad_start, bad_end, quote, annotator="ann")
    with pytest.raises(StoreError, match="no article"):
        store.insert_annotation(article_id + 99, tag.id, start, end, "at least 11 soldiers")
    assert store.count_annotations(article_id) == 1


def test_offsets_are_code_points_after_emoji(store):
    article_id = add_article(store)
    tag = store.insert_tag("figure", "#E11D48", "3")
    start, end = span_of(TEXT, "11")
    a = store.insert_annotation(article_id, tag.id, start, end, "11")
    # In UTF-16 the skin-toned thumb is 4 units; in code points 2.
    assert a.start == TEXT.index("11") and TEXT[a.start : a.end] == "11"


def test_delete_and_restore_round_trip(store):
    article_id = add_article(store)
    claim = store.insert_tag("claim", "#3B82F6", "1")
    source = store.insert_tag("source", "#16A34A", "2")
    c = store.insert_annotation(article_id, claim.id, *span_of(TEXT, "at least 11 soldiers died"), "at least 11 soldiers died", note="check", annotator="ann")
    s = store.insert_annotation(article_id, source.id, *span_of(TEXT, "Col. Amina Haddad"), "Col. Amina Haddad", annotator="ann")
    store.insert_link(c.id, s.id, "source", cue="said")
    before = store.list_annotations(article_id)
    deleted, links = store.delete_annotations([c.id])
    assert deleted == [c] and links == [(c.id, s.id, "source", "said")]
    assert [a.id for a in store.list_annotations(article_id)] == [s.id]
    assert store.list_links(article_id) == []
    store.restore_annotations(deleted, links)
    assert store.list_annotations(article_id) == before
    assert store.list_links(article_id) == [(c.id, s.id, "source")]
    assert store.link_cue(c.id, s.id) == "said"


def test_update_annotation(store):
    article_id = add_article(store)
    claim = store.insert_tag("claim", "#3B82F6", "1")
    figure = store.insert_tag("figure", "#E11D48", "3")
    a = store.insert_annotation(article_id, claim.id, *span_of(TEXT, "11"), "11")
    b = store.update_annotation(a.id, tag_id=figure.id, note="count")
    assert (b.tag_id, b.note, b.created) == (figure.id, "count", a.created)
    assert b.updated >= a.updated


def test_failed_write_rolls_back_everything(store):
    article_id = add_article(store)
    tag = store.insert_tag("claim", "#3B82F6", "1")
    with pytest.raises(StoreError):
        with store.write():
            store.insert_annotation(article_id, tag.id, 0, 9, "Officials")
            store.insert_annotation(article_id, tag.id, 0, 9, "wrong")
    assert store.count_annotations() == 0
    assert not store.conn.in_transaction


# -- tags --------------------------------------------------------------------


def test_tag_name_and_shortcut_conflicts(store):
    claim = store.insert_tag("claim", "#3B82F6", "1")
    source = store.insert_tag("source", "#16A34A", "2")
    with pytest.raises(StoreError, match="already a tag called"):
        store.insert_tag("Claim", "#000000")
    with pytest.raises(StoreError, match="already a tag called"):
        store.insert_tag("  claim ", "#000000")
    with pytest.raises(StoreError, match="needs a name"):
        store.insert_tag("   ", "#000000")
    with pytest.raises(StoreError, match="key “1” already tags “claim”"):
        store.insert_tag("quote", "#000000", "1")
    with pytest.raises(StoreError, match="already a tag called"):
        store.update_tag(source.id, name="CLAIM ")
    with pytest.raises(StoreError, match="key “1” already tags “claim”"):
        store.update_tag(source.id, shortcut="1")
    renamed = store.update_tag(source.id, name=" speaker ", colour="#00FF00", shortcut="s")
    assert (renamed.name, renamed.colour, renamed.shortcut) == ("speaker", "#00FF00", "s")
    # Renaming a tag to its own name in another case is fine.
    assert store.update_tag(claim.id, name="Claim").name == "Claim"
    assert [t.name for t in store.list_tags()] == ["Claim", "speaker"]


def test_delete_tag_removes_its_annotations(store):
    article_id = add_article(store)
    claim = store.insert_tag("claim", "#3B82F6", "1")
    figure = store.insert_tag("figure", "#E11D48", "3")
    store.insert_annotation(article_id, claim.id, 0, 9, "Officials")
    store.insert_annotation(article_id, claim.id, 10, 14, "said")
    kept = store.insert_annotation(article_id, figure.id, *span_of(TEXT, "11"), "11")
    assert store.tag_usage(claim.id) == 2
    assert store.delete_tag(claim.id) == 2
    assert [t.id for t in store.list_tags()] == [figure.id]
    assert store.list_annotations(article_id) == [kept]
    with pytest.raises(StoreError):
        store.get_tag(claim.id)


# -- settings ---------------------------------------------------------------


def test_settings(store):
    assert store.get_setting("last_article", "none") == "none"
    store.set_setting("last_article", "3")
    store.set_setting("last_article", "4")
    assert store.get_setting("last_article") == "4"


# -- suggestions ------------------------------------------------------------


def _spans(claim, source, figure):
    return [
        {"tag_id": claim.id, "start": TEXT.index("at least"), "end": TEXT.index(", according"),
         "quote": "at least 11 soldiers died", "score": 0.8, "suggester": "claims", "source_index": 1,
         "cue": "according to"},
        {"tag_id": source.id, "start": TEXT.index("Col."), "end": TEXT.index(".\n"),
         "quote": "Col. Amina Haddad", "score": 0.9, "suggester": "sources", "cue": "according to"},
        {"tag_id": figure.id, "start": TEXT.index("11"), "end": TEXT.index("11") + 2,
         "quote": "11", "value": "11", "suggester": "figures", "suggester_version": "1"},
        {"tag_id": figure.id, "start": 0, "end": 3, "quote": "not what the text says"},
    ]


def test_replace_suggestions_skips_wrong_spans_and_keeps_rejections(store):
    article_id = add_article(store)
    claim, source, figure = (store.insert_tag(n, "#000000", k) for n, k in [("claim", "1"), ("source", "2"), ("figure", "3")])
    spans = _spans(claim, source, figure)
    pending = store.replace_suggestions(article_id, spans)
    # The span whose quote does not match the text is not stored.
    assert sorted(s.quote for s in pending) == ["11", "Col. Amina Haddad", "at least 11 soldiers died"]
    by_quote = {s.quote: s for s in pending}
    assert by_quote["at least 11 soldiers died"].source_suggestion_id == by_quote["Col. Amina Haddad"].id

    store.reject_suggestions([by_quote["11"].id])
    again = store.replace_suggestions(article_id, spans)
    assert sorted(s.quote for s in again) == ["Col. Amina Haddad", "at least 11 soldiers died"]
    assert [s.quote for s in store.list_suggestions(article_id, "rejected")] == ["11"]

    store.reset_suggestion(by_quote["11"].id)
    assert "11" in {s.quote for s in store.list_suggestions(article_id)}


def test_accept_suggestions_links_claim_to_source(store):
    article_id = add_article(store)
    claim, source, figure = (store.insert_tag(n, "#000000", k) for n, k in [("claim", "1"), ("source", "2"), ("figure", "3")])
    by_quote = {s.quote: s for s in store.replace_suggestions(article_id, _spans(claim, source, figure))}
    # Either order of acceptance links the claim to its source.
    c = store.accept_suggestion(by_quote["at least 11 soldiers died"].id, annotator="ann")
    assert store.list_links(article_id) == []
    s = store.accept_suggestion(by_quote["Col. Amina Haddad"].id, annotator="ann")
    assert store.list_links(article_id) == [(c.id, s.id, "source")]
    # The link keeps the attribution's cue, the reason the pair was proposed.
    assert by_quote["at least 11 soldiers died"].cue == "according to"
    assert store.link_cue(c.id, s.id) == "according to"
    f = store.accept_suggestion(by_quote["11"].id, annotator="ann", tag_id=claim.id)
    assert f.tag_id == claim.id and f.value == "11" and '"figures"' in f.origin
    assert {a.id for a in store.list_annotations(article_id)} == {c.id, s.id, f.id}
    assert store.list_suggestions(article_id) == []
    # Accepted ones are not proposed again.
    assert store.replace_suggestions(article_id, _spans(claim, source, figure)) == []
    with pytest.raises(StoreError, match="no suggestion"):
        store.accept_suggestion(99_999, annotator="ann")


def test_annotation_with_a_deleted_tag_is_a_store_error(store, tmp_path):
    """Another window deleted the tag this one still shows."""
    article_id = add_article(store)
    tag = store.insert_tag("claim", "#3B82F6", "1")
    other = open_store(store.path)
    other.delete_tag(tag.id)
    other.close()
    with pytest.raises(StoreError, match="no tag"):
        store.insert_annotation(article_id, tag.id, 0, 9, "Officials")
    assert not store.conn.in_transaction


def test_retag_to_a_deleted_tag_or_of_a_deleted_annotation_is_a_store_error(store):
    article_id = add_article(store)
    claim = store.insert_tag("claim", "#3B82F6", "1")
    gone = store.insert_tag("gone", "#000000", "9")
    a = store.insert_annotation(article_id, claim.id, 0, 9, "Officials")
    other = open_store(store.path)
    other.delete_tag(gone.id)
    with pytest.raises(StoreError, match="no tag"):
        store.update_annotation(a.id, tag_id=gone.id, note="changed")
    assert store.get_annotation(a.id) == a  # nothing half-done: the note is unchanged too
    other.delete_annotations([a.id])
    other.close()
    with pytest.raises(StoreError, match="no annotation"):
        store.update_annotation(a.id, note="too late")
