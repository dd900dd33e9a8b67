"""Where the database lives, opening it, and what a first run puts in it."""

from __future__ import annotations

import getpass
import json
import os
from importlib import resources
from pathlib import Path

import platformdirs

from annotator.domain import NewArticle, normalise_text
from annotator.store import Store, open_store

APP_NAME = "annotator"
DB_ENV = "ANNOTATOR_DB"


def default_db_path() -> Path:
    """``$ANNOTATOR_DB`` if set, else ``annotator.db`` in the user's data folder."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "annotator.db"


def file_identity(path: str | os.PathLike) -> tuple[int, int] | None:
    """(device, inode) of ``path``, or None when it does not exist; ``os.stat`` opens nothing."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def database_files(store: Store) -> set[tuple[int, int]]:
    """Identities of the store's database file and its -wal, -shm and -journal.

    Reading or writing one of them with anything but SQLite would open and close
    a descriptor on it, which drops every lock this process holds on the database
    (SQLite's "How To Corrupt An SQLite Database File", section 2.2), or overwrite
    the work itself.
    """
    found = {file_identity(store.path + suffix) for suffix in ("", "-wal", "-shm", "-journal")}
    return found - {None}


def is_database_file(store: Store, path: str | os.PathLike) -> bool:
    """Whether ``path`` is the store's own database file or one of its companions."""
    return file_identity(path) in database_files(store)


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def resource_text(name: str) -> str:
    """A bundled resource (default tags, the sample article) as text.

    Installed, resources/ is the package ``annotator.resources``; in a plain
    checkout (``python -m annotator`` from the repository, no install) it is the
    folder beside the package.
    """
    try:
        folder = resources.files("annotator.resources")
    except ModuleNotFoundError:
        folder = Path(__file__).resolve().parents[2] / "resources"
    return folder.joinpath(name).read_text(encoding="utf-8")


def default_tags() -> list[dict]:
    return json.loads(resource_text("default_tags.json"))


def sample_article() -> NewArticle:
    text = normalise_text(resource_text("sample_article.txt")).strip() + "\n"
    return NewArticle(
        title="Border clashes leave at least 11 soldiers dead as talks stall",
        text=text,
        outlet="The Northern Ledger (sample)",
        author="Nadia Ferreira",
        published="2026-03-14",
        source_format="sample",
    )


def open_workspace(path: str | Path | None = None, *, seed: bool = True) -> Store:
    """Open the database (default location unless ``path``); on first run seed
    the default tags and the sample article (not in a database opened read-only)."""
    store = open_store(path if path is not None else default_db_path())
    if seed and not store.read_only and not store.get_setting("seeded"):
        with store.write():
            if not store.list_tags():
                for tag in default_tags():
                    store.insert_tag(tag["name"], tag["colour"], tag["shortcut"], tag["description"])
            if not store.article_ids():
                store.insert_article(sample_article())
            store.set_setting("seeded", "1")
    return store


def annotator_name(store: Store) -> str:
    """Who is annotating: the saved name, else the login name."""
    from annotator.services.settings import load_settings

    name = load_settings(store).annotator_name
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"
