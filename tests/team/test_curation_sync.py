"""The lead curates what two analysts synced, and the curated layer reaches them."""

from __future__ import annotations

from annotator.domain import NewArticle
from annotator.services import annotations as ops
from annotator.services import team
from annotator.services.curation import accept_span, curation_groups, curation_overview

TEXT = "The minister said on Monday that 40 schools would reopen. Critics disagreed.\n"


def _only_article(store):
    return next(i for i in store.article_ids() if store.get_article(i).title == "Schools")


def test_curated_spans_travel_to_the_analysts(team_server, analyst_db):
    ana, ben, lead = analyst_db("ana"), analyst_db("ben"), analyst_db("lead")
    article_id, _ = ana.insert_article(NewArticle(title="Schools", text=TEXT, source_format="txt"))
    ops.add_annotation(ana, article=article_id, tag_id=ana.tag_by_name("claim").id, start=0, end=57, annotator="ana")
    team.sync(ana, team_server.url("ana"))
    team.sync(ben, team_server.url("ben"))
    shared = _only_article(ben)
    ops.add_annotation(ben, article=shared, tag_id=ben.tag_by_name("claim").id, start=4, end=56, annotator="ben")
    team.sync(ben, team_server.url("ben"))

    team.sync(lead, team_server.url("lead"))
    there = _only_article(lead)
    [group] = curation_groups(lead, there)
    assert group.analysts == ("ana", "ben")
    bens = next(s for s in group.candidates if s.analyst == "ben")
    accept_span(lead, annotation_id=bens.annotation_id)
    assert team.sync(lead, team_server.url("lead")).sent_annotations == 1

    team.sync(ana, team_server.url("ana"))
    [group] = curation_groups(ana, article_id)
    assert [(s.start, s.end, s.analyst) for s in group.curated] == [(4, 56, "lead")]
    assert curation_overview(ana, [article_id])[0].state == "curated"


def test_rejections_and_their_undo_travel_to_every_machine(team_server, analyst_db):
    from annotator.services.curation import reject_group, revert_curation

    ana, lead, laptop = analyst_db("ana"), analyst_db("lead"), analyst_db("lead_laptop")
    article_id, _ = ana.insert_article(NewArticle(title="Schools", text=TEXT, source_format="txt"))
    ops.add_annotation(ana, article=article_id, tag_id=ana.tag_by_name("source").id, start=58, end=65,
                       annotator="ana")
    team.sync(ana, team_server.url("ana"))
    team.sync(lead, team_server.url("lead"))
    [group] = curation_groups(lead, _only_article(lead))
    rejection = reject_group(lead, annotation_id=group.candidates[0].annotation_id).value
    assert team.sync(lead, team_server.url("lead")).sent_rejections == 1

    # The analysts see the article as curated; the lead's other machine too.
    assert team.sync(ana, team_server.url("ana")).received_rejections == 1
    assert curation_overview(ana, [article_id])[0].state == "curated"
    team.sync(laptop, team_server.url("lead"))
    assert curation_groups(laptop, _only_article(laptop))[0].rejected

    revert_curation(lead, change=rejection)  # undo: the group is open again everywhere
    team.sync(lead, team_server.url("lead"))
    team.sync(ana, team_server.url("ana"))
    team.sync(laptop, team_server.url("lead"))
    assert curation_overview(ana, [article_id])[0].state == "to do"
    assert not curation_groups(laptop, _only_article(laptop))[0].settled
    assert not any(team.sync(s, team_server.url(n)).moved for n, s in (("ana", ana), ("lead", lead)))


def test_an_analyst_cannot_reject_through_plain_sql(team_server, analyst_db):
    import psycopg
    import pytest

    ana = analyst_db("ana")
    ana.insert_article(NewArticle(title="Schools", text=TEXT, source_format="txt"))
    team.sync(ana, team_server.url("ana"))
    with psycopg.connect(team_server.url("ben"), autocommit=True) as conn:
        article = conn.execute("SELECT content_hash FROM annotator.articles").fetchone()[0]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO annotator.curation_rejections VALUES ('x', %s, 'ben', '2030', false, 0)",
                         (article,))
