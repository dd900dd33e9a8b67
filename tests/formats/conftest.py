"""Fixtures of the exchange tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest


def load_hard_cases():
    """tests/export/hard_cases.py as a module (the suite runs with --import-mode=importlib,
    so test folders are not on sys.path)."""
    spec = importlib.util.spec_from_file_location("exchange_hard_cases", Path(__file__).with_name("hard_cases.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def hard_store(tmp_path):
    """A database full of the cases exports get wrong (see hard_cases.py)."""
    store = load_hard_cases().build_hard_store(tmp_path / "a.db")
    yield store
    store.close()
