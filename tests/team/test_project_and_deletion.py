"""The project memo and article deletions travel through the team server too: the
project memo as an article's memo does (the latest edit wins); an article deleted
by a curator is deleted for every analyst, and never comes back; an analyst who is
no curator cannot delete a shared article, here or with plain SQL on the server.
Two and three local databases against one real PostgreSQL server."""

from __future__ import annotations

import psycopg
import pytest

from annotator.domain import NewArticle
from annotator.services import annotations as ops
from annotator.services import team
from annotator.services.articles import delete_article
from annotator.services.memos import set_memo
from annotator.store import StoreError
from annotator.store import team as local
from annotator.team import server
from annotator.team.exchange import push

TEXT = "The minister said on Monday that 40 schools would reopen. Critics disagreed.\n"


def _tag(store, article_id, phrase, analyst, tag="claim"):
    start = TEXT.index(phrase)
    return ops.add_annotation(store, article=article_id, tag_id=store.tag_by_name(tag).id, start=start,
                              end=start + len(phrase), annotator=analyst).value


def _article(store) -> int | None:
    return next((i for i in store.article_ids() if store.get_article(i).title == "Schools"), None)


@pytest.fixture
def shared(team_server, analyst_db):
    """ana imported and tagged an article, ben tagged it too, the lead has both."""
    stores = {name: analyst_db(name) for name in ("ana", "ben", "lead")}
    ana, ben, lead = stores["ana"], stores["ben"], stores["lead"]
    article, _ = ana.insert_article(NewArticle(title="Schools", text=TEXT, source_format="txt"))
    _tag(ana, article, "40 schools", "ana", "figure")
    team.sync(ana, team_server.url("ana"))
    team.sync(ben, team_server.url("ben"))
    _tag(ben, _article(ben), "Critics", "ben", "source")
    team.sync(ben, team_server.url("ben"))
    team.sync(lead, team_server.url("lead"))
    assert len(lead.list_annotations(_article(lead))) == 2
    return stores


def _server_article(team_server) -> tuple:
    with team_server.admin() as conn:
        return conn.execute("SELECT deleted, deleted_by, count(*) OVER () FROM annotator.articles").fetchone()


def test_the_project_memo_reaches_the_team_and_the_latest_edit_wins(team_server, analyst_db):
    ana, ben = analyst_db("ana"), analyst_db("ben")
    set_memo(ana, scope="project", text="Code every attribution, even anonymous ones.")
    sent = team.sync(ana, team_server.url("ana"))
    assert sent.sent_project == 1 and any("project memo" in line for line in sent.lines())
    got = team.sync(ben, team_server.url("ben"))
    assert got.received_project == 1 and got.received
    assert ben.get_memo("project") == "Code every attribution, even anonymous ones."

    # Both edit offline; ben's edit is the later one and wins on both machines.
    set_memo(ana, scope="project", text="ana's version")
    set_memo(ben, scope="project", text="ben's version")
    team.sync(ben, team_server.url("ben"))
    team.sync(ana, team_server.url("ana"))   # hers is older: sent, not taken; ben's comes back
    team.sync(ben, team_server.url("ben"))
    assert ana.get_memo("project") == ben.get_memo("project") == "ben's version"
    with team_server.admin() as conn:
        assert conn.execute("SELECT value, changed_by FROM annotator.project_fields").fetchall() == [
            ("ben's version", "ben")]
    # Syncing again moves nothing.
    for store, name in ((ana, "ana"), (ben, "ben")):
        again = team.sync(store, team_server.url(name))
        assert not again.moved, again.lines()


def test_a_curator_deletes_an_article_for_everyone_and_it_never_comes_back(team_server, shared):
    ana, ben, lead = shared["ana"], shared["ben"], shared["lead"]
    before = {"ana": _article(ana), "ben": _article(ben)}
    # The curator's deletion takes the analysts' annotations with it (not only theirs).
    delete_article(lead, article_id=_article(lead))
    assert _article(lead) is None
    sent = team.sync(lead, team_server.url("lead"))
    assert sent.sent_article_deletions == 1
    assert _server_article(team_server) == (True, "lead", 1)  # a mark: the row stays on the server

    # ben tagged it once more offline; the deletion wins and his tag goes with it.
    _tag(ben, _article(ben), "Critics disagreed", "ben")
    for store, name in ((ana, "ana"), (ben, "ben")):
        got = team.sync(store, team_server.url(name))
        assert _article(store) is None, name
        assert got.removed_articles == {before[name]} and not got.mismatched
        assert any("articles deleted for the team: sent 0, received 1" in line for line in got.lines())

    # Syncing again, by anyone, brings nothing back and doubles nothing.
    for store, name in ((ana, "ana"), (ben, "ben"), (lead, "lead")):
        again = team.sync(store, team_server.url(name))
        assert not again.moved and _article(store) is None, (name, again.lines())
    with team_server.admin() as conn:
        assert conn.execute("SELECT count(*) FROM annotator.annotations"
                            " WHERE analyst = 'ben' AND quote = 'Critics disagreed'").fetchone()[0] == 0

    # ana imports the same text again: the team's deletion holds, here and on the server.
    ana.insert_article(NewArticle(title="Schools", text=TEXT, source_format="txt"))
    got = team.sync(ana, team_server.url("ana"))
    assert _article(ana) is None and got.removed_articles
    assert _server_article(team_server) == (True, "lead", 1)


