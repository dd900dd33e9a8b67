"""Who may change what, enforced by the server itself (roles and row-level
security): an analyst with plain SQL and their own login."""

from __future__ import annotations

import psycopg
import pytest

from annotator.domain import NewArticle
from annotator.services import annotations as ops
from annotator.services import team

TEXT = "Police said 12 people were detained after the march. Organisers disputed the figure.\n"


@pytest.fixture
def shared(team_server, analyst_db):
    """ana's annotation on the server."""
    ana = analyst_db("ana")
    article, _ = ana.insert_article(NewArticle(title="March", text=TEXT, source_format="txt"))
    ops.add_annotation(ana, article=article, tag_id=ana.tag_by_name("claim").id, start=0, end=52, annotator="ana")
    team.sync(ana, team_server.url("ana"))
    return team_server


def _as(server, role):
    return psycopg.connect(server.url(role), autocommit=True)


def test_an_analyst_cannot_alter_or_delete_another_analysts_rows(shared):
    with _as(shared, "ben") as ben:
        changed = ben.execute("UPDATE annotator.annotations SET note = 'ben was here'").rowcount
        assert changed == 0  # ana's row is invisible to ben's UPDATE
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            ben.execute("DELETE FROM annotator.annotations")
    with _as(shared, "ana") as ana:
        assert ana.execute("SELECT note FROM annotator.annotations").fetchone()[0] == ""
        assert ana.execute("UPDATE annotator.annotations SET note = 'mine'").rowcount == 1


def test_an_analyst_cannot_write_under_another_name_or_into_the_curated_layer(shared):
    with _as(shared, "ben") as ben:
        row = ben.execute(
            "SELECT article_hash FROM annotator.annotations LIMIT 1").fetchone()
        for analyst, layer in (("ana", ""), ("ben", "curated")):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                ben.execute(
                    "INSERT INTO annotator.annotations (uuid, article_hash, tag_name, start, \"end\", quote,"
                    " analyst, layer, created, updated) VALUES (%s, %s, 'claim', 0, 6, 'Police', %s, %s, 'x', 'x')",
                    (f"forged-{analyst}-{layer}", row[0], analyst, layer),
                )
        assert ben.execute("UPDATE annotator.annotations SET analyst = 'ben'").rowcount == 0
    with _as(shared, "ana") as ana:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # giving a row away
            ana.execute("UPDATE annotator.annotations SET analyst = 'ben'")
    with _as(shared, "lead") as lead:
        lead.execute(
            "INSERT INTO annotator.annotations (uuid, article_hash, tag_name, start, \"end\", quote,"
            " analyst, layer, created, updated) VALUES ('curated-1', %s, 'claim', 0, 6, 'Police', 'lead',"
            " 'curated', 'x', 'x')",
            (row[0],),
        )


def test_only_curators_change_the_codebook_and_a_tag_in_use_is_never_deleted(shared):
    with _as(shared, "ben") as ben:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            ben.execute("INSERT INTO annotator.tags (name, colour) VALUES ('rumour', '#ff0000')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            ben.execute("UPDATE annotator.tags SET deleted = true WHERE name = 'figure'")
    with _as(shared, "lead") as lead:
        lead.execute("INSERT INTO annotator.tags (name, colour) VALUES ('rumour', '#ff0000')")
        assert lead.execute("UPDATE annotator.tags SET deleted = true WHERE name = 'figure'").rowcount == 1
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="in use"):
            lead.execute("UPDATE annotator.tags SET deleted = true WHERE name = 'claim'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            lead.execute("DELETE FROM annotator.tags WHERE name = 'claim'")


def test_a_role_that_is_not_an_analyst_is_told_so(shared, analyst_db):
    with shared.admin() as conn:
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'visitor')"
                     " THEN CREATE ROLE visitor LOGIN; END IF; END $$")
    with pytest.raises(team.TeamError, match="not an analyst of the team"):
        team.sync(analyst_db("visitor"), shared.url("visitor"))


def test_an_analysts_tag_waits_until_a_curator_adds_it(shared, analyst_db):
    ben = analyst_db("ben")
    team.sync(ben, shared.url("ben"))
    article = next(i for i in ben.article_ids() if ben.get_article(i).title == "March")
    rumour = ben.insert_tag("rumour", "#ff0000")
    ops.add_annotation(ben, article=article, tag_id=rumour.id, start=53, end=62, annotator="ben")
    report = team.sync(ben, shared.url("ben"))
    assert report.waiting_for_tag == {"rumour": 1} and report.sent_annotations == 0
    lead = analyst_db("lead")
    lead.insert_tag("rumour", "#ff0000")
    assert team.sync(lead, shared.url("lead")).sent_tags >= 1
    assert team.sync(ben, shared.url("ben")).sent_annotations == 1
