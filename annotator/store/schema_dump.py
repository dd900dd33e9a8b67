"""Write the readable schema snapshot (``db/schema.sql``) of a migrated database."""

from __future__ import annotations

import sqlite3
import sys


def schema_sql(conn: sqlite3.Connection) -> str:
    """The CREATE statements of every table and index, in a stable order."""
    rows = conn.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        " ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, tbl_name, name"
    ).fetchall()
    header = (
        "-- annotator database schema (generated: python -m annotator.store.schema_dump).\n"
        "-- The migrations in annotator/store/migrations.py are the source of truth;\n"
        "-- a test checks that this snapshot matches a freshly migrated database.\n\n"
    )
    return header + "".join(f"{row[0].strip()};\n\n" for row in rows).rstrip() + "\n"


if __name__ == "__main__":
    from annotator.store import open_store

    store = open_store(":memory:" if len(sys.argv) < 2 else sys.argv[1])
    sys.stdout.write(schema_sql(store.conn))