def test_a_deletion_sent_twice_after_a_killed_sync_is_taken_once(team_server, shared):
    """The sync was killed after the server took the deletion and before this file
    marked it sent: the next sync sends it again, and nothing changes twice."""
    lead = shared["lead"]
    delete_article(lead, article_id=_article(lead))
    box = local.outbox(lead)
    with server.connect(team_server.url("lead")) as conn:
        assert push(conn, articles=[], tags=[], annotations=[], deletions=[], links=[],
                    article_deletions=box.article_deletions).deleted_articles == 1
    with team_server.admin() as conn:
        seq = conn.execute("SELECT seq FROM annotator.articles").fetchone()[0]
    again = team.sync(lead, team_server.url("lead"))
    assert again.sent_article_deletions == 0 and not local.outbox(lead)
    with team_server.admin() as conn:
        assert conn.execute("SELECT seq FROM annotator.articles").fetchone()[0] == seq  # not woken again
    got = team.sync(shared["ana"], team_server.url("ana"))
    assert _article(shared["ana"]) is None and len(got.removed_articles) == 1


def test_an_analyst_cannot_delete_a_shared_article_here_or_on_the_server(team_server, shared):
    ben = shared["ben"]
    with pytest.raises(StoreError, match="only a curator deletes it"):
        delete_article(ben, article_id=_article(ben))
    assert _article(ben) is not None and len(ben.list_annotations(_article(ben))) == 2
    # An article of his own that never reached the team is his to delete.
    own, _ = ben.insert_article(NewArticle(title="Draft", text="Not yet shared.\n", source_format="txt"))
    delete_article(ben, article_id=own)
    assert not ben.has_article(own)

    # Plain SQL as ben: he may neither delete the row nor mark it deleted, and cannot
    # delete ana's annotations on it either (row-level security hides them from him).
    with psycopg.connect(team_server.url("ben"), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM annotator.articles")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE annotator.articles SET deleted = true")
        assert conn.execute("UPDATE annotator.annotations SET deleted = true WHERE analyst = 'ana'").rowcount == 0
    assert _server_article(team_server) == (False, "", 1)
    # A curator's deletion stays: not even a curator takes the mark back.
    with psycopg.connect(team_server.url("lead"), autocommit=True) as conn:
        conn.execute("UPDATE annotator.articles SET deleted = true, deleted_by = 'lead'")
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="stays deleted"):
            conn.execute("UPDATE annotator.articles SET deleted = false")


def test_an_older_server_is_migrated_by_the_program_and_refused_until_then(team_server, analyst_db, monkeypatch,
                                                                           postgres):
    """A server set up by the annotator before this one (schema 3) is refused with what
    to do; ``team init`` migrates it, and its project memo then travels. (``team_server``
    made the analysts' roles, which belong to the whole cluster.)"""
    with psycopg.connect(postgres.get_uri(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE team_old")
    old_url = postgres.get_uri().replace("/postgres?", "/team_old?")
    try:
        monkeypatch.setattr(server, "SERVER_SCHEMA_VERSION", 3)
        assert team.init_server(old_url) == (0, 3)
        monkeypatch.undo()
        ana = analyst_db("ana")
        ana_url = old_url.replace("postgresql://postgres:@", "postgresql://ana@", 1)
        with pytest.raises(team.TeamError, match="needs upgrading .*annotator team init"):
            team.sync(ana, ana_url)
        assert team.init_server(old_url) == (3, 4)
        set_memo(ana, scope="project", text="After the upgrade.")
        assert team.sync(ana, ana_url).sent_project == 1
    finally:
        with psycopg.connect(postgres.get_uri(), autocommit=True) as conn:
            conn.execute("DROP DATABASE team_old WITH (FORCE)")


def test_an_offline_merge_brings_the_newer_project_memo(tmp_path):
    from annotator.services.merge import merge, plan_merge
    from annotator.services.workspace import open_workspace
    from annotator.store.core import now

    ana, ben = open_workspace(tmp_path / "ana.db"), open_workspace(tmp_path / "ben.db")
    ana.set_setting("annotator_name", "ana")
    ben.set_setting("annotator_name", "ben")
    set_memo(ana, scope="project", text="ana's rules")
    set_memo(ben, scope="project", text="ben's rules, later")  # (in the same millisecond, ben's name wins)
    ben.close()
    merge(ana, plan_merge(ana, tmp_path / "ben.db"))
    assert ana.get_memo("project") == "ben's rules, later"
    written = ana._query("SELECT changed_at FROM project_changes")[0][0]
    while now() <= written:  # the clock moves on (milliseconds) before ana writes again
        pass
    set_memo(ana, scope="project", text="ana's, newest")
    merge(ana, plan_merge(ana, tmp_path / "ben.db"))  # ben's is older now: hers stays
    assert ana.get_memo("project") == "ana's, newest"
    ana.close()


def test_an_offline_merge_of_a_curators_file_takes_its_article_deletions(team_server, shared, tmp_path):
    from annotator.services.merge import merge, plan_merge

    ana, lead = shared["ana"], shared["lead"]
    delete_article(lead, article_id=_article(lead))
    plan = plan_merge(ana, lead.path)
    assert plan.deleted_articles == 1 and plan.articles == 0
    assert any("1 articles a curator deleted" in line for line in plan.lines())
    assert _article(ana) is not None  # a preview writes nothing
    applied = merge(ana, plan)
    assert _article(ana) is None and len(applied.removed_articles) == 1
    assert plan_merge(ana, lead.path).deleted_articles == 0  # merging again: nothing more
