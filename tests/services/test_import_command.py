"""`annotator import`: --keep-boilerplate, --dry-run --format jsonl, exit status."""

import json

from click.testing import CliRunner

from annotator.cli import cli
from annotator.store import open_store


def test_dry_run_jsonl_writes_nothing(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nAdvertisement\nThe text.\n")
    (tmp_path / "b.txt").write_text("")
    db = tmp_path / "never.db"
    result = CliRunner().invoke(cli, ["import", "--db", str(db), "--dry-run", "--format", "jsonl", str(tmp_path)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.output.splitlines()]
    assert records[0]["text"] == "Title\n\nThe text."
    assert records[0]["removed_lines"] == ["Advertisement"]
    assert records[0]["status"] == "ok" and records[0]["title"] == "Title"
    assert records[1] == {"path": str(tmp_path / "b.txt"), "status": "error", "message": "b.txt: the file is empty"}
    assert not db.exists()


def test_import_and_keep_boilerplate(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Title\n\nAdvertisement\nThe text.\n")
    db = tmp_path / "work.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["import", "--db", str(db), "--keep-boilerplate", str(folder)])
    assert first.exit_code == 0, first.output
    assert "\timported as article" in first.output
    again = runner.invoke(
        cli, ["import", "--db", str(db), "--keep-boilerplate", "--format", "jsonl", str(folder / "a.txt")]
    )
    assert again.exit_code == 0
    assert json.loads(again.output)["status"] == "duplicate"
    store = open_store(db)
    assert store.get_article(json.loads(again.output)["article_id"]).text == "Title\n\nAdvertisement\nThe text."
    store.close()
