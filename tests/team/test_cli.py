"""The team commands as an administrator and analysts type them, and a sync
killed (SIGKILL) at random moments."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys

import psycopg
from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewArticle
from annotator.services import team
from annotator.store import open_store


def test_an_administrator_sets_up_the_server_and_analysts_sync(postgres, tmp_path):
    with psycopg.connect(postgres.get_uri(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE cli_team")
    admin = postgres.get_uri().replace("/postgres?", "/cli_team?")
    runner = CliRunner()
    try:
        result = runner.invoke(cli, ["team", "init", "--server", admin])
        assert result.exit_code == 0 and "Team server schema 4 (was 0)" in result.output
        assert "already up to date" in runner.invoke(cli, ["team", "init", "--server", admin]).output
        result = runner.invoke(cli, ["team", "add-analyst", "--server", admin, "--curator", "cli_lead"])
        assert result.exit_code == 0 and "curator cli_lead" in result.output
        bad = runner.invoke(cli, ["team", "add-analyst", "--server", admin, "x; DROP TABLE"])
        assert bad.exit_code == 1 and "cannot be an analyst's name" in bad.output

        db = tmp_path / "lead.db"
        url = admin.replace("postgres:@", "cli_lead@")
        result = runner.invoke(cli, ["sync", "--db", str(db), "--server", url])
        assert result.exit_code == 0, result.output
        assert "Synced as cli_lead (curator)." in result.output
        assert result.output.count("received:") == 1

        gone = runner.invoke(cli, ["sync", "--db", str(db), "--server", "postgresql://cli_lead@/x?host=/nonexistent"])
        assert gone.exit_code == 1
        assert "Cannot reach the team server" in gone.output and "Offline" in gone.output
        assert "Traceback" not in gone.output
    finally:
        with psycopg.connect(postgres.get_uri(), autocommit=True) as conn:
            conn.execute("DROP DATABASE cli_team WITH (FORCE)")


def _sync_killed_at_random_moments(path, url: str, *, seed: int) -> None:
    """``annotator sync`` six times, each killed (SIGKILL) after 0.3 to 1.5 s unless done,
    then once to the end."""
    command = [sys.executable, "-m", "annotator", "sync", "--db", str(path), "--server", url]
    rng = random.Random(seed)
    for _ in range(6):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=rng.uniform(0.3, 1.5))
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr


def test_a_sync_killed_at_random_moments_loses_nothing_and_doubles_nothing(team_server, tmp_path):
    path = tmp_path / "ana.db"
    store = open_store(path)
    tag = store.insert_tag("claim", "#cc0000")
    text = "".join(f"Sentence {i} says something checkable. " for i in range(400))
    for n in range(20):
        article_id, _ = store.insert_article(NewArticle(title=f"A{n}", text=f"{n}. {text}", source_format="txt"))
        offset = len(f"{n}. ")
        spans = [(offset + i * 38, offset + i * 38 + 11) for i in range(0, 400, 4)]
        for start, end in spans:
            store.insert_annotation(article_id, tag.id, start, end, f"{n}. {text}"[start:end], annotator="ana")
        if n % 2:  # statuses and metadata travel the same way
            store.set_article_status(article_id, "done")
            store.update_article(article_id, title=f"A{n}, checked")
    expected = store.count_annotations()
    store.close()

    _sync_killed_at_random_moments(path, team_server.url("ana"), seed=9)

    with team_server.admin() as conn:
        count, distinct = conn.execute(
            'SELECT count(*), count(DISTINCT (article_hash, start, "end")) FROM annotator.annotations'
        ).fetchone()
    assert count == distinct == expected
    with team_server.admin() as conn:
        assert conn.execute("SELECT analyst, status, count(*) FROM annotator.article_status GROUP BY 1, 2").fetchall() \
            == [("ana", "done", 10)]
        titles = conn.execute("SELECT value FROM annotator.article_fields WHERE field = 'title'").fetchall()
        assert sorted(t for (t,) in titles) == sorted(f"A{n}, checked" for n in range(1, 20, 2))
    store = open_store(path)
    try:
        assert store.count_annotations() == expected
        again = team.sync(store, team_server.url("ana"))
        assert not again.moved
    finally:
        store.close()


def test_a_curators_sync_killed_at_random_moments_deletes_each_article_once(team_server, tmp_path):
    """The lead deletes half the shared articles, writes the project memo and tags the
    rest, then syncs, killed at random moments: every deletion and the memo reach the
    server once, and the other analysts lose exactly those articles, nothing more."""
    from annotator.services.articles import delete_article
    from annotator.services.memos import set_memo
    from annotator.services.workspace import open_workspace

    text = "".join(f"Sentence {i} says something checkable. " for i in range(400))
    ana = open_workspace(tmp_path / "ana.db")
    for n in range(20):
        ana.insert_article(NewArticle(title=f"A{n}", text=f"{n}. {text}", source_format="txt"))
    team.sync(ana, team_server.url("ana"))
    path = tmp_path / "lead.db"
    lead = open_workspace(path)
    team.sync(lead, team_server.url("lead"))
    ids = {lead.get_article(i).title: i for i in lead.article_ids() if lead.get_article(i).title.startswith("A")}
    tag = lead.tag_by_name("claim")
    for n in range(20):
        article_id = ids[f"A{n}"]
        if n % 2:
            delete_article(lead, article_id=article_id)
            continue
        body = f"{n}. {text}"
        for i in range(0, 400, 2):
            start = len(f"{n}. ") + i * 38
            lead.insert_annotation(article_id, tag.id, start, start + 11, body[start:start + 11], annotator="lead")
    set_memo(lead, scope="project", text="Deleted the odd ones.")
    lead.close()

    _sync_killed_at_random_moments(path, team_server.url("lead"), seed=11)

    with team_server.admin() as conn:
        deleted = sorted(t for (t,) in conn.execute("SELECT title FROM annotator.articles WHERE deleted"))
        assert deleted == sorted(f"A{n}" for n in range(1, 20, 2))
        assert conn.execute("SELECT value, changed_by FROM annotator.project_fields").fetchall() == [
            ("Deleted the odd ones.", "lead")]
        count, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT uuid) FROM annotator.annotations WHERE analyst = 'lead'").fetchone()
        assert count == distinct == 10 * 200
    got = team.sync(ana, team_server.url("ana"))
    assert len(got.removed_articles) == 10 and got.received_annotations == 2000
    assert sorted(s.title for s in ana.list_articles() if s.title.startswith("A")) == sorted(
        f"A{n}" for n in range(0, 20, 2))
    assert ana.get_memo("project") == "Deleted the odd ones."
    lead = open_workspace(path)
    try:
        assert not team.sync(lead, team_server.url("lead")).moved
    finally:
        lead.close()
    ana.close()
