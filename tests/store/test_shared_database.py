"""The window and other programs on one database file at the same time.

The configuration a user really runs: the window open (tagging, with its
background jobs: suggestions, imports, exports), and meanwhile the command line
and plain sqlite3 clients (as Datasette and sqlite-utils) reading and writing
the same file; then the window is killed. Nothing reported saved may be lost,
and the file must stay sound. Each round has its own random timing.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("shared_db", Path(__file__).with_name("shared_db.py"))
shared_db = importlib.util.module_from_spec(_spec)
sys.modules["shared_db"] = shared_db
_spec.loader.exec_module(shared_db)


def _judge(outcome) -> None:
    assert not outcome.errors, "\n".join(outcome.errors)
    assert outcome.window_saved, "the window saved nothing: the scenario did not run"
    assert outcome.external_saved, "no plain sqlite3 client wrote: the scenario did not run"
    assert outcome.lost == [], f"reported saved by the window but lost: {outcome.lost}"
    assert outcome.lost_external == [], f"written by sqlite3 clients but lost: {outcome.lost_external}"
    assert outcome.lost_articles == [], f"imported from the terminal but lost: {outcome.lost_articles}"
    assert outcome.integrity == "ok"


@pytest.mark.parametrize("seed", [101, 202])
def test_window_with_terminal_and_sqlite_clients_then_killed_loses_nothing(tmp_path, seed):
    _judge(shared_db.run_scenario(tmp_path, seed, windows=1))


@pytest.mark.parametrize("seed", [303])
def test_two_windows_in_two_processes_with_background_jobs_lose_nothing(tmp_path, seed):
    _judge(shared_db.run_scenario(tmp_path, seed, windows=2))
