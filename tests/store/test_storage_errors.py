"""Storage problems (read-only file, full disk, failed commit) become readable
StoreErrors, never raw sqlite3 errors, and leave the store usable."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import tempfile

import pytest

from annotator.domain import NewArticle
from annotator.store import StoreError, open_store

TEXT = "The ministry said 40% of the 1,200 households had no power.\n"
NOBODY = 65534


@pytest.fixture
def shared_dir():
    """A folder another user can reach (pytest's tmp_path is private to its owner)."""
    path = tempfile.mkdtemp(prefix="annotator-ro-")
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def make_db(folder: str) -> tuple[str, int, int]:
    path = os.path.join(folder, "work.db")
    store = open_store(path)
    article_id, _ = store.insert_article(NewArticle(title="Power cuts", text=TEXT))
    tag = store.insert_tag("figure", "#E11D48", "3")
    store.close()
    return path, article_id, tag.id


def run_as_other_user(fn) -> str:
    """Run ``fn`` in a forked child that cannot write what it does not own.

    Tests usually run as an ordinary user, for whom ``chmod 0o444`` makes a file
    read-only; root ignores permissions, so as root the child becomes "nobody".
    Returns what ``fn`` returned (a short report string).
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            report = fn()
        except BaseException as error:  # report anything, the parent asserts
            report = f"RAW {type(error).__module__}.{type(error).__name__}: {error}"
        os.write(write_fd, report.encode())
        os._exit(0)
    os.close(write_fd)
    chunks = []
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode()


def _try_to_tag(path: str, article_id: int, tag_id: int) -> str:
    try:
        store = open_store(path)
    except StoreError as error:
        return f"OPEN StoreError: {error}"
    try:
        count = len(store.list_articles())
        store.insert_annotation(article_id, tag_id, 18, 21, "40%")
        return f"WROTE (read {count} articles)"
    except StoreError as error:
        return f"WRITE StoreError (read {count} articles): {error}"


def test_read_only_file_in_writable_folder_reads_but_refuses_writes(shared_dir):
    path, article_id, tag_id = make_db(shared_dir)
    os.chmod(path, 0o444)
    os.chmod(shared_dir, 0o777)  # the folder stays writable: only the file is protected
    report = run_as_other_user(lambda: _try_to_tag(path, article_id, tag_id))
    assert report.startswith("WRITE StoreError (read 1 articles)"), report
    assert "read-only" in report and path in report


def test_read_only_file_in_read_only_folder_is_a_readable_error(shared_dir):
    path, article_id, tag_id = make_db(shared_dir)
    os.chmod(path, 0o444)
    report = run_as_other_user(lambda: _try_to_tag(path, article_id, tag_id))
    assert "StoreError" in report and "RAW" not in report, report
    assert "read-only" in report or "Cannot read or write" in report
    assert path in report


def test_unreadable_file_is_a_readable_error(shared_dir):
    path, article_id, tag_id = make_db(shared_dir)
    os.chmod(path, 0o000)
    report = run_as_other_user(lambda: _try_to_tag(path, article_id, tag_id))
    assert report.startswith("OPEN StoreError"), report
    assert path in report


def test_disk_full_is_a_readable_error_and_the_store_recovers(tmp_path):
    path = tmp_path / "work.db"
    store = open_store(path)
    article_id, _ = store.insert_article(NewArticle(title="Power cuts", text=TEXT))
    tag = store.insert_tag("figure", "#E11D48", "3")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    # The disk "fills up" a few pages from now.
    store.conn.execute(f"PRAGMA max_page_count = {pages + 3}")
    saved = []
    with pytest.raises(StoreError) as info:
        for _ in range(1000):
            saved.append(store.insert_annotation(article_id, tag.id, 18, 21, "40%", note="n" * 2000).id)
    message = str(info.value)
    assert "full" in message and str(path) in message
    assert isinstance(info.value.__cause__, sqlite3.Error)  # kept as the cause, for the log
    assert not store.conn.in_transaction
    # Space is freed: the next action works, and everything reported saved is there.
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    saved.append(store.insert_annotation(article_id, tag.id, 18, 21, "40%").id)
    store.close()
    check = sqlite3.connect(path)
    assert [r[0] for r in check.execute("SELECT id FROM annotations ORDER BY id")] == saved
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


class CommitFails:
    """A connection whose next COMMIT fails the way a full disk or a busy
    database makes it fail: with an error, the transaction still open."""

    def __init__(self, conn: sqlite3.Connection, message: str, code: int):
        self._conn = conn
        self._message = message
        self._code = code
        self.failures = 1

    def execute(self, sql, *args):
        if sql == "COMMIT" and self.failures:
            self.failures -= 1
            error = sqlite3.OperationalError(self._message)
            error.sqlite_errorcode = self._code  # as SQLite's own errors carry it
            raise error
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


@pytest.mark.parametrize("message, code", [
    ("database or disk is full", sqlite3.SQLITE_FULL), ("database is locked", sqlite3.SQLITE_BUSY),
])
def test_failed_commit_does_not_swallow_later_work(tmp_path, message, code):
    path = tmp_path / "work.db"
    store = open_store(path)
    article_id, _ = store.insert_article(NewArticle(title="Power cuts", text=TEXT))
    tag = store.insert_tag("figure", "#E11D48", "3")
    real = store.conn
    store.conn = CommitFails(real, message, code)
    with pytest.raises(StoreError) as info:
        store.insert_annotation(article_id, tag.id, 18, 21, "40%")
    assert "sqlite3" not in type(info.value).__module__
    assert not real.in_transaction
    # The next action is committed for real: another connection sees it.
    later = store.insert_annotation(article_id, tag.id, 29, 34, "1,200")
    other = sqlite3.connect(path)
    assert other.execute("SELECT id, quote FROM annotations").fetchall() == [(later.id, "1,200")]
    other.close()
    store.conn = real
    store.close()


def test_locked_database_becomes_store_error(tmp_path, monkeypatch):
    """Another program holds the write lock longer than the busy timeout."""
    from annotator.store import core

    path = tmp_path / "work.db"
    store = open_store(path)
    article_id, _ = store.insert_article(NewArticle(title="Power cuts", text=TEXT))
    tag = store.insert_tag("figure", "#E11D48", "3")
    store.conn.execute("PRAGMA busy_timeout = 50")  # do not wait 15 s in a test
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="busy in another window"):
            store.insert_annotation(article_id, tag.id, 18, 21, "40%")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert not store.conn.in_transaction
    assert store.insert_annotation(article_id, tag.id, 18, 21, "40%").quote == "40%"
    assert core.BUSY_TIMEOUT_MS >= 5000  # the real timeout lets ordinary contention wait
    store.close()


def test_permissions_helper_really_drops_write_access(shared_dir):
    """Guard for the tests above: the child must not be able to write the file."""
    path = os.path.join(shared_dir, "plain.txt")
    with open(path, "w") as fh:
        fh.write("x")
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)

    def attempt() -> str:
        try:
            with open(path, "a") as fh:
                fh.write("y")
            return "wrote"
        except PermissionError:
            return "refused"

    assert run_as_other_user(attempt) == "refused"


def test_errors_are_classified_by_sqlite_code_not_by_words(tmp_path):
    """A constraint failure that mentions "full" in a column name is a bug, not a full disk."""
    from annotator.store.core import _explain

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (full_name TEXT UNIQUE)")
    conn.execute("INSERT INTO t VALUES ('x')")
    with pytest.raises(sqlite3.IntegrityError) as info:
        conn.execute("INSERT INTO t VALUES ('x')")
    assert "full_name" in str(info.value)
    assert _explain(info.value, "work.db") is None
    conn.close()
