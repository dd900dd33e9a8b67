"""The Datasette metadata shipped in resources/ describes tables and columns that exist."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.store import open_store

METADATA = Path(__file__).resolve().parents[2] / "resources" / "datasette-metadata.json"


def test_every_described_table_and_column_exists(tmp_path):
    tables = json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["*"]["tables"]
    store = open_store(tmp_path / "a.db")
    for table, info in tables.items():
        columns = {row[1] for row in store.conn.execute(f'PRAGMA table_info("{table}")')}
        assert columns, f"no table {table}"
        assert set(info["columns"]) <= columns, (table, set(info["columns"]) - columns)
    store.close()
