"""Nothing the program writes or reads as a file may be the open database itself:
an export or a saved original over it would overwrite the work, and any other
descriptor on it drops the process's SQLite locks."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from annotator.domain import NewArticle
from annotator.services.exporting import ExportError, export_annotations
from annotator.services.intake import write_original
from annotator.services.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path):
    s = open_workspace(tmp_path / "work.db")
    article_id, _ = s.insert_article(NewArticle(title="Floods", text="The agency said 300 homes flooded.\n",
                                                original_name="floods.txt", original_bytes=zlib.compress(b"x")))
    s.insert_annotation(article_id, s.tag_by_name("figure").id, 16, 19, "300")
    yield s
    s.close()


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_over_the_database_is_refused_and_the_work_stays(store, suffix):
    target = store.path + suffix
    before = os.stat(target).st_ino
    with pytest.raises(ExportError, match="the database itself"):
        export_annotations(store, "csv", target)
    assert os.stat(target).st_ino == before
    assert store.count_annotations() == 1 and store.integrity_check() == "ok"


def test_saving_an_original_over_the_database_is_refused(store, tmp_path):
    article_id = store.latest_article_id()
    with pytest.raises(OSError, match="the database itself"):
        write_original(store, article_id, store.path)
    assert store.count_annotations() == 1
    assert write_original(store, article_id, tmp_path / "floods.txt").read_bytes() == b"x"


def test_cli_export_over_the_database_is_a_message(store):
    store.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "annotator", "export", "--db", store.path, "--format", "csv",
                             "-o", store.path], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode != 0
    assert "the database itself" in result.stderr and "Traceback" not in result.stderr
    reopened = open_workspace(store.path)
    assert reopened.count_annotations() == 1
    reopened.close()
