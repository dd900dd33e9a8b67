"""The command line for pipelines: --version, articles, export, import, errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import __version__
from annotator.cli import cli
from annotator.domain import NewArticle
from annotator.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, **kw):
    return CliRunner().invoke(cli, list(args), **kw)


@pytest.fixture
def db(tmp_path) -> Path:
    """A workspace as the first run leaves it (tags, sample article) plus two articles."""
    path = tmp_path / "work.db"
    assert run("articles", "--db", str(path)).exit_code == 0  # first run seeds it
    store = open_store(path)
    store.insert_article(NewArticle(title="=Formula title, with comma", text="Body one 👍🏽.\n", outlet="@Outlet"))
    store.insert_article(NewArticle(title="عنوان عربي", text="نص المقال.\n", outlet="صحيفة", url="https://e.example/x"))
    store.close()
    return path


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"annotator, version {__version__}"


def test_python_dash_m_runs_the_same_command_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--version"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert __version__ in result.stdout


def test_first_run_seeds_tags_and_sample_article(tmp_path):
    path = tmp_path / "new.db"
    result = run("articles", "--db", str(path), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 1
    sample = records[0]
    assert "11 soldiers" in sample["text"]
    store = open_store(path)
    assert [t.shortcut for t in store.list_tags()] == ["1", "2", "3"]
    store.close()
    # A second run does not seed again.
    assert len(run("articles", "--db", str(path), "--format", "jsonl").output.splitlines()) == 1


def test_articles_table(db):
    result = run("articles", "--db", str(db))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "status", "annotations", "outlet", "title"]
    assert len(lines) == 4
    assert any("عنوان عربي" in line and "صحيفة" in line for line in lines)
    assert any("=Formula title, with comma" in line for line in lines)


def test_articles_csv_is_safe_and_parses(db):
    result = run("articles", "--db", str(db), "--format", "csv")
    assert result.exit_code == 0
    records = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
    header, rows = records[0], records[1:]
    assert header[:3] == ["id", "title", "outlet"]
    assert len(rows) == 3
    by_title = {r[1]: r for r in rows}
    assert "'=Formula title, with comma" in by_title  # neutralised, comma kept inside quotes
    assert by_title["'=Formula title, with comma"][2] == "'@Outlet"
    assert by_title["عنوان عربي"][4] == "https://e.example/x"
    assert b"\r\n" in result.stdout_bytes


def test_articles_jsonl_has_metadata_and_full_text(db):
    result = run("articles", "--db", str(db), "--format", "jsonl")
    assert result.exit_code == 0
    records = {r["title"]: r for r in map(json.loads, result.stdout_bytes.decode("utf-8").splitlines())}
    store = open_store(db)
    try:
        for article in store.iter_articles():
            record = records[article.title]
            assert record["id"] == article.id and record["text"] == article.text
            assert record["outlet"] == article.outlet and record["url"] == article.url
            assert record["status"] == article.status and record["content_hash"] == article.content_hash
    finally:
        store.close()


def test_annotator_db_variable_is_the_default(db, monkeypatch, tmp_path):
    monkeypatch.setenv("ANNOTATOR_DB", str(db))
    result = run("articles", "--format", "jsonl")
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == 3
    # --db still wins over the variable.
    other = tmp_path / "other.db"
    assert len(run("articles", "--db", str(other), "--format", "jsonl").output.splitlines()) == 1


def test_export_to_stdout_and_file(db, tmp_path):
    store = open_store(db)
    sample = store.list_articles()[-1]
    article = store.get_article(sample.id)
    claim = store.tag_by_name("claim")
    start = article.text.index("at least 11 soldiers")
    store.insert_annotation(article.id, claim.id, start, start + 20, "at least 11 soldiers", note="count")
    store.close()
    result = run("export", "--db", str(db))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
    assert [(r["tag"], r["quote"], r["note"], int(r["start"])) for r in rows] == [("claim", "at least 11 soldiers", "count", start)]
    out = tmp_path / "x.csv"
    result = run("export", "--db", str(db), "-o", str(out))
    assert result.exit_code == 0 and "Wrote 1 annotations" in result.output
    assert out.read_bytes() == b"\xef\xbb\xbf" + run("export", "--db", str(db)).stdout_bytes


@pytest.mark.parametrize("content", [b"just some notes\n", b"\x00\x01binary\xff" * 10])
def test_not_a_database_fails_clearly(tmp_path, content):
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    for args in (["articles"], ["export"]):
        result = run(*args, "--db", str(path))
        assert result.exit_code != 0
        assert "not an annotator database" in result.output and str(path) in result.output
        assert "Traceback" not in result.output
    assert path.read_bytes() == content


def test_database_of_a_newer_annotator_fails_clearly(db):
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    result = run("articles", "--db", str(db))
    assert result.exit_code != 0
    assert "newer version of annotator" in result.output


def test_nonexistent_article_fails_clearly(db):
    result = run("export", "--db", str(db), "--article", "4242")
    assert result.exit_code != 0
    assert "no article with id 4242" in result.output


def test_import_prints_one_line_per_file_and_fails_if_any_failed(db, tmp_path):
    good = tmp_path / "story.txt"
    good.write_text("Ministry says 40% of homes lost power\r\n\r\nThe ministry said on Monday.\r\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("import", "--db", str(db), str(good), str(empty))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(str(good)) and "imported as article" in lines[0]
    assert lines[1].startswith(str(empty)) and "error" in lines[1]
    new_id = int(lines[0].rsplit(" ", 1)[1])
    store = open_store(db)
    text = store.get_article(new_id).text
    assert "\r" not in text and text.startswith("Ministry says 40%")
    store.close()
    again = run("import", "--db", str(db), str(good))
    assert again.exit_code == 0
    assert "already present" in again.output and str(new_id) in again.output


def test_import_with_a_title_and_a_lede_title_cut_at_a_word(tmp_path):
    lede = ("Hundreds of residents of the river district were told on Tuesday to leave their homes before the "
            "water reaches its peak, officials said.\nThe river rose overnight.\n")
    (tmp_path / "flood.txt").write_text(lede, encoding="utf-8")
    (tmp_path / "other.txt").write_text(lede.replace("Tuesday", "Monday"), encoding="utf-8")
    db = tmp_path / "t.db"
    assert run("import", "--db", str(db), "--title", "Flood: river district evacuated",
               str(tmp_path / "flood.txt")).exit_code == 0
    assert run("import", "--db", str(db), str(tmp_path / "other.txt")).exit_code == 0
    titles = [json.loads(line)["title"] for line in
              run("articles", "--db", str(db), "--format", "jsonl").output.splitlines()]
    assert "Flood: river district evacuated" in titles
    lede_title = next(t for t in titles if "Monday" in t)
    assert lede_title.endswith("…") and lede.replace("Tuesday", "Monday").startswith(lede_title[:-1])
    assert lede_title[:-1].split()[-1] in lede.split(), "no word is cut in the middle"
    assert run("import", "--db", str(db), "--title", "x", str(tmp_path)).exit_code == 2
