"""The real configuration of a shared database file, as one scenario (not a test module).

Windows (real ``MainWindow`` processes that tag with key presses while their
background jobs run) and, at the same moment, other programs on the same file:
``annotator articles``, ``annotator import`` and ``annotator export`` from a
terminal, and plain ``sqlite3`` connections that read and write and close again
(as Datasette and sqlite-utils do). Then every window is killed with SIGKILL at
a random moment. :func:`run_scenario` returns what was reported saved and what
the file holds afterwards; the tests and ``benchmarks/stress_shared_db.py`` judge it.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WINDOW = Path(__file__).with_name("window_process.py")
ENV = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           QT_QPA_PLATFORM="offscreen")

# A plain sqlite3 client: open, read, write one row of its own, commit, close; repeat.
PLAIN_SQLITE = """
import sqlite3, sys, time, random
db, rounds = sys.argv[1], int(sys.argv[2])
for i in range(rounds):
    conn = sqlite3.connect(db, timeout=30)
    conn.execute("SELECT count(*) FROM annotations").fetchone()
    conn.execute("CREATE TABLE IF NOT EXISTS external_notes (id INTEGER PRIMARY KEY, body TEXT)")
    cur = conn.execute("INSERT INTO external_notes (body) VALUES (?)", (f"note {i}",))
    conn.commit()
    print(cur.lastrowid, flush=True)
    conn.close()
    time.sleep(random.random() * 0.05)
"""


@dataclass
class Outcome:
    """What the processes reported saved, and what the database holds at the end."""

    window_saved: list[int] = field(default_factory=list)
    external_saved: list[int] = field(default_factory=list)
    imported_articles: list[int] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stored_annotations: set[int] = field(default_factory=set)
    stored_external: set[int] = field(default_factory=set)
    stored_articles: set[int] = field(default_factory=set)
    integrity: str = ""

    @property
    def lost(self) -> list[int]:
        return sorted(set(self.window_saved) - self.stored_annotations)

    @property
    def lost_external(self) -> list[int]:
        return sorted(set(self.external_saved) - self.stored_external)

    @property
    def lost_articles(self) -> list[int]:
        return sorted(set(self.imported_articles) - self.stored_articles)


class _Lines:
    """Collects a process's output lines in a thread (a pipe must never fill up)."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            if line == "ready":
                self.ready.set()
            self.lines.append(line)
        self.ready.set()


def _cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "annotator", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=ENV, cwd=ROOT)


def run_scenario(folder: Path, seed: int, *, windows: int = 1) -> Outcome:
    """One round: ``windows`` windows and the other programs on one file, then SIGKILL."""
    from annotator.services.workspace import open_workspace

    rng = random.Random(seed)
    db = folder / "shared.db"
    inbox = folder / "inbox"
    inbox.mkdir()
    open_workspace(db).close()
    outcome = Outcome()

    procs = [subprocess.Popen([sys.executable, str(WINDOW), str(db), str(inbox), str(seed * 10 + i)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)
             for i in range(windows)]
    readers = [_Lines(p) for p in procs]
    for reader in readers:
        assert reader.ready.wait(60), "the window did not start: " + reader.proc.stderr.read()

    others: list[tuple[str, subprocess.Popen]] = []
    deadline = time.monotonic() + rng.uniform(2.0, 4.5)
    n = 0
    while time.monotonic() < deadline:
        n += 1
        kind = rng.choice(["articles", "import", "export", "sqlite", "sqlite"])
        if kind == "articles":
            others.append((kind, _cli("articles", "--db", str(db))))
        elif kind == "import":
            path = folder / f"cli-{n}.txt"
            path.write_text(f"Terminal import {n}\n\nThe council said {n} roads were closed on day {n}.\n",
                            encoding="utf-8")
            others.append((kind, _cli("import", "--db", str(db), str(path))))
        elif kind == "export":
            others.append((kind, _cli("export", "--db", str(db), "--format", "csv", "-o", str(folder / f"o{n}.csv"))))
        else:
            others.append((kind, subprocess.Popen([sys.executable, "-c", PLAIN_SQLITE, str(db), str(rng.randrange(3, 12))],
                                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)))
        time.sleep(rng.uniform(0.05, 0.6))

    for proc in procs:
        time.sleep(rng.uniform(0, 0.3))
        proc.send_signal(signal.SIGKILL)
    for proc, reader in zip(procs, readers):
        proc.wait(30)
        reader.thread.join(30)
        for line in reader.lines:
            if line.isdigit():
                outcome.window_saved.append(int(line))
            elif line.startswith("job "):
                outcome.jobs.append(line[4:])
        err = proc.stderr.read()
        if "Traceback" in err:
            outcome.errors.append(f"window: {err[-2000:]}")

    for kind, proc in others:
        out, _ = proc.communicate(timeout=120)
        if proc.returncode != 0:
            outcome.errors.append(f"{kind} exited {proc.returncode}: {out[-2000:]}")
        if kind == "sqlite":
            outcome.external_saved += [int(line) for line in out.split() if line.isdigit()]
        elif kind == "import":
            outcome.imported_articles += [int(m) for m in re.findall(r"imported as article (\d+)", out)]

    check = sqlite3.connect(db)
    try:
        outcome.integrity = check.execute("PRAGMA integrity_check").fetchone()[0]
        outcome.stored_annotations = {r[0] for r in check.execute("SELECT id FROM annotations")}
        outcome.stored_articles = {r[0] for r in check.execute("SELECT id FROM articles")}
        has_external = check.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'external_notes'").fetchone()
        if has_external:
            outcome.stored_external = {r[0] for r in check.execute("SELECT id FROM external_notes")}
    finally:
        check.close()
    return outcome
