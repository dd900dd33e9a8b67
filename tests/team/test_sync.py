"""Sync between several local databases through one real PostgreSQL server."""

from __future__ import annotations

import pytest

from annotator.domain import NewArticle
from annotator.services import annotations as ops
from annotator.services import team
from annotator.store import StoreError

TEXT = "The minister said on Monday that 40 schools would reopen. Critics disagreed.\n"


def _article(store, text=TEXT):
    article_id, _ = store.insert_article(NewArticle(title="Schools", text=text, source_format="txt"))
    return article_id


def _tag(store, name):
    return store.tag_by_name(name).id


def _spans(store):
    return sorted(
        (a.annotator, a.start, a.end, a.quote, store.get_tag(a.tag_id).name, a.note)
        for article_id in store.article_ids() for a in store.list_annotations(article_id)
    )


def _claim_shared_by_ana(team_server, analyst_db):
    """ana's claim on a new article, synced to the server and to ben."""
    ana, ben = analyst_db("ana"), analyst_db("ben")
    ops.add_annotation(ana, article=_article(ana), tag_id=_tag(ana, "claim"), start=0, end=57, annotator="ana")
    team.sync(ana, team_server.url("ana"))
    team.sync(ben, team_server.url("ben"))
    return ana, ben


def test_two_analysts_see_each_others_articles_and_annotations(team_server, analyst_db):
    ana, ben = analyst_db("ana"), analyst_db("ben")
    article = _article(ana)
    ops.add_annotation(ana, article=article, tag_id=_tag(ana, "claim"), start=0, end=57, annotator="ana")

    first = team.sync(ana, team_server.url("ana"))
    assert (first.sent_articles, first.sent_annotations) == (1, 1)
    got = team.sync(ben, team_server.url("ben"))
    assert (got.received_articles, got.received_annotations) == (1, 1)

    shared = [i for i in ben.article_ids() if ben.get_article(i).title == "Schools"][0]
    ops.add_annotation(ben, article=shared, tag_id=_tag(ben, "figure"), start=33, end=43, annotator="ben")
    team.sync(ben, team_server.url("ben"))
    team.sync(ana, team_server.url("ana"))
    assert _spans(ana) == _spans(ben) == [
        ("ana", 0, 57, TEXT[:57], "claim", ""),
        ("ben", 33, 43, "40 schools", "figure", ""),
    ]


def test_sync_is_idempotent_and_says_when_nothing_moved(team_server, analyst_db):
    ana, ben = _claim_shared_by_ana(team_server, analyst_db)
    again = [team.sync(ana, team_server.url("ana")), team.sync(ben, team_server.url("ben"))]
    assert not any(report.moved for report in again)
    with team_server.admin() as conn:
        assert conn.execute("SELECT count(*) FROM annotator.annotations").fetchone()[0] == 1
    assert len(_spans(ben)) == 1


def test_edits_and_deletions_travel_and_undo_of_a_delete_keeps_the_stable_id(team_server, analyst_db):
    ana, ben = analyst_db("ana"), analyst_db("ben")
    article = _article(ana)
    made = ops.add_annotation(ana, article=article, tag_id=_tag(ana, "claim"), start=0, end=57, annotator="ana").value
    team.sync(ana, team_server.url("ana"))
    team.sync(ben, team_server.url("ben"))

    ops.set_note(ana, annotation_id=made.id, note="check the ministry's list")
    team.sync(ana, team_server.url("ana"))
    assert team.sync(ben, team_server.url("ben")).received_annotations == 1
    assert _spans(ben)[0][-1] == "check the ministry's list"

    deleted, links = ops.delete_annotations(ana, annotation_ids=[made.id]).value
    assert team.sync(ana, team_server.url("ana")).sent_deletions == 1
    assert team.sync(ben, team_server.url("ben")).removed_annotations == 1
    assert _spans(ben) == []

    ops.restore_annotations(ana, annotations=deleted, links=links)
    team.sync(ana, team_server.url("ana"))
    team.sync(ben, team_server.url("ben"))
    assert len(_spans(ben)) == 1
    with team_server.admin() as conn:
        assert conn.execute("SELECT count(*) FROM annotator.annotations").fetchone()[0] == 1


def test_work_done_offline_is_sent_later(team_server, analyst_db):
    ana, ben = analyst_db("ana"), analyst_db("ben")
    article = _article(ana)
    team.sync(ana, team_server.url("ana"))
    ops.add_annotation(ana, article=article, tag_id=_tag(ana, "claim"), start=0, end=57, annotator="ana")
    unreachable = "postgresql://ana@/nowhere?host=/nonexistent-socket-folder"
    with pytest.raises(team.TeamError, match="Cannot reach the team server"):
        team.sync(ana, unreachable)
    team.sync(ana, team_server.url("ana"))
    team.sync(ben, team_server.url("ben"))
    assert len(_spans(ben)) == 1


def test_another_analysts_annotation_cannot_be_changed_here(team_server, analyst_db):
    ana, ben = _claim_shared_by_ana(team_server, analyst_db)
    theirs = next(a for i in ben.article_ids() for a in ben.list_annotations(i))
    with pytest.raises(StoreError, match="belongs to another analyst"):
        ops.set_note(ben, annotation_id=theirs.id, note="mine now")
    with pytest.raises(StoreError, match="belongs to another analyst"):
        ops.delete_annotations(ben, annotation_ids=[theirs.id])


def test_a_server_newer_than_the_program_is_refused(team_server, analyst_db):
    with team_server.admin() as conn:
        conn.execute("UPDATE annotator.meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(team.TeamError, match="newer annotator"):
        team.sync(analyst_db("ana"), team_server.url("ana"))


def test_a_server_that_answers_no_is_told_apart_from_one_that_does_not_answer(team_server, analyst_db):
    """``TeamError.refused``: the window retries an unreachable server by itself, not
    one that refused (login, role, schema version, permission)."""
    from annotator.team import server
    from annotator.team.exchange import push

    ana = analyst_db("ana")
    with pytest.raises(team.TeamError, match="Cannot reach") as unreachable:
        team.sync(ana, "postgresql://ana@127.0.0.1:1/newsdesk?connect_timeout=2")
    assert not unreachable.value.refused
    with pytest.raises(team.TeamError, match='refused the login: role "nobody" does not exist') as unknown:
        team.sync(ana, team_server.url("nobody"))
    assert unknown.value.refused and "add-analyst" in str(unknown.value)
    with server.connect(team_server.url("ben")) as conn, pytest.raises(team.TeamError, match="refused a change") as denied:
        push(conn, articles=[], tags=[("rumour", "#000000", "", "", 9, 0, 1)], annotations=[], deletions=[], links=[])
    assert denied.value.refused
    with team_server.admin() as conn:
        conn.execute("UPDATE annotator.meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(team.TeamError, match="newer annotator") as newer:
        team.sync(ana, team_server.url("ana"))
    assert newer.value.refused
