"""One real PostgreSQL server (the ``pgserver`` wheel) for the whole session; each
test gets a fresh database on it, set up with ``annotator team init``."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest

from annotator.services import team
from annotator.services.workspace import open_workspace

_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres():
    """The running server (its ``get_uri()`` logs in as the superuser postgres)."""
    pgserver = pytest.importorskip("pgserver")
    folder = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        yield server
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


class TeamServer:
    """A fresh team database on the session's server, and URLs to log in to it."""

    def __init__(self, postgres, name: str):
        self.postgres = postgres
        self.name = name
        self.admin_url = _with_db(postgres.get_uri(), name)

    def url(self, role: str) -> str:
        """The URL an analyst uses: their own role, no password (the test server trusts local sockets)."""
        return self.admin_url.replace("postgresql://postgres:@", f"postgresql://{role}@", 1)

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.admin_url, autocommit=True)


def _with_db(uri: str, dbname: str) -> str:
    # pgserver: postgresql://postgres:@/postgres?host=/path
    head, _, query = uri.partition("?")
    return f"{head.rsplit('/', 1)[0]}/{dbname}?{query}"


@pytest.fixture
def team_server(postgres):
    """A new database with the team schema, and analysts ana, ben (analysts) and lead (curator)."""
    name = f"team{next(_numbers)}"
    with psycopg.connect(postgres.get_uri(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    served = TeamServer(postgres, name)
    team.init_server(served.admin_url)
    for analyst in ("ana", "ben"):
        team.add_analyst(served.admin_url, analyst)
    team.add_analyst(served.admin_url, "lead", curator=True)
    yield served
    with psycopg.connect(postgres.get_uri(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


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
