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
