"""``annotator --db PATH COMMAND`` works like ``annotator COMMAND --db PATH``."""

from click.testing import CliRunner

from annotator.cli import cli


def test_db_before_the_command_is_used_by_the_command(tmp_path):
    db = tmp_path / "global.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "articles", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "Border clashes leave at least 11 soldiers" in result.output
    assert db.exists()


def test_db_after_the_command_wins(tmp_path):
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    result = CliRunner().invoke(cli, ["--db", str(first), "articles", "--db", str(second)])
    assert result.exit_code == 0, result.output
    assert second.exists() and not first.exists()
