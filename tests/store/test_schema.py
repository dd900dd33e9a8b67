"""db/schema.sql is the readable snapshot of what the migrations produce."""

from __future__ import annotations

from pathlib import Path

from annotator.store import open_store
from annotator.store.schema_dump import schema_sql

SNAPSHOT = Path(__file__).resolve().parents[2] / "db" / "schema.sql"


def test_schema_snapshot_matches_a_freshly_migrated_database(tmp_path):
    store = open_store(tmp_path / "fresh.db")
    try:
        current = schema_sql(store.conn)
    finally:
        store.close()
    assert SNAPSHOT.read_text(encoding="utf-8") == current, (
        "db/schema.sql is out of date: regenerate it with "
        "`python -m annotator.store.schema_dump > db/schema.sql`"
    )


def test_schema_names_explain_themselves(tmp_path):
    store = open_store(tmp_path / "fresh.db")
    try:
        columns = {
            table: [row[1] for row in store.conn.execute(f"PRAGMA table_info({table})")]
            for table in ("articles", "tags", "annotations")
        }
    finally:
        store.close()
    assert {"title", "outlet", "author", "url", "published", "text", "content_hash", "added", "status"} <= set(columns["articles"])
    assert {"name", "colour", "shortcut", "description"} <= set(columns["tags"])
    assert {"article_id", "tag_id", "start", "end", "quote", "note", "annotator", "created", "updated"} <= set(columns["annotations"])
