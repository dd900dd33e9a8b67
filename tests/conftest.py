"""Shared test configuration: Qt runs headless, every test gets its own folders."""

import os

# Set before any Qt import: the suite never needs a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import itertools  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import psycopg  # noqa: E402
import pytest  # noqa: E402

from annotator.services import team  # noqa: E402

_numbers = itertools.count()


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch):
    """Keep tests away from the real data, log and settings folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)


@pytest.fixture
def tagged_store(tmp_path):
    """An empty database with the tags claim (1), source (2) and figure (3), no sample article."""
    from annotator.services.tags import create_tag
    from annotator.store import open_store

    store = open_store(tmp_path / "tagged.db")
    for name, key in (("claim", "1"), ("source", "2"), ("figure", "3")):
        create_tag(store, name=name, colour="#3B82F6", shortcut=key)
    yield store
    store.close()


# A real PostgreSQL server (the ``pgserver`` wheel) for the whole session, shared by
# the team tests and the window's team tests; each test gets a fresh database on it.
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
