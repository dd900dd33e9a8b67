"""Shared test configuration: Qt runs headless, every test gets its own folders."""

import os

# Set before any Qt import: the suite never needs a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


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
