"""No lost work: a process killed (SIGKILL) while tagging loses nothing it
reported as saved, and the database stays intact."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from annotator.domain import NewArticle
from annotator.store import open_store

HELPER = Path(__file__).with_name("annotating_process.py")
ROOT = Path(__file__).resolve().parents[2]
TEXT = ("Officials said at least 11 soldiers died 👍🏽 in the clashes, according to Col. Amina Haddad. "
        "قال المتحدث إن ٣٠٪ من السكان نزحوا. Prices rose 4.5% in March, the bureau said.\n") * 40


def start_helper(db: Path, article_id: int, tag_id: int, *count: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, str(HELPER), str(db), str(article_id), str(tag_id), *map(str, count)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )


def test_sigkill_while_tagging_loses_nothing_reported_saved(tmp_path):
    db = tmp_path / "work.db"
    store = open_store(db)
    article_id, _ = store.insert_article(NewArticle(title="Clashes", text=TEXT))
    tag_id = store.insert_tag("claim", "#3B82F6", "1").id
    store.close()

    rng = random.Random(20261125)
    reported: list[int] = []
    for round_ in range(6):
        proc = start_helper(db, article_id, tag_id)
        proc.stdin.write("go\n")
        proc.stdin.flush()
        # Kill at a random moment: after a random number of saves, plus a random
        # fraction of the next one (the kill can land inside a transaction).
        for _ in range(rng.randrange(1, 120)):
            line = proc.stdout.readline()
            assert line and not line.startswith("STOREERROR"), (line, proc.stderr.read())
            reported.append(int(line))
        time.sleep(rng.random() * 0.004)
        proc.send_signal(signal.SIGKILL)
        rest, errors = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, errors
        # Lines already written to the pipe were reported as saved, too.
        for line in rest.splitlines():
            assert not line.startswith("STOREERROR"), line
            reported.append(int(line))

        reopened = open_store(db)
        try:
            assert reopened.integrity_check() == "ok", f"round {round_}"
            stored = {a.id: a for a in reopened.list_annotations(article_id)}
            missing = set(reported) - set(stored)
            assert not missing, f"round {round_}: reported saved but lost: {sorted(missing)}"
            text = reopened.get_article(article_id).text
            assert all(text[a.start : a.end] == a.quote for a in stored.values())
        finally:
            reopened.close()
    assert len(reported) >= 6
