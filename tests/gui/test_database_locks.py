"""The window's connection keeps its SQLite locks for its whole life.

POSIX advisory locks belong to the process: closing any descriptor on the
database file, even one opened only to read its header, drops every lock the
process holds on it, and another process closing its connection then believes
it is the last one and deletes the write-ahead log under the window. The kernel
lists the locks each process holds in /proc/locks; this reads them after the
window has done what a working day makes it do.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.services.exporting import export_csv
from annotator.services.workspace import open_workspace

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")


def locked_inodes(pid: int) -> set[int]:
    """Inodes on which process ``pid`` holds a POSIX lock (from /proc/locks)."""
    inodes = set()
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "->" in fields:  # a waiting request, not a held lock
            continue
        if len(fields) >= 6 and fields[1] == "POSIX" and fields[4] == str(pid):
            inodes.add(int(fields[5].rsplit(":", 1)[1]))
    return inodes


def assert_holds_locks(db: Path) -> None:
    held = locked_inodes(os.getpid())
    assert os.stat(db).st_ino in held, "the process holds no lock on the database file"
    assert os.stat(f"{db}-shm").st_ino in held, "the process holds no lock on the WAL index (-shm)"


def test_check_sees_a_lost_lock(tmp_path):
    """Guard for the test below: reading the file with Python drops the locks, and the check sees it."""
    db = tmp_path / "guard.db"
    store = open_workspace(db)
    assert_holds_locks(db)
    with open(db, "rb") as fh:  # what open_store used to do to read the header
        fh.read(16)
    with pytest.raises(AssertionError, match="database file"):
        assert_holds_locks(db)
    store.close()


def test_window_keeps_its_locks_through_suggestions_import_and_export(qtbot, window, tmp_path, monkeypatch):
    from annotator.gui.intake_dialogs import ImportReportDialog

    reports: list[str] = []
    monkeypatch.setattr(ImportReportDialog, "exec", lambda self: reports.append(self.report_text()) or 0)
    db = Path(window.store.path)
    assert_holds_locks(db)

    window.review.suggest_current_article()
    qtbot.waitUntil(lambda: bool(window.document.suggestions), timeout=20_000)
    assert_holds_locks(db)

    article = tmp_path / "report.txt"
    article.write_text("Floods\n\nThe agency said 2,300 people were evacuated on Monday.\n", encoding="utf-8")
    with qtbot.waitSignal(window.jobFinished, timeout=30_000):
        window.import_files([str(article)], preview=False)
    assert window.document.article.title == "Floods"
    assert_holds_locks(db)

    # The database itself, dropped on the window or picked in File → Open, is refused unread.
    with qtbot.waitSignal(window.jobFinished, timeout=30_000):
        window.import_files([str(db), f"{db}-wal"], preview=False)
    assert reports and reports[-1].count("not an article") == 2, reports
    assert_holds_locks(db)

    out = tmp_path / "out.csv"
    with qtbot.waitSignal(window.jobFinished, timeout=30_000):
        window.run_in_background("Exporting", lambda s, _p, _c: export_csv(s, out), lambda _n: None,
                                 lambda e: pytest.fail(str(e)))
    assert out.stat().st_size > 0
    assert_holds_locks(db)

    # The corpus views read with connections of their own in the background, closed when done.
    window.corpus_menu.open_registry()
    registry = window.corpus_menu.views["registry"]
    qtbot.waitUntil(lambda: registry.computed_once, timeout=30_000)
    registry.job.wait()
    window.corpus_menu.open_figures()
    figures = window.corpus_menu.views["figures"]
    qtbot.waitUntil(lambda: figures.computed_once, timeout=30_000)
    figures.job.wait()
    assert_holds_locks(db)
