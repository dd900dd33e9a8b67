"""Local databases for the team tests; the PostgreSQL server and a fresh team
database on it (``postgres``, ``team_server``) come from tests/conftest.py."""

from __future__ import annotations

import pytest

from annotator.services.workspace import open_workspace


@pytest.fixture
def analyst_db(tmp_path):
    """``analyst_db(name)``: a fresh local database for one analyst."""
    opened = []

    def make(name: str):
        store = open_workspace(tmp_path / f"{name}.db")
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()
