"""Two windows (processes) on one database: nothing lost, never "database is locked"."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from annotator.domain import NewArticle
from annotator.store import open_store

HELPER = Path(__file__).with_name("annotating_process.py")
ROOT = Path(__file__).resolve().parents[2]
TEXT = ("The agency said 2,300 people were evacuated, a spokesperson told reporters on Monday. "
        "Damage was estimated at $4.2 million.\n") * 50
ENV = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def test_two_processes_tagging_at_once_lose_nothing(tmp_path):
    db = tmp_path / "shared.db"
    store = open_store(db)
    article_id, _ = store.insert_article(NewArticle(title="Floods", text=TEXT))
    tag_id = store.insert_tag("figure", "#E11D48", "3").id
    store.close()

    per_process = 300
    procs = [
        subprocess.Popen(
            [sys.executable, str(HELPER), str(db), str(article_id), str(tag_id), str(per_process)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT,
        )
        for _ in range(2)
    ]
    for proc in procs:  # both are ready (store open); start them together
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate(timeout=120) for proc in procs]

    reported: list[int] = []
    for proc, (out, err) in zip(procs, outputs):
        assert "locked" not in out + err and "Traceback" not in err, err
        assert proc.returncode == 0, out[-500:] + err
        ids = [int(line) for line in out.split()]
        assert len(ids) == per_process
        reported += ids

    store = open_store(db)
    try:
        stored = store.list_annotations(article_id)
        assert sorted(a.id for a in stored) == sorted(reported)
        assert len(set(reported)) == 2 * per_process
        by_annotator = {a.annotator for a in stored}
        assert len(by_annotator) == 2
        assert store.integrity_check() == "ok"
    finally:
        store.close()


OPEN_NEW = """
import sys, time
from annotator.services.workspace import open_workspace
go = float(sys.argv[2])
while time.time() < go:
    pass
store = open_workspace(sys.argv[1])
print(len(store.list_tags()), len(store.article_ids()))
"""


def test_several_windows_creating_the_same_new_database_at_once(tmp_path):
    """First run from two windows at the same moment: one creates and seeds the
    database, the others wait for it; nobody sees an error or a double seed."""
    for round_ in range(3):
        db = tmp_path / f"new{round_}.db"
        go = time.time() + 1.5  # all interpreters are up by then
        procs = [
            subprocess.Popen([sys.executable, "-c", OPEN_NEW, str(db), str(go)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)
            for _ in range(4)
        ]
        results = [proc.communicate(timeout=120) for proc in procs]
        for proc, (out, err) in zip(procs, results):
            assert proc.returncode == 0, err
            assert out.split() == ["3", "1"], (out, err)  # three default tags, one sample article
