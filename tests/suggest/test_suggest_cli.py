"""`annotator suggest` and the suggest_article service, end to end on a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewArticle
from annotator.services.suggestions import suggest_article
from annotator.services.workspace import open_workspace

TEXT = (
    "At least 11 soldiers were killed on Tuesday, officials said.\n\n"
    "“We will not retreat from the river,” said Mervan Qamishlo, a spokesman for the SDF."
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "a.db"
    store = open_workspace(path)
    store.insert_article(NewArticle(title="Ambush", text=TEXT))
    store.close()
    return path


def article_id(db: Path) -> int:
    store = open_workspace(db)
    try:
        return next(a.id for a in store.list_articles() if a.title == "Ambush")
    finally:
        store.close()


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def test_file_offsets_index_the_decoded_text_exactly(tmp_path: Path) -> None:
    raw = "\ufeffCRLF line\r\nAt least 11 soldiers died 👍🏽, officials said.\r\n“Five people were hurt in the blast,” he said."
    path = tmp_path / "a.txt"
    path.write_bytes(raw.encode("utf-8"))
    result = CliRunner().invoke(cli, ["suggest", str(path)])
    assert result.exit_code == 0, result.output
    records = lines(result.output)
    assert {r["tag"] for r in records} == {"figure", "source", "claim"}
    for r in records:
        assert raw[r["start"] : r["end"]] == r["quote"]
    claims = [r for r in records if r["tag"] == "claim"]
    assert all("source" in r for r in claims)
    linked = [records[r["source"]] for r in claims if r["source"] is not None]
    assert linked and all(r["tag"] == "source" for r in linked)


def test_tags_option_limits_the_output(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["suggest", "--tags", "figure", str(path)])
    assert result.exit_code == 0
    assert [r["quote"] for r in lines(result.output)] == ["At least 11 soldiers", "Tuesday"]


def test_bad_input_gets_a_clear_message(tmp_path: Path, db: Path) -> None:
    runner = CliRunner()
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("café 11 soldiers".encode("latin-1"))
    result = runner.invoke(cli, ["suggest", str(latin1)])
    assert result.exit_code == 1 and "is not UTF-8 text" in result.output
    result = runner.invoke(cli, ["suggest", "--tags", "numbers", str(latin1)])
    assert result.exit_code == 2 and "--tags" in result.output
    result = runner.invoke(cli, ["suggest", "--db", str(db), "999"])
    assert result.exit_code == 1 and "no article with id 999" in result.output
    result = runner.invoke(cli, ["suggest", "--store", str(latin1)])
    assert result.exit_code == 2 and "ARTICLE_ID" in result.output


def test_article_suggestions_are_stored_with_their_links(db: Path) -> None:
    aid = article_id(db)
    result = CliRunner().invoke(cli, ["suggest", "--db", str(db), str(aid), "--store"])
    assert result.exit_code == 0, result.output
    printed = lines(result.stdout)
    store = open_workspace(db)
    try:
        pending = store.list_suggestions(aid)
        assert [(s.start, s.end) for s in pending] == [(r["start"], r["end"]) for r in printed]
        by_id = {s.id: s for s in pending}
        quote_claim = next(s for s in pending if s.quote == "We will not retreat from the river")
        assert by_id[quote_claim.source_suggestion_id].quote == "Mervan Qamishlo, a spokesman for the SDF"
        assert all(s.suggester and s.suggester_version for s in pending)
    finally:
        store.close()


def test_rejected_suggestions_are_not_proposed_again(db: Path) -> None:
    aid = article_id(db)
    store = open_workspace(db)
    try:
        first = suggest_article(store, aid)
        rejected = next(s for s in first if s.quote == "officials")
        store.reject_suggestions([rejected.id])
        again = suggest_article(store, aid)
        assert "officials" not in [s.quote for s in again]
        assert len(again) == len(first) - 1
    finally:
        store.close()
