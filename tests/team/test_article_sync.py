"""What is said about an article travels too: its metadata and memo (the latest edit
wins, with who made it) and each analyst's own status, between two and three local
databases and one real PostgreSQL server."""

from __future__ import annotations

import psycopg
import pytest

from annotator.domain import NewArticle
from annotator.services import team
from annotator.team import server
from annotator.team.exchange import push

TEXT = "The minister said on Monday that 40 schools would reopen. Critics disagreed.\n"


def _shared(team_server, analyst_db, *names):
    """An article ana imported, synced to every analyst named; their stores and its ids."""
    stores = {name: analyst_db(name) for name in ("ana", *names)}
    stores["ana"].insert_article(NewArticle(title="Schools", text=TEXT, outlet="Wire", source_format="txt"))
    for name, store in stores.items():
        team.sync(store, team_server.url(name))
    ids = {name: next(i for i in s.article_ids() if s.get_article(i).title == "Schools") for name, s in stores.items()}
    return stores, ids


def _changed_by(store, article_id, field):
    return store._query("SELECT changed_by FROM article_changes WHERE article_id = ? AND field = ?",
                        (article_id, field))[0][0]


def test_metadata_and_memo_reach_the_team_and_the_latest_edit_wins(team_server, analyst_db):
    stores, ids = _shared(team_server, analyst_db, "ben")
    ana, ben = stores["ana"], stores["ben"]
    ana.update_article(ids["ana"], title="Schools to reopen", author="R. Diaz")
    ben.update_article(ids["ben"], title="Closures reversed")  # later: this title wins
    ben.set_memo("article", ids["ben"], "Check the ministry's list.")

    sent = team.sync(ben, team_server.url("ben"))
    assert (sent.sent_fields, sent.sent_statuses) == (2, 0)
    got = team.sync(ana, team_server.url("ana"))   # ana's older title loses, her author stays
    assert got.received_fields == 2 and any("metadata or memo" in line for line in got.lines())
    assert got.received and not got.received_annotations
    team.sync(ben, team_server.url("ben"))
    for store, article_id in ((ana, ids["ana"]), (ben, ids["ben"])):
        article = store.get_article(article_id)
        assert (article.title, article.author, article.outlet) == ("Closures reversed", "R. Diaz", "Wire")
        assert store.get_memo("article", article_id) == "Check the ministry's list."
        assert _changed_by(store, article_id, "title") == "ben"
        assert _changed_by(store, article_id, "author") == "ana"
    # The search index followed the title that arrived.
    assert ana._query("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'closures'")[0][0] == 1

    again = [team.sync(s, team_server.url(n)) for n, s in stores.items()]
    assert not any(r.moved for r in again)


def test_each_analyst_keeps_their_own_status_and_the_lead_sees_all(team_server, analyst_db):
    stores, ids = _shared(team_server, analyst_db, "ben", "lead")
    stores["ana"].set_article_status(ids["ana"], "done")
    stores["ben"].set_article_status(ids["ben"], "in progress")
    for name in ("ana", "ben", "lead", "ana"):
        team.sync(stores[name], team_server.url(name))

    assert stores["ana"].get_article(ids["ana"]).status == "done"
    assert stores["ben"].get_article(ids["ben"]).status == "in progress"
    assert stores["lead"].get_article(ids["lead"]).status == "to do"
    assert team.article_statuses(stores["lead"]) == {ids["lead"]: {"ana": "done", "ben": "in progress"}}
    assert team.article_statuses(stores["ana"], [ids["ana"]]) == {ids["ana"]: {"ana": "done", "ben": "in progress"}}

    stores["ben"].set_article_status(ids["ben"], "done")
    team.sync(stores["ben"], team_server.url("ben"))
    assert team.sync(stores["lead"], team_server.url("lead")).received_statuses == 1
    assert team.article_statuses(stores["lead"])[ids["lead"]]["ben"] == "done"
    stores["ana"].set_article_status(ids["ana"], "to do")  # set back: not started, as for anyone
    team.sync(stores["ana"], team_server.url("ana"))
    team.sync(stores["lead"], team_server.url("lead"))
    assert team.article_statuses(stores["lead"]) == {ids["lead"]: {"ben": "done"}}


def test_a_sync_killed_after_sending_sends_again_without_doubling(team_server, analyst_db):
    stores, ids = _shared(team_server, analyst_db, "ben")
    ana = stores["ana"]
    ana.update_article(ids["ana"], outlet="Wire Service")
    ana.set_article_status(ids["ana"], "done")
    # What a sync killed between sending and marking sent leaves: sent, not marked.
    box = team.local.outbox(ana)
    with server.connect(team_server.url("ana")) as conn:
        push(conn, articles=box.articles, tags=box.tags, annotations=box.annotations, deletions=box.deletions,
             links=box.links, fields=box.fields, statuses=box.statuses)
    again = team.sync(ana, team_server.url("ana"))
    assert (again.sent_fields, again.sent_statuses) == (1, 1)
    with team_server.admin() as conn:
        assert conn.execute("SELECT count(*) FROM annotator.article_fields").fetchone()[0] == 1
        assert conn.execute("SELECT analyst, status FROM annotator.article_status").fetchall() == [("ana", "done")]
    team.sync(stores["ben"], team_server.url("ben"))
    assert stores["ben"].get_article(ids["ben"]).outlet == "Wire Service"
    assert not team.sync(ana, team_server.url("ana")).moved


def test_an_analyst_cannot_write_anothers_status_or_sign_as_them(team_server, analyst_db):
    _shared(team_server, analyst_db)
    with psycopg.connect(team_server.url("ben"), autocommit=True) as conn:
        article = conn.execute("SELECT content_hash FROM annotator.articles").fetchone()[0]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO annotator.article_status VALUES (%s, 'ana', 'done', '2030', 0)", (article,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO annotator.article_fields VALUES (%s, 'title', 'x', '2030', 'ana', 0)",
                         (article,))


def test_an_older_server_is_upgraded_by_team_init_and_a_newer_one_refused(postgres, analyst_db):
    with psycopg.connect(postgres.get_uri(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE team_v1")
    admin = postgres.get_uri().replace("/postgres?", "/team_v1?")
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(server._MIGRATIONS[0])
            conn.execute("INSERT INTO annotator.meta VALUES ('schema_version', '1')")
            conn.execute("INSERT INTO annotator.tags (name, colour) VALUES ('claim', '#c00')")
            # Roles belong to the whole cluster: another test may have made this one.
            conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'old_ana') THEN"
                         " CREATE ROLE old_ana LOGIN IN ROLE annotator_analyst; END IF; END $$")
        url = admin.replace("postgres:@", "old_ana@", 1)
        ana = analyst_db("old_ana")
        with pytest.raises(team.TeamError, match="needs upgrading .*schema 1.* annotator team init"):
            team.sync(ana, url)
        assert team.init_server(admin) == (1, 4)
        ana.insert_article(NewArticle(title="Schools", text=TEXT, source_format="txt"))
        ana.set_article_status(ana.article_ids()[-1], "done")
        assert team.sync(ana, url).sent_statuses == 1

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("UPDATE annotator.meta SET value = '5' WHERE key = 'schema_version'")
        with pytest.raises(team.TeamError, match="newer annotator .*server schema 5.* up to 4"):
            team.sync(ana, url)
        with pytest.raises(team.TeamError, match="newer annotator"):
            team.init_server(admin)
    finally:
        with psycopg.connect(postgres.get_uri(), autocommit=True) as conn:
            conn.execute("DROP DATABASE team_v1 WITH (FORCE)")
