"""The command line: export in every format, import with a printed plan."""

from __future__ import annotations

import json

from click.testing import CliRunner

from annotator.cli import cli


def test_export_each_format_and_import_back(hard_store, tmp_path):
    runner = CliRunner()
    db = hard_store.path
    for fmt, name in [("jsonl", "o.jsonl"), ("w3c", "o.jsonld"), ("qdpx", "o.qdpx"), ("brat", "o.zip"), ("html", "o.html")]:
        result = runner.invoke(cli, ["export", "--db", db, "--format", fmt, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).exists()
    result = runner.invoke(cli, ["export", "--db", db, "--format", "jsonl", "--article", "2"])
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.output.splitlines()] == [2]

    target = str(tmp_path / "b.db")
    dry = runner.invoke(cli, ["import-annotations", "--db", target, str(tmp_path / "o.qdpx"), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    total = hard_store.count_annotations()
    assert f"{total} annotations to add" in dry.output and "Dry run: nothing was written." in dry.output
    done = runner.invoke(cli, ["import-annotations", "--db", target, str(tmp_path / "o.qdpx")])
    assert done.exit_code == 0, done.output
    assert f"Imported {total} annotations" in done.output
    again = runner.invoke(cli, ["import-annotations", "--db", target, str(tmp_path / "o.jsonl")])
    assert again.exit_code == 0 and f"{total} already present" in again.output and "Nothing new to import." in again.output


def test_import_with_errors_exits_non_zero_and_writes_nothing(hard_store, tmp_path):
    runner = CliRunner()
    out = tmp_path / "o.jsonl"
    runner.invoke(cli, ["export", "--db", hard_store.path, "--format", "jsonl", "-o", str(out)])
    lines = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["spans"][0]["quote"] = "not what the text says"
    lines[0] = json.dumps(record, ensure_ascii=False)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "b.db"
    result = runner.invoke(cli, ["import-annotations", "--db", str(target), str(out)])
    assert result.exit_code == 1
    assert "o.jsonl line 1, span 1" in result.output and "not 'not what the text says'" in result.output
    assert "Nothing was imported" in result.output
    partial = runner.invoke(cli, ["import-annotations", "--db", str(target), str(out), "--skip-errors"])
    assert partial.exit_code == 1 and f"Imported {hard_store.count_annotations() - 1} annotations" in partial.output


def test_multi_file_formats_need_an_output_path(hard_store):
    result = CliRunner().invoke(cli, ["export", "--db", hard_store.path, "--format", "brat"])
    assert result.exit_code != 0 and "give -o PATH" in result.output


def test_terminal_escapes_are_shown_escaped_not_run(tmp_path):
    from annotator.domain import NewArticle
    from annotator.store import open_store

    evil = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\u202e"
    store = open_store(tmp_path / "a.db")
    store.insert_article(NewArticle(title=f"Title {evil}", text="Some text here."))
    store.close()
    listed = CliRunner().invoke(cli, ["articles", "--db", str(tmp_path / "a.db")])
    assert listed.exit_code == 0 and "\x1b" not in listed.output and "\u202e" not in listed.output
    assert "\\x1b]0;pwned\\x07" in listed.output

    path = tmp_path / "evil.jsonl"
    path.write_text(json.dumps({"text": "Some text here.", "spans": [
        {"start": 0, "end": 4, "label": f"tag{evil}", "quote": "Some"},
        {"start": 5, "end": 9, "label": "claim", "quote": f"x{evil}"},
    ]}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import-annotations", "--db", str(tmp_path / "a.db"), str(path), "--dry-run"])
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "tag\\x1b]0;pwned" in result.output
